#pragma once
// Staging an exchange import in a temporary table, so that rows can be
// checked in date order without holding the file in memory.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tb/model/model.hpp"
#include "tb/store/store.hpp"

namespace tb::store {

struct StagedExchange {
    std::int64_t line = 0;
    Date date;
    std::string provider, recipient;
    Minutes minutes = 0;
    std::string category, note, ref;
    std::optional<std::int64_t> number, reverses;  // as in the file
    std::string fingerprint;
    std::string recorded_at, recorded_by;  // a history file's, kept with --history
    // The caller's numbers for the provider and recipient (an import's
    // member slots), kept with the row; -1 for none.
    int provider_slot = -1, recipient_slot = -1;
    // Filled when read back: this row is the nth in the file with its
    // fingerprint, and the store held `existing` such exchanges before.
    std::int64_t nth = 0, existing = 0;
};

class ExchangeStage {
public:
    explicit ExchangeStage(Store& s);
    ~ExchangeStage();
    void add(const StagedExchange& e);
    // Lines of rows whose ref appears more than once in the file, with the first line.
    std::vector<std::pair<std::int64_t, std::int64_t>> duplicate_refs();
    // File numbers that some row's `reverses` points at.
    std::vector<std::int64_t> reverse_targets();
    // In date order (then file order); existing counts only exchanges up to max_number.
    void for_each(std::int64_t max_number, const std::function<void(const StagedExchange&)>& fn);
    // Whether some row of the file has this fingerprint.
    bool has_fingerprint(const std::string& fingerprint);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// For a bulk load into an empty ledger: drops the ledger's indexes and
// builds them again by sorting at finish(), which is many times faster than
// a million random index inserts. The unique ones (ref, reverses) are
// checked again when they are built, so a duplicate the import's own checks
// missed still fails the whole import. All inside the caller's transaction,
// so readers never see the ledger without them.
class BulkIndexes {
public:
    explicit BulkIndexes(Store& s);
    void finish();

private:
    Store& store_;
    std::vector<std::string> create_sql_;
};

std::int64_t max_exchange_number(Store& s);
// The standing (not void, not voided) exchanges numbered up to max_number of
// one day between one provider and one recipient; `ref` holds each one's
// fingerprint. For telling a corrected row from a new one.
std::vector<Exchange> same_day_exchanges(Store& s, Date date, const std::string& provider,
                                         const std::string& recipient, std::int64_t max_number);
// Exchanges of one day, minutes and category between `known` (provider when
// known_is_provider, else recipient) and a forgotten member.
std::int64_t count_forgotten_matches(Store& s, Date date, const std::string& known, bool known_is_provider,
                                     Minutes minutes, const std::string& category);
// The number of the nth (1-based) non-void exchange with this fingerprint.
std::optional<std::int64_t> nth_with_fingerprint(Store& s, const std::string& fingerprint, std::int64_t nth);
std::optional<std::int64_t> exchange_number_by_ref(Store& s, const std::string& ref);
bool has_void(Store& s, std::int64_t number);

}  // namespace tb::store
