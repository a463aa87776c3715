#include "tb/report/weekly.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <sstream>

#include "tb/io/output.hpp"
#include "tb/report/tables.hpp"
#include "tb/util/text.hpp"

namespace tb::report {

Weekly build_weekly(store::Store& s, const Directory& dir, Period p, const Config& c, Date today) {
    Weekly w;
    // The name in a config file wins; else the one given to tb init.
    bool configured = c.origin.count("timebank.name") > 0;
    auto stored = store::get_meta(s, "name");
    w.bank = configured || stored.empty() ? c.name : stored;
    w.today = today;
    w.period = p;
    auto ws = c.week_starts;
    bool one_week = p.length() == 7 && week_start(p.from, ws) == p.from;
    if (one_week) w.week = bucket_label(p, Bucket::week, ws);
    w.period_label = one_week ? fmt::format("Week {}, {}", *w.week, describe_period(p)) : describe_period(p);
    auto summary = summarise(s, dir, p, GroupBy::none);
    w.previous = summary.previous;
    w.pot = summary.pot;
    w.figures = std::move(summary.groups.front());
    w.categories = w.figures.now.categories;

    // Twelve weeks, ending with the week the period ends in.
    Date last = week_start(p.to, ws);
    Date first = last - 7 * 11;
    for (int i = 0; i < 12; ++i) {
        Period week{first + 7 * i, first + 7 * i + 6};
        w.weeks.push_back({week, bucket_label(week, Bucket::week, ws), 0, 0});
    }
    for (auto& d : store::daily_trade_totals(s, first, last + 6)) {
        auto& bar = w.weeks[static_cast<std::size_t>((d.date - first) / 7)];
        bar.exchanges += d.exchanges;
        bar.minutes += d.minutes;
    }

    for (auto& m : dir.members()) {
        if (m.status == MemberStatus::forgotten) continue;
        auto lo = min_limit_of(m, c), hi = max_limit_of(m, c);
        if (lo && m.balance < *lo) w.beyond_limits.push_back({m.id, m.name, m.balance, *lo, true});
        else if (hi && m.balance > *hi) w.beyond_limits.push_back({m.id, m.name, m.balance, *hi, false});
        else if (c.warn_below && m.balance < *c.warn_below)
            w.under_warning.push_back({m.id, m.name, m.balance, *c.warn_below, true});
        if (m.status == MemberStatus::active) {
            int days = today - last_activity(m);
            if (days >= c.inactive_days) w.inactive.push_back({m.id, m.name, m.last_trade, m.joined, days});
        }
        if (p.contains(m.joined)) w.new_members.push_back({m.id, m.name, m.kind, m.joined});
    }
    w.warn_below = c.warn_below;
    w.inactive_days = c.inactive_days;
    std::stable_sort(w.inactive.begin(), w.inactive.end(), [](auto& a, auto& b) { return a.days > b.days; });
    std::stable_sort(w.new_members.begin(), w.new_members.end(),
                     [](auto& a, auto& b) { return a.joined < b.joined; });
    for (auto& r : store::open_requests_without_proposal(s)) {
        int i = dir.find(r.member);
        w.open_requests.push_back({r, i >= 0 ? dir[static_cast<std::size_t>(i)].name : std::string{}});
    }
    w.heads = store::chain_heads(s);
    return w;
}

namespace {

std::string change_text(double now, double before, const std::string& shown_before) {
    auto pct = change_pct(now, before);
    if (!pct) return fmt::format("previous {}", shown_before);
    return fmt::format("previous {}, {:+.1f}%", shown_before, *pct);
}

std::string limit_text(const LimitRow& r) {
    return fmt::format("{} the limit of {}", r.below ? "below" : "above", format_hours(r.limit));
}

std::string more_text(std::size_t total) {
    return total > kWeeklyListLimit ? fmt::format("... and {} more", total - kWeeklyListLimit) : std::string{};
}

std::string bar(Minutes m, Minutes max, int width) {
    if (max <= 0 || m <= 0) return "";
    auto n = static_cast<int>((m * width + max - 1) / max);
    std::string out;
    for (int i = 0; i < n; ++i) out += "█";
    return out;
}

// The sections every format shows, in words and rows.
struct Section {
    std::string heading;
    io::Table rows;
    std::size_t total = 0;  // before cutting to kWeeklyListLimit
    std::string empty;      // said when there are no rows
};

std::string request_hours(const store::OpenRequest& r) { return r.minutes ? format_hours(*r.minutes) : ""; }

std::vector<Section> list_sections(const Weekly& w) {
    std::vector<Section> out;
    auto cut = [](std::size_t n) { return std::min(n, kWeeklyListLimit); };
    {
        Section s{fmt::format("Balances beyond limits ({})", w.beyond_limits.size()), {}, w.beyond_limits.size(),
                  "No balance is beyond its limits."};
        s.rows.columns = {"member", "name", "balance", "limit"};
        for (std::size_t i = 0; i < cut(w.beyond_limits.size()); ++i) {
            auto& r = w.beyond_limits[i];
            s.rows.add({r.member, r.name, io::Hours{r.balance}, limit_text(r)});
        }
        out.push_back(std::move(s));
    }
    if (w.warn_below) {
        Section s{fmt::format("Balances under the warning level of {} ({})", format_hours(*w.warn_below),
                              w.under_warning.size()),
                  {}, w.under_warning.size(), "No balance is under the warning level."};
        s.rows.columns = {"member", "name", "balance"};
        for (std::size_t i = 0; i < cut(w.under_warning.size()); ++i) {
            auto& r = w.under_warning[i];
            s.rows.add({r.member, r.name, io::Hours{r.balance}});
        }
        out.push_back(std::move(s));
    }
    {
        Section s{fmt::format("Members inactive for {} days or more ({})", w.inactive_days, w.inactive.size()),
                  {}, w.inactive.size(), "Every active member has traded recently."};
        s.rows.columns = {"member", "name", "last exchange", "days"};
        for (std::size_t i = 0; i < cut(w.inactive.size()); ++i) {
            auto& r = w.inactive[i];
            s.rows.add({r.member, r.name,
                        r.last_exchange ? to_string(*r.last_exchange) : "never (joined " + to_string(r.joined) + ")",
                        std::int64_t{r.days}});
        }
        out.push_back(std::move(s));
    }
    {
        Section s{fmt::format("New members ({})", w.new_members.size()), {}, w.new_members.size(),
                  "No new members joined in this period."};
        s.rows.columns = {"member", "name", "kind", "joined"};
        for (std::size_t i = 0; i < cut(w.new_members.size()); ++i) {
            auto& r = w.new_members[i];
            s.rows.add({r.member, r.name, to_string(r.kind), to_string(r.joined)});
        }
        out.push_back(std::move(s));
    }
    {
        Section s{fmt::format("Open requests with no match ({})", w.open_requests.size()), {},
                  w.open_requests.size(), "Every open request has a proposed match."};
        s.rows.columns = {"request", "member", "name", "category", "hours", "needed by", "text"};
        for (std::size_t i = 0; i < cut(w.open_requests.size()); ++i) {
            auto& r = w.open_requests[i];
            s.rows.add({r.request.number, r.request.member, r.name, category_label(r.request.category),
                        request_hours(r.request), r.request.needed_by ? to_string(*r.request.needed_by) : "",
                        r.request.text});
        }
        out.push_back(std::move(s));
    }
    return out;
}

struct Headline {
    std::string label;
    std::string value;
    std::string comparison;
};

std::vector<Headline> headlines(const Weekly& w) {
    auto& now = w.figures.now;
    auto& before = w.figures.before;
    bool cmp = w.previous.has_value();
    auto c = [&](double a, double b, const std::string& shown) { return cmp ? change_text(a, b, shown) : ""; };
    std::vector<Headline> out = {
        {"Exchanges", std::to_string(now.exchanges),
         c(double(now.exchanges), double(before.exchanges), std::to_string(before.exchanges))},
        {"Hours", format_hours(now.minutes), c(double(now.minutes), double(before.minutes), format_hours(before.minutes))},
        {"Members who took part", std::to_string(now.members),
         c(double(now.members), double(before.members), std::to_string(before.members))},
        {"New members", std::to_string(now.new_members),
         c(double(now.new_members), double(before.new_members), std::to_string(before.new_members))},
    };
    for (auto k : kPairKinds) {
        auto i = static_cast<std::size_t>(k);
        out.push_back({"Hours " + pair_kind_label(k), format_hours(now.split_minutes[i]),
                       c(double(now.split_minutes[i]), double(before.split_minutes[i]),
                         format_hours(before.split_minutes[i]))});
    }
    if (w.pot.any()) {
        out.push_back({"Hours donated to the pot", format_hours(w.pot.donated),
                       c(double(w.pot.donated), double(w.pot.donated_before), format_hours(w.pot.donated_before))});
        out.push_back({"Hours granted from the pot", format_hours(w.pot.granted),
                       c(double(w.pot.granted), double(w.pot.granted_before), format_hours(w.pot.granted_before))});
        out.push_back({"Pot balance", format_hours(w.pot.balance), ""});
    }
    return out;
}

std::string table_text(const io::Table& t) {
    std::ostringstream s;
    io::render_table(t, {io::Format::table, true}, s);
    return s.str();
}

std::string indent(const std::string& text, const std::string& by) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        auto line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        out += line.empty() ? "\n" : by + line + "\n";
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    return out;
}

// Markdown table cells: one line, no pipes breaking the table.
std::string md_cell(const std::string& s) {
    std::string out;
    for (char ch : s) {
        if (ch == '|') out += "\\|";
        else if (ch == '\n' || ch == '\r') out += ' ';
        else if (ch == '\\' || ch == '*' || ch == '_' || ch == '`' || ch == '<' || ch == '>' || ch == '[' ||
                 ch == ']')
            out += std::string("\\") + ch;
        else out += ch;
    }
    return out;
}

std::string md_table(const io::Table& t) {
    std::string out = "|";
    for (auto& c : t.columns) out += " " + md_cell(c) + " |";
    out += "\n|";
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        bool number = !t.rows.empty() && i < t.rows[0].size() &&
                      (std::holds_alternative<std::int64_t>(t.rows[0][i]) ||
                       std::holds_alternative<io::Hours>(t.rows[0][i]));
        out += number ? " ---: |" : " --- |";
    }
    out += "\n";
    for (auto& r : t.rows) {
        out += "|";
        for (std::size_t i = 0; i < t.columns.size(); ++i)
            out += " " + md_cell(i < r.size() ? io::cell_text(r[i]) : "") + " |";
        out += "\n";
    }
    return out;
}

Minutes max_week(const Weekly& w) {
    Minutes m = 0;
    for (auto& b : w.weeks) m = std::max(m, b.minutes);
    return m;
}

}  // namespace

std::string markdown_table(const io::Table& t) { return md_table(t); }
std::string markdown_escape(const std::string& s) { return md_cell(s); }

void weekly_text(const Weekly& w, std::ostream& out) {
    out << w.bank << ": weekly report\n" << w.period_label << '\n';
    if (w.previous) out << "Compared with " << describe_period(*w.previous) << '\n';
    out << "\nSummary\n\n";
    std::size_t lw = 0, vw = 0;
    auto hl = headlines(w);
    for (auto& h : hl) {
        lw = std::max(lw, text::display_width(h.label));
        vw = std::max(vw, h.value.size());
    }
    for (auto& h : hl) {
        out << "  " << h.label << std::string(lw - text::display_width(h.label) + 2, ' ')
            << std::string(vw - h.value.size(), ' ') << h.value;
        if (!h.comparison.empty()) out << "   (" << h.comparison << ")";
        out << '\n';
    }
    out << "\nHours per week (the last 12 weeks)\n\n";
    auto max = max_week(w);
    for (auto& b : w.weeks)
        out << fmt::format("  {}  {:>8}  {}\n", b.label, format_hours(b.minutes), bar(b.minutes, max, 40));
    out << "\nHours by category\n\n";
    if (w.categories.empty()) out << "  No exchanges in this period.\n";
    else {
        io::Table t;
        t.columns = {"category", "exchanges", "hours"};
        for (auto& c : w.categories) t.add({category_label(c.category), c.exchanges, io::Hours{c.minutes}});
        out << indent(table_text(t), "  ");
    }
    for (auto& s : list_sections(w)) {
        out << '\n' << s.heading << "\n\n";
        if (s.total == 0) {
            out << "  " << s.empty << '\n';
            continue;
        }
        out << indent(table_text(s.rows), "  ");
        if (auto more = more_text(s.total); !more.empty()) out << "  " << more << '\n';
    }
    out << "\nMade by tb-report on " << to_string(w.today) << ".\n";
    out << "Chain heads (check with: tb check --expect-head FILE):\n";
    for (auto& h : w.heads) out << "  " << store::format_head(h) << '\n';
}

void weekly_markdown(const Weekly& w, std::ostream& out) {
    out << "# " << md_cell(w.bank) << ": weekly report\n\n**" << w.period_label << "**";
    if (w.previous) out << ", compared with " << describe_period(*w.previous);
    out << "\n\n## Summary\n\n";
    io::Table t;
    t.columns = {"", "this period", "compared with the previous"};
    for (auto& h : headlines(w)) t.add({h.label, h.value, h.comparison});
    out << md_table(t);
    out << "\n## Hours per week (the last 12 weeks)\n\n";
    io::Table weeks;
    weeks.columns = {"week", "from", "exchanges", "hours", ""};
    auto max = max_week(w);
    for (auto& b : w.weeks)
        weeks.add({b.label, to_string(b.week.from), b.exchanges, io::Hours{b.minutes}, bar(b.minutes, max, 20)});
    out << md_table(weeks);
    out << "\n## Hours by category\n\n";
    if (w.categories.empty()) out << "No exchanges in this period.\n";
    else {
        io::Table c;
        c.columns = {"category", "exchanges", "hours"};
        for (auto& x : w.categories) c.add({category_label(x.category), x.exchanges, io::Hours{x.minutes}});
        out << md_table(c);
    }
    for (auto& s : list_sections(w)) {
        out << "\n## " << s.heading << "\n\n";
        if (s.total == 0) {
            out << s.empty << '\n';
            continue;
        }
        out << md_table(s.rows);
        if (auto more = more_text(s.total); !more.empty()) out << '\n' << more << '\n';
    }
    out << "\n_Made by tb-report on " << to_string(w.today) << "._\n";
    out << "\nChain heads (check with `tb check --expect-head FILE`):\n\n";
    for (auto& h : w.heads) out << "    " << store::format_head(h) << '\n';
}

namespace {

using io::Json;

Json jdate(std::optional<Date> d) { return d ? Json(to_string(*d)) : Json(nullptr); }
// "hours" and "minutes", or NAME and NAME_minutes, into obj.
void jtime(Json& obj, const std::string& name, Minutes m) {
    obj[name] = io::hours_json(m);
    obj[name == "hours" ? std::string("minutes") : name + "_minutes"] = m;
}

Json figures_json(const Figures& f) {
    Json split = Json::array();
    for (auto k : kPairKinds) {
        auto i = static_cast<std::size_t>(k);
        Json one{{"kind", pair_kind_key(k)}, {"exchanges", f.split_exchanges[i]}};
        jtime(one, "hours", f.split_minutes[i]);
        split.push_back(std::move(one));
    }
    Json out = Json::object();
    out["exchanges"] = f.exchanges;
    jtime(out, "hours", f.minutes);
    out["members"] = f.members;
    out["new_members"] = f.new_members;
    out["split"] = std::move(split);
    return out;
}

template <typename T, typename F>
Json json_array(const std::vector<T>& v, F item) {
    Json out = Json::array();
    for (auto& x : v) out.push_back(item(x));
    return out;
}

Json limit_json(const LimitRow& r) {
    Json out{{"member", r.member}, {"name", r.name}};
    jtime(out, "balance", r.balance);
    jtime(out, "limit", r.limit);
    out["side"] = r.below ? "below" : "above";
    return out;
}

Json opt_pct(std::optional<double> p) { return p ? io::number_json(*p) : Json(nullptr); }

}  // namespace

void weekly_json(const Weekly& w, std::ostream& out) {
    auto& now = w.figures.now;
    auto& before = w.figures.before;
    Json doc{{"report", "weekly"},
             {"bank", w.bank},
             {"today", to_string(w.today)},
             {"from", to_string(w.period.from)},
             {"to", to_string(w.period.to)},
             {"week", w.week ? Json(*w.week) : Json(nullptr)},
             {"summary", figures_json(now)}};
    // Always there, so a script need not test for the key: null when the
    // pot has seen nothing.
    if (w.pot.any()) {
        Json pot = Json::object();
        jtime(pot, "donated", w.pot.donated);
        jtime(pot, "granted", w.pot.granted);
        jtime(pot, "balance", w.pot.balance);
        doc["pot"] = std::move(pot);
    } else {
        doc["pot"] = nullptr;
    }
    if (w.previous) {
        doc["previous"] = Json{{"from", to_string(w.previous->from)},
                               {"to", to_string(w.previous->to)},
                               {"summary", figures_json(before)}};
        doc["change_pct"] =
            Json{{"exchanges", opt_pct(change_pct(double(now.exchanges), double(before.exchanges)))},
                 {"hours", opt_pct(change_pct(double(now.minutes), double(before.minutes)))},
                 {"members", opt_pct(change_pct(double(now.members), double(before.members)))},
                 {"new_members", opt_pct(change_pct(double(now.new_members), double(before.new_members)))}};
    } else {
        doc["previous"] = nullptr;
        doc["change_pct"] = nullptr;
    }
    doc["weeks"] = json_array(w.weeks, [](const WeekBar& b) {
        Json o{{"week", b.label}, {"from", to_string(b.week.from)}, {"to", to_string(b.week.to)},
               {"exchanges", b.exchanges}};
        jtime(o, "hours", b.minutes);
        return o;
    });
    doc["categories"] = json_array(w.categories, [](const CategoryFigure& c) {
        Json o{{"category", c.category}, {"exchanges", c.exchanges}};
        jtime(o, "hours", c.minutes);
        return o;
    });
    doc["beyond_limits"] = json_array(w.beyond_limits, limit_json);
    if (w.warn_below) {
        Json warn = Json::object();
        jtime(warn, "hours", *w.warn_below);
        doc["warn_below"] = std::move(warn);
    } else {
        doc["warn_below"] = nullptr;
    }
    doc["under_warning"] = json_array(w.under_warning, limit_json);
    doc["inactive_days"] = w.inactive_days;
    doc["inactive"] = json_array(w.inactive, [](const InactiveRow& r) {
        return Json{{"member", r.member}, {"name", r.name}, {"last_exchange", jdate(r.last_exchange)},
                    {"joined", to_string(r.joined)}, {"days", r.days}};
    });
    doc["new_members"] = json_array(w.new_members, [](const NewMemberRow& r) {
        return Json{{"member", r.member}, {"name", r.name}, {"kind", to_string(r.kind)}, {"joined", to_string(r.joined)}};
    });
    doc["open_requests"] = json_array(w.open_requests, [](const RequestRow& r) {
        auto& q = r.request;
        return Json{{"number", q.number},
                    {"member", q.member},
                    {"name", r.name},
                    {"category", q.category},
                    {"text", q.text},
                    {"hours", q.minutes ? io::hours_json(*q.minutes) : Json(nullptr)},
                    {"minutes", q.minutes ? Json(*q.minutes) : Json(nullptr)},
                    {"needed_by", jdate(q.needed_by)},
                    {"created_at", q.created_at}};
    });
    doc["chain_heads"] = json_array(w.heads, [](const store::ChainHead& h) {
        return Json{{"chain", h.chain}, {"number", h.number}, {"hash", h.hash}};
    });
    io::write_json(out, doc);
}

}  // namespace tb::report
