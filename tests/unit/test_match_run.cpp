// tb-match run end to end on a scratch store: the plan, what a run records
// (and a dry run does not), and the call list read with it.
#include <doctest/doctest.h>

#include <string>
#include <tuple>
#include <vector>

#include "report_fixture.hpp"
#include "sql_rows.hpp"
#include "tb/match/run.hpp"
#include "tb/store/members.hpp"
#include "tb/store/requests.hpp"

using namespace tb;
using tb::test::d;
using tb::test::ReportBank;

namespace {

const Date kToday = d("2026-11-27");

Config run_config() {
    Config c;
    c.categories = {{"Gardening", {"gardening", "lawn mowing"}, {"garden", "grass"}, {}}};
    return c;
}

// Ann and Bob ask for help with the garden; Gil offers gardening (with a
// phone), Hal lawn mowing (without one).
void bank(ReportBank& b) {
    b.member("ann", "Ann Lee");
    b.member("bob", "Bob Marsh");
    for (auto [id, name, skill, phone] : {std::tuple{"gil", "Gil Oak", "gardening", "0113 496 0000"},
                                          std::tuple{"hal", "Hal Ash", "lawn mowing", ""}}) {
        b.member(id, name);
        auto m = *store::find_member(b.store(), id);
        m.offers = {skill};
        m.phone = phone;
        store::update_member(b.store(), m);
    }
    b.request("ann", "Gardening", "weeding the garden");
    b.request("bob", "Gardening", "mowing the lawn");
}

std::string rows(ReportBank& b, const std::string& sql) { return test::sql_rows(b.store().db(), sql); }

std::vector<std::string> assigned(const match::RunResult& r) {
    std::vector<std::string> out;
    for (auto& p : r.plan.proposals) out.push_back(std::to_string(p.request) + ":" + p.member);
    return out;
}

}  // namespace

TEST_CASE("a dry run plans and writes nothing") {
    ReportBank b;
    bank(b);
    auto c = run_config();
    auto r = match::run_matching(b.store(), c, kToday, {true, false, "coord"});
    CHECK(assigned(r) == std::vector<std::string>{"1:gil", "2:hal"});
    CHECK(r.run == 0);
    CHECK(r.contacts.empty());
    CHECK(rows(b, "SELECT count(*) FROM proposal") == "0");
    CHECK(rows(b, "SELECT count(*) FROM audit") == "0");
}

TEST_CASE("a run records its plan as proposals of one run, audited, and reads the call list with it") {
    ReportBank b;
    bank(b);
    auto c = run_config();
    auto r = match::run_matching(b.store(), c, kToday, {false, true, "coord"});
    CHECK(assigned(r) == std::vector<std::string>{"1:gil", "2:hal"});
    CHECK(r.run == 1);
    CHECK(rows(b, "SELECT run, request, member, status FROM proposal ORDER BY id") ==
          "1|1|gil|proposed\n1|2|hal|proposed");
    CHECK(rows(b, "SELECT who, command, target FROM audit ORDER BY id") ==
          "coord|tb-match run|request 1\ncoord|tb-match run|request 2");
    REQUIRE(r.contacts.size() == 4);
    CHECK(r.contacts["gil"].phone == "0113 496 0000");
    CHECK(r.contacts["hal"].phone.empty());
    CHECK(r.contacts["ann"].name == "Ann Lee");

    // The proposals are pending: the next run has nothing to assign and writes nothing.
    auto again = match::run_matching(b.store(), c, kToday, {false, false, "coord"});
    CHECK(again.plan.proposals.empty());
    CHECK(again.plan.skipped == std::vector<std::int64_t>{1, 2});
    CHECK(again.run == 0);
    CHECK(rows(b, "SELECT count(*) FROM proposal") == "2");
}
