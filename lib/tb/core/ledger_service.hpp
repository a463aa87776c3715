#pragma once
// Recording, voiding and opening balances: policy + store in one transaction.
#include <optional>
#include <string>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/core/member_lookup.hpp"  // require_member
#include "tb/model/model.hpp"
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

// What `tb-exchange amend` changes: each field given replaces the
// exchange's own; the rest are kept.
struct ExchangeAmendment {
    std::optional<std::string> provider, recipient;  // member keys (ID, email or full name)
    std::optional<Minutes> minutes;
    std::optional<Date> date;
    std::optional<std::string> category, note;
    std::string reason;           // why: the void's note
    std::string override_reason;  // as record's --override
    bool empty() const { return !provider && !recipient && !minutes && !date && !category && !note; }
};

struct AmendResult {
    Exchange voided;     // the void of the exchange amended
    Exchange corrected;  // the corrected exchange, amends = the one amended
    std::vector<std::string> warnings;
};

// Corrects exchange N: in one transaction, a void of N and the corrected
// exchange, which points at N (`amends`). The corrected exchange must pass
// every rule of a record (policy, category, blocked pairs, limits), its
// balances taken as if N were voided. Refused (Rejected) for a void, an
// exchange already voided or amended, an exchange with the pot or a clearing
// account, and a change that changes nothing; NotFound for an unknown N;
// UsageError when no change is given.
AmendResult amend_exchange(store::Store& s, const Config& c, Date today, std::int64_t number,
                           const ExchangeAmendment& a, const std::string& who);

// An opening balance: refused for a forgotten member or a future date.
Opening record_opening(store::Store& s, const std::string& member_key, Minutes minutes, Date date, Date today,
                       const std::string& note, const std::string& who);

}  // namespace tb
