// Each member's last trade, kept with every write (lib/tb/store/last_trade.cpp).
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <optional>
#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "sql_rows.hpp"
#include "tb/store/check.hpp"
#include "tb/store/last_trade.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/report_queries.hpp"
#include "tb/store/rollup.hpp"

using namespace tb;
using tb::test::d;
using tb::test::sql_rows;

namespace {

// What report_members gave before last_trade was kept: the kept
// last_exchange, and for a member with a voided exchange dated on or after
// it, the latest trade by the query it ran for them.
const char* kOldQuery =
    "SELECT m.id, CASE WHEN EXISTS (SELECT 1 FROM exchange o WHERE o.number IN (SELECT reverses FROM exchange "
    "WHERE reverses IS NOT NULL) AND (o.provider = m.id OR o.recipient = m.id) AND o.date >= m.last_exchange) "
    "THEN (SELECT max(e.date) FROM exchange e WHERE (e.provider = m.id OR e.recipient = m.id) AND e.reverses IS NULL "
    "AND NOT EXISTS (SELECT 1 FROM exchange v WHERE v.reverses = e.number) AND e.provider <> 'pot' "
    "AND e.recipient <> 'pot') ELSE m.last_exchange END FROM member m ORDER BY m.id";

std::string kept(store::Store& s) { return sql_rows(s.db(), "SELECT id, last_trade FROM member ORDER BY id"); }

// The kept column is the old query's answer, what the ledger gives member by
// member, what report_members reads, what a rebuild writes, and tb check
// agrees.
void expect_exact(store::Store& s) {
    auto now = kept(s);
    CHECK(now == sql_rows(s.db(), kOldQuery));
    SQLite::Statement q(s.db(), "SELECT id, last_trade FROM member");
    while (q.executeStep()) {
        auto id = q.getColumn(0).getString();
        CAPTURE(id);
        auto ledger = store::last_trade_of(s, id);
        CHECK(ledger == (q.getColumn(1).isNull() ? std::nullopt : std::optional<std::string>(q.getColumn(1).getString())));
    }
    for (auto& m : store::report_members(s)) {
        CAPTURE(m.id);
        auto row = sql_rows(s.db(), "SELECT last_trade FROM member WHERE id = '" + m.id + "'");
        CHECK((m.last_trade ? to_string(*m.last_trade) : std::string()) == row);
    }
    CHECK(store::check_rollups(s).empty());
    store::rebuild_rollups(s);
    CHECK(kept(s) == now);
}

std::string last(store::Store& s, const std::string& id) {
    return sql_rows(s.db(), "SELECT coalesce(last_trade, 'none') FROM member WHERE id = '" + id + "'");
}

void bank(tb::test::ReportBank& b) {
    b.member("ann", "Ann Lee");
    b.member("bob", "Bob Marsh");
    b.member("cyd", "Cyd Moss");
    b.member("home", "Rosewood Care Home", "2024-01-01", MemberKind::organisation);
}

ExchangeDraft draft(const char* date, const std::string& p, const std::string& r, Minutes m,
                    std::optional<std::int64_t> reverses = std::nullopt) {
    ExchangeDraft x;
    x.date = d(date);
    x.provider = p;
    x.recipient = r;
    x.minutes = m;
    x.category = "Gardening";
    x.reverses = reverses;
    return x;
}

}  // namespace

TEST_CASE("a new trade raises both sides' last trade; an older one leaves it") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    CHECK(last(s, "ann") == "none");
    b.trade("2025-12-30", "ann", "bob", 60);
    CHECK(last(s, "ann") == "2025-12-30");
    CHECK(last(s, "bob") == "2025-12-30");
    b.trade("2026-01-05", "bob", "cyd", 30);
    CHECK(last(s, "bob") == "2026-01-05");
    CHECK(last(s, "cyd") == "2026-01-05");
    b.trade("2025-06-01", "ann", "cyd", 15);  // backdated
    CHECK(last(s, "ann") == "2025-12-30");
    CHECK(last(s, "cyd") == "2026-01-05");
    CHECK(last(s, "home") == "none");
    expect_exact(s);
}

TEST_CASE("a void of the latest exchange moves both sides back, across months and years") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    b.trade("2025-11-20", "ann", "bob", 60);
    b.trade("2025-12-30", "bob", "ann", 60);
    auto late = b.trade("2026-01-05", "ann", "cyd", 30);
    b.void_exchange(late, "2026-02-01");  // a void dated a month later
    CHECK(last(s, "ann") == "2025-12-30");
    CHECK(last(s, "cyd") == "none");  // their only exchange, voided
    CHECK(last(s, "bob") == "2025-12-30");
    expect_exact(s);
    // Voiding the new latest goes back a year.
    auto dec = sql_rows(s.db(), "SELECT number FROM exchange WHERE date = '2025-12-30'");
    b.void_exchange(std::stoll(dec), "2026-02-02");
    CHECK(last(s, "ann") == "2025-11-20");
    CHECK(last(s, "bob") == "2025-11-20");
    expect_exact(s);
}

TEST_CASE("a void of an older exchange changes nothing; one on the latest day keeps the day's other trade") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    auto old = b.trade("2025-03-01", "ann", "bob", 60);
    b.trade("2026-02-10", "ann", "cyd", 30);
    auto same_day = b.trade("2026-02-10", "bob", "ann", 45);
    b.void_exchange(old, "2026-02-11");
    CHECK(last(s, "ann") == "2026-02-10");
    CHECK(last(s, "bob") == "2026-02-10");
    expect_exact(s);
    b.void_exchange(same_day, "2026-02-12");
    CHECK(last(s, "ann") == "2026-02-10");  // the trade with Cyd that day
    CHECK(last(s, "bob") == "none");         // both of Bob's voided
    expect_exact(s);
}

TEST_CASE("an amendment (a void and its correction in one write) takes the corrected date") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    b.trade("2025-12-01", "ann", "bob", 60);
    auto wrong = b.trade("2026-03-01", "ann", "bob", 30);
    auto amend = [&](std::int64_t number, const char* date) {
        store::WriteTransaction tx(s);
        store::LedgerAppender a(s, "test");
        auto e = *store::find_exchange(s, number);
        a.append(draft(to_string(e.date).c_str(), e.recipient, e.provider, e.minutes, number));
        auto x = draft(date, e.provider, e.recipient, e.minutes);
        x.amends = number;
        auto c = a.append(x);
        a.flush();
        tx.commit();
        return c.number;
    };
    auto corrected = amend(wrong, "2026-02-20");  // earlier
    CHECK(last(s, "ann") == "2026-02-20");
    CHECK(last(s, "bob") == "2026-02-20");
    expect_exact(s);
    amend(corrected, "2026-04-02");  // later, in another month
    CHECK(last(s, "ann") == "2026-04-02");
    expect_exact(s);
}

TEST_CASE("an exchange and its void in one write, and a trade after them, each side as the ledger gives it") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    b.trade("2025-10-01", "cyd", "home", 60);
    {
        store::WriteTransaction tx(s);
        store::LedgerAppender a(s, "test");
        auto e = a.append(draft("2026-01-10", "cyd", "ann", 30));
        a.append(draft("2026-01-11", "ann", "cyd", 30, e.number));
        a.append(draft("2025-12-24", "bob", "ann", 15));
        a.append(draft("2026-01-03", "home", "bob", 15));
        a.flush();
        tx.commit();
    }
    CHECK(last(s, "cyd") == "2025-10-01");
    CHECK(last(s, "ann") == "2025-12-24");
    CHECK(last(s, "bob") == "2026-01-03");
    CHECK(last(s, "home") == "2026-01-03");
    expect_exact(s);
}

TEST_CASE("the pot: a donation after every trade counts, as member.last_exchange always counted it") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    auto t = b.trade("2026-01-10", "ann", "bob", 60);
    b.trade("2026-02-01", "ann", "pot", 30);  // a donation
    CHECK(last(s, "ann") == "2026-02-01");
    CHECK(last(s, "pot") == "2026-02-01");
    expect_exact(s);
    // A donation on or before the latest exchange changes nothing.
    b.trade("2026-01-15", "pot", "bob", 15);  // a grant
    CHECK(last(s, "bob") == "2026-01-15");
    expect_exact(s);
    // A voided exchange on the latest day: the latest trade then, the pot left out.
    auto same_day = b.trade("2026-02-01", "ann", "cyd", 15);
    b.void_exchange(same_day, "2026-02-03");
    CHECK(last(s, "ann") == "2026-01-10");
    b.void_exchange(t, "2026-02-04");
    CHECK(last(s, "ann") == "none");
    expect_exact(s);
}

TEST_CASE("differential: writes of every kind in batches, across months and years, against the old query") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    const std::vector<std::string> ids = {"ann", "bob", "cyd", "home", "pot"};
    std::uint32_t seed = 4242;
    auto next = [&](std::uint32_t n) {
        seed = seed * 1664525u + 1013904223u;
        return (seed >> 8) % n;
    };
    std::vector<std::int64_t> live;  // neither a void nor voided
    for (int batch = 0; batch < 40; ++batch) {
        {
            store::WriteTransaction tx(s);
            store::LedgerAppender a(s, "test");
            for (int k = 0, n = 1 + static_cast<int>(next(6)); k < n; ++k) {
                Date day = d("2024-11-01") + static_cast<int>(next(800));
                if (!live.empty() && next(4) == 0) {
                    auto i = next(static_cast<std::uint32_t>(live.size()));
                    auto e = *store::find_exchange(s, live[i]);
                    live.erase(live.begin() + i);
                    a.append(draft(to_string(day).c_str(), e.recipient, e.provider, e.minutes, e.number));
                    continue;
                }
                auto p = ids[next(5)], r = ids[next(5)];
                if (p == r || (p == "pot" && next(2))) continue;
                live.push_back(a.append(draft(to_string(day).c_str(), p, r, 15)).number);
            }
            a.flush();
            tx.commit();
        }
        CAPTURE(batch);
        CHECK(kept(s) == sql_rows(s.db(), kOldQuery));
    }
    expect_exact(s);
}

TEST_CASE("exchanges written behind the totals' back: a refresh looks their members up again") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    auto first = b.trade("2025-05-01", "ann", "bob", 60);
    b.trade("2025-06-01", "cyd", "bob", 60);
    b.sql("INSERT INTO exchange (number, date, provider, recipient, minutes, category, reverses, recorded_at, "
          "recorded_by, fingerprint, note_digest, hash) VALUES "
          "(3, '2026-01-01', 'home', 'ann', 30, '', NULL, 'now', 'test', 'f', 'd', 'h'), "
          "(4, '2026-01-02', 'bob', 'ann', 60, '', " + std::to_string(first) + ", 'now', 'test', 'f', 'd', 'h')");
    CHECK(last(s, "bob") == "2025-06-01");
    CHECK(last(s, "home") == "none");
    store::refresh_rollups(s);
    CHECK(last(s, "ann") == "2026-01-01");
    CHECK(last(s, "bob") == "2025-06-01");
    CHECK(last(s, "home") == "2026-01-01");
    CHECK(store::check_rollups(s).empty());
}

TEST_CASE("tb check recomputes last_trade and names each member that differs; a rebuild mends it") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    b.trade("2025-12-30", "ann", "bob", 60);
    auto v = b.trade("2026-01-05", "bob", "cyd", 30);
    b.void_exchange(v, "2026-01-06");
    CHECK(store::check_store(s).empty());
    b.sql("UPDATE member SET last_trade = '2026-01-05' WHERE id = 'bob'; "
          "UPDATE member SET last_trade = '2025-12-30' WHERE id = 'cyd'; "
          "UPDATE member SET last_trade = NULL WHERE id = 'ann'; "
          "UPDATE member SET last_trade = 20251230 WHERE id = 'home'");
    auto expected = std::vector<std::string>{
        "member ann: last trade is none, but the ledger gives 2025-12-30",
        "member bob: last trade is 2026-01-05, but the ledger gives 2025-12-30",
        "member cyd: last trade is 2025-12-30, but the ledger gives none",
        "member home: last trade is 20251230, but the ledger gives none",
    };
    CHECK(store::check_rollups(s) == expected);
    CHECK(store::check_store(s) == expected);
    store::rebuild_rollups(s);
    CHECK(store::check_store(s).empty());
    CHECK(kept(s) == "ann|2025-12-30\nbob|2025-12-30\ncyd|\nhome|\npot|");
}
