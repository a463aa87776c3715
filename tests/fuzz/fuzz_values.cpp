// libFuzzer target: the value parsers people type into options and cells:
// durations (both decimal marks), balances, dates (ISO, today/yesterday,
// strftime-style date_format), periods (both week starts), and the text
// helpers that guard and print values. Properties, not just "no crash":
// a parsed duration formats and parses back to the same minutes, a period
// is ordered, the spreadsheet guard is undone exactly, a printed message
// holds no control character but tab and newline.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tb/io/output.hpp"
#include "tb/util/date.hpp"
#include "tb/util/duration.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace {

template <typename F>
void quietly(F&& f) {
    try {
        f();
    } catch (const tb::Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    std::string_view s(reinterpret_cast<const char*>(data) + 1, size - 1);
    const tb::Date today = tb::from_ymd(2026, 11, 27);
    switch (data[0] % 6) {
    case 0:
        for (char mark : {'.', ','})
            quietly([&] {
                auto m = tb::parse_duration(s, (data[0] & 8) != 0, mark);
                if (m <= 0 && !(data[0] & 8)) std::abort();
                // two decimals of an hour name the minutes unless they are thirds
                auto back = tb::parse_duration(tb::format_hours(m), true);
                if (std::llabs(back - m) > 1) std::abort();
            });
        break;
    case 1:
        quietly([&] { (void)tb::parse_balance_hours(s, (data[0] & 8) ? ',' : '.'); });
        break;
    case 2:
        quietly([&] {
            auto d = tb::parse_date(s, today);
            if (tb::parse_iso_date(tb::to_string(d)) != d) std::abort();
        });
        (void)tb::parse_iso_date(s);
        break;
    case 3: {
        // "FORMAT\nTEXT"
        auto nl = s.find('\n');
        auto format = s.substr(0, nl);
        auto text = nl == std::string_view::npos ? std::string_view{} : s.substr(nl + 1);
        if (!tb::date_format_problem(format)) (void)tb::parse_date_format(text, format);
        break;
    }
    case 4:
        for (auto ws : {tb::WeekStart::monday, tb::WeekStart::sunday})
            quietly([&] {
                auto p = tb::parse_period(s, today, ws);
                if (p.to < p.from) std::abort();
            });
        break;
    case 5: {
        if (tb::io::spreadsheet_unguard(tb::io::spreadsheet_guard(s)) != s) std::abort();
        auto msg = tb::text::printable_message(s);
        for (char c : msg) {
            auto u = static_cast<unsigned char>(c);
            if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7f) std::abort();
        }
        auto table = tb::text::escape_controls(s);
        for (char c : table)
            if (static_cast<unsigned char>(c) < 0x20) std::abort();
        break;
    }
    }
    return 0;
}
