// The figures behind every report (lib/tb/report/figures.cpp).
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "report_fixture.hpp"
#include "tb/report/figures.hpp"
#include "tb/store/rollup.hpp"
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

namespace {

void expect_same(const Figures& a, const Figures& b) {
    CHECK(a.exchanges == b.exchanges);
    CHECK(a.minutes == b.minutes);
    CHECK(a.members == b.members);
    CHECK(a.new_members == b.new_members);
    CHECK(a.split_minutes == b.split_minutes);
    CHECK(a.split_exchanges == b.split_exchanges);
    REQUIRE(a.categories.size() == b.categories.size());
    for (std::size_t i = 0; i < a.categories.size(); ++i) {
        CHECK(a.categories[i].category == b.categories[i].category);
        CHECK(a.categories[i].exchanges == b.categories[i].exchanges);
        CHECK(a.categories[i].minutes == b.categories[i].minutes);
    }
}

std::string describe(Period p) { return to_string(p.from) + ".." + to_string(p.to); }

}  // namespace

TEST_CASE("whole months of a period") {
    CHECK(whole_months({d("2026-01-01"), d("2026-12-31")}) == std::optional<Period>({d("2026-01-01"), d("2026-12-31")}));
    CHECK(whole_months({d("2026-01-02"), d("2026-03-30")}) == std::optional<Period>({d("2026-02-01"), d("2026-02-28")}));
    CHECK(whole_months({d("2025-12-31"), d("2026-01-31")}) == std::optional<Period>({d("2026-01-01"), d("2026-01-31")}));
    CHECK(whole_months({d("2024-02-01"), d("2024-02-29")}) == std::optional<Period>({d("2024-02-01"), d("2024-02-29")}));
    CHECK_FALSE(whole_months({d("2024-02-01"), d("2024-02-28")}));
    CHECK_FALSE(whole_months({d("2026-01-02"), d("2026-02-27")}));
    CHECK_FALSE(whole_months({d("2026-11-23"), d("2026-11-29")}));
    CHECK(whole_months({from_ymd(1, 1, 1), from_ymd(9999, 12, 31)}) ==
          std::optional<Period>({from_ymd(1, 1, 1), from_ymd(9999, 12, 31)}));
}

// Summaries read whole months from the monthly totals the ledger keeps and
// the days around them from the exchanges; without current totals they read
// every exchange. Both must give the same figures for every shape of period.
TEST_CASE("summaries from the monthly totals equal summaries from every exchange") {
    tb::test::ReportBank b;
    small_bank(b);
    b.member("zoe", "Zoë", "2025-06-15");
    b.member("dan", "Dan", "2025-01-01");
    const std::vector<std::string> ids = {"ann", "bob", "home", "cafe", "zoe", "dan"};
    const std::vector<std::string> cats = {"Gardening", "Household", "", "Care & companionship"};
    std::uint32_t seed = 12345;
    auto next = [&](std::uint32_t n) {
        seed = seed * 1664525u + 1013904223u;
        return (seed >> 8) % n;
    };
    std::vector<std::pair<std::int64_t, Date>> to_void;  // exchange, void date
    auto void_due = [&](Date day) {
        for (auto it = to_void.begin(); it != to_void.end();) {
            if (it->second <= day) {
                b.void_exchange(it->first, to_string(it->second).c_str());
                it = to_void.erase(it);
            } else {
                ++it;
            }
        }
    };
    Date first = d("2025-01-01"), last = d("2026-03-31");
    int n = 0;
    for (Date day = first; day <= last; day = day + 1 + static_cast<int>(next(2))) {
        void_due(day);
        if (day == d("2025-09-01")) {
            // Zoë becomes an organisation half way: her trades move pairs.
            auto zoe = *store::find_member(b.store(), "zoe");
            zoe.kind = MemberKind::organisation;
            store::update_member(b.store(), zoe);
        }
        for (int k = 0; k < 2; ++k) {
            auto p = ids[next(static_cast<std::uint32_t>(ids.size()))];
            auto r = ids[next(static_cast<std::uint32_t>(ids.size()))];
            if (p == r) continue;
            auto date = to_string(day);
            auto num = b.trade(date.c_str(), p, r, 15 * (1 + static_cast<Minutes>(next(12))),
                               cats[next(static_cast<std::uint32_t>(cats.size()))]);
            // Every ninth is voided up to 40 days later, often in a later month.
            if (++n % 9 == 0) to_void.push_back({num, day + static_cast<int>(next(41))});
        }
    }
    void_due(d("2026-12-31"));
    // A void of December's last exchange in January, across the year.
    auto dec = b.trade("2025-12-31", "home", "ann", 60, "Household");
    b.void_exchange(dec, "2026-01-02");
    // The café becomes a person after everything.
    auto cafe = *store::find_member(b.store(), "cafe");
    cafe.kind = MemberKind::person;
    store::update_member(b.store(), cafe);

    std::vector<Period> periods;
    for (Date day = d("2024-12-28"); day <= d("2026-04-03"); day = day + 1) periods.push_back({day, day});
    for (int y = 2024; y <= 2027; ++y) {
        periods.push_back({from_ymd(y, 1, 1), from_ymd(y, 12, 31)});
        for (int m = 1; m <= 12; ++m) {
            Date a = from_ymd(y, m, 1), z = from_ymd(y, m, days_in_month(y, m));
            periods.push_back({a, z});
            periods.push_back({a, z - 1});
            periods.push_back({a + 1, z});
            periods.push_back({a + 9, z - 9});
            periods.push_back({a - 1, z + 1});
            if (m % 3 == 1) periods.push_back({a, from_ymd(y, m + 2, days_in_month(y, m + 2))});
        }
    }
    for (int i = 0; i < 300; ++i) {
        Date a = d("2024-11-01") + static_cast<int>(next(560));
        periods.push_back({a, a + static_cast<int>(next(400))});
    }
    periods.push_back({from_ymd(1, 1, 1), d("2025-06-30")});
    periods.push_back({d("2025-06-01"), from_ymd(9999, 12, 31)});
    periods.push_back({from_ymd(1, 1, 1), from_ymd(9999, 12, 31)});
    periods.push_back({d("2030-01-01"), d("2030-12-31")});
    periods.push_back({d("1000-01-02"), d("8999-12-30")});  // compared with millennia before the year 1

    auto dir = Directory::load(b.store());
    REQUIRE(store::rollups_current(b.store()));
    std::vector<Summary> kept;
    for (auto& p : periods) kept.push_back(summarise(b.store(), dir, p, GroupBy::none));
    // The totals are read: a change to them shows.
    Period june{d("2025-06-01"), d("2025-06-30")};
    auto june_minutes = summarise(b.store(), dir, june, GroupBy::none).groups[0].now.minutes;
    b.store().db().exec("UPDATE trade_month SET minutes = minutes + 1 WHERE (month, category, pair) = "
                        "(SELECT month, category, pair FROM trade_month WHERE month = '2025-06' LIMIT 1)");
    CHECK(summarise(b.store(), dir, june, GroupBy::none).groups[0].now.minutes == june_minutes + 1);
    store::rebuild_rollups(b.store());
    // Without them, every exchange is read.
    b.store().db().exec("DELETE FROM meta WHERE key = 'rollup_upto'");
    REQUIRE_FALSE(store::rollups_current(b.store()));
    for (std::size_t i = 0; i < periods.size(); ++i) {
        CAPTURE(describe(periods[i]));
        auto scan = summarise(b.store(), dir, periods[i], GroupBy::none);
        REQUIRE(scan.groups.size() == 1);
        REQUIRE(kept[i].groups.size() == 1);
        CHECK(scan.previous == kept[i].previous);
        expect_same(kept[i].groups[0].now, scan.groups[0].now);
        expect_same(kept[i].groups[0].before, scan.groups[0].before);
    }
    CHECK(n > 400);
}

TEST_CASE("summary: requests made, met, withdrawn and the median days to a match, by the requester's group") {
    tb::test::ReportBank b;
    b.member("ann", "Ann Lee", "2024-01-01", MemberKind::person, {"carer"});
    b.member("bob", "Bob Jones", "2024-01-01");
    auto x = b.trade("2026-11-05", "bob", "ann", 60);
    std::vector<std::int64_t> r;
    for (int i = 0; i < 7; ++i) r.push_back(b.request(i == 1 ? "ann" : "bob", "Gardening", "r"));
    auto set = [&](std::int64_t n, const char* made, const char* status, const char* outcome, const char* closed,
                   std::optional<std::int64_t> exchange = std::nullopt) {
        b.sql(fmt::format("UPDATE request SET created_at = '{}T10:00:00Z', status = '{}', outcome = {}, "
                          "closed_at = {}, exchange = {} WHERE number = {}",
                          made, status, outcome ? fmt::format("'{}'", outcome) : "NULL",
                          closed ? fmt::format("'{}T15:00:00Z'", closed) : "NULL",
                          exchange ? std::to_string(*exchange) : "NULL", n));
    };
    // Made in October, met by the exchange of 5 November (closed the 6th): 16 days.
    set(r[0], "2026-10-20", "closed", "met", "2026-11-06", x);
    b.sql(fmt::format("UPDATE request SET member = 'ann' WHERE number = {}", r[0]));
    set(r[1], "2026-11-02", "closed", "met", "2026-11-12");         // ann (carer): 10 days
    set(r[2], "2026-11-03", "closed", "withdrawn", "2026-11-20");
    set(r[3], "2026-11-10", "open", nullptr, nullptr);
    set(r[4], "2026-11-25", "closed", "met", "2026-12-01");         // met in December
    set(r[5], "2026-11-06", "closed", "met", "2026-11-07");         // 1 day
    set(r[6], "2026-11-01", "closed", nullptr, "2026-11-08");       // closed before tb kept how: neither
    auto dir = Directory::load(b.store());
    auto s = summarise(b.store(), dir, {d("2026-11-01"), d("2026-11-30")}, GroupBy::tag);
    auto& all = group(s, "all");
    CHECK(all.now.requests_made == 6);
    CHECK(all.now.requests_met == 3);
    CHECK(all.now.requests_withdrawn == 1);
    CHECK(all.now.median_days_to_match == std::optional<double>(10.0));  // of 16, 10, 1
    CHECK(all.before.requests_made == 1);  // October
    CHECK(all.before.requests_met == 0);
    CHECK_FALSE(all.before.median_days_to_match.has_value());
    auto& carer = group(s, "carer");  // ann's requests: r0 (met, 16 days) and r1 (made, met, 10 days)
    CHECK(carer.now.requests_made == 1);
    CHECK(carer.now.requests_met == 2);
    CHECK(carer.now.median_days_to_match == std::optional<double>(13.0));
    // December: r4 met after 6 days.
    auto dec = summarise(b.store(), dir, {d("2026-12-01"), d("2026-12-31")}, GroupBy::none);
    CHECK(dec.groups[0].now.requests_met == 1);
    CHECK(dec.groups[0].now.median_days_to_match == std::optional<double>(6.0));
    CHECK(dec.groups[0].now.requests_made == 0);
}
