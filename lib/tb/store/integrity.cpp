#include "tb/store/integrity.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <cctype>
#include <cstring>
#include <optional>

#include "tb/store/hash_pair.hpp"

namespace tb::store {
namespace {

// tb_index_sum(v1, ..., vn): over its rows, two sums of a 64-bit hash of the
// values (storage class and bytes of each), as 32 hex digits.
struct IndexSum {
    std::uint64_t a = 0, b = 0;
};

void index_sum_step(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    auto* sum = static_cast<IndexSum*>(sqlite3_aggregate_context(ctx, sizeof(IndexSum)));
    if (!sum) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    // Eight bytes at a time, each word multiplied in (the tail zero-padded;
    // lengths are fed too, so padding cannot make two values alike).
    std::uint64_t h = 14695981039346656037ull;
    auto word = [&h](std::uint64_t w) {
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
    };
    auto feed = [&word](const void* p, std::size_t n) {
        auto* c = static_cast<const unsigned char*>(p);
        for (; n >= 8; n -= 8, c += 8) {
            std::uint64_t w;
            std::memcpy(&w, c, 8);
            word(w);
        }
        if (n > 0) {
            std::uint64_t w = 0;
            std::memcpy(&w, c, n);
            word(w);
        }
    };
    for (int i = 0; i < argc; ++i) {
        int type = sqlite3_value_type(argv[i]);
        word(static_cast<std::uint64_t>(type));
        if (type == SQLITE_INTEGER) {
            word(static_cast<std::uint64_t>(sqlite3_value_int64(argv[i])));
        } else if (type == SQLITE_FLOAT) {
            auto v = sqlite3_value_double(argv[i]);
            feed(&v, sizeof v);
        } else if (type != SQLITE_NULL) {
            const void* p = type == SQLITE_BLOB ? sqlite3_value_blob(argv[i]) : sqlite3_value_text(argv[i]);
            auto n = static_cast<std::size_t>(sqlite3_value_bytes(argv[i]));
            word(n);
            if (p) feed(p, n);
        }
    }
    auto pair = split_hash(h);
    sum->a += pair.a;
    sum->b += pair.b;
}

void index_sum_final(sqlite3_context* ctx) {
    auto* sum = static_cast<IndexSum*>(sqlite3_aggregate_context(ctx, 0));
    IndexSum none;
    if (!sum) sum = &none;
    auto text = fmt::format("{:016x}{:016x}", sum->a, sum->b);
    sqlite3_result_text(ctx, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string sql_name(const std::string& name) {
    std::string out = "\"";
    for (char c : name) {
        out += c;
        if (c == '"') out += '"';
    }
    return out + '"';
}

std::vector<std::string> pragma_lines(Store& s, const std::string& pragma) {
    std::vector<std::string> out;
    SQLite::Statement q(s.db(), pragma);
    while (q.executeStep()) {
        auto line = q.getColumn(0).getString();
        if (line != "ok") out.push_back(line);
    }
    return out;
}

std::string one_text(Store& s, const std::string& sql) {
    SQLite::Statement q(s.db(), sql);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

struct Index {
    std::string name, where;  // `where`: a partial index's condition
    std::vector<std::pair<std::string, std::string>> columns;  // name, collation
    bool unique = false;
};

// The condition of a partial index: what follows the last WHERE of its SQL.
std::optional<std::string> partial_condition(Store& s, const std::string& index) {
    SQLite::Statement q(s.db(), "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?");
    q.bind(1, index);
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
    auto sql = q.getColumn(0).getString();
    std::string upper = sql;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto at = upper.rfind("WHERE");
    if (at == std::string::npos || at == 0 || !std::isspace(static_cast<unsigned char>(upper[at - 1])))
        return std::nullopt;
    return sql.substr(at + 5);
}

// A rowid table's indexes when each can be read as a covering index of
// plain columns; none when one cannot (the table is then checked by SQLite).
std::optional<std::vector<Index>> readable_indexes(Store& s, const std::string& table) {
    SQLite::Statement wr(s.db(), "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?");
    wr.bind(1, table);
    if (!wr.executeStep() || wr.getColumn(0).getInt() != 0) return std::nullopt;
    std::vector<Index> out;
    SQLite::Statement list(s.db(), "SELECT name, \"unique\", partial FROM pragma_index_list(?)");
    list.bind(1, table);
    while (list.executeStep()) {
        Index ix;
        ix.name = list.getColumn(0).getString();
        ix.unique = list.getColumn(1).getInt() != 0;
        if (list.getColumn(2).getInt() != 0) {
            auto where = partial_condition(s, ix.name);
            if (!where) return std::nullopt;
            ix.where = *where;
        }
        SQLite::Statement cols(s.db(), "SELECT cid, name, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno");
        cols.bind(1, ix.name);
        while (cols.executeStep()) {
            if (cols.getColumn(0).getInt() < 0) return std::nullopt;  // an expression or the rowid
            ix.columns.emplace_back(cols.getColumn(1).getString(), cols.getColumn(2).getString());
        }
        out.push_back(std::move(ix));
    }
    return out;
}

std::string sum_of(const Index& ix) {
    std::string args;
    for (auto& c : ix.columns) args += sql_name(c.first) + ", ";
    return "tb_index_sum(" + args + "rowid)";
}

// Whether index `ix` holds exactly the rows of `table` that the table-side
// read counted (`rows`) and summed (`sum`), and a unique one no key twice.
bool index_matches(Store& s, const std::string& table, const Index& ix, const std::string& rows,
                   const std::string& sum) {
    auto from = fmt::format("FROM {} INDEXED BY {}", sql_name(table), sql_name(ix.name));
    auto where = ix.where.empty() ? std::string() : " WHERE " + ix.where;
    auto scan = fmt::format("SELECT count(*), {} {}{}", sum_of(ix), from, where);
    // Read from the index alone, or this compares the table with itself.
    bool covering = false;
    SQLite::Statement plan(s.db(), "EXPLAIN QUERY PLAN " + scan);
    while (plan.executeStep())
        covering = covering || plan.getColumn(3).getString().find("COVERING INDEX " + ix.name) != std::string::npos;
    if (!covering) throw SQLite::Exception("not a covering index: " + ix.name);
    SQLite::Statement q(s.db(), scan);
    q.executeStep();
    auto entries = q.getColumn(0).getString();
    // A partial index's scan skips entries its condition excludes (a
    // seek past NULL keys): count its cells instead.
    if (!ix.where.empty()) {
        SQLite::Statement cells(s.db(), "SELECT coalesce(sum(ncell), 0) FROM dbstat WHERE name = ?");
        cells.bind(1, ix.name);
        cells.executeStep();
        entries = cells.getColumn(0).getString();
    }
    if (entries != rows || q.getColumn(1).getString() != sum) return false;
    if (!ix.unique) return true;
    std::string keys, not_null = ix.where.empty() ? " WHERE " : " WHERE (" + ix.where + ") AND ";
    for (std::size_t i = 0; i < ix.columns.size(); ++i) {
        auto col = sql_name(ix.columns[i].first);
        keys += fmt::format("{}{} COLLATE {}", i ? ", " : "", col, ix.columns[i].second);
        not_null += fmt::format("{}{} IS NOT NULL", i ? " AND " : "", col);
    }
    return one_text(s, fmt::format("SELECT 1 {}{} GROUP BY {} HAVING count(*) > 1 LIMIT 1", from, not_null, keys))
        .empty();
}

// Whether `table`'s indexes match it (nullopt: they cannot be read so).
std::optional<bool> table_indexes_match(Store& s, const std::string& table) {
    auto indexes = readable_indexes(s, table);
    if (!indexes) return std::nullopt;
    if (indexes->empty()) return true;
    std::string cols;
    for (auto& ix : *indexes) {
        auto filter = ix.where.empty() ? std::string() : " FILTER (WHERE " + ix.where + ")";
        cols += fmt::format(", count(*){0}, {1}{0}", filter, sum_of(ix));
    }
    SQLite::Statement q(s.db(), fmt::format("SELECT 0{} FROM {} NOT INDEXED", cols, sql_name(table)));
    q.executeStep();
    for (std::size_t i = 0; i < indexes->size(); ++i) {
        auto rows = q.getColumn(static_cast<int>(1 + 2 * i)).getString();
        auto sum = q.getColumn(static_cast<int>(2 + 2 * i)).getString();
        if (!index_matches(s, table, (*indexes)[i], rows, sum)) return false;
    }
    return true;
}

}  // namespace

bool indexes_match_tables(Store& s) {
    sqlite3_create_function_v2(s.db().getHandle(), "tb_index_sum", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                               nullptr, index_sum_step, index_sum_final, nullptr);
    std::vector<std::string> tables;
    {
        SQLite::Statement q(s.db(), "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
                                    "ESCAPE '\\' ORDER BY name");
        while (q.executeStep()) tables.push_back(q.getColumn(0).getString());
    }
    for (auto& t : tables) {
        std::optional<bool> match;
        try {
            match = table_indexes_match(s, t);
        } catch (const SQLite::Exception&) {
            match.reset();  // an index the planner would not read on its own
        }
        if (!match) match = pragma_lines(s, fmt::format("PRAGMA integrity_check({})", sql_name(t))).empty();
        if (!*match) return false;
    }
    return true;
}

std::vector<std::string> integrity_problems(Store& s) {
    auto quick = pragma_lines(s, "PRAGMA quick_check");
    if (quick.empty() && indexes_match_tables(s)) return {};
    auto full = pragma_lines(s, "PRAGMA integrity_check");
    // Were the sums to differ where SQLite finds nothing, that is said too.
    if (full.empty()) full.push_back("an index does not hold exactly its table's rows");
    return full;
}

}  // namespace tb::store
