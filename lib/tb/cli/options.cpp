#include "tb/cli/options.hpp"

#include <fmt/format.h>

#include "tb/cli/app.hpp"
#include "tb/util/error.hpp"

namespace tb::cli {
namespace {

void check_order(Date since, Date until) {
    if (until < since)
        throw UsageError(fmt::format("--until {} is before --since {}", until, since));
}

}  // namespace

void PeriodOptions::declare(CLI::App* sub, std::string fallback_period, std::string default_text) {
    fallback = std::move(fallback_period);
    sub->add_option("--period", period,
                    fmt::format("2026, 2026-Q4, 2026-11, 2026-W47, this-week, last-week, this-month, last-month, "
                                "this-quarter, last-quarter, this-year, last-year or FROM..TO (default: {})",
                                default_text.empty() ? fallback : default_text));
    sub->add_option("--since", since, "First day of the period, YYYY-MM-DD (inclusive)");
    sub->add_option("--until", until, "Last day of the period, YYYY-MM-DD (inclusive; default today)");
}

std::pair<std::optional<Date>, std::optional<Date>> PeriodOptions::bounds(Date today, WeekStart ws) const {
    if (!period.empty() && (!since.empty() || !until.empty()))
        throw UsageError("--period cannot be combined with --since or --until");
    if (!period.empty()) {
        auto p = parse_period(period, today, ws);
        return {p.from, p.to};
    }
    std::optional<Date> from, to;
    if (!since.empty()) from = parse_date(since, today);
    if (!until.empty()) to = parse_date(until, today);
    if (from && to) check_order(*from, *to);
    return {from, to};
}

Period PeriodOptions::resolve(Date today, WeekStart ws) const {
    if (!given()) return parse_period(fallback, today, ws);
    auto [from, to] = bounds(today, ws);
    Period p{from.value_or(from_ymd(1, 1, 1)), to.value_or(today)};
    check_order(p.from, p.to);  // --since after today
    return p;
}

std::pair<std::optional<Date>, std::optional<Date>> PeriodOptions::bounds(const Context& ctx) const {
    return bounds(ctx.today(), ctx.config().week_starts);
}

Period PeriodOptions::resolve(const Context& ctx) const { return resolve(ctx.today(), ctx.config().week_starts); }

Date date_or_today(const std::string& text, Date today) { return text.empty() ? today : parse_date(text, today); }

}  // namespace tb::cli
