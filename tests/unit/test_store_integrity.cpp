// tb check's SQLite integrity check (lib/tb/store/integrity.cpp): quick_check
// plus per-index sums, and SQLite's own integrity_check for its words when
// anything differs.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "tb/store/integrity.hpp"

using namespace tb;

namespace {

// Rows in every index of the exchanges but the refs' (tests add those).
void bank(tb::test::ReportBank& b) {
    for (const char* id : {"ann", "bob", "cafe"}) b.member(id, std::string("Member ") + id);
    auto first = b.trade("2026-01-05", "ann", "bob", 60, "Gardening");
    b.trade("2026-02-06", "ann", "cafe", 30, "Transport");
    b.trade("2026-02-07", "bob", "cafe", 45, "Gardening");
    b.void_exchange(first, "2026-02-08");
}

// An exchange row written straight into the table (no chain, no totals).
void insert_raw(SQLite::Database& db, std::int64_t number, const std::string& ref) {
    SQLite::Statement q(db,
                        "INSERT INTO exchange (number, date, provider, recipient, minutes, ref, recorded_at, "
                        "recorded_by, fingerprint, note_digest, hash) "
                        "VALUES (?, '2026-03-01', 'ann', 'bob', 30, ?, 'now', 'test', 'f', 'd', 'h')");
    q.bind(1, static_cast<int64_t>(number));
    q.bind(2, ref);
    q.exec();
}

std::vector<std::string> pragma_integrity_check(store::Store& s) {
    std::vector<std::string> out;
    SQLite::Statement q(s.db(), "PRAGMA integrity_check");
    while (q.executeStep())
        if (q.getColumn(0).getString() != "ok") out.push_back(q.getColumn(0).getString());
    return out;
}

// Rewrites an index's definition behind SQLite's back, so that its entries
// no longer are what its table gives; a new connection reads the new schema.
void redefine(tb::test::ReportBank& b, const std::string& index, const std::string& sql) {
    auto& db = b.store().db();
    db.exec("PRAGMA writable_schema = ON");
    SQLite::Statement q(db, "UPDATE sqlite_schema SET sql = ? WHERE name = ?");
    q.bind(1, sql);
    q.bind(2, index);
    REQUIRE(q.exec() == 1);
    db.exec("PRAGMA writable_schema = OFF");
}

}  // namespace

TEST_CASE("a sound store: every index holds its table's rows, nothing to say") {
    tb::test::ReportBank b;
    bank(b);
    insert_raw(b.store().db(), 10, "R1");
    CHECK(store::indexes_match_tables(b.store()));
    CHECK(store::integrity_problems(b.store()).empty());
}

TEST_CASE("an index whose entries are not its table's rows is found, in integrity_check's words") {
    tb::test::ReportBank b;
    bank(b);
    redefine(b, "exchange_date", "CREATE INDEX exchange_date ON exchange (category)");
    store::Store again(b.path(), store::OpenMode::read_only, 1000);
    CHECK_FALSE(store::indexes_match_tables(again));
    auto problems = store::integrity_problems(again);
    CHECK_FALSE(problems.empty());
    CHECK(problems == pragma_integrity_check(again));
    CHECK(problems.front().find("exchange_date") != std::string::npos);
}

TEST_CASE("two rows under one key of a unique index are found") {
    tb::test::ReportBank b;
    bank(b);
    // Written while the index is not unique, then declared unique again.
    redefine(b, "exchange_ref", "CREATE INDEX exchange_ref ON exchange (ref) WHERE ref IS NOT NULL");
    {
        store::Store w(b.path(), store::OpenMode::read_write, 1000);
        insert_raw(w.db(), 10, "same");
        insert_raw(w.db(), 11, "same");
    }
    redefine(b, "exchange_ref", "CREATE UNIQUE INDEX exchange_ref ON exchange (ref) WHERE ref IS NOT NULL");
    store::Store again(b.path(), store::OpenMode::read_only, 1000);
    CHECK_FALSE(store::indexes_match_tables(again));
    auto problems = store::integrity_problems(again);
    CHECK(problems == pragma_integrity_check(again));
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().find("non-unique entry in index exchange_ref") != std::string::npos);
}

TEST_CASE("an index on an expression is checked by SQLite table by table") {
    tb::test::ReportBank b;
    bank(b);
    b.store().db().exec("UPDATE member SET email = 'Ann@Example.org' WHERE id = 'ann'");
    CHECK(store::indexes_match_tables(b.store()));
    redefine(b, "member_email", "CREATE UNIQUE INDEX member_email ON member (upper(email)) "
                                "WHERE email IS NOT NULL AND email <> ''");
    store::Store again(b.path(), store::OpenMode::read_only, 1000);
    CHECK_FALSE(store::indexes_match_tables(again));
    CHECK(store::integrity_problems(again) == pragma_integrity_check(again));
    CHECK_FALSE(store::integrity_problems(again).empty());
}
