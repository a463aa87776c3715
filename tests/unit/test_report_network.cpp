// The exchange graph (lib/tb/report/network.cpp).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "report_fixture.hpp"
#include "tb/report/network.hpp"
#include "tb/store/rollup.hpp"

using namespace tb;
using namespace tb::report;
using tb::test::d;

TEST_CASE("network: hubs, groups, members with no partner, reciprocity") {
    tb::test::ReportBank b;
    for (auto id : {"a", "b", "c", "d", "e", "f", "g", "x"}) b.member(id, std::string("Member ") + id, "2025-01-01");
    b.set_status("x", MemberStatus::inactive);
    // One group: a is a hub with three partners; b gives and receives.
    b.trade("2026-03-01", "a", "b", 60);
    b.trade("2026-03-02", "a", "c", 60);
    b.trade("2026-03-03", "d", "a", 60);
    b.trade("2026-03-04", "b", "a", 30);
    b.trade("2026-03-05", "b", "a", 30);  // same pair again: still one partner
    // Another group of two.
    b.trade("2026-03-06", "e", "f", 90);
    // A voided exchange joins nobody.
    auto n = b.trade("2026-03-07", "f", "g", 60);
    b.void_exchange(n, "2026-03-08");
    auto dir = Directory::load(b.store());
    auto net = analyse_network(b.store(), dir, {d("2026-01-01"), d("2026-12-31")});

    REQUIRE(net.took_part.size() == 6);
    CHECK(dir[net.took_part[0].member].id == "a");
    CHECK(net.took_part[0].partners == 3);
    CHECK(net.took_part[0].exchanges == 5);
    REQUIRE(net.groups.size() == 2);
    CHECK(net.groups[0].members == 4);
    CHECK(net.groups[0].exchanges == 5);
    CHECK(net.groups[0].minutes == 240);
    CHECK(net.groups[1].members == 2);
    CHECK(net.groups[1].minutes == 90);
    // g (only a voided exchange) has no partner; x is inactive and not listed.
    REQUIRE(net.no_partner.size() == 1);
    CHECK(dir[net.no_partner[0]].id == "g");
    // a and b both gave and received: 2 of 6.
    CHECK(net.gave_and_received == 2);
    CHECK(net.reciprocity_pct == doctest::Approx(33.3));

    Config c;
    auto rows = network_table(net, dir, {c, d("2026-11-27"), false});
    CHECK(rows.table.rows.size() == 7);
    std::ostringstream json;
    network_json(net, dir, json);
    CHECK(json.str().find("\"reciprocity_pct\": 33.3") != std::string::npos);
    std::ostringstream text;
    network_text(net, dir, text);
    CHECK(text.str().find("Connected groups:        2 (members: 4, 2)") != std::string::npos);
}

TEST_CASE("network of an empty period") {
    tb::test::ReportBank b;
    b.member("a", "A", "2025-01-01");
    auto dir = Directory::load(b.store());
    auto net = analyse_network(b.store(), dir, {d("2026-01-01"), d("2026-12-31")});
    CHECK(net.took_part.empty());
    CHECK(net.groups.empty());
    CHECK(net.no_partner.size() == 1);
    CHECK(net.reciprocity_pct == 0);
}

TEST_CASE("the network from the monthly totals per pair equals the network from every exchange") {
    tb::test::ReportBank b;
    tb::test::random_ledger(b);
    auto periods = tb::test::periods_of_every_shape(100);
    auto dir = Directory::load(b.store());
    REQUIRE(store::rollups_current(b.store()));
    std::vector<std::string> kept;
    auto shown = [&](Period p) {
        std::ostringstream out;
        network_json(analyse_network(b.store(), dir, p), dir, out);
        return out.str();
    };
    for (auto& p : periods) kept.push_back(shown(p));
    // The totals are read: a change to them shows.
    Period june{d("2025-06-01"), d("2025-06-30")};
    auto before = analyse_network(b.store(), dir, june);
    b.sql("UPDATE pair_month SET exchanges = exchanges + 1 WHERE month = '2025-06' AND provider = 'ann'");
    auto after = analyse_network(b.store(), dir, june);
    REQUIRE_FALSE(before.took_part.empty());
    CHECK(after.groups.front().exchanges > before.groups.front().exchanges);
    store::rebuild_rollups(b.store());
    tb::test::forget_rollups(b);
    REQUIRE_FALSE(store::rollups_current(b.store()));
    for (std::size_t i = 0; i < periods.size(); ++i) {
        CAPTURE(to_string(periods[i].from) + ".." + to_string(periods[i].to));
        CHECK(shown(periods[i]) == kept[i]);
    }
}

TEST_CASE("the network from the yearly totals per pair equals the network from every exchange") {
    tb::test::ReportBank b;
    tb::test::random_ledger(b);
    // Voids across years both ways, and both directions of pairs within a year.
    auto x = b.trade("2025-12-30", "zoe", "dan", 45, "Gardening");
    b.void_exchange(x, "2026-04-02");
    b.trade("2026-04-03", "dan", "zoe", 30, "Gardening");
    // Transfers with another bank (a clearing account, which is no member
    // of the network), one of them voided; and a trade of a member with
    // themself (only ever written outside tb: counted for both sides,
    // making no pair), folded in by the next write.
    b.member("bank:north", "North Timebank", "2024-01-01", MemberKind::bank);
    b.trade("2025-05-06", "ann", "bank:north", 30);
    b.trade("2026-02-03", "bank:north", "bob", 20);
    b.void_exchange(b.trade("2025-06-07", "bank:north", "dan", 45), "2026-01-09");
    b.sql("INSERT INTO exchange (number, date, provider, recipient, minutes, recorded_at, recorded_by, fingerprint, "
          "note_digest, hash) SELECT max(number) + 1, '2025-07-08', 'dan', 'dan', 15, 'x', 'x', 'x', 'x', 'x' "
          "FROM exchange");
    b.trade("2026-04-04", "zoe", "ann", 30, "Gardening");
    std::vector<Period> periods = {
        {d("2025-01-01"), d("2025-12-31")},  // a whole past year
        {d("2026-01-01"), d("2026-12-31")},  // this year, the ledger ending in it
        {d("2025-01-15"), d("2026-01-14")},  // no whole year
        {d("2024-01-01"), d("2027-12-31")},  // several years
        {d("2025-01-01"), d("2026-02-14")},  // a whole year and the days after it
        {d("2025-03-10"), d("2026-04-30")},  // months and days, then a year the ledger ends in
        {d("2024-11-30"), d("2026-04-04")},  // years widened at both ends
    };
    for (auto& p : tb::test::periods_of_every_shape(60)) periods.push_back(p);
    auto dir = Directory::load(b.store());
    // Pairs are keyed by member number, not by the directory's order: a
    // directory in another order than by ID gives the same network.
    auto reversed = dir.members();
    std::reverse(reversed.begin(), reversed.end());
    Directory backwards(reversed);
    auto shown = [&](const Directory& in, Period p) {
        std::ostringstream out;
        network_json(analyse_network(b.store(), in, p), in, out);
        return out.str();
    };
    REQUIRE(store::rollups_current(b.store()));
    std::vector<std::string> kept, kept_backwards;
    for (auto& p : periods) {
        kept.push_back(shown(dir, p));
        kept_backwards.push_back(shown(backwards, p));
    }
    // The yearly totals (member_year for the members' figures) are read for
    // whole years (and pair_month is not).
    Period y2025{d("2025-01-01"), d("2025-12-31")};
    auto before = analyse_network(b.store(), dir, y2025);
    b.sql("UPDATE pair_month SET exchanges = exchanges + 5 WHERE month = '2025-06'");
    b.sql("UPDATE member_year SET provided = provided + 1 WHERE year = 2025 AND member = 'ann'");
    auto after = analyse_network(b.store(), dir, y2025);
    REQUIRE_FALSE(before.groups.empty());
    CHECK(after.groups.front().exchanges == before.groups.front().exchanges + 1);
    store::rebuild_rollups(b.store());
    tb::test::forget_rollups(b);
    REQUIRE_FALSE(store::rollups_current(b.store()));
    for (std::size_t i = 0; i < periods.size(); ++i) {
        CAPTURE(to_string(periods[i].from) + ".." + to_string(periods[i].to));
        CHECK(shown(dir, periods[i]) == kept[i]);
        CHECK(shown(backwards, periods[i]) == kept_backwards[i]);
    }
    // A member without a number (a store edited by hand): the years cannot
    // be read, the months are, and the network is the same.
    store::rebuild_rollups(b.store());
    REQUIRE(store::rollups_current(b.store()));
    b.sql("UPDATE member_year SET provided = provided + 1 WHERE year = 2025");
    b.sql("DELETE FROM pair_year WHERE year = 2025");
    b.sql("UPDATE member SET num = NULL WHERE id = 'dan'");
    auto unnumbered = Directory::load(b.store());
    for (std::size_t i = 0; i < periods.size(); ++i) {
        CAPTURE(to_string(periods[i].from) + ".." + to_string(periods[i].to));
        CHECK(shown(unnumbered, periods[i]) == kept[i]);
    }
    // Numbers that are not one run (as when an account is added among the
    // members): the years are read again, through a table of numbers.
    b.sql("UPDATE member SET num = 500 WHERE id = 'dan'");
    store::rebuild_rollups(b.store());
    auto gap = Directory::load(b.store());
    REQUIRE(b.store().db().execAndGet("SELECT max(num) - min(num) + 1 > count(*) FROM member "
                                      "WHERE kind IN ('person', 'organisation')").getInt() == 1);
    for (std::size_t i = 0; i < periods.size(); ++i) {
        CAPTURE(to_string(periods[i].from) + ".." + to_string(periods[i].to));
        CHECK(shown(gap, periods[i]) == kept[i]);
    }
    b.sql("UPDATE member_year SET provided = provided + 1 WHERE year = 2025 AND member = 'ann'");
    auto after_gap = analyse_network(b.store(), gap, y2025);
    CHECK(after_gap.groups.front().exchanges == before.groups.front().exchanges + 1);
}

TEST_CASE("network: a transfer with another bank joins no one and counts for no one, over whole years or not") {
    tb::test::ReportBank b;
    b.member("ann", "Ann Lee", "2024-01-01");
    b.member("bob", "Bob Marsh", "2024-01-01");
    b.member("cat", "Cat Jones", "2024-01-01");
    b.member("bank:north", "North Timebank", "2024-01-01", MemberKind::bank);
    b.trade("2025-03-01", "ann", "bob", 60);
    b.trade("2025-04-01", "cat", "bank:north", 30);  // cat's only trade: a transfer out
    b.trade("2025-05-01", "bank:north", "ann", 15);  // and one in
    auto dir = Directory::load(b.store());
    REQUIRE(store::rollups_current(b.store()));
    // The whole year (from the yearly totals), and months and days (from the
    // monthly totals and the exchanges).
    for (Period p : {Period{d("2025-01-01"), d("2025-12-31")}, Period{d("2025-02-15"), d("2025-06-15")}}) {
        CAPTURE(to_string(p.from));
        auto n = analyse_network(b.store(), dir, p);
        REQUIRE(n.took_part.size() == 2);
        for (auto& m : n.took_part) {
            CHECK(m.partners == 1);
            CHECK(m.exchanges == 1);
        }
        auto& ann = dir[n.took_part[0].member].id == "ann" ? n.took_part[0] : n.took_part[1];
        CHECK(ann.given == 60);
        CHECK(ann.received == 0);
        REQUIRE(n.groups.size() == 1);
        CHECK(n.groups[0].members == 2);
        CHECK(n.groups[0].exchanges == 1);
        CHECK(n.groups[0].minutes == 60);
        REQUIRE(n.no_partner.size() == 1);
        CHECK(dir[n.no_partner[0]].id == "cat");
    }
}
