// store/import_stage.cpp: the staging table an exchange import reads back.
#include <doctest/doctest.h>

#include <SQLiteCpp/Statement.h>

#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "tb/store/check.hpp"
#include "tb/store/import_stage.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/rollup.hpp"

using namespace tb;
using tb::test::d;

namespace {

store::StagedExchange staged(std::int64_t line, const char* date, const std::string& p, const std::string& r,
                             Minutes m, const std::string& cat) {
    store::StagedExchange e;
    e.line = line;
    e.date = d(date);
    e.provider = p;
    e.recipient = r;
    e.minutes = m;
    e.category = cat;
    e.note = "row " + std::to_string(line);
    if (line % 3 == 0) e.ref = "ref-" + std::to_string(line);
    e.fingerprint = exchange_fingerprint(e.date, p, r, m, cat, e.note);
    return e;
}

std::vector<std::string> rows_of(store::Store& s, const std::string& sql) {
    std::vector<std::string> out;
    SQLite::Statement q(s.db(), sql);
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

}  // namespace

TEST_CASE("the stage: rows back in date order, fingerprints found, numbered against the ledger") {
    test::ReportBank b;
    b.member("ann", "Ann");
    b.member("bob", "Bob");
    b.trade("2026-01-05", "ann", "bob", 60, "Gardening", "row 2");
    auto& s = b.store();
    store::ExchangeStage stage(s);
    stage.add(staged(1, "2026-01-07", "ann", "bob", 30, "Household"));
    stage.add(staged(2, "2026-01-05", "ann", "bob", 60, "Gardening"));  // the ledger has it
    auto third = staged(3, "2026-01-05", "ann", "bob", 60, "Gardening");
    third.provider_slot = 4;  // the caller's numbers for the members, kept with the row
    third.recipient_slot = 7;
    stage.add(third);
    CHECK(stage.has_fingerprint(staged(2, "2026-01-05", "ann", "bob", 60, "Gardening").fingerprint));
    CHECK_FALSE(stage.has_fingerprint("no such fingerprint"));
    std::vector<std::string> seen;
    stage.for_each(store::max_exchange_number(s), [&](const store::StagedExchange& e) {
        seen.push_back(std::to_string(e.line) + " " + to_string(e.date) + " " + e.ref + " " + std::to_string(e.nth) +
                       "/" + std::to_string(e.existing) + " " + std::to_string(e.provider_slot) + "," +
                       std::to_string(e.recipient_slot));
        CHECK(stage.has_fingerprint(e.fingerprint));  // asked while the rows are read, as the import does
    });
    CHECK(seen == std::vector<std::string>{"2 2026-01-05  1/1 -1,-1", "3 2026-01-05 ref-3 1/0 4,7",
                                           "1 2026-01-07  1/0 -1,-1"});
}

TEST_CASE("an import's write: the kept totals equal a full recomputation, the chain verifies") {
    test::ReportBank b;
    const std::vector<std::string> ids = {"ann", "bob", "cy", "dee", "eve"};
    for (auto& id : ids) b.member(id, id);
    b.trade("2025-12-30", "ann", "bob", 60, "Gardening");
    auto& s = b.store();
    store::ExchangeStage stage(s);
    for (int i = 1; i <= 400; ++i) {
        auto day = to_string(d("2025-12-01") + (i * 37) % 120);  // out of date order
        stage.add(staged(i, day.c_str(), ids[i % 5], ids[(i + 1 + i / 5 % 4) % 5], 15 * (1 + i % 6),
                         i % 4 ? "Gardening" : "Household"));
    }
    {
        store::WriteTransaction tx(s);
        store::LedgerAppender a(s, "test");
        // As write_exchanges does: each staged row appended, every ninth voided later.
        stage.for_each(store::max_exchange_number(s), [&](const store::StagedExchange& x) {
            auto e = a.append({x.date, x.provider, x.recipient, x.minutes, x.category, x.note, x.ref, std::nullopt, ""},
                              x.fingerprint);
            if (x.line % 9 == 0)
                a.append({x.date + 20, e.recipient, e.provider, e.minutes, e.category, "", "", e.number, ""});
        });
        a.flush();
        tx.commit();
    }
    CHECK(store::check_rollups(s).empty());
    CHECK(store::check_store(s).empty());
    auto kept = rows_of(s, "SELECT month || provider || recipient || category || exchanges || '/' || minutes "
                           "FROM pair_month ORDER BY 1");
    auto members = rows_of(s, "SELECT month || member || trades FROM member_month ORDER BY 1");
    store::rebuild_rollups(s);
    CHECK(rows_of(s, "SELECT month || provider || recipient || category || exchanges || '/' || minutes "
                     "FROM pair_month ORDER BY 1") == kept);
    CHECK(rows_of(s, "SELECT month || member || trades FROM member_month ORDER BY 1") == members);
}

TEST_CASE("a stage left behind by an earlier import on the same connection: the next starts empty") {
    test::ReportBank b;
    b.member("ann", "Ann");
    b.member("bob", "Bob");
    auto& s = b.store();
    {
        store::ExchangeStage first(s);
        first.add(staged(1, "2026-01-07", "ann", "bob", 30, "Household"));
        first.add(staged(2, "2026-01-08", "ann", "bob", 45, "Household"));
    }
    // Its rows are not dropped with it (the temporary file goes with the connection).
    CHECK(rows_of(s, "SELECT count(*) FROM temp.import_row") == std::vector<std::string>{"2"});
    store::ExchangeStage second(s);
    second.add(staged(5, "2026-02-01", "bob", "ann", 60, "Gardening"));
    std::vector<std::int64_t> lines;
    second.for_each(store::max_exchange_number(s), [&](const store::StagedExchange& e) { lines.push_back(e.line); });
    CHECK(lines == std::vector<std::int64_t>{5});
    CHECK_FALSE(second.has_fingerprint(staged(1, "2026-01-07", "ann", "bob", 30, "Household").fingerprint));
}
