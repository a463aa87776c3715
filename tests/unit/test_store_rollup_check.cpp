// The monthly totals compared with the ledger in one read of each
// (lib/tb/store/rollup_check.cpp): one tampered row of each table is found,
// in tb check's words, whether the ledger's side is read on its own
// (check_rollups) or in the hash chain's pass (check_store).
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>

#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "tb/store/check.hpp"
#include "tb/store/rollup.hpp"
#include "tb/store/rollup_check.hpp"

using namespace tb;

namespace {

void bank(tb::test::ReportBank& b) {
    b.member("ann", "Ann Lee");
    b.member("bob", "Bob Marsh");
    b.member("home", "Rosewood Care Home", "2024-01-01", MemberKind::organisation);
    b.trade("2026-01-05", "ann", "bob", 60, "Gardening");
    b.trade("2026-01-09", "bob", "ann", 30, "Gardening");
    auto voided = b.trade("2026-01-20", "ann", "home", 90, "Transport");
    b.trade("2026-02-06", "home", "bob", 45, "Gardening");
    b.trade("2026-03-02", "ann", "bob", 15, "Cooking");
    // Voided in a later month: it and its void count nowhere.
    b.void_exchange(voided, "2026-02-10");
    // Pot donations are not trade.
    b.trade("2026-02-11", "ann", "pot", 60, "");
}

std::string message(const char* month, const char* table) {
    return std::string("monthly totals for ") + month + " (" + table + ") do not match the ledger";
}

// Tampers with the store, expects exactly `expected` from every way of
// checking, then puts the totals right again.
void expect(tb::test::ReportBank& b, const std::string& sql, const std::vector<std::string>& expected) {
    auto& s = b.store();
    CAPTURE(sql);
    s.db().exec(sql);
    CHECK(store::totals_differing(s) == expected);
    CHECK(store::check_rollups(s) == expected);
    CHECK(store::check_store(s) == expected);
    store::rebuild_rollups(s);
    CHECK(store::check_store(s).empty());
}

}  // namespace

TEST_CASE("kept totals that are the ledger's give nothing to say") {
    tb::test::ReportBank b;
    bank(b);
    CHECK(store::totals_differing(b.store()).empty());
    CHECK(store::check_store(b.store()).empty());
}

TEST_CASE("one tampered row of trade_month is found, in its month") {
    tb::test::ReportBank b;
    bank(b);
    expect(b, "UPDATE trade_month SET exchanges = 2 WHERE month = '2026-03'", {message("2026-03", "trade_month")});
    expect(b, "UPDATE trade_month SET pair = 1 WHERE month = '2026-03'", {message("2026-03", "trade_month")});
    expect(b, "UPDATE trade_month SET category = 'Baking' WHERE month = '2026-03'",
           {message("2026-03", "trade_month")});
    expect(b, "DELETE FROM trade_month WHERE month = '2026-02'", {message("2026-02", "trade_month")});
    expect(b, "INSERT INTO trade_month VALUES ('2025-12', 'Gardening', 0, 1, 60)", {message("2025-12", "trade_month")});
    // A count that is not a number is not the ledger's.
    expect(b, "UPDATE trade_month SET minutes = '15 minutes' WHERE month = '2026-03'", {message("2026-03", "trade_month")});
}

TEST_CASE("one tampered row of member_month is found, in its month") {
    tb::test::ReportBank b;
    bank(b);
    expect(b, "UPDATE member_month SET trades = trades + 1 WHERE month = '2026-01' AND member = 'bob'",
           {message("2026-01", "member_month")});
    expect(b, "UPDATE member_month SET member = 'home' WHERE month = '2026-03' AND member = 'bob'",
           {message("2026-03", "member_month")});
    expect(b, "DELETE FROM member_month WHERE month = '2026-02' AND member = 'home'",
           {message("2026-02", "member_month")});
    // A row that counts nothing would still list a member as trading.
    expect(b, "INSERT INTO member_month VALUES ('2026-03', 'home', 0)", {message("2026-03", "member_month")});
    expect(b, "UPDATE member_month SET member = CAST(member AS BLOB) WHERE month = '2026-03' AND member = 'ann'",
           {message("2026-03", "member_month")});
    // Two changes that keep the month's count of trades still differ.
    expect(b,
           "UPDATE member_month SET trades = CASE member WHEN 'ann' THEN 1 ELSE 3 END WHERE month = '2026-01' AND "
           "member IN ('ann', 'bob')",
           {message("2026-01", "member_month")});
}

TEST_CASE("one tampered row of pair_month is found, in its month") {
    tb::test::ReportBank b;
    bank(b);
    expect(b, "UPDATE pair_month SET minutes = 16 WHERE month = '2026-03'", {message("2026-03", "pair_month")});
    expect(b, "UPDATE pair_month SET recipient = 'home' WHERE month = '2026-03'", {message("2026-03", "pair_month")});
    expect(b, "UPDATE pair_month SET provider = 'bob', recipient = 'ann' WHERE month = '2026-03'",
           {message("2026-03", "pair_month")});
    expect(b, "INSERT INTO pair_month VALUES ('2026-02', 'bob', 'ann', 'Gardening', 0, 0)",
           {message("2026-02", "pair_month")});
    expect(b, "DELETE FROM pair_month WHERE month = '2026-02'", {message("2026-02", "pair_month")});
}

TEST_CASE("differences in several tables come table by table, each in month order") {
    tb::test::ReportBank b;
    bank(b);
    expect(b,
           "UPDATE pair_month SET minutes = 1 WHERE month = '2026-01' AND provider = 'bob'; "
           "UPDATE trade_month SET minutes = 1 WHERE month = '2026-03'; "
           "UPDATE trade_month SET minutes = 1 WHERE month = '2026-01'; "
           "DELETE FROM member_month WHERE month = '2026-02'",
           {message("2026-01", "trade_month"), message("2026-03", "trade_month"), message("2026-02", "member_month"),
            message("2026-01", "pair_month")});
}

TEST_CASE("each tampered row of trade_day is found, in its day, after the monthly tables") {
    tb::test::ReportBank b;
    bank(b);
    auto day = [](const char* d) {
        return std::string("daily totals for ") + d + " (trade_day) do not match the ledger";
    };
    expect(b, "UPDATE trade_day SET minutes = minutes + 1 WHERE day = '2026-02-06'", {day("2026-02-06")});
    expect(b, "UPDATE trade_day SET exchanges = 2 WHERE day = '2026-01-09'", {day("2026-01-09")});
    // The voided exchange's day and the void's: both count nothing.
    expect(b, "INSERT INTO trade_day VALUES ('2026-01-20', 1, 90), ('2026-02-10', 0, 0)",
           {day("2026-01-20"), day("2026-02-10")});
    expect(b, "DELETE FROM trade_day WHERE day = '2026-03-02'", {day("2026-03-02")});
    expect(b, "UPDATE trade_day SET day = '2026-01-06' WHERE day = '2026-01-05'", {day("2026-01-05"), day("2026-01-06")});
    expect(b,
           "UPDATE trade_month SET minutes = 1 WHERE month = '2026-03'; "
           "UPDATE trade_day SET minutes = 1 WHERE day = '2026-03-02'",
           {message("2026-03", "trade_month"), day("2026-03-02")});
}
