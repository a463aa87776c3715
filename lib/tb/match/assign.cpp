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

}  // namespace

Assignment assign_optimal(const AssignmentProblem& p) {
    const int R = p.requests;
    const int M = static_cast<int>(p.capacity.size());
    Assignment result;
    result.member_of.assign(static_cast<std::size_t>(std::max(R, 0)), -1);
    if (R <= 0) return result;

    std::int64_t max_gain = 0;
    for (auto& a : p.arcs) {
        if (a.request < 0 || a.request >= R || a.member < 0 || a.member >= M)
            throw std::invalid_argument("assignment arc out of range");
        if (a.gain < 0) throw std::invalid_argument("assignment gain must not be negative");
        max_gain = std::max(max_gain, a.gain);
    }
    // Costs C - gain are positive, and every unit of flow crosses exactly one
    // request-member arc, so the cheapest flow of a given size is the one
    // with the largest gain. Leaving a request unserved costs more than any
    // set of arcs can save, so the most requests are served first.
    const std::int64_t C = max_gain + 1;
    const std::int64_t unserved = C * (static_cast<std::int64_t>(R) + 1) + C;

    // Nodes: requests 0..R-1, members R..R+M-1, sink T.
    const int T = R + M;
    Graph g(R + M + 1);
    std::vector<std::vector<int>> arc_edges(static_cast<std::size_t>(R));
    for (auto& a : p.arcs) {
        if (p.capacity[static_cast<std::size_t>(a.member)] <= 0) continue;
        arc_edges[static_cast<std::size_t>(a.request)].push_back(g.add(a.request, R + a.member, 1, C - a.gain));
    }
    for (int m = 0; m < M; ++m)
        if (p.capacity[static_cast<std::size_t>(m)] > 0) g.add(R + m, T, p.capacity[static_cast<std::size_t>(m)], 0);
    std::vector<int> unserved_edge(static_cast<std::size_t>(R));
    for (int r = 0; r < R; ++r) unserved_edge[static_cast<std::size_t>(r)] = g.add(r, T, 1, unserved);

    const int N = R + M + 1;
    // Potentials keep every residual edge's reduced cost non-negative, so
    // each shortest path is found with Dijkstra. A request joins the flow
    // only when its turn comes; it has no incoming residual edge then, so its
    // potential can be chosen freely to make its own arcs non-negative.
    std::vector<std::int64_t> pot(static_cast<std::size_t>(N), 0);
    std::vector<std::int64_t> dist(static_cast<std::size_t>(N));
    std::vector<int> via(static_cast<std::size_t>(N));
    std::vector<char> done(static_cast<std::size_t>(N));
    using Item = std::pair<std::int64_t, int>;

    for (int r = 0; r < R; ++r) {
        std::int64_t pr = std::numeric_limits<std::int64_t>::min();
        for (int e : g.out[static_cast<std::size_t>(r)]) {
            auto& ed = g.edges[static_cast<std::size_t>(e)];
            if (ed.cap > 0) pr = std::max(pr, pot[static_cast<std::size_t>(ed.to)] - ed.cost);
        }
        pot[static_cast<std::size_t>(r)] = pr;

        std::fill(dist.begin(), dist.end(), kInf);
        std::fill(via.begin(), via.end(), -1);
        std::fill(done.begin(), done.end(), 0);
        std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
        dist[static_cast<std::size_t>(r)] = 0;
        heap.push({0, r});
        std::vector<int> touched;
        while (!heap.empty()) {
            auto [d, u] = heap.top();
            heap.pop();
            if (done[static_cast<std::size_t>(u)]) continue;
            done[static_cast<std::size_t>(u)] = 1;
            touched.push_back(u);
            if (u == T) break;  // the rest cannot shorten this path
            for (int e : g.out[static_cast<std::size_t>(u)]) {
                auto& ed = g.edges[static_cast<std::size_t>(e)];
                if (ed.cap <= 0) continue;
                auto v = static_cast<std::size_t>(ed.to);
                if (done[v]) continue;
                std::int64_t nd = d + ed.cost + pot[static_cast<std::size_t>(u)] - pot[v];
                if (nd < dist[v]) {
                    dist[v] = nd;
                    via[v] = e;
                    heap.push({nd, ed.to});
                }
            }
        }
        // T is always reachable through the request's own "unserved" edge.
        const std::int64_t D = dist[static_cast<std::size_t>(T)];
        // Nodes not settled are at least D away: moving them by D keeps
        // every reduced cost non-negative (early-stopped Dijkstra).
        for (int v = 0; v < N; ++v) {
            auto i = static_cast<std::size_t>(v);
            if (v > r && v < R) continue;  // requests not yet in the flow
            pot[i] += done[i] ? std::min(dist[i], D) : D;
        }
        for (int v = T; v != r;) {
            int e = via[static_cast<std::size_t>(v)];
            g.edges[static_cast<std::size_t>(e)].cap -= 1;
            g.edges[static_cast<std::size_t>(e ^ 1)].cap += 1;
            v = g.edges[static_cast<std::size_t>(e ^ 1)].to;
        }
    }

    for (int r = 0; r < R; ++r) {
        for (int e : arc_edges[static_cast<std::size_t>(r)]) {
            if (g.edges[static_cast<std::size_t>(e)].cap == 0) {
                int m = g.edges[static_cast<std::size_t>(e)].to - R;
                result.member_of[static_cast<std::size_t>(r)] = m;
                result.assigned += 1;
                result.total_gain += C - g.edges[static_cast<std::size_t>(e)].cost;
                break;
            }
        }
    }
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
