#pragma once
// Calendar dates (no time zone) and periods of them.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

namespace tb {

// Days since 1970-01-01 in the proleptic Gregorian calendar.
struct Date {
    int days = 0;
    auto operator<=>(const Date&) const = default;
    Date operator+(int n) const { return Date{days + n}; }
    Date operator-(int n) const { return Date{days - n}; }
    int operator-(Date o) const { return days - o.days; }
};

struct Ymd {
    int y, m, d;
};

Date from_ymd(int y, int m, int d);
Ymd to_ymd(Date d);
bool valid_ymd(int y, int m, int d);
int days_in_month(int y, int m);
// ISO 8601 weekday: 1 = Monday ... 7 = Sunday.
int iso_weekday(Date d);
std::string to_string(Date d);

// Strict YYYY-MM-DD; nullopt when not a real date.
std::optional<Date> parse_iso_date(std::string_view s);
// YYYY-MM-DD, "today" or "yesterday"; throws UsageError naming the text.
Date parse_date(std::string_view s, Date today);
// strftime-style subset for imports: %d %e %m %b %B %Y %y, %H %M %S (a time
// of day, checked and dropped), %% and literal text.
std::optional<Date> parse_date_format(std::string_view s, std::string_view format);
// Why a format cannot be used (a conversion outside that subset, or no day,
// month or year); nullopt when it can.
std::optional<std::string> date_format_problem(std::string_view format);

// Today's date: explicit override (from --today), else TB_TODAY, else the
// local calendar date. Throws UsageError for a malformed override.
Date resolve_today(const std::optional<std::string>& override_text);

// Current time as UTC ISO 8601 (seconds precision), for recorded_at.
std::string utc_timestamp_now();

enum class WeekStart { monday, sunday };

// An inclusive range of dates.
struct Period {
    Date from;
    Date to;
    int length() const { return to - from + 1; }
    bool contains(Date d) const { return from <= d && d <= to; }
    // The period of equal length just before this one.
    Period previous() const { return Period{from - length(), from - 1}; }
    bool operator==(const Period&) const = default;
};

// Every form in SPEC: 2026, 2026-Q4, 2026-11, 2026-W47, 2026-11-27,
// this-week, last-week, this-month, last-month, this-quarter, last-quarter,
// this-year, last-year,
// FROM..TO (either side may be any of the above or empty). Throws UsageError.
Period parse_period(std::string_view s, Date today, WeekStart ws);
// The first day of the week containing d.
Date week_start(Date d, WeekStart ws);
// The ISO week (year, week) of a date, and the Monday of an ISO week.
std::pair<int, int> iso_week(Date d);
Date iso_week_monday(int iso_year, int week);
int iso_weeks_in_year(int iso_year);

// The period a report compares with, "previous": for a period of whole
// calendar months (a month, a quarter, a year, 2026-01..2026-02) the same
// number of whole months just before it; for any other period (a week
// included) the stretch of equal length just before it.
Period previous_calendar_period(Period p);
// The same date a year earlier; 29 February becomes 28 February.
Date one_year_earlier(Date d);
// "last-year": the same dates a year earlier (29 February -> 28 February).
// A calendar week (7 days from the first day of a week) is the week of the
// same ISO number a year earlier, and week 53 the last week (52) of a year
// that has no week 53.
Period same_period_a_year_earlier(Period p, WeekStart ws);

}  // namespace tb

// A date in fmt::format is written as to_string writes it (YYYY-MM-DD):
// fmt::format("due {}", d).
template <>
struct fmt::formatter<tb::Date> : fmt::formatter<std::string_view> {
    template <class Context>
    auto format(tb::Date d, Context& ctx) const {
        return fmt::formatter<std::string_view>::format(tb::to_string(d), ctx);
    }
};
