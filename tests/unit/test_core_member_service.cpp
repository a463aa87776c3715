// The member services: each change in one transaction with its audit rows,
// and the rules they keep (forgotten members, self-blocks, unknown skills).
#include <doctest/doctest.h>

#include <SQLiteCpp/Statement.h>
#include <functional>
#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "thrown.hpp"
#include "tb/core/member_service.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/util/error.hpp"

using namespace tb;
using tb::test::ReportBank;
using tb::test::thrown;

namespace {

// "who|command|target|fields" of every audit row, oldest first.
std::vector<std::string> audit_rows(ReportBank& b) {
    SQLite::Statement q(b.store().db(), "SELECT who, command, target, fields FROM audit ORDER BY id");
    std::vector<std::string> out;
    while (q.executeStep())
        out.push_back(q.getColumn(0).getString() + "|" + q.getColumn(1).getString() + "|" +
                      q.getColumn(2).getString() + "|" + q.getColumn(3).getString());
    return out;
}

std::int64_t count(ReportBank& b, const std::string& sql) {
    SQLite::Statement q(b.store().db(), sql);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

Member member(ReportBank& b, const std::string& id) { return *store::find_member(b.store(), id); }

void bank(ReportBank& b) {
    b.member("M0001", "Ann Lee");
    b.member("M0002", "Bob Marsh");
    b.member("M0003", "Cy Dunn");
}

void forget_cy(ReportBank& b) { forget_member(b.store(), "M0003", "asked to be forgotten", "tester"); }

}  // namespace

TEST_CASE("refuse_forgotten: Rejected for a forgotten member only, with the reason appended") {
    Member m;
    m.id = "M0009";
    CHECK(thrown([&] { refuse_forgotten(m); }).code == ExitCode::ok);
    m.status = MemberStatus::inactive;
    CHECK(thrown([&] { refuse_forgotten(m); }).code == ExitCode::ok);
    m.status = MemberStatus::forgotten;
    auto t = thrown([&] { refuse_forgotten(m); });
    CHECK(t.code == ExitCode::rejected);
    CHECK(t.message == "member M0009 has been forgotten");
    CHECK(thrown([&] { refuse_forgotten(m, "that cannot be undone"); }).message ==
          "member M0009 has been forgotten; that cannot be undone");
}

TEST_CASE("edit: --set assignments then fields, saved with the names changed in the audit") {
    ReportBank b;
    bank(b);
    MemberEdit e;
    e.assignments = {"email=ann@example.org", "neighborhood=Riverside"};
    e.fields = {{"name", "Ann Lee-Hart"}, {"tags", "carer;ward-3"}, {"min_balance", "-5"}};
    edit_member(b.store(), "Ann Lee", e, test::d("2026-11-27"), "tester");
    auto m = member(b, "M0001");
    CHECK(m.name == "Ann Lee-Hart");
    CHECK(m.email == "ann@example.org");
    CHECK(m.neighbourhood == "Riverside");
    CHECK(m.tags == std::vector<std::string>{"carer", "ward-3"});
    CHECK(m.min_limit.mode == BalanceLimit::Mode::value);
    CHECK(m.min_limit.value == -300);
    CHECK(audit_rows(b) == std::vector<std::string>{
                               "tester|tb-member edit|M0001|email,neighbourhood,name,tags,min_balance"});
}

TEST_CASE("edit: refused without a change, a FIELD=VALUE, a valid value, or for a forgotten member") {
    ReportBank b;
    bank(b);
    auto today = test::d("2026-11-27");
    auto edit = [&](const std::string& key, MemberEdit e) {
        return thrown([&] { edit_member(b.store(), key, e, today, "tester"); });
    };
    CHECK(edit("M0001", {}).code == ExitCode::usage);
    auto t = edit("M0001", {{"email"}, {}});
    CHECK(t.code == ExitCode::usage);
    CHECK(t.message == "--set 'email': expected FIELD=VALUE");
    CHECK(edit("M0001", {{"colour=red"}, {}}).code == ExitCode::usage);
    CHECK(edit("M0001", {{"email=not-an-address"}, {}}).code == ExitCode::rejected);
    CHECK(edit("M0001", {{}, {{"name", " "}}}).code == ExitCode::rejected);
    CHECK(edit("M9999", {{"note=x"}, {}}).code == ExitCode::not_found);
    // An email another member has is refused.
    edit_member(b.store(), "M0002", {{"email=bob@example.org"}, {}}, today, "tester");
    CHECK(edit("M0001", {{"email=BOB@example.org"}, {}}).code == ExitCode::rejected);
    forget_cy(b);
    t = edit("M0003", {{"note=x"}, {}});
    CHECK(t.code == ExitCode::rejected);
    CHECK(t.message == "member M0003 has been forgotten");
    // Nothing refused was written.
    CHECK(member(b, "M0001").email.empty());
    CHECK(count(b, "SELECT count(*) FROM audit WHERE command = 'tb-member edit'") == 1);
}

TEST_CASE("deactivate and reactivate: status, reason, audit; unchanged when already so") {
    ReportBank b;
    bank(b);
    auto r = deactivate_member(b.store(), "Bob Marsh", "moved away", "tester");
    CHECK(r.id == "M0002");
    CHECK(r.changed);
    auto m = member(b, "M0002");
    CHECK(m.status == MemberStatus::inactive);
    CHECK(m.status_reason == "moved away");
    CHECK_FALSE(deactivate_member(b.store(), "M0002", "again", "tester").changed);
    CHECK(member(b, "M0002").status_reason == "moved away");

    r = reactivate_member(b.store(), "M0002", "tester");
    CHECK(r.changed);
    m = member(b, "M0002");
    CHECK(m.status == MemberStatus::active);
    CHECK(m.status_reason.empty());
    CHECK_FALSE(reactivate_member(b.store(), "M0002", "tester").changed);
    CHECK(audit_rows(b) == std::vector<std::string>{"tester|tb-member deactivate|M0002|status,status_reason",
                                                    "tester|tb-member reactivate|M0002|status"});
}

TEST_CASE("deactivate and reactivate: never of a forgotten member") {
    ReportBank b;
    bank(b);
    forget_cy(b);
    auto t = thrown([&] { deactivate_member(b.store(), "M0003", "", "tester"); });
    CHECK(t.code == ExitCode::rejected);
    CHECK(t.message == "member M0003 has been forgotten");
    t = thrown([&] { reactivate_member(b.store(), "M0003", "tester"); });
    CHECK(t.code == ExitCode::rejected);
    CHECK(t.message == "member M0003 has been forgotten; that cannot be undone");
    CHECK(member(b, "M0003").status == MemberStatus::forgotten);
    CHECK(thrown([&] { deactivate_member(b.store(), "nobody", "", "tester"); }).code == ExitCode::not_found);
}

TEST_CASE("skills: added from ;-lists, removed, audited by side") {
    ReportBank b;
    bank(b);
    add_skills(b.store(), "M0001", "offers", {"gardening; dog walking", "ironing"}, "tester");
    add_skills(b.store(), "M0001", "wants", {"lifts"}, "tester");
    auto m = member(b, "M0001");
    CHECK(m.offers == std::vector<std::string>{"gardening", "dog walking", "ironing"});  // as added
    CHECK(m.wants == std::vector<std::string>{"lifts"});
    remove_skills(b.store(), "M0001", "offers", {"gardening;ironing"}, "tester");
    CHECK(member(b, "M0001").offers == std::vector<std::string>{"dog walking"});
    CHECK(audit_rows(b) == std::vector<std::string>{"tester|tb-member skill add|M0001|offers",
                                                    "tester|tb-member skill add|M0001|wants",
                                                    "tester|tb-member skill remove|M0001|offers"});
}

TEST_CASE("skills: removing one the member lacks is NotFound and removes none") {
    ReportBank b;
    bank(b);
    add_skills(b.store(), "M0001", "offers", {"gardening;ironing"}, "tester");
    auto t = thrown([&] { remove_skills(b.store(), "M0001", "offers", {"ironing;plumbing"}, "tester"); });
    CHECK(t.code == ExitCode::not_found);
    CHECK(t.message == "M0001 has no skill 'plumbing' in offers");
    // In wants, not offers: not there either.
    CHECK(thrown([&] { remove_skills(b.store(), "M0001", "wants", {"gardening"}, "tester"); }).code ==
          ExitCode::not_found);
    CHECK(member(b, "M0001").offers == std::vector<std::string>{"gardening", "ironing"});
    CHECK(count(b, "SELECT count(*) FROM audit WHERE command = 'tb-member skill remove'") == 0);
    CHECK(thrown([&] { add_skills(b.store(), "M0001", "both", {"x"}, "tester"); }).code == ExitCode::usage);
    forget_cy(b);
    CHECK(thrown([&] { add_skills(b.store(), "M0003", "offers", {"x"}, "tester"); }).code == ExitCode::rejected);
}

TEST_CASE("blocks: a pair once, both members audited; unblock; no self-block, no forgotten member") {
    ReportBank b;
    bank(b);
    auto r = block_members(b.store(), "M0002", "Ann Lee", "a concern", "tester");
    CHECK(r.a == "M0002");
    CHECK(r.b == "M0001");
    CHECK(r.changed);
    auto blocks = store::all_blocks(b.store());
    REQUIRE(blocks.size() == 1);
    CHECK(blocks[0].a == "M0001");  // stored ordered
    CHECK(blocks[0].b == "M0002");
    CHECK(blocks[0].reason == "a concern");
    // Already blocked, either way round: unchanged, nothing audited.
    CHECK_FALSE(block_members(b.store(), "M0001", "M0002", "again", "tester").changed);
    CHECK(store::all_blocks(b.store())[0].reason == "a concern");

    auto t = thrown([&] { block_members(b.store(), "M0001", "Ann Lee", "", "tester"); });
    CHECK(t.code == ExitCode::rejected);
    CHECK(t.message == "a member cannot be blocked from themselves");
    CHECK(thrown([&] { unblock_members(b.store(), "M0001", "M0001", "tester"); }).code == ExitCode::rejected);
    t = thrown([&] { unblock_members(b.store(), "M0001", "M0003", "tester"); });
    CHECK(t.code == ExitCode::not_found);
    CHECK(t.message == "M0001 and M0003 are not blocked");
    CHECK(thrown([&] { block_members(b.store(), "M0001", "M0404", "", "tester"); }).code == ExitCode::not_found);

    CHECK(unblock_members(b.store(), "M0001", "M0002", "tester").changed);
    CHECK(store::all_blocks(b.store()).empty());
    CHECK(audit_rows(b) == std::vector<std::string>{
                               "tester|tb-member block|M0002|block", "tester|tb-member block|M0001|block",
                               "tester|tb-member unblock|M0001|block", "tester|tb-member unblock|M0002|block"});

    forget_cy(b);
    t = thrown([&] { block_members(b.store(), "M0001", "M0003", "", "tester"); });
    CHECK(t.code == ExitCode::rejected);
    CHECK(t.message == "member M0003 has been forgotten");
    CHECK(store::all_blocks(b.store()).empty());
}

TEST_CASE("forget: erases the personal data, keeps the ledger, audits the fields; once") {
    ReportBank b;
    bank(b);
    auto today = test::d("2026-11-27");
    edit_member(b.store(), "M0003",
                {{"email=cy@example.org", "phone=0123", "postcode=AB1 2CD", "note=likes cats"},
                 {{"offers", "gardening"}, {"tags", "carer"}}},
                today, "tester");
    store::set_check(b.store(), "M0003", "dbs", test::d("2027-01-31"));
    block_members(b.store(), "M0003", "M0001", "a concern", "tester");
    auto n = b.trade("2026-11-01", "M0003", "M0002", 90, "Gardening", "Cy dug Bob's plot");
    b.opening("M0003", 60, "2026-10-01");
    auto req = b.request("M0003", "Gardening", "Cy needs a hand");
    auto before = member(b, "M0003").balance;

    std::vector<std::string> asked;
    auto r = forget_member(b.store(), "Cy Dunn", "asked to be forgotten", "tester",
                           [&](const std::string& id) { asked.push_back(id); });
    CHECK(asked == std::vector<std::string>{"M0003"});
    CHECK(r.change.id == "M0003");
    CHECK(r.change.changed);
    CHECK(r.checkpointed);
    auto m = member(b, "M0003");
    CHECK(m.name == "forgotten-M0003");
    CHECK(m.status == MemberStatus::forgotten);
    CHECK(m.status_reason == "asked to be forgotten");
    CHECK(m.email.empty());
    CHECK(m.phone.empty());
    CHECK(m.postcode.empty());
    CHECK(m.note.empty());
    CHECK(m.offers.empty());
    CHECK(m.tags.empty());
    CHECK(m.checks.empty());
    CHECK(m.balance == before);
    CHECK(store::all_blocks(b.store()).empty());
    CHECK(store::find_exchange(b.store(), n)->note.empty());
    CHECK(count(b, "SELECT count(*) FROM opening WHERE member = 'M0003' AND note <> ''") == 0);
    CHECK(count(b, "SELECT count(*) FROM request WHERE number = " + std::to_string(req) + " AND text = ''") == 1);
    auto rows = audit_rows(b);
    REQUIRE_FALSE(rows.empty());
    CHECK(rows.back() ==
          "tester|tb-member forget|M0003|name,email,phone,postcode,neighbourhood,note,offers,wants,tags,checks,"
          "blocks,exchange notes,request texts");

    // Again: unchanged, not asked, nothing audited.
    r = forget_member(b.store(), "M0003", "again", "tester", [&](const std::string& id) { asked.push_back(id); });
    CHECK_FALSE(r.change.changed);
    CHECK(asked.size() == 1);
    CHECK(audit_rows(b).size() == rows.size());
    CHECK(member(b, "M0003").status_reason == "asked to be forgotten");
}

TEST_CASE("forget: a reason is needed, and a confirmation that throws writes nothing") {
    ReportBank b;
    bank(b);
    CHECK(thrown([&] { check_forget_reason("  "); }).code == ExitCode::usage);
    CHECK(thrown([&] { forget_member(b.store(), "M0001", " ", "tester"); }).code == ExitCode::usage);
    auto t = thrown([&] {
        forget_member(b.store(), "M0001", "asked", "tester",
                      [](const std::string&) { throw UsageError("not confirmed; nothing was changed"); });
    });
    CHECK(t.code == ExitCode::usage);
    CHECK(member(b, "M0001").name == "Ann Lee");
    CHECK(audit_rows(b).empty());
    CHECK(thrown([&] { forget_member(b.store(), "M0404", "asked", "tester"); }).code == ExitCode::not_found);
}

TEST_CASE("require_valid_member: Rejected naming every problem, nothing for a valid member") {
    Member m;
    m.name = "Ann Lee";
    CHECK(thrown([&] { require_valid_member(m); }).code == ExitCode::ok);
    m.name = " ";
    m.email = "ann";
    auto t = thrown([&] { require_valid_member(m); });
    CHECK(t.code == ExitCode::rejected);
    CHECK(t.message == "name: a member needs a name; email: 'ann' is not an email address");
}

TEST_CASE("checks_due: soonest first with the days left; --expiring, --expired, or either") {
    ReportBank b;
    bank(b);
    auto& s = b.store();
    store::set_check(s, "M0001", "dbs", test::d("2026-12-07"));             // 10 days left
    store::set_check(s, "M0002", "dbs", test::d("2026-11-20"));             // expired 7 days ago
    store::set_check(s, "M0003", "driving-licence", test::d("2027-06-01"));  // far off
    store::set_check(s, "M0001", "first-aid", test::d("2026-11-27"));       // expires today: not yet expired
    auto today = test::d("2026-11-27");
    auto rows = [&](std::optional<int> expiring, bool expired) {
        std::vector<std::string> out;
        for (auto& c : checks_due(s, today, expiring, expired))
            out.push_back(c.row.member + " " + c.row.check.name + " " + std::to_string(c.days_left) +
                          (c.expired ? " expired" : ""));
        return out;
    };
    CHECK(rows(std::nullopt, false) == std::vector<std::string>{"M0002 dbs -7 expired", "M0001 first-aid 0",
                                                                "M0001 dbs 10", "M0003 driving-licence 186"});
    CHECK(rows(10, false) == std::vector<std::string>{"M0001 first-aid 0", "M0001 dbs 10"});
    CHECK(rows(9, false) == std::vector<std::string>{"M0001 first-aid 0"});
    CHECK(rows(std::nullopt, true) == std::vector<std::string>{"M0002 dbs -7 expired"});
    CHECK(rows(0, true) == std::vector<std::string>{"M0002 dbs -7 expired", "M0001 first-aid 0"});
}
