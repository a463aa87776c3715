#include "tb/match/rules.hpp"

#include "tb/core/policy.hpp"
#include "tb/util/text.hpp"

namespace tb::match {

std::string describe(Exclusion e) {
    switch (e) {
        case Exclusion::requester: return "the requester";
        case Exclusion::not_active: return "not active";
        case Exclusion::missing_check: return "missing a required check";
        case Exclusion::expired_check: return "required check expired";
        case Exclusion::blocked: return "blocked pair";
        case Exclusion::declined: return "declined this request";
    }
    return "excluded";
}

std::optional<Exclusion> hard_rule(const store::CandidateRow& c, const std::string& requester,
                                   const std::vector<std::string>& required_checks,
                                   const std::set<std::string>& blocked, const std::set<std::string>& declined,
                                   Date today) {
    if (c.id == requester) return Exclusion::requester;
    if (!is_active(c.status)) return Exclusion::not_active;
    if (blocked.count(c.id)) return Exclusion::blocked;
    if (declined.count(c.id)) return Exclusion::declined;
    for (auto& need : required_checks) {
        const SafeguardingCheck* held = nullptr;
        for (auto& k : c.checks)
            if (text::fold_key(k.name) == text::fold_key(need)) held = &k;
        if (!held) return Exclusion::missing_check;
        if (held->expires < today) return Exclusion::expired_check;
    }
    return std::nullopt;
}

}  // namespace tb::match
