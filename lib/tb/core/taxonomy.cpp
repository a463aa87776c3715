#include "tb/core/taxonomy.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb {

namespace {

// How far `given` is from `name`: from the whole name or from its start of
// the same length ("Languges" is near "Languages & translation").
std::size_t distance_to(const std::string& given, const std::string& name) {
    auto whole = text::edit_distance(given, name);
    auto start = text::edit_distance(given, name.substr(0, std::min(name.size(), given.size())));
    return std::min(whole, start);
}

// The names nearest to `given` (folded), at most three, best first.
std::vector<std::string> nearest(std::string_view given, const std::vector<std::string>& names) {
    auto key = text::fold_key(given);
    std::size_t limit = std::max<std::size_t>(1, key.size() / 3);
    std::vector<std::pair<std::size_t, std::string>> near;
    for (auto& n : names) {
        auto d = distance_to(key, text::fold_key(n));
        if (d <= limit) near.emplace_back(d, n);
    }
    std::stable_sort(near.begin(), near.end(), [](auto& a, auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (auto& [d, n] : near)
        if (out.size() < 3) out.push_back(n);
    return out;
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::vector<std::string> q;
    for (auto& n : names) q.push_back("'" + n + "'");
    if (q.size() <= 1) return text::join(q, "");
    auto last = q.back();
    q.pop_back();
    return text::join(q, ", ") + " or " + last;
}

// A message quotes at most 60 characters of a value.
std::string shown(std::string_view v) {
    if (v.size() <= 60) return std::string(v);
    auto cut = v.substr(0, 57);
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80) cut.remove_suffix(1);
    if (!cut.empty() && static_cast<unsigned char>(cut.back()) >= 0xC0) cut.remove_suffix(1);
    return std::string(cut) + "...";
}

}  // namespace

CategoryMatch match_category(const Config& c, std::string_view given) {
    CategoryMatch out;
    auto key = text::fold_key(given);
    if (key.empty()) return out;
    // 1. The name itself.
    if ((out.category = c.find_category(given))) return out;
    // 2. A unique prefix of a name.
    std::vector<const Category*> prefixed;
    for (auto& cat : c.categories)
        if (text::fold_key(cat.name).starts_with(key)) prefixed.push_back(&cat);
    if (prefixed.size() == 1) {
        out.category = prefixed.front();
        return out;
    }
    // 3. One of a category's skills (when only one category lists it).
    std::vector<const Category*> by_skill;
    for (auto& cat : c.categories)
        for (auto& sk : cat.skills)
            if (text::fold_key(sk) == key && std::find(by_skill.begin(), by_skill.end(), &cat) == by_skill.end())
                by_skill.push_back(&cat);
    if (by_skill.size() == 1 && prefixed.empty()) {
        out.category = by_skill.front();
        return out;
    }
    // None, or several: suggest the candidates, else the nearest names.
    for (auto* list : {&prefixed, &by_skill})
        for (auto* cat : *list)
            if (std::find(out.suggestions.begin(), out.suggestions.end(), cat->name) == out.suggestions.end())
                out.suggestions.push_back(cat->name);
    if (out.suggestions.empty()) {
        std::vector<std::string> names;
        for (auto& cat : c.categories) names.push_back(cat.name);
        out.suggestions = nearest(given, names);
    }
    return out;
}

CategoryRuling rule_category(const Config& c, std::string_view given) {
    CategoryRuling r;
    auto trimmed = text::trim(given);
    r.name = std::string(trimmed);
    if (trimmed.empty()) return r;
    auto m = match_category(c, trimmed);
    if (m.category) {
        r.name = m.category->name;
        return r;
    }
    std::string what = fmt::format("category '{}' is not in the taxonomy", shown(trimmed));
    if (!m.suggestions.empty()) what += fmt::format(" (did you mean {}?)", quoted_list(m.suggestions));
    if (c.strict_categories) r.problem = what + "; the categories are listed by `tb config`";
    else r.warning = what + "; recorded as given (strict_categories = false)";
    return r;
}

std::string resolve_category(const Config& c, std::string_view given, std::optional<std::string>& warning) {
    auto r = rule_category(c, given);
    if (r.problem) throw Rejected(*r.problem);
    warning = r.warning;
    return r.name;
}

std::string resolve_category_filter(const Config& c, std::string_view given, const std::vector<std::string>& in_use,
                                    std::optional<std::string>& warning) {
    auto r = rule_category(c, given);
    if (!r.problem && !r.warning) return r.name;
    for (auto& u : in_use)
        if (text::fold_key(u) == text::fold_key(r.name)) return u;
    if (r.problem) throw Rejected(*r.problem);
    warning = r.warning;
    return r.name;
}

std::vector<std::string> known_checks(const Config& c) {
    std::vector<std::string> out;
    auto add = [&](const std::string& n) {
        for (auto& o : out)
            if (text::fold_key(o) == text::fold_key(n)) return;
        out.push_back(n);
    };
    for (auto& cat : c.categories)
        for (auto& n : cat.requires_checks) add(n);
    for (auto& n : c.safeguarding_checks) add(n);
    return out;
}

std::optional<std::string> match_check(const Config& c, std::string_view given) {
    auto key = text::fold_key(given);
    if (key.empty()) return std::nullopt;
    auto known = known_checks(c);
    for (auto& n : known)
        if (text::fold_key(n) == key) return n;
    for (auto& [alias, target] : c.check_aliases)
        if (text::fold_key(alias) == key)
            for (auto& n : known)
                if (text::fold_key(n) == text::fold_key(target)) return n;
    return std::nullopt;
}

std::string resolve_check(const Config& c, std::string_view given) {
    if (auto n = match_check(c, given)) return *n;
    auto known = known_checks(c);
    if (known.empty())
        throw Rejected(fmt::format("'{}' is not a known check: no category requires one and [safeguarding] "
                                   "checks lists none",
                                   shown(text::trim(given))));
    auto near = nearest(given, known);
    throw Rejected(fmt::format("'{}' is not a known check{}; the known checks are {} (add a name to "
                               "[safeguarding] checks, or another spelling to [safeguarding] aliases)",
                               shown(text::trim(given)),
                               near.empty() ? "" : fmt::format(" (did you mean {}?)", quoted_list(near)),
                               text::join(known, ", ")));
}

std::vector<std::string> required_checks(const Config& c, std::string_view category,
                                         const std::vector<std::size_t>& named) {
    std::vector<std::string> out;
    auto add = [&](const Category& cat) {
        for (auto& n : cat.requires_checks) {
            auto canonical = match_check(c, n).value_or(n);
            if (std::find(out.begin(), out.end(), canonical) == out.end()) out.push_back(canonical);
        }
    };
    if (auto* cat = match_category(c, category).category) add(*cat);
    for (auto i : named)
        if (i < c.categories.size()) add(c.categories[i]);
    return out;
}

}  // namespace tb
