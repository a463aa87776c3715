#include "tb/report/statement.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "tb/report/html.hpp"
#include "tb/report/tables.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"

namespace tb::report {

StatementHead statement_head(store::Store& s, const std::string& id, std::optional<Date> since,
                             std::optional<Date> until) {
    StatementHead h{id, store::member_name(s, id).value_or(""), since, until, 0};
    // What the lines before the period add up to (those after `until` never count).
    if (since) h.opening_balance = store::balance_as_of_kept(s, id, until ? std::min(*since - 1, *until) : *since - 1);
    return h;
}

Minutes for_each_statement_line(store::Store& s, const StatementHead& head,
                                const std::function<void(const StatementLine&)>& fn) {
    const auto& id = head.member;
    Minutes running = head.opening_balance;
    if (head.since) {
        StatementLine l;
        l.date = *head.since - 1;
        l.type = "brought forward";
        l.balance = running;
        fn(l);
    }
    // A member has a few opening balances: they are merged into the exchanges.
    std::vector<Opening> openings;
    for (auto& op : store::openings_of(s, id))
        if ((!head.since || op.date >= *head.since) && (!head.until || op.date <= *head.until))
            openings.push_back(std::move(op));
    std::size_t next_opening = 0;
    auto openings_through = [&](std::optional<Date> day) {
        for (; next_opening < openings.size() && (!day || openings[next_opening].date <= *day); ++next_opening) {
            auto& op = openings[next_opening];
            running += op.minutes;
            fn({op.date, op.number, "opening", "", "", "", "", "", op.note, op.minutes, running, {}, {}, {}});
        }
    };
    // One line filled in place for every exchange: its strings keep their
    // storage from line to line.
    StatementLine line;
    store::for_each_exchange_of_member(
        s, id, head.since, head.until, [&](const Exchange& e, std::string_view pname, std::string_view rname) {
            openings_through(e.date);
            bool earns = e.provider == id;
            if (e.reverses) line.type = fmt::format("void of {}", *e.reverses);
            // Donations to the pot and grants from it, as a member sees them.
            else if (id != kPotId && (e.provider == kPotId || e.recipient == kPotId))
                line.type = earns ? "granted" : "donated";
            else line.type = earns ? "gave" : "received";
            Minutes change = earns ? e.minutes : -e.minutes;
            running += change;
            line.date = e.date;
            line.number = e.number;
            line.provider = e.provider;
            line.provider_name = pname;
            line.recipient = e.recipient;
            line.recipient_name = rname;
            line.category = e.category;
            line.note = e.note;
            line.change = change;
            line.balance = running;
            line.amends = e.amends;
            line.amended_by = e.amended_by;
            line.reverses = e.reverses;
            fn(line);
        });
    openings_through(std::nullopt);
    return running;
}

Statement statement(store::Store& s, const std::string& id, std::optional<Date> since, std::optional<Date> until) {
    Statement st;
    st.head = statement_head(s, id, since, until);
    st.closing_balance =
        for_each_statement_line(s, st.head, [&](const StatementLine& l) { st.lines.push_back(l); });
    return st;
}

namespace {

// A4 is 210 mm wide: the page's content is kept within it on paper (print
// margins) and on screen (the weekly report's 720 px column).
constexpr const char* kStatementCss = R"CSS(
@page{size:A4;margin:14mm 12mm}
table.st{table-layout:fixed;font-size:13px}
table.st th,table.st td{padding:4px 5px;overflow-wrap:anywhere}
table.st thead{display:table-header-group}
table.st tr{break-inside:avoid}
.st .d{width:80px}.st .no{width:42px}.st .h{width:58px}.st .b{width:62px}
.small{font-size:12px;color:#52606d}
@media print{body{background:#fff;font-size:12px}.wrap{max-width:none;padding:0}.card{border:none;padding:0 0 8px;margin:0 0 10px}}
)CSS";

std::string hours_text(Minutes m) { return format_hours(m); }

std::string period_text(const StatementHead& st, Date today) {
    if (st.since && st.until) return describe_period({*st.since, *st.until});
    if (st.since) return "from " + to_string(*st.since) + " to " + to_string(today);
    return "up to " + to_string(st.until.value_or(today));
}

void html_line(const StatementLine& l, std::ostream& out) {
    out << "<tr><td>" << to_string(l.date) << "</td><td class=\"n\">"
        << (l.number ? std::to_string(*l.number) : std::string{}) << "</td><td>" << html_escape(l.type);
    if (l.amends) out << "<div class=\"small\">corrects no. " << *l.amends << "</div>";
    if (l.amended_by) out << "<div class=\"small\">corrected by no. " << *l.amended_by << "</div>";
    out << "</td><td>" << html_escape(l.provider_name.empty() ? l.provider : l.provider_name) << "</td><td>"
        << html_escape(l.recipient_name.empty() ? l.recipient : l.recipient_name) << "</td><td>"
        << html_escape(l.number && l.type != "opening" ? category_label(l.category) : std::string{})
        << "</td><td class=\"n\">" << (l.change ? hours_text(*l.change) : std::string{})
        << "</td><td class=\"n\">" << hours_text(l.balance) << "</td></tr>\n";
}

}  // namespace

void statement_html(store::Store& s, const StatementHead& st, const std::string& bank, Date today,
                    std::ostream& out) {
    // A first reading for what the page shows above the lines.
    std::size_t shown = 0;
    Minutes closing = for_each_statement_line(s, st, [&](const StatementLine& l) {
        if (l.number) ++shown;
    });
    auto who = st.name.empty() ? st.member : st.name;
    html_page_begin(out, bank + ": statement for " + who + ", " + period_text(st, today), kStatementCss);
    out << "<div class=\"card\">\n<h1>" << html_escape(bank) << "</h1>\n<p class=\"sub\">Statement for <b>"
        << html_escape(who) << "</b> (member " << html_escape(st.member) << ") &middot; "
        << html_escape(period_text(st, today)) << "</p>\n</div>\n";
    out << "<div class=\"card\">\n<table class=\"kpi\"><tr>\n"
        << "<td><div class=\"kl\">Opening balance</div><div class=\"kv\">" << hours_text(st.opening_balance)
        << "</div><div class=\"muted\">hours</div></td>\n"
        << "<td><div class=\"kl\">Closing balance</div><div class=\"kv\">" << hours_text(closing)
        << "</div><div class=\"muted\">hours</div></td>\n</tr></table>\n</div>\n";
    out << "<div class=\"card\">\n<h2>Exchanges</h2>\n";
    if (shown == 0) {
        out << "<p class=\"muted\">No exchanges in this period.</p>\n";
    } else {
        out << "<table class=\"st\">\n<thead><tr><th class=\"d\">Date</th><th class=\"no n\">No.</th><th>What</th>"
               "<th>From</th><th>To</th><th>Category</th><th class=\"h n\">Hours</th>"
               "<th class=\"b n\">Balance</th></tr></thead>\n<tbody>\n";
        for_each_statement_line(s, st, [&](const StatementLine& l) { html_line(l, out); });
        out << "</tbody>\n</table>\n";
    }
    out << "</div>\n";
    html_page_end(out, "Made by tb-exchange on " + to_string(today) + ".");
}

}  // namespace tb::report
