#include "tb/util/duration.hpp"

#include <cctype>
#include <charconv>
#include <fmt/format.h>

#include "tb/util/error.hpp"

namespace tb {
namespace {

// A bound far above any real exchange, far below int64 overflow: 100 years.
constexpr Minutes kMaxMinutes = Minutes{60} * 24 * 366 * 100;

struct Cursor {
    std::string_view s;
    std::size_t i = 0;
    bool done() const { return i >= s.size(); }
    char peek() const { return done() ? '\0' : s[i]; }
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads digits into a number; false on overflow past the bound or none read.
bool read_int(Cursor& c, std::int64_t& out, std::size_t& ndigits) {
    out = 0;
    ndigits = 0;
    while (!c.done() && is_digit(c.peek())) {
        if (out > kMaxMinutes * 10) return false;  // keep reading would overflow
        out = out * 10 + (c.peek() - '0');
        ++c.i;
        ++ndigits;
    }
    return ndigits > 0;
}

[[noreturn]] void not_a_duration(std::string_view text) {
    throw UsageError(fmt::format(
        "'{}' is not a duration (use hours such as 1.5, 0.5h, 1:30, 90m or 2h30m)", text));
}

// Exact hours given as integer part + fraction digits; returns the minutes
// or throws Rejected when it is not a whole number of minutes.
Minutes hours_to_minutes(std::string_view text, std::int64_t whole, std::string_view frac) {
    // minutes = (whole + frac/10^k) * 60 must be an integer.
    std::int64_t num = whole;
    std::int64_t den = 1;
    for (char ch : frac) {
        if (den > 1'000'000'000'000LL || num > kMaxMinutes * 10)
            throw Rejected(fmt::format("'{}' hours has too many decimals", text));
        num = num * 10 + (ch - '0');
        den *= 10;
    }
    if (num > kMaxMinutes) throw Rejected(fmt::format("'{}' hours is too large", text));
    std::int64_t scaled = num * 60;
    if (scaled % den != 0)
        throw Rejected(fmt::format("'{}' hours is not a whole number of minutes", text));
    return scaled / den;
}

}  // namespace

namespace {

enum class Unit { none, hours, minutes };

// Reads a unit word after a number (spaces before it allowed): h, hr, hrs,
// hour, hours; m, min, mins, minute, minutes; any case.
Unit read_unit(Cursor& c) {
    auto save = c.i;
    while (!c.done() && c.peek() == ' ') ++c.i;
    auto start = c.i;
    while (!c.done() && std::isalpha(static_cast<unsigned char>(c.peek()))) ++c.i;
    std::string word;
    for (auto ch : c.s.substr(start, c.i - start)) word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (word == "h" || word == "hr" || word == "hrs" || word == "hour" || word == "hours") return Unit::hours;
    if (word == "m" || word == "min" || word == "mins" || word == "minute" || word == "minutes") return Unit::minutes;
    if (!word.empty()) c.i = start;  // an unknown word: left for the caller to refuse
    else c.i = save;
    return Unit::none;
}

// A number: digits, optionally a decimal mark and more digits (".5" too).
struct Number {
    std::int64_t whole = 0;
    std::string_view frac;
    bool has_mark = false;
};

bool read_number(Cursor& c, char decimal_mark, Number& n, std::string_view text) {
    std::size_t nd = 0;
    if (is_digit(c.peek())) {
        if (!read_int(c, n.whole, nd)) throw Rejected(fmt::format("'{}' is too large", text));
        if (n.whole > kMaxMinutes) throw Rejected(fmt::format("'{}' is too large", text));
    }
    if (c.peek() == decimal_mark || c.peek() == '.') {
        ++c.i;
        n.has_mark = true;
        auto start = c.i;
        while (!c.done() && is_digit(c.peek())) ++c.i;
        n.frac = c.s.substr(start, c.i - start);
        if (n.frac.empty() && nd == 0) return false;
    }
    return nd > 0 || !n.frac.empty();
}

Minutes parse_time(std::string_view text, bool allow_negative, bool allow_zero, char decimal_mark) {
    std::string_view t = text;
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
    if (t.empty()) not_a_duration(text);
    bool negative = false;
    if (t.front() == '-' || t.front() == '+') {
        negative = t.front() == '-';
        t.remove_prefix(1);
    }
    Cursor c{t};
    Minutes total = 0;
    Number first;
    if (!read_number(c, decimal_mark, first, text)) not_a_duration(text);
    if (c.peek() == ':') {
        // H:MM, or H:MM:SS as a spreadsheet writes a duration (SS zero).
        if (first.has_mark) not_a_duration(text);
        ++c.i;
        std::int64_t mm = 0;
        std::size_t md = 0;
        if (!read_int(c, mm, md) || md != 2) not_a_duration(text);
        std::int64_t ss = 0;
        if (c.peek() == ':') {
            ++c.i;
            std::size_t sd = 0;
            if (!read_int(c, ss, sd) || sd != 2) not_a_duration(text);
        }
        if (!c.done()) not_a_duration(text);
        if (mm >= 60) throw Rejected(fmt::format("'{}': minutes must be below 60", text));
        if (ss >= 60) throw Rejected(fmt::format("'{}': seconds must be below 60", text));
        if (ss != 0) throw Rejected(fmt::format("'{}' is not a whole number of minutes (seconds must be 00)", text));
        total = first.whole * 60 + mm;
    } else {
        Unit u = read_unit(c);
        if (u == Unit::minutes) {
            // 90m, 90 mins: whole minutes only.
            if (!c.done()) not_a_duration(text);
            if (first.has_mark) {
                for (auto ch : first.frac)
                    if (ch != '0') throw Rejected(fmt::format("'{}' is not a whole number of minutes", text));
            }
            total = first.whole;
        } else {
            // Hours (a bare number is hours), then optionally minutes: 2h30m, 2h30, 1h 30m.
            total = hours_to_minutes(text, first.whole, first.frac);
            if (u == Unit::hours && !c.done()) {
                if (first.has_mark) not_a_duration(text);
                while (!c.done() && c.peek() == ' ') ++c.i;
                std::int64_t mm = 0;
                std::size_t md = 0;
                if (!read_int(c, mm, md)) not_a_duration(text);
                Unit mu = read_unit(c);
                if (mu == Unit::hours || !c.done()) not_a_duration(text);
                if (mm >= 60) throw Rejected(fmt::format("'{}': minutes must be below 60", text));
                total += mm;
            }
            if (!c.done()) not_a_duration(text);
        }
    }
    if (total > kMaxMinutes) throw Rejected(fmt::format("'{}' is too large", text));
    if (total == 0) {
        if (allow_zero) return 0;
        throw Rejected(fmt::format("'{}': time must be more than zero", text));
    }
    if (negative) {
        if (!allow_negative)
            throw Rejected(fmt::format("'{}': time must be positive", text));
        total = -total;
    }
    return total;
}

}  // namespace

Minutes parse_duration(std::string_view text, bool allow_negative, char decimal_mark) {
    return parse_time(text, allow_negative, false, decimal_mark);
}

Minutes parse_balance_hours(std::string_view text, char decimal_mark) {
    return parse_time(text, true, true, decimal_mark);
}

std::size_t format_hours_to(char* out, Minutes m) {
    bool neg = m < 0;
    std::int64_t a = neg ? -m : m;
    // hundredths of an hour, rounded half away from zero
    std::int64_t hundredths = (a * 100 + 30) / 60;
    char* p = out;
    if (neg && hundredths != 0) *p++ = '-';
    p = std::to_chars(p, out + kHoursTextMax - 3, hundredths / 100).ptr;
    *p++ = '.';
    *p++ = static_cast<char>('0' + hundredths % 100 / 10);
    *p++ = static_cast<char>('0' + hundredths % 10);
    return static_cast<std::size_t>(p - out);
}

std::string format_hours(Minutes m) {
    char buf[kHoursTextMax];
    return std::string(buf, format_hours_to(buf, m));
}

std::string format_hm(Minutes m) {
    bool neg = m < 0;
    std::int64_t a = neg ? -m : m;
    return fmt::format("{}{}:{:02}", neg ? "-" : "", a / 60, a % 60);
}

std::int64_t hours_micro(Minutes m) {
    std::int64_t a = m < 0 ? -m : m;
    std::int64_t micro = (a * 1'000'000 + 30) / 60;
    return m < 0 ? -micro : micro;
}

std::string json_hours(Minutes m) {
    std::int64_t micro = hours_micro(m);
    bool neg = micro < 0;
    if (neg) micro = -micro;
    // six decimals; trim trailing zeros
    std::string s = fmt::format("{}{}.{:06}", neg ? "-" : "", micro / 1'000'000, micro % 1'000'000);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

}  // namespace tb
