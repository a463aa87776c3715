#pragma once
// Small, generic text helpers (no domain knowledge).
#include <string>
#include <string_view>
#include <vector>

namespace tb::text {

std::string_view trim(std::string_view s);
std::string lower(std::string_view s);
// Lower-case with all whitespace removed: how headers are compared.
std::string fold_key(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep, bool trim_parts = true,
                               bool drop_empty = true);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
bool starts_with_ci(std::string_view s, std::string_view prefix);
bool is_valid_utf8(std::string_view s);
// Number of code points (for aligning table columns).
std::size_t display_width(std::string_view s);

// Control characters made visible: C0 controls and DEL as \xHH, C1
// controls (U+0080..U+009F) as \u00HH. With `keep_newlines`, tab
// and newline pass through (multi-line messages).
std::string escape_controls(std::string_view s, bool keep_newlines = false);
// At most `max` code points of s; a longer s is cut there and ends in "...".
std::string shorten(std::string_view s, std::size_t max = 60);
// A message made fit for a terminal: controls escaped (newlines kept),
// every quoted value ('...' or "...") and every other run of more than 60
// characters without a space (a pasted value) cut to 60 characters.
std::string printable_message(std::string_view msg);

}  // namespace tb::text
