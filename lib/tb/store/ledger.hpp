#pragma once
// The append-only ledger: exchanges, voids, opening balances, balances.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tb/model/model.hpp"
#include "tb/store/store.hpp"

namespace tb::store {

// The hash chain's genesis value.
inline const std::string kGenesisHash(64, '0');

// The text that is hashed for an exchange: everything but the note itself,
// which enters as its digest so that forgetting a note keeps the chain valid.
std::string exchange_chain_text(const Exchange& e, const std::string& note_digest, const std::string& prev_hash);
std::string opening_chain_text(const Opening& o, const std::string& note_digest, const std::string& prev_hash);
std::string note_digest(const std::string& salt, const std::string& note, const std::string& override_reason);

// Appends exchanges in bulk: statements prepared once, the chain's last hash
// and the next number kept in memory, balance changes applied by flush(),
// which the owner calls before committing (the destructor writes nothing).
// One appender per transaction.
//
// The caller's own numbers for an exchange's two sides (an import's
// FileMembers slots: each always names the same member), so that the
// appender need not look each side's ID up again for every row; -1: none.
struct SideNumbers {
    int provider = -1, recipient = -1;
};

class LedgerAppender {
public:
    LedgerAppender(Store& s, std::string recorded_by);
    ~LedgerAppender();
    LedgerAppender(const LedgerAppender&) = delete;
    LedgerAppender& operator=(const LedgerAppender&) = delete;
    // `fingerprint`, when given, is exchange_fingerprint() of the draft,
    // already computed by the caller (an import has it from staging).
    // `recorded_at` / `recorded_by`, when given, replace the appender's own
    // (a history file's rows keep when and by whom they were first recorded).
    // `sides`, when given, number the draft's provider and recipient.
    Exchange append(const ExchangeDraft& d, std::string_view fingerprint = {}, std::string_view recorded_at = {},
                    std::string_view recorded_by = {}, SideNumbers sides = {});
    void flush();
    // How many of the provider and recipient IDs appended are no member's:
    // what the foreign keys would have refused, for a load that turns them
    // off (every row's sides are looked up by ID here anyway, for the kept
    // totals, each distinct ID once).
    std::size_t strangers() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Appends one exchange, extends the chain and the members' balances.
// Returns the stored exchange (with its number).
Exchange append_exchange(Store& s, const ExchangeDraft& d, const std::string& recorded_by);
Opening append_opening(Store& s, const std::string& member, Minutes minutes, Date date, const std::string& note,
                       const std::string& recorded_by);

std::optional<Exchange> find_exchange(Store& s, std::int64_t number);
bool ref_exists(Store& s, const std::string& ref);

struct ExchangeFilter {
    std::string member;  // provider or recipient
    std::optional<Date> since, until;
    std::string category;
    enum class Voids { hide, only, all } voids = Voids::hide;
};
// In number order. With Voids::hide, voided exchanges and the voids that
// reverse them are both left out (they cancel).
void for_each_exchange(Store& s, const ExchangeFilter& f, const std::function<void(const Exchange&)>& fn);
// A statement's exchanges: every exchange of `member` dated within [since,
// until] (either end open), voids included, in date and number order, with
// the names of both sides ("" for one that is not a member). Streamed from
// the provider and recipient indexes, merged as they are read: nothing is
// sorted or held, however long the member's history. Only what a statement
// shows is read: number, date, sides, minutes, category, note, reverses,
// amends and amended_by (ref, voided_by, the recorder are left empty).
void for_each_exchange_of_member(
    Store& s, const std::string& member, std::optional<Date> since, std::optional<Date> until,
    const std::function<void(const Exchange&, std::string_view provider_name, std::string_view recipient_name)>&
        fn);
// The distinct categories the ledger holds, as written.
std::vector<std::string> categories_in_use(Store& s);
std::vector<Opening> openings_of(Store& s, const std::string& member);
void for_each_opening(Store& s, const std::function<void(const Opening&)>& fn);

// The balance as it stood at the end of `date` (openings dated then included).
Minutes balance_as_of(Store& s, const std::string& member, Date date);
// The same, read from whichever side of `date` holds fewer of the member's
// exchanges: those up to it summed, or those after it taken from the kept
// balance (member.balance, which every ledger write keeps and tb check
// recomputes). A statement from a recent date reads a few rows, not the
// member's whole history.
Minutes balance_as_of_kept(Store& s, const std::string& member, Date date);

}  // namespace tb::store
