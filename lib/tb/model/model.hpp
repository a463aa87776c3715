#pragma once
// The domain's plain types: members, exchanges, opening balances, requests.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tb/util/date.hpp"
#include "tb/util/duration.hpp"

namespace tb {

// pot and bank are accounts, not people: the community pot (member ID
// `pot`, one per store) and the clearing account of a partner bank.
enum class MemberKind { person, organisation, pot, bank };
inline bool is_account(MemberKind k) { return k == MemberKind::pot || k == MemberKind::bank; }
// The member ID of the community pot.
inline constexpr const char* kPotId = "pot";
enum class MemberStatus { active, inactive, forgotten };

std::string to_string(MemberKind k);
std::string to_string(MemberStatus s);
// Throws UsageError naming the value ("person", "organisation" ("org" too), "pot" or "bank").
// Any kind name (as stored) -> kind; an unknown one is a person.
MemberKind member_kind_from_stored(std::string_view s);
// A status name (as stored) -> status; an unknown one is active.
MemberStatus member_status_from_stored(std::string_view s);
MemberKind parse_member_kind(std::string_view s);

// A member's own balance limit: the bank's default, none, or a value.
struct BalanceLimit {
    enum class Mode { bank_default, none, value } mode = Mode::bank_default;
    Minutes value = 0;
    static BalanceLimit none() { return {Mode::none, 0}; }
    static BalanceLimit of(Minutes m) { return {Mode::value, m}; }
    bool operator==(const BalanceLimit&) const = default;
};
// "none", "default" (the bank's), or hours (may be negative or zero, as
// parse_balance_hours reads them), with `decimal_mark` accepted beside '.'.
// Throws UsageError / Rejected.
BalanceLimit parse_balance_limit(std::string_view s, char decimal_mark = '.');

struct SafeguardingCheck {
    std::string name;
    Date expires;
};

struct Member {
    std::string id;
    std::string name;
    MemberKind kind = MemberKind::person;
    MemberStatus status = MemberStatus::active;
    std::string status_reason;
    std::string email, phone, postcode, neighbourhood, note;
    Date joined;
    std::vector<std::string> offers, wants, tags;
    std::vector<SafeguardingCheck> checks;
    BalanceLimit min_limit, max_limit;
    Minutes balance = 0;   // exchanges and opening balances
    Minutes opening = 0;   // the opening-balance part of it
    std::optional<Date> last_exchange;
    std::string created_at;
};

// What the user asks to record; the store adds number, hashes and stamps.
struct ExchangeDraft {
    Date date;
    std::string provider, recipient;
    Minutes minutes = 0;
    std::string category, note, ref;
    std::optional<std::int64_t> reverses;
    std::string override_reason;
    std::optional<std::int64_t> amends = std::nullopt;  // corrects that exchange (tb-exchange amend)
};

struct Exchange {
    std::int64_t number = 0;
    Date date;
    std::string provider, recipient;
    Minutes minutes = 0;
    std::string category, note, ref;
    std::optional<std::int64_t> reverses;   // this is a void of that exchange
    std::optional<std::int64_t> voided_by;  // this exchange was voided by that one
    std::optional<std::int64_t> amends;     // this exchange corrects that one (schema version 7)
    std::optional<std::int64_t> amended_by; // this exchange was corrected by that one
    std::string override_reason;
    std::string recorded_at, recorded_by;
};

struct Opening {
    std::int64_t number = 0;
    std::string member;
    Minutes minutes = 0;
    Date date;
    std::string note;
    std::string recorded_at, recorded_by;
};

struct Request {
    std::int64_t number = 0;
    std::string member;
    std::string category, text;
    std::optional<Minutes> minutes;
    std::optional<Date> needed_by;
    bool open = true;
    std::optional<std::int64_t> exchange;
    std::string created_at, closed_at, recorded_by;
    // How a closed request was closed: "met" or "withdrawn"; empty while
    // open, and for one closed before tb recorded how (schema version 7).
    std::string outcome;
    std::string close_reason;
};

// Member IDs: letters, digits, '-', '_', '.'; at most 64 characters.
bool valid_member_id(std::string_view id);
// The content fingerprint that makes imports idempotent.
std::string exchange_fingerprint(Date date, const std::string& provider, const std::string& recipient,
                                 Minutes minutes, const std::string& category, const std::string& note);

}  // namespace tb
