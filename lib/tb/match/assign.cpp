#include "tb/match/assign.hpp"

#include <algorithm>
#include <limits>
#include <queue>
#include <stdexcept>

namespace tb::match {
namespace {

// A residual graph in adjacency lists of edge indices; edge e ^ 1 is the
// reverse of edge e.
struct Graph {
    struct Edge {
        int to;
        int cap;
        std::int64_t cost;
    };
    std::vector<Edge> edges;
    std::vector<std::vector<int>> out;

    explicit Graph(int nodes) : out(static_cast<std::size_t>(nodes)) {}
    int add(int from, int to, int cap, std::int64_t cost) {
        int id = static_cast<int>(edges.size());
        edges.push_back({to, cap, cost});
        edges.push_back({from, 0, -cost});
        out[static_cast<std::size_t>(from)].push_back(id);
        out[static_cast<std::size_t>(to)].push_back(id + 1);
        return id;
    }
};

constexpr std::int64_t kInf = std::numeric_limits<std::int64_t>::max() / 4;

// The largest gain of any arc; throws for an arc out of range or a negative gain.
std::int64_t max_gain_of(const AssignmentProblem& p, int R, int M) {
    std::int64_t max_gain = 0;
    for (auto& a : p.arcs) {
        if (a.request < 0 || a.request >= R || a.member < 0 || a.member >= M)
            throw std::invalid_argument("assignment arc out of range");
        if (a.gain < 0) throw std::invalid_argument("assignment gain must not be negative");
        max_gain = std::max(max_gain, a.gain);
    }
    return max_gain;
}

// The flow network. Nodes: requests 0..R-1, members R..R+M-1, sink T. Costs
// C - gain are positive, and every unit of flow crosses exactly one
// request-member arc, so the cheapest flow of a given size is the one with
// the largest gain. Leaving a request unserved costs more than any set of
// arcs can save, so the most requests are served first.
struct Network {
    int R, M, T;
    std::int64_t C;
    Graph g;
    std::vector<std::vector<int>> arc_edges;  // per request: its request-member edges

    Network(const AssignmentProblem& p, int requests, int members, std::int64_t max_gain)
        : R(requests), M(members), T(requests + members), C(max_gain + 1), g(requests + members + 1),
          arc_edges(static_cast<std::size_t>(requests)) {
        const std::int64_t unserved = C * (static_cast<std::int64_t>(R) + 1) + C;
        for (auto& a : p.arcs) {
            if (p.capacity[static_cast<std::size_t>(a.member)] <= 0) continue;
            arc_edges[static_cast<std::size_t>(a.request)].push_back(g.add(a.request, R + a.member, 1, C - a.gain));
        }
        for (int m = 0; m < M; ++m)
            if (p.capacity[static_cast<std::size_t>(m)] > 0) g.add(R + m, T, p.capacity[static_cast<std::size_t>(m)], 0);
        for (int r = 0; r < R; ++r) g.add(r, T, 1, unserved);
    }
    int nodes() const { return T + 1; }
};

// Successive shortest paths. Potentials keep every residual edge's reduced
// cost non-negative, so each shortest path is found with Dijkstra. A request
// joins the flow only when its turn comes; it has no incoming residual edge
// then, so its potential can be chosen freely to make its own arcs
// non-negative.
class ShortestPaths {
public:
    explicit ShortestPaths(Network& n)
        : n_(n), pot_(static_cast<std::size_t>(n.nodes()), 0), dist_(pot_.size()), via_(pot_.size()),
          done_(pot_.size()) {}

    // Sends one unit of flow from request r to the sink along the cheapest path.
    void augment(int r) {
        enter(r);
        search(r);
        reprice(r);
        push(r);
    }

private:
    void enter(int r) {
        std::int64_t pr = std::numeric_limits<std::int64_t>::min();
        for (int e : n_.g.out[static_cast<std::size_t>(r)]) {
            auto& ed = n_.g.edges[static_cast<std::size_t>(e)];
            if (ed.cap > 0) pr = std::max(pr, pot_[static_cast<std::size_t>(ed.to)] - ed.cost);
        }
        pot_[static_cast<std::size_t>(r)] = pr;
    }
    // Dijkstra from r on reduced costs, stopped once the sink is settled (the
    // rest cannot shorten this path).
    void search(int r) {
        using Item = std::pair<std::int64_t, int>;
        std::fill(dist_.begin(), dist_.end(), kInf);
        std::fill(via_.begin(), via_.end(), -1);
        std::fill(done_.begin(), done_.end(), 0);
        std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
        dist_[static_cast<std::size_t>(r)] = 0;
        heap.push({0, r});
        while (!heap.empty()) {
            auto [d, u] = heap.top();
            heap.pop();
            if (done_[static_cast<std::size_t>(u)]) continue;
            done_[static_cast<std::size_t>(u)] = 1;
            if (u == n_.T) break;
            for (int e : n_.g.out[static_cast<std::size_t>(u)]) {
                auto& ed = n_.g.edges[static_cast<std::size_t>(e)];
                if (ed.cap <= 0) continue;
                auto v = static_cast<std::size_t>(ed.to);
                if (done_[v]) continue;
                std::int64_t nd = d + ed.cost + pot_[static_cast<std::size_t>(u)] - pot_[v];
                if (nd < dist_[v]) {
                    dist_[v] = nd;
                    via_[v] = e;
                    heap.push({nd, ed.to});
                }
            }
        }
    }
    // T is always reachable through the request's own "unserved" edge. Nodes
    // not settled are at least D away: moving them by D keeps every reduced
    // cost non-negative (early-stopped Dijkstra).
    void reprice(int r) {
        const std::int64_t D = dist_[static_cast<std::size_t>(n_.T)];
        for (int v = 0; v < n_.nodes(); ++v) {
            auto i = static_cast<std::size_t>(v);
            if (v > r && v < n_.R) continue;  // requests not yet in the flow
            pot_[i] += done_[i] ? std::min(dist_[i], D) : D;
        }
    }
    void push(int r) {
        auto& edges = n_.g.edges;
        for (int v = n_.T; v != r;) {
            int e = via_[static_cast<std::size_t>(v)];
            edges[static_cast<std::size_t>(e)].cap -= 1;
            edges[static_cast<std::size_t>(e ^ 1)].cap += 1;
            v = edges[static_cast<std::size_t>(e ^ 1)].to;
        }
    }

    Network& n_;
    std::vector<std::int64_t> pot_, dist_;
    std::vector<int> via_;
    std::vector<char> done_;
};

// Each request's member: the request-member edge its flow took, if any.
void read_assignment(const Network& n, Assignment& result) {
    for (int r = 0; r < n.R; ++r) {
        for (int e : n.arc_edges[static_cast<std::size_t>(r)]) {
            auto& ed = n.g.edges[static_cast<std::size_t>(e)];
            if (ed.cap == 0) {
                result.member_of[static_cast<std::size_t>(r)] = ed.to - n.R;
                result.assigned += 1;
                result.total_gain += n.C - ed.cost;
                break;
            }
        }
    }
}

}  // namespace

Assignment assign_optimal(const AssignmentProblem& p) {
    const int R = p.requests;
    const int M = static_cast<int>(p.capacity.size());
    Assignment result;
    result.member_of.assign(static_cast<std::size_t>(std::max(R, 0)), -1);
    if (R <= 0) return result;
    Network n(p, R, M, max_gain_of(p, R, M));
    ShortestPaths paths(n);
    for (int r = 0; r < R; ++r) paths.augment(r);
    read_assignment(n, result);
    return result;
}

AssignmentProblem prune(const AssignmentProblem& p) {
    AssignmentProblem out;
    out.requests = p.requests;
    out.capacity = p.capacity;
    std::vector<std::vector<Arc>> by_request(static_cast<std::size_t>(std::max(p.requests, 0)));
    for (auto& a : p.arcs)
        if (a.member >= 0 && a.member < static_cast<int>(p.capacity.size()) &&
            p.capacity[static_cast<std::size_t>(a.member)] > 0 && a.request >= 0 && a.request < p.requests)
            by_request[static_cast<std::size_t>(a.request)].push_back(a);
    for (auto& arcs : by_request) {
        std::stable_sort(arcs.begin(), arcs.end(), [](const Arc& x, const Arc& y) {
            if (x.gain != y.gain) return x.gain > y.gain;
            return x.member < y.member;
        });
        std::int64_t room = 0;
        for (auto& a : arcs) {
            out.arcs.push_back(a);
            room += p.capacity[static_cast<std::size_t>(a.member)];
            if (room >= p.requests) break;
        }
    }
    return out;
}

}  // namespace tb::match
