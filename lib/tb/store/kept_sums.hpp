#pragma once
// What tb check compares between a kept table and the ledger, key by key (a
// month, a day, a year): on each side either the rows themselves or sums of
// a hash of each row weighted by its counts (KeptSums), and then the keys
// present on one side only or whose values differ (for_each_differing).
// Internal to store/ (rollup_check.cpp, member_year.cpp, pair_year.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tb/store/hash_pair.hpp"

namespace tb::store {

// Per key: sums of row hashes weighted by two of the row's numbers.
struct KeptSums {
    std::uint64_t a = 0, b = 0;
    bool bad = false;  // a row that is not what the ledger gives
    void add(std::uint64_t ha, std::uint64_t hb, std::int64_t wa, std::int64_t wb) {
        a += ha * static_cast<std::uint64_t>(wa);
        b += hb * static_cast<std::uint64_t>(wb);
    }
    void add(const HashPair& h, std::int64_t n) { add(h.a, h.b, n, n); }
};
inline bool same(const KeptSums& x, const KeptSums& y) { return !x.bad && !y.bad && x.a == y.a && x.b == y.b; }

// Calls fn(key) for each key on one side only, or on both with values that
// are not `same`, in key order.
template <class K, class V, class Same, class Fn>
void for_each_differing(const std::map<K, V>& ledger, const std::map<K, V>& kept, Same same_values, Fn fn) {
    auto a = ledger.begin(), b = kept.begin();
    while (a != ledger.end() || b != kept.end()) {
        if (b == kept.end() || (a != ledger.end() && a->first < b->first)) {
            fn(a++->first);
        } else if (a == ledger.end() || b->first < a->first) {
            fn(b++->first);
        } else {
            if (!same_values(a->second, b->second)) fn(a->first);
            ++a;
            ++b;
        }
    }
}

// The year of a date as CAST(substr(date, 1, 4) AS INTEGER) gives it: the
// leading digits of the first four characters.
inline std::int64_t year_of(std::string_view date) {
    std::int64_t y = 0;
    for (std::size_t i = 0; i < std::min<std::size_t>(4, date.size()); ++i) {
        if (date[i] < '0' || date[i] > '9') break;
        y = y * 10 + (date[i] - '0');
    }
    return y;
}

// KeptSums per year, the ledger's side and the kept table's, for a table
// kept by year (member_year, pair_year). The ledger's rows come in number
// order, mostly year after year: the entry of the last year is kept at hand.
class YearlySums {
public:
    KeptSums& ledger(std::int64_t year) {
        if (!at_ || year != year_) {
            year_ = year;
            at_ = &ledger_[year];
        }
        return *at_;
    }
    KeptSums& kept(std::int64_t year) { return kept_[year]; }
    // A line per year whose sums differ, in year order.
    void differences(const char* table, std::vector<std::string>& out) const {
        for_each_differing(
            ledger_, kept_, [](const KeptSums& x, const KeptSums& y) { return same(x, y); }, [&](std::int64_t year) {
                out.push_back(fmt::format("yearly totals for {:04} ({}) do not match the ledger", year, table));
            });
    }

private:
    std::map<std::int64_t, KeptSums> ledger_, kept_;
    std::int64_t year_ = 0;
    KeptSums* at_ = nullptr;
};

}  // namespace tb::store
