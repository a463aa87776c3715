// The figures behind every report (lib/tb/report/figures.cpp).
#include <doctest/doctest.h>

#include "report_fixture.hpp"
#include "tb/report/figures.hpp"
#include "tb/util/error.hpp"

using namespace tb;
using namespace tb::report;
using tb::test::d;

namespace {

// Ann and Bob are people, the Care Home an organisation.
void small_bank(tb::test::ReportBank& b) {
    b.member("ann", "Ann Lee", "2025-03-01", MemberKind::person, {"carer"}, "Newsome");
    b.member("bob", "Bob Ó Súilleabháin", "2026-11-20", MemberKind::person, {"carer", "ward-3"}, "Lockwood");
    b.member("home", "Rosewood Care Home", "2024-01-01", MemberKind::organisation, {}, "Newsome");
    b.member("cafe", "Café Sól", "2024-01-01", MemberKind::organisation);
}

const GroupFigures& group(const Summary& s, const std::string& name) {
    for (auto& g : s.groups)
        if (g.group == name) return g;
    FAIL("no group " << name);
    return s.groups.front();
}

}  // namespace

TEST_CASE("summary counts exchanges, hours, members and the split by kind") {
    tb::test::ReportBank b;
    small_bank(b);
    b.trade("2026-11-23", "ann", "bob", 90, "Gardening");
    b.trade("2026-11-24", "bob", "ann", 60, "Gardening");
    b.trade("2026-11-25", "ann", "home", 120, "Care & companionship");
    b.trade("2026-11-26", "home", "cafe", 30, "Household");
    b.trade("2026-11-17", "ann", "bob", 45, "Gardening");  // the week before
    auto dir = Directory::load(b.store());
    auto s = summarise(b.store(), dir, {d("2026-11-23"), d("2026-11-29")}, GroupBy::none);
    REQUIRE(s.groups.size() == 1);
    auto& all = s.groups[0];
    CHECK(all.group == "all");
    CHECK(all.now.exchanges == 4);
    CHECK(all.now.minutes == 300);
    CHECK(all.now.members == 4);
    CHECK(all.now.new_members == 0);
    CHECK(all.now.split_minutes[0] == 150);  // person -> person
    CHECK(all.now.split_minutes[1] == 120);  // person <-> organisation
    CHECK(all.now.split_minutes[2] == 30);   // organisation -> organisation
    REQUIRE(all.now.categories.size() == 3);
    CHECK(all.now.categories[0].category == "Gardening");
    CHECK(all.now.categories[0].minutes == 150);
    REQUIRE(s.previous);
    CHECK(*s.previous == Period{d("2026-11-16"), d("2026-11-22")});
    CHECK(all.before.exchanges == 1);
    CHECK(all.before.minutes == 45);
    CHECK(all.before.new_members == 1);  // Bob joined on the 20th
}

TEST_CASE("voided exchanges and their voids are no trade; opening balances are none either") {
    tb::test::ReportBank b;
    small_bank(b);
    auto n = b.trade("2026-11-23", "ann", "bob", 90);
    b.trade("2026-11-24", "bob", "ann", 60);
    b.void_exchange(n, "2026-11-25");
    b.opening("ann", 600, "2026-11-23");
    b.opening("cafe", -120, "2026-11-23");
    auto dir = Directory::load(b.store());
    auto s = summarise(b.store(), dir, {d("2026-11-23"), d("2026-11-29")}, GroupBy::none);
    CHECK(s.groups[0].now.exchanges == 1);
    CHECK(s.groups[0].now.minutes == 60);
    CHECK(s.groups[0].now.members == 2);
    // Balances include both halves of a void (they net to zero) and openings.
    CHECK(dir[static_cast<std::size_t>(dir.find("ann"))].balance == -60 + 600);
    CHECK(dir[static_cast<std::size_t>(dir.find("bob"))].balance == 60);
    CHECK(dir[static_cast<std::size_t>(dir.find("cafe"))].balance == -120);
}

TEST_CASE("a member whose latest exchange was voided has an earlier last trade") {
    tb::test::ReportBank b;
    small_bank(b);
    b.trade("2026-10-01", "ann", "bob", 60);
    auto n = b.trade("2026-11-20", "ann", "bob", 60);
    b.void_exchange(n, "2026-11-21");
    auto only = b.trade("2026-11-22", "home", "cafe", 60);
    b.void_exchange(only, "2026-11-22");
    auto dir = Directory::load(b.store());
    auto& ann = dir[static_cast<std::size_t>(dir.find("ann"))];
    REQUIRE(ann.last_trade);
    CHECK(*ann.last_trade == d("2026-10-01"));
    CHECK_FALSE(dir[static_cast<std::size_t>(dir.find("home"))].last_trade);
}

TEST_CASE("--by tag counts an exchange for a tag when either side has it") {
    tb::test::ReportBank b;
    small_bank(b);
    b.trade("2026-11-23", "ann", "home", 60);  // carer on one side
    b.trade("2026-11-24", "bob", "ann", 30);   // carer on both, ward-3 on one
    b.trade("2026-11-25", "home", "cafe", 15); // no tags
    auto dir = Directory::load(b.store());
    auto s = summarise(b.store(), dir, {d("2026-11-23"), d("2026-11-29")}, GroupBy::tag);
    REQUIRE(s.groups.size() == 3);
    CHECK(s.groups[0].group == "all");
    auto& carer = group(s, "carer");
    CHECK(carer.now.exchanges == 2);
    CHECK(carer.now.minutes == 90);
    CHECK(carer.now.members == 2);  // Ann and Bob, not the care home
    CHECK(carer.now.new_members == 0);
    CHECK(carer.before.new_members == 1);  // Bob joined on the 20th, the week before
    auto& ward = group(s, "ward-3");
    CHECK(ward.now.exchanges == 1);
    CHECK(ward.now.members == 1);
}

TEST_CASE("--by neighbourhood and --by kind") {
    tb::test::ReportBank b;
    small_bank(b);
    b.trade("2026-11-23", "ann", "home", 60);
    b.trade("2026-11-24", "home", "cafe", 30);
    auto dir = Directory::load(b.store());
    Period week{d("2026-11-23"), d("2026-11-29")};
    auto by_place = summarise(b.store(), dir, week, GroupBy::neighbourhood);
    CHECK(group(by_place, "Newsome").now.exchanges == 2);
    CHECK(group(by_place, "Newsome").now.members == 2);
    CHECK(group(by_place, "(none)").now.exchanges == 1);
    CHECK(group(by_place, "Lockwood").now.exchanges == 0);
    auto by_kind = summarise(b.store(), dir, week, GroupBy::kind);
    REQUIRE(by_kind.groups.size() == 4);
    CHECK(group(by_kind, "person-person").now.exchanges == 0);
    CHECK(group(by_kind, "person-organisation").now.minutes == 60);
    CHECK(group(by_kind, "organisation-organisation").now.members == 2);
    CHECK_THROWS_AS(parse_group_by("colour"), UsageError);
}

TEST_CASE("a long period is scanned in parallel parts with the same result") {
    tb::test::ReportBank b;
    small_bank(b);
    Minutes total = 0;
    std::int64_t count = 0;
    for (int i = 0; i < 300; ++i) {
        auto date = to_string(d("2026-01-01") + i);
        Minutes m = 15 * (1 + i % 8);
        b.trade(date.c_str(), i % 2 ? "ann" : "home", i % 3 ? "cafe" : "bob", m,
                i % 5 ? "Gardening" : "Household");
        total += m;
        ++count;
    }
    auto plan = plan_scan(b.store(), {Period{d("2026-01-01"), d("2026-12-31")}});
    CHECK(plan.ranges.size() == 4);
    CHECK(plan.ranges.front().from == d("2026-01-01"));
    CHECK(plan.ranges.back().to == d("2026-10-27"));  // clamped to the last exchange
    auto dir = Directory::load(b.store());
    auto s = summarise(b.store(), dir, {d("2026-01-01"), d("2026-12-31")}, GroupBy::none);
    CHECK(s.groups[0].now.exchanges == count);
    CHECK(s.groups[0].now.minutes == total);
    CHECK(s.groups[0].now.members == 4);
}

TEST_CASE("change, previous periods and buckets") {
    CHECK(change_pct(120, 100) == doctest::Approx(20.0));
    CHECK(change_pct(1, 3) == doctest::Approx(-66.7));
    CHECK_FALSE(change_pct(5, 0));
    CHECK(comparable_previous({d("2026-01-01"), d("2026-12-31")}) ==
          std::optional<Period>(Period{d("2025-01-01"), d("2025-12-31")}));
    CHECK_FALSE(comparable_previous({from_ymd(1, 1, 1), d("2026-12-31")}));
    CHECK_FALSE(comparable_previous({d("2026-01-01"), from_ymd(9999, 12, 31)}));

    CHECK(bucket_label(bucket_of(d("2026-11-27"), Bucket::week, WeekStart::monday), Bucket::week,
                       WeekStart::monday) == "2026-W48");
    auto sunday_week = bucket_of(d("2026-11-27"), Bucket::week, WeekStart::sunday);
    CHECK(sunday_week.from == d("2026-11-22"));
    // As in --period 2026-W48: a Sunday week takes the number of the ISO week starting the next day.
    CHECK(bucket_label(sunday_week, Bucket::week, WeekStart::sunday) == "2026-W48");
    CHECK(parse_period("2026-W48", d("2026-11-27"), WeekStart::sunday).from == sunday_week.from);
    CHECK(bucket_label(bucket_of(d("2026-11-27"), Bucket::quarter, WeekStart::monday), Bucket::quarter,
                       WeekStart::monday) == "2026-Q4");
    CHECK(bucket_of(d("2026-02-10"), Bucket::month, WeekStart::monday).to == d("2026-02-28"));
    CHECK(bucket_label(bucket_of(d("2026-02-10"), Bucket::year, WeekStart::monday), Bucket::year,
                       WeekStart::monday) == "2026");
    CHECK_THROWS_AS(parse_bucket("fortnight"), UsageError);
}
