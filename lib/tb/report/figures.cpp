#include "tb/report/figures.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <thread>

#include "tb/report/onboarding.hpp"
#include "tb/store/group_month.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/member_year.hpp"
#include "tb/store/network.hpp"
#include "tb/store/rollup.hpp"
#include "tb/util/error.hpp"
#include "tb/util/group_key.hpp"
#include "tb/util/text.hpp"

namespace tb::report {

Directory::Directory(std::vector<store::ReportMember> members) : members_(std::move(members)) {
    std::size_t cap = 16;
    while (cap < members_.size() * 2) cap *= 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (std::size_t i = 0; i < members_.size(); ++i) {
        kinds_.push_back(static_cast<std::uint8_t>(members_[i].kind));
        auto key = key_of(members_[i].id);
        auto j = mix(key) & mask_;
        while (slots_[j].index >= 0) j = (j + 1) & mask_;
        slots_[j] = Slot{key, static_cast<int>(i)};
    }
}

int OrderedFind::operator()(std::string_view id) {
    const auto& m = dir_.members();
    if (next_ > 0 && !(m[next_ - 1].id < id)) {
        if (m[next_ - 1].id == id) return static_cast<int>(next_ - 1);
        next_ = 0;  // a new run (the next month)
    }
    for (int step = 0; step < 8 && next_ < m.size() && m[next_].id < id; ++step) ++next_;
    if (next_ < m.size() && m[next_].id < id) {
        auto it = std::lower_bound(m.begin() + static_cast<std::ptrdiff_t>(next_), m.end(), id,
                                   [](const store::ReportMember& x, std::string_view v) { return x.id < v; });
        next_ = static_cast<std::size_t>(it - m.begin());
    }
    if (next_ < m.size() && m[next_].id == id) return static_cast<int>(next_++);
    return dir_.find(id);
}

PairKind pair_kind(MemberKind a, MemberKind b) {
    int orgs = (a == MemberKind::organisation) + (b == MemberKind::organisation);
    return orgs == 0 ? PairKind::person_person : orgs == 1 ? PairKind::person_organisation
                                                           : PairKind::organisation_organisation;
}

std::string pair_kind_key(PairKind k) {
    switch (k) {
        case PairKind::person_person: return "person-person";
        case PairKind::person_organisation: return "person-organisation";
        case PairKind::organisation_organisation: return "organisation-organisation";
    }
    return "";
}

std::string pair_kind_label(PairKind k) {
    switch (k) {
        case PairKind::person_person: return "person→person";
        case PairKind::person_organisation: return "person↔organisation";
        case PairKind::organisation_organisation: return "organisation→organisation";
    }
    return "";
}

GroupBy parse_group_by(std::string_view s) {
    auto v = text::lower(text::trim(s));
    if (v == "tag" || v == "tags") return GroupBy::tag;
    if (v == "neighbourhood" || v == "neighborhood") return GroupBy::neighbourhood;
    if (v == "kind") return GroupBy::kind;
    if (v == "postcode-district" || v == "postcode_district" || v == "district") return GroupBy::postcode_district;
    throw UsageError(fmt::format("cannot group by '{}' (use tag, neighbourhood, postcode-district or kind)", s));
}

std::optional<double> change_pct(double now, double before) {
    if (before == 0) return std::nullopt;
    return std::round((now - before) / before * 1000.0) / 10.0;
}

std::optional<Period> comparable_previous(Period p) {
    // FROM..TO with an empty FROM starts at the year 1: nothing comes before it.
    if (p.from <= from_ymd(1000, 1, 1) || p.to >= from_ymd(9000, 1, 1)) return std::nullopt;
    return previous_calendar_period(p);
}

Compare parse_compare(std::string_view s) {
    auto v = text::lower(text::trim(s));
    if (v == "previous") return Compare::previous;
    if (v == "last-year") return Compare::last_year;
    if (v == "none") return Compare::none;
    throw UsageError(fmt::format("cannot compare with '{}' (use previous, last-year or none)", s));
}

std::optional<Period> compare_period(Period p, Compare c, WeekStart ws) {
    switch (c) {
        case Compare::none: return std::nullopt;
        case Compare::previous: return comparable_previous(p);
        case Compare::last_year:
            if (!comparable_previous(p)) return std::nullopt;
            return same_period_a_year_earlier(p, ws);
    }
    return std::nullopt;
}

namespace {

// Figures for one group over one period, built while trades stream past.
struct Accumulator {
    Figures f;
    std::vector<char> seen;  // by member index: took part
    // A handful of categories, in the order first seen (entries never move).
    std::vector<CategoryFigure> categories;
    // Category number (CategoryNumbers) -> place in `categories`, or -1.
    std::vector<int> place;

    explicit Accumulator(std::size_t members) : seen(members, 0) {}

    void took_part(int i) {
        if (i >= 0) seen[static_cast<std::size_t>(i)] = 1;
    }
    CategoryFigure& category(std::string_view name) {
        for (auto& c : categories)
            if (c.category == name) return c;
        categories.push_back(CategoryFigure{std::string(name)});
        return categories.back();
    }
    // The same by the number the category was given for this scan: one
    // string comparison per trade for all the groups it counts in.
    CategoryFigure& category(std::size_t number, std::string_view name) {
        if (number < place.size() && place[number] >= 0) return categories[static_cast<std::size_t>(place[number])];
        auto& c = category(name);
        if (place.size() <= number) place.resize(number + 1, -1);
        place[number] = static_cast<int>(&c - categories.data());
        return c;
    }
    void trade(const store::TradeRow& r, PairKind k, std::size_t category_number) {
        f.exchanges += r.exchanges;
        f.minutes += r.minutes;
        f.split_minutes[static_cast<int>(k)] += r.minutes;
        f.split_exchanges[static_cast<int>(k)] += r.exchanges;
        auto& c = category(category_number, r.category);
        c.exchanges += r.exchanges;
        c.minutes += r.minutes;
    }
    void merge(Accumulator&& o) {
        f.exchanges += o.f.exchanges;
        f.minutes += o.f.minutes;
        for (std::size_t k = 0; k < 3; ++k) {
            f.split_minutes[k] += o.f.split_minutes[k];
            f.split_exchanges[k] += o.f.split_exchanges[k];
        }
        for (std::size_t i = 0; i < seen.size(); ++i) seen[i] |= o.seen[i];
        for (auto& c : o.categories) {
            auto& mine = category(c.category);
            mine.exchanges += c.exchanges;
            mine.minutes += c.minutes;
        }
    }
    void finish() {
        f.members = std::count(seen.begin(), seen.end(), 1);
        f.categories = categories;
        std::sort(f.categories.begin(), f.categories.end(), [](auto& a, auto& b) {
            return a.minutes != b.minutes ? a.minutes > b.minutes : a.category < b.category;
        });
    }
};

// "all" (index 0) and every group (1 + group index).
struct GroupAccumulators {
    std::vector<Accumulator> groups;
    std::vector<std::string> category_names;  // category number -> name
    std::size_t category_number(std::string_view name) {
        for (std::size_t i = 0; i < category_names.size(); ++i)
            if (category_names[i] == name) return i;
        category_names.emplace_back(name);
        return category_names.size() - 1;
    }
    void merge(GroupAccumulators&& o) {
        for (std::size_t i = 0; i < groups.size(); ++i) groups[i].merge(std::move(o.groups[i]));
    }
};

// The groups each member belongs to, by --by.
struct Grouping {
    std::vector<std::string> names;              // group index -> name
    std::vector<std::vector<int>> of_member;     // member index -> group indices
    std::map<std::string, int> index_of_key;     // text::group_key -> group index
};

Grouping make_grouping(store::Store& s, const Directory& dir, GroupBy by) {
    Grouping g;
    g.of_member.resize(dir.size());
    if (by == GroupBy::kind) {
        for (auto k : kPairKinds) g.names.push_back(pair_kind_key(k));
        return g;
    }
    if (by == GroupBy::none) return g;
    // Groups compare case- and space-insensitively ("Hyde Park", "hyde park ",
    // "HydePark" are one ward) and are shown in their most common spelling
    // (spaces trimmed and runs of them made one), the first in sorted order
    // on a tie.
    struct Group {
        std::map<std::string, std::size_t> spellings;
        std::vector<std::size_t> members;
    };
    // (util/group_key.hpp: the rule the kept totals per group key by too)
    std::map<std::string, Group> groups;
    auto add = [&](std::string_view value, std::size_t i) {
        auto& grp = groups[text::group_key(value)];
        ++grp.spellings[text::group_spelling(value)];
        if (grp.members.empty() || grp.members.back() != i) grp.members.push_back(i);
    };
    // Tags are read here, not with the directory (no other report needs
    // them), and taken member after member.
    std::vector<std::vector<std::string>> tags;
    if (by == GroupBy::tag) {
        tags.resize(dir.size());
        store::for_each_member_tag(s, [&](std::string_view member, std::string_view tag) {
            if (int i = dir.find(member); i >= 0) tags[static_cast<std::size_t>(i)].emplace_back(tag);
        });
    }
    for (std::size_t i = 0; i < dir.size(); ++i) {
        const auto& m = dir[i];
        if (by == GroupBy::tag) {
            for (auto& t : tags[i]) add(t, i);
        } else if (by == GroupBy::neighbourhood) {
            add(m.neighbourhood, i);
        } else {
            add(text::postcode_district(m.postcode), i);
        }
    }
    struct Named {
        std::string name;
        const std::string* key;
        const Group* group;
    };
    std::vector<Named> named;
    for (auto& [key, grp] : groups) {
        const std::string* best = nullptr;
        std::size_t n = 0;
        for (auto& [spelling, count] : grp.spellings)
            if (count > n) {
                best = &spelling;
                n = count;
            }
        named.push_back({*best, &key, &grp});
    }
    std::stable_sort(named.begin(), named.end(), [](auto& a, auto& b) { return a.name < b.name; });
    for (auto& n : named) {
        int gi = static_cast<int>(g.names.size());
        g.names.push_back(n.name);
        g.index_of_key.emplace(*n.key, gi);
        for (auto i : n.group->members) g.of_member[i].push_back(gi);
    }
    return g;
}

// One trade into the accumulators of "all" and of the groups it counts for.
void add_trade(GroupAccumulators& acc, const Directory& dir, const Grouping& g, GroupBy by,
               const store::TradeRow& r) {
    int a = dir.find(r.provider), b = dir.find(r.recipient);
    auto ka = a >= 0 ? dir.kind(a) : MemberKind::person;
    auto kb = b >= 0 ? dir.kind(b) : MemberKind::person;
    PairKind k = pair_kind(ka, kb);
    auto category = acc.category_number(r.category);
    auto count = [&](Accumulator& x, bool with_a, bool with_b) {
        x.trade(r, k, category);
        if (with_a) x.took_part(a);
        if (with_b) x.took_part(b);
    };
    count(acc.groups[0], true, true);
    if (by == GroupBy::none) return;
    if (by == GroupBy::kind) {
        count(acc.groups[1 + static_cast<std::size_t>(k)], true, true);
        return;
    }
    // An exchange counts for a group when either side belongs to it; a
    // member counts only for their own groups.
    static const std::vector<int> kNone;
    const auto& ga = a >= 0 ? g.of_member[static_cast<std::size_t>(a)] : kNone;
    const auto& gb = b >= 0 ? g.of_member[static_cast<std::size_t>(b)] : kNone;
    auto has = [](const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); };
    for (int gi : ga) count(acc.groups[static_cast<std::size_t>(1 + gi)], true, has(gb, gi));
    for (int gi : gb)
        if (!has(ga, gi)) count(acc.groups[static_cast<std::size_t>(1 + gi)], false, true);
}

// Whole months' trades of one pair of kinds and category into a group.
void add_total(Accumulator& a, int pair, std::string_view category, std::int64_t exchanges, Minutes minutes) {
    if (exchanges == 0 && minutes == 0) return;
    auto k = static_cast<std::size_t>(std::clamp(pair, 0, 2));
    a.f.exchanges += exchanges;
    a.f.minutes += minutes;
    a.f.split_exchanges[k] += exchanges;
    a.f.split_minutes[k] += minutes;
    auto& c = a.category(category);
    c.exchanges += exchanges;
    c.minutes += minutes;
}

// The trades of whole months, from the monthly totals (store/rollup.hpp).
void add_months(Accumulator& a, store::Store& s, const Directory& dir, Period months) {
    auto [from, to] = month_keys(months);
    store::for_each_trade_month(
        s, from, to, [&](const store::TradeMonthRow& r) { add_total(a, r.pair, r.category, r.exchanges, r.minutes); });
    mark_took_part_in_months(s, dir, months, a.seen);
}

// The members (by directory index) who traded in whole months, each given
// to `fn` at least once: the participation summary --by counts per group.
void for_each_member_who_traded(store::Store& s, const Directory& dir, Period months,
                                const std::function<void(int)>& fn) {
    std::vector<char> seen(dir.size(), 0);
    mark_took_part_in_months(s, dir, months, seen);  // whole years from member_year
    for (std::size_t i = 0; i < seen.size(); ++i)
        if (seen[i]) fn(static_cast<int>(i));
}

// The trades of whole months for "all" and the groups of --by tag,
// neighbourhood or postcode-district, from the monthly totals per group
// (store/group_month.hpp); a member who traded took part in each of their
// groups.
void add_group_months(GroupAccumulators& acc, store::Store& s, const Directory& dir, const Grouping& g, GroupBy by,
                      Period months) {
    auto [from, to] = month_keys(months);
    auto& all = acc.groups[0];
    store::for_each_trade_month(s, from, to, [&](const store::TradeMonthRow& r) {
        add_total(all, r.pair, r.category, r.exchanges, r.minutes);
    });
    const char* grouping = by == GroupBy::tag ? "tag" : by == GroupBy::neighbourhood ? "neighbourhood"
                                                                                     : "postcode-district";
    std::string key;
    int gi = -1;
    store::for_each_group_month(s, grouping, from, to, [&](const store::GroupMonthRow& r) {
        if (gi < 0 || r.key != key) {
            key.assign(r.key);
            auto it = g.index_of_key.find(key);
            gi = it == g.index_of_key.end() ? -1 : it->second;
            if (gi < 0) return;  // no member has the group now: never kept so
        }
        add_total(acc.groups[static_cast<std::size_t>(1 + gi)], r.pair, r.category, r.exchanges, r.minutes);
    });
    for_each_member_who_traded(s, dir, months, [&](int i) {
        if (i < 0) return;
        all.took_part(i);
        for (int x : g.of_member[static_cast<std::size_t>(i)]) acc.groups[static_cast<std::size_t>(1 + x)].took_part(i);
    });
}

// The trades of whole months for "all" and the groups of --by kind, from
// the totals per category and pair of kinds; members took part in a kind of
// exchange by their own kind and whether their trades were with
// organisations (store/group_month.hpp for_each_org_partner_trades).
void add_kind_months(GroupAccumulators& acc, store::Store& s, const Directory& dir, Period months) {
    auto [from, to] = month_keys(months);
    store::for_each_trade_month(s, from, to, [&](const store::TradeMonthRow& r) {
        add_total(acc.groups[0], r.pair, r.category, r.exchanges, r.minutes);
        add_total(acc.groups[1 + static_cast<std::size_t>(std::clamp(r.pair, 0, 2))], r.pair, r.category,
                  r.exchanges, r.minutes);
    });
    std::vector<std::int64_t> trades(dir.size()), with_organisations(dir.size());
    auto sum_into = [&](std::vector<std::int64_t>& v) {
        return [&v, find = OrderedFind(dir)](std::string_view id, std::int64_t n) mutable {
            if (int i = find(id); i >= 0) v[static_cast<std::size_t>(i)] += n;
        };
    };
    store::for_each_member_trades(s, from, to, sum_into(trades));
    store::for_each_org_partner_trades(s, from, to, sum_into(with_organisations));
    for (std::size_t i = 0; i < dir.size(); ++i) {
        if (trades[i] <= 0) continue;
        int m = static_cast<int>(i);
        acc.groups[0].took_part(m);
        std::size_t orgs = dir.kind(m) == MemberKind::organisation ? 1 : 0;  // own side
        if (trades[i] > with_organisations[i]) acc.groups[1 + orgs].took_part(m);
        if (with_organisations[i] > 0) acc.groups[2 + orgs].took_part(m);
    }
}

}  // namespace

namespace {

// Whole months from..to in up to four parts, each of whole months.
void add_month_parts(ScanPlan& plan, std::size_t period, Date from, Date to) {
    std::vector<Date> starts;
    for (Date m = from; m <= to;) {
        starts.push_back(m);
        auto ymd = to_ymd(m);
        m = from_ymd(ymd.y, ymd.m, days_in_month(ymd.y, ymd.m)) + 1;
    }
    if (starts.empty()) return;
    std::size_t n = starts.size(), parts = std::min<std::size_t>(4, n);
    for (std::size_t i = 0; i < parts; ++i) {
        std::size_t a = n * i / parts, b = n * (i + 1) / parts;
        Date end = b < n ? starts[b] - 1 : to;
        plan.ranges.push_back({starts[a], end, true});
        plan.period_of.push_back(period);
    }
}

}  // namespace

ScanPlan plan_scan(store::Store& s, const std::vector<Period>& periods, bool kept) {
    ScanPlan plan;
    auto span = store::exchange_date_span(s);
    if (!span) return plan;
    std::vector<std::optional<Period>> months(periods.size());
    if (kept) months = split_months(s, periods).months;
    int total_days = 0;
    auto add_days = [&](std::size_t p, Date from, Date to) {
        from = std::max(from, span->from);
        to = std::min(to, span->to);
        if (to < from) return;
        // Parts of at least a month, at most four per period.
        int days = to - from + 1;
        int parts = std::clamp(days / 32, 1, 4);
        total_days += days;
        for (int i = 0; i < parts; ++i) {
            Date a = from + static_cast<int>(static_cast<long>(days) * i / parts);
            Date b = from + static_cast<int>(static_cast<long>(days) * (i + 1) / parts) - 1;
            plan.ranges.push_back({a, b});
            plan.period_of.push_back(p);
        }
    };
    for (std::size_t p = 0; p < periods.size(); ++p) {
        if (!months[p]) {
            add_days(p, periods[p].from, periods[p].to);
            continue;
        }
        add_days(p, periods[p].from, months[p]->from - 1);
        add_days(p, months[p]->to + 1, periods[p].to);
        // The months that can hold exchanges.
        auto first = to_ymd(span->from), last = to_ymd(span->to);
        Date from = std::max(months[p]->from, from_ymd(first.y, first.m, 1));
        Date to = std::min(months[p]->to, from_ymd(last.y, last.m, days_in_month(last.y, last.m)));
        if (to < from) continue;
        total_days += to - from + 1;
        add_month_parts(plan, p, from, to);
    }
    unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    plan.threads = total_days > 60 ? std::min(2u, hw) : 1u;
    return plan;
}

namespace {

// A period widened to the start of its first month when the ledger has no
// exchange before the period, and to the end of its last month when it has
// none after it: the kept totals of those months then hold exactly the
// period's trades. So a report up to today (the usual cron run, the ledger
// ending today) reads this month from the totals, not from the exchanges.
Period widen_to_months(Period p, const std::optional<store::DateRange>& span) {
    if (!span) return p;
    auto a = to_ymd(p.from), b = to_ymd(p.to);
    if (p.from <= span->from) p.from = from_ymd(a.y, a.m, 1);
    if (span->to <= p.to) p.to = from_ymd(b.y, b.m, days_in_month(b.y, b.m));
    return p;
}

}  // namespace

MonthSplit split_months(store::Store& s, const std::vector<Period>& periods) {
    MonthSplit out;
    auto span = store::exchange_date_span(s);
    for (auto& p : periods) out.months.push_back(whole_months(widen_to_months(p, span)));
    bool any = std::any_of(out.months.begin(), out.months.end(), [](auto& m) { return m.has_value(); });
    if (any && !store::rollups_current(s)) std::fill(out.months.begin(), out.months.end(), std::nullopt);
    auto add_part = [&](std::size_t p, Date from, Date to) {
        if (from > to) return;
        out.parts.push_back({from, to});
        out.owner.push_back(p);
    };
    for (std::size_t p = 0; p < periods.size(); ++p) {
        if (!out.months[p]) {
            add_part(p, periods[p].from, periods[p].to);
        } else {
            add_part(p, periods[p].from, out.months[p]->from - 1);
            add_part(p, out.months[p]->to + 1, periods[p].to);
        }
    }
    return out;
}

namespace {

// The whole calendar years of a period of whole months; a first or last
// year counts whole when the ledger has no exchange in the rest of it (as
// widen_to_months counts months), so the years may reach beyond `months`.
std::optional<Period> whole_years(Period months, const std::optional<store::DateRange>& span) {
    auto a = to_ymd(months.from), b = to_ymd(months.to);
    int first = a.y, last = b.y;
    if (!(a.m == 1 && a.d == 1) && !(span && months.from <= span->from)) ++first;
    if (!(b.m == 12 && b.d == 31) && !(span && span->to <= months.to)) --last;
    if (last < first) return std::nullopt;
    return Period{from_ymd(first, 1, 1), from_ymd(last, 12, 31)};
}

}  // namespace

void mark_took_part_in_months(store::Store& s, const Directory& dir, Period months, std::vector<char>& seen) {
    OrderedFind find(dir);
    auto mark = [&](std::string_view id) {
        int i = find(id);
        if (i >= 0) seen[static_cast<std::size_t>(i)] = 1;
    };
    auto by_month = [&](Date from, Date to) {
        if (to < from) return;
        auto [a, b] = month_keys({from, to});
        store::for_each_member_month(s, a, b, [&](std::string_view, std::string_view id) { mark(id); });
    };
    auto years = whole_years(months, store::exchange_date_span(s));
    if (!years) return by_month(months.from, months.to);
    by_month(months.from, years->from - 1);
    store::for_each_member_year(s, to_ymd(years->from).y, to_ymd(years->to).y,
                                [&](int, std::string_view id) { mark(id); });
    by_month(years->to + 1, months.to);
}

void mark_took_part(store::Store& s, const Directory& dir, Period period, std::vector<char>& seen) {
    auto split = split_months(s, {period});
    if (split.months[0]) mark_took_part_in_months(s, dir, *split.months[0], seen);
    // The days around the whole months, from the exchanges.
    struct Marks {
        std::vector<char> seen;
        void merge(Marks&& o) {
            for (std::size_t i = 0; i < seen.size(); ++i) seen[i] |= o.seen[i];
        }
    };
    auto make = [&] { return Marks{std::vector<char>(dir.size(), 0)}; };
    auto add = [&](Marks& m, const store::TradeRow& r) {
        for (auto id : {r.provider, r.recipient})
            if (int i = dir.find(id); i >= 0) m.seen[static_cast<std::size_t>(i)] = 1;
    };
    for (auto& part : scan_periods<Marks>(s, split.parts, make, add))
        for (std::size_t i = 0; i < seen.size(); ++i) seen[i] |= part.seen[i];
}

std::int64_t members_who_took_part(store::Store& s, const Directory& dir, Period period) {
    std::vector<char> seen(dir.size(), 0);
    mark_took_part(s, dir, period, seen);
    return std::count(seen.begin(), seen.end(), 1);
}

std::pair<std::string, std::string> month_keys(Period months) {
    auto first = to_ymd(months.from), last = to_ymd(months.to);
    return {store::month_key(first.y, first.m), store::month_key(last.y, last.m)};
}

std::optional<Period> whole_months(Period p) {
    auto a = to_ymd(p.from), b = to_ymd(p.to);
    Date first = a.d == 1 ? p.from : a.m == 12 ? from_ymd(a.y + 1, 1, 1) : from_ymd(a.y, a.m + 1, 1);
    Date last = b.d == days_in_month(b.y, b.m) ? p.to : from_ymd(b.y, b.m, 1) - 1;
    // Exchanges are dated in the years 1 to 9999: the months kept are too.
    first = std::max(first, from_ymd(1, 1, 1));
    last = std::min(last, from_ymd(9999, 12, 31));
    if (last < first) return std::nullopt;
    return Period{first, last};
}

PotFigures pot_figures(store::Store& s, Period period, std::optional<Period> previous) {
    PotFigures f;
    auto now = store::pot_totals(s, period.from, period.to);
    f.donated = now.donated;
    f.granted = now.granted;
    if (previous) {
        auto before = store::pot_totals(s, previous->from, previous->to);
        f.donated_before = before.donated;
        f.granted_before = before.granted;
    }
    f.balance = store::balance_as_of(s, "pot", period.to);
    return f;
}

Summary summarise(store::Store& s, const Directory& dir, Period period, GroupBy by) {
    return summarise(s, dir, period, by, comparable_previous(period));
}

namespace {

// The trades of each period, in "all" and in the groups. The whole months of
// a period come from the monthly totals, the days before and after them from
// the exchanges. Without --by, the totals per category and pair of kinds are
// enough; --by kind adds each member's trades with organisations, the other
// groupings read the totals per group (store/group_month.hpp).
std::vector<GroupAccumulators> accumulate_trades(store::Store& s, const Directory& dir, const Grouping& g, GroupBy by,
                                                 const std::vector<Period>& periods) {
    auto make = [&] {
        return GroupAccumulators{std::vector<Accumulator>(1 + g.names.size(), Accumulator(dir.size())), {}};
    };
    auto add = [&](GroupAccumulators& a, const store::TradeRow& r) { add_trade(a, dir, g, by, r); };
    std::vector<GroupAccumulators> acc;
    auto split = split_months(s, periods);
    for (std::size_t p = 0; p < periods.size(); ++p) acc.push_back(make());
    auto scanned = scan_periods<GroupAccumulators>(s, split.parts, make, add);
    for (std::size_t i = 0; i < scanned.size(); ++i) acc[split.owner[i]].merge(std::move(scanned[i]));
    for (std::size_t p = 0; p < periods.size(); ++p) {
        if (!split.months[p]) continue;
        if (by == GroupBy::none) add_months(acc[p].groups[0], s, dir, *split.months[p]);
        else if (by == GroupBy::kind) add_kind_months(acc[p], s, dir, *split.months[p]);
        else add_group_months(acc[p], s, dir, g, by, *split.months[p]);
    }
    return acc;
}

// New members: joined in the period, in the groups they belong to (for
// --by kind, the kinds of exchange they took part in).
void count_new_members(std::vector<Accumulator>& groups, const Directory& dir, const Grouping& g, GroupBy by,
                       Period period) {
    for (std::size_t i = 0; i < dir.size(); ++i) {
        if (!period.contains(dir[i].joined)) continue;
        ++groups[0].f.new_members;
        if (by == GroupBy::kind) {
            for (std::size_t gi = 1; gi < groups.size(); ++gi)
                if (groups[gi].seen[i]) ++groups[gi].f.new_members;
        } else if (by != GroupBy::none) {
            for (int gi : g.of_member[i]) ++groups[static_cast<std::size_t>(1 + gi)].f.new_members;
        }
    }
}

// Requests made, met and withdrawn in the period: in "all", and in the
// requester's groups (a request has no kind of exchange, so none in --by
// kind's groups).
void count_requests(std::vector<Accumulator>& groups, store::Store& s, const Directory& dir, const Grouping& g,
                    GroupBy by, Period period) {
    for (auto& e : store::request_events(s, period.from, period.to)) {
        int i = dir.find(e.member);
        auto count = [&](Figures& f) {
            if (period.contains(e.made)) ++f.requests_made;
            if (!e.closed || !period.contains(*e.closed)) return;
            if (e.outcome == "met") {
                ++f.requests_met;
                f.match_days.push_back(std::max(0, *e.closed - e.made));
            } else if (e.outcome == "withdrawn") {
                ++f.requests_withdrawn;
            }
        };
        count(groups[0].f);
        if (i >= 0 && by != GroupBy::none && by != GroupBy::kind)
            for (int gi : g.of_member[static_cast<std::size_t>(i)]) count(groups[static_cast<std::size_t>(1 + gi)].f);
    }
}

}  // namespace

Summary summarise(store::Store& s, const Directory& dir, Period period, GroupBy by, std::optional<Period> previous) {
    Summary out;
    out.period = period;
    out.previous = previous;
    out.pot = pot_figures(s, period, out.previous);
    auto g = make_grouping(s, dir, by);
    std::vector<Period> periods{period};
    if (out.previous) periods.push_back(*out.previous);
    auto acc = accumulate_trades(s, dir, g, by, periods);
    for (std::size_t p = 0; p < periods.size(); ++p) {
        auto& groups = acc[p].groups;
        count_new_members(groups, dir, g, by, periods[p]);
        count_requests(groups, s, dir, g, by, periods[p]);
        for (auto& a : groups) {
            a.f.median_days_to_match = median(a.f.match_days);
            a.finish();
        }
    }
    for (std::size_t i = 0; i < acc[0].groups.size(); ++i) {
        GroupFigures gf{i == 0 ? std::string("all") : g.names[i - 1], std::move(acc[0].groups[i].f), {}};
        if (out.previous) gf.before = std::move(acc[1].groups[i].f);
        out.groups.push_back(std::move(gf));
    }
    return out;
}

Period clamp_to_data(store::Store& s, Period p, Date today) {
    if (p.to > today) p.to = today;
    if (p.from <= from_ymd(1000, 1, 1)) {
        auto first = store::first_trade_date(s);
        p.from = first && *first <= p.to ? *first : p.to;
    }
    if (p.to < p.from) p.to = p.from;
    return p;
}

Bucket parse_bucket(std::string_view s) {
    auto v = text::lower(text::trim(s));
    if (v == "week") return Bucket::week;
    if (v == "month") return Bucket::month;
    if (v == "quarter") return Bucket::quarter;
    if (v == "year") return Bucket::year;
    throw UsageError(fmt::format("'{}' is not a time step (use week, month, quarter or year)", s));
}

std::string bucket_name(Bucket b) {
    switch (b) {
        case Bucket::week: return "week";
        case Bucket::month: return "month";
        case Bucket::quarter: return "quarter";
        case Bucket::year: return "year";
    }
    return "";
}

Period bucket_of(Date d, Bucket b, WeekStart ws) {
    auto ymd = to_ymd(d);
    switch (b) {
        case Bucket::week: {
            Date start = week_start(d, ws);
            return {start, start + 6};
        }
        case Bucket::month: return {from_ymd(ymd.y, ymd.m, 1), from_ymd(ymd.y, ymd.m, days_in_month(ymd.y, ymd.m))};
        case Bucket::quarter: {
            int first = (ymd.m - 1) / 3 * 3 + 1;
            return {from_ymd(ymd.y, first, 1), from_ymd(ymd.y, first + 2, days_in_month(ymd.y, first + 2))};
        }
        case Bucket::year: return {from_ymd(ymd.y, 1, 1), from_ymd(ymd.y, 12, 31)};
    }
    return {d, d};
}

std::string bucket_label(Period bucket, Bucket b, WeekStart ws) {
    auto ymd = to_ymd(bucket.from);
    switch (b) {
        case Bucket::week: {
            // Sunday-start weeks take the number of the ISO week they mostly cover.
            auto [y, w] = iso_week(ws == WeekStart::monday ? bucket.from : bucket.from + 1);
            return fmt::format("{}-W{:02}", y, w);
        }
        case Bucket::month: return fmt::format("{}-{:02}", ymd.y, ymd.m);
        case Bucket::quarter: return fmt::format("{}-Q{}", ymd.y, (ymd.m - 1) / 3 + 1);
        case Bucket::year: return fmt::format("{}", ymd.y);
    }
    return "";
}

}  // namespace tb::report
