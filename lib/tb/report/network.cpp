#include "tb/report/network.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>
#include <numeric>
#include <unordered_map>

#include "tb/io/output.hpp"
#include "tb/store/pair_year.hpp"
#include "tb/store/rollup.hpp"

namespace tb::report {
namespace {

// The totals of each pair of members, keyed (low index << 32) | high index:
// a list that is sorted and summed by key whenever it has grown by half,
// which costs far less per trade than a hash map and holds little more
// than one entry per pair.
class PairTotals {
public:
    struct Entry {
        std::uint64_t key = 0;
        std::int64_t exchanges = 0;
        Minutes minutes = 0;
    };
    void add(std::uint64_t key, std::int64_t exchanges, Minutes minutes) {
        entries_.push_back({key, exchanges, minutes});
        if (entries_.size() >= sorted_ + sorted_ / 2 + 65536) compact();
    }
    void merge(PairTotals&& o) {
        if (entries_.empty()) {
            *this = std::move(o);
            return;
        }
        entries_.insert(entries_.end(), o.entries_.begin(), o.entries_.end());
        compact();
    }
    // Sorted by key, one entry per pair.
    const std::vector<Entry>& entries() {
        compact();
        return entries_;
    }

private:
    void compact() {
        if (sorted_ == entries_.size()) return;
        auto by_key = [](const Entry& a, const Entry& b) { return a.key < b.key; };
        auto mid = entries_.begin() + static_cast<std::ptrdiff_t>(sorted_);
        std::sort(mid, entries_.end(), by_key);
        std::inplace_merge(entries_.begin(), mid, entries_.end(), by_key);
        std::size_t out = 0;
        for (auto& e : entries_) {
            if (out > 0 && entries_[out - 1].key == e.key) {
                entries_[out - 1].exchanges += e.exchanges;
                entries_[out - 1].minutes += e.minutes;
            } else {
                entries_[out++] = e;
            }
        }
        entries_.resize(out);
        sorted_ = out;
    }
    std::vector<Entry> entries_;
    std::size_t sorted_ = 0;  // entries_[0, sorted_) are sorted, one per key
};

std::uint64_t pair_key(int a, int b) {
    return (static_cast<std::uint64_t>(std::min(a, b)) << 32) | static_cast<std::uint32_t>(std::max(a, b));
}

struct GraphAccumulator {
    const Directory* dir = nullptr;
    PairTotals pairs;
    std::vector<std::int64_t> exchanges;
    std::vector<Minutes> given, received;

    explicit GraphAccumulator(const Directory& d)
        : dir(&d), exchanges(d.size(), 0), given(d.size(), 0), received(d.size(), 0) {}

    void add(const store::TradeRow& r) {
        int a = dir->find(r.provider), b = dir->find(r.recipient);
        if (a < 0 || b < 0) return;
        auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(b);
        exchanges[ua] += r.exchanges;
        exchanges[ub] += r.exchanges;
        given[ua] += r.minutes;
        received[ub] += r.minutes;
        if (a == b) return;
        pairs.add(pair_key(a, b), r.exchanges, r.minutes);
    }
    void merge(GraphAccumulator&& o) {
        pairs.merge(std::move(o.pairs));
        for (std::size_t i = 0; i < exchanges.size(); ++i) {
            exchanges[i] += o.exchanges[i];
            given[i] += o.given[i];
            received[i] += o.received[i];
        }
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

YearSplit split_years(store::Store& s, const Directory& dir, Period p) {
    YearSplit out;
    out.rest = {p};
    auto span = store::exchange_date_span(s);
    // Years are streamed in member ID order: the directory must be in it too.
    auto by_id = [](const store::ReportMember& a, const store::ReportMember& b) { return a.id < b.id; };
    if (!span || !std::is_sorted(dir.members().begin(), dir.members().end(), by_id) || !store::rollups_current(s))
        return out;
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
// each pair's trades summed over the years: one ordered reader per year,
// merged as they are read, so that no year's pairs are gathered. Each row's
// trades go into the members' totals of `g` as it is read. Rows are taken
// a batch at a time, so that the look-ups of their members (the higher ID
// of each pair comes in no order) overlap instead of waiting one by one;
// `touch(member)` may start loading what the caller will update for it.
class YearPairs {
public:
    YearPairs(store::Store& s, const Directory& dir, const YearSplit& years, GraphAccumulator& g,
              std::function<void(std::size_t)> touch)
        : dir_(dir), g_(g), touch_(std::move(touch)) {
        for (int y = years.first; y <= years.last; ++y) {
            cursors_.push_back(Cursor{store::PairYearReader(s, y), OrderedFind(dir), {}, {}});
            step(cursors_.back());
        }
    }
    // The next pair, or false at the end.
    bool next(PairTotals::Entry& out) {
        bool any = false;
        for (auto& c : cursors_)
            if (c.live && (!any || c.at.key < out.key)) {
                out = c.at;
                any = true;
            }
        if (!any) return false;
        out.exchanges = out.minutes = 0;
        for (auto& c : cursors_)
            if (c.live && c.at.key == out.key) {
                out.exchanges += c.at.exchanges;
                out.minutes += c.at.minutes;
                step(c);
            }
        return true;
    }

private:
    static constexpr std::size_t kBatch = 256;
    struct Row {
        std::string high;
        int a = -1, b = -1;
        std::int64_t exchanges = 0;
        Minutes lh = 0, hl = 0;  // given by a to b, by b to a
    };
    struct Cursor {
        store::PairYearReader rows;
        OrderedFind low;  // rows come in order of low
        std::vector<Row> batch;
        PairTotals::Entry at;
        std::size_t used = 0, pos = 0;
        bool live = true, read_all = false;
    };
    // The next batch of rows whose lower member is in the directory.
    void refill(Cursor& c) {
        c.used = c.pos = 0;
        while (c.used < kBatch && !(c.read_all = !c.rows.next())) {
            auto& r = c.rows.row();
            int a = c.low(r.low);
            if (a < 0) continue;
            if (c.batch.size() == c.used) c.batch.emplace_back();
            auto& x = c.batch[c.used++];
            x.high.assign(r.high);
            x.a = a;
            x.exchanges = r.exchanges_lh + r.exchanges_hl;
            x.lh = r.minutes_lh;
            x.hl = r.minutes_hl;
            dir_.prefetch(r.high);
        }
        for (std::size_t i = 0; i < c.used; ++i) {
            auto& x = c.batch[i];
            x.b = dir_.find(x.high);
            if (x.b < 0) continue;
            auto b = static_cast<std::size_t>(x.b);
            __builtin_prefetch(&g_.exchanges[b], 1);
            __builtin_prefetch(&g_.given[b], 1);
            __builtin_prefetch(&g_.received[b], 1);
            touch_(b);
        }
    }
    // On to the next row of two members in the directory (a member's trades
    // with themself count for them, and make no pair).
    void step(Cursor& c) {
        for (;;) {
            if (c.pos == c.used) {
                if (c.read_all) {
                    c.live = false;
                    return;
                }
                refill(c);
                continue;
            }
            auto& x = c.batch[c.pos++];
            if (x.b < 0) continue;
            auto ua = static_cast<std::size_t>(x.a), ub = static_cast<std::size_t>(x.b);
            g_.exchanges[ua] += x.exchanges;
            g_.exchanges[ub] += x.exchanges;
            g_.given[ua] += x.lh;
            g_.received[ub] += x.lh;
            g_.given[ub] += x.hl;
            g_.received[ua] += x.hl;
            if (x.a == x.b) continue;
            c.at = {pair_key(x.a, x.b), x.exchanges, x.lh + x.hl};
            return;
        }
    }
    const Directory& dir_;
    GraphAccumulator& g_;
    std::function<void(std::size_t)> touch_;
    std::vector<Cursor> cursors_;
};

// The trades of a period: the members' totals in the accumulator, and each
// pair in key order through `pair` (whole years streamed from the totals per
// year and pair, merged with the pairs of the rest of the period).
template <typename Pair>
GraphAccumulator trades_of(store::Store& s, const Directory& dir, Period p, Pair pair,
                           std::function<void(std::size_t)> touch) {
    auto years = split_years(s, dir, p);
    GraphAccumulator g(dir);
    // The rest: whole months from the totals kept per pair, the days around them from the exchanges.
    auto parts = scan_periods_kept<GraphAccumulator>(
        s, years.rest, [&] { return GraphAccumulator(dir); },
        [](GraphAccumulator& a, const store::TradeRow& r) { a.add(r); });
    for (auto& part : parts) g.merge(std::move(part));
    const auto& rest = g.pairs.entries();
    YearPairs stream(s, dir, years, g, std::move(touch));
    PairTotals::Entry y;
    bool more = stream.next(y);
    for (std::size_t i = 0; i < rest.size() || more;) {
        if (more && (i == rest.size() || y.key < rest[i].key)) {
            pair(y);
        } else if (!more || rest[i].key < y.key) {
            pair(rest[i++]);
            continue;
        } else {
            auto both = rest[i++];
            both.exchanges += y.exchanges;
            both.minutes += y.minutes;
            pair(both);
        }
        more = stream.next(y);
    }
    return g;
}

}  // namespace

Network analyse_network(store::Store& s, const Directory& dir, Period p) {
    Network n;
    n.period = p;
    std::vector<std::int64_t> partners(dir.size(), 0);
    DisjointSets sets(dir.size());
    // Each pair's trades, on its lower member: summed per group below.
    std::vector<std::int64_t> pair_exchanges(dir.size(), 0);
    std::vector<Minutes> pair_minutes(dir.size(), 0);
    auto g = trades_of(s, dir, p, [&](const PairTotals::Entry& e) {
        auto a = static_cast<std::size_t>(e.key >> 32), b = static_cast<std::size_t>(e.key & 0xffffffffu);
        ++partners[a];
        ++partners[b];
        sets.unite(a, b);
        pair_exchanges[a] += e.exchanges;
        pair_minutes[a] += e.minutes;
    }, [&](std::size_t b) {
        __builtin_prefetch(&partners[b], 1);
        __builtin_prefetch(&sets.parent[b]);
    });
    // Groups, by root member, numbered from the largest.
    std::vector<NetworkGroup> by_root(dir.size());
    std::vector<std::size_t> roots;
    // Ties go to the group holding the lowest member ID, so numbering is
    // stable: members are in ID order, so a root's first member is its lowest.
    std::vector<std::size_t> lowest(dir.size(), 0);
    for (std::size_t i = 0; i < dir.size(); ++i) {
        if (g.exchanges[i] == 0) continue;
        auto r = sets.find(i);
        if (by_root[r].members++ == 0) {
            roots.push_back(r);
            lowest[r] = i;
        }
    }
    for (std::size_t i = 0; i < dir.size(); ++i) {
        if (pair_exchanges[i] == 0 && pair_minutes[i] == 0) continue;
        auto& grp = by_root[sets.find(i)];
        grp.exchanges += pair_exchanges[i];
        grp.minutes += pair_minutes[i];
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
        if (g.exchanges[i] == 0) {
            if (dir[i].status == MemberStatus::active) n.no_partner.push_back(i);
            continue;
        }
        NetworkMember m{i, partners[i], g.exchanges[i], g.given[i], g.received[i], number[sets.find(i)]};
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
