// tb check (lib/tb/store/check.cpp): the foreign keys of the exchanges are
// checked from the chain's pass, and said in PRAGMA foreign_key_check's
// words, where the full check always said them (after the integrity lines,
// before the chains').
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "tb/store/check.hpp"

using namespace tb;

namespace {

void bank(tb::test::ReportBank& b) {
    b.member("ann", "Ann Lee");
    b.member("bob", "Bob Marsh");
    b.trade("2026-01-05", "ann", "bob", 60, "Gardening");
    b.trade("2026-02-06", "bob", "ann", 30, "Gardening");
}

// An exchange row written behind tb's back, foreign keys off; `provider`
// is SQL (a literal or an expression).
void insert_raw(store::Store& s, std::int64_t number, const std::string& provider) {
    s.db().exec("PRAGMA foreign_keys = OFF");
    s.db().exec("INSERT INTO exchange (number, date, provider, recipient, minutes, recorded_at, recorded_by, "
                "fingerprint, note_digest, hash) VALUES (" +
                std::to_string(number) + ", '2026-03-01', " + provider +
                ", 'bob', 30, 'now', 'test', 'f', 'd', 'h')");
}

std::vector<std::string> pragma_foreign_keys(store::Store& s) {
    std::vector<std::string> out;
    SQLite::Statement q(s.db(), "PRAGMA foreign_key_check");
    while (q.executeStep())
        out.push_back("foreign key: " + q.getColumn(0).getString() + " row " + q.getColumn(1).getString() +
                      " points at a missing " + q.getColumn(2).getString());
    return out;
}

std::vector<std::string> foreign_key_lines(const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    for (auto& l : lines)
        if (l.rfind("foreign key: ", 0) == 0) out.push_back(l);
    return out;
}

}  // namespace

TEST_CASE("an exchange with a member who does not exist: said first, in the pragma's words") {
    tb::test::ReportBank b;
    bank(b);
    CHECK(store::check_store(b.store()).empty());
    insert_raw(b.store(), 3, "'zed'");
    auto lines = store::check_store(b.store());
    REQUIRE_FALSE(lines.empty());
    CHECK(lines.front() == "foreign key: exchange row 3 points at a missing member");
    CHECK(foreign_key_lines(lines) == pragma_foreign_keys(b.store()));
    // The chain, balances and totals have their say after it.
    CHECK(lines.size() > 1);
}

TEST_CASE("a member named by a value that is not text is looked up as SQLite looks it up") {
    tb::test::ReportBank b;
    bank(b);
    insert_raw(b.store(), 3, "CAST('ann' AS BLOB)");
    auto expected = pragma_foreign_keys(b.store());
    CHECK(expected == std::vector<std::string>{"foreign key: exchange row 3 points at a missing member"});
    CHECK(foreign_key_lines(store::check_store(b.store())) == expected);
}

TEST_CASE("foreign keys of other tables and of voids are still checked") {
    tb::test::ReportBank b;
    bank(b);
    b.store().db().exec("PRAGMA foreign_keys = OFF");
    b.store().db().exec("INSERT INTO member_tag (member, tag) VALUES ('nobody', 'carer')");
    CHECK(foreign_key_lines(store::check_store(b.store())) == pragma_foreign_keys(b.store()));
    CHECK_FALSE(pragma_foreign_keys(b.store()).empty());
}
