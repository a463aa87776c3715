#include "tb/store/store.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tb/store/members.hpp"
#include "tb/store/rollup.hpp"
#include "tb/util/atomic_file.hpp"
#include "tb/util/date.hpp"
#include "tb/util/error.hpp"

namespace fs = std::filesystem;

namespace tb::store {

std::string migration_sql_v2();
std::string migration_sql_v3();
std::string migration_sql_v4();

bool store_exists(const std::string& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

void throw_no_store(const std::string& path) {
    throw SystemError(fmt::format("no store at {} (create one with: tb init)", path));
}

namespace {

// Creates an empty file with mode 0600 before SQLite opens it, so the
// personal data it will hold is never readable by others, whatever the umask.
void create_private_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        throw SystemError(fmt::format("cannot create store {}: {}", path, std::strerror(errno)));
    ::fchmod(fd, 0600);
    ::close(fd);
}

// SQLite's -wal and -shm files hold the same data: keep them private too.
void tighten_sidecars(const std::string& path) {
    for (auto suffix : {"-wal", "-shm"}) {
        auto p = path + suffix;
        if (store_exists(p)) ::chmod(p.c_str(), 0600);
    }
}

}  // namespace

Store::Store(const std::string& path, OpenMode mode, int busy_timeout_ms) : path_(path) {
    bool exists = store_exists(path);
    if (!exists && mode != OpenMode::read_write) throw_no_store(path);
    if (!exists) {
        auto parent = fs::path(path).parent_path();
        std::error_code ec;
        if (!parent.empty() && !fs::is_directory(parent, ec))
            throw SystemError(fmt::format("cannot create store {}: directory {} does not exist", path,
                                          parent.string()));
        create_private_file(path);
        created_ = true;
    }
    try {
        open_connection(mode, busy_timeout_ms);
        int version = schema_version();
        if (version > kSchemaVersion)
            throw SystemError(fmt::format("store {} has schema version {}, newer than this tb ({})", path,
                                          version, kSchemaVersion));
        if (version == 0 && !created_) {
            // An existing file without our schema (an empty file too) is
            // not a store; never turn it into one behind the user's back.
            throw SystemError(fmt::format("{} is not a timebank store", path));
        }
        if (version < kSchemaVersion) {
            if (mode == OpenMode::read_only) {
                // Migrating is the one write a reader makes, so that older
                // stores keep working for reports; then it reads as before.
                open_connection(OpenMode::existing_write, busy_timeout_ms);
                migrate();
                open_connection(OpenMode::read_only, busy_timeout_ms);
            } else {
                migrate();
            }
        }
        tighten_sidecars(path);
    } catch (const SQLite::Exception& e) {
        db_.reset();
        if (created_) {
            std::error_code ec;
            fs::remove(path, ec);
        }
        throw SystemError(fmt::format("cannot open store {}: {}", path, e.what()));
    }
}

void Store::open_connection(OpenMode mode, int busy_timeout_ms) {
    db_.reset();
    int flags = mode == OpenMode::read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE;
    db_ = std::make_unique<SQLite::Database>(path_, flags, busy_timeout_ms);
    // A file that is not a database fails here, not half way through a command.
    db_->exec("PRAGMA foreign_keys = ON");
    if (mode != OpenMode::read_only) {
        db_->exec("PRAGMA journal_mode = WAL");
        db_->exec("PRAGMA synchronous = NORMAL");
    }
    // Freed pages are zeroed so that forgotten personal data does not linger.
    db_->exec("PRAGMA secure_delete = ON");
}

Store::~Store() = default;

int Store::schema_version() { return db_->execAndGet("PRAGMA user_version").getInt(); }

void Store::migrate() {
    int version = schema_version();
    if (version >= kSchemaVersion) return;
    if (version > 0) {
        // Keep the old store as it was before touching it.
        auto backup = fmt::format("{}.v{}.bak", path_, version);
        backup_to(*this, backup);
    }
    WriteTransaction tx(*this);
    if (version < 1) {
        db_->exec(schema_sql_v1());
        SQLite::Statement ins(*db_, "INSERT INTO meta (key, value) VALUES ('created_at', ?)");
        ins.bind(1, utc_timestamp_now());
        ins.exec();
    }
    if (version < 2) db_->exec(migration_sql_v2());
    if (version < 3) {
        db_->exec(migration_sql_v3());
        rebuild_rollups(*this);
    }
    if (version < 4) {
        db_->exec(migration_sql_v4());
        refresh_name_keys(*this);
    }
    db_->exec(fmt::format("PRAGMA user_version = {}", kSchemaVersion));
    tx.commit();
}

WriteTransaction::WriteTransaction(Store& s) : store_(s) {
    try {
        store_.db().exec("BEGIN IMMEDIATE");
    } catch (const SQLite::Exception& e) {
        throw SystemError(fmt::format("cannot write to store {}: {}", store_.path(), e.what()));
    }
}

WriteTransaction::~WriteTransaction() {
    if (!done_) {
        try {
            store_.db().exec("ROLLBACK");
        } catch (...) {
        }
    }
}

void WriteTransaction::commit() {
    try {
        store_.db().exec("COMMIT");
    } catch (const SQLite::Exception& e) {
        throw SystemError(fmt::format("cannot write to store {}: {}", store_.path(), e.what()));
    }
    done_ = true;
}

ReadTransaction::ReadTransaction(Store& s) : store_(s) { store_.db().exec("BEGIN"); }

ReadTransaction::~ReadTransaction() {
    if (!done_) {
        try {
            store_.db().exec("ROLLBACK");
        } catch (...) {
        }
    }
}

void ReadTransaction::end() {
    if (done_) return;
    store_.db().exec("COMMIT");
    done_ = true;
}

std::string get_meta(Store& s, const std::string& key, const std::string& fallback) {
    SQLite::Statement q(s.db(), "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    if (q.executeStep()) return q.getColumn(0).getString();
    return fallback;
}

void set_meta(Store& s, const std::string& key, const std::string& value) {
    SQLite::Statement q(s.db(), "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    q.bind(1, key);
    q.bind(2, value);
    q.exec();
}

bool store_is_blank(Store& s) {
    return s.db()
               .execAndGet("SELECT NOT EXISTS (SELECT 1 FROM member) AND NOT EXISTS (SELECT 1 FROM exchange) "
                           "AND NOT EXISTS (SELECT 1 FROM opening) AND NOT EXISTS (SELECT 1 FROM request) "
                           "AND NOT EXISTS (SELECT 1 FROM audit)")
               .getInt() == 1;
}

void remove_store_files(const std::string& path) {
    for (const char* suffix : {"-wal", "-shm", ""}) ::unlink((path + suffix).c_str());
}

std::int64_t data_version(Store& s) { return s.db().execAndGet("PRAGMA data_version").getInt64(); }

bool checkpoint(Store& s) {
    // A reader elsewhere can hold old pages in the WAL; wait a little for it.
    for (int attempt = 0; attempt < 20; ++attempt) {
        SQLite::Statement q(s.db(), "PRAGMA wal_checkpoint(TRUNCATE)");
        if (q.executeStep() && q.getColumn(0).getInt() == 0) return true;
        sqlite3_sleep(100);
    }
    return false;
}

void backup_to(Store& s, const std::string& dest) {
    // Back up into a private temporary file beside the target, then rename.
    std::string tmp = dest + ".tmp-" + std::to_string(::getpid());
    {
        std::error_code ec;
        fs::remove(tmp, ec);
    }
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw SystemError(fmt::format("cannot write {}: {}", dest, std::strerror(errno)));
    ::close(fd);
    try {
        {
            SQLite::Database out(tmp, SQLite::OPEN_READWRITE);
            SQLite::Backup b(out, s.db());
            // Step in chunks so writers are not held off for the whole copy.
            int rc;
            do {
                rc = b.executeStep(256);
                if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
            } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
            // A backup is a single file: no WAL beside it.
            out.exec("PRAGMA journal_mode = DELETE");
        }
        ::chmod(tmp.c_str(), 0600);
        if (::rename(tmp.c_str(), dest.c_str()) != 0)
            throw SystemError(fmt::format("cannot write {}: {}", dest, std::strerror(errno)));
    } catch (const SQLite::Exception& e) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw SystemError(fmt::format("cannot back up to {}: {}", dest, e.what()));
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
}

}  // namespace tb::store
