#pragma once
// Time is whole minutes, never floating point.
#include <cstdint>
#include <string>
#include <string_view>

namespace tb {

using Minutes = std::int64_t;

// The one parser of time for the command line, imports and config (SPEC
// "Values"): 1.5, 1.25, 0.5h, 1:30, 1:30:00 (seconds zero), 90m, 90 min,
// 90 mins, 90 minutes, 2h30m, 2h30, 1h 30m, 1.5 hrs, 1.5 hours, 1 hour
// (units in any case; a bare number is hours), and a leading '-' when
// allow_negative. Throws UsageError when the text is not a duration at all,
// Rejected when it is one but zero, negative, not a whole number of minutes
// or too large. Messages name the value. decimal_mark may be ',' for imports.
Minutes parse_duration(std::string_view text, bool allow_negative = false, char decimal_mark = '.');

// A balance or a limit in the same forms: may be negative, and zero in any
// form (0, 0h, 0:00); otherwise the same errors as parse_duration.
Minutes parse_balance_hours(std::string_view text, char decimal_mark = '.');

// Decimal hours with two decimals, rounded half away from zero: 90 -> "1.50".
std::string format_hours(Minutes m);
// The same text written into `out` (room for kHoursTextMax characters), for
// loops that format many: returns its length.
inline constexpr std::size_t kHoursTextMax = 24;
std::size_t format_hours_to(char* out, Minutes m);
// Hours and minutes as people write them: 90 -> "1:30", -30 -> "-0:30".
std::string format_hm(Minutes m);
// Hours as a JSON number: 90 -> "1.5", 20 -> "0.3333333333333333" is avoided:
// we print at most the digits needed for minutes (up to 6 decimals).
std::string json_hours(Minutes m);
// Millionths of an hour, rounded half away from zero: what json_hours and
// io::hours_json write (exact enough for any count of minutes).
std::int64_t hours_micro(Minutes m);

}  // namespace tb
