// The trades per year and unordered pair of members (lib/tb/store/pair_year.cpp):
// kept by every write, a void taking its original out of the original's year,
// the pot left out as pair_month leaves it, compared by tb check, read in
// pair order.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <optional>
#include <string>
#include <vector>

#include "raw_rows.hpp"
#include "report_fixture.hpp"
#include "tb/store/check.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/pair_year.hpp"
#include "tb/store/rollup.hpp"
#include "tb/store/rollup_check.hpp"

using namespace tb;
using tb::test::d;

namespace {

// Every row of pair_year, as text, in key order, its members by ID. The
// members' numbers (member.num) are those of four_members: pot 1, ann 2,
// bob 3, home 4, cafe 5.
std::vector<std::string> rows(store::Store& s) {
    std::vector<std::string> out;
    SQLite::Statement q(s.db(), "SELECT year || '|' || lo.id || '|' || hi.id || '|' || exchanges_lh || '|' || minutes_lh "
                                "|| '|' || exchanges_hl || '|' || minutes_hl FROM pair_year p JOIN member lo ON "
                                "lo.num = p.low JOIN member hi ON hi.num = p.high ORDER BY year, low, high");
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

// The table must be what a rebuild from the ledger gives, and tb check must agree.
void expect_exact(store::Store& s) {
    CHECK(store::rollups_current(s));
    CHECK(store::check_rollups(s).empty());
    auto kept = rows(s);
    store::rebuild_rollups(s);
    CHECK(rows(s) == kept);
}

void bank(tb::test::ReportBank& b) { tb::test::four_members(b); }

}  // namespace

TEST_CASE("pair_year: a trade counts in its year, under its pair in number order, in its direction") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2025-03-05", "bob", "ann", 60, "Gardening");  // high to low
    b.trade("2025-07-01", "ann", "bob", 30, "Household");  // low to high, same pair and year
    b.trade("2025-12-31", "ann", "bob", 15, "Gardening");
    b.trade("2026-01-01", "ann", "bob", 45, "Gardening");  // the next year: a row of its own
    b.trade("2026-02-01", "home", "cafe", 90, "");
    CHECK(rows(b.store()) == std::vector<std::string>{"2025|ann|bob|2|45|1|60", "2026|ann|bob|1|45|0|0",
                                                      "2026|home|cafe|1|90|0|0"});
    expect_exact(b.store());
}

TEST_CASE("pair_year: a void takes its original out of the original's year, the pot is no trade") {
    tb::test::ReportBank b;
    bank(b);
    auto dec = b.trade("2025-12-30", "bob", "ann", 60, "Gardening");
    b.trade("2025-12-31", "ann", "bob", 30, "Gardening");
    auto jan = b.trade("2026-01-05", "home", "ann", 20, "Gardening");
    b.trade("2026-01-06", "ann", "pot", 60, "");  // a donation
    b.trade("2026-01-07", "pot", "home", 30, "");  // a grant
    CHECK(rows(b.store()) == std::vector<std::string>{"2025|ann|bob|1|30|1|60", "2026|ann|home|0|0|1|20"});
    b.void_exchange(dec, "2026-01-10");  // dated 2026, takes out of 2025
    CHECK(rows(b.store()) == std::vector<std::string>{"2025|ann|bob|1|30|0|0", "2026|ann|home|0|0|1|20"});
    b.void_exchange(jan, "2026-01-11");  // the row nets to nothing: gone
    CHECK(rows(b.store()) == std::vector<std::string>{"2025|ann|bob|1|30|0|0"});
    expect_exact(b.store());

    // An exchange and its void appended before one flush (an import) net to nothing.
    {
        store::WriteTransaction tx(b.store());
        store::LedgerAppender a(b.store(), "test");
        auto e = a.append({d("2026-03-10"), "cafe", "home", 120, "Household", "", "", std::nullopt, ""});
        a.append({d("2027-04-01"), "home", "cafe", 120, "Household", "", "", e.number, ""});
        a.append({d("2026-03-11"), "home", "cafe", 20, "Household", "", "", std::nullopt, ""});
        a.flush();
        tx.commit();
    }
    CHECK(rows(b.store()) == std::vector<std::string>{"2025|ann|bob|1|30|0|0", "2026|home|cafe|1|20|0|0"});
    expect_exact(b.store());
}

TEST_CASE("pair_year: exchanges written behind the totals are folded in by a refresh, few or many") {
    for (int n : {40, 1500}) {
        CAPTURE(n);
        tb::test::ReportBank b;
        bank(b);
        auto first = b.trade("2024-12-03", "ann", "bob", 60, "Gardening");
        auto& s = b.store();
        tb::test::RawRows raw(s, first);
        auto& number = raw.number;
        auto row = [&](Date date, const char* p, const char* r, Minutes m, std::optional<std::int64_t> reverses) {
            raw.add(date, p, r, m, "", reverses);
        };
        const char* ids[] = {"ann", "bob", "home", "cafe", "pot"};
        for (int i = 0; i < n; ++i) {
            auto date = d("2025-12-01") + i / 8;
            row(date, ids[i % 5], ids[(i + 1 + i / 5 % 3) % 5], 15 * (1 + i % 5), std::nullopt);
            // Every fifth voided, some in the next year.
            if (i % 5 == 0) row(date + i % 45, ids[(i + 1 + i / 5 % 3) % 5], ids[i % 5], 15, number);
        }
        row(d("2026-06-01"), "bob", "ann", 60, first);  // the first, of 2024, voided
        CHECK_FALSE(store::rollups_current(s));
        store::refresh_rollups(s);
        CHECK(rows(s).front().substr(0, 4) == "2025");
        expect_exact(s);
    }
}

TEST_CASE("pair_year: a batch that writes its rows out as it goes gives the same table") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2025-11-03", "ann", "bob", 60, "Gardening");
    auto& s = b.store();
    store::WriteTransaction tx(s);
    // Rows are written out every three of them: many times below.
    store::RollupBatch batch(s, 3);
    tb::test::RawRows raw(s, 1);
    auto& number = raw.number;
    auto row = [&](Date date, const std::string& p, const std::string& r, Minutes m,
                   std::optional<std::int64_t> reverses) {
        raw.add(date, p, r, m, "", reverses);
        if (reverses) batch.void_of(*reverses);
        else batch.add(date, "", p, r, m);
    };
    const char* ids[] = {"ann", "bob", "home", "cafe"};
    for (int i = 0; i < 300; ++i) {
        auto date = d("2025-12-20") + i;
        row(date, ids[i % 4], ids[(i + 1 + i / 4 % 3) % 4], 15 * (1 + i % 3), std::nullopt);
        // Every sixth voided, some in the next year.
        if (i % 6 == 0) row(date + 200, ids[(i + 1 + i / 4 % 3) % 4], ids[i % 4], 15 * (1 + i % 3), number);
    }
    row(d("2026-06-01"), "bob", "ann", 60, 1);  // last year's first
    batch.apply(number);
    tx.commit();
    CHECK(rows(s).front().substr(0, 4) == "2025");
    expect_exact(s);
}

TEST_CASE("pair_year: tb check finds a tampered row, one line per year, and a rebuild puts it right") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2025-03-05", "bob", "ann", 60, "Gardening");
    b.trade("2026-01-01", "ann", "bob", 45, "Gardening");
    b.trade("2026-02-01", "home", "cafe", 90, "");
    auto& s = b.store();
    auto expect = [&](const std::string& sql, const std::vector<std::string>& expected) {
        CAPTURE(sql);
        s.db().exec(sql);
        CHECK(store::totals_differing(s) == expected);
        CHECK(store::check_store(s) == expected);
        store::rebuild_rollups(s);
        CHECK(store::check_store(s).empty());
    };
    auto y2025 = "yearly totals for 2025 (pair_year) do not match the ledger";
    auto y2026 = "yearly totals for 2026 (pair_year) do not match the ledger";
    expect("UPDATE pair_year SET minutes_hl = minutes_hl + 1 WHERE year = 2025", {y2025});
    expect("UPDATE pair_year SET exchanges_lh = 1, minutes_lh = 60, exchanges_hl = 0, minutes_hl = 0 "
           "WHERE year = 2025",
           {y2025});  // the direction swapped
    expect("UPDATE pair_year SET low = 3, high = 2 WHERE year = 2025", {y2025});  // out of order
    expect("UPDATE pair_year SET high = 5 WHERE year = 2025", {y2025});           // cafe, not bob
    expect("UPDATE pair_year SET high = 99 WHERE year = 2025", {y2025});          // nobody's number
    expect("DELETE FROM pair_year WHERE high = 5", {y2026});
    expect("INSERT INTO pair_year VALUES (2024, 2, 4, 0, 0, 0, 0)", {"yearly totals for 2024 (pair_year) do "
                                                                      "not match the ledger"});
    expect("UPDATE pair_year SET year = 2027 WHERE year = 2025; UPDATE pair_year SET minutes_lh = 0 "
           "WHERE year = 2026 AND low = 2",
           {y2025, y2026, "yearly totals for 2027 (pair_year) do not match the ledger"});
}

TEST_CASE("pair_year: a member renumbered behind tb's back is found by tb check") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2025-03-05", "bob", "ann", 60, "Gardening");
    b.trade("2026-01-01", "home", "bob", 45, "Gardening");
    auto& s = b.store();
    s.db().exec("UPDATE member SET num = 98 WHERE id = 'bob'");
    std::vector<std::string> both{"yearly totals for 2025 (pair_year) do not match the ledger",
                                  "yearly totals for 2026 (pair_year) do not match the ledger"};
    CHECK(store::totals_differing(s) == both);
    store::rebuild_rollups(s);
    CHECK(store::check_store(s).empty());
    CHECK(rows(s) == std::vector<std::string>{"2025|ann|bob|0|0|1|60", "2026|home|bob|1|45|0|0"});
}

TEST_CASE("pair_year: a side that is no member, or a member without a number yet, leaves the trade out") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2025-03-05", "bob", "ann", 60, "Gardening");
    auto& s = b.store();
    // Rows written outside tb: a side that is no member; then folded in by a write.
    b.sql("PRAGMA foreign_keys = OFF");
    b.sql("INSERT INTO exchange (number, date, provider, recipient, minutes, recorded_at, recorded_by, fingerprint, "
          "note_digest, hash) SELECT max(number) + 1, '2025-04-01', 'ann', 'ghost', 30, 'x', 'x', 'x', 'x', 'x' "
          "FROM exchange");
    b.trade("2025-05-01", "home", "ann", 15, "Gardening");
    std::vector<std::string> expected{"2025|ann|bob|0|0|1|60", "2025|ann|home|0|0|1|15"};
    CHECK(rows(s) == expected);
    CHECK(store::totals_differing(s).empty());
    store::rebuild_rollups(s);
    CHECK(rows(s) == expected);
    // A member added outside tb, trading outside tb: no number until the
    // next write, which numbers zed before folding those trades in.
    b.sql("INSERT INTO member (id, name, joined, created_at) VALUES ('zed', 'Zed', '2024-01-01', 'x')");
    b.sql("INSERT INTO exchange (number, date, provider, recipient, minutes, recorded_at, recorded_by, fingerprint, "
          "note_digest, hash) SELECT max(number) + 1, '2025-06-01', 'zed', 'ann', 30, 'x', 'x', 'x', 'x', 'x' "
          "FROM exchange");
    CHECK(s.db().execAndGet("SELECT num IS NULL FROM member WHERE id = 'zed'").getInt() == 1);
    b.trade("2025-07-01", "bob", "home", 15, "Gardening");
    CHECK(s.db().execAndGet("SELECT num FROM member WHERE id = 'zed'").getInt() == 6);
    CHECK(rows(s) == std::vector<std::string>{"2025|ann|bob|0|0|1|60", "2025|ann|home|0|0|1|15",
                                              "2025|ann|zed|0|0|1|30", "2025|bob|home|1|15|0|0"});
    CHECK(store::totals_differing(s).empty());
    // A number taken away by hand: the rows with it name nobody, tb check
    // finds their year, and a rebuild numbers the member again.
    b.sql("UPDATE member SET num = NULL WHERE id = 'zed'");
    CHECK(store::totals_differing(s) ==
          std::vector<std::string>{"yearly totals for 2025 (pair_year) do not match the ledger"});
    store::rebuild_rollups(s);
    CHECK(store::totals_differing(s).empty());
    CHECK(rows(s).size() == 4);
}

TEST_CASE("pair_year: a reader gives a year's rows in pair order") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2026-02-01", "home", "cafe", 90, "");
    b.trade("2026-01-01", "bob", "ann", 45, "Gardening");
    b.trade("2026-03-01", "ann", "home", 30, "Gardening");
    b.trade("2025-03-01", "ann", "cafe", 30, "Gardening");
    auto read = [&](int year) {
        store::PairYearReader r(b.store(), year);
        std::vector<std::string> seen;
        while (r.next()) seen.push_back(std::to_string(r.row().low) + ">" + std::to_string(r.row().high));
        return seen;
    };
    // By number: ann 2, bob 3, home 4, cafe 5.
    CHECK(read(2026) == std::vector<std::string>{"2>3", "2>4", "4>5"});
    // A reader made after a write sees it: a new pair, and none twice.
    b.trade("2026-04-01", "cafe", "bob", 15, "Gardening");
    b.trade("2026-04-02", "ann", "bob", 15, "Gardening");
    CHECK(read(2026) == std::vector<std::string>{"2>3", "2>4", "3>5", "4>5"});
    CHECK(read(2025) == std::vector<std::string>{"2>5"});
    store::PairYearReader none(b.store(), 2024);
    CHECK_FALSE(none.next());
}
