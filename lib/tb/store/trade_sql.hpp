#pragma once
// SQL shared by the reports' queries and the monthly totals. Internal to store/.

#include <string_view>

namespace tb::store {

// This is the one definition of a trade; every query below that reads trades
// (report_queries.cpp, rollup.cpp) uses these.
//
// Donations to the community pot and grants from it (the account `pot` on
// either side) are never trade: like opening balances they move balances
// but are not hours traded.
#define TB_NOT_POT_SQL "e.provider <> 'pot' AND e.recipient <> 'pot'"
inline constexpr const char* kNotPotSql = TB_NOT_POT_SQL;

// Exchanges (aliased `e`) that count as trade: not a void, not voided, not
// of the pot. Whether a row was voided is one look-up in the unique index of
// voids (exchange_reverses), so a query that reads a few rows (a member's
// latest trade) costs a few look-ups: an uncorrelated `NOT IN (SELECT
// reverses ...)` would build the whole set of voided numbers on every run.
inline constexpr const char* kIsTradeSql =
    "e.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM exchange v WHERE v.reverses = e.number) AND " TB_NOT_POT_SQL;

// Whether an exchange between these two members can be a trade (the pot on
// neither side), for code that sees exchanges one by one.
inline bool may_be_trade(std::string_view provider, std::string_view recipient) {
    return provider != "pot" && recipient != "pot";
}

}  // namespace tb::store
