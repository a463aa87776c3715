#pragma once
// The ledger policy of SPEC "Policy": which exchanges may be recorded.
#include <optional>
#include <string>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/model/model.hpp"

namespace tb {

struct Violation {
    std::string rule;     // short name: self, inactive, hours, future, backdate, min_balance, max_balance, category,
                          // blocked
    std::string message;  // names the rule and the numbers
    bool overridable;     // --override REASON lets a coordinator record it anyway
};

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

}  // namespace tb
