// The figures behind every report (lib/tb/report/figures.cpp).
#include <doctest/doctest.h>
#include <map>

#include <fmt/format.h>

#include <algorithm>

#include "report_fixture.hpp"
#include "tb/report/figures.hpp"
#include "tb/store/members.hpp"
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
TEST_CASE("summaries from the monthly totals equal summaries from every exchange, by every grouping") {
    tb::test::ReportBank b;
    int n = tb::test::random_ledger(b);
    auto periods = tb::test::periods_of_every_shape(120);
    const std::vector<GroupBy> bys = {GroupBy::none, GroupBy::tag, GroupBy::neighbourhood, GroupBy::postcode_district,
                                      GroupBy::kind};

    auto dir = Directory::load(b.store());
    REQUIRE(store::rollups_current(b.store()));
    std::vector<std::vector<Summary>> kept(bys.size());
    for (std::size_t k = 0; k < bys.size(); ++k)
        for (auto& p : periods) kept[k].push_back(summarise(b.store(), dir, p, bys[k]));
    // The totals are read: a change to them shows, in "all" from trade_month,
    // in the groups of --by tag from group_month, in those of --by kind from trade_month.
    Period june{d("2025-06-01"), d("2025-06-30")};
    auto june_minutes = [&](GroupBy by, std::size_t g) {
        return summarise(b.store(), dir, june, by).groups.at(g).now.minutes;
    };
    auto none = june_minutes(GroupBy::none, 0), by_tag = june_minutes(GroupBy::tag, 1),
         by_kind = june_minutes(GroupBy::kind, 1);
    b.store().db().exec("UPDATE trade_month SET minutes = minutes + 1 WHERE (month, category, pair) = "
                        "(SELECT month, category, pair FROM trade_month WHERE month = '2025-06' LIMIT 1)");
    b.store().db().exec("UPDATE group_month SET minutes = minutes + 3 WHERE (grouping, month, group_key, category, "
                        "pair) = (SELECT grouping, month, group_key, category, pair FROM group_month WHERE grouping = "
                        "'tag' AND month = '2025-06' AND group_key = 'carer' LIMIT 1)");
    CHECK(june_minutes(GroupBy::none, 0) == none + 1);
    CHECK(june_minutes(GroupBy::tag, 0) == none + 1);
    CHECK(june_minutes(GroupBy::tag, 1) == by_tag + 3);
    CHECK(june_minutes(GroupBy::kind, 1) == by_kind + 1);  // person-person
    store::rebuild_rollups(b.store());
    // Without them, every exchange is read.
    tb::test::forget_rollups(b);
    REQUIRE_FALSE(store::rollups_current(b.store()));
    for (std::size_t k = 0; k < bys.size(); ++k) {
        for (std::size_t i = 0; i < periods.size(); ++i) {
            CAPTURE(static_cast<int>(bys[k]));
            CAPTURE(describe(periods[i]));
            auto scan = summarise(b.store(), dir, periods[i], bys[k]);
            const auto& keep = kept[k][i];
            REQUIRE(scan.groups.size() == keep.groups.size());
            CHECK(scan.previous == keep.previous);
            for (std::size_t g = 0; g < scan.groups.size(); ++g) {
                CHECK(scan.groups[g].group == keep.groups[g].group);
                expect_same(keep.groups[g].now, scan.groups[g].now);
                expect_same(keep.groups[g].before, scan.groups[g].before);
            }
        }
    }
    CHECK(n > 400);
    CHECK(kept[1].front().groups.size() == 3);  // all, carer, ward-3
}

TEST_CASE("summary --by from the totals per group equals a full scan after members change groups") {
    tb::test::ReportBank b;
    tb::test::random_ledger(b);
    auto& s = b.store();
    auto change = [&](const char* id, auto&& edit) {
        auto m = *store::find_member(s, id);
        m.tags.clear();
        SQLite::Statement t(s.db(), "SELECT tag FROM member_tag WHERE member = ? ORDER BY rowid");
        t.bind(1, std::string(id));
        while (t.executeStep()) m.tags.push_back(t.getColumn(0).getString());
        edit(m);
        store::update_member(s, m);
    };
    // After trading: new tags, a neighbourhood spelt another way, postcodes, a kind.
    change("ann", [](Member& m) { m.tags = {"Carer", "ward 3", "WARD-3"}; m.postcode = "HD1 4QX"; });
    change("dan", [](Member& m) { m.neighbourhood = "Newsome"; m.postcode = "hd14qx"; m.tags = {"carer"}; });
    change("home", [](Member& m) { m.kind = MemberKind::person; m.postcode = "HD2 1AA"; });
    // More trades and voids reaching back across months and a year, then more changes.
    auto x = b.trade("2026-04-02", "ann", "dan", 45, "Household");
    b.trade("2026-04-03", "zoe", "home", 30, "Gardening");
    b.void_exchange(x, "2026-05-20");
    auto old = s.db().execAndGet("SELECT min(number) FROM exchange e WHERE date LIKE '2025-02%' AND reverses IS NULL "
                                 "AND NOT EXISTS (SELECT 1 FROM exchange v WHERE v.reverses = e.number)")
                   .getInt64();
    b.void_exchange(old, "2026-05-21");
    change("zoe", [](Member& m) { m.tags = {}; m.neighbourhood = " lockwood"; });
    change("bob", [](Member& m) { m.tags.push_back("newcomer"); });
    store::forget_member(s, "cafe");
    auto dir = Directory::load(s);
    auto periods = tb::test::periods_of_every_shape(60);
    const std::vector<GroupBy> bys = {GroupBy::tag, GroupBy::neighbourhood, GroupBy::postcode_district,
                                      GroupBy::kind};
    REQUIRE(store::rollups_current(s));
    CHECK(store::check_rollups(s).empty());
    std::vector<std::vector<Summary>> kept(bys.size());
    for (std::size_t k = 0; k < bys.size(); ++k)
        for (auto& p : periods) kept[k].push_back(summarise(s, dir, p, bys[k]));
    tb::test::forget_rollups(b);
    REQUIRE_FALSE(store::rollups_current(s));
    for (std::size_t k = 0; k < bys.size(); ++k) {
        for (std::size_t i = 0; i < periods.size(); ++i) {
            CAPTURE(static_cast<int>(bys[k]));
            CAPTURE(describe(periods[i]));
            auto scan = summarise(s, dir, periods[i], bys[k]);
            const auto& keep = kept[k][i];
            REQUIRE(scan.groups.size() == keep.groups.size());
            for (std::size_t g = 0; g < scan.groups.size(); ++g) {
                CHECK(scan.groups[g].group == keep.groups[g].group);
                expect_same(keep.groups[g].now, scan.groups[g].now);
                expect_same(keep.groups[g].before, scan.groups[g].before);
            }
        }
    }
    // The groups the changes made: ann's three tags are two groups (shown in
    // the first spelling in sorted order on a tie); HD1 is ann's and dan's.
    std::vector<std::string> tags, districts;
    for (auto& g : kept[0].front().groups) tags.push_back(g.group);
    for (auto& g : kept[2].front().groups) districts.push_back(g.group);
    CHECK(tags == std::vector<std::string>{"all", "WARD-3", "carer", "newcomer"});
    CHECK(districts == std::vector<std::string>{"all", "(none)", "HD1", "HD2"});
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

TEST_CASE("the directory is in ID order whatever order members were added in; tags come apart, each member's in order") {
    tb::test::ReportBank b;
    // Longer than eight characters and alike in their first eight, so the
    // order is decided past the prefix too; added out of order.
    b.member("member-0010", "Ten", "2025-01-01", MemberKind::person, {"b", "a"});
    b.member("zed", "Zed", "2025-01-01", MemberKind::person, {"z"});
    b.member("member-0009", "Nine", "2025-01-01", MemberKind::person);
    b.member("amy", "Amy", "2025-01-01", MemberKind::organisation, {"x"});
    b.member("member-00091", "Ninety-one", "2025-01-01", MemberKind::person, {"n"});
    b.member("member-0011", "Eleven", "2025-01-01", MemberKind::person, {"e"});
    // member-0010 tagged again after others were: its tags are no longer together.
    b.store().db().exec("INSERT INTO member_tag (member, tag) VALUES ('member-0010', 'c')");
    auto dir = Directory::load(b.store());
    std::vector<std::string> ids;
    for (auto& m : dir.members()) ids.push_back(m.id);
    CHECK(ids == std::vector<std::string>{"amy", "member-0009", "member-00091", "member-0010", "member-0011", "zed"});
    std::map<std::string, std::string> tags;
    store::for_each_member_tag(b.store(), [&](std::string_view member, std::string_view tag) {
        tags[std::string(member)] += fmt::format("{},", tag);
    });
    CHECK(tags == std::map<std::string, std::string>{
                      {"member-0010", "b,a,c,"}, {"zed", "z,"}, {"amy", "x,"}, {"member-00091", "n,"}, {"member-0011", "e,"}});
    // --by tag puts each member in each of their own tags' groups, the
    // tag given apart from the others too.
    auto by_tag = summarise(b.store(), dir, {d("2025-01-01"), d("2025-01-31")}, GroupBy::tag);
    std::map<std::string, std::int64_t> joined;
    for (auto& g : by_tag.groups) joined[g.group] = g.now.new_members;
    CHECK(joined == std::map<std::string, std::int64_t>{
                        {"all", 6}, {"a", 1}, {"b", 1}, {"c", 1}, {"e", 1}, {"n", 1}, {"x", 1}, {"z", 1}});
    for (std::size_t i = 0; i < ids.size(); ++i) CHECK(dir.find(ids[i]) == static_cast<int>(i));
}

TEST_CASE("the directory's order: a few runs in order merged, many sorted") {
    // As a generator numbers them: M01..M99, then M100 (before M11).
    for (int shuffled : {0, 1}) {
        CAPTURE(shuffled);
        tb::test::ReportBank b;
        std::vector<std::string> want;
        for (int i = 0; i < 120; ++i) {
            int n = shuffled ? (i * 37) % 120 + 1 : i + 1;  // 37 is prime to 120: every number once
            auto id = n < 100 ? fmt::format("M{:02}", n) : fmt::format("M{}", n);
            b.member(id, id, "2025-01-01", MemberKind::person, {"t" + id, "u"});
            want.push_back(id);
        }
        std::sort(want.begin(), want.end());
        auto dir = Directory::load(b.store());
        std::vector<std::string> ids;
        for (auto& m : dir.members()) ids.push_back(m.id);
        CHECK(ids == want);
    }
}

TEST_CASE("OrderedFind finds what Directory::find finds, in any order, sorted directory or not") {
    auto member = [](std::string id) {
        store::ReportMember m;
        m.id = std::move(id);
        return m;
    };
    std::vector<std::string> ids;
    for (int i = 0; i < 40; ++i) ids.push_back(fmt::format("M{:03}", i * 3));
    std::vector<store::ReportMember> sorted, shuffled;
    for (auto& id : ids) sorted.push_back(member(id));
    for (std::size_t i = 0; i < ids.size(); ++i) shuffled.push_back(member(ids[(i * 7) % ids.size()]));
    // Runs in ID order (months of the kept totals), gaps, repeats, unknown
    // IDs (the pot, a clearing account), then out of order.
    std::vector<std::string> asked;
    for (int run = 0; run < 3; ++run)
        for (int i = run; i < 130; i += 1 + run) asked.push_back(fmt::format("M{:03}", i));
    for (int i = 119; i >= 0; i -= 5) asked.push_back(fmt::format("M{:03}", i));
    asked.insert(asked.end(), {"M000", "M000", "pot", "M117", "A", "zzz", "M003"});
    for (auto* members : {&sorted, &shuffled}) {
        Directory dir(*members);
        OrderedFind find(dir);
        int found = 0;
        for (auto& id : asked) {
            CAPTURE(id);
            auto i = find(id);
            CHECK(i == dir.find(id));
            found += i >= 0;
        }
        CHECK(found > 60);
    }
}

TEST_CASE("a period's part months are read from the kept totals when the ledger has nothing in the rest of them") {
    tb::test::ReportBank b;
    tb::test::mid_month_ledger(b);
    auto dir = Directory::load(b.store());
    // Nothing before the 5th of March or after the 14th of April: March and April whole.
    auto split = split_months(b.store(), {{d("2026-03-05"), d("2026-04-14")}});
    REQUIRE(split.months[0]);
    CHECK(*split.months[0] == Period{d("2026-03-01"), d("2026-04-30")});
    CHECK(split.parts.empty());
    // The 14th of April has exchanges: a period ending on the 13th reads April's days.
    auto before_last = split_months(b.store(), {{d("2026-03-10"), d("2026-04-13")}});
    REQUIRE(before_last.months[0]);
    CHECK(*before_last.months[0] == Period{d("2026-03-01"), d("2026-03-31")});
    REQUIRE(before_last.parts.size() == 1);
    CHECK(before_last.parts[0] == Period{d("2026-04-01"), d("2026-04-13")});
    // The 10th of March has one: a period from the 11th reads March's days.
    auto after_first = split_months(b.store(), {{d("2026-03-11"), d("2026-04-20")}});
    REQUIRE(after_first.months[0]);
    CHECK(*after_first.months[0] == Period{d("2026-04-01"), d("2026-04-30")});

    auto periods = tb::test::periods_around_mid_month_ledger();
    std::vector<Summary> kept;
    for (auto& p : periods) kept.push_back(summarise(b.store(), dir, p, GroupBy::none));
    // The totals are read for such a period: a change to them shows.
    Period to_last{d("2026-03-01"), d("2026-04-14")};
    auto minutes = [&] { return summarise(b.store(), dir, to_last, GroupBy::none).groups[0].now.minutes; };
    auto before = minutes();
    CHECK(before == 60 + 30 + 15 + 90);
    b.store().db().exec("UPDATE trade_month SET minutes = minutes + 1 WHERE month = '2026-04' AND "
                        "category = 'Household'");
    CHECK(minutes() == before + 1);
    store::rebuild_rollups(b.store());
    tb::test::forget_rollups(b);
    REQUIRE_FALSE(store::rollups_current(b.store()));
    for (std::size_t i = 0; i < periods.size(); ++i) {
        CAPTURE(describe(periods[i]));
        auto scan = summarise(b.store(), dir, periods[i], GroupBy::none);
        expect_same(kept[i].groups[0].now, scan.groups[0].now);
        expect_same(kept[i].groups[0].before, scan.groups[0].before);
    }
}

namespace {

// Who took part by a full scan of the exchanges: the members of the
// directory's kinds with a trade (neither a void nor voided, no pot) in the period.
std::int64_t took_part_by_scan(store::Store& s, Period p) {
    SQLite::Statement q(s.db(),
                        "SELECT count(DISTINCT m) FROM (SELECT e.provider AS m, e.date, e.number, e.reverses, "
                        "e.recipient AS other FROM exchange e UNION ALL SELECT e.recipient, e.date, e.number, "
                        "e.reverses, e.provider FROM exchange e) x WHERE x.date BETWEEN ?1 AND ?2 AND "
                        "x.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM exchange v WHERE v.reverses = x.number) "
                        "AND x.m <> 'pot' AND x.other <> 'pot' AND x.m IN (SELECT id FROM member WHERE kind IN "
                        "('person', 'organisation'))");
    q.bind(1, to_string(p.from));
    q.bind(2, to_string(p.to));
    q.executeStep();
    return q.getColumn(0).getInt64();
}

}  // namespace

TEST_CASE("who took part: whole years from member_year, the rest from member_month and the exchanges, as a scan") {
    tb::test::ReportBank b;
    tb::test::random_ledger(b);
    b.trade("2025-07-01", "ann", "pot", 30);  // a donation: no trade
    auto& s = b.store();
    auto dir = Directory::load(s);
    REQUIRE(store::rollups_current(s));
    auto periods = tb::test::periods_of_every_shape(150);
    // Years made whole by a ledger that starts on 2025-01-01 and ends in 2026.
    periods.push_back({d("2024-06-01"), d("2025-12-31")});
    periods.push_back({d("2024-06-01"), d("2026-11-27")});
    periods.push_back({d("2025-03-01"), d("2026-12-31")});
    for (auto& p : periods) {
        CAPTURE(describe(p));
        auto scan = took_part_by_scan(s, p);
        CHECK(members_who_took_part(s, dir, p) == scan);
        CHECK(summarise(s, dir, p, GroupBy::none).groups[0].now.members == scan);
    }
    // The kept rows are read for whole years: a change to them shows.
    Period year{d("2025-01-01"), d("2025-12-31")}, from_before{d("2024-06-01"), d("2025-12-31")};
    auto before = members_who_took_part(s, dir, year);
    b.sql("DELETE FROM member_year WHERE year = 2025 AND member = 'dan'");
    CHECK(members_who_took_part(s, dir, year) == before - 1);
    CHECK(members_who_took_part(s, dir, from_before) == before - 1);
    CHECK(summarise(s, dir, year, GroupBy::none).groups[0].now.members == before - 1);
    // Not for a year the period covers only in part while the ledger has trades in the rest.
    Period part{d("2025-01-01"), d("2025-11-30")};
    CHECK(members_who_took_part(s, dir, part) == took_part_by_scan(s, part));
    store::rebuild_rollups(s);
    // Without the totals, every exchange is read.
    tb::test::forget_rollups(b);
    for (auto& p : periods) {
        CAPTURE(describe(p));
        CHECK(members_who_took_part(s, dir, p) == took_part_by_scan(s, p));
    }
}
