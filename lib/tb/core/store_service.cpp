#include "tb/core/store_service.hpp"

#include "tb/store/audit.hpp"
#include "tb/store/rollup.hpp"

namespace tb {

void rebuild_totals(store::Store& s, const std::string& who) {
    store::WriteTransaction tx(s);
    store::rebuild_rollups(s);
    store::audit(s, who, "tb check --rebuild-totals", "monthly totals", {"trade_month", "member_month"});
    tx.commit();
}

}  // namespace tb
