#pragma once
// SQL shared by the reports' queries and the monthly totals. Internal to store/.

namespace tb::store {

// Exchanges (aliased `e`) that count as trade: not a void, and not voided.
// The subquery is not correlated: SQLite builds the set of voided numbers once.
inline constexpr const char* kIsTradeSql =
    "e.reverses IS NULL AND e.number NOT IN (SELECT reverses FROM exchange WHERE reverses IS NOT NULL)";

}  // namespace tb::store
