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

#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_options.hpp"

namespace {

struct Db {
    sqlite3* db = nullptr;
    explicit Db(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
            throw std::runtime_error(path + ": " + sqlite3_errmsg(db));
    }
    ~Db() { close(); }
    void close() {
        sqlite3_close(db);
        db = nullptr;
    }
    void exec(const std::string& sql) {
        char* err = nullptr;
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string why = err ? err : "?";
            sqlite3_free(err);
            throw std::runtime_error(sql.substr(0, 80) + ": " + why);
        }
    }
    sqlite3_stmt* prepare(const std::string& sql) {
        sqlite3_stmt* q = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) != SQLITE_OK)
            throw std::runtime_error(sql.substr(0, 80) + ": " + sqlite3_errmsg(db));
        return q;
    }
    std::vector<std::string> column(const std::string& sql) {
        std::vector<std::string> out;
        auto* q = prepare(sql);
        while (sqlite3_step(q) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
        sqlite3_finalize(q);
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
    auto where = " FROM main.sqlite_master WHERE type = 'index' AND tbl_name = '" + t + "' AND sql IS NOT NULL";
    auto names = d.column("SELECT name" + where);
    auto creates = d.column("SELECT sql" + where);
    // (the audit log is append-only and has init's rows, as meta has)
    bool replace = t == "audit" || t == "meta";
    auto* from = d.prepare("SELECT * FROM s.\"" + t + "\"");
    int n = sqlite3_column_count(from);
    std::string sql = std::string(replace ? "INSERT OR REPLACE" : "INSERT") + " INTO main.\"" + t + "\" VALUES (";
    for (int i = 0; i < n; ++i) sql += i ? ", ?" : "?";
    auto* into = d.prepare(sql + ")");
    timing(timed, [&] {
        for (auto& name : names) d.exec("DROP INDEX main.\"" + name + "\"");
        if (!replace) d.exec("DELETE FROM main.\"" + t + "\"");
    });
    constexpr std::size_t kBatch = 65536;
    std::vector<Value> batch(kBatch * static_cast<std::size_t>(n));
    for (bool more = true; more;) {
        std::size_t rows = 0;
        while (rows < kBatch && (more = sqlite3_step(from) == SQLITE_ROW)) {
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
                if (sqlite3_step(into) != SQLITE_DONE) throw std::runtime_error(t + ": " + sqlite3_errmsg(d.db));
                sqlite3_reset(into);
            }
        });
    }
    sqlite3_finalize(into);
    sqlite3_finalize(from);
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
            d.exec("ATTACH '" + from + "' AS s");
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
