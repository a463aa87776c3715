#include "tb/store/rollup_check.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <unordered_set>

#include "tb/store/group_month.hpp"
#include "tb/store/hash_pair.hpp"
#include "tb/store/kept_sums.hpp"
#include "tb/store/last_trade.hpp"
#include "tb/store/member_year.hpp"
#include "tb/store/pair_year.hpp"
#include "tb/store/typed_column.hpp"


namespace tb::store {
namespace {

// A column's value with its storage class (store/typed_column.hpp).
Typed column(SQLite::Statement& q, int i) { return typed_column(q, i); }

bool is_text(const Typed& v, std::string_view text) { return v.type == SQLITE_TEXT && v.text == text; }

// The typed value as a string key.
std::string key_of(const Typed& v) {
    std::string k(1, static_cast<char>('0' + v.type));
    k += v.text;
    return k;
}

// FNV-1a over the typed values (each closed by a separator), split in two
// hashes (store/hash_pair.hpp).
HashPair hash(std::initializer_list<Typed> values) {
    std::uint64_t h = 14695981039346656037ull;
    for (auto& v : values) {
        h = (h ^ static_cast<unsigned>(v.type)) * 1099511628211ull;
        for (unsigned char ch : v.text) h = (h ^ ch) * 1099511628211ull;
        h = (h ^ 0x1fu) * 1099511628211ull;
    }
    return split_hash(h);
}

using Sums = KeptSums;  // per month (store/kept_sums.hpp)

// trade_month's rows of a month: key (category, pair) → exchanges, minutes.
using TradeRows = std::map<std::string, std::pair<std::int64_t, std::int64_t>>;
bool same(const TradeRows& x, const TradeRows& y) { return x == y; }
// trade_day's row of a day: exchanges, minutes.
using DayRow = std::pair<std::int64_t, std::int64_t>;
bool same(const DayRow& x, const DayRow& y) { return x == y; }

// The months (or days, for `daily`) present on one side only or whose
// values differ, in order.
template <class V>
void months_differing(const std::map<std::string, V>& ledger, const std::map<std::string, V>& kept,
                      const char* table, std::vector<std::string>& out, bool daily = false) {
    for_each_differing(
        ledger, kept, [](const V& x, const V& y) { return same(x, y); }, [&](const std::string& month) {
            out.push_back(fmt::format("{} totals for {} ({}) do not match the ledger", daily ? "daily" : "monthly",
                                      month, table));
        });
}

std::string trade_key(const Typed& category, const Typed& pair) {
    return key_of(category) + '\x1f' + key_of(pair);
}

}  // namespace

struct TotalsCheck::Impl {
    explicit Impl(Store& s) : groups(s), pair_years(s) {}
    GroupMonthCheck groups;  // group_month's part (store/group_month.hpp)
    std::vector<std::int64_t> voided;  // sorted
    std::unordered_set<std::string> organisations;
    SlotFlags organisation_by_slot;  // store/member_slots.hpp
    std::map<std::string, TradeRows> trade_ledger, trade_kept;
    std::map<std::string, DayRow> day_ledger, day_kept;
    std::map<std::string, Sums> member_ledger, member_kept, pair_ledger, pair_kept;
    MemberYearCheck member_years;  // store/member_year.hpp
    LastTradeCheck last_trades;    // store/last_trade.hpp
    PairYearCheck pair_years;  // store/pair_year.hpp

    // The month and day of the last row added, and their entries in the maps above.
    std::string month, day;
    TradeRows* at = nullptr;
    DayRow* day_at = nullptr;
    Sums *members_at = nullptr, *pairs_at = nullptr;

    // Whether the member of `slot` (ID `id`) is an organisation, looked up
    // once per member.
    bool organisation(const Typed& id, std::uint32_t slot) {
        if (id.type != SQLITE_TEXT) return false;
        return organisation_by_slot(slot, [&] { return organisations.count(std::string(id.text)) > 0; });
    }
};

TotalsCheck::TotalsCheck(Store& s) : impl_(std::make_unique<Impl>(s)) {
    SQLite::Statement v(s.db(), "SELECT reverses FROM exchange WHERE reverses IS NOT NULL");
    while (v.executeStep())
        if (v.getColumn(0).getType() == SQLITE_INTEGER) impl_->voided.push_back(v.getColumn(0).getInt64());
    std::sort(impl_->voided.begin(), impl_->voided.end());
    SQLite::Statement o(s.db(), "SELECT id FROM member WHERE kind = 'organisation' AND id IS NOT NULL");
    while (o.executeStep())
        if (o.getColumn(0).getType() == SQLITE_TEXT) impl_->organisations.insert(o.getColumn(0).getString());
}

TotalsCheck::~TotalsCheck() = default;

void TotalsCheck::add(SQLite::Statement& q, int first, std::uint32_t p, std::uint32_t r) {
    auto& I = *impl_;
    // A trade: not a void, not voided, not of the pot (kIsTradeSql).
    if (!q.getColumn(first + 6).isNull()) return;
    auto number = q.getColumn(first).getInt64();
    bool voided = std::binary_search(I.voided.begin(), I.voided.end(), number);
    auto day = column(q, first + 1), provider = column(q, first + 2), recipient = column(q, first + 3);
    I.last_trades.add(day.text, provider.text, recipient.text, p, r, voided);  // every exchange but the voids
    if (voided) return;
    if (is_text(provider, "pot") || is_text(recipient, "pot")) return;
    auto category = column(q, first + 4);
    auto minutes = q.getColumn(first + 5).getInt64();
    // Looked up again only when the day changes, as the month below.
    if (!I.day_at || day.text != I.day) {
        I.day = std::string(day.text);
        I.day_at = &I.day_ledger[I.day];
    }
    I.day_at->first += 1;
    I.day_at->second += minutes;
    // As substr(e.date, 1, 7) gives it: text, unless NULL or a blob.
    Typed month{day.type == SQLITE_NULL || day.type == SQLITE_BLOB ? day.type : SQLITE_TEXT, day.text.substr(0, 7)};
    // Rows come in number order, mostly month after month: the month's
    // entries are looked up again only when it changes.
    if (!I.at || month.text != I.month) {
        I.month = std::string(month.text);
        I.at = &I.trade_ledger[I.month];
        I.members_at = &I.member_ledger[I.month];
        I.pairs_at = &I.pair_ledger[I.month];
    }
    auto pair = std::to_string(int(I.organisation(provider, p)) + int(I.organisation(recipient, r)));
    auto& t = (*I.at)[trade_key(category, Typed{SQLITE_INTEGER, pair})];
    t.first += 1;
    t.second += minutes;
    for (auto* who : {&provider, &recipient}) {
        auto h = hash({month, *who});
        I.members_at->add(h.a, h.b, 1, 1);
    }
    auto h = hash({month, provider, recipient, category}).a;
    I.pairs_at->add(h, h, 1, minutes);
    I.groups.add(month.text, category.text, provider.text, recipient.text, p, r, minutes);
    if (minutes <= 0) I.pairs_at->bad = true;
    I.member_years.add(q, first);
    I.pair_years.add(day, provider, recipient, minutes, p, r);
}

std::vector<std::string> TotalsCheck::differences(Store& s, const MemberSlots& slots) {
    auto& I = *impl_;
    // A count that is not a whole number is not what the ledger gives.
    auto count = [](SQLite::Statement& q, int i, bool& bad) {
        auto c = q.getColumn(i);
        if (c.getType() != SQLITE_INTEGER) bad = true;
        return c.getInt64();
    };
    SQLite::Statement t(s.db(), "SELECT month, category, pair, exchanges, minutes FROM trade_month");
    while (t.executeStep()) {
        bool bad = false;
        auto month = column(t, 0);
        auto& row = I.trade_kept[std::string(month.text)][trade_key(column(t, 1), column(t, 2))];
        row = {count(t, 3, bad), count(t, 4, bad)};
        // A month's type is part of its rows' keys.
        if (bad || month.type != SQLITE_TEXT) row.first = -1;
    }
    SQLite::Statement m(s.db(), "SELECT month, member, trades FROM member_month");
    while (m.executeStep()) {
        auto month = column(m, 0), member = column(m, 1);
        auto& sums = I.member_kept[std::string(month.text)];
        auto n = count(m, 2, sums.bad);
        auto h = hash({month, member});
        sums.add(h.a, h.b, n, n);
        if (n <= 0) sums.bad = true;
    }
    SQLite::Statement p(s.db(), "SELECT month, provider, recipient, category, exchanges, minutes FROM pair_month");
    while (p.executeStep()) {
        auto month = column(p, 0);
        auto& sums = I.pair_kept[std::string(month.text)];
        auto n = count(p, 4, sums.bad), minutes = count(p, 5, sums.bad);
        auto h = hash({month, column(p, 1), column(p, 2), column(p, 3)}).a;
        sums.add(h, h, n, minutes);
        if (n <= 0 || minutes <= 0) sums.bad = true;
    }
    SQLite::Statement d(s.db(), "SELECT day, exchanges, minutes FROM trade_day");
    while (d.executeStep()) {
        bool bad = false;
        auto day = column(d, 0);
        auto& row = I.day_kept[std::string(day.text)];
        row = {count(d, 1, bad), count(d, 2, bad)};
        if (bad || day.type != SQLITE_TEXT || row.first <= 0) row.first = -1;
    }
    std::vector<std::string> out;
    months_differing(I.trade_ledger, I.trade_kept, "trade_month", out);
    months_differing(I.member_ledger, I.member_kept, "member_month", out);
    months_differing(I.pair_ledger, I.pair_kept, "pair_month", out);
    months_differing(I.day_ledger, I.day_kept, "trade_day", out, true);
    I.member_years.differences(s, out);
    I.last_trades.differences(s, slots, out);
    I.pair_years.differences(s, out);
    auto groups = I.groups.differences(s);
    out.insert(out.end(), groups.begin(), groups.end());
    return out;
}

std::vector<std::string> totals_differing(Store& s) {
    TotalsCheck check(s);
    MemberSlots slots;
    SQLite::Statement q(s.db(), fmt::format("SELECT {} FROM exchange e", kTotalsColumns));
    while (q.executeStep()) {
        auto provider = slots(typed_column(q, 2).text), recipient = slots(typed_column(q, 3).text);
        check.add(q, 0, provider, recipient);
    }
    return check.differences(s, slots);
}

}  // namespace tb::store
