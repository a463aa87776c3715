// Requests for help and their proposals, through the service: the rules
// first, then the store and the audit log, all or nothing.
#include <doctest/doctest.h>

#include <sqlite3.h>
#include <functional>
#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "sql_rows.hpp"
#include "thrown.hpp"
#include "tb/core/policy.hpp"
#include "tb/core/request_service.hpp"
#include "tb/store/members.hpp"
#include "tb/store/requests.hpp"
#include "tb/util/error.hpp"

using namespace tb;
using tb::test::d;
using tb::test::ReportBank;

namespace {

const Date kToday = d("2026-11-27");

Config bank_config() {
    Config c;
    c.categories = {{"Gardening", {"lawn mowing"}, {"garden"}, {}},
                    {"Transport & lifts", {"lifts to appointments"}, {"car"}, {}}};
    return c;
}

// Ann and Bob active, Cy inactive, Di forgotten.
void members(ReportBank& b) {
    b.member("ann", "Ann Lee");
    b.member("bob", "Bob Marsh");
    b.member("cy", "Cy Twombly");
    b.member("di", "Di Fenn");
    b.set_status("cy", MemberStatus::inactive);
    store::forget_member(b.store(), "di");
}

std::string rows(ReportBank& b, const std::string& sql) { return test::sql_rows(b.store().db(), sql); }

std::string audit(ReportBank& b) { return rows(b, "SELECT who, command, target, fields FROM audit ORDER BY id"); }

RequestDraft draft(const std::string& member, const std::string& category = "Gardening",
                   const std::string& text = "the hedge") {
    RequestDraft r;
    r.member = member;
    r.category = category;
    r.text = text;
    r.who = "coord";
    return r;
}


std::int64_t add(ReportBank& b, const RequestDraft& r, const Config& c = bank_config()) {
    return add_request(b.store(), c, kToday, r).number;
}

}  // namespace

TEST_CASE("add: stores the request under the taxonomy's name, trimmed, and audits the field names") {
    ReportBank b;
    members(b);
    auto r = draft("bob marsh", "transport", "  a lift to the clinic ");
    r.minutes = 90;
    r.needed_by = d("2026-12-01");
    auto added = add_request(b.store(), bank_config(), kToday, r);
    CHECK(added.number == 1);
    CHECK(added.warnings.empty());
    CHECK(rows(b, "SELECT member, category, text, minutes, needed_by, status, recorded_by FROM request") ==
          "bob|Transport & lifts|a lift to the clinic|90|2026-12-01|open|coord");
    CHECK(add(b, draft("ann")) == 2);
    CHECK(audit(b) ==
          "coord|tb-match request add|request 1|member,category,text,minutes,needed_by\n"
          "coord|tb-match request add|request 2|member,category,text");
}

TEST_CASE("add: an unknown, inactive or forgotten member is refused and nothing is written") {
    ReportBank b;
    members(b);
    auto o = test::thrown([&] { add(b, draft("Bob Mash")); });
    CHECK(o.code == ExitCode::not_found);
    CHECK(o.message == "no member 'Bob Mash'; nearest: Bob Marsh (bob)");
    o = test::thrown([&] { add(b, draft("cy")); });
    CHECK(o.code == ExitCode::rejected);
    CHECK(o.message == "cy is inactive, not active");
    o = test::thrown([&] { add(b, draft("di")); });
    CHECK(o.code == ExitCode::rejected);
    CHECK(o.message == "di is forgotten, not active");
    CHECK(rows(b, "SELECT count(*) FROM request") == "0");
    CHECK(audit(b).empty());
}

TEST_CASE("add: a category outside the taxonomy is refused with the nearest names, or kept with a warning") {
    ReportBank b;
    members(b);
    auto o = test::thrown([&] { add(b, draft("ann", "Gardenign")); });
    CHECK(o.code == ExitCode::rejected);
    CHECK(o.message == "category 'Gardenign' is not in the taxonomy (did you mean 'Gardening'?); "
                       "the categories are listed by `tb config`");
    CHECK(rows(b, "SELECT count(*) FROM request") == "0");

    auto loose = bank_config();
    loose.strict_categories = false;
    auto added = add_request(b.store(), loose, kToday, draft("ann", "Plumbing"));
    REQUIRE(added.warnings.size() == 1);
    CHECK(added.warnings[0].find("category 'Plumbing' is not in the taxonomy") == 0);
    CHECK(rows(b, "SELECT category FROM request") == "Plumbing");
}

TEST_CASE("add: hours over the limit, a past needed-by, an empty text or category are refused first") {
    ReportBank b;
    members(b);
    auto c = bank_config();
    c.max_minutes_per_exchange = 8 * 60;
    auto r = draft("nobody");  // the values are judged before the member is looked up
    r.minutes = 8 * 60 + 1;
    auto o = test::thrown([&] { add(b, r, c); });
    CHECK(o.code == ExitCode::rejected);
    CHECK(o.message == "--hours 8.02 is more than the limit of 8.00 hours");
    r.minutes = 8 * 60;  // the limit itself is allowed
    CHECK(test::thrown([&] { add(b, r, c); }).code == ExitCode::not_found);

    r = draft("ann");
    r.needed_by = kToday - 1;
    o = test::thrown([&] { add(b, r); });
    CHECK(o.code == ExitCode::rejected);
    CHECK(o.message == "--needed-by 2026-11-26 is in the past");
    r.needed_by = kToday;
    CHECK(add(b, r) == 1);

    o = test::thrown([&] { add(b, draft("ann", "Gardening", "   ")); });
    CHECK(o.message == "--text is empty: say what is needed");
    o = test::thrown([&] { add(b, draft("ann", " ", "x")); });
    CHECK(o.message == "--category is empty");
    CHECK(rows(b, "SELECT count(*) FROM request") == "1");
}

TEST_CASE("the request rules of core/policy, on their own") {
    auto c = bank_config();
    Member m;
    m.id = "ann";
    CHECK(is_active(MemberStatus::active));
    CHECK_FALSE(is_active(MemberStatus::inactive));
    CHECK_FALSE(is_active(MemberStatus::forgotten));
    CHECK_FALSE(inactive_problem(m));
    m.status = MemberStatus::inactive;
    CHECK(inactive_problem(m) == std::optional<std::string>("ann is inactive, not active"));
    CHECK_FALSE(over_hours_limit(c.max_minutes_per_exchange, c));
    CHECK(over_hours_limit(c.max_minutes_per_exchange + 1, c));
    Request r;
    r.category = c.categories[0].name;  // copied: GCC 12 -Wrestrict misfires on a short literal here
    r.text = r.category;
    CHECK_FALSE(request_problem(r, c, kToday));
}

TEST_CASE("decline: marks the pending proposals declined (or one member's) and audits") {
    ReportBank b;
    members(b);
    auto n = add(b, draft("ann"));
    b.propose(n, "bob");
    b.member("eve", "Eve Moss");
    b.propose(n, "eve");
    CHECK(decline_proposals(b.store(), {n, std::string("Eve Moss"), "coord"}) == "request 1: 1 proposal declined");
    CHECK(rows(b, "SELECT member, status FROM proposal ORDER BY id") == "bob|proposed\neve|declined");
    auto o = test::thrown([&] { decline_proposals(b.store(), {n, std::string("eve"), "coord"}); });
    CHECK(o.code == ExitCode::rejected);
    CHECK(o.message == "request 1 has no pending proposal to eve");
    CHECK(decline_proposals(b.store(), {n, std::nullopt, "coord"}) == "request 1: 1 proposal declined");
    o = test::thrown([&] { decline_proposals(b.store(), {n, std::nullopt, "coord"}); });
    CHECK(o.message == "request 1 has no pending proposal");
    CHECK(audit(b) ==
          "coord|tb-match request add|request 1|member,category,text\n"
          "coord|tb-match request decline|request 1|proposal.status\n"
          "coord|tb-match request decline|request 1|proposal.status");
}

TEST_CASE("decline: an unknown request or member (4), a closed request (3), nothing written") {
    ReportBank b;
    members(b);
    auto n = add(b, draft("ann"));
    b.propose(n, "bob");
    auto o = test::thrown([&] { decline_proposals(b.store(), {99, std::nullopt, "coord"}); });
    CHECK(o.code == ExitCode::not_found);
    CHECK(o.message == "no request 99");
    o = test::thrown([&] { decline_proposals(b.store(), {n, std::string("nobody"), "coord"}); });
    CHECK(o.code == ExitCode::not_found);
    close_request(b.store(), {n, RequestOutcome::withdrawn, std::nullopt, "", "coord"});
    o = test::thrown([&] { decline_proposals(b.store(), {n, std::nullopt, "coord"}); });
    CHECK(o.code == ExitCode::rejected);
    CHECK(o.message == "request 1 is closed");
    CHECK(rows(b, "SELECT status FROM proposal") == "proposed");
    CHECK(rows(b, "SELECT count(*) FROM audit WHERE command = 'tb-match request decline'") == "0");
}

TEST_CASE("close: met by an exchange accepts its provider's proposal; a closed request stays closed") {
    ReportBank b;
    members(b);
    auto n = add(b, draft("ann"));
    b.propose(n, "bob");
    auto x = b.trade("2026-11-20", "bob", "ann", 60);
    CHECK(close_request(b.store(), {n, RequestOutcome::met, x, " done well ", "coord"}) == "request 1 closed: met");
    CHECK(rows(b, "SELECT status, outcome, exchange, close_reason FROM request") == "closed|met|1|done well");
    CHECK(rows(b, "SELECT status FROM proposal") == "accepted");
    CHECK(rows(b, "SELECT fields FROM audit WHERE command = 'tb-match request close'") ==
          "status,outcome,closed_at,exchange,close_reason,proposal.status");
    auto o = test::thrown([&] { close_request(b.store(), {n, RequestOutcome::withdrawn, std::nullopt, "", "coord"}); });
    CHECK(o.code == ExitCode::rejected);
    CHECK(o.message == "request 1 is already closed (met)");

    auto m = add(b, draft("ann"));
    auto other = b.trade("2026-11-21", "ann", "bob", 60);
    o = test::thrown([&] { close_request(b.store(), {m, RequestOutcome::met, other, "", "coord"}); });
    CHECK(o.message == "exchange 2 was received by bob, not by the requester ann");
    CHECK(rows(b, "SELECT status FROM request WHERE number = 2") == "open");
}

TEST_CASE("propose: a run's proposals share a new run number, each audited, in one transaction") {
    ReportBank b;
    members(b);
    auto n1 = add(b, draft("ann"));
    auto n2 = add(b, draft("bob"));
    b.member("eve", "Eve Moss");
    bool planned_inside = false;
    auto run = propose(b.store(), "coord", [&](store::Store& s) {
        planned_inside = &s == &b.store() && !sqlite3_get_autocommit(s.db().getHandle());
        return std::vector<ProposalDraft>{{n1, "eve", 1.25}, {n2, "ann", 0.5}};
    });
    CHECK(planned_inside);
    CHECK(run == 1);
    CHECK(rows(b, "SELECT run, request, member, score, status FROM proposal ORDER BY id") ==
          "1|1|eve|1.25|proposed\n1|2|ann|0.5|proposed");
    CHECK(rows(b, "SELECT command, target, fields FROM audit WHERE command = 'tb-match run'") ==
          "tb-match run|request 1|proposal.member,proposal.score\n"
          "tb-match run|request 2|proposal.member,proposal.score");
    CHECK(propose(b.store(), "coord", [](store::Store&) { return std::vector<ProposalDraft>{}; }) == 0);
    CHECK(propose(b.store(), "coord", [&](store::Store&) { return std::vector<ProposalDraft>{{n1, "bob", 1}}; }) ==
          2);
}

TEST_CASE("propose: a proposal to the requester, an inactive member or for a closed request writes nothing") {
    ReportBank b;
    members(b);
    auto n = add(b, draft("ann"));
    auto closed = add(b, draft("bob"));
    close_request(b.store(), {closed, RequestOutcome::withdrawn, std::nullopt, "", "coord"});
    auto try_plan = [&](std::vector<ProposalDraft> plan) {
        return test::thrown([&] { propose(b.store(), "coord", [&](store::Store&) { return plan; }); });
    };
    // The first proposal is good: the bad one after it must undo it too.
    auto o = try_plan({{n, "bob", 1}, {n, "ann", 1}});
    CHECK(o.code == ExitCode::rejected);
    CHECK(o.message == "ann asked for request 1: they cannot be proposed for it");
    o = try_plan({{n, "bob", 1}, {n, "cy", 1}});
    CHECK(o.message == "cy is inactive, not active");
    o = try_plan({{n, "bob", 1}, {n, "di", 1}});
    CHECK(o.message == "di is forgotten, not active");
    o = try_plan({{closed, "ann", 1}});
    CHECK(o.message == "request 2 is closed");
    o = try_plan({{99, "bob", 1}});
    CHECK(o.code == ExitCode::not_found);
    o = try_plan({{n, "nobody", 1}});
    CHECK(o.code == ExitCode::not_found);
    CHECK(rows(b, "SELECT count(*) FROM proposal") == "0");
    CHECK(rows(b, "SELECT count(*) FROM audit WHERE command = 'tb-match run'") == "0");
}
