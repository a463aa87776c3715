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
// The outward code of a UK postcode, upper-cased: "LS6 2AB" -> "LS6",
// "ls62ab" -> "LS6". Empty when there is none.
std::string postcode_district(std::string_view postcode);
std::vector<std::string> split(std::string_view s, char sep, bool trim_parts = true,
                               bool drop_empty = true);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
bool starts_with_ci(std::string_view s, std::string_view prefix);
bool is_valid_utf8(std::string_view s);
// Number of code points (for aligning table columns).
std::size_t display_width(std::string_view s);

}  // namespace tb::text
