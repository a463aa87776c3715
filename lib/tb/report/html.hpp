#pragma once
// HTML helpers for the reports (weekly_html itself is in weekly.hpp).
#include <string>
#include <string_view>

namespace tb::report {

// Escapes & < > " ' so that any text is safe in an element or an attribute.
std::string html_escape(std::string_view s);
// At most max_chars code points, with "…" when cut.
std::string truncate_utf8(std::string_view s, std::size_t max_chars);

}  // namespace tb::report
