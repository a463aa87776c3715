// `tb-report`: read-only reports. This file parses and prints; the figures
// come from lib/tb/report, the rows from lib/tb/store/report_queries.
#include <fmt/format.h>
#include <memory>
#include <utility>

#include "tb/cli/app.hpp"
#include "tb/cli/options.hpp"
#include "tb/cli/tools.hpp"
#include "tb/report/figures.hpp"
#include "tb/report/network.hpp"
#include "tb/report/onboarding.hpp"
#include "tb/report/tables.hpp"
#include "tb/report/weekly.hpp"
#include "tb/store/store.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::cli {
namespace {

using io::Format;

// A balance threshold: hours, possibly negative or zero.
Minutes parse_threshold(const std::string& option, const std::string& text) {
    try {
        return parse_balance_hours(text);
    } catch (const Rejected& e) {
        throw Rejected(fmt::format("{}: {}", option, e.what()));
    } catch (const UsageError& e) {
        throw UsageError(fmt::format("{}: {}", option, e.what()));
    }
}

report::ReportContext report_context(const Context& ctx, const io::RenderOptions& ro) {
    return report::ReportContext{ctx.config(), ctx.today(), ro.format == Format::table};
}

// A report that is one table: built from one consistent state of the store
// by `build(store, directory, report context)`, then rendered.
template <typename Build>
void render_table_report(Context& ctx, Build&& build) {
    auto ro = ctx.render_options();
    auto& s = ctx.read_store();
    auto table = store::read_consistently(s, [&] {
        auto dir = report::Directory::load(s);
        return build(s, dir, report_context(ctx, ro));
    });
    report::render(table, ro, ctx.out());
}

void summary_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand(
        "summary", "Exchanges, hours, members, new members, who traded with whom, requests (made, met, withdrawn, "
                   "median days to a match), top categories, against the previous period");
    auto p = std::make_shared<PeriodOptions>();
    auto by = std::make_shared<std::string>();
    auto compare = std::make_shared<std::string>("previous");
    p->declare(sub, "this-year");
    sub->add_option("--by", *by, "Break the figures down by tag, neighbourhood, postcode-district or kind");
    sub->add_option("--compare", *compare,
                    "previous (the previous calendar week, month, quarter or year; else the stretch of equal "
                    "length before), last-year (the same dates a year earlier) or none (default previous)");
    reg.on(sub, formats::data, [p, by, compare](Context& ctx) {
        auto period = p->resolve(ctx);
        auto group = by->empty() ? report::GroupBy::none : report::parse_group_by(*by);
        auto previous =
            report::compare_period(period, report::parse_compare(*compare), ctx.config().week_starts);
        auto ro = ctx.render_options();
        auto& s = ctx.read_store();
        auto summary = store::read_consistently(s, [&] {
            auto dir = report::Directory::load(s);
            return report::summarise(s, dir, period, group, previous);
        });
        report::render(report::summary_table(summary, report_context(ctx, ro)), ro, ctx.out());
    });
}

void weekly_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand(
        "weekly", "The weekly report: last week's summary, balances beyond limits and under warn_below, inactive "
                  "and new members, open requests with no match, proposals pending for more than follow_up_days, "
                  "requests past their needed-by date, checks expiring within 30 days (text, markdown, html or json)");
    auto p = std::make_shared<PeriodOptions>();
    p->declare(sub, "last-week", "last-week, the last complete week");
    reg.on(sub, Formats{{Format::text, Format::markdown, Format::html, Format::json}, Format::text}, [p](Context& ctx) {
        auto period = p->resolve(ctx);
        auto fmt = ctx.format();
        auto& s = ctx.read_store();
        auto w = store::read_consistently(s, [&] {
            auto dir = report::Directory::load(s);
            return report::build_weekly(s, dir, period, ctx.config(), ctx.today());
        });
        switch (fmt) {
            case Format::markdown: report::weekly_markdown(w, ctx.out()); break;
            case Format::html: report::weekly_html(w, ctx.out()); break;
            case Format::json: report::weekly_json(w, ctx.out()); break;
            default: report::weekly_text(w, ctx.out());
        }
    });
}

void balances_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("balances", "Every member's balance (opening balances included)");
    auto p = std::make_shared<PeriodOptions>();
    auto below = std::make_shared<std::string>();
    auto above = std::make_shared<std::string>();
    auto as_of = std::make_shared<std::string>();
    p->declare(sub, "this-year", "now; a period gives the balances at its end");
    sub->add_option("--below", *below, "Only balances under H hours (e.g. --below -10)");
    sub->add_option("--above", *above, "Only balances over H hours");
    sub->add_option("--as-of", *as_of, "Balances at the end of DATE");
    reg.on(sub, formats::data, [p, below, above, as_of](Context& ctx) {
        report::BalanceOptions o;
        if (!below->empty()) o.below = parse_threshold("--below", *below);
        if (!above->empty()) o.above = parse_threshold("--above", *above);
        if (!as_of->empty() && p->given()) throw UsageError("--as-of cannot be combined with a period");
        if (!as_of->empty()) o.as_of = parse_date(*as_of, ctx.today());
        if (p->given()) {
            auto period = p->resolve(ctx);
            if (period.to < ctx.today()) o.as_of = period.to;
        }
        // Rows are written as they are made (100,000 members in a national
        // network), all from one state of the store.
        auto ro = ctx.render_options();
        auto& s = ctx.read_store();
        store::ReadTransaction snapshot(s);
        auto dir = report::Directory::load(s);
        auto rc = report_context(ctx, ro);
        report::ReportWriter w(ctx.out(), ro, report::balances_head(o, rc), true);
        auto note = report::balances_rows(s, dir, o, rc, [&](const std::vector<io::Cell>& r) { w.row(r); });
        w.finish({note});
    });
}

void activity_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("activity", "A time series of exchanges, hours and members (csv for plotting)");
    auto p = std::make_shared<PeriodOptions>();
    auto by = std::make_shared<std::string>("month");
    p->declare(sub, "this-year");
    sub->add_option("--by", *by, "The time step: week, month, quarter or year (default month)");
    reg.on(sub, formats::data, [p, by](Context& ctx) {
        auto period = p->resolve(ctx);
        auto bucket = report::parse_bucket(*by);
        render_table_report(ctx, [&](auto& s, auto& dir, const report::ReportContext& rc) {
            return report::activity_table(s, dir, period, bucket, rc);
        });
    });
}

void members_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("members", "Active members and their activity: the outreach lists");
    auto p = std::make_shared<PeriodOptions>();
    auto inactive = std::make_shared<int>(-1);
    auto never = std::make_shared<bool>(false);
    p->declare(sub, "this-year");
    sub->add_option("--inactive-days", *inactive, "Only members with no exchange in the last N days");
    sub->add_flag("--never-traded", *never, "Only members who have never traded");
    reg.on(sub, formats::data, [sub, p, inactive, never](Context& ctx) {
        auto period = p->resolve(ctx);
        report::MemberListOptions o;
        if (sub->count("--inactive-days")) {
            if (*inactive < 0) throw Rejected(fmt::format("--inactive-days {}: must not be negative", *inactive));
            o.inactive_days = *inactive;
        }
        o.never_traded = *never;
        render_table_report(ctx, [&](auto& s, auto& dir, const report::ReportContext& rc) {
            return report::members_table(s, dir, period, o, rc);
        });
    });
}

void onboarding_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand(
        "onboarding", "For members who joined in the period: days from joining to their first exchange (median), and "
                      "how many had none after 30, 90 and 365 days");
    auto p = std::make_shared<PeriodOptions>();
    auto by = std::make_shared<std::string>();
    auto members = std::make_shared<bool>(false);
    p->declare(sub, "this-year");
    sub->add_option("--by", *by,
                    "Cohorts by month, quarter or year of joining (default: month for up to two years, quarter up "
                    "to eight, else year)");
    sub->add_flag("--members", *members, "One row per member instead of the cohorts");
    reg.on(sub, formats::with({Format::markdown, Format::html}), [p, by, members](Context& ctx) {
        auto period = p->resolve(ctx);
        auto bucket = by->empty() ? report::default_onboarding_bucket(period) : report::parse_bucket(*by);
        if (bucket == report::Bucket::week) throw UsageError("onboarding --by: use month, quarter or year");
        auto ro = ctx.render_options();
        auto& s = ctx.read_store();
        auto [o, bank] = store::read_consistently(s, [&] {
            auto dir = report::Directory::load(s);
            return std::make_pair(report::onboarding(s, dir, period, ctx.today(), bucket, ctx.config().week_starts),
                                  report::bank_name(s, ctx.config()));
        });
        if (ro.format == Format::html) report::onboarding_html(o, bank, ctx.out());
        else if (ro.format == Format::markdown) report::onboarding_markdown(o, bank, *members, ctx.out());
        else report::render(report::onboarding_table(o, *members, report_context(ctx, ro)), ro, ctx.out());
    });
}

void categories_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("categories", "Hours and exchanges per category");
    auto p = std::make_shared<PeriodOptions>();
    p->declare(sub, "this-year");
    reg.on(sub, formats::data, [p](Context& ctx) {
        auto period = p->resolve(ctx);
        render_table_report(ctx, [&](auto& s, auto& dir, const report::ReportContext& rc) {
            return report::categories_table(s, dir, period, rc);
        });
    });
}

void network_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand(
        "network", "Who trades with whom: hubs, members with no partner, connected groups, reciprocity");
    auto p = std::make_shared<PeriodOptions>();
    p->declare(sub, "this-year");
    reg.on(sub, formats::data, [p](Context& ctx) {
        auto period = p->resolve(ctx);
        auto ro = ctx.render_options();
        auto& s = ctx.read_store();
        auto [dir, n] = store::read_consistently(s, [&] {
            auto dir = report::Directory::load(s);
            auto n = report::analyse_network(s, dir, period);
            return std::make_pair(std::move(dir), std::move(n));
        });
        if (ro.format == Format::table) report::network_text(n, dir, ctx.out());
        else if (ro.format == Format::json) report::network_json(n, dir, ctx.out());
        else report::render(report::network_table(n, dir, report_context(ctx, ro)), ro, ctx.out());
    });
}

void social_value_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("social-value", "An estimate of the value of the hours exchanged: hours x rate");
    auto p = std::make_shared<PeriodOptions>();
    auto rate = std::make_shared<double>(0);
    auto currency = std::make_shared<std::string>();
    p->declare(sub, "this-year");
    sub->add_option("--rate", *rate, "Value of one hour (default: [report] value_per_hour)");
    sub->add_option("--currency", *currency, "Currency code shown with the value (default: [report] currency)");
    reg.on(sub, formats::data, [sub, p, rate, currency](Context& ctx) {
        auto period = p->resolve(ctx);
        report::SocialValueOptions o{ctx.config().value_per_hour, ctx.config().currency};
        if (sub->count("--rate")) {
            if (*rate < 0) throw Rejected(fmt::format("--rate {}: must not be negative", *rate));
            o.rate = *rate;
        }
        if (sub->count("--currency")) {
            if (text::trim(*currency).empty()) throw Rejected("--currency: must not be empty");
            o.currency = std::string(text::trim(*currency));
        }
        auto ro = ctx.render_options();
        auto& s = ctx.read_store();
        auto table =
            store::read_consistently(s, [&] { return report::social_value_table(s, period, o, report_context(ctx, ro)); });
        report::render(table, ro, ctx.out());
    });
}

}  // namespace

int report_main(int argc, char** argv) {
    return run_tool("tb-report", "tb-report: read-only reports on the timebank (never writes to the store).", argc,
                    argv, [](CLI::App& app, Registry& reg) {
                        summary_parser(app, reg);
                        weekly_parser(app, reg);
                        balances_parser(app, reg);
                        activity_parser(app, reg);
                        members_parser(app, reg);
                        onboarding_parser(app, reg);
                        categories_parser(app, reg);
                        network_parser(app, reg);
                        social_value_parser(app, reg);
                        app.footer("Periods: see man tb-periods. Every report: --format, -o FILE, --no-header.");
                    });
}

}  // namespace tb::cli
