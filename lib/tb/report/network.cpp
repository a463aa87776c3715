#include "tb/report/network.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>
#include <numeric>
#include <unordered_map>

#include "tb/io/output.hpp"
#include "tb/store/member_year.hpp"
#include "tb/store/pair_year.hpp"
#include "tb/store/rollup.hpp"

namespace tb::report {
namespace {

// The pairs of members that traded, keyed (low rank << 32) | high rank: a
// list that is sorted and made unique whenever it has grown by half, which
// costs far less per trade than a hash set and holds little more than one
// entry per pair.
class PairKeys {
public:
    void add(std::uint64_t key) {
        keys_.push_back(key);
        if (keys_.size() >= sorted_ + sorted_ / 2 + 65536) compact();
    }
    void merge(PairKeys&& o) {
        if (keys_.empty()) {
            *this = std::move(o);
            return;
        }
        keys_.insert(keys_.end(), o.keys_.begin(), o.keys_.end());
        compact();
    }
    // Sorted, each pair once.
    const std::vector<std::uint64_t>& keys() {
        compact();
        return keys_;
    }

private:
    void compact() {
        if (sorted_ == keys_.size()) return;
        auto mid = keys_.begin() + static_cast<std::ptrdiff_t>(sorted_);
        std::sort(mid, keys_.end());
        std::inplace_merge(keys_.begin(), mid, keys_.end());
        keys_.erase(std::unique(keys_.begin(), keys_.end()), keys_.end());
        sorted_ = keys_.size();
    }
    std::vector<std::uint64_t> keys_;
    std::size_t sorted_ = 0;  // keys_[0, sorted_) are sorted, each once
};

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
    return (static_cast<std::uint64_t>(std::min(a, b)) << 32) | std::max(a, b);
}

// Where the pass over the pairs keeps each member: at their rank among the
// directory's members by number (member.num), the order pair_year holds them
// in, so that whole years stream in key order and a row of pair_year finds
// its members' totals from their numbers alone (by arithmetic when the
// numbers are one run, as they are unless accounts were added among the
// members). Every per-member vector of the pass is by rank.
class PairOrder {
public:
    explicit PairOrder(const Directory& dir) : rank_(dir.size()), slot_(dir.size()) {
        std::int64_t low = INT64_MAX, top = 0;
        for (const auto& m : dir.members()) {
            if (m.num <= 0) numbered_ = false;
            low = std::min(low, m.num);
            top = std::max(top, m.num);
        }
        // Numbers are given one after another: far more of them than members
        // means a store edited by hand, read the slow way.
        if (top > static_cast<std::int64_t>(4 * dir.size() + 1024)) numbered_ = false;
        std::iota(slot_.begin(), slot_.end(), 0u);
        auto num = [&](std::uint32_t i) { return dir[i].num > 0 ? dir[i].num : INT64_MAX; };
        std::stable_sort(slot_.begin(), slot_.end(), [&](auto a, auto b) { return num(a) < num(b); });
        for (std::uint32_t r = 0; r < slot_.size(); ++r) rank_[slot_[r]] = r;
        if (!numbered_ || dir.size() == 0) return;
        if (top - low + 1 == static_cast<std::int64_t>(dir.size())) {
            first_ = low;  // one run: rank = number - first
            return;
        }
        rank_of_num_.assign(static_cast<std::size_t>(top) + 1, -1);
        for (std::size_t i = 0; i < dir.size(); ++i)
            rank_of_num_[static_cast<std::size_t>(dir[i].num)] = static_cast<int>(rank_[i]);
    }
    // Whether every member has a number (pair_year can be read).
    bool numbered() const { return numbered_; }
    // The rank of the member numbered `num`, or -1 for none in the directory.
    int by_number(std::int64_t num) const {
        if (first_ > 0) {
            auto r = num - first_;
            return r >= 0 && r < static_cast<std::int64_t>(rank_.size()) ? static_cast<int>(r) : -1;
        }
        return num >= 0 && static_cast<std::uint64_t>(num) < rank_of_num_.size()
                   ? rank_of_num_[static_cast<std::size_t>(num)]
                   : -1;
    }
    // The rank of the directory's member `slot`, and back.
    std::uint32_t rank(std::size_t slot) const { return rank_[slot]; }
    std::size_t slot(std::uint32_t rank) const { return slot_[rank]; }

private:
    std::vector<std::uint32_t> rank_, slot_;  // rank by directory index, and back
    std::vector<int> rank_of_num_;            // rank by number, -1 for none (numbers not one run)
    std::int64_t first_ = 0;                  // the lowest number, when they are one run
    bool numbered_ = true;
};

struct GraphAccumulator {
    // A member's trades in the period: one record, so that a row of a pair
    // touches one cache line of its members' instead of several. A trade
    // counts when both its sides are in the directory (a transfer with a
    // clearing account joins no one and counts for no one), for both,
    // `provided` and `given` on the provider's side.
    struct Totals {
        std::int64_t exchanges = 0, provided = 0;
        Minutes given = 0, received = 0;
        void add(const Totals& o) {
            exchanges += o.exchanges;
            provided += o.provided;
            given += o.given;
            received += o.received;
        }
    };
    const Directory* dir = nullptr;
    const PairOrder* order = nullptr;
    PairKeys pairs;
    std::vector<Totals> members;  // by rank (PairOrder)

    GraphAccumulator(const Directory& d, const PairOrder& o) : dir(&d), order(&o), members(d.size()) {}

    int rank_of(std::string_view id) const {
        int i = dir->find(id);
        return i < 0 ? -1 : static_cast<int>(order->rank(static_cast<std::size_t>(i)));
    }
    void add(const store::TradeRow& r) {
        int a = rank_of(r.provider), b = rank_of(r.recipient);
        if (a < 0 || b < 0) return;
        count_sides(a, b, r, +1);
        if (a != b) pairs.add(pair_key(static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b)));
    }
    // A member's figures for whole years (member_year): every trade of theirs.
    void add(const store::MemberYearRow& r) {
        int a = rank_of(r.member);
        if (a >= 0) members[static_cast<std::size_t>(a)].add({r.trades, r.provided, r.given, r.received});
    }
    // A trade with an account, taken out of its member's side again.
    void take_out(const store::TradeRow& r) { count_sides(rank_of(r.provider), rank_of(r.recipient), r, -1); }
    // The trades of `r` added (sign +1) or taken out (-1) on each side in the
    // directory (rank >= 0).
    void count_sides(int a, int b, const store::TradeRow& r, std::int64_t sign) {
        auto n = sign * r.exchanges, m = sign * r.minutes;
        if (a >= 0) members[static_cast<std::size_t>(a)].add({n, n, m, 0});
        if (b >= 0) members[static_cast<std::size_t>(b)].add({n, 0, 0, m});
    }
    void merge(GraphAccumulator&& o) {
        pairs.merge(std::move(o.pairs));
        for (std::size_t i = 0; i < members.size(); ++i) members[i].add(o.members[i]);
    }
};

// Union-find with path halving and union by size.
struct DisjointSets {
    std::vector<std::size_t> parent, size;
    explicit DisjointSets(std::size_t n) : parent(n), size(n, 1) { std::iota(parent.begin(), parent.end(), 0); }
    std::size_t find(std::size_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    }
    void unite(std::size_t a, std::size_t b) {
        a = find(a);
        b = find(b);
        if (a == b) return;
        if (size[a] < size[b]) std::swap(a, b);
        parent[b] = a;
        size[a] += size[b];
    }
};

// Whole calendar years of a period are read from the totals kept per year
// and pair (store/pair_year.hpp), the rest as before. A first or last year
// that the period covers only in part counts as whole when the ledger has no
// exchange in the rest of it, as split_months widens months.
struct YearSplit {
    int first = 0, last = -1;  // the whole years that can hold exchanges
    std::vector<Period> rest;  // the days before and after them
};

YearSplit split_years(store::Store& s, const PairOrder& order, Period p) {
    YearSplit out;
    out.rest = {p};
    auto span = store::exchange_date_span(s);
    // Years name members by number: every member must have one.
    if (!span || !order.numbered() || !store::rollups_current(s)) return out;
    auto a = to_ymd(p.from), b = to_ymd(p.to);
    int first = (a.m == 1 && a.d == 1) || p.from <= span->from ? a.y : a.y + 1;
    int last = (b.m == 12 && b.d == 31) || span->to <= p.to ? b.y : b.y - 1;
    if (last < first) return out;
    Date from = from_ymd(first, 1, 1), to = from_ymd(last, 12, 31);
    out.rest.clear();
    if (p.from < from) out.rest.push_back({p.from, from - 1});
    if (to < p.to) out.rest.push_back({to + 1, p.to});
    out.first = std::max(first, to_ymd(span->from).y);
    out.last = std::min(last, to_ymd(span->to).y);
    return out;
}

// The pairs of some whole years in key order (as GraphAccumulator keys them),
// each once: one ordered reader of pair_year per year, merged as they are
// read, so that no year's pairs are gathered. Rows are taken a batch at a
// time, so that what the caller loads for the higher member of each pair
// (numbers come in no order there) loads while the batch is read:
// `touch(rank)` may start loading it.
class YearPairs {
public:
    YearPairs(store::Store& s, const PairOrder& order, const YearSplit& years, std::function<void(std::size_t)> touch)
        : order_(order), touch_(std::move(touch)) {
        for (int y = years.first; y <= years.last; ++y) {
            cursors_.push_back(Cursor{store::PairYearReader(s, y), {}});
            step(cursors_.back());
        }
    }
    // The next pair, or false at the end.
    bool next(std::uint64_t& out) {
        bool any = false;
        for (auto& c : cursors_)
            if (c.live && (!any || c.at < out)) {
                out = c.at;
                any = true;
            }
        if (!any) return false;
        for (auto& c : cursors_)
            if (c.live && c.at == out) step(c);
        return true;
    }

private:
    static constexpr std::size_t kBatch = 256;
    struct Cursor {
        store::PairYearReader rows;
        std::vector<std::uint64_t> batch;
        std::uint64_t at = 0;
        std::size_t pos = 0;
        bool live = true, read_all = false;
    };
    // The next batch of pairs of two members in the directory (a member's
    // trades with themself make no pair).
    void refill(Cursor& c) {
        c.batch.clear();
        c.pos = 0;
        while (c.batch.size() < kBatch && !(c.read_all = !c.rows.next())) {
            auto& r = c.rows.row();
            int a = order_.by_number(r.low), b = order_.by_number(r.high);
            if (a < 0 || b < 0 || a == b) continue;
            c.batch.push_back(pair_key(static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b)));
            touch_(static_cast<std::size_t>(b));
        }
    }
    void step(Cursor& c) {
        while (c.pos == c.batch.size()) {
            if (c.read_all) {
                c.live = false;
                return;
            }
            refill(c);
        }
        c.at = c.batch[c.pos++];
    }
    const PairOrder& order_;
    std::function<void(std::size_t)> touch_;
    std::vector<Cursor> cursors_;
};

// The trades of a period: the members' totals in the accumulator (whole
// years from member_year, the rest from the kept monthly totals and the
// exchanges), and each pair once, in key order, through `pair` (whole years
// streamed from pair_year, merged with the pairs of the rest of the period).
template <typename Pair>
GraphAccumulator trades_of(store::Store& s, const Directory& dir, const PairOrder& order, Period p, Pair pair,
                           std::function<void(std::size_t)> touch) {
    auto years = split_years(s, order, p);
    GraphAccumulator g(dir, order);
    // The rest: whole months from the totals kept per pair, the days around them from the exchanges.
    auto parts = scan_periods_kept<GraphAccumulator>(
        s, years.rest, [&] { return GraphAccumulator(dir, order); },
        [](GraphAccumulator& a, const store::TradeRow& r) { a.add(r); });
    for (auto& part : parts) g.merge(std::move(part));
    if (years.first <= years.last) {
        // member_year holds all of a member's trades; those with accounts
        // (transfers with other banks) are taken out again.
        store::for_each_member_year_figures(s, years.first, years.last,
                                            [&](const store::MemberYearRow& r) { g.add(r); });
        store::for_each_account_trade(s, from_ymd(years.first, 1, 1), from_ymd(years.last, 12, 31),
                                      [&](const store::TradeRow& r) { g.take_out(r); });
    }
    const auto& rest = g.pairs.keys();
    YearPairs stream(s, order, years, std::move(touch));
    std::uint64_t y = 0;
    bool more = stream.next(y);
    for (std::size_t i = 0; i < rest.size() || more;) {
        if (more && (i == rest.size() || y <= rest[i])) {
            if (i < rest.size() && y == rest[i]) ++i;
            pair(y);
            more = stream.next(y);
        } else {
            pair(rest[i++]);
        }
    }
    return g;
}

}  // namespace

Network analyse_network(store::Store& s, const Directory& dir, Period p) {
    Network n;
    n.period = p;
    // Every per-member figure of the pass is by rank (PairOrder), not by
    // directory index: a row of pair_year finds its members by number.
    const PairOrder order(dir);
    std::vector<std::int64_t> partners(dir.size(), 0);
    DisjointSets sets(dir.size());
    auto g = trades_of(s, dir, order, p, [&](std::uint64_t key) {
        auto a = static_cast<std::size_t>(key >> 32), b = static_cast<std::size_t>(key & 0xffffffffu);
        ++partners[a];
        ++partners[b];
        sets.unite(a, b);
    }, [&](std::size_t b) {
        __builtin_prefetch(&partners[b], 1);
        __builtin_prefetch(&sets.parent[b]);
    });
    // Groups, by root member's rank, numbered from the largest.
    std::vector<NetworkGroup> by_root(dir.size());
    std::vector<std::size_t> roots;
    // Ties go to the group holding the lowest member ID, so numbering is
    // stable: members are in ID order, so a root's first member is its lowest.
    std::vector<std::size_t> lowest(dir.size(), 0);
    for (std::size_t i = 0; i < dir.size(); ++i) {
        auto r = order.rank(i);
        if (g.members[r].exchanges == 0) continue;
        auto root = sets.find(r);
        if (by_root[root].members++ == 0) {
            roots.push_back(root);
            lowest[root] = i;
        }
    }
    // A group's exchanges are those its members provided (each trade within
    // a group has its provider there), its hours the minutes they gave.
    for (std::size_t r = 0; r < dir.size(); ++r) {
        const auto& t = g.members[r];
        if (t.provided == 0 && t.given == 0) continue;
        auto& grp = by_root[sets.find(r)];
        grp.exchanges += t.provided;
        grp.minutes += t.given;
    }
    std::sort(roots.begin(), roots.end(), [&](std::size_t x, std::size_t y) {
        if (by_root[x].members != by_root[y].members) return by_root[x].members > by_root[y].members;
        return lowest[x] < lowest[y];
    });
    std::vector<int> number(dir.size(), 0);
    for (std::size_t i = 0; i < roots.size(); ++i) {
        by_root[roots[i]].group = static_cast<int>(i + 1);
        number[roots[i]] = static_cast<int>(i + 1);
        n.groups.push_back(by_root[roots[i]]);
    }
    for (std::size_t i = 0; i < dir.size(); ++i) {
        auto r = order.rank(i);
        const auto& t = g.members[r];
        if (t.exchanges == 0) {
            if (dir[i].status == MemberStatus::active) n.no_partner.push_back(i);
            continue;
        }
        NetworkMember m{i, partners[r], t.exchanges, t.given, t.received, number[sets.find(r)]};
        if (m.gave_and_received()) ++n.gave_and_received;
        n.took_part.push_back(m);
    }
    std::stable_sort(n.took_part.begin(), n.took_part.end(),
                     [](auto& a, auto& b) { return a.partners > b.partners; });
    if (!n.took_part.empty())
        n.reciprocity_pct =
            std::round(double(n.gave_and_received) * 1000.0 / double(n.took_part.size())) / 10.0;
    return n;
}

ReportTable network_table(const Network& n, const Directory& dir, const ReportContext&) {
    using io::Cell;
    using io::Hours;
    ReportTable t;
    t.table.columns = {"member",   "name",   "kind",          "partners", "exchanges",         "given",
                       "given_minutes", "received", "received_minutes", "gave_and_received", "group", "group_size"};
    t.for_programs = {false, false, false, false, false, false, true, false, true, false, false, false};
    std::unordered_map<int, std::int64_t> size;
    for (auto& g : n.groups) size[g.group] = g.members;
    for (auto& m : n.took_part) {
        auto& who = dir[m.member];
        t.table.add({who.id, who.name, to_string(who.kind), m.partners, m.exchanges, Hours{m.given}, m.given,
                     Hours{m.received}, m.received, m.gave_and_received(), std::int64_t{m.group}, size[m.group]});
    }
    for (auto i : n.no_partner) {
        auto& who = dir[i];
        t.table.add({who.id, who.name, to_string(who.kind), std::int64_t{0}, std::int64_t{0}, Hours{0}, std::int64_t{0},
                     Hours{0}, std::int64_t{0}, false, Cell{}, Cell{}});
    }
    return t;
}

namespace {

constexpr std::size_t kHubs = 10;
constexpr std::size_t kListed = 50;

std::string group_sizes(const Network& n, std::size_t max) {
    std::string out;
    for (std::size_t i = 0; i < std::min(max, n.groups.size()); ++i)
        out += (i ? ", " : "") + std::to_string(n.groups[i].members);
    if (n.groups.size() > max) out += fmt::format(", ... ({} more)", n.groups.size() - max);
    return out;
}

}  // namespace

void network_text(const Network& n, const Directory& dir, std::ostream& out) {
    out << "Network, " << describe_period(n.period) << "\n\n";
    out << fmt::format("Members who took part:   {}\n", n.took_part.size());
    out << fmt::format("Members with no partner: {} (active members with no exchange in the period)\n",
                       n.no_partner.size());
    out << fmt::format("Connected groups:        {}{}\n", n.groups.size(),
                       n.groups.empty() ? "" : " (members: " + group_sizes(n, 10) + ")");
    out << fmt::format("Reciprocity:             {:.1f}% ({} of {} members who took part both gave and received)\n",
                       n.reciprocity_pct, n.gave_and_received, n.took_part.size());
    if (!n.took_part.empty()) {
        out << "\nHubs (most distinct partners)\n\n";
        io::Table hubs;
        hubs.columns = {"member", "name", "partners", "exchanges", "given", "received", "group"};
        for (std::size_t i = 0; i < std::min(kHubs, n.took_part.size()); ++i) {
            auto& m = n.took_part[i];
            hubs.add({dir[m.member].id, dir[m.member].name, m.partners, m.exchanges, io::Hours{m.given},
                      io::Hours{m.received}, std::int64_t{m.group}});
        }
        io::render_table(hubs, {io::Format::table, true}, out);
    }
    if (!n.groups.empty()) {
        out << "\nConnected groups\n\n";
        io::Table groups;
        groups.columns = {"group", "members", "exchanges", "hours"};
        for (std::size_t i = 0; i < std::min(kListed, n.groups.size()); ++i) {
            auto& g = n.groups[i];
            groups.add({std::int64_t{g.group}, g.members, g.exchanges, io::Hours{g.minutes}});
        }
        io::render_table(groups, {io::Format::table, true}, out);
        if (n.groups.size() > kListed) out << fmt::format("... and {} more groups\n", n.groups.size() - kListed);
    }
    if (!n.no_partner.empty()) {
        out << "\nActive members with no partner in the period\n\n";
        io::Table none;
        none.columns = {"member", "name", "kind"};
        for (std::size_t i = 0; i < std::min(kListed, n.no_partner.size()); ++i) {
            auto& m = dir[n.no_partner[i]];
            none.add({m.id, m.name, to_string(m.kind)});
        }
        io::render_table(none, {io::Format::table, true}, out);
        if (n.no_partner.size() > kListed)
            out << fmt::format("... and {} more (all of them: --format csv)\n", n.no_partner.size() - kListed);
    }
}

void network_json(const Network& n, const Directory& dir, std::ostream& out) {
    using io::Json;
    Json doc = Json::object();
    doc["from"] = to_string(n.period.from);
    doc["to"] = to_string(n.period.to);
    doc["members_took_part"] = n.took_part.size();
    doc["members_no_partner"] = n.no_partner.size();
    doc["gave_and_received"] = n.gave_and_received;
    doc["reciprocity_pct"] = io::number_json(n.reciprocity_pct);
    Json groups = Json::array();
    for (auto& g : n.groups)
        groups.push_back(Json{{"group", g.group},
                              {"members", g.members},
                              {"exchanges", g.exchanges},
                              {"hours", io::hours_json(g.minutes)},
                              {"minutes", g.minutes}});
    doc["groups"] = std::move(groups);
    auto member_json = [&](const NetworkMember& m) {
        auto& who = dir[m.member];
        return Json{{"member", who.id},
                    {"name", who.name},
                    {"kind", to_string(who.kind)},
                    {"partners", m.partners},
                    {"exchanges", m.exchanges},
                    {"given", io::hours_json(m.given)},
                    {"given_minutes", m.given},
                    {"received", io::hours_json(m.received)},
                    {"received_minutes", m.received},
                    {"gave_and_received", m.gave_and_received()},
                    {"group", m.group}};
    };
    Json hubs = Json::array();
    for (std::size_t i = 0; i < std::min(kHubs, n.took_part.size()); ++i) hubs.push_back(member_json(n.took_part[i]));
    doc["hubs"] = std::move(hubs);
    Json none = Json::array();
    for (auto i : n.no_partner) {
        auto& m = dir[i];
        none.push_back(Json{{"member", m.id}, {"name", m.name}, {"kind", to_string(m.kind)}});
    }
    doc["no_partner"] = std::move(none);
    Json members = Json::array();
    for (auto& m : n.took_part) members.push_back(member_json(m));
    doc["members"] = std::move(members);
    io::write_json(out, doc);
}

}  // namespace tb::report
