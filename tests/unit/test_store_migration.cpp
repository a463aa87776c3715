// Older stores are migrated forward automatically, with a backup first
// (SPEC "The store").
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <sys/stat.h>

#include "scratch_dir.hpp"
#include "tb/model/model.hpp"
#include "tb/store/check.hpp"
#include "tb/store/rollup_check.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/store/rollup.hpp"
#include "tb/store/store.hpp"
#include "tb/util/error.hpp"

namespace fs = std::filesystem;
using tb::store::OpenMode;
using tb::store::Store;
using tb::ExchangeDraft;
using tb::Member;
using tb::MemberKind;
using tb::Minutes;

namespace {

// A scratch directory whose files are named dir / "name".
struct TempDir : tb::test::ScratchDir {
    std::string operator/(const std::string& name) const { return path(name); }
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

// Migrates a copy of `original` (at schema version `from`) at `path` twice,
// opened read-write and read-only (a report migrates too): `check` looks at
// the store, `backup` at the copy the migration kept of the old one.
void migrate_both_ways(const std::string& original, const std::string& path, int from,
                       const std::function<void(Store&)>& check, const std::function<void(SQLite::Database&)>& backup) {
    auto bak = path + ".v" + std::to_string(from) + ".bak";
    for (auto mode : {OpenMode::read_write, OpenMode::read_only}) {
        CAPTURE(static_cast<int>(mode));
        fs::remove(bak);
        fs::copy_file(original, path, fs::copy_options::overwrite_existing);
        {
            Store s(path, mode, 5000);
            CHECK(s.schema_version() == tb::store::kSchemaVersion);
            check(s);
        }
        SQLite::Database b(bak, SQLite::OPEN_READONLY);
        backup(b);
    }
}

// Migrates a copy of `original` (at schema version `from`) at `path` whose
// monthly totals are behind its ledger (they hold exchanges up to number 2
// only): every kept table is then made from the ledger; `check` looks at
// the store.
void migrate_behind(const std::string& original, const std::string& path, int from,
                    const std::function<void(Store&)>& check) {
    fs::remove(path + ".v" + std::to_string(from) + ".bak");
    fs::copy_file(original, path, fs::copy_options::overwrite_existing);
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("UPDATE meta SET value = '2' WHERE key = 'rollup_upto'");
    }
    Store s(path, OpenMode::read_write, 5000);
    check(s);
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
            CHECK(has_table(s.db(), "trade_month"));
            CHECK(has_table(s.db(), "member_month"));
            CHECK(tb::store::get_meta(s, "rollup_upto") == "0");
            CHECK(s.db().execAndGet("SELECT count(*) FROM member WHERE kind <> 'pot'").getInt() == 2);
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
            CHECK(std::string(e.what()) == "no store at " + path + " (create one with: tb init, or name one with --db)");
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

namespace {

// The members, each a person unless named as an organisation.
void add_members(Store& s, std::initializer_list<std::pair<const char*, MemberKind>> members) {
    for (auto [id, kind] : members) {
        Member m;
        m.id = id;
        m.name = id;
        m.kind = kind;
        m.joined = *tb::parse_iso_date("2024-01-01");
        tb::store::insert_member(s, m);
    }
}

// An exchange of Gardening (a void when `reverses`), its number.
std::int64_t trade(Store& s, const char* date, const char* p, const char* r, Minutes minutes,
                   std::optional<std::int64_t> reverses = std::nullopt) {
    ExchangeDraft x;
    x.date = *tb::parse_iso_date(date);
    x.provider = p;
    x.recipient = r;
    x.minutes = minutes;
    x.category = "Gardening";
    x.reverses = reverses;
    return tb::store::append_exchange(s, x, "test").number;
}

std::string rollup_rows(SQLite::Database& db) {
    std::string out;
    SQLite::Statement t(db, "SELECT month, category, pair, exchanges, minutes FROM trade_month ORDER BY 1, 2, 3");
    while (t.executeStep())
        for (int i = 0; i < 5; ++i) out += t.getColumn(i).getString() + (i == 4 ? "\n" : "|");
    SQLite::Statement m(db, "SELECT month, member, trades FROM member_month ORDER BY 1, 2");
    while (m.executeStep())
        for (int i = 0; i < 3; ++i) out += m.getColumn(i).getString() + (i == 2 ? "\n" : "|");
    return out;
}

}  // namespace

TEST_CASE("a version 2 store gets the monthly totals of its ledger when migrated") {
    TempDir dir;
    auto v2 = dir / "v2-original.db";
    std::string expected;
    {
        // Written by this tb, then taken back to version 2: version 3 only added the totals.
        Store s(v2, OpenMode::read_write, 5000);
        add_members(s, {{"M0001", MemberKind::person}, {"M0002", MemberKind::organisation},
                        {"M0003", MemberKind::person}});
        trade(s, "2025-01-10", "M0001", "M0002", 60);
        trade(s, "2025-01-11", "M0003", "M0001", 30);
        auto n = trade(s, "2025-01-31", "M0001", "M0003", 45);
        trade(s, "2025-02-01", "M0003", "M0001", 45, n);
        trade(s, "2025-03-05", "M0002", "M0003", 90);
        expected = rollup_rows(s.db());
        CHECK(expected == "2025-01|Gardening|0|1|30\n2025-01|Gardening|1|1|60\n2025-03|Gardening|1|1|90\n"
                          "2025-01|M0001|2\n2025-01|M0002|1\n2025-01|M0003|1\n2025-03|M0002|1\n2025-03|M0003|1\n");
        s.db().exec("DROP TABLE trade_month; DROP TABLE member_month; DELETE FROM meta WHERE key = 'rollup_upto'; "
                    "DROP INDEX member_name_key; ALTER TABLE member DROP COLUMN name_key; PRAGMA user_version = 2");
    }
    REQUIRE(user_version(v2) == 2);
    auto path = dir / "v2.db";
    for (auto mode : {OpenMode::read_write, OpenMode::existing_write, OpenMode::read_only}) {
        CAPTURE(static_cast<int>(mode));
        fs::remove(path + ".v2.bak");
        fs::copy_file(v2, path, fs::copy_options::overwrite_existing);
        {
            Store s(path, mode, 5000);
            CHECK(s.schema_version() == tb::store::kSchemaVersion);
            CHECK(rollup_rows(s.db()) == expected);
            CHECK(tb::store::get_meta(s, "rollup_upto") == "5");
            CHECK(tb::store::check_store(s).empty());
        }
        auto bak = path + ".v2.bak";
        REQUIRE(fs::exists(bak));
        CHECK(user_version(bak) == 2);
        SQLite::Database b(bak, SQLite::OPEN_READONLY);
        CHECK_FALSE(has_table(b, "trade_month"));
    }
}

TEST_CASE("a read that another connection committed during is run again, and only then") {
    TempDir dir;
    auto path = dir / "busy.db";
    Store s(path, OpenMode::read_write, 5000);
    tb::store::set_meta(s, "name", "Before");
    SQLite::Database other(path, SQLite::OPEN_READWRITE);
    auto rename = [&](const std::string& name) {
        SQLite::Statement q(other, "UPDATE meta SET value = ? WHERE key = 'name'");
        q.bind(1, name);
        q.exec();
    };

    SUBCASE("a commit during the first run: the second run's result is returned") {
        int runs = 0;
        auto name = tb::store::read_consistently(s, [&] {
            auto seen = tb::store::get_meta(s, "name");
            if (++runs == 1) rename("After");  // commits between this run's reads
            return seen;
        });
        CHECK(runs == 2);
        CHECK(name == "After");
    }
    SUBCASE("no commit: one run") {
        int runs = 0;
        auto name = tb::store::read_consistently(s, [&] {
            ++runs;
            return tb::store::get_meta(s, "name");
        });
        CHECK(runs == 1);
        CHECK(name == "Before");
    }
    SUBCASE("a commit during every run: gives up after the given number of runs") {
        int runs = 0;
        auto name = tb::store::read_consistently(
            s,
            [&] {
                auto seen = tb::store::get_meta(s, "name");
                rename("Run " + std::to_string(++runs));
                return seen;
            },
            3);
        CHECK(runs == 3);
        CHECK(name == "Run 2");
    }
    SUBCASE("the store's own writes do not count as another's") {
        int runs = 0;
        tb::store::read_consistently(s, [&] {
            tb::store::set_meta(s, "name", "Own " + std::to_string(++runs));
            return 0;
        });
        CHECK(runs == 1);
    }
}

TEST_CASE("a version 3 store gets the name keys of its members when migrated") {
    TempDir dir;
    auto path = dir / "v3.db";
    {
        Store s(path, OpenMode::read_write, 5000);
        for (auto [id, name] : {std::pair{"M0001", "José Álvarez"}, {"M0002", "Ann  LEE"}}) {
            Member m;
            m.id = id;
            m.name = name;
            m.joined = *tb::parse_iso_date("2025-01-01");
            tb::store::insert_member(s, m);
        }
        s.db().exec("DROP INDEX member_name_key; ALTER TABLE member DROP COLUMN name_key; PRAGMA user_version = 3");
    }
    REQUIRE(user_version(path) == 3);
    {
        Store s(path, OpenMode::read_only, 5000);
        CHECK(s.schema_version() == tb::store::kSchemaVersion);
        CHECK(tb::store::member_ids_by_name_key(s, "josealvarez") == std::vector<std::string>{"M0001"});
        CHECK(tb::store::member_ids_by_name_key(s, "annlee") == std::vector<std::string>{"M0002"});
    }
    CHECK(fs::exists(path + ".v3.bak"));
}

TEST_CASE("version 5 rebuilds member with the kinds pot and bank, adds the pot, and keeps foreign keys") {
    TempDir dir;
    auto path = dir / "v1.db";
    make_v1_store(path);
    Store s(path, OpenMode::existing_write, 5000);
    auto& db = s.db();
    CHECK(s.schema_version() == tb::store::kSchemaVersion);
    CHECK(db.execAndGet("SELECT sql FROM sqlite_schema WHERE name = 'member'").getString().find(
              "'person', 'organisation', 'pot', 'bank'") != std::string::npos);
    CHECK(db.execAndGet("SELECT kind || '|' || status FROM member WHERE id = 'pot'").getString() == "pot|active");
    CHECK(db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'member_v5'").getInt() == 0);
    CHECK(db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'member_email'").getInt() == 1);
    CHECK(db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'transfer'").getInt() == 1);
    CHECK(db.execAndGet("PRAGMA foreign_keys").getInt() == 1);
    CHECK(tb::store::check_store(s).empty());
    // The wider constraint takes a clearing account; the old one's values are still checked.
    CHECK_NOTHROW(db.exec("INSERT INTO member (id, name, kind, joined, created_at) "
                          "VALUES ('bank-x', 'X', 'bank', '2026-01-01', '2026-01-01T00:00:00Z')"));
    CHECK_THROWS(db.exec("INSERT INTO member (id, name, kind, joined, created_at) "
                         "VALUES ('robot', 'R', 'robot', '2026-01-01', '2026-01-01T00:00:00Z')"));
    // Foreign keys still point at the rebuilt table.
    CHECK_THROWS(db.exec("INSERT INTO member_skill (member, direction, skill) VALUES ('nobody', 'offers', 'x')"));
    CHECK(db.execAndGet("SELECT member FROM member_skill").getString() == "M0001");
}

TEST_CASE("version 7 adds exchange.amends: old rows' chain still verifies, the link is unique and append-only") {
    TempDir dir;
    auto v6 = dir / "v6.db";
    {
        // Written by this tb, then taken back to version 6 (the column stays:
        // SQLite cannot drop a column that references a table).
        Store s(v6, OpenMode::read_write, 5000);
        for (auto id : {"M0001", "M0002"}) {
            Member m;
            m.id = id;
            m.name = id;
            m.joined = *tb::parse_iso_date("2025-01-01");
            tb::store::insert_member(s, m);
        }
        ExchangeDraft x;
        x.date = *tb::parse_iso_date("2025-01-10");
        x.provider = "M0001";
        x.recipient = "M0002";
        x.minutes = 60;
        x.note = "hedge";
        tb::store::append_exchange(s, x, "test");
        x.minutes = 30;
        tb::store::append_exchange(s, x, "test");
        s.db().exec(R"(DROP INDEX exchange_amends; DROP TRIGGER exchange_append_only_update;
CREATE TRIGGER exchange_append_only_update
BEFORE UPDATE OF number, date, provider, recipient, minutes, category, ref, reverses,
                 recorded_at, recorded_by, note_digest, hash ON exchange
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
PRAGMA user_version = 6;)");
    }
    REQUIRE(user_version(v6) == 6);
    Store s(v6, OpenMode::existing_write, 5000);
    auto& db = s.db();
    CHECK(s.schema_version() == tb::store::kSchemaVersion);
    REQUIRE(fs::exists(v6 + ".v6.bak"));
    CHECK(user_version(v6 + ".v6.bak") == 6);
    CHECK(db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'exchange_amends'").getInt() == 1);
    CHECK(tb::store::check_store(s).empty());

    // A correction of exchange 1: its void and the new exchange.
    tb::store::LedgerAppender a(s, "test");
    ExchangeDraft v;
    v.date = *tb::parse_iso_date("2025-01-10");
    v.provider = "M0002";
    v.recipient = "M0001";
    v.minutes = 60;
    v.reverses = 1;
    a.append(v);
    ExchangeDraft c;
    c.date = v.date;
    c.provider = "M0001";
    c.recipient = "M0002";
    c.minutes = 90;
    c.amends = 1;
    auto corrected = a.append(c);
    a.flush();
    CHECK(corrected.number == 4);
    CHECK(tb::store::check_store(s).empty());
    auto e1 = tb::store::find_exchange(s, 1);
    REQUIRE(e1);
    CHECK(e1->amended_by == std::optional<std::int64_t>(4));
    CHECK(e1->voided_by == std::optional<std::int64_t>(3));
    auto e4 = tb::store::find_exchange(s, 4);
    REQUIRE(e4);
    CHECK(e4->amends == std::optional<std::int64_t>(1));
    CHECK_FALSE(e4->amended_by);
    // Changing or removing the link is refused; a second correction of 1 too.
    CHECK_THROWS(db.exec("UPDATE exchange SET amends = NULL WHERE number = 4"));
    CHECK_THROWS(db.exec("UPDATE exchange SET amends = 2 WHERE number = 4"));
    c.minutes = 15;
    CHECK_THROWS(tb::store::append_exchange(s, c, "test"));
}

TEST_CASE("the chain text of an exchange gains `amends` only when it is set") {
    tb::Exchange e;
    e.number = 7;
    e.date = *tb::parse_iso_date("2026-01-02");
    e.provider = "A";
    e.recipient = "B";
    e.minutes = 60;
    e.recorded_at = "2026-01-02T00:00:00Z";
    e.recorded_by = "x";
    auto plain = tb::store::exchange_chain_text(e, "d", "p");
    // The text rows have always had (tb check recomputes it for old stores).
    CHECK(plain == "exchange\x1fp\x1f" "7\x1f" "2026-01-02\x1f" "A\x1f" "B\x1f" "60\x1f\x1f\x1f\x1f"
                   "2026-01-02T00:00:00Z\x1fx\x1f" "d");
    e.amends = 3;
    CHECK(tb::store::exchange_chain_text(e, "d", "p") == plain + "\x1f" "amends=3");
}

TEST_CASE("a version 6 store learns how its closed requests were closed") {
    TempDir dir;
    auto path = dir / "v6.db";
    {
        // Written by this tb, then taken back to version 6: version 7 only added two columns.
        Store s(path, OpenMode::read_write, 5000);
        for (auto id : {"M0001", "M0002"}) {
            Member m;
            m.id = id;
            m.name = id;
            m.joined = *tb::parse_iso_date("2025-01-01");
            tb::store::insert_member(s, m);
        }
        ExchangeDraft x;
        x.date = *tb::parse_iso_date("2025-01-10");
        x.provider = "M0001";
        x.recipient = "M0002";
        x.minutes = 60;
        x.category = "Gardening";
        auto n = tb::store::append_exchange(s, x, "test").number;
        s.db().exec("INSERT INTO request (member, category, text, status, exchange, created_at, closed_at, recorded_by) "
                    "VALUES ('M0002', 'Gardening', 'a', 'closed', " + std::to_string(n) +
                    ", '2025-01-05T09:00:00Z', '2025-01-11T09:00:00Z', 't'), "
                    "('M0002', 'Gardening', 'b', 'closed', NULL, '2025-01-05T09:00:00Z', '2025-01-11T09:00:00Z', 't'), "
                    "('M0002', 'Gardening', 'c', 'open', NULL, '2025-01-05T09:00:00Z', NULL, 't')");
        s.db().exec("ALTER TABLE request DROP COLUMN outcome; ALTER TABLE request DROP COLUMN close_reason; "
                    "PRAGMA user_version = 6");
    }
    REQUIRE(user_version(path) == 6);
    {
        Store s(path, OpenMode::read_only, 5000);
        CHECK(s.schema_version() == tb::store::kSchemaVersion);
        std::string got;
        SQLite::Statement q(s.db(), "SELECT text, status, coalesce(outcome, '-'), coalesce(close_reason, '-') "
                                    "FROM request ORDER BY number");
        while (q.executeStep())
            for (int i = 0; i < 4; ++i) got += q.getColumn(i).getString() + (i == 3 ? "\n" : "|");
        // Closed with an exchange: met. Closed without: how is not known.
        CHECK(got == "a|closed|met|-\nb|closed|-|-\nc|open|-|-\n");
        CHECK(tb::store::check_store(s).empty());
    }
    CHECK(user_version(path + ".v6.bak") == 6);
}

TEST_CASE("a version 9 store gets the daily totals of its ledger when migrated, and only those are written") {
    TempDir dir;
    auto v9 = dir / "v9-original.db";
    std::string days, months;
    auto day_rows = [](SQLite::Database& db) {
        std::string out;
        SQLite::Statement q(db, "SELECT day, exchanges, minutes FROM trade_day ORDER BY day");
        while (q.executeStep())
            for (int i = 0; i < 3; ++i) out += q.getColumn(i).getString() + (i == 2 ? "\n" : "|");
        return out;
    };
    {
        Store s(v9, OpenMode::read_write, 5000);
        add_members(s, {{"M0001", MemberKind::person}, {"M0002", MemberKind::person}});
        trade(s, "2024-12-31", "M0001", "M0002", 60);
        auto n = trade(s, "2024-12-31", "M0002", "M0001", 30);
        trade(s, "2025-01-02", "M0001", "M0002", 45);
        trade(s, "2025-12-30", "M0001", "M0002", 30, n);  // voided a year later
        auto m = trade(s, "2025-02-03", "M0002", "M0001", 15);
        trade(s, "2025-02-03", "M0001", "M0002", 15, m);  // the day left empty
        days = day_rows(s.db());
        CHECK(days == "2024-12-31|1|60\n2025-01-02|1|45\n");
        months = rollup_rows(s.db());
        s.db().exec("DROP TABLE trade_day; PRAGMA user_version = 9");
    }
    auto path = dir / "v9.db";
    migrate_both_ways(
        v9, path, 9,
        [&](Store& s) {
            CHECK(day_rows(s.db()) == days);
            CHECK(rollup_rows(s.db()) == months);
            CHECK(tb::store::check_store(s).empty());
        },
        [&](SQLite::Database& b) {
            CHECK_FALSE(has_table(b, "trade_day"));
        });
    // Monthly totals behind the ledger are rebuilt with the daily ones.
    migrate_behind(v9, path, 9, [&](Store& s) {
        CHECK(day_rows(s.db()) == days);
        CHECK(rollup_rows(s.db()) == months);
        CHECK(tb::store::check_store(s).empty());
    });
}

TEST_CASE("a version 10 store gets member_year and member.last_trade from its ledger when migrated") {
    TempDir dir;
    auto v10 = dir / "v10-original.db";
    auto kept = [](SQLite::Database& db) {
        std::string out;
        SQLite::Statement y(db, "SELECT year, member, trades FROM member_year ORDER BY 1, 2");
        while (y.executeStep())
            for (int i = 0; i < 3; ++i) out += y.getColumn(i).getString() + (i == 2 ? "\n" : "|");
        SQLite::Statement m(db, "SELECT id, coalesce(last_trade, 'none') FROM member ORDER BY id");
        while (m.executeStep()) {
            out += m.getColumn(0).getString();
            out += '|';
            out += m.getColumn(1).getString();
            out += '\n';
        }
        return out;
    };
    std::string expected, months;
    {
        Store s(v10, OpenMode::read_write, 5000);
        add_members(s, {{"M0001", MemberKind::person}, {"M0002", MemberKind::person}, {"M0003", MemberKind::person}});
        trade(s, "2024-12-31", "M0001", "M0002", 60);
        auto n = trade(s, "2025-01-02", "M0002", "M0001", 30);
        trade(s, "2025-03-01", "M0003", "M0001", 45);
        trade(s, "2026-01-05", "M0001", "M0002", 30, n);  // voided a year later: M0002's latest gone
        auto m = trade(s, "2025-02-03", "M0003", "M0002", 15);
        trade(s, "2025-02-03", "M0002", "M0003", 15, m);
        expected = kept(s.db());
        CHECK(expected == "2024|M0001|1\n2024|M0002|1\n2025|M0001|1\n2025|M0003|1\n"
                          "M0001|2025-03-01\nM0002|2024-12-31\nM0003|2025-03-01\npot|none\n");
        months = rollup_rows(s.db());
        s.db().exec("DROP TABLE member_year; ALTER TABLE member DROP COLUMN last_trade; PRAGMA user_version = 10");
    }
    auto path = dir / "v10.db";
    migrate_both_ways(
        v10, path, 10,
        [&](Store& s) {
            CHECK(kept(s.db()) == expected);
            CHECK(rollup_rows(s.db()) == months);
            CHECK(tb::store::check_store(s).empty());
        },
        [&](SQLite::Database& b) {
            CHECK_FALSE(has_table(b, "member_year"));
        });
    // Monthly totals behind the ledger are rebuilt with the new ones.
    migrate_behind(v10, path, 10, [&](Store& s) {
        CHECK(kept(s.db()) == expected);
        CHECK(rollup_rows(s.db()) == months);
        CHECK(tb::store::check_store(s).empty());
    });
}

TEST_CASE("a version 10 store gets the yearly totals per pair of its ledger when migrated") {
    TempDir dir;
    auto v10 = dir / "v10-original.db";
    std::string pairs;
    auto pair_rows = [](SQLite::Database& db) {
        std::string out;
        SQLite::Statement q(db, "SELECT year, lo.id, hi.id, exchanges_lh, minutes_lh, exchanges_hl, minutes_hl "
                                "FROM pair_year p JOIN member lo ON lo.num = p.low JOIN member hi ON hi.num = p.high "
                                "ORDER BY 1, 2, 3");
        while (q.executeStep())
            for (int i = 0; i < 7; ++i) out += q.getColumn(i).getString() + (i == 6 ? "\n" : "|");
        return out;
    };
    {
        Store s(v10, OpenMode::read_write, 5000);
        add_members(s, {{"M0001", MemberKind::person}, {"M0002", MemberKind::organisation},
                        {"M0003", MemberKind::person}});
        trade(s, "2024-12-31", "M0002", "M0001", 60);
        auto n = trade(s, "2024-12-31", "M0001", "M0002", 30);
        trade(s, "2025-01-02", "M0001", "M0002", 45);
        trade(s, "2025-03-01", "M0001", "M0002", 15);
        trade(s, "2025-12-30", "M0002", "M0001", 30, n);  // voided a year later
        trade(s, "2025-02-03", "M0003", "M0001", 15);
        trade(s, "2025-02-04", "M0001", "pot", 60);  // a donation
        pairs = pair_rows(s.db());
        CHECK(pairs == "2024|M0001|M0002|0|0|1|60\n2025|M0001|M0002|2|60|0|0\n2025|M0001|M0003|0|0|1|15\n");
        s.db().exec("DROP TABLE pair_year; PRAGMA user_version = 10");
    }
    auto path = dir / "v10.db";
    migrate_both_ways(
        v10, path, 10,
        [&](Store& s) {
            CHECK(pair_rows(s.db()) == pairs);
            CHECK(tb::store::check_store(s).empty());
        },
        [&](SQLite::Database& b) {
            CHECK_FALSE(has_table(b, "pair_year"));
        });
    // Filled from pair_month when it is current: a pair_month row edited
    // before the migration shows in pair_year.
    fs::remove(path + ".v10.bak");
    fs::copy_file(v10, path, fs::copy_options::overwrite_existing);
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("UPDATE pair_month SET minutes = 20 WHERE month = '2025-02'");
    }
    {
        Store s(path, OpenMode::read_write, 5000);
        CHECK(pair_rows(s.db()) == "2024|M0001|M0002|0|0|1|60\n2025|M0001|M0002|2|60|0|0\n2025|M0001|M0003|0|0|1|20\n");
    }
    // Totals behind the ledger: every table is rebuilt from the ledger.
    fs::remove(path + ".v10.bak");
    fs::copy_file(v10, path, fs::copy_options::overwrite_existing);
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("UPDATE meta SET value = '2' WHERE key = 'rollup_upto'; DELETE FROM pair_month");
    }
    Store s(path, OpenMode::read_write, 5000);
    CHECK(pair_rows(s.db()) == pairs);
    CHECK(tb::store::check_store(s).empty());
}

TEST_CASE("a version 11 store gets member numbers and pair_year by number when migrated") {
    TempDir dir;
    auto v11 = dir / "v11-original.db";
    // pair_year by the IDs its numbers name, each pair with its lower ID first.
    auto pairs = [](SQLite::Database& db) {
        std::string out;
        SQLite::Statement q(db, "SELECT year, lo.id, hi.id, exchanges_lh, minutes_lh, exchanges_hl, minutes_hl "
                                "FROM pair_year p JOIN member lo ON lo.num = p.low JOIN member hi ON hi.num = p.high "
                                "ORDER BY 1, min(lo.id, hi.id), max(lo.id, hi.id)");
        while (q.executeStep()) {
            bool swap = q.getColumn(1).getString() > q.getColumn(2).getString();
            int order[] = {0, swap ? 2 : 1, swap ? 1 : 2, swap ? 5 : 3, swap ? 6 : 4, swap ? 3 : 5, swap ? 4 : 6};
            for (int i = 0; i < 7; ++i) out += q.getColumn(order[i]).getString() + (i == 6 ? "\n" : "|");
        }
        return out;
    };
    auto numbers = [](SQLite::Database& db) {
        std::string out;
        SQLite::Statement m(db, "SELECT id, num FROM member ORDER BY num");
        while (m.executeStep()) out += m.getColumn(0).getString() + "=" + m.getColumn(1).getString() + "\n";
        return out;
    };
    std::string expected;
    {
        Store s(v11, OpenMode::read_write, 5000);
        // Added in an order other than by ID: numbers follow the order added.
        add_members(s, {{"M0003", MemberKind::person}, {"M0001", MemberKind::organisation},
                        {"M0002", MemberKind::person}});
        trade(s, "2024-12-31", "M0002", "M0001", 60);
        auto n = trade(s, "2024-12-31", "M0001", "M0003", 30);
        trade(s, "2025-01-02", "M0001", "M0003", 45);
        trade(s, "2025-12-30", "M0003", "M0001", 30, n);  // voided a year later
        trade(s, "2025-02-03", "M0003", "M0002", 15);
        CHECK(numbers(s.db()) == "pot=1\nM0003=2\nM0001=3\nM0002=4\n");
        expected = pairs(s.db());
        CHECK(expected == "2024|M0001|M0002|0|0|1|60\n2025|M0001|M0003|1|45|0|0\n2025|M0002|M0003|0|0|1|15\n");
        // As version 11 had it: no numbers, pair_year by ID (low, high in
        // byte order); a row of a side that is no member is dropped.
        s.db().exec("DROP INDEX member_num; ALTER TABLE member DROP COLUMN num; "
                    "DROP TABLE pair_year; CREATE TABLE pair_year (year INTEGER NOT NULL, low TEXT NOT NULL, "
                    "high TEXT NOT NULL, exchanges_lh INTEGER NOT NULL, minutes_lh INTEGER NOT NULL, "
                    "exchanges_hl INTEGER NOT NULL, minutes_hl INTEGER NOT NULL, PRIMARY KEY (year, low, high)) "
                    "WITHOUT ROWID; INSERT INTO pair_year VALUES (2024, 'M0001', 'M0002', 0, 0, 1, 60), "
                    "(2025, 'M0001', 'M0003', 1, 45, 0, 0), (2025, 'M0002', 'M0003', 0, 0, 1, 15), "
                    "(2025, 'M0002', 'ghost', 1, 15, 0, 0); PRAGMA user_version = 11");
    }
    auto path = dir / "v11.db";
    migrate_both_ways(
        v11, path, 11,
        [&](Store& s) {
            // Numbered in ID order, so that pair_year keeps its order.
            CHECK(numbers(s.db()) == "M0001=1\nM0002=2\nM0003=3\npot=4\n");
            CHECK(pairs(s.db()) == expected);
            CHECK_FALSE(has_table(s.db(), "pair_year_by_id"));
            CHECK(tb::store::check_store(s).empty());
        },
        [&](SQLite::Database& b) {
            CHECK(b.execAndGet("SELECT count(*) FROM pragma_table_info('member') WHERE name = 'num'").getInt() == 0);
        });
    // Converted, not rebuilt: a row edited before the migration shows after
    // it (tb check finds it), and members numbered against ID order (a store
    // made from a newer one) swap its sides and directions.
    fs::remove(path + ".v11.bak");
    fs::copy_file(v11, path, fs::copy_options::overwrite_existing);
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("UPDATE pair_year SET minutes_hl = 20 WHERE low = 'M0002' AND high = 'M0003'; "
                "ALTER TABLE member ADD COLUMN num INTEGER; UPDATE member SET num = 10 - rowid");
    }
    {
        Store s(path, OpenMode::read_write, 5000);
        CHECK(numbers(s.db()) == "M0002=6\nM0001=7\nM0003=8\npot=9\n");
        CHECK(pairs(s.db()) == "2024|M0001|M0002|0|0|1|60\n2025|M0001|M0003|1|45|0|0\n2025|M0002|M0003|0|0|1|20\n");
        CHECK(s.db().execAndGet("SELECT exchanges_lh || '/' || minutes_lh FROM pair_year WHERE low = 6 AND high = 7")
                  .getString() == "1/60");
        CHECK(tb::store::totals_differing(s) ==
              std::vector<std::string>{"yearly totals for 2025 (pair_year) do not match the ledger"});
    }
    // A member added after the migration gets the next number.
    Store s(path, OpenMode::read_write, 5000);
    add_members(s, {{"M0000", MemberKind::person}});
    CHECK(s.db().execAndGet("SELECT num FROM member WHERE id = 'M0000'").getInt() == 10);
}

TEST_CASE("a version 10 store gets the totals per group and the trades with organisations when migrated") {
    TempDir dir;
    auto v10 = dir / "v10-original.db";
    std::string groups, months;
    auto group_rows = [](SQLite::Database& db) {
        std::string out;
        SQLite::Statement q(db, "SELECT grouping, month, group_key, category, pair, exchanges, minutes "
                                "FROM group_month ORDER BY 1, 2, 3, 4, 5");
        while (q.executeStep())
            for (int i = 0; i < 7; ++i) out += q.getColumn(i).getString() + (i == 6 ? "\n" : "|");
        SQLite::Statement o(db, "SELECT month, member, trades FROM member_org_month ORDER BY 1, 2");
        while (o.executeStep())
            for (int i = 0; i < 3; ++i) out += o.getColumn(i).getString() + (i == 2 ? "\n" : "|");
        return out;
    };
    {
        Store s(v10, OpenMode::read_write, 5000);
        add_members(s, {{"M0001", MemberKind::person}, {"M0002", MemberKind::organisation}});
        s.db().exec("UPDATE member SET neighbourhood = 'Hyde Park', postcode = 'LS6 2AB' WHERE id = 'M0001'");
        s.db().exec("INSERT INTO member_tag (member, tag) VALUES ('M0001', 'carer'), ('M0002', 'Carer ')");
        trade(s, "2024-12-31", "M0001", "M0002", 60);
        auto n = trade(s, "2024-12-31", "M0002", "M0001", 30);
        trade(s, "2025-01-02", "M0001", "M0002", 45);
        trade(s, "2025-12-30", "M0001", "M0002", 30, n);  // voided a year later
        tb::store::rebuild_rollups(s);
        groups = group_rows(s.db());
        months = rollup_rows(s.db());
        s.db().exec("DROP TABLE group_month; DROP TABLE member_org_month; PRAGMA user_version = 10");
    }
    CHECK(groups == "neighbourhood|2024-12|\x01none|Gardening|1|1|60\n"
                    "neighbourhood|2024-12|hydepark|Gardening|1|1|60\n"
                    "neighbourhood|2025-01|\x01none|Gardening|1|1|45\n"
                    "neighbourhood|2025-01|hydepark|Gardening|1|1|45\n"
                    "postcode-district|2024-12|\x01none|Gardening|1|1|60\n"
                    "postcode-district|2024-12|ls6|Gardening|1|1|60\n"
                    "postcode-district|2025-01|\x01none|Gardening|1|1|45\n"
                    "postcode-district|2025-01|ls6|Gardening|1|1|45\n"
                    "tag|2024-12|carer|Gardening|1|1|60\n"
                    "tag|2025-01|carer|Gardening|1|1|45\n"
                    "2024-12|M0001|1\n"
                    "2025-01|M0001|1\n");
    auto path = dir / "v10.db";
    migrate_both_ways(
        v10, path, 10,
        [&](Store& s) {
            CHECK(group_rows(s.db()) == groups);
            CHECK(rollup_rows(s.db()) == months);
            CHECK(tb::store::check_store(s).empty());
        },
        [&](SQLite::Database& b) {
            CHECK_FALSE(has_table(b, "group_month"));
            CHECK_FALSE(has_table(b, "member_org_month"));
        });
}

TEST_CASE("a version 11 store gets the covering ledger indexes of a new store when migrated") {
    TempDir dir;
    auto v11 = dir / "v11-original.db";
    // Every index of the ledger as its SQL, in name order.
    auto indexes = [](SQLite::Database& db) {
        std::string out;
        SQLite::Statement q(db, "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'exchange' "
                                "AND sql IS NOT NULL ORDER BY name");
        while (q.executeStep()) out += q.getColumn(0).getString() + ": " + q.getColumn(1).getString() + "\n";
        return out;
    };
    std::string fresh, statement;
    auto lines = [](Store& s) {
        std::string out;
        tb::store::for_each_exchange_of_member(
            s, "M0001", std::nullopt, std::nullopt,
            [&](const tb::Exchange& e, std::string_view p, std::string_view r) {
                out += std::to_string(e.number) + " " + tb::to_string(e.date) + " " + std::string(p) + " " +
                       std::string(r) + " " + std::to_string(e.minutes) + "\n";
            });
        return out;
    };
    {
        Store s(v11, OpenMode::read_write, 5000);
        add_members(s, {{"M0001", MemberKind::person}, {"M0002", MemberKind::person}});
        trade(s, "2025-01-02", "M0001", "M0002", 60);
        auto n = trade(s, "2025-01-01", "M0002", "M0001", 30);
        trade(s, "2025-01-03", "M0001", "M0002", 30, n);
        fresh = indexes(s.db());
        statement = lines(s);
        s.db().exec(
            "DROP INDEX exchange_provider; DROP INDEX exchange_recipient;"
            " CREATE INDEX exchange_provider ON exchange (provider, date);"
            " CREATE INDEX exchange_recipient ON exchange (recipient, date); PRAGMA user_version = 11");
    }
    // A new store's: each member's side holds every column a statement shows.
    CHECK(fresh.find("exchange_provider: CREATE INDEX exchange_provider\n  ON exchange (provider, date, number, "
                     "recipient, minutes, category, note, reverses, amends)") != std::string::npos);
    CHECK(fresh.find("exchange_recipient: CREATE INDEX exchange_recipient\n  ON exchange (recipient, date, number, "
                     "provider, minutes, category, note, reverses, amends)") != std::string::npos);
    auto path = dir / "v11.db";
    migrate_both_ways(
        v11, path, 11,
        [&](Store& s) {
            CHECK(indexes(s.db()) == fresh);
            CHECK(lines(s) == statement);
            CHECK(tb::store::check_store(s).empty());
        },
        [&](SQLite::Database& b) {
            CHECK(indexes(b).find("ON exchange (provider, date)\n") != std::string::npos);
        });
}

TEST_CASE("a version 12 store gets the figures of member_year from its ledger when migrated") {
    TempDir dir;
    auto v12 = dir / "v12-original.db";
    auto kept = [](SQLite::Database& db) {
        std::string out;
        SQLite::Statement y(db, "SELECT * FROM member_year ORDER BY 1, 2");
        while (y.executeStep())
            for (int i = 0; i < 6; ++i) out += y.getColumn(i).getString() + (i == 5 ? "\n" : "|");
        return out;
    };
    // member_year's table and the member table's indexes (member_account is new).
    auto shape = [](SQLite::Database& db) {
        std::string out;
        SQLite::Statement q(db, "SELECT name, sql FROM sqlite_schema WHERE (name = 'member_year' OR (type = 'index' "
                                "AND tbl_name = 'member')) AND sql IS NOT NULL ORDER BY name");
        while (q.executeStep()) out += q.getColumn(0).getString() + ": " + q.getColumn(1).getString() + "\n";
        return out;
    };
    std::string expected, months, fresh;
    {
        Store s(v12, OpenMode::read_write, 5000);
        add_members(s, {{"M0001", MemberKind::person}, {"M0002", MemberKind::person}, {"M0003", MemberKind::person}});
        trade(s, "2024-12-31", "M0001", "M0002", 60);
        auto n = trade(s, "2025-01-02", "M0002", "M0001", 30);
        trade(s, "2025-03-01", "M0003", "M0001", 45);
        trade(s, "2025-03-02", "M0001", "M0003", 15);
        trade(s, "2026-01-05", "M0001", "M0002", 30, n);  // voided a year later
        trade(s, "2025-04-01", "M0002", "pot", 20);       // the pot's trades are not counted
        expected = kept(s.db());
        CHECK(expected == "2024|M0001|1|1|60|0\n2024|M0002|1|0|0|60\n2025|M0001|2|1|15|45\n2025|M0003|2|1|45|15\n");
        months = rollup_rows(s.db());
        fresh = shape(s.db());
        CHECK(fresh.find("member_account: CREATE INDEX member_account ON member (id) WHERE kind NOT IN") !=
              std::string::npos);
        s.db().exec("DROP INDEX member_account; CREATE TABLE v12_year AS SELECT year, member, trades FROM member_year; DROP TABLE member_year; "
                    "CREATE TABLE member_year (year INTEGER NOT NULL, member TEXT NOT NULL, trades INTEGER NOT NULL, "
                    "PRIMARY KEY (year, member)) WITHOUT ROWID; INSERT INTO member_year SELECT * FROM v12_year; "
                    "DROP TABLE v12_year; PRAGMA user_version = 12");
    }
    auto path = dir / "v12.db";
    migrate_both_ways(
        v12, path, 12,
        [&](Store& s) {
            CHECK(kept(s.db()) == expected);
            CHECK(shape(s.db()) == fresh);
            CHECK(rollup_rows(s.db()) == months);
            CHECK(tb::store::check_store(s).empty());
        },
        [&](SQLite::Database& b) {
            CHECK(b.execAndGet("SELECT count(*) FROM pragma_table_info('member_year')").getInt() == 3);
        });
    // Monthly totals behind the ledger: every table is made from the ledger.
    migrate_behind(v12, path, 12, [&](Store& s) {
        CHECK(kept(s.db()) == expected);
        CHECK(rollup_rows(s.db()) == months);
        CHECK(tb::store::check_store(s).empty());
    });
}
