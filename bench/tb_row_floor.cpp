// tb_row_floor: the per-row floor of an import (bench_import.sh). Writes the
// rows of the named tables of --from (a store tb wrote) into --db (a store
// with the same schema and members) the way a program that makes its rows
// one at a time must: one prepared INSERT, each row's values bound, stepped
// and reset, each table's indexes dropped first and built again after, all
// in one transaction, and the store closed (its checkpoint). Only SQLite's
// C API: no parsing, no checks, no hashing, no kept totals summed. Against
// the shell's copy (INSERT ... SELECT, which copies records whole), what
// SQLite's per-row API adds.
//
// Prints the CPU seconds (user + system) of the writing alone: the rows are
// read from --from beforehand, a batch at a time, untimed, as an importer
// has its rows from its file.
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_options.hpp"

namespace {

// A prepared statement, finalized when it goes.
using Stmt = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

// A name in SQL: "..." with its quotes doubled.
std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

struct Db {
    sqlite3* db = nullptr;
    explicit Db(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            std::string why = path + ": " + sqlite3_errmsg(db);
            sqlite3_close_v2(db);
            throw std::runtime_error(why);
        }
    }
    // Unfinished, the transaction is rolled back: nothing written.
    ~Db() {
        if (db && !sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close_v2(db);
    }
    void close() {
        if (sqlite3_close(db) != SQLITE_OK) throw std::runtime_error(std::string("close: ") + sqlite3_errmsg(db));
        db = nullptr;
    }
    [[noreturn]] void fail(const std::string& sql) const {
        throw std::runtime_error(sql.substr(0, 80) + ": " + sqlite3_errmsg(db));
    }
    void exec(const std::string& sql) {
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
    }
    // `sql` prepared, each of `params` bound as text.
    Stmt prepare(const std::string& sql, const std::vector<std::string>& params = {}) {
        sqlite3_stmt* q = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) != SQLITE_OK) fail(sql);
        Stmt st(q, &sqlite3_finalize);
        for (std::size_t i = 0; i < params.size(); ++i)
            sqlite3_bind_text(q, static_cast<int>(i) + 1, params[i].c_str(), -1, SQLITE_TRANSIENT);
        return st;
    }
    // Steps `q`: whether a row came; an error throws.
    bool step(sqlite3_stmt* q, const std::string& what) {
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) fail(what);
        return false;
    }
    std::vector<std::string> column(const std::string& sql, const std::vector<std::string>& params) {
        std::vector<std::string> out;
        auto q = prepare(sql, params);
        while (step(q.get(), sql)) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0)));
        return out;
    }
};

// The CPU time (user + system) this process has used.
double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return s(u.ru_utime) + s(u.ru_stime);
}

// One value of a row, held as the importer holds what it binds.
struct Value {
    int type = SQLITE_NULL;
    sqlite3_int64 integer = 0;
    double real = 0;
    std::string bytes;  // text or blob
};

// Adds the time spent in `fn` to `timed`.
template <class Fn>
void timing(double& timed, Fn fn) {
    double t0 = cpu_seconds();
    fn();
    timed += cpu_seconds() - t0;
}

// Table `t`'s rows of s written into main, a row at a time. Only the writes
// count in `timed`: the rows are read from s beforehand, a batch at a time,
// untimed (an importer has its rows from its file, which the floor leaves
// out).
void copy_rows(Db& d, const std::string& t, double& timed) {
    const std::string where = " FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL";
    auto names = d.column("SELECT name" + where, {t});
    auto creates = d.column("SELECT sql" + where, {t});
    // (the audit log is append-only and has init's rows, as meta has)
    bool replace = t == "audit" || t == "meta";
    auto from_q = d.prepare("SELECT * FROM s." + quoted(t));
    auto* from = from_q.get();
    int n = sqlite3_column_count(from);
    std::string sql = std::string(replace ? "INSERT OR REPLACE" : "INSERT") + " INTO main." + quoted(t) + " VALUES (";
    for (int i = 0; i < n; ++i) sql += i ? ", ?" : "?";
    auto into_q = d.prepare(sql + ")");
    auto* into = into_q.get();
    timing(timed, [&] {
        for (auto& name : names) d.exec("DROP INDEX main." + quoted(name));
        if (!replace) d.exec("DELETE FROM main." + quoted(t));
    });
    constexpr std::size_t kBatch = 65536;
    std::vector<Value> batch(kBatch * static_cast<std::size_t>(n));
    for (bool more = true; more;) {
        std::size_t rows = 0;
        while (rows < kBatch && (more = d.step(from, "reading " + t))) {
            for (int i = 0; i < n; ++i) {
                auto& v = batch[rows * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)];
                v.type = sqlite3_column_type(from, i);
                if (v.type == SQLITE_INTEGER) v.integer = sqlite3_column_int64(from, i);
                else if (v.type == SQLITE_FLOAT) v.real = sqlite3_column_double(from, i);
                else if (v.type == SQLITE_TEXT || v.type == SQLITE_BLOB) {
                    auto* p = static_cast<const char*>(sqlite3_column_blob(from, i));
                    v.bytes.assign(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(from, i)));
                }
            }
            ++rows;
        }
        timing(timed, [&] {
            for (std::size_t r = 0; r < rows; ++r) {
                for (int i = 0; i < n; ++i) {
                    auto& v = batch[r * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)];
                    int at = i + 1;
                    if (v.type == SQLITE_INTEGER) sqlite3_bind_int64(into, at, v.integer);
                    else if (v.type == SQLITE_FLOAT) sqlite3_bind_double(into, at, v.real);
                    else if (v.type == SQLITE_TEXT)
                        sqlite3_bind_text(into, at, v.bytes.data(), static_cast<int>(v.bytes.size()), SQLITE_STATIC);
                    else if (v.type == SQLITE_BLOB)
                        sqlite3_bind_blob(into, at, v.bytes.data(), static_cast<int>(v.bytes.size()), SQLITE_STATIC);
                    else sqlite3_bind_null(into, at);
                }
                d.step(into, "writing " + t);
                sqlite3_reset(into);
            }
        });
    }
    timing(timed, [&] {
        for (auto& c : creates) d.exec(c);
    });
}

}  // namespace

int main(int argc, char** argv) {
    tb::bench::Usage usage{"tb_row_floor", "usage: tb_row_floor --db FILE --from FILE --tables \"T1 T2 ...\"\n"};
    std::string db, from, tables;
    tb::bench::read_options(argc, argv, usage, {{"--db", &db}, {"--from", &from}, {"--tables", &tables}});
    if (db.empty() || from.empty() || tables.empty()) usage.fail("--db, --from and --tables are required");
    try {
        double timed = 0;
        {
            Db d(db);
            d.step(d.prepare("ATTACH ? AS s", {from}).get(), "ATTACH " + from);
            d.exec("BEGIN");
            std::istringstream names(tables);
            for (std::string t; names >> t;) copy_rows(d, t, timed);
            timing(timed, [&] { d.exec("COMMIT"); });
            d.exec("DETACH s");
            double t0 = cpu_seconds();
            d.close();  // and the checkpoint that comes with it, as tb's import pays
            timed += cpu_seconds() - t0;
        }
        std::cout << fmt::format("{:.2f}\n", timed);
    } catch (const std::exception& e) {
        std::cerr << "tb_row_floor: " << e.what() << "\n";
        return 1;
    }
}
