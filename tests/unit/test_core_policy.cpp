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
    // An import rules on categories when it reads the rows: the rest, without it.
    CHECK(policy.check_exchange_but_category(draft("2026-11-20", 60, "Juggling"), ann, bob).empty());
    CHECK(rules_of(policy.check_exchange_but_category(draft("2026-11-28", 60, "Juggling"), ann, ann)) ==
          std::vector<Rule>{Rule::self, Rule::future});

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

TEST_CASE("the active-member rule: one predicate for exchanges, requests and matching") {
    CHECK(is_active(MemberStatus::active));
    CHECK_FALSE(is_active(MemberStatus::inactive));
    CHECK_FALSE(is_active(MemberStatus::forgotten));

    auto ann = person("ann");
    CHECK_FALSE(inactive_problem(ann).has_value());
    ann.status = MemberStatus::inactive;
    CHECK(inactive_problem(ann).value() == "ann is inactive, not active");
    ann.status = MemberStatus::forgotten;
    CHECK(inactive_problem(ann).value() == "ann is forgotten, not active");

    // An exchange names each member who is not active, with the same message.
    const Config c;
    LedgerPolicy policy(c, day("2026-11-27"));
    auto bob = person("bob");
    bob.status = MemberStatus::inactive;
    auto both = policy.check_exchange(draft("2026-11-20", 60), ann, bob);
    REQUIRE(rules_of(both) == std::vector<Rule>{Rule::inactive, Rule::inactive});
    CHECK(both[0].message == "ann is forgotten, not active");
    CHECK(both[1].message == "bob is inactive, not active");
    CHECK_FALSE(both[0].overridable);
    // A member exchanging with themselves is named once.
    auto self = policy.check_exchange(draft("2026-11-20", 60), bob, bob);
    CHECK(rules_of(self) == std::vector<Rule>{Rule::self, Rule::inactive});
}

TEST_CASE("the hours limit: one predicate for exchanges and requests, the limit itself allowed") {
    Config c;
    c.max_minutes_per_exchange = 3 * 60;
    CHECK_FALSE(over_hours_limit(3 * 60, c));
    CHECK(over_hours_limit(3 * 60 + 1, c));
    CHECK_FALSE(over_hours_limit(0, c));

    LedgerPolicy policy(c, day("2026-11-27"));
    auto ann = person("ann"), bob = person("bob");
    CHECK(policy.check_exchange(draft("2026-11-20", 3 * 60), ann, bob).empty());
    auto over = policy.check_exchange(draft("2026-11-20", 3 * 60 + 15), ann, bob);
    REQUIRE(rules_of(over) == std::vector<Rule>{Rule::hours});
    CHECK(over[0].message == "3.25 hours is more than the limit of 3.00 hours per exchange");
    CHECK_FALSE(over[0].overridable);
    auto negative = policy.check_exchange(draft("2026-11-20", -30), ann, bob);
    REQUIRE(rules_of(negative) == std::vector<Rule>{Rule::hours});
    CHECK(negative[0].message == "hours must be more than zero, not -0.50");

    Request r;
    r.member = "ann";
    r.category = "Gardening";
    r.text = "weeding";
    r.minutes = 3 * 60;
    CHECK_FALSE(request_problem(r, c, day("2026-11-27")).has_value());
    r.minutes = 4 * 60;
    CHECK(request_problem(r, c, day("2026-11-27")).value() == "--hours 4.00 is more than the limit of 3.00 hours");
}

TEST_CASE("a request for help as given: each problem named as its option") {
    Config c;
    const Date today = day("2026-11-27");
    Request r;
    r.member = "ann";
    r.category = "Gardening";
    r.text = "weeding";
    CHECK_FALSE(request_problem(r, c, today).has_value());

    auto past = r;
    past.needed_by = day("2026-11-26");
    CHECK(request_problem(past, c, today).value() == "--needed-by 2026-11-26 is in the past");
    past.needed_by = today;
    CHECK_FALSE(request_problem(past, c, today).has_value());

    auto blank = r;
    blank.text = std::string("  \t");
    CHECK(request_problem(blank, c, today).value() == "--text is empty: say what is needed");
    auto nocat = r;
    nocat.category.assign(2, ' ');
    CHECK(request_problem(nocat, c, today).value() == "--category is empty");
}

TEST_CASE("the date rules: today and the backdate limit itself are allowed") {
    Config c;
    c.backdate_days = 30;
    LedgerPolicy policy(c, day("2026-11-27"));
    auto ann = person("ann"), bob = person("bob");
    CHECK(policy.check_exchange(draft("2026-11-27", 60), ann, bob).empty());
    CHECK(policy.check_exchange(draft("2026-10-28", 60), ann, bob).empty());
    auto old = policy.check_exchange(draft("2026-10-27", 60), ann, bob);
    REQUIRE(rules_of(old) == std::vector<Rule>{Rule::backdate});
    CHECK(old[0].message == "date 2026-10-27 is 31 days ago, more than the limit of 30 days");
    CHECK(old[0].overridable);
    auto future = policy.check_exchange(draft("2026-11-28", 60), ann, bob);
    REQUIRE(rules_of(future) == std::vector<Rule>{Rule::future});
    CHECK(future[0].message == "date 2026-11-28 is in the future (today is 2026-11-27)");
}

TEST_CASE("balance limits: a member's own, the bank's, none; the pot has no ceiling") {
    Config c;
    c.min_balance = -20 * 60;
    c.max_balance = 40 * 60;
    c.pot_min_balance = -1000 * 60;
    auto m = person("ann");
    CHECK(effective_min(m, c) == -20 * 60);
    CHECK(effective_max(m, c) == 40 * 60);
    m.min_limit.mode = BalanceLimit::Mode::value;
    m.min_limit.value = -5 * 60;
    m.max_limit.mode = BalanceLimit::Mode::none;
    CHECK(effective_min(m, c) == -5 * 60);
    CHECK_FALSE(effective_max(m, c).has_value());
    auto pot = person("pot");
    pot.kind = MemberKind::pot;
    CHECK(effective_min(pot, c) == -1000 * 60);
    CHECK_FALSE(effective_max(pot, c).has_value());

    // Reaching a limit exactly is allowed; the warning is below warn_below.
    LedgerPolicy policy(c, day("2026-11-27"));
    auto bob = person("bob");
    CHECK(policy.check_balances(draft("2026-11-20", 60), person("ann"), 39 * 60, bob, -19 * 60).empty());
    c.warn_below = -10 * 60;
    CHECK(policy.warning(bob, -10 * 60) == std::nullopt);
    CHECK(policy.warning(bob, -10 * 60 - 1).value() == "bob has -10.02 hours, below the warning level of -10.00");
}

TEST_CASE("a date after today: one message for an exchange and an opening balance") {
    CHECK_FALSE(future_date_problem(day("2026-11-27"), day("2026-11-27")).has_value());
    CHECK_FALSE(future_date_problem(day("2020-01-01"), day("2026-11-27")).has_value());
    CHECK(future_date_problem(day("2026-11-28"), day("2026-11-27")).value() ==
          "date 2026-11-28 is in the future (today is 2026-11-27)");
}
