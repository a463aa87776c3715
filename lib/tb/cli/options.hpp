#pragma once
// Options more than one command declares, and how their values are read:
// the period (--period, or --since/--until) and a --date that defaults to
// today.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "tb/util/date.hpp"

namespace tb::cli {

class Context;

// --period P, or --since D and/or --until D; both forms are inclusive.
struct PeriodOptions {
    std::string period, since, until;
    // The period expression meant when none of the options is given; empty
    // for a command that reads only bounds() (none given: every date).
    std::string fallback;

    // Declares the three options on `sub`, with the period meant when none
    // is given; `default_text` says so in --help (default: `fallback`).
    void declare(CLI::App* sub, std::string fallback_period, std::string default_text = "");
    bool given() const { return !period.empty() || !since.empty() || !until.empty(); }
    // The first and last day given, none where the range is open. UsageError
    // for --period with --since or --until, a date that is no date, and an
    // --until before --since.
    std::pair<std::optional<Date>, std::optional<Date>> bounds(Date today, WeekStart ws) const;
    std::pair<std::optional<Date>, std::optional<Date>> bounds(const Context& ctx) const;
    // The period given (an open start is 0001-01-01, an open end today),
    // else the fallback.
    Period resolve(Date today, WeekStart ws) const;
    Period resolve(const Context& ctx) const;
};

// The value of a --date option: today when it was not given.
Date date_or_today(const std::string& text, Date today);

}  // namespace tb::cli
