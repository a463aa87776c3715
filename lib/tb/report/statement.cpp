#include "tb/report/statement.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <tuple>

#include "tb/report/html.hpp"
#include "tb/report/tables.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"

namespace tb::report {

Statement statement(store::Store& s, const std::string& id, std::optional<Date> since, std::optional<Date> until) {
    Statement st;
    st.member = id;
    st.name = store::member_name(s, id).value_or("");
    st.since = since;
    st.until = until;
    std::map<std::string, std::string> names;
    auto name = [&](const std::string& who) -> std::string {
        if (who.empty()) return {};
        auto it = names.find(who);
        if (it == names.end()) it = names.emplace(who, store::member_name(s, who).value_or("")).first;
        return it->second;
    };
    struct Line {
        Date date;
        int order;  // openings before exchanges on the same day
        std::int64_t number;
        std::string type, provider, recipient, category, note;
        Minutes change;
        std::optional<std::int64_t> amends, amended_by, reverses;
    };
    std::vector<Line> lines;
    for (auto& op : store::openings_of(s, id))
        lines.push_back({op.date, 0, op.number, "opening", "", "", "", op.note, op.minutes, {}, {}, {}});
    store::ExchangeFilter f;
    f.member = id;
    f.voids = store::ExchangeFilter::Voids::all;
    store::for_each_exchange(s, f, [&](const Exchange& e) {
        bool earns = e.provider == id;
        std::string type = e.reverses ? fmt::format("void of {}", *e.reverses) : (earns ? "gave" : "received");
        // Donations to the pot and grants from it, as a member sees them.
        if (!e.reverses && id != kPotId && (e.provider == kPotId || e.recipient == kPotId))
            type = earns ? "granted" : "donated";
        lines.push_back({e.date, 1, e.number, type, e.provider, e.recipient, e.category, e.note,
                         earns ? e.minutes : -e.minutes, e.amends, e.amended_by, e.reverses});
    });
    std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
        return std::tie(a.date, a.order, a.number) < std::tie(b.date, b.order, b.number);
    });
    Minutes running = 0;
    auto brought_forward = [&](Date day) {
        StatementLine l;
        l.date = day;
        l.type = "brought forward";
        l.balance = running;
        st.lines.push_back(std::move(l));
    };
    bool carried = false, started = false;
    for (auto& l : lines) {
        if (until && l.date > *until) break;
        if (since && l.date < *since) {
            running += l.change;
            continue;
        }
        if (!started) {
            st.opening_balance = running;
            started = true;
        }
        if (since && !carried) {
            brought_forward(*since - 1);
            carried = true;
        }
        running += l.change;
        st.lines.push_back({l.date, l.number, l.type, l.provider, name(l.provider), l.recipient, name(l.recipient),
                            l.category, l.note, l.change, running, l.amends, l.amended_by, l.reverses});
    }
    if (!started) st.opening_balance = running;
    if (since && !carried) brought_forward(*since - 1);
    st.closing_balance = running;
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

std::string period_text(const Statement& st, Date today) {
    if (st.since && st.until) return describe_period({*st.since, *st.until});
    if (st.since) return "from " + to_string(*st.since) + " to " + to_string(today);
    return "up to " + to_string(st.until.value_or(today));
}

}  // namespace

void statement_html(const Statement& st, const std::string& bank, Date today, std::ostream& out) {
    auto who = st.name.empty() ? st.member : st.name;
    html_page_begin(out, bank + ": statement for " + who + ", " + period_text(st, today), kStatementCss);
    out << "<div class=\"card\">\n<h1>" << html_escape(bank) << "</h1>\n<p class=\"sub\">Statement for <b>"
        << html_escape(who) << "</b> (member " << html_escape(st.member) << ") &middot; "
        << html_escape(period_text(st, today)) << "</p>\n</div>\n";
    out << "<div class=\"card\">\n<table class=\"kpi\"><tr>\n"
        << "<td><div class=\"kl\">Opening balance</div><div class=\"kv\">" << hours_text(st.opening_balance)
        << "</div><div class=\"muted\">hours</div></td>\n"
        << "<td><div class=\"kl\">Closing balance</div><div class=\"kv\">" << hours_text(st.closing_balance)
        << "</div><div class=\"muted\">hours</div></td>\n</tr></table>\n</div>\n";
    out << "<div class=\"card\">\n<h2>Exchanges</h2>\n";
    std::size_t shown = 0;
    for (auto& l : st.lines)
        if (l.number) ++shown;
    if (shown == 0) {
        out << "<p class=\"muted\">No exchanges in this period.</p>\n";
    } else {
        out << "<table class=\"st\">\n<thead><tr><th class=\"d\">Date</th><th class=\"no n\">No.</th><th>What</th>"
               "<th>From</th><th>To</th><th>Category</th><th class=\"h n\">Hours</th>"
               "<th class=\"b n\">Balance</th></tr></thead>\n<tbody>\n";
        for (auto& l : st.lines) {
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
        out << "</tbody>\n</table>\n";
    }
    out << "</div>\n";
    html_page_end(out, "Made by tb-exchange on " + to_string(today) + ".");
}

}  // namespace tb::report
