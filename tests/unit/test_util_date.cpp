// Calendar dates and periods (SPEC "Values": Dates, Periods).
#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "tb/util/date.hpp"
#include "tb/util/error.hpp"

using tb::Date;
using tb::from_ymd;
using tb::parse_period;
using tb::Period;
using tb::WeekStart;

namespace {

Date d(std::string_view iso) {
    auto r = tb::parse_iso_date(iso);
    REQUIRE_MESSAGE(r.has_value(), "bad date in test: ", std::string(iso));
    return *r;
}

std::string show(const Period& p) { return tb::to_string(p.from) + ".." + tb::to_string(p.to); }

// Sets or clears an environment variable for one scope, then restores it.
class EnvVar {
public:
    EnvVar(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~EnvVar() {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }
    EnvVar(const EnvVar&) = delete;
    EnvVar& operator=(const EnvVar&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("from_ymd and to_ymd") {
    SUBCASE("known anchors") {
        CHECK(from_ymd(1970, 1, 1).days == 0);
        CHECK(from_ymd(1970, 1, 2).days == 1);
        CHECK(from_ymd(1969, 12, 31).days == -1);
        CHECK(from_ymd(2000, 2, 29).days == 11016);
        CHECK(from_ymd(2026, 11, 27).days == 20784);
        CHECK(from_ymd(1, 1, 1).days == -719162);
        CHECK(from_ymd(9999, 12, 31).days == 2932896);
    }
    SUBCASE("every day from 1600 to 2450 round-trips and follows on from the last") {
        Date prev = from_ymd(1599, 12, 31);
        for (int y = 1600; y <= 2450; ++y) {
            for (int m = 1; m <= 12; ++m) {
                for (int day = 1; day <= tb::days_in_month(y, m); ++day) {
                    Date x = from_ymd(y, m, day);
                    if (x.days != prev.days + 1) {
                        CAPTURE(y);
                        CAPTURE(m);
                        CAPTURE(day);
                        FAIL_CHECK("not consecutive");
                    }
                    auto back = tb::to_ymd(x);
                    if (back.y != y || back.m != m || back.d != day) {
                        CAPTURE(y);
                        CAPTURE(m);
                        CAPTURE(day);
                        FAIL_CHECK("round trip gave ", back.y, "-", back.m, "-", back.d);
                    }
                    prev = x;
                }
            }
        }
    }
    SUBCASE("leap years") {
        const std::pair<int, bool> years[] = {{1600, true},  {1700, false}, {1900, false}, {2000, true},
                                              {2023, false}, {2024, true},  {2026, false}, {2028, true},
                                              {2100, false}, {2400, true}};
        for (auto [y, leap] : years) {
            const auto& shown = y;  // clang 14: CAPTURE cannot take a structured binding
            CAPTURE(shown);
            CHECK(tb::days_in_month(y, 2) == (leap ? 29 : 28));
            CHECK(tb::valid_ymd(y, 2, 29) == leap);
            CHECK(from_ymd(y + 1, 1, 1) - from_ymd(y, 1, 1) == (leap ? 366 : 365));
        }
    }
    SUBCASE("valid_ymd bounds") {
        CHECK(tb::valid_ymd(2026, 1, 31));
        CHECK_FALSE(tb::valid_ymd(2026, 4, 31));
        CHECK_FALSE(tb::valid_ymd(2026, 0, 1));
        CHECK_FALSE(tb::valid_ymd(2026, 13, 1));
        CHECK_FALSE(tb::valid_ymd(2026, 1, 0));
        CHECK_FALSE(tb::valid_ymd(0, 1, 1));
        CHECK_FALSE(tb::valid_ymd(10000, 1, 1));
    }
}

TEST_CASE("iso_weekday and to_string") {
    const std::pair<std::string_view, int> cases[] = {
        {"1970-01-01", 4}, {"2026-11-27", 5}, {"2026-11-23", 1}, {"2026-11-29", 7},
        {"2000-01-01", 6}, {"1969-12-31", 3}, {"2024-02-29", 4}, {"1900-01-01", 1},
    };
    for (auto [iso, wd] : cases) {
        const auto& shown = iso;  // clang 14: CAPTURE cannot take a structured binding
        CAPTURE(shown);
        CHECK(tb::iso_weekday(d(iso)) == wd);
        CHECK(tb::to_string(d(iso)) == iso);
    }
    // Seven consecutive days take every weekday once, before and after 1970.
    for (int start : {-1000, -3, 0, 20784}) {
        for (int k = 0; k < 7; ++k) {
            CAPTURE(start);
            CHECK(tb::iso_weekday(Date{start + k}) == (tb::iso_weekday(Date{start}) - 1 + k) % 7 + 1);
        }
    }
    CHECK(tb::to_string(from_ymd(1, 1, 1)) == "0001-01-01");
}

TEST_CASE("parse_iso_date is strict") {
    CHECK(tb::parse_iso_date("2024-02-29") == from_ymd(2024, 2, 29));
    CHECK(tb::parse_iso_date("2026-12-31") == from_ymd(2026, 12, 31));
    CHECK(tb::parse_iso_date("0001-01-01") == from_ymd(1, 1, 1));
    const std::string_view bad[] = {
        "2026-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
        "2026-1-1",   "26-11-27",   "2026/11/27", "2026-11-27 ", " 2026-11-27", "2026-11-2a",
        "20261127",   "",           "2026-11-270", "+026-11-27", "2026-+1-27", "0000-01-01",
        "today",      "27/11/2026", "2026-11--7", "2026-1:-01", "2026-11-2/", "2026-11-0\x80", "2026-11-0 ",
    };
    for (auto s : bad) {
        CAPTURE(s);
        CHECK_FALSE(tb::parse_iso_date(s).has_value());
    }
}

TEST_CASE("parse_date: ISO dates, today and yesterday") {
    Date today = d("2026-03-01");
    CHECK(tb::parse_date("today", today) == today);
    CHECK(tb::parse_date("Today", today) == today);
    CHECK(tb::parse_date(" today ", today) == today);
    CHECK(tb::parse_date("yesterday", today) == d("2026-02-28"));
    CHECK(tb::parse_date("yesterday", d("2024-03-01")) == d("2024-02-29"));
    CHECK(tb::parse_date("yesterday", d("2026-01-01")) == d("2025-12-31"));
    CHECK(tb::parse_date("2026-11-27", today) == d("2026-11-27"));
    for (std::string_view bad : {"tomorrow", "2026-02-29", "27/11/2026", "", "nonsense"}) {
        CAPTURE(bad);
        try {
            tb::parse_date(bad, today);
            FAIL_CHECK("accepted");
        } catch (const tb::UsageError& e) {
            CHECK(std::string(e.what()).find("'" + std::string(bad) + "'") != std::string::npos);
        }
    }
}

TEST_CASE("parse_date_format: the strftime subset for imports") {
    struct Case {
        std::string_view text, format;
        std::optional<std::string_view> expected;
    };
    const Case cases[] = {
        {"27/11/2026", "%d/%m/%Y", "2026-11-27"},
        {"01/02/2026", "%d/%m/%Y", "2026-02-01"},
        {"1/2/2026", "%d/%m/%Y", "2026-02-01"},
        {"29/02/2024", "%d/%m/%Y", "2024-02-29"},
        {"29/02/2026", "%d/%m/%Y", std::nullopt},
        {"31/04/2026", "%d/%m/%Y", std::nullopt},
        {"11/27/2026", "%d/%m/%Y", std::nullopt},
        {"2026-11-27", "%d/%m/%Y", std::nullopt},
        {"27/11/2026 ", "%d/%m/%Y", std::nullopt},
        {"27/11/2026", "%Y-%m-%d", std::nullopt},
        {"2026-11-27", "%Y-%m-%d", "2026-11-27"},
        {"11/27/2026", "%m/%d/%Y", "2026-11-27"},
        {"27 Nov 2026", "%d %b %Y", "2026-11-27"},
        {"27 nov 2026", "%d %b %Y", "2026-11-27"},
        {"27 November 2026", "%d %b %Y", "2026-11-27"},
        {"1 Sept 2026", "%d %b %Y", "2026-09-01"},
        {"27 Foo 2026", "%d %b %Y", std::nullopt},
        {"27 No 2026", "%d %b %Y", std::nullopt},
        {"27/11/26", "%d/%m/%y", "2026-11-27"},
        {"27/11/69", "%d/%m/%y", "2069-11-27"},
        {"27/11/70", "%d/%m/%y", "1970-11-27"},
        {"27/11/99", "%d/%m/%y", "1999-11-27"},
        {" 7.11.2026", "%e.%m.%Y", "2026-11-07"},
        {"27.11.2026", "%d.%m.%Y", "2026-11-27"},
        {"", "%d/%m/%Y", std::nullopt},
        {"27/11", "%d/%m", std::nullopt},  // no year
        {"100%", "100%%", std::nullopt},   // no date at all
        {"27 November 2026", "%d %B %Y", "2026-11-27"},
        {"03/09/2026 10:15", "%d/%m/%Y %H:%M", "2026-09-03"},       // a date-time column
        {"03/09/2026 23:59:60", "%d/%m/%Y %H:%M:%S", "2026-09-03"},
        {"03/09/2026 24:00", "%d/%m/%Y %H:%M", std::nullopt},
        {"03/09/2026 10:60", "%d/%m/%Y %H:%M", std::nullopt},
        {"03/09/2026", "%d/%m/%Y %H:%M", std::nullopt},
    };
    for (auto& c : cases) {
        CAPTURE(c.text);
        CAPTURE(c.format);
        auto got = tb::parse_date_format(c.text, c.format);
        if (c.expected) {
            REQUIRE(got.has_value());
            CHECK(tb::to_string(*got) == *c.expected);
        } else {
            CHECK_FALSE(got.has_value());
        }
    }
}

TEST_CASE("date_format_problem: what parse_date_format cannot use") {
    CHECK_FALSE(tb::date_format_problem("%d/%m/%Y").has_value());
    CHECK_FALSE(tb::date_format_problem("%e %B %y, %H:%M:%S %%").has_value());
    CHECK(tb::date_format_problem("%d/%m/%Y %I:%M %p").value_or("").find("%I is not supported") == 0);
    CHECK(tb::date_format_problem("%d/%m").value_or("").find("needs a day") == 0);
    CHECK(tb::date_format_problem("%d/%m/%Y %").value_or("") == "ends with a lone %");
}

TEST_CASE("resolve_today: --today, then TB_TODAY, then the clock") {
    SUBCASE("explicit override wins over the environment") {
        EnvVar env("TB_TODAY", "2020-01-01");
        CHECK(tb::resolve_today(std::string("2026-11-27")) == d("2026-11-27"));
    }
    SUBCASE("TB_TODAY when there is no override") {
        EnvVar env("TB_TODAY", "2024-02-29");
        CHECK(tb::resolve_today(std::nullopt) == d("2024-02-29"));
    }
    SUBCASE("a malformed override is a usage error naming it") {
        EnvVar env("TB_TODAY", nullptr);
        try {
            tb::resolve_today(std::string("27/11/2026"));
            FAIL_CHECK("accepted");
        } catch (const tb::UsageError& e) {
            CHECK(std::string(e.what()).find("27/11/2026") != std::string::npos);
        }
    }
    SUBCASE("a malformed TB_TODAY is a usage error") {
        EnvVar env("TB_TODAY", "2026-02-30");
        CHECK_THROWS_AS(tb::resolve_today(std::nullopt), tb::UsageError);
    }
    SUBCASE("an empty TB_TODAY is ignored") {
        EnvVar env("TB_TODAY", "");
        Date today = tb::resolve_today(std::nullopt);
        CHECK(today > d("2024-01-01"));
        CHECK(today < d("2200-01-01"));
    }
    SUBCASE("without either, the clock") {
        EnvVar env("TB_TODAY", nullptr);
        Date today = tb::resolve_today(std::nullopt);
        CHECK(today > d("2024-01-01"));
        CHECK(today < d("2200-01-01"));
    }
}

TEST_CASE("utc_timestamp_now is ISO 8601 UTC") {
    auto ts = tb::utc_timestamp_now();
    REQUIRE(ts.size() == 20);
    CHECK(ts[10] == 'T');
    CHECK(ts.back() == 'Z');
    CHECK(tb::parse_iso_date(ts.substr(0, 10)).has_value());
}

TEST_CASE("ISO weeks") {
    CHECK(tb::iso_weeks_in_year(2020) == 53);
    CHECK(tb::iso_weeks_in_year(2021) == 52);
    CHECK(tb::iso_weeks_in_year(2026) == 53);
    CHECK(tb::iso_weeks_in_year(2015) == 53);
    CHECK(tb::iso_weeks_in_year(2025) == 52);
    CHECK(tb::iso_week_monday(2025, 1) == d("2024-12-30"));
    CHECK(tb::iso_week_monday(2026, 1) == d("2025-12-29"));
    CHECK(tb::iso_week_monday(2026, 47) == d("2026-11-16"));
    CHECK(tb::iso_week_monday(2020, 53) == d("2020-12-28"));
    const std::tuple<std::string_view, int, int> weeks[] = {
        {"2024-12-30", 2025, 1}, {"2021-01-03", 2020, 53}, {"2027-01-01", 2026, 53},
        {"2026-11-27", 2026, 48}, {"2026-01-01", 2026, 1}, {"2023-01-01", 2022, 52},
    };
    for (auto& [iso, y, w] : weeks) {
        const auto& shown = iso;  // clang 14: CAPTURE cannot take a structured binding
        CAPTURE(shown);
        CHECK(tb::iso_week(d(iso)) == std::pair{y, w});
    }
}

TEST_CASE("parse_period: every SPEC form") {
    const Date today = d("2026-11-27");  // a Friday
    struct Case {
        std::string_view text;
        WeekStart ws;
        std::string_view expected;
    };
    constexpr auto mon = WeekStart::monday;
    constexpr auto sun = WeekStart::sunday;
    const Case cases[] = {
        {"2026", mon, "2026-01-01..2026-12-31"},
        {"2024", mon, "2024-01-01..2024-12-31"},
        {"2026-Q1", mon, "2026-01-01..2026-03-31"},
        {"2024-Q1", mon, "2024-01-01..2024-03-31"},
        {"2026-Q2", mon, "2026-04-01..2026-06-30"},
        {"2026-Q3", mon, "2026-07-01..2026-09-30"},
        {"2026-Q4", mon, "2026-10-01..2026-12-31"},
        {"2026-q4", mon, "2026-10-01..2026-12-31"},
        {"2026-11", mon, "2026-11-01..2026-11-30"},
        {"2026-02", mon, "2026-02-01..2026-02-28"},
        {"2024-02", mon, "2024-02-01..2024-02-29"},
        {"2026-12", mon, "2026-12-01..2026-12-31"},
        {"2026-W47", mon, "2026-11-16..2026-11-22"},
        {"2026-w47", mon, "2026-11-16..2026-11-22"},
        {"2020-W53", mon, "2020-12-28..2021-01-03"},
        {"2026-W53", mon, "2026-12-28..2027-01-03"},
        {"2025-W01", mon, "2024-12-30..2025-01-05"},
        {"2026-W01", mon, "2025-12-29..2026-01-04"},
        // Sunday-start weeks: week N begins the Sunday before its ISO Monday.
        {"2026-W47", sun, "2026-11-15..2026-11-21"},
        {"2025-W01", sun, "2024-12-29..2025-01-04"},
        {"2026-11-27", mon, "2026-11-27..2026-11-27"},
        {"today", mon, "2026-11-27..2026-11-27"},
        {"yesterday", mon, "2026-11-26..2026-11-26"},
        {"this-week", mon, "2026-11-23..2026-11-29"},
        {"last-week", mon, "2026-11-16..2026-11-22"},
        {"this-week", sun, "2026-11-22..2026-11-28"},
        {"last-week", sun, "2026-11-15..2026-11-21"},
        {"this-month", mon, "2026-11-01..2026-11-30"},
        {"last-month", mon, "2026-10-01..2026-10-31"},
        {"this-year", mon, "2026-01-01..2026-12-31"},
        {"last-year", mon, "2025-01-01..2025-12-31"},
        {"This-Month", mon, "2026-11-01..2026-11-30"},
        {" 2026-11 ", mon, "2026-11-01..2026-11-30"},
        // FROM..TO: each side any form, inclusive of both ends
        {"2026-01..2026-03", mon, "2026-01-01..2026-03-31"},
        {"2026-01-15..2026-02", mon, "2026-01-15..2026-02-28"},
        {"2026-Q1..2026-W20", mon, "2026-01-01..2026-05-17"},
        {"2025..2026-Q1", mon, "2025-01-01..2026-03-31"},
        {"last-month..this-month", mon, "2026-10-01..2026-11-30"},
        {"2026-11-01..today", mon, "2026-11-01..2026-11-27"},
        {"2026-11-27..2026-11-27", mon, "2026-11-27..2026-11-27"},
        {"2026-11..", mon, "2026-11-01..9999-12-31"},
        {"..2026-03", mon, "0001-01-01..2026-03-31"},
        {"..", mon, "0001-01-01..9999-12-31"},
        {" 2026-01 .. 2026-02 ", mon, "2026-01-01..2026-02-28"},
    };
    for (auto& c : cases) {
        CAPTURE(c.text);
        CAPTURE(c.ws == mon ? "monday" : "sunday");
        CHECK(show(parse_period(c.text, today, c.ws)) == c.expected);
    }
}

TEST_CASE("parse_period: relative forms at the edges of the calendar") {
    struct Case {
        std::string_view today, text;
        WeekStart ws;
        std::string_view expected;
    };
    constexpr auto mon = WeekStart::monday;
    constexpr auto sun = WeekStart::sunday;
    const Case cases[] = {
        {"2026-01-15", "last-month", mon, "2025-12-01..2025-12-31"},
        {"2026-01-01", "last-month", mon, "2025-12-01..2025-12-31"},
        {"2026-03-31", "last-month", mon, "2026-02-01..2026-02-28"},
        {"2024-03-10", "last-month", mon, "2024-02-01..2024-02-29"},
        {"2026-01-01", "last-year", mon, "2025-01-01..2025-12-31"},
        {"2026-12-31", "this-year", mon, "2026-01-01..2026-12-31"},
        {"2026-01-01", "this-week", mon, "2025-12-29..2026-01-04"},  // a Thursday
        {"2026-01-01", "last-week", mon, "2025-12-22..2025-12-28"},
        {"2026-11-23", "this-week", mon, "2026-11-23..2026-11-29"},  // a Monday
        {"2026-11-29", "this-week", mon, "2026-11-23..2026-11-29"},  // a Sunday
        {"2026-11-29", "this-week", sun, "2026-11-29..2026-12-05"},
        {"2026-11-28", "this-week", sun, "2026-11-22..2026-11-28"},  // a Saturday
        {"2026-11-23", "last-week", sun, "2026-11-15..2026-11-21"},
    };
    for (auto& c : cases) {
        CAPTURE(c.today);
        CAPTURE(c.text);
        CHECK(show(parse_period(c.text, d(c.today), c.ws)) == c.expected);
    }
}

TEST_CASE("parse_period: what is not a period is a usage error naming it") {
    const Date today = d("2026-11-27");
    const std::string_view bad[] = {
        "2021-W53", "2026-W54", "2026-W00", "2026-W0",  "2026-W470", "2026-Q0", "2026-Q5",  "2026-Q",
        "2026-13",  "2026-00",  "2026-1",   "26",       "0000",      "nonsense", "",        "next-week",
        "2026-02-30", "2026-11..nonsense", "nonsense..2026", "2026...2027", "2026-11-27..2026-11-27..2026",
        "20260", "W47", "2026-X1",
    };
    for (auto s : bad) {
        CAPTURE(s);
        try {
            parse_period(s, today, WeekStart::monday);
            FAIL_CHECK("accepted");
        } catch (const tb::UsageError& e) {
            CHECK(std::string(e.what()).find("'" + std::string(s) + "'") != std::string::npos);
        }
    }
}

TEST_CASE("parse_period: TO before FROM is refused") {
    const Date today = d("2026-11-27");
    for (std::string_view s : {"2026-12..2026-01", "2027..2026", "this-month..last-month", "2026-11-28..today"}) {
        CAPTURE(s);
        try {
            parse_period(s, today, WeekStart::monday);
            FAIL_CHECK("accepted");
        } catch (const tb::Error& e) {
            CHECK(e.code() == tb::ExitCode::usage);
            CHECK(std::string(e.what()).find(std::string(s)) != std::string::npos);
        }
    }
}

TEST_CASE("Period: length, contains, previous") {
    const Date today = d("2026-11-27");
    struct Case {
        std::string_view text;
        int length;
        std::string_view previous;
    };
    const Case cases[] = {
        {"2026-W47", 7, "2026-11-09..2026-11-15"},
        {"2026-11-27", 1, "2026-11-26..2026-11-26"},
        {"2026-01..2026-01", 31, "2025-12-01..2025-12-31"},  // January: previous 31 days is December
        {"2026-11", 30, "2026-10-02..2026-10-31"},           // equal length, not the calendar month
        {"2026", 365, "2025-01-01..2025-12-31"},
        {"2025", 365, "2024-01-02..2024-12-31"},              // 2024 is a leap year
        {"2026-Q1", 90, "2025-10-03..2025-12-31"},
    };
    for (auto& c : cases) {
        CAPTURE(c.text);
        auto p = parse_period(c.text, today, WeekStart::monday);
        CHECK(p.length() == c.length);
        CHECK(p.contains(p.from));
        CHECK(p.contains(p.to));
        CHECK_FALSE(p.contains(p.from - 1));
        CHECK_FALSE(p.contains(p.to + 1));
        auto prev = p.previous();
        CHECK(show(prev) == c.previous);
        CHECK(prev.length() == p.length());
        CHECK(prev.to + 1 == p.from);
    }
    CHECK(tb::week_start(d("2026-11-27"), WeekStart::monday) == d("2026-11-23"));
    CHECK(tb::week_start(d("2026-11-27"), WeekStart::sunday) == d("2026-11-22"));
    CHECK(tb::week_start(d("2026-11-22"), WeekStart::sunday) == d("2026-11-22"));
    CHECK(tb::week_start(d("2026-11-22"), WeekStart::monday) == d("2026-11-16"));
}

using tb::iso_weeks_in_year;
using tb::one_year_earlier;
using tb::parse_iso_date;
using tb::previous_calendar_period;
using tb::same_period_a_year_earlier;

TEST_CASE("this-quarter and last-quarter") {
    auto t = *parse_iso_date("2026-11-27");
    CHECK(parse_period("this-quarter", t, WeekStart::monday) ==
          Period{*parse_iso_date("2026-10-01"), *parse_iso_date("2026-12-31")});
    CHECK(parse_period("last-quarter", t, WeekStart::monday) ==
          Period{*parse_iso_date("2026-07-01"), *parse_iso_date("2026-09-30")});
    auto jan = *parse_iso_date("2026-01-15");
    CHECK(parse_period("last-quarter", jan, WeekStart::monday) ==
          Period{*parse_iso_date("2025-10-01"), *parse_iso_date("2025-12-31")});
    CHECK(parse_period("Last-Quarter..this-quarter", jan, WeekStart::monday) ==
          Period{*parse_iso_date("2025-10-01"), *parse_iso_date("2026-03-31")});
}

TEST_CASE("previous calendar period: whole months by months, else equal length") {
    auto P = [](const char* a, const char* b) { return Period{*parse_iso_date(a), *parse_iso_date(b)}; };
    CHECK(previous_calendar_period(P("2026-04-01", "2026-06-30")) == P("2026-01-01", "2026-03-31"));
    CHECK(previous_calendar_period(P("2026-03-01", "2026-03-31")) == P("2026-02-01", "2026-02-28"));
    CHECK(previous_calendar_period(P("2024-03-01", "2024-03-31")) == P("2024-02-01", "2024-02-29"));
    CHECK(previous_calendar_period(P("2026-01-01", "2026-12-31")) == P("2025-01-01", "2025-12-31"));
    CHECK(previous_calendar_period(P("2026-01-01", "2026-01-31")) == P("2025-12-01", "2025-12-31"));
    CHECK(previous_calendar_period(P("2026-03-01", "2026-04-30")) == P("2026-01-01", "2026-02-28"));
    CHECK(previous_calendar_period(P("2026-11-16", "2026-11-22")) == P("2026-11-09", "2026-11-15"));
    CHECK(previous_calendar_period(P("2026-03-05", "2026-03-14")) == P("2026-02-23", "2026-03-04"));
}

TEST_CASE("the same period a year earlier: leap day and ISO week 53") {
    auto P = [](const char* a, const char* b) { return Period{*parse_iso_date(a), *parse_iso_date(b)}; };
    CHECK(one_year_earlier(*parse_iso_date("2024-02-29")) == *parse_iso_date("2023-02-28"));
    CHECK(one_year_earlier(*parse_iso_date("2025-02-28")) == *parse_iso_date("2024-02-28"));
    CHECK(one_year_earlier(*parse_iso_date("2026-11-27")) == *parse_iso_date("2025-11-27"));
    CHECK(same_period_a_year_earlier(P("2024-02-01", "2024-02-29"), WeekStart::monday) == P("2023-02-01", "2023-02-28"));
    CHECK(same_period_a_year_earlier(P("2026-04-01", "2026-06-30"), WeekStart::monday) == P("2025-04-01", "2025-06-30"));
    // 2026-W53 (2026 has 53 ISO weeks, 2025 has 52) -> 2025-W52.
    CHECK(iso_weeks_in_year(2026) == 53);
    CHECK(iso_weeks_in_year(2025) == 52);
    CHECK(same_period_a_year_earlier(P("2026-12-28", "2027-01-03"), WeekStart::monday) == P("2025-12-22", "2025-12-28"));
    // 2026-W47 -> 2025-W47.
    CHECK(same_period_a_year_earlier(P("2026-11-16", "2026-11-22"), WeekStart::monday) == P("2025-11-17", "2025-11-23"));
    // Sunday weeks: the week before the ISO Monday.
    CHECK(same_period_a_year_earlier(P("2026-11-15", "2026-11-21"), WeekStart::sunday) == P("2025-11-16", "2025-11-22"));
    // 2021-W01 -> 2020-W01 (2020 had 53 weeks; the number is kept).
    CHECK(same_period_a_year_earlier(P("2021-01-04", "2021-01-10"), WeekStart::monday) == P("2019-12-30", "2020-01-05"));
    // Seven days that are not a calendar week: the same dates.
    CHECK(same_period_a_year_earlier(P("2026-11-18", "2026-11-24"), WeekStart::monday) == P("2025-11-18", "2025-11-24"));
}

TEST_CASE("a Date in fmt::format is written YYYY-MM-DD, as to_string writes it, width and all") {
    auto d = tb::from_ymd(2026, 3, 7);
    CHECK(fmt::format("due {}", d) == "due 2026-03-07");
    CHECK(fmt::format("{}", tb::from_ymd(1, 1, 1)) == tb::to_string(tb::from_ymd(1, 1, 1)));
    CHECK(fmt::format("[{:>12}]", d) == "[  2026-03-07]");
}
