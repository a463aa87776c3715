#pragma once
// The SQLite store: opening, creating, migrating. All SQL of the toolkit
// lives under lib/tb/store/.
#include <cstdint>
#include <memory>
#include <string>

namespace SQLite {
class Database;
class Transaction;
}  // namespace SQLite

namespace tb::store {

// The schema version this build writes; older stores are migrated forward.
inline constexpr int kSchemaVersion = 13;

enum class OpenMode {
    read_only,      // never creates; missing store is exit 1
    read_write,     // creates the store when missing (mode 0600)
    existing_write,  // writes, but the store must already exist
    fresh            // an empty file the caller just made (create_store): make it a store
};

class Store {
public:
    Store(const std::string& path, OpenMode mode, int busy_timeout_ms);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    SQLite::Database& db() { return *db_; }
    const std::string& path() const { return path_; }
    bool created() const { return created_; }
    int schema_version();

private:
    void migrate();
    // Throws unless the open file is a timebank store this tb can read.
    void check_is_store();
    void open_connection(OpenMode mode, int busy_timeout_ms);
    std::string path_;
    std::unique_ptr<SQLite::Database> db_;
    bool created_ = false;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed uncommitted. Taking
// the write lock up front means a busy store waits (busy timeout) at the
// start instead of failing half way.
class WriteTransaction {
public:
    explicit WriteTransaction(Store& s);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    void commit();

private:
    Store& store_;
    bool done_ = false;
};

// The connection's foreign keys off until the end of the scope (on again
// whatever happens), for work whose caller checks what they would: the
// streamed import, a migration rebuilding a table. Made outside a
// transaction: inside one the pragma does nothing.
class ForeignKeysOff {
public:
    explicit ForeignKeysOff(Store& s);
    ~ForeignKeysOff();
    ForeignKeysOff(const ForeignKeysOff&) = delete;
    ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

private:
    Store& store_;
};

// BEGIN (deferred) ... COMMIT: one view of the store for a reader, without
// the write lock. Writes to temporary tables (an import's staging) do not
// take it either. End it before a WriteTransaction on the same connection.
class ReadTransaction {
public:
    explicit ReadTransaction(Store& s);
    ~ReadTransaction();
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;
    void end();

private:
    Store& store_;
    bool done_ = false;
};

// Sizes the connection for reading the whole store once (tb check): a page
// cache of `cache_mib` MiB and no memory map. Every table and index is read
// in its own order, once, so a larger cache saves little, and the pages of a
// map count in the process's resident memory as they are touched (up to the
// whole file).
void size_for_whole_read(Store& s, std::int64_t cache_mib = 32);

// PRAGMA data_version: changes when another connection commits to the store.
std::int64_t data_version(Store& s);

// Runs read() again when another connection committed while it ran, so that
// what it returns reflects one state of the store. A report reads with many
// statements, some in parallel on connections of their own, and each sees
// the store as of its own start: a record or void committed in between would
// otherwise be counted by one part and not by another. After `tries` runs
// that all overlapped a commit, the last result is returned.
template <typename Read>
auto read_consistently(Store& s, Read read, int tries = 5) {
    for (int i = 1;; ++i) {
        auto before = data_version(s);
        auto result = read();
        if (i >= tries || data_version(s) == before) return result;
    }
}

// Whether the store holds nothing but its schema and meta values (and the
// community pot that every store has): no other member, exchange, opening balance, request or audit entry.
bool store_is_blank(Store& s);
// Removes a store's files (the database, its WAL and shared-memory files).
void remove_store_files(const std::string& path);

bool store_exists(const std::string& path);

// tb init: builds a complete store (schema, the bank's name, its audit
// entry) in a temporary file `.NAME.tb-tmp-PID` beside `path` and links it
// into place, so a killed init leaves a whole store or none (the next run
// removes the temporary file). Exit 1 when anything exists at `path`.
// config_file, when not empty, is remembered as the bank's config (meta config_file).
void create_store(const std::string& path, const std::string& name, const std::string& who, int busy_timeout_ms,
                  const std::string& config_file = {});
// "no store at PATH (create one with: tb init, or name one with --db)"
[[noreturn]] void throw_no_store(const std::string& path);

// The schema of a given version, for tests that build old fixtures.
std::string schema_sql_v1();

// Meta values (name, created_at, opening_total).
std::string get_meta(Store& s, const std::string& key, const std::string& fallback = "");
void set_meta(Store& s, const std::string& key, const std::string& value);

// Folds the WAL into the main file and truncates it (after forget). False
// when another process kept it from finishing.
bool checkpoint(Store& s);

// SQLite's online backup API into a new file of mode 0600, written atomically
// (a temporary `.NAME.tb-tmp-PID` renamed in; stale ones are removed). A
// dest that is the store or its -wal/-shm is a usage error (exit 2); one
// that is not a regular file (/dev/stdout, a pipe) is written, not replaced.
void backup_to(Store& s, const std::string& dest);

// Whether `candidate` names the store at `store_path` or its -wal, -shm or
// -journal file, by any spelling (device and inode; for a file that does not
// exist yet, the directory's device and inode and the name).
bool is_store_file(const std::string& candidate, const std::string& store_path);

}  // namespace tb::store
