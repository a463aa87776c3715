// The ledger service: record (one exchange or a group, all or none), void
// and opening balances, each in one transaction with its audit rows, under
// every rule of SPEC "Policy".
#include <doctest/doctest.h>

#include <SQLiteCpp/Statement.h>
#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "sql_rows.hpp"
#include "thrown.hpp"
#include "tb/core/ledger_service.hpp"
#include "tb/core/member_service.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/util/error.hpp"

using namespace tb;
using tb::test::d;
using tb::test::ReportBank;
using tb::test::sql_rows;
using tb::test::thrown;

namespace {

const Date kToday = d("2026-11-27");

Config bank_config() {
    Config c;
    c.categories = {{"Gardening", {"weeding"}, {}, {}}, {"Transport & lifts", {}, {}, {}}};
    c.max_balance = 10 * 60;
    return c;
}

void members(ReportBank& b) {
    b.member("M0001", "Ann Lee");
    b.member("M0002", "Bob Marsh");
    b.member("M0003", "Cy Dunn");
}

ExchangeDraft draft(Minutes minutes, const char* category = "", const char* date = "2026-11-20") {
    ExchangeDraft x;
    x.date = d(date);
    x.minutes = minutes;
    x.category = category;
    return x;
}

std::string balances(ReportBank& b) { return sql_rows(b.store().db(), "SELECT id, balance, opening FROM member ORDER BY id"); }
std::string exchanges(ReportBank& b) {
    return sql_rows(b.store().db(), "SELECT number, date, provider, recipient, minutes, category, coalesce(reverses, ''), "
                                    "override_reason FROM exchange ORDER BY number");
}
std::string audit(ReportBank& b) {
    return sql_rows(b.store().db(), "SELECT who, command, target, fields FROM audit ORDER BY id");
}

}  // namespace

TEST_CASE("record: one exchange, its category under the taxonomy's name, balances moved, audited") {
    ReportBank b;
    members(b);
    auto c = bank_config();
    auto x = draft(90, "weeding");
    x.note = "the beds";
    auto r = record_exchanges(b.store(), c, kToday, {"M0001"}, {"Bob Marsh"}, x, "tester");
    REQUIRE(r.exchanges.size() == 1);
    CHECK(r.exchanges[0].number == 1);
    CHECK(r.exchanges[0].provider == "M0001");
    CHECK(r.exchanges[0].recipient == "M0002");
    CHECK(r.exchanges[0].category == "Gardening");
    CHECK(r.warnings.empty());
    CHECK(exchanges(b) == "1|2026-11-20|M0001|M0002|90|Gardening||");
    CHECK(balances(b) == "M0001|90|0\nM0002|-90|0\nM0003|0|0\npot|0|0");
    CHECK(audit(b) == "tester|tb-exchange record|exchange 1|date,provider,recipient,minutes,category,note");
}

TEST_CASE("record: a group exchange is one row a pair, later rows seeing the earlier balances") {
    ReportBank b;
    members(b);
    auto c = bank_config();
    c.warn_below = -60;
    auto r = record_exchanges(b.store(), c, kToday, {"M0003"}, {"M0001", "M0002"}, draft(45), "tester");
    REQUIRE(r.exchanges.size() == 2);
    CHECK(exchanges(b) == "1|2026-11-20|M0003|M0001|45|||\n2|2026-11-20|M0003|M0002|45|||");
    CHECK(balances(b) == "M0001|-45|0\nM0002|-45|0\nM0003|90|0\npot|0|0");
    CHECK(r.warnings.empty());
    // The warning level is crossed after the exchange, not before.
    auto big = record_exchanges(b.store(), c, kToday, {"M0001"}, {"M0002"}, draft(30), "tester");
    CHECK(big.warnings == std::vector<std::string>{"M0002 has -1.25 hours, below the warning level of -1.00"});
    // Cy's ceiling of 10 hours is passed by the group's second row only.
    auto over = thrown([&] {
        record_exchanges(b.store(), c, kToday, {"M0003"}, {"M0001", "M0002"}, draft(5 * 60), "tester");
    });
    CHECK(over.code == ExitCode::rejected);
    CHECK(over.message ==
          "M0003 would reach 11.50 hours, above the limit of 10.00 (a coordinator may use --override REASON)");
    CHECK(sql_rows(b.store().db(), "SELECT count(*) FROM exchange") == "3");  // all or none
}

TEST_CASE("record: the command's shape refused as usage, before the store is read") {
    ReportBank b;
    members(b);
    auto c = bank_config();
    auto usage = [&](std::vector<std::string> p, std::vector<std::string> r, ExchangeDraft x) {
        return thrown([&] { record_exchanges(b.store(), c, kToday, p, r, x, "tester"); });
    };
    CHECK(usage({}, {"M0002"}, draft(60)).message == "an exchange needs a provider and a recipient");
    CHECK(usage({"M0001", "M0002"}, {"M0003", "pot"}, draft(60)).message ==
          "a group exchange has several recipients or several providers, not both");
    auto ref = draft(60);
    ref.ref = "R1";
    CHECK(usage({"M0001"}, {"M0002", "M0003"}, ref).message == "--ref names one exchange; a group exchange cannot take one");
    auto twice = usage({"M0003"}, {"M0001", "Ann Lee"}, draft(60));
    CHECK(twice.code == ExitCode::usage);
    CHECK(twice.message == "member M0001 is named twice ('M0001' and 'Ann Lee')");
    CHECK(usage({"M0001"}, {"M0009"}, draft(60)).code == ExitCode::not_found);
    CHECK(sql_rows(b.store().db(), "SELECT count(*) FROM exchange") == "0");
}

TEST_CASE("record: every rule broken is named; --override lets through only what it may") {
    ReportBank b;
    members(b);
    auto c = bank_config();
    auto late = draft(60, "", "2024-01-01");
    auto r = thrown([&] { record_exchanges(b.store(), c, kToday, {"M0001"}, {"M0002"}, late, "tester"); });
    CHECK(r.code == ExitCode::rejected);
    CHECK(r.message ==
          "date 2024-01-01 is 1061 days ago, more than the limit of 365 days (a coordinator may use --override REASON)");
    late.override_reason = "paper slip found";
    auto ok = record_exchanges(b.store(), c, kToday, {"M0001"}, {"M0002"}, late, "tester");
    CHECK(ok.exchanges[0].override_reason == "paper slip found");
    CHECK(audit(b) == "tester|tb-exchange record|exchange 1|date,provider,recipient,minutes,override");

    // Not overridable: no hint, and the override does not help.
    auto bad = draft(25 * 60, "Plumbing");
    CHECK(thrown([&] { record_exchanges(b.store(), c, kToday, {"M0001"}, {"M0002"}, bad, "tester"); }).message ==
          "category 'Plumbing' is not in the taxonomy; the categories are listed by `tb config`");
    bad.category = "";
    bad.override_reason = "please";
    CHECK(thrown([&] { record_exchanges(b.store(), c, kToday, {"M0001"}, {"M0001"}, bad, "tester"); }).message ==
          "M0001 cannot exchange with themselves; 25.00 hours is more than the limit of 24.00 hours per exchange");

    block_members(b.store(), "M0001", "M0003", "safeguarding", "tester");
    auto blocked = thrown([&] { record_exchanges(b.store(), c, kToday, {"M0003"}, {"M0001"}, draft(60), "tester"); });
    CHECK(blocked.message ==
          "M0003 and M0001 are a blocked pair (tb-member block list) (a coordinator may use --override REASON)");
    b.set_status("M0002", MemberStatus::inactive);
    CHECK(thrown([&] { record_exchanges(b.store(), c, kToday, {"M0002"}, {"M0003"}, draft(60), "tester"); }).message ==
          "M0002 is inactive, not active");
    CHECK(sql_rows(b.store().db(), "SELECT count(*) FROM exchange") == "1");
}

TEST_CASE("void: a reversing exchange dated today, refused for a void, twice, or an unknown number") {
    ReportBank b;
    members(b);
    auto c = bank_config();
    record_exchanges(b.store(), c, kToday, {"M0001"}, {"M0002"}, draft(90, "Gardening"), "tester");
    auto v = void_exchange(b.store(), kToday, 1, "wrong day", "coord");
    CHECK(v.number == 2);
    CHECK(v.reverses == 1);
    CHECK(v.note == "wrong day");
    CHECK(exchanges(b) == "1|2026-11-20|M0001|M0002|90|Gardening||\n2|2026-11-27|M0002|M0001|90|Gardening|1|");
    CHECK(balances(b) == "M0001|0|0\nM0002|0|0\nM0003|0|0\npot|0|0");
    CHECK(sql_rows(b.store().db(), "SELECT who, command, target, fields FROM audit WHERE id = 2") ==
          "coord|tb-exchange void|exchange 2|reverses,note");

    auto twice = thrown([&] { void_exchange(b.store(), kToday, 1, "again", "coord"); });
    CHECK(twice.code == ExitCode::rejected);
    CHECK(twice.message == "exchange 1 is already voided (by exchange 2)");
    CHECK(thrown([&] { void_exchange(b.store(), kToday, 2, "undo", "coord"); }).message ==
          "exchange 2 is itself a void (of exchange 1); record a new exchange instead");
    auto missing = thrown([&] { void_exchange(b.store(), kToday, 9, "x", "coord"); });
    CHECK(missing.code == ExitCode::not_found);
    CHECK(missing.message == "no exchange 9");

    // A void of an exchange dated after today keeps that date.
    record_exchanges(b.store(), c, d("2026-11-30"), {"M0001"}, {"M0002"}, draft(30, "", "2026-11-30"), "tester");
    CHECK(void_exchange(b.store(), kToday, 3, "typo", "coord").date == d("2026-11-30"));
}

TEST_CASE("opening balance: kept in the member's balance and opening, audited; refused in the future or forgotten") {
    ReportBank b;
    members(b);
    auto o = record_opening(b.store(), "Ann Lee", -180, d("2026-01-01"), kToday, "from the old bank", "coord");
    CHECK(o.number == 1);
    CHECK(o.member == "M0001");
    CHECK(o.minutes == -180);
    CHECK(sql_rows(b.store().db(), "SELECT number, member, minutes, date, note FROM opening") ==
          "1|M0001|-180|2026-01-01|from the old bank");
    CHECK(balances(b) == "M0001|-180|-180\nM0002|0|0\nM0003|0|0\npot|0|0");
    CHECK(audit(b) == "coord|tb-exchange opening|M0001|opening");

    auto future = thrown([&] { record_opening(b.store(), "M0002", 60, d("2026-11-28"), kToday, "", "coord"); });
    CHECK(future.code == ExitCode::rejected);
    CHECK(future.message == "date 2026-11-28 is in the future (today is 2026-11-27)");
    forget_member(b.store(), "M0003", "asked", "coord");
    auto forgotten = thrown([&] { record_opening(b.store(), "M0003", 60, d("2026-01-01"), kToday, "", "coord"); });
    CHECK(forgotten.code == ExitCode::rejected);
    CHECK(sql_rows(b.store().db(), "SELECT count(*) FROM opening") == "1");
}

TEST_CASE("amend: a void and the corrected exchange, the rules applied as if the original were voided") {
    ReportBank b;
    members(b);
    auto c = bank_config();
    record_exchanges(b.store(), c, kToday, {"M0001"}, {"M0002"}, draft(9 * 60), "tester");
    // Raising 9 hours to 10 reaches Ann's ceiling of 10 exactly: allowed,
    // because the 9 hours being corrected no longer count.
    ExchangeAmendment a;
    a.minutes = 10 * 60;
    a.reason = "it was ten";
    auto r = amend_exchange(b.store(), c, kToday, 1, a, "coord");
    CHECK(r.voided.number == 2);
    CHECK(r.voided.reverses == 1);
    CHECK(r.corrected.number == 3);
    CHECK(r.corrected.amends == 1);
    CHECK(r.corrected.minutes == 600);
    CHECK(balances(b) == "M0001|600|0\nM0002|-600|0\nM0003|0|0\npot|0|0");
    a.minutes = 11 * 60;
    CHECK(thrown([&] { amend_exchange(b.store(), c, kToday, 3, a, "coord"); }).message ==
          "M0001 would reach 11.00 hours, above the limit of 10.00 (a coordinator may use --override REASON)");
    CHECK(thrown([&] { amend_exchange(b.store(), c, kToday, 1, a, "coord"); }).message ==
          "exchange 1 is already amended (by exchange 3); amend exchange 3 instead");
}
