#include "tb/report/onboarding.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "tb/report/html.hpp"
#include "tb/report/weekly.hpp"

namespace tb::report {

std::optional<double> median(std::vector<int> v) {
    if (v.empty()) return std::nullopt;
    std::sort(v.begin(), v.end());
    auto n = v.size();
    if (n % 2 == 1) return double(v[n / 2]);
    return (double(v[n / 2 - 1]) + double(v[n / 2])) / 2.0;
}

Bucket default_onboarding_bucket(Period p) {
    if (p.length() <= 2 * 366) return Bucket::month;
    if (p.length() <= 8 * 366) return Bucket::quarter;
    return Bucket::year;
}

namespace {

OnboardingFigures figures_of(const std::vector<const OnboardingMember*>& members, Date today) {
    OnboardingFigures f;
    std::vector<int> days;
    for (auto* m : members) {
        ++f.joined;
        if (m->days && m->first_exchange && *m->first_exchange <= today) {
            ++f.traded;
            days.push_back(*m->days);
        }
        for (std::size_t k = 0; k < kOnboardingMarks.size(); ++k) {
            int mark = kOnboardingMarks[k];
            if (today - m->joined < mark) continue;
            ++f.eligible[k];
            if (!m->days || *m->days > mark) ++f.waiting[k];
        }
    }
    f.median_days = median(std::move(days));
    return f;
}

}  // namespace

Onboarding onboarding(store::Store& s, const Directory& dir, Period period, Date today, Bucket by, WeekStart ws) {
    Onboarding o;
    o.period = period;
    o.today = today;
    o.by = by;
    std::vector<std::string> ids;
    for (auto& m : dir.members())
        if (period.contains(m.joined)) ids.push_back(m.id);
    auto firsts = store::first_trade_dates(s, ids);
    for (auto& m : dir.members()) {
        if (!period.contains(m.joined)) continue;
        OnboardingMember row{m.id, m.name, m.kind, m.joined, std::nullopt, std::nullopt};
        if (auto it = firsts.find(m.id); it != firsts.end()) {
            row.first_exchange = it->second;
            row.days = std::max(0, it->second - m.joined);
        }
        o.members.push_back(std::move(row));
    }
    std::stable_sort(o.members.begin(), o.members.end(), [](auto& a, auto& b) { return a.joined < b.joined; });
    std::vector<const OnboardingMember*> all;
    for (auto& m : o.members) all.push_back(&m);
    o.all = figures_of(all, today);
    // Cohorts over the part of the period that has members, at most up to today.
    if (!o.members.empty()) {
        Date from = std::max(period.from, bucket_of(o.members.front().joined, by, ws).from);
        Date to = std::min(period.to, std::max(today, o.members.back().joined));
        std::size_t next = 0;
        for (Date d = from; d <= to;) {
            auto b = bucket_of(d, by, ws);
            Period cut{std::max(b.from, period.from), std::min(b.to, period.to)};
            std::vector<const OnboardingMember*> in;
            while (next < o.members.size() && o.members[next].joined <= cut.to) in.push_back(&o.members[next++]);
            o.cohorts.push_back({cut, bucket_label(b, by, ws), figures_of(in, today)});
            d = b.to + 1;
        }
    }
    return o;
}

}  // namespace tb::report

// ---- rendering ---------------------------------------------------------------

namespace tb::report {

namespace {

using io::Cell;

Cell median_cell(std::optional<double> m) { return m ? Cell{*m} : Cell{}; }

std::string median_text(std::optional<double> m) {
    if (!m) return "";
    return *m == std::floor(*m) ? fmt::format("{:.0f}", *m) : fmt::format("{:.1f}", *m);
}

std::string of_text(std::int64_t waiting, std::int64_t eligible) {
    return eligible == 0 ? std::string("-") : fmt::format("{} of {}", waiting, eligible);
}

io::Table cohort_rows(const Onboarding& o, bool people) {
    io::Table t;
    if (people) {
        t.columns = {"joined in", "members", "first exchange", "median days"};
        for (int mark : kOnboardingMarks) t.columns.push_back(fmt::format("none after {} days", mark));
    } else {
        t.columns = {"cohort", "from", "to", "joined", "traded", "median_days"};
        for (int mark : kOnboardingMarks) {
            t.columns.push_back(fmt::format("waiting_{}", mark));
            t.columns.push_back(fmt::format("eligible_{}", mark));
        }
    }
    auto add = [&](const std::string& label, Period p, const OnboardingFigures& f) {
        std::vector<Cell> row;
        row.emplace_back(label);
        if (people) {
            row.emplace_back(f.joined);
            row.emplace_back(f.traded);
            row.emplace_back(median_text(f.median_days));
            for (std::size_t k = 0; k < kOnboardingMarks.size(); ++k) row.push_back(of_text(f.waiting[k], f.eligible[k]));
        } else {
            row.emplace_back(to_string(p.from));
            row.emplace_back(to_string(p.to));
            row.emplace_back(f.joined);
            row.emplace_back(f.traded);
            row.push_back(median_cell(f.median_days));
            for (std::size_t k = 0; k < kOnboardingMarks.size(); ++k) {
                row.push_back(f.waiting[k]);
                row.push_back(f.eligible[k]);
            }
        }
        t.add(std::move(row));
    };
    add("all", o.period, o.all);
    for (auto& c : o.cohorts) add(c.label, c.joined, c.figures);
    return t;
}

io::Table member_rows(const Onboarding& o) {
    io::Table t;
    t.columns = {"member", "name", "kind", "joined", "first_exchange", "days"};
    for (auto& m : o.members)
        t.add({m.id, m.name, to_string(m.kind), to_string(m.joined),
               m.first_exchange ? Cell{to_string(*m.first_exchange)} : Cell{},
               m.days ? Cell{std::int64_t{*m.days}} : Cell{}});
    return t;
}

std::string headline(const Onboarding& o) {
    auto& f = o.all;
    if (f.joined == 0) return "No member joined in this period.";
    std::string s = fmt::format("{} member{} joined; {} {} made a first exchange", f.joined, f.joined == 1 ? "" : "s",
                                f.traded, f.traded == 1 ? "has" : "have");
    if (f.median_days) s += fmt::format(", after a median of {} days", median_text(f.median_days));
    return s + ".";
}

}  // namespace

ReportTable onboarding_table(const Onboarding& o, bool members, const ReportContext& ctx) {
    ReportTable t;
    t.title = "Onboarding: members who joined " + describe_period(o.period);
    if (members) {
        t.table = member_rows(o);
        return t;
    }
    t.table = cohort_rows(o, ctx.for_people);
    t.notes.push_back(headline(o));
    t.notes.push_back("Median days: from joining to the first exchange, of those who have made one.");
    t.notes.push_back("None after N days: members with no exchange in their first N days, of those who joined N or "
                      "more days ago.");
    return t;
}

void onboarding_markdown(const Onboarding& o, const std::string& bank, bool members, std::ostream& out) {
    out << "# " << markdown_escape(bank) << ": onboarding\n\n**Members who joined " << describe_period(o.period)
        << "**\n\n" << headline(o) << "\n\n";
    out << markdown_table(members ? member_rows(o) : cohort_rows(o, true));
    if (!members)
        out << "\nMedian days: from joining to the first exchange, of those who have made one. None after N days: "
               "members with no exchange in their first N days, of those who joined N or more days ago.\n";
    out << "\n_Made by tb-report on " << to_string(o.today) << "._\n";
}

namespace {

// Median days to a first exchange by cohort: one column each, with how many
// joined beneath; cohorts where nobody has traded yet show a dash.
std::string cohorts_svg(const Onboarding& o) {
    const int width = 660, height = 240, left = 10, top = 24, bottom = 44;
    const int plot_h = height - top - bottom;
    double max = 0;
    for (auto& c : o.cohorts) max = std::max(max, c.figures.median_days.value_or(0));
    int n = static_cast<int>(o.cohorts.size());
    double slot = double(width - 2 * left) / std::max(1, n);
    double bar_w = slot * 0.68;
    // Labels only where they fit: every k-th column when there are many.
    int every = std::max(1, static_cast<int>(std::ceil(48.0 / slot)));
    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
        "aria-labelledby=\"onb-title\" font-family=\"Helvetica, Arial, sans-serif\">\n"
        "<title id=\"onb-title\">Median days from joining to the first exchange, by {5} of joining</title>\n"
        "<line x1=\"{2}\" y1=\"{3}\" x2=\"{4}\" y2=\"{3}\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>\n",
        width, height, left, top + plot_h, width - left, bucket_name(o.by));
    for (int i = 0; i < n; ++i) {
        auto& c = o.cohorts[static_cast<std::size_t>(i)];
        double x = left + slot * i + (slot - bar_w) / 2;
        double cx = x + bar_w / 2;
        bool show = i % every == 0 || i == n - 1;
        if (c.figures.median_days) {
            double h = max > 0 ? *c.figures.median_days / max * plot_h : 0;
            double y = top + plot_h - h;
            out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#1f6feb\" "
                               "rx=\"2\"><title>{}: median {} days, {} of {} have traded</title></rect>\n",
                               x, y, bar_w, std::max(h, 1.0), html_escape(c.label),
                               median_text(c.figures.median_days), c.figures.traded, c.figures.joined);
            if (show)
                out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"middle\" "
                                   "fill=\"#334e68\">{}</text>\n",
                                   cx, std::max(y - 5, 12.0), median_text(c.figures.median_days));
        } else if (show) {
            out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" "
                               "fill=\"#9aa5b1\">–</text>\n",
                               cx, top + plot_h - 5);
        }
        if (show) {
            out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" "
                               "fill=\"#52606d\">{}</text>\n",
                               cx, top + plot_h + 16, html_escape(c.label));
            out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" "
                               "fill=\"#7b8794\">{} joined</text>\n",
                               cx, top + plot_h + 32, c.figures.joined);
        }
    }
    return out + "</svg>\n";
}

}  // namespace

void onboarding_html(const Onboarding& o, const std::string& bank, std::ostream& out) {
    html_page_begin(out, bank + ": onboarding, " + describe_period(o.period));
    out << "<div class=\"card\">\n<h1>" << html_escape(bank) << ": onboarding</h1>\n<p class=\"sub\">Members who joined "
        << html_escape(describe_period(o.period)) << "</p>\n</div>\n";
    auto& f = o.all;
    out << "<div class=\"card\">\n<h2>Summary</h2>\n<p>" << html_escape(headline(o)) << "</p>\n<table class=\"kpi\"><tr>\n";
    out << "<td><div class=\"kl\">Joined</div><div class=\"kv\">" << f.joined << "</div></td>\n";
    out << "<td><div class=\"kl\">Median days to a first exchange</div><div class=\"kv\">"
        << (f.median_days ? median_text(f.median_days) : std::string("–")) << "</div></td>\n";
    for (std::size_t k = 0; k < kOnboardingMarks.size(); ++k)
        out << "<td><div class=\"kl\">None after " << kOnboardingMarks[k] << " days</div><div class=\"kv\">"
            << f.waiting[k] << "</div><div class=\"muted\">of " << f.eligible[k] << "</div></td>\n";
    out << "</tr></table>\n</div>\n";
    out << "<div class=\"card\">\n<h2>Median days to a first exchange, by " << bucket_name(o.by) << " of joining</h2>\n";
    if (o.cohorts.empty()) out << "<p class=\"muted\">No member joined in this period.</p>\n";
    else out << cohorts_svg(o);
    out << "</div>\n<div class=\"card\">\n<h2>By " << bucket_name(o.by) << " of joining</h2>\n"
        << html_table(cohort_rows(o, true))
        << "<p class=\"muted\">Median days: from joining to the first exchange, of those who have made one. None after "
           "N days: members with no exchange in their first N days, of those who joined N or more days ago.</p>\n"
        << "</div>\n";
    html_page_end(out, "Made by tb-report on " + to_string(o.today) + ".");
}

}  // namespace tb::report
