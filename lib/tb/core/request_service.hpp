#pragma once
// Closing a request for help (tb-match request close): the rules, then the
// store and the audit log, in one transaction.
#include <cstdint>
#include <optional>
#include <string>

#include "tb/store/store.hpp"

namespace tb {

enum class RequestOutcome { met, withdrawn };
// "met" or "withdrawn", as the store keeps it.
std::string to_string(RequestOutcome o);

struct RequestClosing {
    std::int64_t number = 0;
    RequestOutcome outcome = RequestOutcome::met;
    // The exchange that met it (outcome met): live (neither voided nor a
    // void), received by the requester.
    std::optional<std::int64_t> exchange;
    std::string reason;  // may be empty
    std::string who;     // --recorded-by
};

// Closes request N: NotFound (4) when there is no request N or no exchange
// M; Rejected (3) when it is already closed, or the exchange is voided, a
// void, or was not received by the requester. With an exchange, the
// requester's pending proposals to its provider are marked accepted.
// Returns what -v says.
std::string close_request(store::Store& s, const RequestClosing& c);

}  // namespace tb
