// store/ledger.cpp: the statement's reads against the full recomputations.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "report_fixture.hpp"
#include "tb/store/check.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/rollup.hpp"

using namespace tb;
using tb::test::d;

namespace {

// A ledger with voids across months and years, opening balances on both
// sides of them, a correction and a side that is not a member.
void statement_ledger(test::ReportBank& b) {
    test::random_ledger(b);
    b.opening("ann", 600, "2025-01-01");
    b.opening("ann", -90, "2025-08-14");
    b.opening("dan", 45, "2026-02-01");
    auto wrong = b.trade("2025-11-03", "ann", "dan", 120, "Household", "painted the fence");
    b.void_exchange(wrong, "2025-11-05");
    ExchangeDraft fix;
    fix.date = d("2025-11-03");
    fix.provider = "ann";
    fix.recipient = "dan";
    fix.minutes = 90;
    fix.category = "Household";
    fix.amends = wrong;
    store::append_exchange(b.store(), fix, "test");
    // A row written outside tb whose recipient is no member.
    b.sql("PRAGMA foreign_keys = OFF");
    b.sql("INSERT INTO exchange (number, date, provider, recipient, minutes, recorded_at, recorded_by, fingerprint, "
          "note_digest, hash) SELECT max(number) + 1, '2026-01-10', 'ann', 'ghost', 30, 'x', 'x', 'x', 'x', 'x' "
          "FROM exchange");
    // And one with the same member on both sides: a statement shows it once.
    b.sql("INSERT INTO exchange (number, date, provider, recipient, minutes, recorded_at, recorded_by, fingerprint, "
          "note_digest, hash) SELECT max(number) + 1, '2026-01-11', 'dan', 'dan', 15, 'x', 'x', 'x', 'x', 'x' "
          "FROM exchange");
}

}  // namespace

TEST_CASE("balance_as_of_kept: the same as summing the history, on each side of every day") {
    test::ReportBank b;
    statement_ledger(b);
    // The kept balance includes the row written outside tb only if added.
    b.sql("UPDATE member SET balance = balance + 30 WHERE id = 'ann'");
    auto& s = b.store();
    for (const char* m : {"ann", "bob", "home", "cafe", "zoe", "dan"}) {
        for (Date day = d("2024-12-30"); day <= d("2026-04-03"); day = day + 1) {
            INFO(m, " ", to_string(day));
            CHECK(store::balance_as_of_kept(s, m, day) == store::balance_as_of(s, m, day));
        }
    }
}

namespace {

// Every field of every line of `m`'s statement reading against the full read.
void check_against_full_read(store::Store& s, const std::string& m, std::optional<Date> since,
                             std::optional<Date> until) {
    store::ExchangeFilter f;
    f.member = m;
    f.since = since;
    f.until = until;
    f.voids = store::ExchangeFilter::Voids::all;
    std::vector<Exchange> full;
    store::for_each_exchange(s, f, [&](const Exchange& e) { full.push_back(e); });
    std::size_t i = 0;
    store::for_each_exchange_of_member(
        s, m, since, until, [&](const Exchange& e, std::string_view pname, std::string_view rname) {
            REQUIRE(i < full.size());
            auto& x = full[i++];
            INFO(m, " line ", i, " no. ", x.number);
            CHECK(e.number == x.number);
            CHECK(e.date == x.date);
            CHECK(e.provider == x.provider);
            CHECK(e.recipient == x.recipient);
            CHECK(e.minutes == x.minutes);
            CHECK(e.category == x.category);
            CHECK(e.note == x.note);
            CHECK(e.reverses == x.reverses);
            CHECK(e.amends == x.amends);
            CHECK(e.amended_by == x.amended_by);
            auto name = [&](const std::string& id) {
                auto mem = store::find_member(s, id);
                return mem ? mem->name : std::string{};
            };
            CHECK(pname == name(x.provider));
            CHECK(rname == name(x.recipient));
        });
    CHECK(i == full.size());
}

}  // namespace

TEST_CASE("for_each_exchange_of_member: what a statement shows, as the full read gives it") {
    test::ReportBank b;
    statement_ledger(b);
    auto& s = b.store();
    for (const char* m : {"ann", "dan", "cafe"}) {
        for (auto [since, until] : std::vector<std::pair<std::optional<Date>, std::optional<Date>>>{
                 {{}, {}}, {d("2025-11-03"), {}}, {{}, d("2025-11-04")}, {d("2025-02-01"), d("2025-12-31")}})
            check_against_full_read(s, m, since, until);
    }
}

TEST_CASE("for_each_exchange_of_member: a member who met more members than are looked up one by one") {
    // Past 1,024 counterparties every name is read at once: the names are
    // the same, a side that is no member still has none. The names go from
    // 10 to 43 characters (up to 45 bytes, some not ASCII), about the 30
    // bytes an ID and a name have in their slot (the IDs are 5 bytes); one
    // ID is 64 bytes, the longest tb takes, and one is empty (a member and
    // rows written outside tb), met before the names are read at once and
    // after.
    test::ReportBank b;
    statement_ledger(b);
    b.sql("BEGIN");
    for (int i = 0; i < 1100; ++i) {
        auto id = fmt::format("p{:04}", i);
        auto name = fmt::format("{:x<{}}", (i % 5 ? "Person " : "Zoë Çelik ") + std::to_string(i), 10 + i % 34);
        b.member(id, name);
        if (i % 2) b.trade("2025-06-01", id, "ann", 30 + i, "Household", fmt::format("note {}", i));
        else b.trade("2025-06-02", "ann", id, 30 + i);
    }
    auto long_id = std::string(64, 'L');
    b.member(long_id, "Lou");
    b.trade("2025-06-03", long_id, "ann", 45);
    b.trade("2025-06-03", "ann", long_id, 15);
    b.sql("INSERT INTO member (id, name, joined, created_at) VALUES ('', 'Nobody Named', '2025-01-01', 'x')");
    for (const char* day : {"2025-05-30", "2025-05-31", "2025-06-04", "2025-06-05"})
        b.sql(fmt::format("INSERT INTO exchange (number, date, provider, recipient, minutes, recorded_at, recorded_by, "
                          "fingerprint, note_digest, hash) SELECT max(number) + 1, '{}', 'ann', '', 20, 'x', 'x', "
                          "'x', 'x', 'x' FROM exchange",
                          day));
    b.sql("COMMIT");
    auto& s = b.store();
    check_against_full_read(s, "ann", std::nullopt, std::nullopt);
    check_against_full_read(s, "ann", d("2025-06-02"), std::nullopt);
    check_against_full_read(s, "p0001", std::nullopt, std::nullopt);
}

TEST_CASE("for_each_exchange_of_member: a ledger of more corrections than are read at once") {
    // Past 4,096 corrections a line's amended_by comes from the query, not
    // from the corrections read up front: the same either way.
    test::ReportBank b;
    statement_ledger(b);
    auto& s = b.store();
    auto check_all = [&] {
        for (const char* m : {"ann", "bob", "dan"}) {
            check_against_full_read(s, m, std::nullopt, std::nullopt);
            check_against_full_read(s, m, d("2025-11-03"), d("2026-03-01"));
        }
    };
    // 4,200 exchanges of bob's written outside tb, every other one corrected
    // (2,100 corrections: still read at once), then the rest (4,200).
    const std::string columns =
        "INSERT INTO exchange (number, date, provider, recipient, minutes, recorded_at, recorded_by, fingerprint, "
        "note_digest, hash, amends) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4200) ";
    b.sql(columns + "SELECT (SELECT max(number) FROM exchange) + i, '2026-02-' || printf('%02d', 1 + i % 28), 'bob', "
                    "'cafe', 10 + i, 'x', 'x', 'x', 'x', 'x', NULL FROM n");
    auto first = b.store().db().execAndGet("SELECT max(number) - 4199 FROM exchange").getInt64();
    auto corrections = [&](int parity) {
        b.sql(columns + fmt::format("SELECT (SELECT max(number) FROM exchange) + i, '2026-03-01', 'bob', 'cafe', 5, "
                                    "'x', 'x', 'x', 'x', 'x', {} + i - 1 FROM n WHERE i % 2 = {}",
                                    first, parity));
    };
    corrections(0);
    check_all();
    corrections(1);
    CHECK(b.store().db().execAndGet("SELECT count(*) FROM exchange WHERE amends IS NOT NULL").getInt64() > 4096);
    check_all();
}

TEST_CASE("LedgerAppender: the caller's numbers for the sides; a number given to another member is looked up again") {
    test::ReportBank b;
    test::four_members(b);
    auto& s = b.store();
    {
        store::WriteTransaction tx(s);
        store::LedgerAppender a(s, "test");
        a.append({d("2026-01-05"), "ann", "bob", 60, "Gardening", "", "", std::nullopt, ""}, {}, {}, {}, {0, 1});
        a.append({d("2026-01-06"), "bob", "ann", 30, "Gardening", "", "", std::nullopt, ""}, {}, {}, {}, {1, 0});
        // Number 0 names cafe now: not counted as ann's.
        a.append({d("2026-01-07"), "cafe", "bob", 15, "", "", "", std::nullopt, ""}, {}, {}, {}, {0, 1});
        // A void by number, its sides numbered too.
        a.append({d("2026-01-08"), "bob", "ann", 60, "", "", "", 1, ""}, {}, {}, {}, {1, 5});
        a.flush();
        tx.commit();
    }
    auto balance = [&](const char* id) {
        SQLite::Statement q(s.db(), "SELECT balance FROM member WHERE id = ?");
        q.bind(1, id);
        q.executeStep();
        return q.getColumn(0).getInt64();
    };
    CHECK(balance("ann") == 60 - 30 - 60);
    CHECK(balance("bob") == -60 + 30 - 15 + 60);
    CHECK(balance("cafe") == 15);
    CHECK(store::check_rollups(s).empty());
    CHECK(store::check_store(s).empty());
}

TEST_CASE("LedgerAppender: sides that are no member's counted, for a load with the foreign keys off") {
    test::ReportBank b;
    test::four_members(b);
    auto& s = b.store();
    auto foreign_keys = [&] { return s.db().execAndGet("PRAGMA foreign_keys").getInt(); };
    REQUIRE(foreign_keys() == 1);
    {
        store::ForeignKeysOff off(s);
        CHECK(foreign_keys() == 0);
        store::WriteTransaction tx(s);
        store::LedgerAppender a(s, "test");
        a.append({d("2026-01-05"), "ann", "bob", 60, "Gardening", "", "", std::nullopt, ""});
        a.append({d("2026-01-06"), "bob", "ann", 30, "Gardening", "", "", std::nullopt, ""});
        CHECK(a.strangers() == 0);
        // Written: nothing refuses it with the foreign keys off.
        a.append({d("2026-01-07"), "nobody", "bob", 15, "", "", "", std::nullopt, ""});
        a.append({d("2026-01-08"), "bob", "nobody", 15, "", "", "", std::nullopt, ""});  // the same one
        a.append({d("2026-01-09"), "ann", "ghost", 15, "", "", "", std::nullopt, ""});
        CHECK(a.strangers() == 2);
        // Dropped uncommitted: rolled back.
    }
    CHECK(foreign_keys() == 1);  // on again
    CHECK(s.db().execAndGet("SELECT count(*) FROM exchange").getInt() == 0);
    store::WriteTransaction tx(s);
    store::LedgerAppender a(s, "test");
    CHECK_THROWS(a.append({d("2026-01-07"), "nobody", "bob", 15, "", "", "", std::nullopt, ""}));
}
