#pragma once
// Totals gathered as a list of parts, one per row counted, and summed only
// when they are written: for tables whose keys hardly repeat between two
// writes (pair_month, pair_year: nearly every trade is a pair of its own),
// where a hash map paid a look-up, a node allocation and a cache miss per
// row for keys it then met once. Appending is sequential; the sort that
// writing needs in key order anyway brings each key's parts together.
// Internal to store/ (rollup.cpp, pair_year.cpp).
#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace tb::store {

// Key needs ==, Sum needs +=.
template <class Key, class Sum>
class Gathered {
public:
    void add(const Key& key, const Sum& part) { parts_.emplace_back(key, part); }
    // The parts gathered (a key met twice counts twice).
    std::size_t size() const { return parts_.size(); }
    bool empty() const { return parts_.empty(); }
    // Each key once, its parts summed, in the order `less` gives (which must
    // keep equal keys together: an order of the keys themselves, or of
    // anything one-to-one with them); then forgets them. `fn(key, sum)`.
    template <class Less, class Fn>
    void drain(Less less, Fn fn) {
        std::sort(parts_.begin(), parts_.end(), [&](const auto& a, const auto& b) { return less(a.first, b.first); });
        for (std::size_t i = 0, n = parts_.size(); i < n;) {
            Sum sum = parts_[i].second;
            std::size_t j = i + 1;
            for (; j < n && parts_[j].first == parts_[i].first; ++j) sum += parts_[j].second;
            fn(parts_[i].first, sum);
            i = j;
        }
        parts_.clear();  // the capacity stays for the next rows
    }

private:
    std::vector<std::pair<Key, Sum>> parts_;
};

}  // namespace tb::store
