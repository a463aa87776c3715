// The trades per year and member, kept like member_month (lib/tb/store/member_year.cpp).
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "sql_rows.hpp"
#include "tb/store/check.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/member_year.hpp"
#include "tb/store/rollup.hpp"

using namespace tb;
using tb::test::d;
using tb::test::draft;
using tb::test::sql_rows;

namespace {

// year|member|trades
std::string kept(store::Store& s) {
    return sql_rows(s.db(), "SELECT year, member, trades FROM member_year ORDER BY year, member");
}

// year|member|trades|provided|given|received
std::string figures(store::Store& s) {
    return sql_rows(s.db(), "SELECT * FROM member_year ORDER BY year, member");
}

// What the ledger gives, by a full scan of the exchanges.
std::string of_ledger(store::Store& s) {
    const char* trades = "FROM exchange e WHERE e.reverses IS NULL AND NOT EXISTS "
                         "(SELECT 1 FROM exchange v WHERE v.reverses = e.number) AND e.provider <> 'pot' AND "
                         "e.recipient <> 'pot'";
    return sql_rows(s.db(), fmt::format("SELECT CAST(substr(date, 1, 4) AS INTEGER), member, count(*), sum(p), "
                                        "sum(g), sum(r) FROM (SELECT e.date, e.provider AS member, 1 AS p, "
                                        "e.minutes AS g, 0 AS r {0} UNION ALL SELECT e.date, e.recipient, 0, 0, "
                                        "e.minutes {0}) GROUP BY 1, 2 ORDER BY 1, 2",
                                        trades));
}

// The kept rows are the ledger's, member_month's summed by year, what a
// rebuild writes, and tb check agrees.
void expect_exact(store::Store& s) {
    auto now = figures(s);
    CHECK(now == of_ledger(s));
    CHECK(kept(s) == sql_rows(s.db(), "SELECT CAST(substr(month, 1, 4) AS INTEGER), member, sum(trades) FROM "
                                      "member_month GROUP BY 1, 2 ORDER BY 1, 2"));
    CHECK(store::check_rollups(s).empty());
    store::rebuild_rollups(s);
    CHECK(figures(s) == now);
}

// Appends `rows` in one write (one batch of totals, as an import or an
// amend writes them); a row reversing -N voids the row N places before it.
void one_write(store::Store& s, std::vector<ExchangeDraft> rows) {
    store::WriteTransaction tx(s);
    store::LedgerAppender a(s, "test");
    std::vector<std::int64_t> numbers;
    for (auto& x : rows) {
        if (x.reverses && *x.reverses < 0) x.reverses = numbers[numbers.size() - static_cast<std::size_t>(-*x.reverses)];
        numbers.push_back(a.append(x).number);
    }
    a.flush();
    tx.commit();
}

void bank(tb::test::ReportBank& b) {
    b.member("ann", "Ann Lee");
    b.member("bob", "Bob Marsh");
    b.member("home", "Rosewood Care Home", "2024-01-01", MemberKind::organisation);
}

}  // namespace

TEST_CASE("each trade counts for both sides in its year; the pot never") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2025-12-31", "ann", "bob", 60);
    b.trade("2026-01-01", "ann", "home", 30);
    b.trade("2026-06-01", "bob", "ann", 30);
    b.trade("2026-06-02", "ann", "pot", 30);
    CHECK(kept(b.store()) == "2025|ann|1\n2025|bob|1\n2026|ann|2\n2026|bob|1\n2026|home|1");
    // trades, provided, minutes given and received
    CHECK(figures(b.store()) == "2025|ann|1|1|60|0\n2025|bob|1|0|0|60\n2026|ann|2|1|30|30\n2026|bob|1|1|30|0\n"
                                "2026|home|1|0|0|30");
    expect_exact(b.store());
}

TEST_CASE("a void takes its original out of the original's year, in a later year or the same write") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    auto dec = b.trade("2025-12-31", "ann", "bob", 60);
    b.trade("2025-11-02", "ann", "bob", 60);
    b.void_exchange(dec, "2026-01-02");
    CHECK(kept(s) == "2025|ann|1\n2025|bob|1");
    auto only = b.trade("2026-02-01", "home", "bob", 15);
    b.void_exchange(only, "2027-01-01");
    CHECK(kept(s) == "2025|ann|1\n2025|bob|1");  // the rows that dropped to zero are gone
    one_write(s, {draft("2026-03-10", "home", "ann", 30), draft("2027-01-05", "ann", "home", 30, -1)});
    CHECK(figures(s) == "2025|ann|1|1|60|0\n2025|bob|1|0|0|60");
    expect_exact(s);
}

TEST_CASE("one write that nets a member's trades of a year to nothing but not their minutes (an amend)") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    auto first = b.trade("2025-03-01", "ann", "bob", 60);
    // The correction and the void of the original in one write, as
    // tb-exchange amend writes them: trades +1 - 1, minutes +30 - 60.
    one_write(s, {draft("2025-03-01", "ann", "bob", 30), draft("2025-03-02", "bob", "ann", 60, first)});
    CHECK(figures(s) == "2025|ann|1|1|30|0\n2025|bob|1|0|0|30");
    expect_exact(s);
}

TEST_CASE("differential: a ledger of three years with voids across months and years, by a full scan") {
    tb::test::ReportBank b;
    tb::test::random_ledger(b);
    expect_exact(b.store());
    // Written behind the totals' back, then folded in by a refresh: few rows, then many.
    for (int rows : {10, 1200}) {
        CAPTURE(rows);
        auto last = std::stoll(sql_rows(b.store().db(), "SELECT max(number) FROM exchange"));
        SQLite::Statement ins(b.store().db(),
                              "INSERT INTO exchange (number, date, provider, recipient, minutes, category, reverses, "
                              "recorded_at, recorded_by, fingerprint, note_digest, hash) "
                              "VALUES (?, ?, ?, ?, 15, '', ?, 'now', 'test', 'f', 'd', 'h')");
        for (int i = 0; i < rows; ++i) {
            ins.reset();
            ins.bind(1, static_cast<int64_t>(last + 1 + i));
            ins.bind(2, to_string(d("2024-12-20") + i % 500));
            ins.bind(3, i % 2 ? "ann" : "zoe");
            ins.bind(4, i % 3 ? "dan" : "cafe");
            // Every seventh voids the row six before it, some in an earlier year.
            if (i % 7 == 6) ins.bind(5, static_cast<int64_t>(last + 1 + i - 6));
            else ins.bind(5);
            ins.exec();
        }
        store::refresh_rollups(b.store());
        expect_exact(b.store());
    }
}

TEST_CASE("tb check names each year of member_year that differs; a rebuild mends them") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    b.trade("2025-12-31", "ann", "bob", 60);
    b.trade("2026-01-01", "ann", "home", 30);
    CHECK(store::check_store(s).empty());
    b.sql("UPDATE member_year SET trades = 2 WHERE year = 2026 AND member = 'home'");
    CHECK(store::check_rollups(s) ==
          std::vector<std::string>{"yearly totals for 2026 (member_year) do not match the ledger"});
    store::rebuild_rollups(s);
    // A row moved to another member, one added for a year without trades,
    // one that counts nothing, a year that is not a number; minutes given
    // and received swapped, moved from one member to another, or not a
    // number; more provided than traded.
    for (const char* tamper : {"UPDATE member_year SET member = 'bob' WHERE year = 2026 AND member = 'home'",
                               "INSERT INTO member_year VALUES (2024, 'ann', 1, 1, 60, 0)",
                               "INSERT INTO member_year VALUES (2025, 'home', 0, 0, 0, 0)",
                               "UPDATE member_year SET year = '2025x' WHERE year = 2025 AND member = 'ann'",
                               "UPDATE member_year SET given = received, received = given WHERE year = 2025",
                               "UPDATE member_year SET given = given + 10 WHERE year = 2026 AND member = 'ann'",
                               "UPDATE member_year SET received = received + 5 WHERE year = 2025 AND member = 'ann'",
                               "UPDATE member_year SET given = '60m' WHERE year = 2025 AND member = 'ann'",
                               "UPDATE member_year SET provided = 2, given = 60 WHERE year = 2025 AND member = 'bob'",
                               "UPDATE member_year SET provided = 0 WHERE year = 2025 AND member = 'ann'"}) {
        CAPTURE(std::string(tamper));
        b.sql(tamper);
        CHECK(store::check_rollups(s).size() == 1);
        CHECK(store::check_store(s) == store::check_rollups(s));
        store::rebuild_rollups(s);
        CHECK(store::check_store(s).empty());
    }
}

TEST_CASE("for_each_member_year reads the years asked for, in year and member order") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2024-05-01", "home", "bob", 60);
    b.trade("2025-12-31", "bob", "ann", 60);
    b.trade("2026-01-01", "ann", "home", 30);
    std::vector<std::string> seen;
    store::for_each_member_year(b.store(), 2025, 2026,
                                [&](int year, std::string_view m) { seen.push_back(std::to_string(year) + " " + std::string(m)); });
    CHECK(seen == std::vector<std::string>{"2025 ann", "2025 bob", "2026 ann", "2026 home"});
}

TEST_CASE("for_each_member_year_figures gives each member's figures for the years asked for") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2024-05-01", "home", "bob", 60);
    b.trade("2025-12-31", "bob", "ann", 45);
    b.trade("2026-01-01", "ann", "home", 30);
    b.trade("2026-02-01", "ann", "bob", 15);
    std::vector<std::string> seen;
    store::for_each_member_year_figures(b.store(), 2025, 2026, [&](const store::MemberYearRow& r) {
        seen.push_back(fmt::format("{} {} {} {} {}", r.member, r.trades, r.provided, r.given, r.received));
    });
    CHECK(seen == std::vector<std::string>{"ann 1 0 0 45", "bob 1 1 45 0", "ann 2 2 45 0", "bob 1 0 0 15",
                                           "home 1 0 0 30"});
}
