#include "tb/core/request_service.hpp"

#include <fmt/format.h>
#include <map>
#include <vector>

#include "tb/core/member_lookup.hpp"
#include "tb/core/policy.hpp"
#include "tb/core/taxonomy.hpp"
#include "tb/store/audit.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/match_queries.hpp"
#include "tb/store/members.hpp"
#include "tb/store/requests.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb {
namespace {

// Request N, or NotFound (exit 4).
Request existing_request(store::Store& s, std::int64_t number) {
    auto r = store::find_request(s, number);
    if (!r) throw NotFound(fmt::format("no request {}", number));
    return *r;
}

std::string request_target(std::int64_t number) { return fmt::format("request {}", number); }

// A proposal the planner made, against the rules of SPEC "tb-match": an
// open request, an active member who is not the requester. `requests` and
// `members` remember what was read (a member takes several requests).
void check_proposal(store::Store& s, const ProposalDraft& p, std::map<std::int64_t, Request>& requests,
                    std::map<std::string, Member>& members) {
    auto r = requests.find(p.request);
    if (r == requests.end()) r = requests.emplace(p.request, existing_request(s, p.request)).first;
    if (!r->second.open) throw Rejected(fmt::format("request {} is closed", p.request));
    auto m = members.find(p.member);
    if (m == members.end()) {
        auto found = store::find_member(s, p.member);
        if (!found) throw NotFound(fmt::format("no member '{}'", p.member));
        m = members.emplace(p.member, std::move(*found)).first;
    }
    if (auto why = inactive_problem(m->second)) throw Rejected(*why);
    if (m->second.id == r->second.member)
        throw Rejected(fmt::format("{} asked for request {}: they cannot be proposed for it", p.member, p.request));
}

}  // namespace

AddedRequest add_request(store::Store& s, const Config& c, Date today, const RequestDraft& d) {
    Request r;
    r.category = d.category;
    r.text = std::string(text::trim(d.text));
    r.minutes = d.minutes;
    r.needed_by = d.needed_by;
    if (auto why = request_problem(r, c, today)) throw Rejected(*why);
    AddedRequest out;
    std::optional<std::string> warning;
    r.category = resolve_category(c, d.category, warning);
    if (warning) out.warnings.push_back(*warning);

    store::WriteTransaction tx(s);
    auto m = require_member(s, d.member);
    if (auto why = inactive_problem(m)) throw Rejected(*why);
    r.member = m.id;
    r.recorded_by = d.who;
    out.number = store::insert_request(s, r);
    std::vector<std::string> fields = {"member", "category", "text"};
    if (r.minutes) fields.push_back("minutes");
    if (r.needed_by) fields.push_back("needed_by");
    store::audit(s, d.who, "tb-match request add", request_target(out.number), fields);
    tx.commit();
    return out;
}

std::string to_string(RequestOutcome o) { return o == RequestOutcome::met ? "met" : "withdrawn"; }

std::string close_request(store::Store& s, const RequestClosing& c) {
    if (c.exchange && c.outcome != RequestOutcome::met)
        throw UsageError("--exchange says the request was met: it cannot be combined with --withdrawn");
    store::WriteTransaction tx(s);
    auto r = existing_request(s, c.number);
    if (!r.open)
        throw Rejected(fmt::format("request {} is already closed{}", c.number,
                                   r.outcome.empty() ? std::string() : " (" + r.outcome + ")"));
    std::optional<Exchange> e;
    if (c.exchange) {
        e = store::find_exchange(s, *c.exchange);
        if (!e) throw NotFound(fmt::format("no exchange {}", *c.exchange));
        if (e->reverses || e->voided_by)
            throw Rejected(fmt::format("exchange {} is {}", e->number, e->reverses ? "a void" : "voided"));
        if (e->recipient != r.member)
            throw Rejected(fmt::format("exchange {} was received by {}, not by the requester {}", e->number,
                                       e->recipient, r.member));
    }
    auto reason = std::string(text::trim(c.reason));
    store::close_request(s, r.number, to_string(c.outcome), c.exchange, reason);
    std::vector<std::string> fields = {"status", "outcome", "closed_at"};
    if (e) fields.push_back("exchange");
    if (!reason.empty()) fields.push_back("close_reason");
    if (e && store::accept_proposals(s, r.number, e->provider) > 0) fields.push_back("proposal.status");
    store::audit(s, c.who, "tb-match request close", request_target(r.number), fields);
    tx.commit();
    return fmt::format("request {} closed: {}", r.number, to_string(c.outcome));
}

std::string decline_proposals(store::Store& s, const ProposalDecline& d) {
    store::WriteTransaction tx(s);
    auto r = existing_request(s, d.number);
    if (!r.open) throw Rejected(fmt::format("request {} is closed", r.number));
    std::optional<std::string> member;
    if (d.member) member = resolve_member_id(s, *d.member);
    int n = store::decline_proposals(s, r.number, member);
    if (n == 0)
        throw Rejected(member ? fmt::format("request {} has no pending proposal to {}", r.number, *member)
                              : fmt::format("request {} has no pending proposal", r.number));
    store::audit(s, d.who, "tb-match request decline", request_target(r.number), {"proposal.status"});
    tx.commit();
    return fmt::format("request {}: {} proposal{} declined", r.number, n, n == 1 ? "" : "s");
}

std::int64_t propose(store::Store& s, const std::string& who, const ProposalPlanner& plan) {
    store::WriteTransaction tx(s);
    auto proposals = plan(s);
    {
        std::map<std::int64_t, Request> requests;
        std::map<std::string, Member> members;
        for (auto& p : proposals) check_proposal(s, p, requests, members);
    }
    std::int64_t run = 0;
    if (!proposals.empty()) {
        run = store::next_run_id(s);
        for (auto& p : proposals) {
            store::insert_proposal(s, run, p.request, p.member, p.score);
            store::audit(s, who, "tb-match run", request_target(p.request), {"proposal.member", "proposal.score"});
        }
    }
    tx.commit();
    return run;
}

}  // namespace tb
