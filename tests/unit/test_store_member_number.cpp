// Members' numbers (lib/tb/store/member_number.cpp): given once, the next
// after the highest, as tb adds a member; looked up by ID.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>

#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "tb/store/member_number.hpp"
#include "tb/store/members.hpp"

using namespace tb;

namespace {

std::int64_t num(tb::test::ReportBank& b, const char* id) {
    SQLite::Statement q(b.store().db(), "SELECT num FROM member WHERE id = ?");
    q.bind(1, id);
    REQUIRE(q.executeStep());
    return q.getColumn(0).getInt64();
}

}  // namespace

TEST_CASE("member numbers: the next after the highest, kept through edits") {
    tb::test::ReportBank b;
    tb::test::four_members(b);
    CHECK(num(b, "pot") == 1);
    CHECK(num(b, "ann") == 2);
    CHECK(num(b, "bob") == 3);
    CHECK(num(b, "home") == 4);
    CHECK(num(b, "cafe") == 5);
    // An edit, a status change and forgetting keep the number.
    b.set_status("bob", MemberStatus::inactive);
    b.sql("UPDATE member SET name = 'Robert Marsh', email = 'bob@example.org' WHERE id = 'bob'");
    CHECK(num(b, "bob") == 3);
    // After a number given by hand, the next is after it.
    b.sql("INSERT INTO member (id, name, joined, created_at, num) VALUES ('yan', 'Yan', '2026-01-01', '2026-01-01', 40)");
    b.member("dan", "Dan Ode");
    CHECK(num(b, "dan") == 41);
    // A row added outside tb has none until the members are numbered
    // (tb check --rebuild-totals), after the highest.
    b.sql("INSERT INTO member (id, name, joined, created_at) VALUES ('zed', 'Zed', '2026-01-01', '2026-01-01')");
    CHECK(b.store().db().execAndGet("SELECT num IS NULL FROM member WHERE id = 'zed'").getInt() == 1);
    store::number_members(b.store());
    CHECK(num(b, "zed") == 42);
    // Two members cannot share one.
    CHECK_THROWS(b.sql("UPDATE member SET num = 2 WHERE id = 'bob'"));
    // No trigger on member: it would have every insert journalled.
    CHECK(b.store().db().execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'member'")
              .getInt() == 0);
}

TEST_CASE("member numbers: looked up once by ID; 0 for no member or a member without one") {
    tb::test::ReportBank b;
    tb::test::four_members(b);
    store::MemberNumbers numbers(b.store());
    CHECK(numbers("home") == 4);
    CHECK(numbers("ann") == 2);
    // Looked up once: a number changed behind its back is not seen again.
    b.sql("UPDATE member SET num = 77 WHERE id = 'home'");
    CHECK(numbers("home") == 4);
    CHECK(store::MemberNumbers(b.store())("home") == 77);
    CHECK(numbers("nobody") == 0);
    b.sql("UPDATE member SET num = NULL WHERE id = 'cafe'");
    CHECK(numbers("cafe") == 0);
    // Numbering the members without one puts them after the highest.
    store::number_members(b.store());
    CHECK(num(b, "cafe") > 77);
    CHECK(num(b, "ann") == 2);
}

TEST_CASE("member numbers: a slot per ID in order of first sight, each member read once, slots ranked in ID order") {
    tb::test::ReportBank b;
    tb::test::four_members(b);
    store::MemberNumbers members(b.store());
    CHECK(members.slot("home") == 0);
    CHECK(members.slot("nobody") == 1);
    CHECK(members.slot("ann") == 2);
    CHECK(members.slot("home") == 0);
    CHECK(members.id(2) == "ann");
    CHECK(members.number(0) == 4);
    CHECK(members.organisation(0));
    CHECK_FALSE(members.organisation(2));
    // No member: no number, counted as a person.
    CHECK(members.number(1) == 0);
    CHECK_FALSE(members.organisation(1));
    // Read once: a change behind its back is not seen.
    b.sql("UPDATE member SET kind = 'person' WHERE id = 'home'");
    CHECK(members.organisation(members.slot("home")));
    // In ID order: ann, home, nobody; again after a slot is added.
    CHECK(members.ranks() == std::vector<std::uint32_t>{1, 2, 0});
    CHECK(members.slot("abe") == 3);
    CHECK(members.ranks() == std::vector<std::uint32_t>{2, 3, 1, 0});
}
