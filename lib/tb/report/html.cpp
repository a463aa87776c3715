// The weekly report as one standalone HTML file: inline CSS, inline SVG
// charts, no scripts, no external assets, so that it reads the same in a
// browser, attached to an email, or pasted into one. Every text that came
// from a member or a coordinator is escaped.
#include <algorithm>
#include <fmt/format.h>

#include "tb/io/output.hpp"
#include "tb/report/html.hpp"
#include "tb/report/tables.hpp"
#include "tb/report/weekly.hpp"

namespace tb::report {

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string truncate_utf8(std::string_view s, std::size_t max_chars) {
    std::size_t chars = 0, i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : 4;
        if (chars == max_chars) return std::string(s.substr(0, i)) + "…";
        i += len;
        ++chars;
    }
    return std::string(s);
}

namespace {

constexpr const char* kStyle = R"CSS(
body{margin:0;padding:0;background:#f3f4f6;color:#1f2933;font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.45}
.wrap{max-width:720px;margin:0 auto;padding:24px 12px}
.card{background:#ffffff;border:1px solid #e1e4e8;border-radius:6px;padding:16px 20px;margin:0 0 16px}
h1{font-size:22px;margin:0 0 4px;color:#102a43}
h2{font-size:17px;margin:0 0 10px;color:#102a43}
p{margin:0 0 8px}
.sub{color:#52606d;margin:0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e9ecef;vertical-align:top}
td.w{overflow-wrap:anywhere}
th{font-size:13px;color:#52606d;font-weight:600}
td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
table.kpi td{border:none;padding:4px 8px 8px 0;width:25%;vertical-align:top}
.kv{font-size:26px;font-weight:700;color:#102a43}
.kl{font-size:12px;color:#52606d;text-transform:uppercase;letter-spacing:.03em}
.up{color:#137333}
.down{color:#b3261e}
.muted{color:#7b8794}
svg{max-width:100%;height:auto}
.foot{color:#7b8794;font-size:12px;text-align:center;margin-top:8px}
.heads code{font-size:10px;overflow-wrap:anywhere}
)CSS";

bool numeric(const io::Cell& c) {
    return std::holds_alternative<std::int64_t>(c) || std::holds_alternative<io::Hours>(c) ||
           std::holds_alternative<double>(c);
}

// A word too long for a column of an A4 page (a pasted address, a run of
// letters): its cell may break it anywhere. Only such cells, so that the
// other columns keep their words whole.
bool has_long_word(std::string_view text) {
    std::size_t run = 0;
    for (char ch : text) {
        if ((static_cast<unsigned char>(ch) & 0xC0) == 0x80) continue;  // inside a UTF-8 character
        run = ch == ' ' || ch == '\n' || ch == '-' || ch == '/' ? 0 : run + 1;
        if (run > 24) return true;
    }
    return false;
}

std::string table_html(const io::Table& t) {
    std::string out = "<table>\n<tr>";
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        bool n = !t.rows.empty() && i < t.rows[0].size() && numeric(t.rows[0][i]);
        out += fmt::format("<th{}>{}</th>", n ? " class=\"n\"" : "", html_escape(t.columns[i]));
    }
    out += "</tr>\n";
    for (auto& r : t.rows) {
        out += "<tr>";
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
            io::Cell c = i < r.size() ? r[i] : io::Cell{};
            auto text = io::cell_text(c);
            const char* cls = numeric(c) ? " class=\"n\"" : has_long_word(text) ? " class=\"w\"" : "";
            out += fmt::format("<td{}>{}</td>", cls, html_escape(text));
        }
        out += "</tr>\n";
    }
    return out + "</table>\n";
}

std::string change_html(double now, double before, bool have_previous, const std::string& shown_before) {
    if (!have_previous) return "";
    auto pct = change_pct(now, before);
    if (!pct) return fmt::format("<div class=\"muted\">previous {}</div>", html_escape(shown_before));
    const char* cls = *pct > 0 ? "up" : *pct < 0 ? "down" : "muted";
    const char* arrow = *pct > 0 ? "▲" : *pct < 0 ? "▼" : "•";
    return fmt::format("<div class=\"{}\">{} {:+.1f}%</div><div class=\"muted\">previous {}</div>", cls, arrow, *pct,
                       html_escape(shown_before));
}

// A column's label must fit its column: whole hours once they are many.
std::string bar_label(Minutes m) {
    if (m >= 100 * 60) return fmt::format("{}", (m + 30) / 60);
    return format_hours(m);
}

// Hours per week: twelve columns, the period's week in the darker colour.
std::string weeks_svg(const Weekly& w) {
    const int width = 660, height = 230, left = 10, top = 24, bottom = 40;
    const int plot_h = height - top - bottom;
    Minutes max = 0;
    for (auto& b : w.weeks) max = std::max(max, b.minutes);
    int n = static_cast<int>(w.weeks.size());
    double slot = double(width - 2 * left) / std::max(1, n);
    double bar_w = slot * 0.68;
    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
        "aria-labelledby=\"weeks-title\" font-family=\"Helvetica, Arial, sans-serif\">\n"
        "<title id=\"weeks-title\">Hours exchanged per week, the last 12 weeks</title>\n"
        "<line x1=\"{2}\" y1=\"{3}\" x2=\"{4}\" y2=\"{3}\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>\n",
        width, height, left, top + plot_h, width - left);
    for (int i = 0; i < n; ++i) {
        auto& b = w.weeks[static_cast<std::size_t>(i)];
        double h = max > 0 ? double(b.minutes) / double(max) * plot_h : 0;
        double x = left + slot * i + (slot - bar_w) / 2;
        double y = top + plot_h - h;
        bool current = i == n - 1;
        out += fmt::format(
            "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\" rx=\"2\">"
            "<title>{}: {} hours, {} exchanges</title></rect>\n",
            x, y, bar_w, h, current ? "#1f6feb" : "#9cc3f5", html_escape(b.label), format_hours(b.minutes),
            b.exchanges);
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#334e68\">{}</text>\n",
                           x + bar_w / 2, y - 5, bar_label(b.minutes));
        auto week = b.label.size() > 5 ? b.label.substr(5) : b.label;  // W47
        out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#52606d\">{}</text>\n",
                           x + bar_w / 2, top + plot_h + 16, html_escape(week));
        out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#7b8794\">{}</text>\n",
                           x + bar_w / 2, top + plot_h + 30, to_string(b.week.from).substr(5));
    }
    return out + "</svg>\n";
}

// Hours by category: horizontal bars, the ten largest and the rest together.
std::string categories_svg(const Weekly& w) {
    std::vector<std::pair<std::string, Minutes>> rows;
    Minutes rest = 0;
    std::size_t rest_n = 0;
    for (std::size_t i = 0; i < w.categories.size(); ++i) {
        if (i < 10) rows.push_back({category_label(w.categories[i].category), w.categories[i].minutes});
        else {
            rest += w.categories[i].minutes;
            ++rest_n;
        }
    }
    if (rest_n) rows.push_back({fmt::format("{} other categories", rest_n), rest});
    const int width = 660, row_h = 26, label_w = 230, value_w = 60;
    int height = static_cast<int>(rows.size()) * row_h + 8;
    Minutes max = 0;
    for (auto& r : rows) max = std::max(max, r.second);
    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
        "aria-labelledby=\"cat-title\" font-family=\"Helvetica, Arial, sans-serif\">\n"
        "<title id=\"cat-title\">Hours exchanged by category</title>\n",
        width, height);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        int y = static_cast<int>(i) * row_h + 4;
        double bw = max > 0 ? double(rows[i].second) / double(max) * (width - label_w - value_w - 10) : 0;
        out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\" fill=\"#334e68\">{}</text>\n",
                           label_w - 8, y + 16, html_escape(truncate_utf8(rows[i].first, 32)));
        out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"#2f9e8f\" rx=\"2\">"
                           "<title>{}: {} hours</title></rect>\n",
                           label_w, y + 3, std::max(bw, 1.0), row_h - 8, html_escape(rows[i].first),
                           format_hours(rows[i].second));
        out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"12\" fill=\"#334e68\">{}</text>\n",
                           label_w + std::max(bw, 1.0) + 6, y + 16, format_hours(rows[i].second));
    }
    return out + "</svg>\n";
}

void list_card(std::ostream& out, const std::string& heading, std::size_t total, const std::string& empty,
               const io::Table& rows, const std::string& note) {
    out << "<div class=\"card\">\n<h2>" << html_escape(heading) << "</h2>\n";
    if (total == 0) out << "<p class=\"muted\">" << html_escape(empty) << "</p>\n";
    else {
        out << table_html(rows);
        if (total > kWeeklyListLimit)
            out << "<p class=\"muted\">… and " << (total - kWeeklyListLimit) << " more</p>\n";
    }
    if (!note.empty()) out << "<p>" << html_escape(note) << "</p>\n";
    out << "</div>\n";
}

}  // namespace

void html_page_begin(std::ostream& out, const std::string& title, std::string_view extra_css) {
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<title>" << html_escape(title) << "</title>\n"
        << "<style>" << kStyle << extra_css << "</style>\n</head>\n<body>\n<div class=\"wrap\">\n";
}

void html_page_end(std::ostream& out, const std::string& footer) {
    out << "<p class=\"foot\">" << html_escape(footer) << "</p>\n</div>\n</body>\n</html>\n";
}

std::string html_table(const io::Table& t) { return table_html(t); }

std::string html_change(double now, double before, bool have_previous, const std::string& shown_before) {
    return change_html(now, before, have_previous, shown_before);
}

void weekly_html(const Weekly& w, std::ostream& out) {
    auto& now = w.figures.now;
    auto& before = w.figures.before;
    bool cmp = w.previous.has_value();
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<title>" << html_escape(w.bank) << ": weekly report, " << html_escape(w.period_label) << "</title>\n"
        << "<style>" << kStyle << "</style>\n</head>\n<body>\n<div class=\"wrap\">\n";

    out << "<div class=\"card\">\n<h1>" << html_escape(w.bank) << ": weekly report</h1>\n<p class=\"sub\">"
        << html_escape(w.period_label);
    if (cmp) out << " · compared with " << html_escape(describe_period(*w.previous));
    out << "</p>\n</div>\n";

    out << "<div class=\"card\">\n<h2>Summary</h2>\n<table class=\"kpi\"><tr>\n";
    struct Kpi {
        const char* label;
        std::string value;
        double a, b;
        std::string shown_before;
    };
    Kpi kpis[] = {
        {"Exchanges", std::to_string(now.exchanges), double(now.exchanges), double(before.exchanges),
         std::to_string(before.exchanges)},
        {"Hours", format_hours(now.minutes), double(now.minutes), double(before.minutes), format_hours(before.minutes)},
        {"Members who took part", std::to_string(now.members), double(now.members), double(before.members),
         std::to_string(before.members)},
        {"New members", std::to_string(now.new_members), double(now.new_members), double(before.new_members),
         std::to_string(before.new_members)},
    };
    for (auto& k : kpis)
        out << "<td><div class=\"kl\">" << k.label << "</div><div class=\"kv\">" << k.value << "</div>"
            << change_html(k.a, k.b, cmp, k.shown_before) << "</td>\n";
    out << "</tr></table>\n";
    io::Table split;
    split.columns = {"who with whom", "exchanges", "hours", "share of hours"};
    for (auto k : kPairKinds) {
        auto i = static_cast<std::size_t>(k);
        double share = now.minutes ? double(now.split_minutes[i]) * 100.0 / double(now.minutes) : 0.0;
        split.add({pair_kind_label(k), now.split_exchanges[i], io::Hours{now.split_minutes[i]},
                   fmt::format("{:.1f}%", share)});
    }
    out << table_html(split);
    io::Table req;
    req.columns = {"requests made", "met", "withdrawn", "median days to a match"};
    req.add({now.requests_made, now.requests_met, now.requests_withdrawn,
             now.median_days_to_match ? io::Cell{*now.median_days_to_match} : io::Cell{std::string("-")}});
    out << table_html(req) << "</div>\n";

    out << "<div class=\"card\">\n<h2>Hours per week, the last 12 weeks</h2>\n" << weeks_svg(w) << "</div>\n";

    out << "<div class=\"card\">\n<h2>Hours by category</h2>\n";
    if (w.categories.empty()) out << "<p class=\"muted\">No exchanges in this period.</p>\n";
    else {
        out << categories_svg(w);
        io::Table t;
        t.columns = {"category", "exchanges", "hours"};
        for (auto& c : w.categories) t.add({category_label(c.category), c.exchanges, io::Hours{c.minutes}});
        out << table_html(t);
    }
    out << "</div>\n";

    for (auto& l : weekly_lists(w)) list_card(out, l.heading, l.total, l.empty, l.rows, l.note);
    out << "<p class=\"foot\">Made by tb-report on " << to_string(w.today) << ".</p>\n";
    out << "<p class=\"foot heads\">Chain heads (check with: tb check --expect-head FILE):";
    for (auto& h : w.heads) out << "<br>\n<code>" << store::format_head(h) << "</code>";
    out << "</p>\n</div>\n</body>\n</html>\n";
}

}  // namespace tb::report
