#include "tb/report/weekly.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <sstream>

#include "tb/io/output.hpp"
#include "tb/report/tables.hpp"
#include "tb/store/members.hpp"
#include "tb/util/text.hpp"

namespace tb::report {

namespace {

// Balances beyond the limits or under the warning level, inactive members,
// new members and their first exchanges.
void add_member_figures(Weekly& w, store::Store& s, const Directory& dir, Period p, const Config& c, Date today) {
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
}

// Open requests, proposals to follow up, requests past their date, checks.
void add_request_figures(Weekly& w, store::Store& s, const Directory& dir, const Config& c, Date today) {
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
}

}  // namespace

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

    add_member_figures(w, s, dir, p, c, today);
    add_request_figures(w, s, dir, c, today);
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

namespace {

// One list of the report: its title, the first kWeeklyListLimit items as
// rows, the sentence shown when it is empty.
template <class T, class Row>
WeeklyList list_of(std::string title, const std::vector<T>& items, std::string empty,
                   std::vector<std::string> columns, Row row) {
    WeeklyList s{std::move(title), {}, items.size(), std::move(empty), ""};
    s.rows.columns = std::move(columns);
    for (std::size_t i = 0; i < std::min(items.size(), kWeeklyListLimit); ++i) s.rows.add(row(items[i]));
    return s;
}

void add_balance_lists(const Weekly& w, std::vector<WeeklyList>& out) {
    out.push_back(list_of(fmt::format("Balances beyond limits ({})", w.beyond_limits.size()), w.beyond_limits,
                          "No balance is beyond its limits.", {"member", "name", "balance", "limit"},
                          [](const LimitRow& r) -> std::vector<io::Cell> {
                              return {r.member, r.name, io::Hours{r.balance}, limit_text(r)};
                          }));
    if (w.warn_below) {
        auto level = format_hours(*w.warn_below);
        out.push_back(list_of(
            fmt::format("Balances under the warning level of {} ({})", level, w.under_warning.size()),
            w.under_warning, fmt::format("No balance is under the warning level of {}.", level),
            {"member", "name", "balance", "limit"}, [](const LimitRow& r) -> std::vector<io::Cell> {
                return {r.member, r.name, io::Hours{r.balance},
                        r.beyond ? fmt::format("below the limit of {}", format_hours(*r.beyond)) : std::string()};
            }));
    }
}

void add_member_lists(const Weekly& w, std::vector<WeeklyList>& out) {
    out.push_back(list_of(
        fmt::format("Members inactive for {} days or more ({})", w.inactive_days, w.inactive.size()), w.inactive,
        fmt::format("No active member has gone {} days or more without an exchange.", w.inactive_days),
        {"member", "name", "last exchange", "days"}, [](const InactiveRow& r) -> std::vector<io::Cell> {
            return {r.member, r.name,
                    r.last_exchange ? to_string(*r.last_exchange) : fmt::format("never (joined {})", r.joined),
                    std::int64_t{r.days}};
        }));
    auto joined = list_of(fmt::format("New members ({})", w.new_members.size()), w.new_members,
                          "No new members joined in this period.", {"member", "name", "kind", "joined", "first exchange"},
                          [](const NewMemberRow& r) -> std::vector<io::Cell> {
                              return {r.member, r.name, to_string(r.kind), to_string(r.joined),
                                      r.first_exchange ? to_string(*r.first_exchange) : std::string("none yet")};
                          });
    if (!w.new_members.empty()) {
        auto n = w.new_without_first_exchange;
        joined.note = n == 0 ? std::string(w.new_members.size() == 1 ? "They have made a first exchange."
                                                                      : "All of them have made a first exchange.")
                             : fmt::format("{} of them {} yet to make a first exchange.", n, n == 1 ? "has" : "have");
    }
    out.push_back(std::move(joined));
}

void add_request_lists(const Weekly& w, std::vector<WeeklyList>& out) {
    out.push_back(list_of(
        fmt::format("Open requests with no match ({})", w.open_requests.size()), w.open_requests,
        w.open_request_count == 0
            ? std::string("No request is open.")
            : fmt::format("Every open request ({}) has a proposal pending or accepted.", w.open_request_count),
        {"request", "member", "name", "category", "hours", "needed by", "text"},
        [](const RequestRow& r) -> std::vector<io::Cell> {
            return {r.request.number, r.request.member, r.name, category_label(r.request.category),
                    request_hours(r.request), r.request.needed_by ? to_string(*r.request.needed_by) : "",
                    r.request.text};
        }));
    out.push_back(list_of(
        fmt::format("Proposals pending for more than {} days ({})", w.follow_up_days, w.stale_proposals.size()),
        w.stale_proposals, fmt::format("No proposal has been pending for more than {} days.", w.follow_up_days),
        {"request", "requester", "name", "category", "proposed to", "name", "proposed", "days"},
        [](const ProposalRow& r) -> std::vector<io::Cell> {
            return {r.request, r.requester, r.requester_name, category_label(r.category), r.member, r.name,
                    to_string(r.proposed), std::int64_t{r.days}};
        }));
    out.push_back(list_of(
        fmt::format("Open requests past their needed-by date ({})", w.past_needed_by.size()), w.past_needed_by,
        "No open request is past its needed-by date.",
        {"request", "member", "name", "category", "needed by", "days late", "text"},
        [](const RequestRow& r) -> std::vector<io::Cell> {
            return {r.request.number, r.request.member, r.name, category_label(r.request.category),
                    to_string(*r.request.needed_by), std::int64_t{r.days_late}, r.request.text};
        }));
}

void add_check_list(const Weekly& w, std::vector<WeeklyList>& out) {
    auto s = list_of(
        fmt::format("Safeguarding checks expiring within {} days ({})", kCheckWarningDays, w.checks_expiring.size()),
        w.checks_expiring,
        fmt::format("No safeguarding check of an active member expires within {} days.", kCheckWarningDays),
        {"member", "name", "check", "expires", "days left"}, [](const CheckRow& r) -> std::vector<io::Cell> {
            return {r.member, r.name, r.check, to_string(r.expires), std::int64_t{r.days_left}};
        });
    if (w.checks_expired > 0)
        s.note = fmt::format("{} of active members {} already expired (tb-member check list --expired).",
                             plural(w.checks_expired, "check", "checks"), w.checks_expired == 1 ? "has" : "have");
    out.push_back(std::move(s));
}

}  // namespace

std::vector<WeeklyList> weekly_lists(const Weekly& w) {
    std::vector<WeeklyList> out;
    add_balance_lists(w, out);
    add_member_lists(w, out);
    add_request_lists(w, out);
    add_check_list(w, out);
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
    auto cell = [&out](const std::string& text) {
        out += ' ';
        out += md_cell(text);
        out += " |";
    };
    for (auto& c : t.columns) cell(c);
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
            cell(i < r.size() ? io::cell_text(r[i]) : "");
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
    out["requests"] = Json{{"made", f.requests_made},
                           {"met", f.requests_met},
                           {"withdrawn", f.requests_withdrawn},
                           {"median_days_to_match", f.median_days_to_match
                                                        ? io::number_json(*f.median_days_to_match)
                                                        : Json(nullptr)}};
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

// The period, the summary, the pot and the change on the previous period.
static Json weekly_json_head(const Weekly& w) {
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
    return doc;
}

// The bars, the categories and the lists about members.
static void weekly_json_members(const Weekly& w, Json& doc) {
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
    doc["under_warning"] = json_array(w.under_warning, [](const LimitRow& r) {
        Json o{{"member", r.member}, {"name", r.name}};
        jtime(o, "balance", r.balance);
        if (r.beyond) {
            Json b = Json::object();
            jtime(b, "hours", *r.beyond);
            o["beyond_limit"] = std::move(b);
        } else {
            o["beyond_limit"] = nullptr;
        }
        return o;
    });
    doc["inactive_days"] = w.inactive_days;
    doc["inactive"] = json_array(w.inactive, [](const InactiveRow& r) {
        return Json{{"member", r.member}, {"name", r.name}, {"last_exchange", jdate(r.last_exchange)},
                    {"joined", to_string(r.joined)}, {"days", r.days}};
    });
    doc["new_members"] = json_array(w.new_members, [](const NewMemberRow& r) {
        return Json{{"member", r.member},
                    {"name", r.name},
                    {"kind", to_string(r.kind)},
                    {"joined", to_string(r.joined)},
                    {"first_exchange", jdate(r.first_exchange)}};
    });
    doc["new_members_without_first_exchange"] = w.new_without_first_exchange;
}

// The lists about requests and checks, and the chain heads.
static void weekly_json_requests(const Weekly& w, Json& doc) {
    doc["open_request_count"] = w.open_request_count;
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
    doc["follow_up_days"] = w.follow_up_days;
    doc["pending_proposals"] = json_array(w.stale_proposals, [](const ProposalRow& r) {
        return Json{{"request", r.request}, {"requester", r.requester}, {"requester_name", r.requester_name},
                    {"category", r.category}, {"member", r.member},      {"name", r.name},
                    {"proposed", to_string(r.proposed)}, {"days", r.days}};
    });
    doc["past_needed_by"] = json_array(w.past_needed_by, [](const RequestRow& r) {
        auto& q = r.request;
        return Json{{"number", q.number},   {"member", q.member},           {"name", r.name},
                    {"category", q.category}, {"text", q.text}, {"needed_by", jdate(q.needed_by)},
                    {"days_late", r.days_late}};
    });
    doc["checks_expiring"] = json_array(w.checks_expiring, [](const CheckRow& r) {
        return Json{{"member", r.member}, {"name", r.name}, {"check", r.check},
                    {"expires", to_string(r.expires)}, {"days_left", r.days_left}};
    });
    doc["checks_expired"] = w.checks_expired;
    doc["chain_heads"] = json_array(w.heads, [](const store::ChainHead& h) {
        return Json{{"chain", h.chain}, {"number", h.number}, {"hash", h.hash}};
    });
}

void weekly_json(const Weekly& w, std::ostream& out) {
    Json doc = weekly_json_head(w);
    weekly_json_members(w, doc);
    weekly_json_requests(w, doc);
    io::write_json(out, doc);
}

}  // namespace tb::report
