// store/gathered.hpp: totals gathered as parts, summed when drained.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "tb/store/gathered.hpp"

using tb::store::Gathered;

namespace {

struct Pair {
    int a = 0, b = 0;
    bool operator==(const Pair&) const = default;
};

struct Sum {
    long n = 0, minutes = 0;
    Sum& operator+=(const Sum& o) {
        n += o.n;
        minutes += o.minutes;
        return *this;
    }
};

}  // namespace

TEST_CASE("gathered parts: each key once, its parts summed, in the order asked, then forgotten") {
    Gathered<Pair, Sum> g;
    CHECK(g.empty());
    // The same key three times, apart, and one that nets to nothing.
    g.add({2, 1}, {1, 60});
    g.add({1, 9}, {1, 30});
    g.add({2, 1}, {1, 15});
    g.add({3, 3}, {1, 45});
    g.add({2, 1}, {-1, -60});
    g.add({3, 3}, {-1, -45});
    CHECK(g.size() == 6);  // parts, not keys
    std::vector<std::string> out;
    auto write = [&](const Pair& k, const Sum& s) {
        out.push_back(std::to_string(k.a) + "," + std::to_string(k.b) + ": " + std::to_string(s.n) + "/" +
                      std::to_string(s.minutes));
    };
    g.drain([](const Pair& x, const Pair& y) { return std::pair(x.a, x.b) < std::pair(y.a, y.b); }, write);
    CHECK(out == std::vector<std::string>{"1,9: 1/30", "2,1: 1/15", "3,3: 0/0"});  // the caller skips what nets to nothing
    CHECK(g.empty());

    // An order of ranks one-to-one with the keys (as the tables' key order
    // is, from member slots ranked by ID) keeps equal keys together too.
    const int rank[] = {0, 3, 1, 2};  // of key.a
    g.add({1, 0}, {1, 1});
    g.add({2, 0}, {1, 2});
    g.add({3, 0}, {1, 3});
    g.add({1, 0}, {1, 4});
    out.clear();
    g.drain([&](const Pair& x, const Pair& y) { return rank[x.a] < rank[y.a]; }, write);
    CHECK(out == std::vector<std::string>{"2,0: 1/2", "3,0: 1/3", "1,0: 2/5"});

    // Drained when empty: nothing written.
    out.clear();
    g.drain([](const Pair& x, const Pair& y) { return x.a < y.a; }, [&](const Pair&, const Sum&) { out.push_back("?"); });
    CHECK(out.empty());
}
