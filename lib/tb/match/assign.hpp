#pragma once
// The optimal assignment of requests to members: a pure function, no store.
//
// Each request goes to at most one member; member m takes at most
// capacity[m] requests. Among all assignments the result serves the most
// requests, and among those it has the largest total gain. It is exact
// (min-cost flow by successive shortest paths), not greedy.
#include <cstdint>
#include <vector>

namespace tb::match {

struct Arc {
    int request = 0;
    int member = 0;
    std::int64_t gain = 0;  // the score in millionths; >= 0
};

struct AssignmentProblem {
    int requests = 0;
    std::vector<int> capacity;  // per member
    std::vector<Arc> arcs;      // request-member pairs that are allowed
};

struct Assignment {
    std::vector<int> member_of;  // per request: the member, or -1
    int assigned = 0;
    std::int64_t total_gain = 0;
};

// Deterministic: the same problem (arcs in the same order) gives the same
// answer. On equal totals, lower member indices are reached first.
Assignment assign_optimal(const AssignmentProblem& p);

// Keeps, for each request, only the arcs that can matter: its best arcs
// (highest gain, then lowest member index) until their capacities add up to
// the number of requests. Whatever the other requests take, one of those
// members still has room, so an optimal assignment never needs the others.
AssignmentProblem prune(const AssignmentProblem& p);

}  // namespace tb::match
