// `tb hub`: reports over several banks' stores, and the reconciliation of
// the transfers between them. The figures come from lib/tb/report/hub.
#include <fmt/format.h>

#include "tb/cli/app.hpp"
#include "tb/core/hub_file.hpp"
#include "tb/report/hub.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::cli {

namespace {

using io::Format;

void hub_report_parser(CLI::App* hub, Registry& reg) {
    auto* sub = hub->add_subcommand(
        "report", "A report over every bank of a hub: summary, activity, categories, network, social-value or onboarding");
    struct Opts {
        std::string report, hub, period = "this-year", check = "quick";
        std::vector<std::string> by;
        bool allow_missing = false;
    };
    auto o = std::make_shared<Opts>();
    sub->add_option("REPORT", o->report, "summary, activity, categories, network, social-value or onboarding")->required();
    sub->add_option("--hub", o->hub, "The hub file (hub.toml) that lists the banks")->required();
    sub->add_option("--period", o->period,
                    "2026, 2026-Q4, 2026-11, 2026-W47, this-week, last-month, FROM..TO (default this-year); each bank "
                    "reads it with its own week start");
    sub->add_option("--by", o->by,
                    "bank: a row (or group) per bank beside the totals; for activity also the time step: week, "
                    "month (default), quarter or year")
        ->delimiter(',');
    sub->add_flag("--allow-missing", o->allow_missing,
                  "Exit 0 even when a bank is left out (its store missing or failing its check)");
    sub->add_option("--check", o->check,
                    "How each bank's store is checked first: quick (default; tb check --quick), full (tb check) "
                    "or none");
    reg.on(sub, formats::data, [o](Context& ctx) {
        report::HubOptions ho;
        auto which = report::parse_hub_report(o->report);
        for (auto& b : o->by) {
            auto v = text::lower(text::trim(b));
            if (v == "bank" || v == "banks") ho.by_bank = true;
            else if (which == report::HubReport::activity) ho.bucket = report::parse_bucket(v);
            else throw UsageError(fmt::format("cannot break a hub report down by '{}' (use bank)", b));
        }
        if (text::trim(o->period).empty()) throw UsageError("--period: an empty period");
        ho.period = o->period;
        ho.today = ctx.today();
        auto check = report::parse_hub_check(o->check);
        // The period and the check must parse before any store is opened.
        (void)parse_period(ho.period, ho.today, WeekStart::monday);
        auto ro = ctx.render_options();
        ho.for_people = ro.format == Format::table;
        auto file = load_hub_file(o->hub);
        auto hub = report::open_hub(file, check);
        for (auto& l : hub.left_out) ctx.warn("left out of the report: " + l);
        auto t = report::hub_report(hub, which, ho);
        for (auto& l : hub.left_out) t.notes.push_back("Left out: " + l);
        report::render(t, ro, ctx.out());
        if (!hub.left_out.empty() && !o->allow_missing) {
            ctx.commit_output();
            throw SystemError(fmt::format("{} bank{} left out of the report (--allow-missing to accept)",
                                          hub.left_out.size(), hub.left_out.size() == 1 ? "" : "s"));
        }
    });
}

void hub_reconcile_parser(CLI::App* hub, Registry& reg) {
    auto* sub = hub->add_subcommand(
        "reconcile", "Check that every pair of banks agrees: opposite clearing balances, every transfer on both sides");
    auto path = std::make_shared<std::string>();
    sub->add_option("--hub", *path, "The hub file (hub.toml) that lists the banks")->required();
    // The sentences (text, the default) or the disagreements as data.
    Formats forms{{Format::text, Format::csv, Format::tsv, Format::json, Format::jsonl}, Format::text};
    reg.on(sub, forms, [path](Context& ctx) {
        auto file = load_hub_file(*path);
        auto hub = report::open_hub(file, report::HubCheck::none);
        for (auto& l : hub.left_out) ctx.warn("left out: " + l);
        auto problems = report::reconcile(hub);
        auto ro = ctx.render_options();
        if (ro.format == Format::text) {
            for (auto& p : problems) ctx.out() << p.message << '\n';
        } else {
            io::render_table(report::disagreements_table(problems), ro, ctx.out());
        }
        if (!problems.empty() || !hub.left_out.empty()) {
            ctx.commit_output();
            throw SystemError(problems.empty()
                                  ? fmt::format("{} bank{} could not be read", hub.left_out.size(),
                                                hub.left_out.size() == 1 ? "" : "s")
                                  : fmt::format("{} disagreement{} between the banks", problems.size(),
                                                problems.size() == 1 ? "" : "s"));
        }
    });
}

}  // namespace

void hub_parser(CLI::App& app, Registry& reg) {
    auto* hub = app.add_subcommand("hub", "A network of banks: reports over every bank, reconciling transfers");
    hub->require_subcommand(1);
    hub_report_parser(hub, reg);
    hub_reconcile_parser(hub, reg);
}

}  // namespace tb::cli
