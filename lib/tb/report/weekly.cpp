#include "tb/report/weekly.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <sstream>

#include "tb/io/output.hpp"
#include "tb/report/tables.hpp"
#include "tb/store/members.hpp"
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
    w.period_label = one_week ? fmt::format("Week {}, {}", bucket_label(p, Bucket::week, ws), describe_period(p))
                              : describe_period(p);
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

    std::vector<std::string> joined_ids;
    for (auto& m : dir.members()) {
        // Balances: every member's, a forgotten member's too (their balance
        // stays in the ledger). A balance beyond the minimum is also under
        // the warning level when it is under it.
        auto lo = min_limit_of(m, c), hi = max_limit_of(m, c);
        std::optional<Minutes> beyond;
        if (lo && m.balance < *lo) {
            w.beyond_limits.push_back({m.id, m.name, m.balance, *lo, true, std::nullopt});
            beyond = *lo;
        } else if (hi && m.balance > *hi) {
            w.beyond_limits.push_back({m.id, m.name, m.balance, *hi, false, std::nullopt});
        }
        if (c.warn_below && m.balance < *c.warn_below)
            w.under_warning.push_back({m.id, m.name, m.balance, *c.warn_below, true, beyond});
        if (m.status == MemberStatus::forgotten) continue;
        if (m.status == MemberStatus::active) {
            int days = today - last_activity(m);
            if (days >= c.inactive_days) w.inactive.push_back({m.id, m.name, m.last_trade, m.joined, days});
        }
        if (p.contains(m.joined)) {
            w.new_members.push_back({m.id, m.name, m.kind, m.joined, std::nullopt});
            joined_ids.push_back(m.id);
        }
    }
    w.warn_below = c.warn_below;
    w.inactive_days = c.inactive_days;
    std::stable_sort(w.inactive.begin(), w.inactive.end(), [](auto& a, auto& b) { return a.days > b.days; });
    std::stable_sort(w.new_members.begin(), w.new_members.end(),
                     [](auto& a, auto& b) { return a.joined < b.joined; });
    // A first exchange as of today (it may come after the period).
    auto firsts = store::first_trade_dates(s, joined_ids);
    for (auto& n : w.new_members) {
        if (auto it = firsts.find(n.member); it != firsts.end()) n.first_exchange = it->second;
        else ++w.new_without_first_exchange;
    }
    auto name_of = [&](const std::string& id) {
        int i = dir.find(id);
        return i >= 0 ? dir[static_cast<std::size_t>(i)].name : std::string{};
    };
    w.open_request_count = store::count_open_requests(s);
    for (auto& r : store::open_requests_without_proposal(s)) w.open_requests.push_back({r, name_of(r.member), 0});

    w.follow_up_days = c.follow_up_days;
    for (auto& pp : store::pending_proposal_rows(s)) {
        auto when = parse_iso_date(pp.created_at.substr(0, 10));
        if (!when) continue;
        int days = today - *when;
        if (days <= c.follow_up_days) continue;
        w.stale_proposals.push_back(
            {pp.request, pp.requester, name_of(pp.requester), pp.category, pp.member, name_of(pp.member), *when, days});
    }
    for (auto& r : store::open_requests_past_needed_by(s, today))
        w.past_needed_by.push_back({r, name_of(r.member), today - *r.needed_by});

    for (auto& row : store::all_checks(s)) {
        int i = dir.find(row.member);
        if (i < 0 || dir[static_cast<std::size_t>(i)].status != MemberStatus::active) continue;
        int left = row.check.expires - today;
        if (left < 0) ++w.checks_expired;
        else if (left <= kCheckWarningDays) w.checks_expiring.push_back({row.member, row.name, row.check.name,
                                                                         row.check.expires, left});
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

std::string request_hours(const store::OpenRequest& r) { return r.minutes ? format_hours(*r.minutes) : ""; }

std::string plural(std::int64_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

std::vector<WeeklyList> weekly_lists(const Weekly& w) {
    std::vector<WeeklyList> out;
    auto cut = [](std::size_t n) { return std::min(n, kWeeklyListLimit); };
    {
        WeeklyList s{fmt::format("Balances beyond limits ({})", w.beyond_limits.size()), {}, w.beyond_limits.size(),
                     "No balance is beyond its limits.", ""};
        s.rows.columns = {"member", "name", "balance", "limit"};
        for (std::size_t i = 0; i < cut(w.beyond_limits.size()); ++i) {
            auto& r = w.beyond_limits[i];
            s.rows.add({r.member, r.name, io::Hours{r.balance}, limit_text(r)});
        }
        out.push_back(std::move(s));
    }
    if (w.warn_below) {
        auto level = format_hours(*w.warn_below);
        WeeklyList s{fmt::format("Balances under the warning level of {} ({})", level, w.under_warning.size()),
                     {}, w.under_warning.size(), fmt::format("No balance is under the warning level of {}.", level),
                     ""};
        s.rows.columns = {"member", "name", "balance", "limit"};
        for (std::size_t i = 0; i < cut(w.under_warning.size()); ++i) {
            auto& r = w.under_warning[i];
            s.rows.add({r.member, r.name, io::Hours{r.balance},
                        r.beyond ? "below the limit of " + format_hours(*r.beyond) : std::string()});
        }
        out.push_back(std::move(s));
    }
    {
        WeeklyList s{fmt::format("Members inactive for {} days or more ({})", w.inactive_days, w.inactive.size()),
                     {}, w.inactive.size(),
                     fmt::format("No active member has gone {} days or more without an exchange.", w.inactive_days),
                     ""};
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
        WeeklyList s{fmt::format("New members ({})", w.new_members.size()), {}, w.new_members.size(),
                     "No new members joined in this period.", ""};
        s.rows.columns = {"member", "name", "kind", "joined", "first exchange"};
        for (std::size_t i = 0; i < cut(w.new_members.size()); ++i) {
            auto& r = w.new_members[i];
            s.rows.add({r.member, r.name, to_string(r.kind), to_string(r.joined),
                        r.first_exchange ? to_string(*r.first_exchange) : std::string("none yet")});
        }
        if (!w.new_members.empty()) {
            auto n = w.new_without_first_exchange;
            s.note = n == 0 ? std::string(w.new_members.size() == 1 ? "They have made a first exchange."
                                                                     : "All of them have made a first exchange.")
                            : fmt::format("{} of them {} yet to make a first exchange.", n, n == 1 ? "has" : "have");
        }
        out.push_back(std::move(s));
    }
    {
        WeeklyList s{fmt::format("Open requests with no match ({})", w.open_requests.size()), {},
                     w.open_requests.size(),
                     w.open_request_count == 0
                         ? std::string("No request is open.")
                         : fmt::format("Every open request ({}) has a proposal pending or accepted.",
                                       w.open_request_count),
                     ""};
        s.rows.columns = {"request", "member", "name", "category", "hours", "needed by", "text"};
        for (std::size_t i = 0; i < cut(w.open_requests.size()); ++i) {
            auto& r = w.open_requests[i];
            s.rows.add({r.request.number, r.request.member, r.name, category_label(r.request.category),
                        request_hours(r.request), r.request.needed_by ? to_string(*r.request.needed_by) : "",
                        r.request.text});
        }
        out.push_back(std::move(s));
    }
    {
        WeeklyList s{fmt::format("Proposals pending for more than {} days ({})", w.follow_up_days,
                                 w.stale_proposals.size()),
                     {}, w.stale_proposals.size(),
                     fmt::format("No proposal has been pending for more than {} days.", w.follow_up_days), ""};
        s.rows.columns = {"request", "requester", "name", "category", "proposed to", "name", "proposed", "days"};
        for (std::size_t i = 0; i < cut(w.stale_proposals.size()); ++i) {
            auto& r = w.stale_proposals[i];
            s.rows.add({r.request, r.requester, r.requester_name, category_label(r.category), r.member, r.name,
                        to_string(r.proposed), std::int64_t{r.days}});
        }
        out.push_back(std::move(s));
    }
    {
        WeeklyList s{fmt::format("Open requests past their needed-by date ({})", w.past_needed_by.size()), {},
                     w.past_needed_by.size(), "No open request is past its needed-by date.", ""};
        s.rows.columns = {"request", "member", "name", "category", "needed by", "days late", "text"};
        for (std::size_t i = 0; i < cut(w.past_needed_by.size()); ++i) {
            auto& r = w.past_needed_by[i];
            s.rows.add({r.request.number, r.request.member, r.name, category_label(r.request.category),
                        to_string(*r.request.needed_by), std::int64_t{r.days_late}, r.request.text});
        }
        out.push_back(std::move(s));
    }
    {
        WeeklyList s{fmt::format("Safeguarding checks expiring within {} days ({})", kCheckWarningDays,
                                 w.checks_expiring.size()),
                     {}, w.checks_expiring.size(),
                     fmt::format("No safeguarding check of an active member expires within {} days.",
                                 kCheckWarningDays),
                     ""};
        s.rows.columns = {"member", "name", "check", "expires", "days left"};
        for (std::size_t i = 0; i < cut(w.checks_expiring.size()); ++i) {
            auto& r = w.checks_expiring[i];
            s.rows.add({r.member, r.name, r.check, to_string(r.expires), std::int64_t{r.days_left}});
        }
        if (w.checks_expired > 0)
            s.note = fmt::format("{} of active members {} already expired (tb-member check list --expired).",
                                 plural(w.checks_expired, "check", "checks"), w.checks_expired == 1 ? "has" : "have");
        out.push_back(std::move(s));
    }
    return out;
}

namespace {

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
    out.push_back({"Requests made", std::to_string(now.requests_made),
                   c(double(now.requests_made), double(before.requests_made), std::to_string(before.requests_made))});
    out.push_back({"Requests met", std::to_string(now.requests_met),
                   c(double(now.requests_met), double(before.requests_met), std::to_string(before.requests_met))});
    out.push_back({"Requests withdrawn", std::to_string(now.requests_withdrawn),
                   c(double(now.requests_withdrawn), double(before.requests_withdrawn),
                     std::to_string(before.requests_withdrawn))});
    {
        auto shown = [](std::optional<double> v) { return v ? fmt::format("{:g}", *v) : std::string("-"); };
        auto m = now.median_days_to_match, mb = before.median_days_to_match;
        std::string cmp_text;
        if (cmp) cmp_text = m && mb ? change_text(*m, *mb, shown(mb)) : "previous " + shown(mb);
        out.push_back({"Median days to a match", shown(m), cmp_text});
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
    for (auto& s : weekly_lists(w)) {
        out << '\n' << s.heading << "\n\n";
        if (s.total == 0) {
            out << "  " << s.empty << '\n';
        } else {
            out << indent(table_text(s.rows), "  ");
            if (auto more = more_text(s.total); !more.empty()) out << "  " << more << '\n';
        }
        if (!s.note.empty()) out << "  " << s.note << '\n';
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
    for (auto& s : weekly_lists(w)) {
        out << "\n## " << s.heading << "\n\n";
        if (s.total == 0) {
            out << s.empty << '\n';
        } else {
            out << md_table(s.rows);
            if (auto more = more_text(s.total); !more.empty()) out << '\n' << more << '\n';
        }
        if (!s.note.empty()) out << '\n' << s.note << '\n';
    }
    out << "\n_Made by tb-report on " << to_string(w.today) << "._\n";
    out << "\nChain heads (check with `tb check --expect-head FILE`):\n\n";
    for (auto& h : w.heads) out << "    " << store::format_head(h) << '\n';
}

namespace {

std::string jstr(const std::string& s) { return io::json_string(s); }
std::string jdate(std::optional<Date> d) { return d ? jstr(to_string(*d)) : "null"; }
std::string jtime(const char* name, Minutes m) {
    return fmt::format("\"{}\":{},\"{}\":{}", name, json_hours(m),
                       std::string(name) == "hours" ? "minutes" : std::string(name) + "_minutes", m);
}

std::string figures_json(const Figures& f) {
    std::string split;
    for (auto k : kPairKinds) {
        auto i = static_cast<std::size_t>(k);
        if (!split.empty()) split += ",";
        split += fmt::format("{{\"kind\":{},\"exchanges\":{},{}}}", jstr(pair_kind_key(k)), f.split_exchanges[i],
                             jtime("hours", f.split_minutes[i]));
    }
    auto median = f.median_days_to_match ? io::cell_json(io::Cell{*f.median_days_to_match}) : std::string("null");
    return fmt::format("{{\"exchanges\":{},{},\"members\":{},\"new_members\":{},\"split\":[{}],"
                       "\"requests\":{{\"made\":{},\"met\":{},\"withdrawn\":{},\"median_days_to_match\":{}}}}}",
                       f.exchanges, jtime("hours", f.minutes), f.members, f.new_members, split, f.requests_made,
                       f.requests_met, f.requests_withdrawn, median);
}

template <typename T, typename F>
std::string json_array(const std::vector<T>& v, F item) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ",\n    " : "\n    ") + item(v[i]);
    return out + (v.empty() ? "]" : "\n  ]");
}

std::string limit_json(const LimitRow& r) {
    return fmt::format("{{\"member\":{},\"name\":{},{},{},\"side\":{}}}", jstr(r.member), jstr(r.name),
                       jtime("balance", r.balance), jtime("limit", r.limit), jstr(r.below ? "below" : "above"));
}

std::string opt_pct(std::optional<double> p) { return p ? io::cell_json(io::Cell{*p}) : "null"; }

}  // namespace

void weekly_json(const Weekly& w, std::ostream& out) {
    auto& now = w.figures.now;
    auto& before = w.figures.before;
    out << "{\n";
    out << "  \"report\": \"weekly\",\n";
    out << "  \"bank\": " << jstr(w.bank) << ",\n";
    out << "  \"today\": " << jstr(to_string(w.today)) << ",\n";
    out << "  \"from\": " << jstr(to_string(w.period.from)) << ",\n";
    out << "  \"to\": " << jstr(to_string(w.period.to)) << ",\n";
    out << "  \"label\": " << jstr(w.period_label) << ",\n";
    out << "  \"summary\": " << figures_json(now) << ",\n";
    if (w.pot.any())
        out << fmt::format("  \"pot\": {{{},{},{}}},\n", jtime("donated", w.pot.donated),
                           jtime("granted", w.pot.granted), jtime("balance", w.pot.balance));
    if (w.previous) {
        out << "  \"previous\": {\"from\":" << jstr(to_string(w.previous->from))
            << ",\"to\":" << jstr(to_string(w.previous->to)) << ",\"summary\":" << figures_json(before) << "},\n";
        out << fmt::format("  \"change_pct\": {{\"exchanges\":{},\"hours\":{},\"members\":{},\"new_members\":{}}},\n",
                           opt_pct(change_pct(double(now.exchanges), double(before.exchanges))),
                           opt_pct(change_pct(double(now.minutes), double(before.minutes))),
                           opt_pct(change_pct(double(now.members), double(before.members))),
                           opt_pct(change_pct(double(now.new_members), double(before.new_members))));
    } else {
        out << "  \"previous\": null,\n  \"change_pct\": null,\n";
    }
    out << "  \"weeks\": " << json_array(w.weeks, [](const WeekBar& b) {
        return fmt::format("{{\"week\":{},\"from\":{},\"to\":{},\"exchanges\":{},{}}}", jstr(b.label),
                           jstr(to_string(b.week.from)), jstr(to_string(b.week.to)), b.exchanges,
                           jtime("hours", b.minutes));
    }) << ",\n";
    out << "  \"categories\": " << json_array(w.categories, [](const CategoryFigure& c) {
        return fmt::format("{{\"category\":{},\"exchanges\":{},{}}}", jstr(c.category), c.exchanges,
                           jtime("hours", c.minutes));
    }) << ",\n";
    out << "  \"beyond_limits\": " << json_array(w.beyond_limits, limit_json) << ",\n";
    out << "  \"warn_below\": "
        << (w.warn_below ? fmt::format("{{{}}}", jtime("hours", *w.warn_below)) : std::string("null")) << ",\n";
    out << "  \"under_warning\": " << json_array(w.under_warning, [](const LimitRow& r) {
        return fmt::format("{{\"member\":{},\"name\":{},{},\"beyond_limit\":{}}}", jstr(r.member), jstr(r.name),
                           jtime("balance", r.balance),
                           r.beyond ? fmt::format("{{{}}}", jtime("hours", *r.beyond)) : std::string("null"));
    }) << ",\n";
    out << "  \"inactive_days\": " << w.inactive_days << ",\n";
    out << "  \"inactive\": " << json_array(w.inactive, [](const InactiveRow& r) {
        return fmt::format("{{\"member\":{},\"name\":{},\"last_exchange\":{},\"joined\":{},\"days\":{}}}",
                           jstr(r.member), jstr(r.name), jdate(r.last_exchange), jstr(to_string(r.joined)), r.days);
    }) << ",\n";
    out << "  \"new_members\": " << json_array(w.new_members, [](const NewMemberRow& r) {
        return fmt::format("{{\"member\":{},\"name\":{},\"kind\":{},\"joined\":{},\"first_exchange\":{}}}",
                           jstr(r.member), jstr(r.name), jstr(to_string(r.kind)), jstr(to_string(r.joined)),
                           jdate(r.first_exchange));
    }) << ",\n";
    out << "  \"new_members_without_first_exchange\": " << w.new_without_first_exchange << ",\n";
    out << "  \"open_request_count\": " << w.open_request_count << ",\n";
    out << "  \"open_requests\": " << json_array(w.open_requests, [](const RequestRow& r) {
        auto& q = r.request;
        return fmt::format("{{\"number\":{},\"member\":{},\"name\":{},\"category\":{},\"text\":{},\"hours\":{},"
                           "\"minutes\":{},\"needed_by\":{},\"created_at\":{}}}",
                           q.number, jstr(q.member), jstr(r.name), jstr(q.category), jstr(q.text),
                           q.minutes ? json_hours(*q.minutes) : "null",
                           q.minutes ? std::to_string(*q.minutes) : "null", jdate(q.needed_by), jstr(q.created_at));
    }) << ",\n";
    out << "  \"follow_up_days\": " << w.follow_up_days << ",\n";
    out << "  \"pending_proposals\": " << json_array(w.stale_proposals, [](const ProposalRow& r) {
        return fmt::format("{{\"request\":{},\"requester\":{},\"requester_name\":{},\"category\":{},"
                           "\"member\":{},\"name\":{},\"proposed\":{},\"days\":{}}}",
                           r.request, jstr(r.requester), jstr(r.requester_name), jstr(r.category), jstr(r.member),
                           jstr(r.name), jstr(to_string(r.proposed)), r.days);
    }) << ",\n";
    out << "  \"past_needed_by\": " << json_array(w.past_needed_by, [](const RequestRow& r) {
        auto& q = r.request;
        return fmt::format("{{\"number\":{},\"member\":{},\"name\":{},\"category\":{},\"text\":{},"
                           "\"needed_by\":{},\"days_late\":{}}}",
                           q.number, jstr(q.member), jstr(r.name), jstr(q.category), jstr(q.text), jdate(q.needed_by),
                           r.days_late);
    }) << ",\n";
    out << "  \"checks_expiring\": " << json_array(w.checks_expiring, [](const CheckRow& r) {
        return fmt::format("{{\"member\":{},\"name\":{},\"check\":{},\"expires\":{},\"days_left\":{}}}",
                           jstr(r.member), jstr(r.name), jstr(r.check), jstr(to_string(r.expires)), r.days_left);
    }) << ",\n";
    out << "  \"checks_expired\": " << w.checks_expired << ",\n";
    out << "  \"chain_heads\": " << json_array(w.heads, [](const store::ChainHead& h) {
        return fmt::format("{{\"chain\":{},\"number\":{},\"hash\":{}}}", jstr(h.chain), h.number, jstr(h.hash));
    }) << "\n";
    out << "}\n";
}

}  // namespace tb::report
