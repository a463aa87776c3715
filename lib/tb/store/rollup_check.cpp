#include "tb/store/rollup_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_set>

#include "tb/store/raw_statement.hpp"
#include "tb/store/trade_sql.hpp"

namespace tb::store {
namespace {

// A column's value with its storage class, so that a value stored as text
// and the same digits stored as a number (or a blob) differ, as they do for
// the SQL comparisons this check stands for.
struct Typed {
    int type = SQLITE_NULL;
    std::string_view text;
};

Typed column(sqlite3_stmt* q, int i) {
    Typed v;
    v.type = sqlite3_column_type(q, i);
    auto* p = v.type == SQLITE_BLOB ? sqlite3_column_blob(q, i) : sqlite3_column_text(q, i);
    if (p) v.text = {static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(q, i))};
    return v;
}

bool is_text(const Typed& v, std::string_view text) { return v.type == SQLITE_TEXT && v.text == text; }

// The typed value as a string key.
std::string key_of(const Typed& v) {
    std::string k(1, static_cast<char>('0' + v.type));
    k += v.text;
    return k;
}

// FNV-1a over the typed values (each closed by a separator), then a final
// mix; `seed` gives independent hashes of the same values.
std::uint64_t hash(std::uint64_t seed, std::initializer_list<Typed> values) {
    std::uint64_t h = 14695981039346656037ull ^ seed;
    for (auto& v : values) {
        h = (h ^ static_cast<unsigned>(v.type)) * 1099511628211ull;
        for (unsigned char ch : v.text) h = (h ^ ch) * 1099511628211ull;
        h = (h ^ 0x1fu) * 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

constexpr std::uint64_t kSeedA = 0, kSeedB = 0x9e3779b97f4a7c15ull;

// Per month: sums of row hashes weighted by two of the row's numbers.
struct Sums {
    std::uint64_t a = 0, b = 0;
    bool bad = false;  // a row that counts nothing
    void add(std::uint64_t ha, std::uint64_t hb, std::int64_t wa, std::int64_t wb) {
        a += ha * static_cast<std::uint64_t>(wa);
        b += hb * static_cast<std::uint64_t>(wb);
    }
};
bool same(const Sums& x, const Sums& y) { return !x.bad && !y.bad && x.a == y.a && x.b == y.b; }

// trade_month's rows of a month: key (category, pair) → exchanges, minutes.
using TradeRows = std::map<std::string, std::pair<std::int64_t, std::int64_t>>;
bool same(const TradeRows& x, const TradeRows& y) { return x == y; }

// The months present on one side only or whose values differ, in order.
template <class V>
void months_differing(const std::map<std::string, V>& ledger, const std::map<std::string, V>& kept,
                      const char* table, std::vector<std::string>& out) {
    auto a = ledger.begin(), b = kept.begin();
    while (a != ledger.end() || b != kept.end()) {
        std::string month;
        if (b == kept.end() || (a != ledger.end() && a->first < b->first)) {
            month = a++->first;
        } else if (a == ledger.end() || b->first < a->first) {
            month = b++->first;
        } else {
            bool differ = !same(a->second, b->second);
            month = a->first;
            ++a;
            ++b;
            if (!differ) continue;
        }
        out.push_back(fmt::format("monthly totals for {} ({}) do not match the ledger", month, table));
    }
}

std::string trade_key(const Typed& category, const Typed& pair) {
    return key_of(category) + '\x1f' + key_of(pair);
}

}  // namespace

struct TotalsCheck::Impl {
    std::vector<std::int64_t> voided;  // sorted
    std::unordered_set<std::string> organisations;  // typed keys
    std::map<std::string, TradeRows> trade_ledger, trade_kept;
    std::map<std::string, Sums> member_ledger, member_kept, pair_ledger, pair_kept;

    bool organisation(const Typed& id) const { return organisations.count(key_of(id)) > 0; }
};

TotalsCheck::TotalsCheck(Store& s) : impl_(std::make_unique<Impl>()) {
    RawStatement v(s.db(), "SELECT reverses FROM exchange WHERE reverses IS NOT NULL");
    while (v.step())
        if (sqlite3_column_type(v.handle(), 0) == SQLITE_INTEGER) impl_->voided.push_back(v.integer(0));
    std::sort(impl_->voided.begin(), impl_->voided.end());
    RawStatement o(s.db(), "SELECT id FROM member WHERE kind = 'organisation' AND id IS NOT NULL");
    while (o.step()) impl_->organisations.insert(key_of(column(o.handle(), 0)));
}

TotalsCheck::~TotalsCheck() = default;

void TotalsCheck::add(sqlite3_stmt* q, int first) {
    auto& I = *impl_;
    // A trade: not a void, not voided, not of the pot (kIsTradeSql).
    if (sqlite3_column_type(q, first + 6) != SQLITE_NULL) return;
    auto number = sqlite3_column_int64(q, first);
    if (std::binary_search(I.voided.begin(), I.voided.end(), number)) return;
    auto provider = column(q, first + 2), recipient = column(q, first + 3);
    if (is_text(provider, "pot") || is_text(recipient, "pot")) return;
    auto month = column(q, first + 1), category = column(q, first + 4);
    auto minutes = sqlite3_column_int64(q, first + 5);
    std::string m(month.text);
    auto pair = std::to_string(int(I.organisation(provider)) + int(I.organisation(recipient)));
    auto& t = I.trade_ledger[m][trade_key(category, Typed{SQLITE_INTEGER, pair})];
    t.first += 1;
    t.second += minutes;
    auto& mm = I.member_ledger[m];
    for (auto* who : {&provider, &recipient}) mm.add(hash(kSeedA, {month, *who}), hash(kSeedB, {month, *who}), 1, 1);
    auto& pm = I.pair_ledger[m];
    auto h = hash(kSeedA, {month, provider, recipient, category});
    pm.add(h, h, 1, minutes);
    if (minutes <= 0) pm.bad = true;
}

std::vector<std::string> TotalsCheck::differences(Store& s) {
    auto& I = *impl_;
    // A count that is not a whole number is not what the ledger gives.
    auto count = [](sqlite3_stmt* q, int i, bool& bad) {
        if (sqlite3_column_type(q, i) != SQLITE_INTEGER) bad = true;
        return sqlite3_column_int64(q, i);
    };
    RawStatement t(s.db(), "SELECT month, category, pair, exchanges, minutes FROM trade_month");
    while (t.step()) {
        auto* q = t.handle();
        bool bad = false;
        auto& row = I.trade_kept[std::string(t.text(0))][trade_key(column(q, 1), column(q, 2))];
        row = {count(q, 3, bad), count(q, 4, bad)};
        // A month's type is part of its rows' keys.
        if (bad || sqlite3_column_type(q, 0) != SQLITE_TEXT) row.first = -1;
    }
    RawStatement mq(s.db(), "SELECT month, member, trades FROM member_month");
    while (mq.step()) {
        auto* q = mq.handle();
        auto month = column(q, 0), member = column(q, 1);
        auto& sums = I.member_kept[std::string(month.text)];
        auto n = count(q, 2, sums.bad);
        sums.add(hash(kSeedA, {month, member}), hash(kSeedB, {month, member}), n, n);
        if (n <= 0) sums.bad = true;
    }
    RawStatement pq(s.db(), "SELECT month, provider, recipient, category, exchanges, minutes FROM pair_month");
    while (pq.step()) {
        auto* q = pq.handle();
        auto month = column(q, 0);
        auto& sums = I.pair_kept[std::string(month.text)];
        auto n = count(q, 4, sums.bad), m = count(q, 5, sums.bad);
        auto h = hash(kSeedA, {month, column(q, 1), column(q, 2), column(q, 3)});
        sums.add(h, h, n, m);
        if (n <= 0 || m <= 0) sums.bad = true;
    }
    std::vector<std::string> out;
    months_differing(I.trade_ledger, I.trade_kept, "trade_month", out);
    months_differing(I.member_ledger, I.member_kept, "member_month", out);
    months_differing(I.pair_ledger, I.pair_kept, "pair_month", out);
    return out;
}

std::vector<std::string> totals_differing(Store& s) {
    TotalsCheck check(s);
    RawStatement q(s.db(), fmt::format("SELECT {} FROM exchange e", kTotalsColumns).c_str());
    while (q.step()) check.add(q.handle(), 0);
    return check.differences(s);
}

}  // namespace tb::store
