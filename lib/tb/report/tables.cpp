#include "tb/report/tables.hpp"

#include "tb/core/taxonomy.hpp"
#include "tb/util/text.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>

#include "tb/store/ledger.hpp"
#include "tb/store/rollup.hpp"

namespace tb::report {

using io::Cell;
using io::Hours;

namespace {

// A change for people ("+12.5%") or for programs (12.5).
Cell change_cell(std::optional<double> pct, bool for_people) {
    if (!pct) return for_people ? Cell{std::string("")} : Cell{};
    if (for_people) return fmt::format("{:+.1f}%", *pct);
    return *pct;
}

Cell date_cell(std::optional<Date> d) { return d ? Cell{to_string(*d)} : Cell{}; }

}  // namespace

namespace {

// The columns an aligned table shows: all but those for programs.
std::vector<std::size_t> people_columns(const ReportTable& t) {
    std::vector<std::size_t> keep;
    for (std::size_t i = 0; i < t.table.columns.size(); ++i)
        if (i >= t.for_programs.size() || !t.for_programs[i]) keep.push_back(i);
    return keep;
}

void pick(const std::vector<Cell>& row, const std::vector<std::size_t>& keep, std::vector<Cell>& out) {
    out.clear();
    for (auto i : keep) out.push_back(i < row.size() ? row[i] : Cell{});
}

void print_notes(const std::vector<std::string>& notes, std::ostream& out) {
    if (notes.empty()) return;
    out << '\n';
    for (auto& n : notes) out << n << '\n';
}

}  // namespace

ReportWriter::ReportWriter(std::ostream& out, const io::RenderOptions& o, const ReportTable& head, bool spool)
    : out_(out), o_(o) {
    std::vector<std::string> columns;
    if (o_.format == io::Format::table) {
        keep_ = people_columns(head);
        for (auto i : keep_) columns.push_back(head.table.columns[i]);
        if (!head.title.empty() && o_.header) out_ << head.title << "\n\n";
    } else {
        columns = head.table.columns;
    }
    w_.emplace(out_, o_, std::move(columns), spool);
}

void ReportWriter::row(const std::vector<Cell>& cells) {
    if (o_.format != io::Format::table) {
        w_->row(cells);
        return;
    }
    pick(cells, keep_, picked_);
    w_->row(picked_);
}

void ReportWriter::finish(const std::vector<std::string>& notes) {
    w_->finish();
    if (o_.format == io::Format::table && o_.header) print_notes(notes, out_);
}

void render(const ReportTable& t, const io::RenderOptions& o, std::ostream& out) {
    if (!t.record || (o.format != io::Format::table && o.format != io::Format::json)) {
        ReportWriter w(out, o, t, false);
        for (auto& r : t.table.rows) w.row(r);
        w.finish(t.notes);
        return;
    }
    if (o.format == io::Format::json) {
        io::render_record(t.table, o, out);
        return;
    }
    auto keep = people_columns(t);
    io::Table people;
    for (auto i : keep) people.columns.push_back(t.table.columns[i]);
    for (auto& row : t.table.rows) {
        people.rows.emplace_back();
        pick(row, keep, people.rows.back());
    }
    if (!t.title.empty() && o.header) out << t.title << "\n\n";
    io::render_record(people, o, out);
    if (o.header) print_notes(t.notes, out);
}

std::string describe_period(Period p) {
    // FROM..TO with a side left empty reaches the year 1 or 9999.
    bool open_start = p.from <= from_ymd(1000, 1, 1), open_end = p.to >= from_ymd(9000, 1, 1);
    if (open_start && open_end) return "all time";
    if (open_start) return "up to " + to_string(p.to);
    if (open_end) return "from " + to_string(p.from) + " on";
    if (p.from == p.to) return to_string(p.from);
    return fmt::format("{} to {}", p.from, p.to);
}

std::string bank_name(store::Store& s, const Config& c) {
    bool configured = c.origin.count("timebank.name") > 0;
    auto stored = store::get_meta(s, "name");
    return configured || stored.empty() ? c.name : stored;
}

std::string category_label(const std::string& c) { return c.empty() ? "(none)" : c; }

Date last_activity(const store::ReportMember& m) { return m.last_trade ? *m.last_trade : m.joined; }

std::optional<Minutes> min_limit_of(const store::ReportMember& m, const Config& c) {
    switch (m.min_limit.mode) {
        case BalanceLimit::Mode::none: return std::nullopt;
        case BalanceLimit::Mode::value: return m.min_limit.value;
        case BalanceLimit::Mode::bank_default: return c.min_balance;
    }
    return c.min_balance;
}

std::optional<Minutes> max_limit_of(const store::ReportMember& m, const Config& c) {
    switch (m.max_limit.mode) {
        case BalanceLimit::Mode::none: return std::nullopt;
        case BalanceLimit::Mode::value: return m.max_limit.value;
        case BalanceLimit::Mode::bank_default: return c.max_balance;
    }
    return c.max_balance;
}

// ---- summary ---------------------------------------------------------------

ReportTable summary_table(const Summary& s, const ReportContext& ctx) {
    ReportTable t;
    bool people = ctx.for_people;
    t.table.columns = {"group", "measure", "item", "value", "previous", "change_pct", "minutes", "previous_minutes"};
    t.for_programs = {s.groups.size() == 1, false, false, false, false, false, true, true};
    if (people) t.table.columns[5] = "change";
    t.title = "Summary, " + describe_period(s.period);
    if (s.previous) t.title += ", compared with " + describe_period(*s.previous);
    bool any_item = false;
    auto add_count = [&](const GroupFigures& g, const char* key, const char* label, std::int64_t now,
                         std::int64_t before) {
        t.table.add({g.group, people ? label : key, Cell{}, now, s.previous ? Cell{before} : Cell{},
                     change_cell(s.previous ? change_pct(double(now), double(before)) : std::nullopt, people), Cell{},
                     Cell{}});
    };
    auto add_time = [&](const GroupFigures& g, const std::string& key, const std::string& label,
                        const std::string& item, Minutes now, Minutes before) {
        if (!item.empty()) any_item = true;
        bool cmp = s.previous.has_value();
        t.table.add({g.group, people ? label : key, item.empty() ? Cell{} : Cell{item}, Hours{now},
                     cmp ? Cell{Hours{before}} : Cell{},
                     change_cell(cmp ? change_pct(double(now), double(before)) : std::nullopt, people), now,
                     cmp ? Cell{before} : Cell{}});
    };
    for (auto& g : s.groups) {
        add_count(g, "exchanges", "exchanges", g.now.exchanges, g.before.exchanges);
        add_time(g, "hours", "hours", "", g.now.minutes, g.before.minutes);
        add_count(g, "members", "members who took part", g.now.members, g.before.members);
        add_count(g, "new_members", "new members", g.now.new_members, g.before.new_members);
        bool kind_group = g.group == pair_kind_key(PairKind::person_person) ||
                          g.group == pair_kind_key(PairKind::person_organisation) ||
                          g.group == pair_kind_key(PairKind::organisation_organisation);
        if (!kind_group) {
            for (auto k : kPairKinds) {
                auto i = static_cast<std::size_t>(k);
                add_time(g, "hours_" + pair_kind_key(k), "hours " + pair_kind_label(k), "", g.now.split_minutes[i],
                         g.before.split_minutes[i]);
            }
        }
        if (!kind_group) {
            add_count(g, "requests_made", "requests made", g.now.requests_made, g.before.requests_made);
            add_count(g, "requests_met", "requests met", g.now.requests_met, g.before.requests_met);
            add_count(g, "requests_withdrawn", "requests withdrawn", g.now.requests_withdrawn,
                      g.before.requests_withdrawn);
            // A median, not a count: empty when no request was met.
            auto m = g.now.median_days_to_match, mb = g.before.median_days_to_match;
            auto shown = [&](std::optional<double> v) {
                if (!v) return Cell{};
                return people ? Cell{fmt::format("{:g}", *v)} : Cell{*v};
            };
            t.table.add({g.group, people ? "median days to a match" : "median_days_to_match", Cell{}, shown(m),
                         s.previous ? shown(mb) : Cell{},
                         change_cell(s.previous && m && mb ? change_pct(*m, *mb) : std::nullopt, people), Cell{},
                         Cell{}});
        }
        for (std::size_t c = 0; c < std::min<std::size_t>(5, g.now.categories.size()); ++c) {
            auto& cat = g.now.categories[c];
            Minutes before = 0;
            for (auto& b : g.before.categories)
                if (b.category == cat.category) before = b.minutes;
            add_time(g, "category_hours", fmt::format("top category {}", c + 1), category_label(cat.category),
                     cat.minutes, before);
        }
    }
    // The pot's own lines: donations and grants are never exchanges or hours traded.
    if (s.pot.any() && !s.groups.empty()) {
        auto& all = s.groups.front();
        add_time(all, "hours_donated", "hours donated to the pot", "", s.pot.donated, s.pot.donated_before);
        add_time(all, "hours_granted", "hours granted from the pot", "", s.pot.granted, s.pot.granted_before);
        bool cmp = s.previous.has_value();
        t.table.add({all.group, people ? "pot balance" : "pot_balance", Cell{}, Hours{s.pot.balance}, Cell{},
                     cmp && people ? Cell{std::string("")} : Cell{}, s.pot.balance, Cell{}});
    }
    if (people && !any_item) t.for_programs[2] = true;
    return t;
}

// ---- balances ----------------------------------------------------------------

ReportTable balances_head(const BalanceOptions& o, const ReportContext& ctx) {
    ReportTable t;
    t.table.columns = {"member", "name",    "kind",          "status",       "balance",
                       "minutes", "opening", "opening_minutes", "beyond_limit"};
    t.for_programs = {false, false, false, false, false, true, false, true, false};
    t.title = o.as_of ? fmt::format("Balances at the end of {}", *o.as_of)
                      : fmt::format("Balances on {}", ctx.today);
    return t;
}

std::string balances_rows(store::Store& s, const Directory& dir, const BalanceOptions& o, const ReportContext& ctx,
                          const std::function<void(const std::vector<Cell>&)>& row) {
    std::unordered_map<std::string, Minutes> later;
    std::unordered_map<std::string, Minutes> opening_as_of;
    if (o.as_of) {
        later = store::balance_changes_after(s, *o.as_of);
        store::for_each_opening(s, [&](const Opening& op) {
            if (op.date <= *o.as_of) opening_as_of[op.member] += op.minutes;
        });
    }
    Minutes total = 0, total_opening = 0;
    std::size_t shown = 0;
    std::vector<Cell> cells;
    for (auto& m : dir.members()) {
        Minutes balance = m.balance, opening = m.opening;
        if (o.as_of) {
            if (auto it = later.find(m.id); it != later.end()) balance -= it->second;
            auto it = opening_as_of.find(m.id);
            opening = it == opening_as_of.end() ? 0 : it->second;
        }
        if (o.below && !(balance < *o.below)) continue;
        if (o.above && !(balance > *o.above)) continue;
        // "below -20.00" for people and csv; in json {"side", "limit", "limit_minutes"}.
        Cell beyond;
        auto lo = min_limit_of(m, ctx.config), hi = max_limit_of(m, ctx.config);
        auto side = [](const char* word, Minutes limit) {
            return Cell{io::Structured{fmt::format("{} {}", word, format_hours(limit)),
                                       io::Json{{"side", word},
                                                {"limit", io::hours_json(limit)},
                                                {"limit_minutes", limit}}}};
        };
        if (lo && balance < *lo) beyond = side("below", *lo);
        else if (hi && balance > *hi) beyond = side("above", *hi);
        cells.assign({m.id, m.name, to_string(m.kind), to_string(m.status), Hours{balance}, balance, Hours{opening},
                      opening, std::move(beyond)});
        row(cells);
        total += balance;
        total_opening += opening;
        ++shown;
    }
    return fmt::format("{} member{}; balances sum to {} hours, of which opening balances {}", shown,
                       shown == 1 ? "" : "s", format_hours(total), format_hours(total_opening));
}

ReportTable balances_table(store::Store& s, const Directory& dir, const BalanceOptions& o, const ReportContext& ctx) {
    auto t = balances_head(o, ctx);
    t.notes.push_back(balances_rows(s, dir, o, ctx, [&](const std::vector<Cell>& r) { t.table.add(r); }));
    return t;
}

// ---- activity ----------------------------------------------------------------

namespace {

struct SeriesAccumulator {
    std::vector<Period> buckets;
    const Directory* dir = nullptr;
    std::vector<std::int64_t> exchanges;
    std::vector<Minutes> minutes;
    std::vector<std::vector<char>> seen;

    SeriesAccumulator(std::vector<Period> b, const Directory& d)
        : buckets(std::move(b)), dir(&d), exchanges(buckets.size(), 0), minutes(buckets.size(), 0),
          seen(buckets.size()) {}
    std::size_t bucket_index(Date d) const {
        auto it = std::upper_bound(buckets.begin(), buckets.end(), d,
                                   [](Date x, const Period& p) { return x < p.from; });
        return static_cast<std::size_t>(it - buckets.begin()) - 1;
    }
    void mark(std::size_t b, int member) {
        if (member < 0) return;
        if (seen[b].empty()) seen[b].assign(dir->size(), 0);
        seen[b][static_cast<std::size_t>(member)] = 1;
    }
    void add(const store::TradeRow& r) {
        if (r.date < buckets.front().from || r.date > buckets.back().to) return;
        auto b = bucket_index(r.date);
        exchanges[b] += r.exchanges;
        minutes[b] += r.minutes;
        mark(b, dir->find(r.provider));
        mark(b, dir->find(r.recipient));
    }
    void merge(SeriesAccumulator&& o) {
        for (std::size_t b = 0; b < buckets.size(); ++b) {
            exchanges[b] += o.exchanges[b];
            minutes[b] += o.minutes[b];
            if (o.seen[b].empty()) continue;
            if (seen[b].empty()) seen[b] = std::move(o.seen[b]);
            else
                for (std::size_t i = 0; i < seen[b].size(); ++i) seen[b][i] |= o.seen[b][i];
        }
    }
};

// The series of a period. Buckets of whole months (--by month, quarter or
// year) take the whole months from the monthly totals (store/rollup.hpp) and
// only the days around them from the exchanges; weeks read every exchange.
SeriesAccumulator activity_series(store::Store& s, const Directory& dir, Period shown, std::vector<Period> buckets,
                                  Bucket by) {
    auto make = [&] { return SeriesAccumulator(buckets, dir); };
    auto add = [](SeriesAccumulator& a, const store::TradeRow& r) { a.add(r); };
    if (by == Bucket::week) return std::move(scan_periods<SeriesAccumulator>(s, {shown}, make, add).front());
    auto split = split_months(s, {shown});
    auto a = make();
    if (!split.parts.empty())
        for (auto& part : scan_periods<SeriesAccumulator>(s, split.parts, make, add)) a.merge(std::move(part));
    if (!split.months[0]) return a;
    auto [from, to] = month_keys(*split.months[0]);
    std::string month;
    std::size_t b = 0;
    auto bucket_of_month = [&](std::string_view m) {
        if (m != month) {
            month = m;
            // The first month may begin before the period (split_months): its first bucket.
            b = a.bucket_index(std::max(shown.from, parse_iso_date(month + "-01").value_or(shown.from)));
        }
        return b;
    };
    store::for_each_trade_month(s, from, to, [&](const store::TradeMonthRow& r) {
        auto i = bucket_of_month(r.month);
        a.exchanges[i] += r.exchanges;
        a.minutes[i] += r.minutes;
    });
    OrderedFind find(dir);
    store::for_each_member_month(s, from, to, [&](std::string_view m, std::string_view id) {
        a.mark(bucket_of_month(m), find(id));
    });
    return a;
}

}  // namespace

ReportTable activity_table(store::Store& s, const Directory& dir, Period p, Bucket by, const ReportContext& ctx) {
    ReportTable t;
    t.table.columns = {"period", "from", "to", "exchanges", "hours", "minutes", "members", "new_members"};
    t.for_programs = {false, false, false, false, false, true, false, false};
    Period shown = clamp_to_data(s, p, ctx.today);
    t.title = fmt::format("Activity by {}, {}", bucket_name(by), describe_period(shown));
    auto ws = ctx.config.week_starts;
    std::vector<Period> buckets;
    for (Date d = shown.from; d <= shown.to;) {
        auto b = bucket_of(d, by, ws);
        buckets.push_back({std::max(b.from, shown.from), std::min(b.to, shown.to)});
        d = b.to + 1;
    }
    auto a = activity_series(s, dir, shown, buckets, by);
    std::vector<std::int64_t> joined(buckets.size(), 0);
    for (auto& m : dir.members())
        if (shown.contains(m.joined)) ++joined[a.bucket_index(m.joined)];
    for (std::size_t b = 0; b < buckets.size(); ++b) {
        std::int64_t members = a.seen[b].empty() ? 0 : std::count(a.seen[b].begin(), a.seen[b].end(), 1);
        t.table.add({bucket_label(bucket_of(buckets[b].from, by, ws), by, ws), to_string(buckets[b].from),
                     to_string(buckets[b].to), a.exchanges[b], Hours{a.minutes[b]}, a.minutes[b], members,
                     joined[b]});
    }
    return t;
}

// ---- members -----------------------------------------------------------------

namespace {

struct MemberStats {
    std::int64_t exchanges = 0;
    Minutes given = 0, received = 0;
};

struct MemberAccumulator {
    const Directory* dir = nullptr;
    std::vector<MemberStats> stats;
    explicit MemberAccumulator(const Directory& d) : dir(&d), stats(d.size()) {}
    void add(const store::TradeRow& r) {
        if (int a = dir->find(r.provider); a >= 0) {
            stats[static_cast<std::size_t>(a)].exchanges += r.exchanges;
            stats[static_cast<std::size_t>(a)].given += r.minutes;
        }
        if (int b = dir->find(r.recipient); b >= 0) {
            stats[static_cast<std::size_t>(b)].exchanges += r.exchanges;
            stats[static_cast<std::size_t>(b)].received += r.minutes;
        }
    }
    void merge(MemberAccumulator&& o) {
        for (std::size_t i = 0; i < stats.size(); ++i) {
            stats[i].exchanges += o.stats[i].exchanges;
            stats[i].given += o.stats[i].given;
            stats[i].received += o.stats[i].received;
        }
    }
};

}  // namespace

ReportTable members_table(store::Store& s, const Directory& dir, Period p, const MemberListOptions& o,
                          const ReportContext& ctx) {
    ReportTable t;
    t.table.columns = {"member",        "name",      "kind",  "neighbourhood",  "joined",   "last_exchange",
                       "days_inactive", "exchanges", "given", "given_minutes", "received", "received_minutes"};
    t.for_programs = {false, false, false, false, false, false, false, false, false, true, false, true};
    auto acc = scan_periods_kept<MemberAccumulator>(
        s, {p}, [&] { return MemberAccumulator(dir); },
        [](MemberAccumulator& a, const store::TradeRow& r) { a.add(r); });
    const auto& stats = acc.front().stats;
    std::vector<std::string> what;
    if (o.never_traded) what.push_back("who have never traded");
    if (o.inactive_days)
        what.push_back(fmt::format("with no exchange for {} days or more (none since {})", *o.inactive_days,
                                   to_string(ctx.today - *o.inactive_days)));
    t.title = "Active members";
    for (std::size_t i = 0; i < what.size(); ++i) t.title += (i ? " and " : " ") + what[i];
    t.title += fmt::format("; exchanges and hours in {}", describe_period(p));
    std::size_t shown = 0;
    for (std::size_t i = 0; i < dir.size(); ++i) {
        auto& m = dir[i];
        if (m.status != MemberStatus::active) continue;
        if (o.never_traded && m.last_trade) continue;
        int idle = ctx.today - last_activity(m);
        if (o.inactive_days && idle < *o.inactive_days) continue;
        auto& st = stats[i];
        t.table.add({m.id, m.name, to_string(m.kind), m.neighbourhood, to_string(m.joined), date_cell(m.last_trade),
                     std::int64_t{std::max(0, idle)}, st.exchanges, Hours{st.given}, st.given, Hours{st.received},
                     st.received});
        ++shown;
    }
    t.notes.push_back(fmt::format("{} member{}", shown, shown == 1 ? "" : "s"));
    return t;
}

// ---- categories ----------------------------------------------------------------

ReportTable categories_table(store::Store& s, const Directory&, Period p, const ReportContext& ctx) {
    ReportTable t;
    bool people = ctx.for_people;
    t.table.columns = {"category", "exchanges", "hours", "minutes", "share_pct", "previous_hours", "previous_minutes",
                       people ? "change" : "change_pct", "in_taxonomy"};
    t.for_programs = {false, false, false, true, false, false, true, false, false};
    if (people) t.table.columns[4] = "share";
    auto previous = comparable_previous(p);
    t.title = "Categories, " + describe_period(p);
    if (previous) t.title += ", compared with " + describe_period(*previous);
    auto now = store::category_trade_totals(s, p.from, p.to);
    std::map<std::string, Minutes> before;
    if (previous)
        for (auto& c : store::category_trade_totals(s, previous->from, previous->to)) before[c.category] = c.minutes;
    Minutes total = 0;
    for (auto& c : now) total += c.minutes;
    std::set<std::string> listed;
    std::vector<std::string> old;  // categories not in the taxonomy
    auto add = [&](const std::string& name, std::int64_t exchanges, Minutes minutes) {
        listed.insert(name);
        double share = total ? std::round(double(minutes) * 1000.0 / double(total)) / 10.0 : 0.0;
        Cell share_cell = people ? Cell{fmt::format("{:.1f}%", share)} : Cell{share};
        Minutes prev = 0;
        if (auto it = before.find(name); it != before.end()) prev = it->second;
        bool cmp = previous.has_value();
        t.table.add({category_label(name), exchanges, Hours{minutes}, minutes, share_cell,
                     cmp ? Cell{Hours{prev}} : Cell{}, cmp ? Cell{prev} : Cell{},
                     change_cell(cmp ? change_pct(double(minutes), double(prev)) : std::nullopt, people),
                     // A category kept from before the taxonomy changed, which no longer resolves.
                     name.empty() ? Cell{} : Cell{match_category(ctx.config, name).category != nullptr}});
        if (!name.empty() && !match_category(ctx.config, name).category) old.push_back(name);
    };
    for (auto& c : now) add(c.category, c.exchanges, c.minutes);
    // The taxonomy's unused categories too: a gap is worth seeing.
    for (auto& c : ctx.config.categories)
        if (!listed.count(c.name)) add(c.name, 0, 0);
    t.notes.push_back(fmt::format("{} hours in all", format_hours(total)));
    if (!old.empty())
        t.notes.push_back(fmt::format("not in the taxonomy (in_taxonomy = no): {}", text::join(old, ", ")));
    return t;
}

// ---- social value ----------------------------------------------------------------

ReportTable social_value_table(store::Store& s, Period p, const SocialValueOptions& o, const ReportContext& ctx) {
    ReportTable t;
    auto [exchanges, minutes] = store::trade_totals(s, p.from, p.to);
    double value = std::round(double(minutes) / 60.0 * o.rate * 100.0) / 100.0;
    t.table.columns = {"from",     "to",   "exchanges",       "hours", "minutes",
                       "rate",     "currency", "estimated_value", "basis"};
    t.for_programs = {false, false, false, false, true, false, false, false, false};
    // The sentence for people and csv; in json the method as a keyword.
    Cell basis = io::Structured{"an estimate: hours exchanged x rate per hour; not a valuation of the help given",
                                io::Json("hours_x_rate")};
    Cell rate = ctx.for_people ? Cell{fmt::format("{:.2f} {} per hour", o.rate, o.currency)} : Cell{o.rate};
    Cell val = ctx.for_people ? Cell{fmt::format("{:.2f} {}", value, o.currency)} : Cell{value};
    t.table.add({to_string(p.from), to_string(p.to), exchanges, Hours{minutes}, minutes, rate, o.currency, val, basis});
    t.title = fmt::format("Estimated social value, {} (an estimate)", describe_period(p));
    t.record = true;
    return t;
}

}  // namespace tb::report
