#pragma once
// The bank's vocabulary, resolved one way everywhere: categories (SPEC
// "Values") and safeguarding check names (SPEC "tb-member" check).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tb/model/config.hpp"

namespace tb {

// A category as given, looked up in the taxonomy: case-insensitively by its
// name, by a unique prefix of a name, or by one of a category's skills.
struct CategoryMatch {
    const Category* category = nullptr;    // the taxonomy's category, or none
    std::vector<std::string> suggestions;  // nearest names when there is none
};
CategoryMatch match_category(const Config& c, std::string_view given);

// What becomes of a category given on the command line or in an import row:
// stored as `name`; `problem` set when it is refused (strict_categories);
// `warning` set when it is accepted outside the taxonomy (not strict).
// An empty category stays empty (an exchange without one).
struct CategoryRuling {
    std::string name;
    std::optional<std::string> problem;
    std::optional<std::string> warning;
};
CategoryRuling rule_category(const Config& c, std::string_view given);

// The taxonomy name of `given`, or throws Rejected with the nearest names
// (strict); not strict, returns it unchanged and sets `warning`.
std::string resolve_category(const Config& c, std::string_view given, std::optional<std::string>& warning);

// A category given to select rows (list --category): the taxonomy's name;
// else a category the ledger holds as written (rows kept from before the
// taxonomy changed); else refused (strict) or taken as given with a warning.
std::string resolve_category_filter(const Config& c, std::string_view given, const std::vector<std::string>& in_use,
                                    std::optional<std::string>& warning);

// Check names are a closed list: every name a category requires plus
// [safeguarding] checks, in that order, without repeats.
std::vector<std::string> known_checks(const Config& c);

// The canonical name of a check given as `given` (case-, space- and
// hyphen-insensitive, or through [safeguarding] aliases); nullopt if none.
std::optional<std::string> match_check(const Config& c, std::string_view given);

// The canonical name, or throws Rejected listing the known names.
std::string resolve_check(const Config& c, std::string_view given);

// The checks a provider must hold for a request (SPEC "tb-match": fail
// safe): those of its category and of every category the text names.
// `named` are indexes into c.categories.
std::vector<std::string> required_checks(const Config& c, std::string_view category,
                                         const std::vector<std::size_t>& named);

}  // namespace tb
