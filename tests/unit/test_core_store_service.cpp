// Whole-store operations: tb check --rebuild-totals.
#include <doctest/doctest.h>

#include <SQLiteCpp/Statement.h>
#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "tb/core/store_service.hpp"
#include "tb/store/rollup.hpp"

using namespace tb;

TEST_CASE("rebuild_totals: the monthly totals from the ledger again, audited, the ledger untouched") {
    tb::test::ReportBank b;
    b.member("ann", "Ann Lee");
    b.member("bob", "Bob Marsh");
    b.trade("2026-01-05", "ann", "bob", 60, "Gardening");
    b.trade("2026-02-06", "bob", "ann", 30, "Gardening");
    auto& s = b.store();
    auto ledger = [&] {
        SQLite::Statement q(s.db(), "SELECT group_concat(number || ':' || hash, ',') FROM exchange");
        q.executeStep();
        return q.getColumn(0).getString();
    };
    auto before = ledger();
    s.db().exec("UPDATE trade_month SET minutes = minutes + 1 WHERE month = '2026-02'");
    s.db().exec("DELETE FROM member_month WHERE month = '2026-01' AND member = 'bob'");
    REQUIRE(store::check_rollups(s).size() == 2);

    rebuild_totals(s, "tester");
    CHECK(store::check_rollups(s).empty());
    CHECK(store::rollups_current(s));
    CHECK(ledger() == before);
    SQLite::Statement q(s.db(), "SELECT who, command, target, fields FROM audit");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "tester");
    CHECK(q.getColumn(1).getString() == "tb check --rebuild-totals");
    CHECK(q.getColumn(2).getString() == "monthly totals");
    CHECK(q.getColumn(3).getString() == "trade_month,member_month");
    CHECK_FALSE(q.executeStep());
}
