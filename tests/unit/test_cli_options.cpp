// The options several commands share (lib/tb/cli/options.cpp): the period
// (--period, or --since/--until) and a --date that defaults to today.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tb/cli/options.hpp"
#include "tb/util/error.hpp"

using namespace tb;
using tb::cli::PeriodOptions;

namespace {

const Date kToday = from_ymd(2026, 11, 27);

// The options as parsed from `args` by a command that declared them.
PeriodOptions parsed(std::vector<std::string> args, const std::string& fallback = "this-year") {
    PeriodOptions p;
    CLI::App app;
    p.declare(&app, fallback);
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
    return p;
}

std::string usage_error(const PeriodOptions& p) {
    try {
        p.resolve(kToday, WeekStart::monday);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("PeriodOptions: none given is the fallback, and open bounds") {
    auto p = parsed({});
    CHECK_FALSE(p.given());
    CHECK(p.resolve(kToday, WeekStart::monday) == Period{from_ymd(2026, 1, 1), from_ymd(2026, 12, 31)});
    auto last_week = parsed({}, "last-week");
    CHECK(last_week.resolve(kToday, WeekStart::monday) == Period{from_ymd(2026, 11, 16), from_ymd(2026, 11, 22)});
    auto [from, to] = p.bounds(kToday, WeekStart::monday);
    CHECK_FALSE(from);
    CHECK_FALSE(to);
}

TEST_CASE("PeriodOptions: --period, or --since/--until with an open end") {
    auto q = parsed({"--period", "2026-Q2"});
    CHECK(q.given());
    CHECK(q.resolve(kToday, WeekStart::monday) == Period{from_ymd(2026, 4, 1), from_ymd(2026, 6, 30)});
    auto since = parsed({"--since", "2026-11-02"});
    CHECK(since.resolve(kToday, WeekStart::monday) == Period{from_ymd(2026, 11, 2), kToday});
    auto bounds = since.bounds(kToday, WeekStart::monday);
    CHECK(bounds.first == from_ymd(2026, 11, 2));
    CHECK_FALSE(bounds.second);
    auto until = parsed({"--until", "2026-10-20"});
    CHECK(until.resolve(kToday, WeekStart::monday) == Period{from_ymd(1, 1, 1), from_ymd(2026, 10, 20)});
    auto both = parsed({"--since", "2026-10-20", "--until", "2026-11-02"});
    CHECK(both.resolve(kToday, WeekStart::monday) == Period{from_ymd(2026, 10, 20), from_ymd(2026, 11, 2)});
}

TEST_CASE("PeriodOptions: what is refused, as usage errors") {
    CHECK(usage_error(parsed({"--period", "2026", "--since", "2026-01-01"})) ==
          "--period cannot be combined with --since or --until");
    CHECK(usage_error(parsed({"--period", "2026", "--until", "2026-01-01"})) ==
          "--period cannot be combined with --since or --until");
    CHECK(usage_error(parsed({"--since", "2026-11-02", "--until", "2026-10-20"})) ==
          "--until 2026-10-20 is before --since 2026-11-02");
    // An open end is today: a --since after it is refused the same way.
    CHECK(usage_error(parsed({"--since", "2026-12-01"})) == "--until 2026-11-27 is before --since 2026-12-01");
    CHECK_FALSE(usage_error(parsed({"--since", "not a date"})).empty());
    // The bounds alone leave an open end open.
    CHECK(parsed({"--since", "2026-12-01"}).bounds(kToday, WeekStart::monday).first == from_ymd(2026, 12, 1));
}

TEST_CASE("date_or_today: a --date not given is today") {
    CHECK(cli::date_or_today("", kToday) == kToday);
    CHECK(cli::date_or_today("2026-01-05", kToday) == from_ymd(2026, 1, 5));
    CHECK_THROWS_AS(cli::date_or_today("soon", kToday), UsageError);
}
