#include "tb/util/date.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fmt/format.h>

#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb {

// Howard Hinnant's days_from_civil / civil_from_days.
Date from_ymd(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return Date{era * 146097 + static_cast<int>(doe) - 719468};
}

Ymd to_ymd(Date date) {
    int z = date.days + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int y = static_cast<int>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return Ymd{y + (m <= 2), static_cast<int>(m), static_cast<int>(d)};
}

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

bool valid_ymd(int y, int m, int d) {
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

int iso_weekday(Date d) {
    // 1970-01-01 was a Thursday (4).
    int w = (d.days % 7 + 7) % 7;  // 0 = Thursday
    return (w + 3) % 7 + 1;
}

std::string to_string(Date d) {
    auto ymd = to_ymd(d);
    if (ymd.y < 0 || ymd.y > 9999) return fmt::format("{:04}-{:02}-{:02}", ymd.y, ymd.m, ymd.d);
    // Written by hand: an import formats every row's date several times.
    std::string out = "0000-00-00";
    auto put = [&](std::size_t at, int v, int width) {
        for (int i = width - 1; i >= 0; --i, v /= 10) out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
    };
    put(0, ymd.y, 4);
    put(5, static_cast<int>(ymd.m), 2);
    put(8, static_cast<int>(ymd.d), 2);
    return out;
}

static bool parse_fixed_int(std::string_view s, int& out) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc{};
}

std::optional<Date> parse_iso_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    // Every date a report reads goes through here (100,000 members' dates
    // at each run): the eight digits are read in place, not through from_chars.
    unsigned digit[10];
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        digit[i] = static_cast<unsigned char>(s[i]) - unsigned{'0'};
        if (digit[i] > 9) return std::nullopt;
    }
    int y = static_cast<int>(digit[0] * 1000 + digit[1] * 100 + digit[2] * 10 + digit[3]);
    int m = static_cast<int>(digit[5] * 10 + digit[6]);
    int d = static_cast<int>(digit[8] * 10 + digit[9]);
    if (!valid_ymd(y, m, d)) return std::nullopt;
    return from_ymd(y, m, d);
}

Date parse_date(std::string_view s, Date today) {
    auto t = text::lower(text::trim(s));
    if (t == "today") return today;
    if (t == "yesterday") return today - 1;
    if (auto d = parse_iso_date(t)) return *d;
    throw UsageError(fmt::format("'{}' is not a date (use YYYY-MM-DD, today or yesterday)", s));
}

std::optional<Date> parse_date_format(std::string_view s, std::string_view format) {
    static const char* months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                   "jul", "aug", "sep", "oct", "nov", "dec"};
    int y = -1, m = -1, d = -1;
    std::size_t i = 0;
    auto read_num = [&](std::size_t maxlen, int& out) {
        std::size_t start = i;
        while (i < s.size() && i - start < maxlen && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        if (i == start) return false;
        return parse_fixed_int(s.substr(start, i - start), out);
    };
    for (std::size_t f = 0; f < format.size(); ++f) {
        if (format[f] == '%' && f + 1 < format.size()) {
            char spec = format[++f];
            switch (spec) {
                case 'd':
                case 'e':
                    while (spec == 'e' && i < s.size() && s[i] == ' ') ++i;
                    if (!read_num(2, d)) return std::nullopt;
                    break;
                case 'm':
                    if (!read_num(2, m)) return std::nullopt;
                    break;
                case 'Y':
                    if (!read_num(4, y)) return std::nullopt;
                    break;
                case 'y':
                    if (!read_num(2, y)) return std::nullopt;
                    y += y < 70 ? 2000 : 1900;
                    break;
                case 'H':
                case 'M':
                case 'S': {
                    // A time of day after the date (a date-time column): read, checked, dropped.
                    int v = 0;
                    if (!read_num(2, v) || v > (spec == 'H' ? 23 : spec == 'M' ? 59 : 60)) return std::nullopt;
                    break;
                }
                case 'b':
                case 'B': {
                    if (i + 3 > s.size()) return std::nullopt;
                    auto mon = text::lower(s.substr(i, 3));
                    m = -1;
                    for (int k = 0; k < 12; ++k)
                        if (mon == months[k]) m = k + 1;
                    if (m < 0) return std::nullopt;
                    i += 3;
                    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
                    break;
                }
                case '%':
                    if (i >= s.size() || s[i] != '%') return std::nullopt;
                    ++i;
                    break;
                default:
                    return std::nullopt;
            }
        } else {
            if (i >= s.size() || s[i] != format[f]) return std::nullopt;
            ++i;
        }
    }
    if (i != s.size() || y < 0 || m < 0 || d < 0 || !valid_ymd(y, m, d)) return std::nullopt;
    return from_ymd(y, m, d);
}

std::optional<std::string> date_format_problem(std::string_view format) {
    bool d = false, m = false, y = false;
    for (std::size_t f = 0; f < format.size(); ++f) {
        if (format[f] != '%') continue;
        if (++f == format.size()) return "ends with a lone %";
        switch (format[f]) {
            case 'd': case 'e': d = true; break;
            case 'm': case 'b': case 'B': m = true; break;
            case 'Y': case 'y': y = true; break;
            case 'H': case 'M': case 'S': case '%': break;
            default:
                return fmt::format("%{} is not supported (use %d %e %m %b %B %Y %y %H %M %S %%)", format[f]);
        }
    }
    if (!d || !m || !y) return "needs a day (%d), a month (%m or %b) and a year (%Y or %y)";
    return std::nullopt;
}

Date resolve_today(const std::optional<std::string>& override_text) {
    std::optional<std::string> text = override_text;
    if (!text) {
        if (const char* env = std::getenv("TB_TODAY"); env && *env) text = env;
    }
    if (text) {
        if (auto d = parse_iso_date(text::trim(*text))) return *d;
        throw UsageError(fmt::format("'{}' is not a date for --today/TB_TODAY (use YYYY-MM-DD)", *text));
    }
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return from_ymd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

std::string utc_timestamp_now() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1,
                       utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

Date week_start(Date d, WeekStart ws) {
    int wd = iso_weekday(d);  // 1..7
    int back = ws == WeekStart::monday ? wd - 1 : wd % 7;
    return d - back;
}

std::pair<int, int> iso_week(Date d) {
    // The ISO year is the year of the Thursday of d's week.
    Date thursday = d + (4 - iso_weekday(d));
    int y = to_ymd(thursday).y;
    int week = (thursday - from_ymd(y, 1, 1)) / 7 + 1;
    return {y, week};
}

Date iso_week_monday(int iso_year, int week) {
    Date jan4 = from_ymd(iso_year, 1, 4);
    Date week1 = jan4 - (iso_weekday(jan4) - 1);
    return week1 + (week - 1) * 7;
}

int iso_weeks_in_year(int iso_year) { return iso_week(from_ymd(iso_year, 12, 28)).second; }

Period previous_calendar_period(Period p) {
    auto a = to_ymd(p.from), b = to_ymd(p.to);
    if (a.d == 1 && b.d == days_in_month(b.y, b.m)) {
        // Months counted from the year 0: index = y * 12 + (m - 1).
        int first = a.y * 12 + (a.m - 1), last = b.y * 12 + (b.m - 1);
        int months = last - first + 1;
        int from = first - months, to = first - 1;
        if (from >= 12) {
            int ty = to / 12, tm = to % 12 + 1;
            return Period{from_ymd(from / 12, from % 12 + 1, 1), from_ymd(ty, tm, days_in_month(ty, tm))};
        }
    }
    return p.previous();
}

Date one_year_earlier(Date d) {
    auto ymd = to_ymd(d);
    if (ymd.y <= 1) return d - 365;
    return from_ymd(ymd.y - 1, ymd.m, ymd.m == 2 && ymd.d == 29 ? 28 : ymd.d);
}

Period same_period_a_year_earlier(Period p, WeekStart ws) {
    if (p.length() == 7 && week_start(p.from, ws) == p.from) {
        // Sunday weeks take the number of the ISO week that starts the next day.
        Date monday = ws == WeekStart::monday ? p.from : p.from + 1;
        auto [y, w] = iso_week(monday);
        if (y > 1) {
            Date m = iso_week_monday(y - 1, std::min(w, iso_weeks_in_year(y - 1)));
            Date start = ws == WeekStart::monday ? m : m - 1;
            return Period{start, start + 6};
        }
    }
    return Period{one_year_earlier(p.from), one_year_earlier(p.to)};
}

namespace {

[[noreturn]] void bad_period(std::string_view s) {
    throw UsageError(fmt::format(
        "'{}' is not a period (use 2026, 2026-Q4, 2026-11, 2026-W47, 2026-11-27, this-week, "
        "last-week, this-month, last-month, this-quarter, last-quarter, this-year, last-year or FROM..TO)",
        s));
}

Period month_of(int y, int m) { return {from_ymd(y, m, 1), from_ymd(y, m, days_in_month(y, m))}; }
Period year_of(int y) { return {from_ymd(y, 1, 1), from_ymd(y, 12, 31)}; }

std::optional<Period> parse_single(std::string_view s, Date today, WeekStart ws) {
    auto t = text::lower(text::trim(s));
    auto ty = to_ymd(today);
    if (t == "today") return Period{today, today};
    if (t == "yesterday") return Period{today - 1, today - 1};
    if (t == "this-week" || t == "last-week") {
        Date start = week_start(today, ws) - (t == "last-week" ? 7 : 0);
        return Period{start, start + 6};
    }
    if (t == "this-month") return month_of(ty.y, ty.m);
    if (t == "last-month") return ty.m == 1 ? month_of(ty.y - 1, 12) : month_of(ty.y, ty.m - 1);
    if (t == "this-quarter" || t == "last-quarter") {
        int q = (ty.m - 1) / 3, y = ty.y;  // 0..3
        if (t == "last-quarter" && --q < 0) {
            q = 3;
            --y;
        }
        return Period{from_ymd(y, q * 3 + 1, 1), month_of(y, q * 3 + 3).to};
    }
    if (t == "this-year") return year_of(ty.y);
    if (t == "last-year") return year_of(ty.y - 1);
    int y;
    if (t.size() == 4 && parse_fixed_int(t, y) && y >= 1) return year_of(y);
    if (t.size() < 6 || t[4] != '-' || !parse_fixed_int(t.substr(0, 4), y) || y < 1)
        return std::nullopt;
    auto rest = std::string_view(t).substr(5);
    int n;
    if (rest.size() == 2 && rest[0] == 'q' && parse_fixed_int(rest.substr(1), n) && n >= 1 && n <= 4)
        return Period{from_ymd(y, (n - 1) * 3 + 1, 1), month_of(y, n * 3).to};
    if (rest.size() == 3 && rest[0] == 'w' && parse_fixed_int(rest.substr(1), n) && n >= 1 &&
        n <= iso_weeks_in_year(y)) {
        Date monday = iso_week_monday(y, n);
        // With Sunday-start weeks, week N begins on the Sunday before its ISO Monday.
        Date start = ws == WeekStart::monday ? monday : monday - 1;
        return Period{start, start + 6};
    }
    if (rest.size() == 2 && parse_fixed_int(rest, n) && n >= 1 && n <= 12) return month_of(y, n);
    if (auto d = parse_iso_date(t)) return Period{*d, *d};
    return std::nullopt;
}

}  // namespace

Period parse_period(std::string_view s, Date today, WeekStart ws) {
    auto t = text::trim(s);
    if (auto dots = t.find(".."); dots != std::string_view::npos) {
        auto a = t.substr(0, dots), b = t.substr(dots + 2);
        Period p{from_ymd(1, 1, 1), from_ymd(9999, 12, 31)};
        if (!text::trim(a).empty()) {
            auto pa = parse_single(a, today, ws);
            if (!pa) bad_period(s);
            p.from = pa->from;
        }
        if (!text::trim(b).empty()) {
            auto pb = parse_single(b, today, ws);
            if (!pb) bad_period(s);
            p.to = pb->to;
        }
        if (p.to < p.from)
            throw UsageError(fmt::format("period '{}' ends before it starts", s));
        return p;
    }
    if (auto p = parse_single(t, today, ws)) return *p;
    bad_period(s);
}

}  // namespace tb
