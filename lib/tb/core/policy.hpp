#pragma once
// The ledger policy of SPEC "Policy": which exchanges may be recorded.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/model/model.hpp"

namespace tb {

// The rules of SPEC "Policy" an exchange can break.
enum class Rule { self, inactive, hours, future, backdate, min_balance, max_balance, category, blocked };

// What an import needs to know of a rule (the table in policy.cpp).
struct RuleInfo {
    Rule rule;
    std::string_view name;  // its short name: "self", "min_balance", ...
    // The import field a row breaking it is blamed on: date, hours (the
    // amount: minutes when the file has minutes), category, provider,
    // recipient; "member" for the member who is not active (the provider if
    // they are not, else the recipient).
    std::string_view blames;
    // A rule that held when the exchange was first recorded, not applied
    // again to history (an import of tb's own export with --history).
    bool waived_for_history;
};
const RuleInfo& rule_info(Rule r);
std::string_view rule_name(Rule r);

struct Violation {
    Rule rule;
    std::string message;  // names the rule and the numbers
    bool overridable;     // --override REASON lets a coordinator record it anyway
};

// The rules about members, hours and dates that exchanges, opening
// balances, requests and matching share (LedgerPolicy::check_exchange,
// request_problem and the services call them).

// SPEC "Policy": only an active member takes part (records exchanges, asks
// for help, is suggested or proposed); inactive and forgotten members do not.
bool is_active(MemberStatus s);
// "M0001 is inactive, not active" when `m` does not take part, else nullopt.
std::optional<std::string> inactive_problem(const Member& m);
// Over [policy] max_hours_per_exchange: a request for help is held to the
// limit of the exchange that would meet it.
bool over_hours_limit(Minutes minutes, const Config& c);
// "date D is in the future (today is T)" for a date after today, else
// nullopt: an exchange (Rule::future) and an opening balance are dated so.
std::optional<std::string> future_date_problem(Date date, Date today);

// A member's effective limits: their own, else the bank's (nullopt = none).
std::optional<Minutes> effective_min(const Member& m, const Config& c);
std::optional<Minutes> effective_max(const Member& m, const Config& c);

class LedgerPolicy {
public:
    LedgerPolicy(const Config& config, Date today) : config_(config), today_(today) {}

    // Rules about the exchange itself and its two members: self exchange,
    // active members, hours, date, category.
    std::vector<Violation> check_exchange(const ExchangeDraft& d, const Member& provider,
                                          const Member& recipient) const;
    // The same rules but the category, for an import, which rules on each
    // category once when the row is read (and once per distinct text).
    std::vector<Violation> check_exchange_but_category(const ExchangeDraft& d, const Member& provider,
                                                       const Member& recipient) const;
    // A pair blocked with `tb-member block` (safeguarding): refused unless
    // --override REASON.
    std::vector<Violation> check_pair(const ExchangeDraft& d, bool blocked) const;
    // Balance rules, given both balances before the exchange.
    std::vector<Violation> check_balances(const ExchangeDraft& d, const Member& provider, Minutes provider_balance,
                                          const Member& recipient, Minutes recipient_balance) const;
    // The balance-warning threshold ([policy] warn_below) crossed, if any.
    std::optional<std::string> warning(const Member& m, Minutes balance) const;

private:
    const Config& config_;
    Date today_;
};

// "a; b" from several violations, for one rejection message.
std::string describe(const std::vector<Violation>& v);

// Rules beyond one exchange (requests for help), kept as predicates and
// messages: they do not depend on Violation's shape.

// A request for help as given (tb-match request add), before the store is
// read: hours within the limit, needed-by not before today, a text, a
// category (resolved to the taxonomy afterwards). The first problem, named
// as the option that has it, or nullopt.
std::optional<std::string> request_problem(const Request& r, const Config& c, Date today);

}  // namespace tb
