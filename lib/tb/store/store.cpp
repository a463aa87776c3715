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

#include "tb/store/audit.hpp"
#include "tb/store/last_trade.hpp"
#include "tb/store/member_number.hpp"
#include "tb/store/member_year.hpp"
#include "tb/store/group_month.hpp"
#include "tb/store/members.hpp"
#include "tb/store/pair_year.hpp"
#include "tb/store/rollup.hpp"
#include "tb/util/atomic_file.hpp"
#include "tb/util/date.hpp"
#include "tb/util/error.hpp"

namespace fs = std::filesystem;

namespace tb::store {

std::string migration_sql_v2();
std::string migration_sql_v3();
std::string migration_sql_v4();
std::string migration_sql_v5();
std::string migration_sql_v6();
std::string migration_sql_v7();
std::string migration_sql_v8();
std::string migration_sql_v9();
std::string migration_sql_v10();
std::string migration_sql_v11();
std::string migration_sql_v12();
std::string migration_sql_v13();
void rebuild_member_table(SQLite::Database& db);

bool store_exists(const std::string& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

void throw_no_store(const std::string& path) {
    throw SystemError(fmt::format("no store at {} (create one with: tb init, or name one with --db)", path));
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

void create_store(const std::string& path, const std::string& name, const std::string& who, int busy_timeout_ms,
                  const std::string& config_file) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) throw SystemError(fmt::format("a store already exists at {}", path));
    auto parent = fs::path(path).parent_path();
    auto dir = parent.empty() ? std::string(".") : parent.string();
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw SystemError(fmt::format("cannot create store {}: directory {} does not exist", path, dir));
    // What a killed init left is removed: it never blocks the next one.
    remove_stale_temps(dir);
    auto tmp = temp_path_for(path);
    auto discard = [&tmp] {
        for (const char* suffix : {"-wal", "-shm", "-journal", ""}) ::unlink((tmp + suffix).c_str());
    };
    discard();
    create_private_file(tmp);
    try {
        {
            Store s(tmp, OpenMode::fresh, busy_timeout_ms);
            WriteTransaction tx(s);
            set_meta(s, "name", name);
            if (!config_file.empty()) set_meta(s, "config_file", config_file);
            audit(s, who, "tb init", "store", {"name"});
            tx.commit();
        }  // the last connection closed: the WAL is folded in and removed
        int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
        // link, not rename: a store made meanwhile by another init is kept.
        if (::link(tmp.c_str(), path.c_str()) != 0) {
            int err = errno;
            if (err == EEXIST) throw SystemError(fmt::format("a store already exists at {}", path));
            if (err != EPERM && err != ENOTSUP && err != EOPNOTSUPP && err != EXDEV)
                throw SystemError(fmt::format("cannot create store {}: {}", path, std::strerror(err)));
            // A file system without hard links.
            if (::lstat(path.c_str(), &st) == 0) throw SystemError(fmt::format("a store already exists at {}", path));
            if (::rename(tmp.c_str(), path.c_str()) != 0)
                throw SystemError(fmt::format("cannot create store {}: {}", path, std::strerror(errno)));
        }
        discard();
        int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            ::fsync(dfd);
            ::close(dfd);
        }
    } catch (const SQLite::Exception& e) {
        discard();
        throw SystemError(fmt::format("cannot create store {}: {}", path, e.what()));
    } catch (...) {
        discard();
        throw;
    }
}

Store::Store(const std::string& path, OpenMode mode, int busy_timeout_ms) : path_(path) {
    bool fresh = mode == OpenMode::fresh;
    bool exists = store_exists(path);
    if (fresh && !exists) throw_no_store(path);
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
    if (fresh) {
        created_ = true;
        mode = OpenMode::existing_write;
    }
    try {
        if (!created_) {
            // Read-only until the file is known to be a store: a file of
            // another program (or an empty one) is refused untouched, never
            // switched to WAL or given a header first.
            open_connection(OpenMode::read_only, busy_timeout_ms);
            check_is_store();
            if (mode != OpenMode::read_only) open_connection(mode, busy_timeout_ms);
        } else {
            open_connection(mode, busy_timeout_ms);
        }
        int version = schema_version();
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
        if (created_ && !fresh) {
            std::error_code ec;
            fs::remove(path, ec);
        }
        throw SystemError(fmt::format("cannot open store {}: {}", path, e.what()));
    }
}

void Store::check_is_store() {
    // Another program's SQLite file may set user_version too: a store has
    // the tables every version of tb made.
    int version = schema_version();
    int tables = version == 0 ? 0
                              : db_->execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                                                "('meta', 'member', 'exchange', 'opening', 'audit')")
                                    .getInt();
    if (tables != 5) {
        db_.reset();
        throw SystemError(fmt::format("{} is not a timebank store", path_));
    }
    if (version > kSchemaVersion)
        throw SystemError(fmt::format("store {} has schema version {}, newer than this tb ({})", path_, version,
                                      kSchemaVersion));
}

void Store::open_connection(OpenMode mode, int busy_timeout_ms) {
    db_.reset();
    // Without SQLite's per-call locking: the store's connection is used by
    // one thread only (a scan on threads opens connections of its own), and
    // a statement of 263k lines made 2.6M lock and unlock calls.
    int flags = (mode == OpenMode::read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE) | SQLite::OPEN_NOMUTEX;
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

ForeignKeysOff::ForeignKeysOff(Store& s) : store_(s) { store_.db().exec("PRAGMA foreign_keys = OFF"); }

ForeignKeysOff::~ForeignKeysOff() {
    try {
        store_.db().exec("PRAGMA foreign_keys = ON");
    } catch (...) {
    }
}

int Store::schema_version() { return db_->execAndGet("PRAGMA user_version").getInt(); }

namespace {

// Version 8's columns of request, unless a store made from a newer one for a
// test has them.
void add_request_outcome_columns(SQLite::Database& db) {
    auto has = [&](const char* column) {
        SQLite::Statement q(db, "SELECT count(*) FROM pragma_table_info('request') WHERE name = ?");
        q.bind(1, column);
        q.executeStep();
        return q.getColumn(0).getInt() > 0;
    };
    if (!has("outcome")) db.exec("ALTER TABLE request ADD COLUMN outcome TEXT CHECK (outcome IN ('met', 'withdrawn'))");
    if (!has("close_reason")) db.exec("ALTER TABLE request ADD COLUMN close_reason TEXT");
}

// The kept totals a migration from `version` adds, filled once every table
// is there: all of them from the ledger below version 9 or when the monthly
// ones are behind it, else the new ones, each from the monthly totals.
void fill_kept_totals(Store& s, int version) {
    // Every table from the ledger, once, when the monthly ones are not there
    // or behind it.
    if (version < 9 || !rollups_current(s)) return rebuild_rollups(s);
    if (version < 10) fill_trade_day(s);
    if (version < 11) {  // member.last_trade, pair_year and group_month
        rebuild_last_trade(s);
        fill_pair_year(s);
        fill_group_month(s);  // from pair_month
    }
    if (version < 13) rebuild_member_year(s);  // its minutes (version 13), from pair_month
}

}  // namespace

void Store::migrate() {
    int version = schema_version();
    if (version >= kSchemaVersion) return;
    if (version > 0) {
        // Keep the old store as it was before touching it.
        auto backup = fmt::format("{}.v{}.bak", path_, version);
        backup_to(*this, backup);
    }
    // Rebuilding a table (version 5) needs foreign keys off, and they can
    // only be switched outside a transaction; they are checked before the
    // commit instead, and switched on again whatever happens.
    ForeignKeysOff unchecked(*this);
    WriteTransaction tx(*this);
    if (version < 1) {
        db_->exec(schema_sql_v1());
        SQLite::Statement ins(*db_, "INSERT INTO meta (key, value) VALUES ('created_at', ?)");
        ins.bind(1, utc_timestamp_now());
        ins.exec();
    }
    if (version < 2) db_->exec(migration_sql_v2());
    // The monthly totals of versions 3 and 9 and the daily ones of version 10
    // are filled from the ledger once, when all the tables are there (below).
    if (version < 3) db_->exec(migration_sql_v3());
    if (version < 4) {
        db_->exec(migration_sql_v4());
        refresh_name_keys(*this);
    }
    if (version < 5) {
        rebuild_member_table(*db_);
        db_->exec(migration_sql_v5());
        refresh_name_keys(*this);
    }
    if (version < 6) {
        if (db_->execAndGet("SELECT count(*) FROM pragma_table_info('audit') WHERE name = 'hash'").getInt() == 0)
            db_->exec("ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT ''");
        db_->exec(migration_sql_v6());
        chain_audit_log(*this);
    }
    if (version < 7) {
        if (db_->execAndGet("SELECT count(*) FROM pragma_table_info('exchange') WHERE name = 'amends'").getInt() == 0)
            db_->exec("ALTER TABLE exchange ADD COLUMN amends INTEGER REFERENCES exchange (number)");
        db_->exec(migration_sql_v7());
    }
    if (version < 8) {
        add_request_outcome_columns(*db_);
        db_->exec(migration_sql_v8());
    }
    if (version < 9) db_->exec(migration_sql_v9());
    if (version < 10) db_->exec(migration_sql_v10());
    if (version < 11) db_->exec(migration_sql_v11());
    if (version < 11) add_last_trade_column(*this);  // member.last_trade, store/last_trade.hpp
    if (version < 12) {
        add_member_numbers(*this);  // member.num, store/member_number.hpp
        // pair_year by member ID becomes pair_year by number.
        if (version == 11) db_->exec("ALTER TABLE pair_year RENAME TO pair_year_by_id");
        db_->exec(migration_sql_v12());  // and the covering ledger indexes
        if (version == 11) pair_year_from_ids(*this, "pair_year_by_id");
    }
    if (version < 13) db_->exec(migration_sql_v13());  // member_year with minutes
    fill_kept_totals(*this, version);
    {
        SQLite::Statement fk(*db_, "PRAGMA foreign_key_check");
        if (fk.executeStep())
            throw SystemError(fmt::format("cannot migrate store {}: table {} row {} points at a missing {}", path_,
                                          fk.getColumn(0).getString(), fk.getColumn(1).getInt64(),
                                          fk.getColumn(2).getString()));
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

void size_for_whole_read(Store& s, std::int64_t cache_mib) {
    auto& db = s.db();
    // A negative cache_size is in KiB.
    db.exec(fmt::format("PRAGMA cache_size = {}", -cache_mib * 1024));
    db.exec("PRAGMA mmap_size = 0");
}

bool store_is_blank(Store& s) {
    return s.db()
               .execAndGet("SELECT NOT EXISTS (SELECT 1 FROM member WHERE id <> 'pot') AND NOT EXISTS (SELECT 1 FROM exchange) "
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

bool is_store_file(const std::string& candidate, const std::string& store_path) {
    // SQLite names the -wal and -shm files after the store with its symlinks
    // resolved; either spelling is the store.
    auto resolved = resolve_symlinks(store_path);
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        if (same_file(candidate, store_path + suffix) || same_file(candidate, resolved + suffix)) return true;
    }
    return false;
}

namespace {

// Copies a finished backup into a target that is not a regular file
// (/dev/stdout, a pipe): it is written, never replaced.
void copy_into(const std::string& from, const std::string& dest) {
    int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) throw SystemError(fmt::format("cannot read {}: {}", from, std::strerror(errno)));
    int out = ::open(dest.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (out < 0) {
        int err = errno;
        ::close(in);
        throw SystemError(fmt::format("cannot write {}: {}", dest, std::strerror(err)));
    }
    char buf[1 << 16];
    bool ok = true;
    for (;;) {
        auto n = ::read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        for (ssize_t done = 0; done < n;) {
            auto w = ::write(out, buf + done, static_cast<size_t>(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                ok = false;
                break;
            }
            done += w;
        }
        if (!ok) break;
    }
    int err = errno;
    ::close(in);
    ::close(out);
    if (!ok) throw SystemError(fmt::format("cannot write {}: {}", dest, std::strerror(err)));
}

}  // namespace

void backup_to(Store& s, const std::string& dest) {
    if (is_store_file(dest, s.path()))
        throw UsageError(fmt::format("{} is the store {} (or its -wal/-shm file); a backup cannot replace it", dest,
                                     s.path()));
    bool in_place = writes_in_place(dest);
    {
        struct stat st {};
        if (in_place && ::stat(dest.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
            throw SystemError(fmt::format("cannot write {}: it is a directory", dest));
    }
    // Back up into a private temporary file beside the target, then rename;
    // one left by a killed backup is removed by the next run. A target that
    // is not a regular file (/dev/stdout) is copied into from a temporary
    // file beside the store instead.
    std::string target = in_place ? dest : resolve_symlinks(dest);
    std::string tmp_dir_of = in_place ? s.path() : target;
    auto tmp_parent = fs::path(tmp_dir_of).parent_path();
    remove_stale_temps(tmp_parent.empty() ? "." : tmp_parent.string());
    std::string tmp = temp_path_for(in_place ? fs::path(s.path()).replace_filename("backup").string() : target);
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) ::unlink((tmp + suffix).c_str());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw SystemError(fmt::format("cannot write {}: {}", dest, std::strerror(errno)));
    ::close(fd);
    auto discard = [&tmp] {
        for (const char* suffix : {"", "-journal", "-wal", "-shm"}) ::unlink((tmp + suffix).c_str());
    };
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
        if (in_place) {
            copy_into(tmp, dest);
            discard();
        } else {
            int tfd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
            if (tfd >= 0) {
                ::fsync(tfd);
                ::close(tfd);
            }
            if (::rename(tmp.c_str(), target.c_str()) != 0)
                throw SystemError(fmt::format("cannot write {}: {}", dest, std::strerror(errno)));
        }
    } catch (const SQLite::Exception& e) {
        discard();
        throw SystemError(fmt::format("cannot back up to {}: {}", dest, e.what()));
    } catch (...) {
        discard();
        throw;
    }
}

}  // namespace tb::store
