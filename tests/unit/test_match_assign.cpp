// The assignment is optimal, not greedy; capacities hold; pruning is exact.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <random>

#include "tb/match/assign.hpp"

using namespace tb::match;

namespace {

// Best edges first, each taken while its request is free and its member has room.
std::pair<int, std::int64_t> greedy(const AssignmentProblem& p) {
    auto arcs = p.arcs;
    std::stable_sort(arcs.begin(), arcs.end(), [](const Arc& a, const Arc& b) { return a.gain > b.gain; });
    std::vector<char> taken(static_cast<std::size_t>(p.requests), 0);
    auto room = p.capacity;
    int n = 0;
    std::int64_t total = 0;
    for (auto& a : arcs) {
        if (taken[static_cast<std::size_t>(a.request)] || room[static_cast<std::size_t>(a.member)] <= 0) continue;
        taken[static_cast<std::size_t>(a.request)] = 1;
        room[static_cast<std::size_t>(a.member)] -= 1;
        n += 1;
        total += a.gain;
    }
    return {n, total};
}

// Every assignment tried: the most requests served, then the largest total.
std::pair<int, std::int64_t> brute_force(const AssignmentProblem& p) {
    std::pair<int, std::int64_t> best{0, 0};
    auto room = p.capacity;
    std::function<void(int, int, std::int64_t)> go = [&](int r, int n, std::int64_t total) {
        if (r == p.requests) {
            best = std::max(best, std::make_pair(n, total));
            return;
        }
        go(r + 1, n, total);  // r unserved
        for (auto& a : p.arcs) {
            if (a.request != r || room[static_cast<std::size_t>(a.member)] <= 0) continue;
            room[static_cast<std::size_t>(a.member)] -= 1;
            go(r + 1, n + 1, total + a.gain);
            room[static_cast<std::size_t>(a.member)] += 1;
        }
    };
    go(0, 0, 0);
    return best;
}

void check_valid(const AssignmentProblem& p, const Assignment& a) {
    REQUIRE(a.member_of.size() == static_cast<std::size_t>(p.requests));
    std::vector<int> used(p.capacity.size(), 0);
    std::int64_t total = 0;
    int n = 0;
    for (int r = 0; r < p.requests; ++r) {
        int m = a.member_of[static_cast<std::size_t>(r)];
        if (m < 0) continue;
        auto arc = std::find_if(p.arcs.begin(), p.arcs.end(),
                                [&](const Arc& x) { return x.request == r && x.member == m; });
        REQUIRE(arc != p.arcs.end());  // only allowed pairs
        used[static_cast<std::size_t>(m)] += 1;
        total += arc->gain;
        n += 1;
    }
    for (std::size_t m = 0; m < used.size(); ++m) CHECK(used[m] <= p.capacity[m]);
    CHECK(a.total_gain == total);
    CHECK(a.assigned == n);
}

AssignmentProblem random_problem(std::mt19937& rng, int requests, int members) {
    AssignmentProblem p;
    p.requests = requests;
    std::uniform_int_distribution<int> cap(0, 2), gain(0, 20), coin(0, 2);
    for (int m = 0; m < members; ++m) p.capacity.push_back(cap(rng));
    for (int r = 0; r < requests; ++r)
        for (int m = 0; m < members; ++m)
            if (coin(rng)) p.arcs.push_back({r, m, gain(rng) * 50000});
    return p;
}

}  // namespace

TEST_CASE("the optimal assignment beats greedy where greedy is fooled") {
    // Request 0 likes A slightly more than B; request 1 can only really use A.
    AssignmentProblem p;
    p.requests = 2;
    p.capacity = {1, 1};  // A, B
    p.arcs = {{0, 0, 900000}, {0, 1, 800000}, {1, 0, 850000}, {1, 1, 100000}};
    auto g = greedy(p);
    auto best = brute_force(p);
    auto a = assign_optimal(p);
    check_valid(p, a);
    CHECK(g.second == 1000000);             // 0->A, 1->B
    CHECK(a.total_gain == 1650000);         // 0->B, 1->A
    CHECK(a.total_gain > g.second);
    CHECK(std::make_pair(a.assigned, a.total_gain) == best);
    CHECK(a.member_of == std::vector<int>{1, 0});
}

TEST_CASE("serving more requests comes before a higher total") {
    AssignmentProblem p;
    p.requests = 2;
    p.capacity = {1, 1};
    p.arcs = {{0, 0, 1000000}, {0, 1, 100000}, {1, 0, 800000}};
    auto a = assign_optimal(p);
    check_valid(p, a);
    CHECK(a.assigned == 2);
    CHECK(a.member_of == std::vector<int>{1, 0});
}

TEST_CASE("capacities: a member takes at most their room, none when it is zero") {
    AssignmentProblem p;
    p.requests = 4;
    p.capacity = {2, 0, 1};
    for (int r = 0; r < 4; ++r) {
        p.arcs.push_back({r, 0, 900000});
        p.arcs.push_back({r, 1, 999999});  // the best, but full
        p.arcs.push_back({r, 2, 100000});
    }
    auto a = assign_optimal(p);
    check_valid(p, a);
    CHECK(a.assigned == 3);
    CHECK(std::count(a.member_of.begin(), a.member_of.end(), 0) == 2);
    CHECK(std::count(a.member_of.begin(), a.member_of.end(), 1) == 0);
    CHECK(std::count(a.member_of.begin(), a.member_of.end(), 2) == 1);
}

TEST_CASE("empty problems") {
    AssignmentProblem p;
    CHECK(assign_optimal(p).assigned == 0);
    p.requests = 3;
    auto a = assign_optimal(p);
    CHECK(a.member_of == std::vector<int>{-1, -1, -1});
}

TEST_CASE("optimal on random small instances, equal to brute force") {
    std::mt19937 rng(20261127);
    for (int i = 0; i < 300; ++i) {
        auto p = random_problem(rng, 1 + i % 6, 1 + (i / 6) % 5);
        auto a = assign_optimal(p);
        check_valid(p, a);
        CHECK(std::make_pair(a.assigned, a.total_gain) == brute_force(p));
        // Pruning keeps the optimum.
        auto b = assign_optimal(prune(p));
        check_valid(p, b);
        CHECK(std::make_pair(b.assigned, b.total_gain) == std::make_pair(a.assigned, a.total_gain));
    }
}

TEST_CASE("the same problem gives the same answer") {
    std::mt19937 rng(7);
    auto p = random_problem(rng, 30, 12);
    auto a = assign_optimal(p);
    auto b = assign_optimal(p);
    CHECK(a.member_of == b.member_of);
}

TEST_CASE("prune keeps each request's best arcs until their room covers every request") {
    AssignmentProblem p;
    p.requests = 2;
    p.capacity = {1, 1, 1, 1};
    p.arcs = {{0, 3, 10}, {0, 2, 40}, {0, 1, 40}, {0, 0, 5}};
    auto q = prune(p);
    REQUIRE(q.arcs.size() == 2);
    CHECK(q.arcs[0].member == 1);  // ties by lower member index
    CHECK(q.arcs[1].member == 2);
}
