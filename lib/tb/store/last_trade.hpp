#pragma once
// Each member's last trade (schema version 11: member.last_trade), kept with
// every ledger write, so that a report listing members reads it from the
// member row. Before it was kept, every report looked again at the latest
// exchange of each member whose latest exchange might have been voided: a
// read of every voided exchange (0.12 s at 10M exchanges) on every run.
//
// It holds what those reports showed. Of the member's exchanges that are not
// voids (the pot's included): L, the latest date of them all; V, the latest
// date of those voided since. Then last_trade is L, unless V = L: then it is
// the date of the member's latest trade (neither a void nor voided, the pot
// on neither side: kIsTradeSql), NULL when there is none. So a voided
// exchange never counts, and a donation to or grant from the pot counts as
// the member's last activity when it is the latest exchange of all (as
// member.last_exchange, which counts voided exchanges too, always has).
//
// Kept with every ledger write (RollupBatch: LastTradeBatch below; exchanges
// written behind the totals' back by refresh_rollups), filled from the
// ledger by the migration and by rebuild_rollups (tb check
// --rebuild-totals), recomputed in tb check's single pass over the ledger
// (TotalsCheck: LastTradeCheck below), one line per member that differs.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tb/store/member_slots.hpp"
#include "tb/store/store.hpp"

namespace tb::store {

class MemberNumbers;  // store/member_number.hpp

// The migration to version 11: adds the column (unless a store made from a
// newer one for a test has it).
void add_last_trade_column(Store& s);

// Every member's last_trade from the ledger (the migration, rebuild_rollups):
// a few index look-ups per member.
void rebuild_last_trade(Store& s);

// The members on either side of the exchanges numbered above `upto`, from
// the ledger (refresh_rollups: exchanges written behind the totals' back).
void refresh_last_trade(Store& s, std::int64_t upto);

// One member's last trade as the ledger gives it ("YYYY-MM-DD"), none when
// there is none; a few index look-ups.
std::optional<std::string> last_trade_of(Store& s, const std::string& member);

// The part of RollupBatch (store/rollup.hpp) that keeps last_trade for the
// exchanges appended. A trade raises it to its date; a void of an exchange
// dated on or after it, or a donation or grant, has it looked up again in
// the ledger for both sides (a few index look-ups, after the rows are in).
// Members are named by their slots in `members` (store/member_number.hpp),
// which outlives the batch.
class LastTradeBatch {
public:
    LastTradeBatch(Store& s, const MemberNumbers& members);
    ~LastTradeBatch();
    LastTradeBatch(const LastTradeBatch&) = delete;
    LastTradeBatch& operator=(const LastTradeBatch&) = delete;
    // An exchange appended that is not a void ("YYYY-MM-DD").
    void add(const std::string& date, std::uint32_t provider, std::uint32_t recipient);
    // The original of a void appended (not itself a void).
    void voided(const std::string& date, std::uint32_t provider, std::uint32_t recipient);
    // Writes the members' new last_trade, once the rows are in the ledger.
    void apply();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The part of TotalsCheck (store/rollup_check.hpp) that recomputes
// last_trade from the ledger and compares it with the member rows.
class LastTradeCheck {
public:
    LastTradeCheck();
    ~LastTradeCheck();
    LastTradeCheck(const LastTradeCheck&) = delete;
    LastTradeCheck& operator=(const LastTradeCheck&) = delete;
    // An exchange that is not a void, `voided` or not: its date and sides
    // as text, and the sides' slots (store/member_slots.hpp).
    void add(std::string_view date, std::string_view provider, std::string_view recipient, std::uint32_t provider_slot,
             std::uint32_t recipient_slot, bool voided);
    // Reads the members and appends a line per member whose last_trade
    // differs, in ID order; `slots` those add was given.
    void differences(Store& s, const MemberSlots& slots, std::vector<std::string>& out);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tb::store
