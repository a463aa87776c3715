#pragma once
// Recording, voiding and opening balances: policy + store in one transaction.
#include <optional>
#include <string>
#include <vector>

#include "tb/core/config.hpp"
#include "tb/core/member_lookup.hpp"  // require_member
#include "tb/core/model.hpp"
#include "tb/store/store.hpp"

namespace tb {

struct RecordResult {
    std::vector<Exchange> exchanges;
    std::vector<std::string> warnings;  // warn_below crossings
};


// Records a (group) exchange: one row per provider/recipient pair, all or
// none. Throws Rejected naming every rule broken; with override_reason set,
// balance and date rules are let through and the reason is stored.
RecordResult record_exchanges(store::Store& s, const Config& c, Date today, const std::vector<std::string>& providers,
                              const std::vector<std::string>& recipients, const ExchangeDraft& common,
                              const std::string& who);

// Voids exchange N by a reversing exchange; never refused for a balance.
Exchange void_exchange(store::Store& s, Date today, std::int64_t number, const std::string& reason,
                       const std::string& who);

// An opening balance: refused for a forgotten member or a future date.
Opening record_opening(store::Store& s, const std::string& member_key, Minutes minutes, Date date, Date today,
                       const std::string& note, const std::string& who);

}  // namespace tb
