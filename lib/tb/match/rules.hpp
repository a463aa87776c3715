#pragma once
// The hard rules: who is never suggested, whatever the score.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tb/store/match_queries.hpp"
#include "tb/util/date.hpp"

namespace tb::match {

enum class Exclusion {
    requester,      // the member who asked
    not_active,     // inactive or forgotten
    missing_check,  // lacks a safeguarding check the category requires
    expired_check,  // holds it, but it expired before today
    blocked,        // the pair is blocked (tb-member block A B)
    declined,       // declined a proposal of this request (tb-match request decline)
};

std::string describe(Exclusion e);

// The first hard rule the candidate breaks for this request, if any:
// `blocked` are the requester's blocked partners, `declined` the members who
// declined the request. A check is valid up to and including its expiry date.
std::optional<Exclusion> hard_rule(const store::CandidateRow& c, const std::string& requester,
                                   const std::vector<std::string>& required_checks,
                                   const std::set<std::string>& blocked, const std::set<std::string>& declined,
                                   Date today);

}  // namespace tb::match
