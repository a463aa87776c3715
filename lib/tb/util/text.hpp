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
// A number to six decimals with trailing zeros trimmed: 1.5, 2, 0.333333.
std::string format_number(double d);
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
// Lower-case with the accents of Latin letters removed (Latin-1 Supplement,
// Latin Extended-A, the comma-below letters of Extended-B, combining marks):
// "José Álvarez" -> "jose alvarez", "Łódź" -> "lodz", "Straße" -> "strasse".
// Basic Greek and Cyrillic capitals are lower-cased; other characters pass
// through; curly apostrophes become '. For case- and accent-insensitive search.
std::string fold_accents(std::string_view s);
// fold_accents with all whitespace (no-break spaces too) removed: how names
// compare when they must match whole ("jose alvarez" == "José  Álvarez").
std::string fold_name(std::string_view s);
// Edit distance in bytes (Levenshtein, a swap of two neighbours counting as one).
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate nearest to `word` (edit distance, then a shared prefix),
// when it is near enough to be what was meant; empty when none is.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace tb::text
