#include "tb/report/hub.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <set>

#include "tb/report/network.hpp"
#include "tb/report/onboarding.hpp"
#include "tb/store/check.hpp"
#include "tb/store/members.hpp"
#include "tb/store/network.hpp"
#include "tb/store/report_queries.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::report {

using io::Cell;
using io::Hours;

HubCheck parse_hub_check(std::string_view s) {
    auto v = text::lower(text::trim(s));
    if (v == "quick") return HubCheck::quick;
    if (v == "full") return HubCheck::full;
    if (v == "none") return HubCheck::none;
    throw UsageError(fmt::format("'{}' is not a check (use quick, full or none)", s));
}

Hub open_hub(const HubFile& f, HubCheck check) {
    Hub hub;
    for (auto& b : f.banks) {
        HubBankStore h;
        h.bank = b;
        try {
            h.config = load_config(b.config);
            if (!store::store_exists(b.store)) {
                hub.left_out.push_back(fmt::format("bank {}: no store at {}", b.name, b.store));
                continue;
            }
            h.store = std::make_unique<store::Store>(b.store, store::OpenMode::read_only, h.config.busy_timeout_ms);
            if (check != HubCheck::none) {
                auto problems = check == HubCheck::full ? store::check_store(*h.store)
                                                        : store::check_store_quick(*h.store);
                if (!problems.empty()) {
                    hub.left_out.push_back(fmt::format("bank {}: store {} fails tb check{} ({} problem{}; first: {})",
                                                       b.name, b.store, check == HubCheck::quick ? " --quick" : "",
                                                       problems.size(),
                                                       problems.size() == 1 ? "" : "s", problems.front()));
                    continue;
                }
            }
        } catch (const Error& e) {
            hub.left_out.push_back(fmt::format("bank {}: {}", b.name, e.what()));
            continue;
        } catch (const std::exception& e) {
            hub.left_out.push_back(fmt::format("bank {}: store {}: {}", b.name, b.store, e.what()));
            continue;
        }
        hub.banks.push_back(std::move(h));
    }
    return hub;
}

HubReport parse_hub_report(std::string_view s) {
    auto v = text::lower(text::trim(s));
    if (v == "summary") return HubReport::summary;
    if (v == "activity") return HubReport::activity;
    if (v == "categories") return HubReport::categories;
    if (v == "network") return HubReport::network;
    if (v == "social-value") return HubReport::social_value;
    if (v == "onboarding") return HubReport::onboarding;
    throw UsageError(
        fmt::format("'{}' is not a hub report (use summary, activity, categories, network, social-value or onboarding)", s));
}

namespace {

Period period_of(const HubBankStore& b, const HubOptions& o) {
    return parse_period(o.period, o.today, b.config.week_starts);
}

ReportContext context_of(const HubBankStore& b, const HubOptions& o, bool for_people) {
    return ReportContext{b.config, o.today, for_people};
}

std::int64_t int_cell(const Cell& c) {
    if (auto* i = std::get_if<std::int64_t>(&c)) return *i;
    if (auto* h = std::get_if<Hours>(&c)) return h->minutes;
    return 0;
}

std::string text_cell(const Cell& c) {
    if (auto* s = std::get_if<std::string>(&c)) return *s;
    return {};
}

Cell change(std::optional<double> pct, bool people) {
    if (!pct) return people ? Cell{std::string("")} : Cell{};
    if (people) return fmt::format("{:+.1f}%", *pct);
    return *pct;
}

void sort_categories(std::vector<CategoryFigure>& v) {
    std::sort(v.begin(), v.end(), [](auto& a, auto& b) {
        return a.minutes != b.minutes ? a.minutes > b.minutes : a.category < b.category;
    });
}

void add_figures(Figures& into, const Figures& f) {
    into.exchanges += f.exchanges;
    into.minutes += f.minutes;
    into.members += f.members;  // members of different banks are different people
    into.new_members += f.new_members;
    for (std::size_t k = 0; k < 3; ++k) {
        into.split_minutes[k] += f.split_minutes[k];
        into.split_exchanges[k] += f.split_exchanges[k];
    }
    for (auto& c : f.categories) {
        auto it = std::find_if(into.categories.begin(), into.categories.end(),
                               [&](auto& x) { return x.category == c.category; });
        if (it == into.categories.end()) into.categories.push_back(c);
        else {
            it->exchanges += c.exchanges;
            it->minutes += c.minutes;
        }
    }
    sort_categories(into.categories);
    into.requests_made += f.requests_made;
    into.requests_met += f.requests_met;
    into.requests_withdrawn += f.requests_withdrawn;
    // The hub's median is over every bank's requests met, not a median of medians.
    into.match_days.insert(into.match_days.end(), f.match_days.begin(), f.match_days.end());
    into.median_days_to_match = median(into.match_days);
}

ReportTable hub_summary(Hub& hub, const HubOptions& o) {
    Summary total;
    GroupFigures all{"all", {}, {}};
    std::vector<GroupFigures> per_bank;
    bool first = true;
    for (auto& b : hub.banks) {
        auto& s = *b.store;
        auto period = period_of(b, o);
        auto sum = store::read_consistently(s, [&] {
            auto dir = Directory::load(s);
            return summarise(s, dir, period, GroupBy::none);
        });
        if (first) {
            total.period = sum.period;
            total.previous = sum.previous;
            first = false;
        }
        auto& g = sum.groups.front();
        add_figures(all.now, g.now);
        add_figures(all.before, g.before);
        total.pot.donated += sum.pot.donated;
        total.pot.granted += sum.pot.granted;
        total.pot.donated_before += sum.pot.donated_before;
        total.pot.granted_before += sum.pot.granted_before;
        total.pot.balance += sum.pot.balance;
        per_bank.push_back(GroupFigures{b.bank.name, g.now, g.before});
    }
    if (first) total.period = parse_period(o.period, o.today, WeekStart::monday);
    total.groups.push_back(std::move(all));
    if (o.by_bank)
        for (auto& g : per_bank) total.groups.push_back(std::move(g));
    Config defaults;
    auto t = summary_table(total, ReportContext{defaults, o.today, o.for_people});
    if (o.by_bank) {
        t.table.columns[0] = "bank";
        t.for_programs[0] = false;
    }
    t.title = fmt::format("Hub of {} bank{}: {}", hub.banks.size(), hub.banks.size() == 1 ? "" : "s", t.title);
    return t;
}

ReportTable hub_activity(Hub& hub, const HubOptions& o) {
    struct Row {
        std::string from, to;
        std::int64_t exchanges = 0, minutes = 0, members = 0, new_members = 0;
        void add(const Row& r) {
            if (from.empty() || r.from < from) from = r.from;
            if (to.empty() || r.to > to) to = r.to;
            exchanges += r.exchanges;
            minutes += r.minutes;
            members += r.members;
            new_members += r.new_members;
        }
    };
    std::map<std::string, Row> total;
    std::vector<std::pair<std::string, std::map<std::string, Row>>> banks;
    for (auto& b : hub.banks) {
        auto& s = *b.store;
        auto period = period_of(b, o);
        auto t = store::read_consistently(s, [&] {
            auto dir = Directory::load(s);
            return activity_table(s, dir, period, o.bucket, context_of(b, o, false));
        });
        std::map<std::string, Row> mine;
        for (auto& r : t.table.rows) {
            Row x{text_cell(r[1]), text_cell(r[2]), int_cell(r[3]), int_cell(r[5]), int_cell(r[6]), int_cell(r[7])};
            mine[text_cell(r[0])].add(x);
            total[text_cell(r[0])].add(x);
        }
        banks.emplace_back(b.bank.name, std::move(mine));
    }
    ReportTable out;
    out.table.columns = {"bank", "period", "from", "to", "exchanges", "hours", "minutes", "members", "new_members"};
    out.for_programs = {!o.by_bank, false, false, false, false, false, true, false, false};
    auto emit = [&](const std::string& bank, const std::map<std::string, Row>& rows) {
        for (auto& [label, r] : rows)
            out.table.add({bank, label, r.from, r.to, r.exchanges, Hours{r.minutes}, r.minutes, r.members,
                           r.new_members});
    };
    emit("all", total);
    if (o.by_bank)
        for (auto& [name, rows] : banks) emit(name, rows);
    if (!o.by_bank) {
        // Without --by bank the columns are tb-report activity's.
        out.table.columns.erase(out.table.columns.begin());
        out.for_programs.erase(out.for_programs.begin());
        for (auto& r : out.table.rows) r.erase(r.begin());
    }
    out.title = fmt::format("Hub of {} bank{}: activity by {}", hub.banks.size(), hub.banks.size() == 1 ? "" : "s",
                            bucket_name(o.bucket));
    return out;
}

ReportTable hub_categories(Hub& hub, const HubOptions& o) {
    struct Cat {
        std::int64_t exchanges = 0;
        Minutes minutes = 0, before = 0;
    };
    using Cats = std::map<std::string, Cat>;
    Cats total;
    std::vector<std::pair<std::string, Cats>> banks;
    bool compare = false;
    for (auto& b : hub.banks) {
        auto& s = *b.store;
        auto p = period_of(b, o);
        auto previous = comparable_previous(p);
        compare = compare || previous.has_value();
        Cats mine;
        store::read_consistently(s, [&] {
            mine.clear();
            for (auto& c : store::category_trade_totals(s, p.from, p.to)) {
                mine[c.category].exchanges += c.exchanges;
                mine[c.category].minutes += c.minutes;
            }
            if (previous)
                for (auto& c : store::category_trade_totals(s, previous->from, previous->to))
                    mine[c.category].before += c.minutes;
            return 0;
        });
        // The bank's unused categories too, as tb-report categories lists them.
        for (auto& c : b.config.categories) mine.try_emplace(c.name);
        for (auto& [name, c] : mine) {
            auto& t = total[name];
            t.exchanges += c.exchanges;
            t.minutes += c.minutes;
            t.before += c.before;
        }
        banks.emplace_back(b.bank.name, std::move(mine));
    }
    bool people = o.for_people;
    ReportTable out;
    out.table.columns = {"bank",           "category", "exchanges",        "hours", "minutes", people ? "share" : "share_pct",
                         "previous_hours", "previous_minutes", people ? "change" : "change_pct"};
    out.for_programs = {!o.by_bank, false, false, false, true, false, false, true, false};
    auto emit = [&](const std::string& bank, const Cats& cats) {
        Minutes sum = 0;
        for (auto& [_, c] : cats) sum += c.minutes;
        std::vector<std::pair<std::string, Cat>> rows(cats.begin(), cats.end());
        std::stable_sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.second.minutes > b.second.minutes; });
        for (auto& [name, c] : rows) {
            double share = sum ? std::round(double(c.minutes) * 1000.0 / double(sum)) / 10.0 : 0.0;
            out.table.add({bank, category_label(name), c.exchanges, Hours{c.minutes}, c.minutes,
                           people ? Cell{fmt::format("{:.1f}%", share)} : Cell{share},
                           compare ? Cell{Hours{c.before}} : Cell{}, compare ? Cell{c.before} : Cell{},
                           change(compare ? change_pct(double(c.minutes), double(c.before)) : std::nullopt, people)});
        }
        return sum;
    };
    auto sum = emit("all", total);
    if (o.by_bank)
        for (auto& [name, cats] : banks) emit(name, cats);
    out.title = fmt::format("Hub of {} bank{}: categories", hub.banks.size(), hub.banks.size() == 1 ? "" : "s");
    out.notes.push_back(fmt::format("{} hours in all", format_hours(sum)));
    return out;
}

ReportTable hub_network(Hub& hub, const HubOptions& o) {
    struct Net {
        std::int64_t took_part = 0, no_partner = 0, groups = 0, largest_group = 0, gave_and_received = 0;
    };
    Net total;
    std::vector<std::pair<std::string, Net>> banks;
    for (auto& b : hub.banks) {
        auto& s = *b.store;
        auto p = period_of(b, o);
        auto n = store::read_consistently(s, [&] {
            auto dir = Directory::load(s);
            return analyse_network(s, dir, p);
        });
        Net x;
        x.took_part = static_cast<std::int64_t>(n.took_part.size());
        x.no_partner = static_cast<std::int64_t>(n.no_partner.size());
        x.groups = static_cast<std::int64_t>(n.groups.size());
        x.largest_group = n.groups.empty() ? 0 : n.groups.front().members;
        x.gave_and_received = n.gave_and_received;
        total.took_part += x.took_part;
        total.no_partner += x.no_partner;
        total.groups += x.groups;  // each bank's graph is its own: groups never join across banks
        total.largest_group = std::max(total.largest_group, x.largest_group);
        total.gave_and_received += x.gave_and_received;
        banks.emplace_back(b.bank.name, x);
    }
    ReportTable out;
    out.table.columns = {"bank",   "members_took_part", "members_no_partner", "groups", "largest_group",
                         "gave_and_received", "reciprocity_pct"};
    out.for_programs = {false, false, false, false, false, false, false};
    auto emit = [&](const std::string& bank, const Net& n) {
        double pct = n.took_part ? std::round(double(n.gave_and_received) * 1000.0 / double(n.took_part)) / 10.0 : 0.0;
        out.table.add({bank, n.took_part, n.no_partner, n.groups, n.largest_group, n.gave_and_received, pct});
    };
    emit("all", total);
    if (o.by_bank)
        for (auto& [name, n] : banks) emit(name, n);
    else out.record = true;
    out.title = fmt::format("Hub of {} bank{}: the exchange graphs of each bank, summed (members are never merged)",
                            hub.banks.size(), hub.banks.size() == 1 ? "" : "s");
    return out;
}

ReportTable hub_social_value(Hub& hub, const HubOptions& o) {
    ReportTable out;
    out.table.columns = {"bank", "from", "to", "exchanges", "hours", "minutes", "rate", "currency", "estimated_value"};
    out.for_programs = {false, false, false, false, false, true, false, false, false};
    std::int64_t exchanges = 0;
    Minutes minutes = 0;
    double value = 0;
    std::set<std::string> currencies;
    std::string from, to;
    std::vector<std::vector<Cell>> rows;
    for (auto& b : hub.banks) {
        auto& s = *b.store;
        auto p = period_of(b, o);
        auto t = store::read_consistently(s, [&] { return store::trade_totals(s, p.from, p.to); });
        double rate = b.config.value_per_hour;
        double v = std::round(double(t.minutes) / 60.0 * rate * 100.0) / 100.0;
        exchanges += t.exchanges;
        minutes += t.minutes;
        value += v;
        currencies.insert(b.config.currency);
        if (from.empty() || to_string(p.from) < from) from = to_string(p.from);
        if (to.empty() || to_string(p.to) > to) to = to_string(p.to);
        Cell rate_cell = o.for_people ? Cell{fmt::format("{:.2f} {} per hour", rate, b.config.currency)} : Cell{rate};
        Cell val = o.for_people ? Cell{fmt::format("{:.2f} {}", v, b.config.currency)} : Cell{v};
        rows.push_back({b.bank.name, to_string(p.from), to_string(p.to), t.exchanges, Hours{t.minutes}, t.minutes,
                        rate_cell, b.config.currency, val});
    }
    value = std::round(value * 100.0) / 100.0;
    bool one_currency = currencies.size() <= 1;
    std::string currency = one_currency && !currencies.empty() ? *currencies.begin() : "";
    Cell val = !one_currency ? Cell{} : o.for_people ? Cell{fmt::format("{:.2f} {}", value, currency)} : Cell{value};
    // Each bank values an hour at its own rate: the total has no one rate.
    out.table.add({std::string("all"), from, to, exchanges, Hours{minutes}, minutes,
                   o.for_people ? Cell{std::string("each bank's own")} : Cell{}, currency, val});
    if (o.by_bank)
        for (auto& r : rows) out.table.add(std::move(r));
    else out.record = true;
    out.title = fmt::format("Hub of {} bank{}: estimated social value (an estimate: hours exchanged x each bank's "
                            "rate per hour)",
                            hub.banks.size(), hub.banks.size() == 1 ? "" : "s");
    if (!one_currency) out.notes.push_back("the banks value hours in different currencies: no total value");
    return out;
}

ReportTable hub_onboarding(Hub& hub, const HubOptions& o) {
    struct Bank {
        std::string name;
        OnboardingFigures f;
    };
    OnboardingFigures total;
    std::vector<int> days;  // of every bank's new members who traded: the hub's median
    std::vector<Bank> banks;
    std::string from, to;
    for (auto& b : hub.banks) {
        auto& s = *b.store;
        auto p = period_of(b, o);
        auto on = store::read_consistently(s, [&] {
            auto dir = Directory::load(s);
            return onboarding(s, dir, p, o.today, default_onboarding_bucket(p), b.config.week_starts);
        });
        for (auto& m : on.members)
            if (m.days) days.push_back(*m.days);
        auto& f = on.all;
        total.joined += f.joined;
        total.traded += f.traded;
        for (std::size_t k = 0; k < kOnboardingMarks.size(); ++k) {
            total.eligible[k] += f.eligible[k];
            total.waiting[k] += f.waiting[k];
        }
        if (from.empty() || to_string(p.from) < from) from = to_string(p.from);
        if (to.empty() || to_string(p.to) > to) to = to_string(p.to);
        banks.push_back({b.bank.name, f});
    }
    total.median_days = median(days);
    bool people = o.for_people;
    ReportTable out;
    if (people) {
        out.table.columns = {"bank", "members", "first exchange", "median days"};
        for (int mark : kOnboardingMarks) out.table.columns.push_back(fmt::format("none after {} days", mark));
    } else {
        out.table.columns = {"bank", "from", "to", "joined", "traded", "median_days"};
        for (int mark : kOnboardingMarks) {
            out.table.columns.push_back(fmt::format("waiting_{}", mark));
            out.table.columns.push_back(fmt::format("eligible_{}", mark));
        }
    }
    auto emit = [&](const std::string& bank, const OnboardingFigures& f) {
        std::vector<Cell> row{bank};
        if (people) {
            row.emplace_back(f.joined);
            row.emplace_back(f.traded);
            row.push_back(f.median_days ? Cell{fmt::format("{:g}", *f.median_days)} : Cell{std::string("-")});
            for (std::size_t k = 0; k < kOnboardingMarks.size(); ++k)
                row.push_back(fmt::format("{} of {}", f.waiting[k], f.eligible[k]));
        } else {
            row.emplace_back(from);
            row.emplace_back(to);
            row.emplace_back(f.joined);
            row.emplace_back(f.traded);
            row.push_back(f.median_days ? Cell{*f.median_days} : Cell{});
            for (std::size_t k = 0; k < kOnboardingMarks.size(); ++k) {
                row.push_back(f.waiting[k]);
                row.push_back(f.eligible[k]);
            }
        }
        out.table.add(std::move(row));
    };
    emit("all", total);
    if (o.by_bank)
        for (auto& b : banks) emit(b.name, b.f);
    out.for_programs.assign(out.table.columns.size(), false);
    out.title = fmt::format("Hub of {} bank{}: onboarding of the members who joined", hub.banks.size(),
                            hub.banks.size() == 1 ? "" : "s");
    out.notes.push_back("Median days: from joining to the first exchange, over every bank's new members who made "
                        "one (each bank's members are its own; none are merged).");
    return out;
}

}  // namespace

ReportTable hub_report(Hub& hub, HubReport r, const HubOptions& o) {
    switch (r) {
        case HubReport::summary: return hub_summary(hub, o);
        case HubReport::activity: return hub_activity(hub, o);
        case HubReport::categories: return hub_categories(hub, o);
        case HubReport::network: return hub_network(hub, o);
        case HubReport::social_value: return hub_social_value(hub, o);
        case HubReport::onboarding: return hub_onboarding(hub, o);
    }
    throw UsageError("unknown hub report");
}

namespace {

struct ClearingAccount {
    std::string id;
    Minutes balance = 0;
};

// What one bank holds about the others: its clearing accounts by the
// (lower-case) name of the bank they stand for, and its transfers.
struct BankRecords {
    std::map<std::string, ClearingAccount> accounts;
    std::vector<store::TransferRow> transfers;
};

BankRecords records_of(store::Store& s) {
    BankRecords r;
    store::MemberFilter f;
    f.kind = MemberKind::bank;
    f.include_inactive = f.include_forgotten = true;
    f.with_skills = false;
    store::for_each_member(s, f, [&](const Member& m) {
        r.accounts[text::lower(text::trim(m.name))] = ClearingAccount{m.id, m.balance};
    });
    r.transfers = store::all_transfers(s);
    return r;
}

// Each pair of banks whose clearing accounts for each other do not sum to zero.
void check_balances(const Hub& hub, const std::vector<BankRecords>& recs, std::vector<Disagreement>& out) {
    auto name = [&](std::size_t i) { return hub.banks[i].bank.name; };
    auto side = [&](std::size_t x, std::size_t y, const ClearingAccount* acc) {
        return acc ? fmt::format("{}'s account for {} ({}) is {}", name(x), name(y), acc->id, format_hours(acc->balance))
                   : fmt::format("{} has no clearing account for {}", name(x), name(y));
    };
    auto find = [&](std::size_t x, std::size_t y) -> const ClearingAccount* {
        auto it = recs[x].accounts.find(text::lower(name(y)));
        return it == recs[x].accounts.end() ? nullptr : &it->second;
    };
    for (std::size_t i = 0; i < hub.banks.size(); ++i)
        for (std::size_t j = i + 1; j < hub.banks.size(); ++j) {
            auto* a = find(i, j);
            auto* b = find(j, i);
            if (!a && !b) continue;
            if ((a ? a->balance : 0) + (b ? b->balance : 0) == 0) continue;
            out.push_back({"balances", "", {name(i), name(j)},
                           fmt::format("{} and {}: clearing balances are not opposite: {}; {}", name(i), name(j),
                                       side(i, j, a), side(j, i, b))});
        }
}

// One bank's record of a transfer.
struct Seen {
    std::size_t bank;
    std::string direction, other;  // the bank named by the clearing account
};

// What is wrong with one transfer seen `seen` times; nothing when one bank
// sent it and the other received it, or it went out of the hub.
std::optional<Disagreement> check_transfer(const Hub& hub, const std::map<std::string, std::size_t>& index,
                                           const std::string& id, const std::vector<Seen>& seen) {
    auto name = [&](std::size_t i) { return hub.banks[i].bank.name; };
    std::vector<const Seen*> outs, ins;
    for (auto& s : seen) (s.direction == "out" ? outs : ins).push_back(&s);
    auto other_name = [&](const Seen& s) {
        auto it = index.find(s.other);
        return it == index.end() ? s.other : name(it->second);
    };
    auto in_hub = [&](const Seen& s) { return index.count(s.other) > 0; };
    auto twice = [&](const std::vector<const Seen*>& v, const char* problem, const char* verb) {
        std::vector<std::string> who;
        for (auto* s : v) who.push_back(name(s->bank));
        return Disagreement{problem, id, who,
                            fmt::format("transfer {}: {} more than once (by {})", id, verb, text::join(who, " and "))};
    };
    if (ins.size() > 1) return twice(ins, "received_twice", "received");
    if (outs.size() > 1) return twice(outs, "sent_twice", "sent");
    if (outs.size() == 1 && ins.empty()) {
        auto& o = *outs[0];
        if (!in_hub(o)) return std::nullopt;
        return Disagreement{"not_received", id, {name(o.bank), other_name(o)},
                            fmt::format("transfer {}: sent by {} to {}, not received by {}", id, name(o.bank),
                                        other_name(o), other_name(o))};
    }
    if (ins.size() == 1 && outs.empty()) {
        auto& i = *ins[0];
        if (!in_hub(i)) return std::nullopt;
        return Disagreement{"not_sent", id, {name(i.bank), other_name(i)},
                            fmt::format("transfer {}: received by {} from {}, who has no record of sending it", id,
                                        name(i.bank), other_name(i))};
    }
    auto& o = *outs[0];
    auto& i = *ins[0];
    if (text::lower(name(i.bank)) == o.other && text::lower(name(o.bank)) == i.other) return std::nullopt;
    return Disagreement{"mismatch", id, {name(o.bank), name(i.bank)},
                        fmt::format("transfer {}: sent by {} to {}, but received by {} from {}", id, name(o.bank),
                                    other_name(o), name(i.bank), other_name(i))};
}

}  // namespace

std::vector<Disagreement> reconcile(Hub& hub) {
    std::vector<Disagreement> out;
    std::vector<BankRecords> recs;
    std::map<std::string, std::size_t> index;  // lower-case bank name -> bank
    for (std::size_t i = 0; i < hub.banks.size(); ++i) {
        index[text::lower(hub.banks[i].bank.name)] = i;
        recs.push_back(records_of(*hub.banks[i].store));
    }
    check_balances(hub, recs, out);
    // Every transfer: one side sent it, the other received it, once.
    std::map<std::string, std::vector<Seen>> by_id;
    for (std::size_t i = 0; i < hub.banks.size(); ++i) {
        std::map<std::string, std::string> bank_of;  // clearing account ID -> bank name
        for (auto& [n, acc] : recs[i].accounts) bank_of[acc.id] = n;
        for (auto& t : recs[i].transfers) by_id[t.id].push_back({i, t.direction, bank_of[t.bank]});
    }
    for (auto& [id, seen] : by_id)
        if (auto d = check_transfer(hub, index, id, seen)) out.push_back(std::move(*d));
    return out;
}

io::Table disagreements_table(const std::vector<Disagreement>& d) {
    io::Table t;
    t.columns = {"problem", "transfer", "banks", "message"};
    for (auto& x : d)
        t.add({x.problem, x.transfer.empty() ? io::Cell{} : io::Cell{x.transfer}, io::List(x.banks), x.message});
    return t;
}

}  // namespace tb::report
