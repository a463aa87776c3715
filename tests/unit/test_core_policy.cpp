// The ledger policy: each rule broken on its own, as an enum, with the name
// it is known by, the import field it blames and whether history waives it.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tb/core/policy.hpp"
#include "tb/util/date.hpp"

using namespace tb;

namespace {

Date day(const char* iso) { return *parse_iso_date(iso); }

Member person(const char* id) {
    Member m;
    m.id = id;
    m.name = id;
    return m;
}

ExchangeDraft draft(const char* date, Minutes minutes, const char* category = "") {
    ExchangeDraft d;
    d.date = day(date);
    d.provider = "ann";
    d.recipient = "bob";
    d.minutes = minutes;
    d.category = category;
    return d;
}

std::vector<Rule> rules_of(const std::vector<Violation>& v) {
    std::vector<Rule> out;
    for (auto& x : v) out.push_back(x.rule);
    return out;
}

}  // namespace

TEST_CASE("the rule table: each rule's name, blamed field and history waiver") {
    struct Row {
        Rule rule;
        const char* name;
        const char* blames;
        bool waived;
    };
    const Row expected[] = {
        {Rule::self, "self", "recipient", false},
        {Rule::inactive, "inactive", "member", true},
        {Rule::hours, "hours", "hours", false},
        {Rule::future, "future", "date", true},
        {Rule::backdate, "backdate", "date", true},
        {Rule::min_balance, "min_balance", "recipient", true},
        {Rule::max_balance, "max_balance", "provider", true},
        {Rule::category, "category", "category", false},
        {Rule::blocked, "blocked", "recipient", false},
    };
    for (auto& row : expected) {
        CAPTURE(row.name);
        CHECK(rule_info(row.rule).rule == row.rule);
        CHECK(rule_name(row.rule) == row.name);
        CHECK(rule_info(row.rule).blames == row.blames);
        CHECK(rule_info(row.rule).waived_for_history == row.waived);
    }
}

TEST_CASE("each rule broken alone gives its enum and its message") {
    Config c;
    c.max_balance = 10 * 60;
    LedgerPolicy policy(c, day("2026-11-27"));
    auto ann = person("ann"), bob = person("bob");

    CHECK(policy.check_exchange(draft("2026-11-20", 60), ann, bob).empty());

    auto self = policy.check_exchange(draft("2026-11-20", 60), ann, ann);
    REQUIRE(rules_of(self) == std::vector<Rule>{Rule::self});
    CHECK(self[0].message == "ann cannot exchange with themselves");
    CHECK_FALSE(self[0].overridable);

    auto left = bob;
    left.status = MemberStatus::inactive;
    auto inactive = policy.check_exchange(draft("2026-11-20", 60), ann, left);
    REQUIRE(rules_of(inactive) == std::vector<Rule>{Rule::inactive});
    CHECK(inactive[0].message == "bob is inactive, not active");

    auto zero = policy.check_exchange(draft("2026-11-20", 0), ann, bob);
    REQUIRE(rules_of(zero) == std::vector<Rule>{Rule::hours});
    CHECK(zero[0].message == "hours must be more than zero, not 0.00");
    CHECK(rules_of(policy.check_exchange(draft("2026-11-20", 25 * 60), ann, bob)) == std::vector<Rule>{Rule::hours});

    auto future = policy.check_exchange(draft("2026-11-28", 60), ann, bob);
    REQUIRE(rules_of(future) == std::vector<Rule>{Rule::future});
    CHECK(future[0].overridable);
    CHECK(rules_of(policy.check_exchange(draft("2024-01-01", 60), ann, bob)) == std::vector<Rule>{Rule::backdate});

    auto category = policy.check_exchange(draft("2026-11-20", 60, "Juggling"), ann, bob);
    REQUIRE(rules_of(category) == std::vector<Rule>{Rule::category});
    CHECK(category[0].message.find("category 'Juggling' is not in the taxonomy") == 0);

    auto blocked = policy.check_pair(draft("2026-11-20", 60), true);
    REQUIRE(rules_of(blocked) == std::vector<Rule>{Rule::blocked});
    CHECK(blocked[0].message == "ann and bob are a blocked pair (tb-member block list)");
    CHECK(policy.check_pair(draft("2026-11-20", 60), false).empty());

    auto high = policy.check_balances(draft("2026-11-20", 120), ann, 9 * 60, bob, 0);
    REQUIRE(rules_of(high) == std::vector<Rule>{Rule::max_balance});
    CHECK(high[0].message == "ann would reach 11.00 hours, above the limit of 10.00");
    auto low = policy.check_balances(draft("2026-11-20", 120), ann, 0, bob, -19 * 60);
    REQUIRE(rules_of(low) == std::vector<Rule>{Rule::min_balance});
    CHECK(low[0].message == "bob would reach -21.00 hours, below the limit of -20.00");
    CHECK(describe(std::vector<Violation>{self[0], zero[0]}) ==
          "ann cannot exchange with themselves; hours must be more than zero, not 0.00");
}
