#include "tb/core/member_lookup.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <tuple>

#include "tb/store/members.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb {
namespace {

// A message quotes at most 60 characters of a value.
std::string quoted(std::string_view key) {
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < key.size(); ++i) {
        auto c = static_cast<unsigned char>(key[i]);
        if ((c & 0xC0) != 0x80 && ++chars > 60) return "'" + out + "...'";
        out += key[i];
    }
    return "'" + out + "'";
}

std::string not_found_message(std::string_view key) { return fmt::format("no member {}", quoted(key)); }

}  // namespace

MemberLookup lookup_member(store::Store& s, std::string_view key) {
    store::MemberQueries q(s);
    return lookup_member(q, key);
}

MemberLookup lookup_member(store::MemberQueries& q, std::string_view key_view) {
    std::string key(key_view);
    MemberLookup r;
    auto found = [&](std::string id) {
        r.result = MemberLookup::Result::found;
        r.id = std::move(id);
        return r;
    };
    if (!key.empty() && q.exists(key)) return found(key);
    auto trimmed = std::string(text::trim(key));
    if (trimmed.find('@') != std::string::npos)
        if (auto id = q.id_by_email(trimmed)) return found(*id);
    auto ids = q.ids_by_name_key(text::fold_name(trimmed));
    if (ids.size() == 1) return found(ids.front());
    if (ids.size() > 1) {
        r.result = MemberLookup::Result::ambiguous;
        r.ids = ids;
        r.problem = fmt::format("{} is the name of {} members: {} (name one by ID or email)", quoted(key), ids.size(),
                                text::join(ids, ", "));
        return r;
    }
    r.problem = not_found_message(key);
    return r;
}

std::vector<std::string> member_suggestions(store::Store& s, std::string_view key, std::size_t limit) {
    auto folded = text::fold_name(key);
    auto key_lower = text::lower(text::trim(key));
    if (folded.empty()) return {};
    // Near enough: a typing error per four letters, at least one.
    std::size_t allowed = std::max<std::size_t>(1, folded.size() / 4);
    std::vector<std::tuple<std::size_t, std::string, std::string>> near;  // distance, ID, "Name (ID)"
    store::for_each_member_contact(s, [&](const store::MemberContact& m) {
        if (m.status == MemberStatus::forgotten) return;
        auto name = text::fold_name(m.name);
        std::size_t d = std::min(text::edit_distance(folded, name), text::edit_distance(key_lower, text::lower(m.id)));
        if (!m.email.empty() && key_lower.find('@') != std::string::npos)
            d = std::min(d, text::edit_distance(key_lower, text::lower(m.email)));
        // Part of a name ("Lee", "ann") is as good as a typing error.
        if (folded.size() >= 3 && name.find(folded) != std::string::npos) d = std::min<std::size_t>(d, 1);
        if (d <= allowed) near.emplace_back(d, m.id, fmt::format("{} ({})", m.name, m.id));
    });
    std::sort(near.begin(), near.end());
    std::vector<std::string> out;
    for (auto& n : near) {
        // The nearest, and those one error further: not every ID alike.
        if (out.size() >= limit || std::get<0>(n) > std::get<0>(near.front()) + 1) break;
        out.push_back(std::get<2>(n));
    }
    return out;
}

std::string resolve_member_id(store::Store& s, std::string_view key) {
    auto r = lookup_member(s, key);
    switch (r.result) {
        case MemberLookup::Result::found: return r.id;
        case MemberLookup::Result::ambiguous: throw UsageError(r.problem);
        case MemberLookup::Result::not_found: break;
    }
    auto near = member_suggestions(s, key);
    if (near.empty()) throw NotFound(r.problem);
    throw NotFound(fmt::format("{}; nearest: {}", r.problem, text::join(near, ", ")));
}

Member require_member(store::Store& s, std::string_view key) {
    auto id = resolve_member_id(s, key);
    auto m = store::find_member(s, id);
    if (!m) throw NotFound(not_found_message(key));
    return *m;
}

std::vector<std::string> find_members(store::Store& s, std::string_view text_view) {
    auto words = text::fold_accents(text::trim(text_view));
    auto joined = text::fold_name(text_view);
    if (joined.empty()) throw UsageError("find needs some text to look for");
    std::vector<std::string> ids;
    store::for_each_member_contact(s, [&](const store::MemberContact& m) {
        auto has = [&](const std::string& hay, const std::string& needle) {
            return hay.find(needle) != std::string::npos;
        };
        if (has(text::fold_accents(m.name), words) || has(text::fold_name(m.name), joined) ||
            has(text::lower(m.email), words) || has(text::fold_name(m.phone), joined) ||
            has(text::lower(m.id), text::lower(text::trim(text_view))))
            ids.push_back(m.id);
    });
    return ids;
}

const std::string& MemberNames::of(const std::string& id) {
    auto it = names_.find(id);
    if (it == names_.end()) it = names_.emplace(id, store::member_name(store_, id).value_or("")).first;
    return it->second;
}

}  // namespace tb
