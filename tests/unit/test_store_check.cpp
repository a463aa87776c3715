// tb check: each problem it reports, on a small store tampered with as
// someone with sqlite3 would, and nothing on the healthy store.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "tb/store/audit.hpp"
#include "tb/store/check.hpp"
#include "tb/store/ledger.hpp"

using namespace tb;
using tb::test::ReportBank;
using Lines = std::vector<std::string>;

namespace {

// ann, bob and cy; exchanges 1 (ann -> bob 1.5 h, noted), 2 (bob -> cy 2 h),
// 3 (the void of 2), 4 (cy -> ann 1 h); opening balances 1 (ann -3 h,
// noted) and 2 (bob +2 h); three audit entries.
void healthy(ReportBank& b) {
    b.member("ann", "Ann");
    b.member("bob", "Bob");
    b.member("cy", "Cy");
    b.trade("2026-11-20", "ann", "bob", 90, "Gardening", "shelves");
    b.trade("2026-11-21", "bob", "cy", 120);
    b.void_exchange(2, "2026-11-22");
    b.trade("2026-11-23", "cy", "ann", 60);
    b.opening("ann", -180, "2026-01-01");
    b.opening("bob", 120, "2026-01-01");
    for (auto* target : {"exchange 1", "exchange 2", "exchange 3"}) store::audit(b.store(), "tester", "record", target);
}

// The lines joined, so that a failing check shows them.
std::string joined(const Lines& lines) {
    std::string out;
    for (auto& l : lines) out += l + "\n";
    return out;
}

bool has(const Lines& lines, const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace

TEST_CASE("a healthy store: no problem, full or quick") {
    ReportBank b;
    healthy(b);
    CHECK(store::check_store(b.store()) == Lines{});
    CHECK(store::check_store_quick(b.store()) == Lines{});
}

TEST_CASE("an exchange's note edited: its digest no longer matches") {
    ReportBank b;
    healthy(b);
    b.sql("UPDATE exchange SET note = 'edited' WHERE number = 1");
    CHECK(store::check_store(b.store()) == Lines{"exchange 1: note changed outside tb (digest mismatch)"});
}

TEST_CASE("an exchange's field edited: the chain is broken at that row only") {
    ReportBank b;
    healthy(b);
    b.sql("DROP TRIGGER exchange_append_only_update; UPDATE exchange SET recorded_by = 'mallory' WHERE number = 2");
    CHECK(store::check_store(b.store()) == Lines{"exchange 2: hash chain broken (row edited outside tb)"});
    // The quick check reads the newest row only.
    CHECK(store::check_store_quick(b.store()) == Lines{});
    b.sql("UPDATE exchange SET recorded_by = 'mallory' WHERE number = 4");
    CHECK(store::check_store_quick(b.store()) == Lines{"exchange 4: hash chain broken (row edited outside tb)"});
}

TEST_CASE("a forgotten exchange (no salt) whose note is not blank") {
    ReportBank b;
    healthy(b);
    b.sql("UPDATE exchange SET salt = NULL WHERE number = 1");
    CHECK(store::check_store(b.store()) == Lines{"exchange 1: note of a forgotten exchange is not blank"});
}

TEST_CASE("the newest exchange deleted, balances fixed up: the chain head no longer matches") {
    ReportBank b;
    healthy(b);
    b.sql("DROP TRIGGER exchange_append_only_delete; DELETE FROM exchange WHERE number = 4;"
          "UPDATE member SET balance = balance - 60 WHERE id = 'cy'; UPDATE member SET balance = balance + 60 "
          "WHERE id = 'ann';");
    auto found = store::check_store(b.store());
    CHECK(found.front() ==
          "exchanges: the newest rows were removed or replaced outside tb (chain head does not match)");
    CHECK(has(found, "monthly totals: they hold exchanges up to number 4, but the last is 3"));
    CHECK(has(store::check_store_quick(b.store()),
              "exchanges: the newest rows were removed or replaced outside tb (chain head does not match)"));
}

TEST_CASE("provider and recipient made the same") {
    ReportBank b;
    healthy(b);
    b.sql("DROP TRIGGER exchange_append_only_update; UPDATE exchange SET recipient = 'cy' WHERE number = 4");
    auto found = store::check_store(b.store());
    CHECK(has(found, "exchange 4: hash chain broken (row edited outside tb)"));
    CHECK(has(found, "exchange 4: provider and recipient are both cy"));
}

TEST_CASE("a bad date") {
    ReportBank b;
    healthy(b);
    b.sql("DROP TRIGGER exchange_append_only_update; UPDATE exchange SET date = '2026-13-45' WHERE number = 1");
    auto found = store::check_store(b.store());
    CHECK(found.at(0) == "exchange 1: bad date '2026-13-45'");
    CHECK(found.at(1) == "exchange 1: hash chain broken (row edited outside tb)");
}

TEST_CASE("opening balances: note, row, tail and recorded total") {
    ReportBank b;
    healthy(b);
    b.sql("UPDATE opening SET note = 'edited' WHERE number = 1");
    CHECK(store::check_store(b.store()) == Lines{"opening balance 1: note changed outside tb (digest mismatch)"});
    b.sql("UPDATE opening SET note = 'carried over' WHERE number = 1");
    REQUIRE(store::check_store(b.store()) == Lines{});

    b.sql("UPDATE meta SET value = '0' WHERE key = 'opening_total'");
    CHECK(store::check_store(b.store()) == Lines{"opening balances sum to -1.00 hours, but 0.00 hours were recorded"});
    CHECK(store::check_store_quick(b.store()) ==
          Lines{"opening balances sum to -1.00 hours, but 0.00 hours were recorded"});
    b.sql("UPDATE meta SET value = '-60' WHERE key = 'opening_total'");

    b.sql("UPDATE opening SET minutes = -120 WHERE number = 1");
    CHECK(joined(store::check_store(b.store())) ==
          joined(Lines{"opening balance 1: hash chain broken (row edited outside tb)",
                "opening balances sum to 0.00 hours, but -1.00 hours were recorded",
                "member ann: balance is -2.50 hours, but the ledger gives -1.50"}));
    b.sql("UPDATE opening SET minutes = -180 WHERE number = 1");

    b.sql("DROP TRIGGER opening_append_only_delete; DELETE FROM opening WHERE number = 2;"
          "UPDATE member SET balance = balance - 120, opening = opening - 120 WHERE id = 'bob';"
          "UPDATE meta SET value = '-180' WHERE key = 'opening_total'");
    CHECK(joined(store::check_store(b.store())) ==
          joined(Lines{"opening balances: the newest rows were removed or replaced outside tb (chain head does not match)"}));
    CHECK(store::check_store_quick(b.store()) ==
          Lines{"opening balances: the newest rows were removed or replaced outside tb (chain head does not match)"});
}

TEST_CASE("voids: pointing nowhere, not reversing exactly, voiding a void, voiding a later exchange") {
    ReportBank b;
    healthy(b);
    b.sql("PRAGMA foreign_keys = OFF; DROP TRIGGER exchange_append_only_update;"
          "UPDATE exchange SET reverses = 99 WHERE number = 3");
    auto nowhere = store::check_store(b.store());
    CHECK(has(nowhere, "exchange 3: voids exchange 99, which does not exist"));
    CHECK(has(nowhere, "foreign key: exchange row 3 points at a missing exchange"));
    CHECK(has(nowhere, "exchange 3: hash chain broken (row edited outside tb)"));

    b.sql("UPDATE exchange SET reverses = 1 WHERE number = 3");
    auto inexact = store::check_store(b.store());
    CHECK(has(inexact, "exchange 3: does not reverse exchange 1 exactly"));

    b.sql("UPDATE exchange SET reverses = 4 WHERE number = 3");
    CHECK(has(store::check_store(b.store()), "exchange 3: voids a later exchange 4"));

    b.sql("UPDATE exchange SET reverses = 2 WHERE number = 3; UPDATE exchange SET reverses = 3 WHERE number = 4");
    CHECK(has(store::check_store(b.store()), "exchange 4: voids exchange 3, which is itself a void"));
}

TEST_CASE("corrections: what an amends link must point at") {
    ReportBank b;
    healthy(b);
    b.sql("PRAGMA foreign_keys = OFF; DROP TRIGGER exchange_append_only_update;"
          "UPDATE exchange SET amends = 99 WHERE number = 4");
    CHECK(has(store::check_store(b.store()), "exchange 4: amends exchange 99, which does not exist"));
    b.sql("UPDATE exchange SET amends = 1 WHERE number = 4");
    CHECK(has(store::check_store(b.store()), "exchange 4: amends exchange 1, which is not voided"));
    b.sql("UPDATE exchange SET amends = 3 WHERE number = 4");
    CHECK(has(store::check_store(b.store()), "exchange 4: amends exchange 3, which is a void"));
    b.sql("UPDATE exchange SET amends = NULL WHERE number = 4; UPDATE exchange SET amends = 1 WHERE number = 3");
    CHECK(has(store::check_store(b.store()), "exchange 3: is a void and amends exchange 1"));
    b.sql("UPDATE exchange SET amends = 4 WHERE number = 3");
    CHECK(has(store::check_store(b.store()), "exchange 3: amends a later exchange 4"));
}

TEST_CASE("a kept balance edited: the member named, and the sum no longer zero") {
    ReportBank b;
    healthy(b);
    b.sql("UPDATE member SET balance = balance + 60 WHERE id = 'cy'");
    CHECK(joined(store::check_store(b.store())) ==
          joined(Lines{"member cy: balance is 2.00 hours, but the ledger gives 1.00",
                "balances without opening balances sum to 1.00 hours, not zero"}));
    // The quick check sums the kept balances alone.
    CHECK(store::check_store_quick(b.store()) == Lines{"balances without opening balances sum to 1.00 hours, not zero"});
}

TEST_CASE("the audit log: an entry changed, deleted, the newest removed, or entries added") {
    ReportBank b;
    healthy(b);
    b.sql("DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;"
          "UPDATE audit SET who = 'mallory' WHERE id = 2");
    CHECK(store::check_store(b.store()) == Lines{"audit: entry 2 was changed outside tb (hash chain broken)"});
    b.sql("DELETE FROM audit WHERE id = 2");
    CHECK(store::check_store(b.store()) == Lines{"audit: entry 2 was deleted outside tb"});
    // With 3 gone too, entry 1 is all there is: a tail cut off, found by the head.
    b.sql("DELETE FROM audit WHERE id = 3");
    CHECK(joined(store::check_store(b.store())) ==
          joined(Lines{"audit: the newest entries (after entry 1) were removed or replaced outside tb (chain head does not "
                "match)"}));
}

TEST_CASE("audit entries added outside tb after the head") {
    ReportBank b;
    healthy(b);
    auto head = store::get_meta(b.store(), "audit_head");
    store::audit(b.store(), "tester", "record", "exchange 4");
    store::set_meta(b.store(), "audit_head", head);
    CHECK(store::check_store(b.store()) == Lines{"audit: entries 4 to 4 were added outside tb (the chain head is entry 3)"});
}

TEST_CASE("a foreign key broken outside the chains") {
    ReportBank b;
    healthy(b);
    b.request("ann", "Gardening", "weeding");
    b.sql("PRAGMA foreign_keys = OFF; UPDATE request SET member = 'ghost' WHERE number = 1");
    CHECK(store::check_store(b.store()) == Lines{"foreign key: request row 1 points at a missing member"});
}

TEST_CASE("chain heads: the newest of each chain, printed, read back, and checked against the store") {
    ReportBank b;
    healthy(b);
    auto heads = store::chain_heads(b.store());
    REQUIRE(heads.size() == 3);
    CHECK(heads[0].chain == "exchanges");
    CHECK(heads[0].number == 4);
    CHECK(heads[1].chain == "openings");
    CHECK(heads[1].number == 2);
    CHECK(heads[2].chain == "audit");
    CHECK(heads[2].number == 3);
    CHECK(store::format_head(heads[0]) == "exchanges 4 " + heads[0].hash);
    std::string text = "Weekly report\n" + store::format_head(heads[0]) + "\n| " + store::format_head(heads[1]) + " |\n";
    auto parsed = store::parse_heads(text);
    REQUIRE(parsed.size() == 2);
    CHECK(parsed[1].chain == "openings");
    CHECK(parsed[1].hash == heads[1].hash);
    CHECK(store::check_expected_heads(b.store(), heads) == Lines{});

    store::ChainHead gone{"exchanges", 9, heads[0].hash};
    CHECK(store::check_expected_heads(b.store(), {gone}) ==
          Lines{"exchanges: the history published as head 9 " + heads[0].hash +
                " is no longer in the store: exchange 9 is gone (rewritten or cut short)"});
    store::ChainHead rewritten{"openings", 2, std::string(64, 'a')};
    CHECK(store::check_expected_heads(b.store(), {rewritten}) ==
          Lines{"openings: the history published as head 2 " + std::string(64, 'a') +
                " is no longer a prefix of the store's: opening balance 2 now has hash " + heads[1].hash +
                " (rewritten)"});
}

// The foreign keys of the exchanges are checked from the chain's pass, and
// said in PRAGMA foreign_key_check's words, where the full check always said
// them (after the integrity lines, before the chains').
namespace {

void bank(tb::test::ReportBank& b) {
    b.member("ann", "Ann Lee");
    b.member("bob", "Bob Marsh");
    b.trade("2026-01-05", "ann", "bob", 60, "Gardening");
    b.trade("2026-02-06", "bob", "ann", 30, "Gardening");
}

// An exchange row written behind tb's back, foreign keys off; `provider`
// is SQL (a literal or an expression).
void insert_raw(store::Store& s, std::int64_t number, const std::string& provider) {
    s.db().exec("PRAGMA foreign_keys = OFF");
    s.db().exec("INSERT INTO exchange (number, date, provider, recipient, minutes, recorded_at, recorded_by, "
                "fingerprint, note_digest, hash) VALUES (" +
                std::to_string(number) + ", '2026-03-01', " + provider +
                ", 'bob', 30, 'now', 'test', 'f', 'd', 'h')");
}

std::vector<std::string> pragma_foreign_keys(store::Store& s) {
    std::vector<std::string> out;
    SQLite::Statement q(s.db(), "PRAGMA foreign_key_check");
    while (q.executeStep())
        out.push_back("foreign key: " + q.getColumn(0).getString() + " row " + q.getColumn(1).getString() +
                      " points at a missing " + q.getColumn(2).getString());
    return out;
}

std::vector<std::string> foreign_key_lines(const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    for (auto& l : lines)
        if (l.rfind("foreign key: ", 0) == 0) out.push_back(l);
    return out;
}

}  // namespace

TEST_CASE("an exchange with a member who does not exist: said first, in the pragma's words") {
    tb::test::ReportBank b;
    bank(b);
    CHECK(store::check_store(b.store()).empty());
    insert_raw(b.store(), 3, "'zed'");
    auto lines = store::check_store(b.store());
    REQUIRE_FALSE(lines.empty());
    CHECK(lines.front() == "foreign key: exchange row 3 points at a missing member");
    CHECK(foreign_key_lines(lines) == pragma_foreign_keys(b.store()));
    // The chain, balances and totals have their say after it.
    CHECK(lines.size() > 1);
}

TEST_CASE("a member named by a value that is not text is looked up as SQLite looks it up") {
    tb::test::ReportBank b;
    bank(b);
    insert_raw(b.store(), 3, "CAST('ann' AS BLOB)");
    auto expected = pragma_foreign_keys(b.store());
    CHECK(expected == std::vector<std::string>{"foreign key: exchange row 3 points at a missing member"});
    CHECK(foreign_key_lines(store::check_store(b.store())) == expected);
}

TEST_CASE("foreign keys of other tables and of voids are still checked") {
    tb::test::ReportBank b;
    bank(b);
    b.store().db().exec("PRAGMA foreign_keys = OFF");
    b.store().db().exec("INSERT INTO member_tag (member, tag) VALUES ('nobody', 'carer')");
    CHECK(foreign_key_lines(store::check_store(b.store())) == pragma_foreign_keys(b.store()));
    CHECK_FALSE(pragma_foreign_keys(b.store()).empty());
}
