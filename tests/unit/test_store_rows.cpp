// The shared column and row decoders (lib/tb/store/rows.cpp).
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <fmt/format.h>

#include "tb/store/rows.hpp"

using namespace tb;

namespace {

SQLite::Database memory() { return SQLite::Database(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); }

}  // namespace

TEST_CASE("rows: NULL reads as empty text, no date, no number") {
    auto db = memory();
    SQLite::Statement q(db, "SELECT NULL, 'x', '2026-11-02', 'not a date', 42");
    REQUIRE(q.executeStep());
    CHECK(store::rows::text(q, 0).empty());
    CHECK(store::rows::text(q, 1) == "x");
    CHECK_FALSE(store::rows::opt_date(q, 0));
    CHECK(store::rows::opt_date(q, 2) == from_ymd(2026, 11, 2));
    CHECK_FALSE(store::rows::opt_date(q, 3));
    CHECK(store::rows::date(q, 2) == from_ymd(2026, 11, 2));
    CHECK(store::rows::date(q, 3) == Date{});
    CHECK_FALSE(store::rows::opt_int(q, 0));
    CHECK(store::rows::opt_int(q, 4) == 42);
}

TEST_CASE("rows: a balance limit is bound and read back as it was") {
    auto db = memory();
    db.exec("CREATE TABLE t (n INTEGER PRIMARY KEY, lim)");
    const BalanceLimit limits[] = {BalanceLimit{}, BalanceLimit::none(), BalanceLimit::of(-600), BalanceLimit::of(0)};
    SQLite::Statement ins(db, "INSERT INTO t (lim) VALUES (?)");
    for (auto& l : limits) {
        store::rows::bind_limit(ins, 1, l);
        ins.exec();
        ins.reset();
    }
    SQLite::Statement q(db, "SELECT lim, typeof(lim) FROM t ORDER BY n");
    std::vector<std::string> stored;
    for (auto& l : limits) {
        REQUIRE(q.executeStep());
        auto back = store::rows::limit(q, 0);
        CHECK(back.mode == l.mode);
        CHECK(back.value == l.value);
        stored.push_back(q.getColumn(1).getString());
    }
    CHECK(stored == std::vector<std::string>{"null", "text", "integer", "integer"});
}

TEST_CASE("rows: optional text is bound as NULL when empty") {
    auto db = memory();
    SQLite::Statement q(db, "SELECT ?1 IS NULL, ?2");
    store::rows::bind_opt_text(q, 1, "");
    store::rows::bind_opt_text(q, 2, "note");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 1);
    CHECK(q.getColumn(1).getString() == "note");
}

TEST_CASE("rows: a safeguarding check from its name and expiry columns") {
    auto db = memory();
    SQLite::Statement q(db, "SELECT 'M0001', 'DBS', '2027-03-31'");
    REQUIRE(q.executeStep());
    auto c = store::rows::check(q, 1);
    CHECK(c.name == "DBS");
    CHECK(c.expires == from_ymd(2027, 3, 31));
}

TEST_CASE("rows: a request row, open and closed") {
    auto db = memory();
    db.exec("CREATE TABLE request (number INTEGER PRIMARY KEY, member, category, text, minutes, needed_by, status, "
            "exchange, created_at, closed_at, recorded_by, outcome, close_reason)");
    db.exec("INSERT INTO request VALUES (1, 'M0001', 'Gardening', 'dig', NULL, NULL, 'open', NULL, "
            "'2026-11-01T10:00:00Z', NULL, 'ann', NULL, NULL)");
    db.exec("INSERT INTO request VALUES (2, 'M0002', 'Cooking', 'soup', 90, '2026-12-24', 'closed', 7, "
            "'2026-11-02T10:00:00Z', '2026-11-03T09:00:00Z', 'bob', 'met', 'done')");
    SQLite::Statement q(db, fmt::format("SELECT {} FROM request r ORDER BY number", store::rows::kRequestColumns));
    REQUIRE(q.executeStep());
    auto open = store::rows::request(q);
    CHECK(open.number == 1);
    CHECK(open.member == "M0001");
    CHECK(open.category == "Gardening");
    CHECK(open.text == "dig");
    CHECK_FALSE(open.minutes);
    CHECK_FALSE(open.needed_by);
    CHECK(open.open);
    CHECK_FALSE(open.exchange);
    CHECK(open.created_at == "2026-11-01T10:00:00Z");
    CHECK(open.closed_at.empty());
    CHECK(open.recorded_by == "ann");
    CHECK(open.outcome.empty());
    CHECK(open.close_reason.empty());
    REQUIRE(q.executeStep());
    auto closed = store::rows::request(q);
    CHECK(closed.minutes == 90);
    CHECK(closed.needed_by == from_ymd(2026, 12, 24));
    CHECK_FALSE(closed.open);
    CHECK(closed.exchange == 7);
    CHECK(closed.closed_at == "2026-11-03T09:00:00Z");
    CHECK(closed.outcome == "met");
    CHECK(closed.close_reason == "done");
}
