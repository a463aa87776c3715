#pragma once
// The community pot and trade between banks: the queries behind
// core/network_service and `tb hub`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tb/model/model.hpp"
#include "tb/store/store.hpp"

namespace tb::store {

// The exchange whose ref this is, if any.
std::optional<std::int64_t> exchange_with_ref(Store& s, const std::string& ref);

// A transfer with another bank, as its log keeps it.
struct TransferRow {
    std::string id;         // the transfer ID (also the exchange's ref)
    std::string direction;  // "out" (this bank wrote the file) or "in" (received it)
    std::string bank;       // the clearing account's member ID
    std::int64_t exchange = 0;
    std::string sha256, recorded_at;
};
void insert_transfer(Store& s, const TransferRow& t);
std::optional<TransferRow> find_transfer(Store& s, const std::string& id);
// Every transfer, by ID.
std::vector<TransferRow> all_transfers(Store& s);

// The pot's movements over a period: donations (members to the pot) and
// grants (the pot to members), voided ones and their voids left out.
struct PotTotals {
    std::int64_t donations = 0, grants = 0;
    Minutes donated = 0, granted = 0;
};
PotTotals pot_totals(Store& s, Date from, Date to);

}  // namespace tb::store
