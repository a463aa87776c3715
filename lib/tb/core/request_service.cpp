#include "tb/core/request_service.hpp"

#include <fmt/format.h>
#include <vector>

#include "tb/store/audit.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/match_queries.hpp"
#include "tb/store/requests.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb {

std::string to_string(RequestOutcome o) { return o == RequestOutcome::met ? "met" : "withdrawn"; }

std::string close_request(store::Store& s, const RequestClosing& c) {
    if (c.exchange && c.outcome != RequestOutcome::met)
        throw UsageError("--exchange says the request was met: it cannot be combined with --withdrawn");
    store::WriteTransaction tx(s);
    auto r = store::find_request(s, c.number);
    if (!r) throw NotFound(fmt::format("no request {}", c.number));
    if (!r->open)
        throw Rejected(fmt::format("request {} is already closed{}", c.number,
                                   r->outcome.empty() ? std::string() : " (" + r->outcome + ")"));
    std::optional<Exchange> e;
    if (c.exchange) {
        e = store::find_exchange(s, *c.exchange);
        if (!e) throw NotFound(fmt::format("no exchange {}", *c.exchange));
        if (e->reverses || e->voided_by)
            throw Rejected(fmt::format("exchange {} is {}", e->number, e->reverses ? "a void" : "voided"));
        if (e->recipient != r->member)
            throw Rejected(fmt::format("exchange {} was received by {}, not by the requester {}", e->number,
                                       e->recipient, r->member));
    }
    auto reason = std::string(text::trim(c.reason));
    store::close_request(s, r->number, to_string(c.outcome), c.exchange, reason);
    std::vector<std::string> fields = {"status", "outcome", "closed_at"};
    if (e) fields.push_back("exchange");
    if (!reason.empty()) fields.push_back("close_reason");
    if (e && store::accept_proposals(s, r->number, e->provider) > 0) fields.push_back("proposal.status");
    store::audit(s, c.who, "tb-match request close", fmt::format("request {}", r->number), fields);
    tx.commit();
    return fmt::format("request {} closed: {}", r->number, to_string(c.outcome));
}

}  // namespace tb
