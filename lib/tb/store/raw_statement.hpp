#pragma once
// A prepared statement read with SQLite's C API, for the loops that read
// many rows: columns come back as views, without the copies SQLiteCpp's
// Statement makes (it keeps its sqlite3_stmt to itself). Internal to store/.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tb::store {

class RawStatement {
public:
    RawStatement(SQLite::Database& db, const char* sql) : db_(db.getHandle()) {
        if (sqlite3_prepare_v2(db_, sql, -1, &st_, nullptr) != SQLITE_OK)
            throw SQLite::Exception(db_, sqlite3_errcode(db_));
    }
    ~RawStatement() { sqlite3_finalize(st_); }
    RawStatement(const RawStatement&) = delete;
    RawStatement& operator=(const RawStatement&) = delete;

    void bind(int i, const std::string& v) {
        sqlite3_bind_text(st_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
    // Bound without a copy: `v` must stay alive until the statement is run.
    void bind_view(int i, std::string_view v) {
        sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    }
    void bind(int i, std::int64_t v) { sqlite3_bind_int64(st_, i, v); }
    // Runs a statement that returns no rows, then resets it for the next binds.
    void run() {
        int rc = sqlite3_step(st_);
        sqlite3_reset(st_);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) throw SQLite::Exception(db_, rc);
    }
    // The next row, or false when there is none.
    bool step() {
        int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw SQLite::Exception(db_, rc);
    }
    // Valid until the next step().
    std::string_view text(int i) const {
        auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, i));
        return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(st_, i))) : std::string_view{};
    }
    std::int64_t integer(int i) const { return sqlite3_column_int64(st_, i); }
    bool is_null(int i) const { return sqlite3_column_type(st_, i) == SQLITE_NULL; }
    // SQLITE_NULL, SQLITE_INTEGER, SQLITE_TEXT...: asked before the value is read.
    int type(int i) const { return sqlite3_column_type(st_, i); }

private:
    sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
};

}  // namespace tb::store
