// The monthly totals every ledger write keeps (lib/tb/store/rollup.cpp).
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <optional>
#include <string>
#include <vector>

#include "raw_rows.hpp"
#include "report_fixture.hpp"
#include "tb/store/check.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/store/report_queries.hpp"
#include "tb/store/rollup.hpp"

using namespace tb;
using tb::test::d;

namespace {

// Every row of both tables, as text, in key order.
std::vector<std::string> dump(store::Store& s) {
    std::vector<std::string> out;
    SQLite::Statement t(s.db(), "SELECT month || '|' || category || '|' || pair || '|' || exchanges || '|' || minutes "
                                "FROM trade_month ORDER BY month, category, pair");
    while (t.executeStep()) out.push_back("t " + t.getColumn(0).getString());
    SQLite::Statement m(s.db(), "SELECT month || '|' || member || '|' || trades FROM member_month ORDER BY month, member");
    while (m.executeStep()) out.push_back("m " + m.getColumn(0).getString());
    return out;
}

// Every row of pair_month, as text, in key order.
std::vector<std::string> dump_pairs(store::Store& s) {
    std::vector<std::string> out;
    SQLite::Statement q(s.db(), "SELECT month || '|' || provider || '|' || recipient || '|' || category || '|' || "
                                "exchanges || '|' || minutes FROM pair_month ORDER BY month, provider, recipient, category");
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

// Every row of trade_day, as text, in date order.
std::vector<std::string> dump_days(store::Store& s) {
    std::vector<std::string> out;
    SQLite::Statement q(s.db(), "SELECT day || '|' || exchanges || '|' || minutes FROM trade_day ORDER BY day");
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

// The tables must be what a rebuild from the ledger gives, and tb check must agree.
void expect_exact(store::Store& s) {
    CHECK(store::rollups_current(s));
    CHECK(store::check_rollups(s).empty());
    auto kept = dump(s);
    auto pairs = dump_pairs(s);
    auto days = dump_days(s);
    store::rebuild_rollups(s);
    CHECK(dump(s) == kept);
    CHECK(dump_pairs(s) == pairs);
    CHECK(dump_days(s) == days);
}

std::string one(store::Store& s, const std::string& sql) {
    SQLite::Statement q(s.db(), sql);
    if (!q.executeStep()) return "";
    return q.getColumn(0).isNull() ? "NULL" : q.getColumn(0).getString();
}

using tb::test::RawRows;

void bank(tb::test::ReportBank& b) { tb::test::four_members(b); }

}  // namespace

TEST_CASE("a new store keeps empty totals of an empty ledger") {
    tb::test::ReportBank b;
    CHECK(b.store().schema_version() == store::kSchemaVersion);
    CHECK(one(b.store(), "SELECT value FROM meta WHERE key = 'rollup_upto'") == "0");
    CHECK(store::rollups_current(b.store()));
    CHECK(dump(b.store()).empty());
    CHECK(store::check_rollups(b.store()).empty());
}

TEST_CASE("each exchange is added to its month, category, pair of kinds and members") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2026-01-05", "ann", "bob", 60, "Gardening");
    b.trade("2026-01-20", "ann", "home", 30, "Gardening");
    b.trade("2026-01-31", "bob", "ann", 45, "Gardening");
    b.trade("2026-02-01", "home", "cafe", 90, "");
    CHECK(dump(b.store()) == std::vector<std::string>{
                                 "t 2026-01|Gardening|0|2|105",
                                 "t 2026-01|Gardening|1|1|30",
                                 "t 2026-02||2|1|90",
                                 "m 2026-01|ann|3",
                                 "m 2026-01|bob|2",
                                 "m 2026-01|home|1",
                                 "m 2026-02|cafe|1",
                                 "m 2026-02|home|1",
                             });
    CHECK(one(b.store(), "SELECT value FROM meta WHERE key = 'rollup_upto'") == "4");
    expect_exact(b.store());
}

TEST_CASE("a void takes its original out of the original's month, in a later month or the same write") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2026-01-05", "ann", "bob", 60, "Gardening");
    auto late = b.trade("2026-01-30", "ann", "home", 30, "Household");
    b.trade("2026-02-02", "bob", "ann", 15, "Gardening");
    b.void_exchange(late, "2026-02-03");  // dated in February, reverses January
    CHECK(dump(b.store()) == std::vector<std::string>{
                                 "t 2026-01|Gardening|0|1|60",
                                 "t 2026-02|Gardening|0|1|15",
                                 "m 2026-01|ann|1",
                                 "m 2026-01|bob|1",
                                 "m 2026-02|ann|1",
                                 "m 2026-02|bob|1",
                             });
    CHECK(dump_pairs(b.store()) ==
          std::vector<std::string>{"2026-01|ann|bob|Gardening|1|60", "2026-02|bob|ann|Gardening|1|15"});
    expect_exact(b.store());

    // An exchange and its void appended before one flush (an import) net to nothing.
    {
        store::WriteTransaction tx(b.store());
        store::LedgerAppender a(b.store(), "test");
        auto e = a.append({d("2026-03-10"), "cafe", "home", 120, "Household", "", "", std::nullopt, ""});
        a.append({d("2026-04-01"), "home", "cafe", 120, "Household", "", "", e.number, ""});
        a.append({d("2026-03-11"), "cafe", "ann", 20, "Household", "", "", std::nullopt, ""});
        a.flush();
        tx.commit();
    }
    CHECK(one(b.store(), "SELECT group_concat(month || ' ' || pair || ' ' || exchanges, ',') FROM trade_month "
                         "WHERE month >= '2026-03'") == "2026-03 1 1");
    CHECK(one(b.store(), "SELECT group_concat(member, ',') FROM member_month WHERE month >= '2026-03'") ==
          "ann,cafe");
    CHECK(one(b.store(), "SELECT group_concat(provider || '>' || recipient || ' ' || exchanges, ',') FROM pair_month "
                         "WHERE month >= '2026-03'") == "cafe>ann 1");
    CHECK(dump_days(b.store()) ==
          std::vector<std::string>{"2026-01-05|1|60", "2026-02-02|1|15", "2026-03-11|1|20"});
    expect_exact(b.store());
}

TEST_CASE("exchanges written behind the totals are folded in by a refresh, few or many") {
    for (int rows : {40, 1500}) {
        CAPTURE(rows);
        tb::test::ReportBank b;
        bank(b);
        auto first = b.trade("2025-11-03", "ann", "bob", 60, "Gardening");
        auto& s = b.store();
        const char* ids[] = {"ann", "bob", "home", "cafe"};
        RawRows raw(s, first);
        auto& number = raw.number;
        auto row = [&](Date date, const std::string& p, const std::string& r, Minutes m, const std::string& cat,
                       std::optional<std::int64_t> reverses) { raw.add(date, p, r, m, cat, reverses); };
        for (int i = 0; i < rows; ++i) {
            auto date = d("2025-12-01") + i / 8;
            row(date, ids[i % 4], ids[(i + 1 + i / 4 % 3) % 4], 15 * (1 + i % 5), i % 2 ? "Gardening" : "",
                std::nullopt);
            if (i % 5 == 0) row(date + i % 45, ids[(i + 1 + i / 4 % 3) % 4], ids[i % 4], 15 * (1 + i % 5), "", number);
        }
        row(d("2026-06-01"), "bob", "ann", 60, "Gardening", first);  // last year's first, voided
        CHECK_FALSE(store::rollups_current(s));
        store::refresh_rollups(s);
        CHECK(one(s, "SELECT count(*) FROM pair_month WHERE month = '2025-11'") == "0");
        expect_exact(s);
    }
}

TEST_CASE("refreshing with nothing new writes nothing") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2026-01-05", "ann", "bob", 60);
    auto before = sqlite3_total_changes(b.store().db().getHandle());
    store::refresh_rollups(b.store());
    {
        // An appender that appended nothing flushes nothing either.
        store::LedgerAppender a(b.store(), "test");
        a.flush();
    }
    CHECK(sqlite3_total_changes(b.store().db().getHandle()) == before);
}

TEST_CASE("a member's new kind moves their trades to other pairs of kinds") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2026-01-05", "ann", "bob", 60, "Gardening");
    b.trade("2026-01-06", "ann", "home", 30, "Gardening");
    auto v = b.trade("2026-01-07", "bob", "cafe", 45, "Gardening");
    b.void_exchange(v, "2026-01-08");
    b.trade("2026-02-01", "home", "cafe", 90, "Gardening");
    auto pairs = dump_pairs(b.store());
    CHECK(pairs == std::vector<std::string>{"2026-01|ann|bob|Gardening|1|60", "2026-01|ann|home|Gardening|1|30",
                                            "2026-02|home|cafe|Gardening|1|90"});
    auto ann = *store::find_member(b.store(), "ann");
    ann.kind = MemberKind::organisation;
    store::update_member(b.store(), ann);
    // pair_month keys by member IDs: the pairs of kinds are joined when read.
    CHECK(dump_pairs(b.store()) == pairs);
    CHECK(dump(b.store()) == std::vector<std::string>{
                                 "t 2026-01|Gardening|1|1|60",
                                 "t 2026-01|Gardening|2|1|30",
                                 "t 2026-02|Gardening|2|1|90",
                                 "m 2026-01|ann|2",
                                 "m 2026-01|bob|1",
                                 "m 2026-01|home|1",
                                 "m 2026-02|cafe|1",
                                 "m 2026-02|home|1",
                             });
    expect_exact(b.store());
    // Editing anything else moves nothing.
    ann.name = "Ann Lee-Marsh";
    auto before = dump(b.store());
    store::update_member(b.store(), ann);
    CHECK(dump(b.store()) == before);
    ann.kind = MemberKind::person;
    store::update_member(b.store(), ann);
    expect_exact(b.store());
}

TEST_CASE("tb check finds totals that differ from the ledger") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2026-01-05", "ann", "bob", 60, "Gardening");
    b.trade("2026-02-06", "ann", "home", 30, "Gardening");
    auto& s = b.store();
    CHECK(store::check_store(s).empty());

    s.db().exec("UPDATE trade_month SET minutes = minutes + 1 WHERE month = '2026-02'");
    CHECK(store::check_rollups(s) ==
          std::vector<std::string>{"monthly totals for 2026-02 (trade_month) do not match the ledger"});
    CHECK(store::check_store(s) == store::check_rollups(s));
    store::rebuild_rollups(s);
    CHECK(store::check_store(s).empty());

    s.db().exec("DELETE FROM member_month WHERE month = '2026-01' AND member = 'bob'");
    s.db().exec("INSERT INTO trade_month VALUES ('2025-12', 'Gardening', 0, 1, 60)");
    CHECK(store::check_rollups(s) ==
          std::vector<std::string>{"monthly totals for 2025-12 (trade_month) do not match the ledger",
                                   "monthly totals for 2026-01 (member_month) do not match the ledger"});
    store::rebuild_rollups(s);

    s.db().exec("UPDATE pair_month SET exchanges = 2 WHERE month = '2026-02'");
    s.db().exec("DELETE FROM pair_month WHERE month = '2026-01'");
    CHECK(store::check_rollups(s) ==
          std::vector<std::string>{"monthly totals for 2026-01 (pair_month) do not match the ledger",
                                   "monthly totals for 2026-02 (pair_month) do not match the ledger"});
    store::rebuild_rollups(s);
    // A row that counts nothing would still make two members partners.
    s.db().exec("INSERT INTO pair_month VALUES ('2026-02', 'bob', 'cafe', 'Gardening', 0, 0)");
    s.db().exec("UPDATE pair_month SET provider = 'bob' WHERE month = '2026-01'");
    CHECK(store::check_rollups(s) ==
          std::vector<std::string>{"monthly totals for 2026-01 (pair_month) do not match the ledger",
                                   "monthly totals for 2026-02 (pair_month) do not match the ledger"});
    store::rebuild_rollups(s);

    store::set_meta(s, "rollup_upto", "1");
    CHECK_FALSE(store::rollups_current(s));
    CHECK(store::check_rollups(s) ==
          std::vector<std::string>{"monthly totals: they hold exchanges up to number 1, but the last is 2"});
    s.db().exec("DELETE FROM meta WHERE key = 'rollup_upto'");
    CHECK_FALSE(store::rollups_current(s));
    store::refresh_rollups(s);  // never kept: rebuilt
    CHECK(store::check_rollups(s).empty());
}

TEST_CASE("a large write (an import) is folded in as exactly as a small one") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2025-12-30", "ann", "bob", 60, "Gardening");
    const char* ids[] = {"ann", "bob", "home", "cafe"};
    {
        store::WriteTransaction tx(b.store());
        store::LedgerAppender a(b.store(), "test");
        for (int i = 0; i < 1500; ++i) {
            auto date = d("2026-01-01") + i / 10;
            auto e = a.append({date, ids[i % 4], ids[(i + 1 + i / 4 % 3) % 4], 15 * (1 + i % 5),
                               i % 3 ? "Gardening" : "", "", "", std::nullopt, ""});
            // Every seventh voided in the same write, some a month later.
            if (i % 7 == 0)
                a.append({date + i % 40, e.recipient, e.provider, e.minutes, e.category, "", "", e.number, ""});
        }
        a.append({d("2026-06-01"), "bob", "ann", 60, "Gardening", "", "", 1, ""});  // voids the first, last year's
        a.flush();
        tx.commit();
    }
    CHECK(one(b.store(), "SELECT count(*) FROM trade_month WHERE month = '2025-12'") == "0");
    expect_exact(b.store());
}

TEST_CASE("a batch that writes its member counts out as it goes gives the same totals") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2025-11-03", "ann", "bob", 60, "Gardening");
    auto& s = b.store();
    const char* ids[] = {"ann", "bob", "home", "cafe"};
    store::WriteTransaction tx(s);
    // Member counts are written out every 3 of them: many times below.
    store::RollupBatch batch(s, 3);
    RawRows raw(s, 1);
    auto& number = raw.number;
    auto row = [&](Date date, const std::string& p, const std::string& r, Minutes m, const std::string& cat,
                   std::optional<std::int64_t> reverses) {
        raw.add(date, p, r, m, cat, reverses);
        if (reverses) batch.void_of(*reverses);
        else batch.add(date, cat, p, r, m);
    };
    for (int i = 0; i < 200; ++i) {
        auto date = d("2025-12-01") + i;
        row(date, ids[i % 4], ids[(i + 1 + i / 4 % 3) % 4], 15 * (1 + i % 5), i % 2 ? "Gardening" : "", std::nullopt);
        // Every fifth voided, some in a later month; the first of all, last month's, too.
        if (i % 5 == 0) row(date + i % 45, ids[(i + 1 + i / 4 % 3) % 4], ids[i % 4], 15 * (1 + i % 5), "", number);
    }
    row(d("2026-06-01"), "bob", "ann", 60, "Gardening", 1);
    batch.apply(number);
    tx.commit();
    CHECK(one(s, "SELECT count(*) FROM member_month WHERE month = '2025-11'") == "0");
    expect_exact(s);
}

TEST_CASE("daily totals from trade_day are those of a full scan, voids netted across days, months and years") {
    tb::test::ReportBank b;
    bank(b);
    const char* ids[] = {"ann", "bob", "home", "cafe"};
    {
        store::WriteTransaction tx(b.store());
        store::LedgerAppender a(b.store(), "test");
        for (int i = 0; i < 900; ++i) {
            auto date = d("2025-11-20") + i / 6;
            auto e = a.append({date, ids[i % 4], ids[(i + 1 + i / 4 % 3) % 4], 15 * (1 + i % 5), "Gardening", "",
                               "", std::nullopt, ""});
            // Some voided the same day, some a month or a year later; every
            // ninth day's trades all voided, leaving the day empty.
            if (i % 7 == 0 || i / 6 % 9 == 0)
                a.append({date + (i % 3 == 0 ? 0 : i % 3 == 1 ? 31 : 370), e.recipient, e.provider, e.minutes,
                          "", "", "", e.number, ""});
        }
        // A pot donation is no trade.
        a.append({d("2025-12-01"), "ann", "pot", 60, "", "", "", std::nullopt, ""});
        a.flush();
        tx.commit();
    }
    // A few more one at a time, with a void of a void.
    auto x = b.trade("2026-01-02", "bob", "cafe", 45, "Cooking");
    auto v = b.void_exchange(x, "2026-03-01");
    b.void_exchange(v, "2026-03-02");
    expect_exact(b.store());
    auto& s = b.store();
    auto kept = store::daily_trade_totals(s, d("2025-11-01"), d("2026-12-31"));
    // The same figures from the exchanges: totals that are not current are not read.
    s.db().exec("DELETE FROM meta WHERE key = 'rollup_upto'");
    REQUIRE_FALSE(store::rollups_current(s));
    auto scanned = store::daily_trade_totals(s, d("2025-11-01"), d("2026-12-31"));
    REQUIRE(kept.size() == scanned.size());
    CHECK(kept.size() > 100);
    for (std::size_t i = 0; i < kept.size(); ++i) {
        CHECK(kept[i].date == scanned[i].date);
        CHECK(kept[i].exchanges == scanned[i].exchanges);
        CHECK(kept[i].minutes == scanned[i].minutes);
    }
    // And a part of the range gives the part of the days.
    auto part = store::daily_trade_totals(s, d("2026-01-01"), d("2026-01-31"));
    store::refresh_rollups(s);  // never kept: rebuilt
    REQUIRE(store::rollups_current(s));
    auto part_kept = store::daily_trade_totals(s, d("2026-01-01"), d("2026-01-31"));
    REQUIRE(part.size() == part_kept.size());
    for (std::size_t i = 0; i < part.size(); ++i) {
        CHECK(part[i].date == part_kept[i].date);
        CHECK(part[i].exchanges == part_kept[i].exchanges);
        CHECK(part[i].minutes == part_kept[i].minutes);
    }
}

namespace {

// Members first met out of ID order, an ID that is the start of another,
// categories met out of order, rows voided across months and years, the
// gathered rows written out past `spill_at` of them: the tables are what the
// ledger gives, as a rebuild and tb check find them.
void batch_by_slot(std::size_t spill_at) {
    CAPTURE(spill_at);
    tb::test::ReportBank b;
    const char* ids[] = {"m9", "m10", "m1x", "m1", "home"};
    for (auto* id : ids) b.member(id, std::string("Member ") + id);
    b.sql("UPDATE member SET kind = 'organisation' WHERE id = 'home'");
    b.trade("2025-11-03", "m1", "m9", 60, "Gardening");
    auto& s = b.store();
    store::WriteTransaction tx(s);
    store::RollupBatch batch(s, spill_at);
    RawRows raw(s, 1);
    auto& number = raw.number;
    const char* categories[] = {"Repairs", "", "Gardening", "Admin"};
    for (int i = 0; i < 160; ++i) {
        auto date = d("2025-12-28") + i * 3;
        std::string p = ids[i % 5], r = ids[(i * 3 + 1) % 5], cat = categories[i / 3 % 4];
        Minutes m = 15 * (1 + i % 4);
        raw.add(date, p, r, m, cat, std::nullopt);
        // By slot and by ID, which give the same slots.
        if (i % 2) batch.add(date, cat, batch.slot(p), batch.slot(r), m);
        else batch.add(date, cat, p, r, m);
        if (i % 7 == 0) {
            auto original = number;
            raw.add(date + i % 40, r, p, m, "", original);
            batch.void_of(original);
        }
    }
    CHECK(batch.id(batch.slot("m10")) == "m10");
    raw.add(d("2026-09-01"), "m9", "m1", 60, "", 1);  // the first trade, last year's, voided
    batch.void_of(1);
    batch.apply(number);
    tx.commit();
    CHECK(one(s, "SELECT count(*) FROM member_month WHERE month = '2025-11'") == "0");
    CHECK(one(s, "SELECT count(DISTINCT category) FROM pair_month") == "4");
    expect_exact(s);
}

}  // namespace

TEST_CASE("a batch gathers by member slot, month and category, and writes the rows an ID-keyed one did") {
    // Written out every two entries, often, or once, at the end.
    for (std::size_t spill_at : {2, 9, 14, 40, 100000}) batch_by_slot(spill_at);
}
