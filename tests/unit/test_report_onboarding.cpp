// Onboarding: days from joining to the first exchange (lib/tb/report/onboarding.cpp).
#include <doctest/doctest.h>

#include "report_fixture.hpp"
#include "tb/report/onboarding.hpp"

using namespace tb;
using namespace tb::report;
using tb::test::d;

TEST_CASE("median of whole numbers") {
    CHECK_FALSE(median({}).has_value());
    CHECK(*median({7}) == 7.0);
    CHECK(*median({10, 149}) == 79.5);
    CHECK(*median({149, 10, 126}) == 126.0);
    CHECK(*median({4, 1, 3, 2}) == 2.5);
}

TEST_CASE("onboarding: first trades, voids left out, cohorts by month") {
    tb::test::ReportBank b;
    b.member("ann", "Ann", "2026-01-05");
    b.member("bob", "Bob", "2026-02-10");
    b.member("old", "Old", "2025-01-01");
    b.trade("2026-01-06", "old", "ann", 60, "Gardening");  // voided below
    auto n = b.trade("2026-01-07", "ann", "old", 60, "Gardening");
    b.void_exchange(n - 1, "2026-01-08");
    b.trade("2026-01-25", "ann", "old", 60, "Gardening");
    auto dir = Directory::load(b.store());
    auto o = onboarding(b.store(), dir, Period{d("2026-01-01"), d("2026-03-31")}, d("2026-03-31"), Bucket::month,
                        WeekStart::monday);
    REQUIRE(o.members.size() == 2);
    CHECK(o.members[0].id == "ann");
    REQUIRE(o.members[0].first_exchange.has_value());
    CHECK(*o.members[0].first_exchange == d("2026-01-07"));
    CHECK(*o.members[0].days == 2);
    CHECK_FALSE(o.members[1].first_exchange.has_value());
    CHECK(o.all.joined == 2);
    CHECK(o.all.traded == 1);
    CHECK(*o.all.median_days == 2.0);
    // 30 days: ann (85 days in) and bob (49 days in) eligible; bob waiting.
    CHECK(o.all.eligible[0] == 2);
    CHECK(o.all.waiting[0] == 1);
    CHECK(o.all.eligible[1] == 0);
    REQUIRE(o.cohorts.size() == 3);
    CHECK(o.cohorts[0].label == "2026-01");
    CHECK(o.cohorts[1].figures.joined == 1);
    CHECK(o.cohorts[2].figures.joined == 0);
}
