#include "tb/model/model.hpp"

#include <cctype>
#include <fmt/format.h>

#include "tb/util/error.hpp"
#include "tb/util/sha256.hpp"
#include "tb/util/text.hpp"

namespace tb {

std::string to_string(MemberKind k) {
    switch (k) {
        case MemberKind::person: return "person";
        case MemberKind::organisation: return "organisation";
        case MemberKind::pot: return "pot";
        case MemberKind::bank: return "bank";
    }
    return "person";
}

MemberStatus member_status_from_stored(std::string_view s) {
    if (s == "inactive") return MemberStatus::inactive;
    if (s == "forgotten") return MemberStatus::forgotten;
    return MemberStatus::active;
}

MemberKind member_kind_from_stored(std::string_view s) {
    if (s == "organisation") return MemberKind::organisation;
    if (s == "pot") return MemberKind::pot;
    if (s == "bank") return MemberKind::bank;
    return MemberKind::person;
}

std::string to_string(MemberStatus s) {
    switch (s) {
        case MemberStatus::active: return "active";
        case MemberStatus::inactive: return "inactive";
        case MemberStatus::forgotten: return "forgotten";
    }
    return "active";
}

MemberKind parse_member_kind(std::string_view s) {
    auto k = text::lower(text::trim(s));
    if (k == "person" || k == "individual") return MemberKind::person;
    if (k == "organisation" || k == "organization" || k == "org") return MemberKind::organisation;
    if (k == "pot") return MemberKind::pot;
    if (k == "bank") return MemberKind::bank;
    throw UsageError(fmt::format("'{}' is not a kind of member (use person, organisation or bank)", s));
}

BalanceLimit parse_balance_limit(std::string_view s, char decimal_mark) {
    auto word = text::lower(text::trim(s));
    if (word == "none") return BalanceLimit::none();
    if (word == "default") return {};
    return BalanceLimit::of(parse_balance_hours(text::trim(s), decimal_mark));
}

bool valid_member_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        auto u = static_cast<unsigned char>(c);
        if (!(std::isalnum(u) || c == '-' || c == '_' || c == '.')) return false;
    }
    return true;
}

std::string exchange_fingerprint(Date date, const std::string& provider, const std::string& recipient,
                                 Minutes minutes, const std::string& category, const std::string& note) {
    // Unit separators keep "a|b" + "c" distinct from "a" + "b|c".
    return sha256_hex(fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", date, provider, recipient,
                                  minutes, text::lower(category), note))
        .substr(0, 32);
}

}  // namespace tb
