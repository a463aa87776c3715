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
// of the pot. The subquery is not correlated: SQLite builds the set of
// voided numbers once.
inline constexpr const char* kIsTradeSql =
    "e.reverses IS NULL AND e.number NOT IN (SELECT reverses FROM exchange WHERE reverses IS NOT NULL) AND "
    TB_NOT_POT_SQL;

// Whether an exchange between these two members can be a trade (the pot on
// neither side), for code that sees exchanges one by one.
inline bool may_be_trade(std::string_view provider, std::string_view recipient) {
    return provider != "pot" && recipient != "pot";
}

}  // namespace tb::store
