#pragma once
// Operations on the store as a whole (tb check --rebuild-totals).
#include <string>

#include "tb/store/store.hpp"

namespace tb {

// Computes the kept monthly totals (trade_month, member_month) again from
// the ledger, in one transaction, and audits it. Derived figures only: the
// ledger and its hash chain are not touched.
void rebuild_totals(store::Store& s, const std::string& who);

}  // namespace tb
