#include "tb/match/run.hpp"

#include "tb/core/request_service.hpp"
#include "tb/store/match_queries.hpp"
#include "tb/store/members.hpp"
#include "tb/store/requests.hpp"

namespace tb::match {
namespace {

std::map<std::string, Contact> contacts_of(store::Store& s, const RunPlan& plan) {
    std::map<std::string, Contact> out;
    for (auto& p : plan.proposals)
        for (auto* id : {&p.requester, &p.member})
            if (!out.count(*id)) {
                auto m = store::find_member(s, *id);
                out[*id] = m ? Contact{m->name, m->phone} : Contact{};
            }
    return out;
}

std::vector<ProposalDraft> drafts_of(const RunPlan& plan) {
    std::vector<ProposalDraft> out;
    out.reserve(plan.proposals.size());
    for (auto& p : plan.proposals) out.push_back({p.request, p.member, p.score()});
    return out;
}

}  // namespace

RunResult run_matching(store::Store& s, const Config& c, Date today, const RunOptions& o) {
    RunResult out;
    store::prepare_for_matching(s);
    auto plan = [&](store::Store& st) {
        auto open = store::list_requests(st, {true, false});
        out.plan = plan_run(st, c, today, open);
        if (o.contact) out.contacts = contacts_of(st, out.plan);
        return drafts_of(out.plan);
    };
    if (o.dry_run) {
        store::ReadSnapshot snapshot(s);
        plan(s);
    } else {
        out.run = propose(s, o.who, plan);
    }
    return out;
}

}  // namespace tb::match
