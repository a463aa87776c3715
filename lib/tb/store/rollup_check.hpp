#pragma once
// The monthly totals (store/rollup.hpp) checked against the ledger in one
// read of the exchanges, in memory that does not grow with them: tb check
// feeds each exchange row as its hash-chain pass reads it (in number order,
// so the ledger is read once for both), then the kept tables are read once
// each, in any order, and compared month by month.
//
// trade_month is small (a row per month, category and pair of kinds) and is
// compared row by row. member_month and pair_month have about a row per
// member or trade and month, so per month only sums are kept: of a 64-bit
// hash of each row's key (member; provider, recipient and category) times
// its count (and its minutes), against the same sums over the ledger's
// trades. Equal tables give equal sums; a row's key, count or minutes
// changed, a row added or removed changes them (but for a chance of about
// 2^-64). A kept row that counts nothing (no trades, or minutes not above
// zero) is a difference too: the ledger never gives one.
//
// trade_day (a row per date) is compared row by row, each differing day
// reported on its own line. group_month (a row per grouping, month, group,
// category and pair of kinds) is compared row by row with every member's
// groups as they are now, a line per grouping and month that differs.
//
// pair_year (a row per year and unordered pair) is compared by per-year sums
// as pair_month is, one line per differing year, after all the others
// (store/pair_year.hpp, PairYearCheck).
//
// What counts as a trade is kIsTradeSql's definition (store/trade_sql.hpp)
// applied row by row: not a void, not voided, neither side the pot. The pair
// of kinds counts the sides that are organisations now.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tb/store/member_slots.hpp"
#include "tb/store/store.hpp"

namespace SQLite {
class Statement;
}

namespace tb::store {

class TotalsCheck {
public:
    // Reads the numbers of voided exchanges and the organisations.
    explicit TotalsCheck(Store& s);
    ~TotalsCheck();
    TotalsCheck(const TotalsCheck&) = delete;
    TotalsCheck& operator=(const TotalsCheck&) = delete;

    // The columns of a row of `kTotalsColumns`, starting at column `first`
    // of a statement that selects them (any order of rows); `provider` and
    // `recipient` the slots of its two sides (store/member_slots.hpp).
    void add(SQLite::Statement& row, int first, std::uint32_t provider, std::uint32_t recipient);
    // The months in which the kept tables differ from what was added, worded
    // as check_rollups words them: trade_month's months, then member_month's,
    // then pair_month's, each in month order; then trade_day's days, in order;
    // then pair_year's years, in order; then group_month's
    // (store/group_month.hpp GroupMonthCheck).
    std::vector<std::string> differences(Store& s, const MemberSlots& slots);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// What TotalsCheck::add reads of an exchange `e`, in this order.
inline constexpr const char* kTotalsColumns =
    "e.number, e.date, e.provider, e.recipient, e.category, e.minutes, e.reverses";
inline constexpr int kTotalsColumnCount = 7;

// check_rollups' comparison on its own: reads every exchange.
std::vector<std::string> totals_differing(Store& s);

}  // namespace tb::store
