// Older stores are migrated forward automatically, with a backup first
// (SPEC "The store").
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>

#include "tb/store/store.hpp"
#include "tb/util/error.hpp"

namespace fs = std::filesystem;
using tb::store::OpenMode;
using tb::store::Store;

namespace {

class TempDir {
public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "tb-migrate-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }

private:
    fs::path path_;
};

// A version 1 store holding two members, as an older tb would have left it.
void make_v1_store(const std::string& path) {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(tb::store::schema_sql_v1());
    db.exec(R"(
INSERT INTO meta (key, value) VALUES ('name', 'Old Timebank'), ('created_at', '2025-01-01T00:00:00Z');
INSERT INTO member (id, name, kind, joined, created_at)
  VALUES ('M0001', 'Ann Lee', 'person', '2025-01-02', '2025-01-02T10:00:00Z'),
         ('M0002', 'Newsome Care Home', 'organisation', '2025-02-03', '2025-02-03T10:00:00Z');
INSERT INTO member_skill (member, direction, skill) VALUES ('M0001', 'offers', 'gardening');
PRAGMA user_version = 1;
)");
}

int user_version(const std::string& path) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    return db.execAndGet("PRAGMA user_version").getInt();
}

bool has_table(SQLite::Database& db, const std::string& name) {
    SQLite::Statement q(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
    q.bind(1, name);
    q.executeStep();
    return q.getColumn(0).getInt() == 1;
}

std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

}  // namespace

TEST_CASE("a version 1 store is migrated to the current version, keeping its data") {
    TempDir dir;
    auto path = dir / "v1.db";
    make_v1_store(path);
    REQUIRE(user_version(path) == 1);
    auto before = slurp(path);

    for (auto mode : {OpenMode::read_write, OpenMode::existing_write, OpenMode::read_only}) {
        CAPTURE(static_cast<int>(mode));
        fs::remove(path);
        fs::remove(path + ".v1.bak");
        make_v1_store(path);
        {
            Store s(path, mode, 5000);
            CHECK_FALSE(s.created());
            CHECK(s.schema_version() == tb::store::kSchemaVersion);
            CHECK(has_table(s.db(), "proposal"));
            CHECK(s.db().execAndGet("SELECT count(*) FROM member").getInt() == 2);
            CHECK(s.db().execAndGet("SELECT name FROM member WHERE id = 'M0002'").getString() ==
                  "Newsome Care Home");
            CHECK(s.db().execAndGet("SELECT skill FROM member_skill").getString() == "gardening");
            CHECK(tb::store::get_meta(s, "name") == "Old Timebank");
            CHECK(tb::store::get_meta(s, "created_at") == "2025-01-01T00:00:00Z");
        }
        CHECK(user_version(path) == tb::store::kSchemaVersion);
        // The backup is the store as it was: version 1, no proposals, same members.
        auto bak = path + ".v1.bak";
        REQUIRE(fs::exists(bak));
        CHECK(user_version(bak) == 1);
        SQLite::Database b(bak, SQLite::OPEN_READONLY);
        CHECK_FALSE(has_table(b, "proposal"));
        CHECK(b.execAndGet("SELECT count(*) FROM member").getInt() == 2);
        struct stat st {};
        REQUIRE(::stat(bak.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
    }

    // Opening a migrated store again migrates nothing and writes no new backup.
    fs::remove(path + ".v1.bak");
    {
        Store s(path, OpenMode::read_only, 5000);
        CHECK(s.schema_version() == tb::store::kSchemaVersion);
    }
    CHECK_FALSE(fs::exists(path + ".v1.bak"));
    CHECK_FALSE(before.empty());
}

TEST_CASE("a new store is created at the current version with mode 0600") {
    TempDir dir;
    auto path = dir / "new.db";
    {
        Store s(path, OpenMode::read_write, 5000);
        CHECK(s.created());
        CHECK(s.schema_version() == tb::store::kSchemaVersion);
        CHECK(has_table(s.db(), "member"));
        CHECK(has_table(s.db(), "proposal"));
    }
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_FALSE(fs::exists(path + ".v0.bak"));
}

TEST_CASE("a store from a newer tb is refused, untouched") {
    TempDir dir;
    auto path = dir / "future.db";
    make_v1_store(path);
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = " + std::to_string(tb::store::kSchemaVersion + 1));
    }
    CHECK_THROWS_AS(Store(path, OpenMode::read_only, 5000), tb::SystemError);
    CHECK(user_version(path) == tb::store::kSchemaVersion + 1);
}

TEST_CASE("a missing store is never created by a reader") {
    TempDir dir;
    auto path = dir / "missing.db";
    for (auto mode : {OpenMode::read_only, OpenMode::existing_write}) {
        try {
            Store s(path, mode, 5000);
            FAIL_CHECK("opened");
        } catch (const tb::SystemError& e) {
            CHECK(std::string(e.what()) == "no store at " + path + " (create one with: tb init)");
        }
        CHECK_FALSE(fs::exists(path));
    }
}

TEST_CASE("a file that is not a store is refused and left alone") {
    TempDir dir;
    auto path = dir / "garbage.db";
    std::string junk(4096, '\x5a');
    std::ofstream(path, std::ios::binary) << junk;
    CHECK_THROWS_AS(Store(path, OpenMode::read_only, 5000), tb::SystemError);
    CHECK(slurp(path) == junk);
    // An SQLite database of something else is not a timebank store either.
    auto other = dir / "other.db";
    {
        SQLite::Database db(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE t (x)");
    }
    CHECK_THROWS_AS(Store(other, OpenMode::read_write, 5000), tb::SystemError);
}
