// Durations: whole minutes in, decimal hours out (SPEC "Values").
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "tb/util/duration.hpp"
#include "tb/util/error.hpp"

using tb::Minutes;
using tb::parse_duration;

namespace {

struct Accepted {
    std::string_view text;
    Minutes minutes;
};

// Runs parse_duration and returns the error it threw (or fails the test).
template <class E>
E expect_error(std::string_view text, bool allow_negative = false, char mark = '.') {
    try {
        auto m = parse_duration(text, allow_negative, mark);
        FAIL_CHECK("accepted as ", m, " minutes");
    } catch (const E& e) {
        return e;
    } catch (const tb::Error& e) {
        FAIL_CHECK("wrong error kind: ", e.what());
    }
    return E("");
}

}  // namespace

TEST_CASE("parse_duration accepts every SPEC form") {
    const Accepted cases[] = {
        {"1.5", 90},     {"1.25", 75},    {"0.5h", 30},   {"1:30", 90},   {"90m", 90},
        {"2h30m", 150},  {".5", 30},      {"2", 120},     {"2h", 120},    {"1.5h", 90},
        {"0:45", 45},    {"10:05", 605},  {"1m", 1},      {"0.25", 15},   {"24", 1440},
        {"1.75", 105},   {"0.05", 3},     {"1H", 60},     {"45M", 45},    {"2H30M", 150},
        {"1.0", 60},     {"+1.5", 90},    {"0h45m", 45},  {"1.50", 90},   {"3.5h", 210},
        // surrounding whitespace is ignored
        {" 1.5", 90},    {"1.5 ", 90},    {"\t90m\n", 90}, {"  2h30m  ", 150},
    };
    for (auto& c : cases) {
        CAPTURE(c.text);
        CHECK(parse_duration(c.text) == c.minutes);
    }
}

TEST_CASE("parse_duration: each form SPEC Values lists, one case each") {
    using tb::parse_duration;
    CHECK(parse_duration("1.5") == 90);          // a bare number is hours
    CHECK(parse_duration("1,5", false, ',') == 90);  // decimal_mark = ","
    CHECK(parse_duration("1.25") == 75);
    CHECK(parse_duration("0.5h") == 30);
    CHECK(parse_duration("1:30") == 90);
    CHECK(parse_duration("1:30:00") == 90);      // Google Forms' duration
    CHECK(parse_duration("90m") == 90);
    CHECK(parse_duration("90 min") == 90);
    CHECK(parse_duration("90 mins") == 90);
    CHECK(parse_duration("90 minutes") == 90);
    CHECK(parse_duration("2h30m") == 150);
    CHECK(parse_duration("2h30") == 150);
    CHECK(parse_duration("1h30") == 90);
    CHECK(parse_duration("1h 30m") == 90);
    CHECK(parse_duration("1.5 hrs") == 90);
    CHECK(parse_duration("1.5 hours") == 90);
    CHECK(parse_duration("1 hour") == 60);
    // units in any case, with or without a space
    CHECK(parse_duration("1.5 HRS") == 90);
    CHECK(parse_duration("90 Minutes") == 90);
    CHECK(parse_duration("1 Hour 30 Mins") == 90);
    CHECK(parse_duration("2 h") == 120);
    CHECK(parse_duration("1hr") == 60);
    CHECK(parse_duration("1 minute") == 1);
    CHECK(parse_duration("2 hours 15 minutes") == 135);
    CHECK(parse_duration("10:05:00") == 605);
    CHECK(parse_duration("0:45:00") == 45);
    CHECK(parse_duration("90.0 min") == 90);
    CHECK(parse_duration("-1:30:00", true) == -90);
}

TEST_CASE("parse_duration: seconds, fractions of a minute and minutes past 59 are refused (exit 3)") {
    for (auto text : {"1:30:15", "1:30:60", "1:60:00", "1.5m", "90.5 mins", "1h 75m", "2h60", "0:00:00", "0 hours"}) {
        CAPTURE(text);
        CHECK_THROWS_AS(tb::parse_duration(text), tb::Rejected);
    }
}

TEST_CASE("parse_duration rejects values that parse but break a rule (exit 3)") {
    const std::string_view cases[] = {
        "0", "0.0", "0m", "0:00", "0h", "0h0m", ".0",        // zero
        "-1", "-1.5", "-90m", "-1:30",                       // negative
        "1.333", "0.01", "1.001", "0.1234",                  // not whole minutes
        "1:60", "1:99", "1h60m",                             // minutes out of range
        "1234567890", "999999999m", "99999999h",             // far too large
    };
    for (auto text : cases) {
        CAPTURE(text);
        auto e = expect_error<tb::Rejected>(text);
        CHECK(e.code() == tb::ExitCode::rejected);
        CHECK(static_cast<int>(e.code()) == 3);
        CHECK(std::string(e.what()).find(std::string(text)) != std::string::npos);
    }
}

TEST_CASE("parse_duration: text that is not a duration is a usage error (exit 2)") {
    const std::string_view cases[] = {
        "abc", "1:3", "h", "", "   ", "m", ":30", "1:", "1:300", "1.5.5", "1,5",
        "1.5x", "1:30:0", "1:30:", "1.5h30m", "1h30h", "2 hours 30 hours", "90 secs", "1 day", "1:30 hours", "x1.5", ".", "-", "--1", "1e2", "one", "1:30m", "h30m",
    };
    for (auto text : cases) {
        CAPTURE(text);
        auto e = expect_error<tb::UsageError>(text);
        CHECK(e.code() == tb::ExitCode::usage);
        CHECK(static_cast<int>(e.code()) == 2);
        // The message names the value as given.
        CHECK(std::string(e.what()).find("'" + std::string(text) + "'") != std::string::npos);
    }
}

TEST_CASE("parse_duration: overflow never crashes and never wraps") {
    const std::string_view cases[] = {
        "99999999999999999999",    "99999999999999999999m", "99999999999999999999h",
        "99999999999999999999:00", "1.99999999999999999999", "9223372036854775807",
        "9223372036854775808m",    "99999999999999999999.5", "0.00000000000000000001",
    };
    for (auto text : cases) {
        CAPTURE(text);
        try {
            auto m = parse_duration(text);
            FAIL_CHECK("accepted as ", m, " minutes");
        } catch (const tb::Error& e) {
            CHECK((e.code() == tb::ExitCode::rejected || e.code() == tb::ExitCode::usage));
            CHECK(std::string(e.what()).find(std::string(text)) != std::string::npos);
        }
    }
}

TEST_CASE("parse_duration with allow_negative") {
    const Accepted cases[] = {
        {"-1.5", -90}, {"-90m", -90}, {"-1:30", -90}, {"-2h30m", -150}, {"1.5", 90}, {" -0.5 ", -30},
    };
    for (auto& c : cases) {
        CAPTURE(c.text);
        CHECK(parse_duration(c.text, true) == c.minutes);
    }
    // Zero is still not a duration worth recording, whatever its sign.
    expect_error<tb::Rejected>("-0", true);
    expect_error<tb::Rejected>("0", true);
    expect_error<tb::Rejected>("-1.333", true);
    expect_error<tb::UsageError>("-abc", true);
}

TEST_CASE("parse_duration with a decimal comma") {
    const Accepted cases[] = {{"1,5", 90}, {"1,25", 75}, {"0,5h", 30}, {",5", 30}, {"2", 120}, {"1:30", 90}};
    for (auto& c : cases) {
        CAPTURE(c.text);
        CHECK(parse_duration(c.text, false, ',') == c.minutes);
    }
    expect_error<tb::Rejected>("1,333", false, ',');
    expect_error<tb::UsageError>("1,5,5", false, ',');
    CHECK(parse_duration("-1,5", true, ',') == -90);
}

TEST_CASE("format_hours: two decimals, rounded half away from zero") {
    const std::pair<Minutes, std::string_view> cases[] = {
        {90, "1.50"},  {1, "0.02"},    {-90, "-1.50"}, {0, "0.00"},    {60, "1.00"},  {30, "0.50"},
        {20, "0.33"},  {40, "0.67"},   {45, "0.75"},   {3, "0.05"},    {-1, "-0.02"}, {-20, "-0.33"},
        {150, "2.50"}, {1440, "24.00"}, {599, "9.98"}, {61, "1.02"},   {-1200, "-20.00"},
        {6000000, "100000.00"},  // never a thousands separator
    };
    for (auto& [m, s] : cases) {
        const auto& shown = m;  // clang 14: CAPTURE cannot take a structured binding
        CAPTURE(shown);
        CHECK(tb::format_hours(m) == s);
        char buf[tb::kHoursTextMax];
        CHECK(std::string_view(buf, tb::format_hours_to(buf, m)) == s);
    }
    // The widest: the largest count of minutes whose hundredths do not overflow.
    char buf[tb::kHoursTextMax];
    auto n = tb::format_hours_to(buf, -((INT64_MAX - 30) / 100));
    CHECK(n <= tb::kHoursTextMax);
    CHECK(std::string_view(buf, n) == "-1537228672809129.28");
}

TEST_CASE("json_hours: a JSON number with only the digits needed") {
    const std::pair<Minutes, std::string_view> cases[] = {
        {90, "1.5"},   {20, "0.333333"}, {60, "1"},        {0, "0"},          {-90, "-1.5"},
        {75, "1.25"},  {1, "0.016667"},  {40, "0.666667"}, {-20, "-0.333333"}, {1440, "24"},
        {6000000, "100000"},
    };
    for (auto& [m, s] : cases) {
        const auto& shown = m;  // clang 14: CAPTURE cannot take a structured binding
        CAPTURE(shown);
        CHECK(tb::json_hours(m) == s);
    }
}

TEST_CASE("formatting round-trips through parsing for whole hundredths") {
    for (Minutes m : {3, 6, 15, 30, 45, 60, 90, 105, 150, 1440}) {
        CAPTURE(m);
        CHECK(parse_duration(tb::format_hours(m)) == m);
        CHECK(parse_duration(tb::json_hours(m)) == m);
    }
}

TEST_CASE("parse_balance_hours: a balance or limit may be zero in any form, or negative") {
    for (auto zero : {"0", "0.0", "0.00", "-0", "00", "0h", "0m", "0:00", "0.0h", "0h0m"})
        CHECK_MESSAGE(tb::parse_balance_hours(zero) == 0, zero);
    CHECK(tb::parse_balance_hours("-20") == -1200);
    CHECK(tb::parse_balance_hours("-1:30") == -90);
    CHECK(tb::parse_balance_hours("40") == 2400);
    CHECK(tb::parse_balance_hours("1,5", ',') == 90);
    CHECK_THROWS_AS(tb::parse_balance_hours("abc"), tb::UsageError);
    CHECK_THROWS_AS(tb::parse_balance_hours("1.333"), tb::Rejected);
    // Durations themselves stay positive.
    CHECK_THROWS_AS(parse_duration("0h"), tb::Rejected);
}
