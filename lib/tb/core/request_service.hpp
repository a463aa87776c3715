#pragma once
// Requests for help and the proposals made for them (tb-match request add,
// close, decline; run): the rules, then the store and the audit log, in one
// transaction each.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/model/model.hpp"
#include "tb/store/store.hpp"

namespace tb {

// A new request, its values parsed (the command line's --hours and
// --needed-by are usage errors before this is called).
struct RequestDraft {
    std::string member;    // ID, email or full name
    std::string category;  // as given: resolved to the taxonomy
    std::string text;      // trimmed when stored
    std::optional<Minutes> minutes;
    std::optional<Date> needed_by;
    std::string who;  // --recorded-by
};

struct AddedRequest {
    std::int64_t number = 0;
    std::vector<std::string> warnings;  // a category outside the taxonomy (not strict)
};

// Records a request for help: Rejected (3) for hours over the limit per
// exchange, a needed-by date in the past, an empty text or category, a
// category outside the taxonomy (strict_categories, naming the nearest) or a
// member who is not active; NotFound (4) for an unknown member, UsageError
// (2) for a name that several members share.
AddedRequest add_request(store::Store& s, const Config& c, Date today, const RequestDraft& d);

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

struct ProposalDecline {
    std::int64_t number = 0;            // the request
    std::optional<std::string> member;  // only this member's (ID, email or full name)
    std::string who;                    // --recorded-by
};

// Marks the pending proposals of open request N declined (the next run asks
// someone else): NotFound (4) for no request N or an unknown member;
// Rejected (3) when it is closed or has no pending proposal (to the member).
// Returns what -v says.
std::string decline_proposals(store::Store& s, const ProposalDecline& d);

// One proposal of a run: `member` is asked to meet request `request`.
struct ProposalDraft {
    std::int64_t request = 0;
    std::string member;
    double score = 0;
};

// Makes the proposals of a run with `plan` and records them, under one
// write lock: two runs at once cannot both hand the same member more than
// their share. `plan` reads the store inside the transaction; each proposal
// it returns must be for an open request, to an active member who is not the
// requester (else Rejected, and nothing is written). The proposals share a
// new run number, each with an audit entry. Returns the run number, or 0
// when `plan` proposes nothing (then nothing is written).
using ProposalPlanner = std::function<std::vector<ProposalDraft>(store::Store&)>;
std::int64_t propose(store::Store& s, const std::string& who, const ProposalPlanner& plan);

}  // namespace tb
