#pragma once
// How `summary --by` names and compares groups (tags, neighbourhoods,
// postcode districts): one rule for the report, which shows them, and for
// the kept totals per group (store/group_month.hpp), which key them.
#include <string>
#include <string_view>

namespace tb::text {

// A value as a group shows it: spaces trimmed and each run of them made one
// space; "(none)" when that leaves nothing.
std::string group_spelling(std::string_view value);

// The key groups compare by: case- and space-insensitive ("Hyde Park",
// "hyde park " and "HydePark" are one group; text::fold_key), the "(none)"
// group apart from every other.
std::string group_key(std::string_view value);

}  // namespace tb::text
