#include "tb/core/member_service.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "tb/core/ledger_service.hpp"
#include "tb/core/taxonomy.hpp"
#include "tb/store/audit.hpp"
#include "tb/store/members.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb {

std::vector<std::string> parse_list(const std::string& t) {
    auto parts = text::split(t, ';');
    std::vector<std::string> out;
    for (auto& p : parts)
        if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    return out;
}

std::string add_check(store::Store& s, const Config& c, const std::string& member_key, const std::string& name,
                      Date expires, const std::string& who) {
    if (text::trim(name).empty()) throw UsageError("a check needs a name");
    auto canonical = resolve_check(c, name);
    store::WriteTransaction tx(s);
    auto m = require_member(s, member_key);
    if (m.status == MemberStatus::forgotten) throw Rejected(fmt::format("member {} has been forgotten", m.id));
    // A spelling stored before the list was closed gives way to the name.
    for (auto& k : m.checks)
        if (k.name != canonical && match_check(c, k.name) == canonical) store::remove_check(s, m.id, k.name);
    store::set_check(s, m.id, canonical, expires);
    store::audit(s, who, "tb-member check add", m.id, {"checks"});
    tx.commit();
    return canonical;
}

std::string remove_check(store::Store& s, const Config& c, const std::string& member_key, const std::string& name,
                         const std::string& who) {
    store::WriteTransaction tx(s);
    auto m = require_member(s, member_key);
    auto canonical = match_check(c, name);
    bool removed = false;
    for (auto& k : m.checks)
        if (text::fold_key(k.name) == text::fold_key(name) || (canonical && match_check(c, k.name) == canonical))
            removed = store::remove_check(s, m.id, k.name) || removed;
    if (!removed) throw NotFound(fmt::format("{} has no check '{}'", m.id, text::trim(name)));
    store::audit(s, who, "tb-member check remove", m.id, {"checks"});
    tx.commit();
    return canonical.value_or(std::string(text::trim(name)));
}

std::vector<SafeguardingCheck> parse_checks(const Config& c, const std::string& t, std::vector<std::string>& problems) {
    std::vector<SafeguardingCheck> out;
    for (auto& part : text::split(t, ';')) {
        auto colon = part.rfind(':');
        if (colon == std::string::npos) {
            problems.push_back(fmt::format("'{}' has no expiry date (write NAME:YYYY-MM-DD)", part));
            continue;
        }
        auto name = std::string(text::trim(part.substr(0, colon)));
        auto date = std::string(text::trim(part.substr(colon + 1)));
        auto canonical = match_check(c, name);
        if (!canonical) {
            try {
                resolve_check(c, name);
            } catch (const Rejected& e) {
                problems.push_back(e.what());
            }
            continue;
        }
        auto d = parse_iso_date(date);
        if (!d) {
            problems.push_back(fmt::format("'{}' is not a date (YYYY-MM-DD) for the {} check", date, *canonical));
            continue;
        }
        bool seen = false;
        for (auto& o : out) seen = seen || o.name == *canonical;
        if (seen) problems.push_back(fmt::format("the {} check is named twice", *canonical));
        else out.push_back({*canonical, *d});
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
    return out;
}

const std::vector<std::string>& member_settable_fields() {
    static const std::vector<std::string> f = {"name", "kind", "email", "phone", "postcode", "neighbourhood",
                                               "joined", "note", "offers", "wants", "tags", "min_balance",
                                               "max_balance"};
    return f;
}

std::string set_member_field(Member& m, const std::string& field, const std::string& value, Date today) {
    auto f = text::lower(text::trim(field));
    std::string v{text::trim(value)};
    if (f == "name") m.name = v;
    else if (f == "kind") m.kind = parse_member_kind(v);
    else if (f == "email") m.email = v;
    else if (f == "phone") m.phone = v;
    else if (f == "postcode") m.postcode = v;
    else if (f == "neighbourhood" || f == "neighborhood") { f = "neighbourhood"; m.neighbourhood = v; }
    else if (f == "joined") m.joined = parse_date(v, today);
    else if (f == "note") m.note = std::string(value);
    else if (f == "offers") m.offers = parse_list(v);
    else if (f == "wants") m.wants = parse_list(v);
    else if (f == "tags" || f == "tag") { f = "tags"; m.tags = parse_list(v); }
    else if (f == "min_balance" || f == "min-balance") { f = "min_balance"; m.min_limit = parse_balance_limit(v); }
    else if (f == "max_balance" || f == "max-balance") { f = "max_balance"; m.max_limit = parse_balance_limit(v); }
    else
        throw UsageError(fmt::format("'{}' is not a member field that can be set (use {})", field,
                                     text::join(member_settable_fields(), ", ")));
    return f;
}

std::vector<std::string> member_problems(const Member& m) {
    std::vector<std::string> out;
    if (text::trim(m.name).empty()) out.push_back("name: a member needs a name");
    if (!m.id.empty() && !valid_member_id(m.id))
        out.push_back(fmt::format("id: '{}' is not a valid ID (letters, digits, '-', '_', '.'; at most 64)", m.id));
    if (!m.email.empty()) {
        auto at = m.email.find('@');
        if (at == std::string::npos || at == 0 || at + 1 >= m.email.size() ||
            m.email.find_first_of(" \t,;") != std::string::npos)
            out.push_back(fmt::format("email: '{}' is not an email address", m.email));
    }
    if (m.min_limit.mode == BalanceLimit::Mode::value && m.max_limit.mode == BalanceLimit::Mode::value &&
        m.min_limit.value > m.max_limit.value)
        out.push_back("min_balance: the minimum balance is above the maximum");
    return out;
}

static void check_unique(store::Store& s, const Member& m) {
    if (!m.email.empty()) {
        auto other = store::member_id_by_email(s, m.email);
        if (other && *other != m.id)
            throw Rejected(fmt::format("email: {} already belongs to member {}", m.email, *other));
    }
}

std::string add_member(store::Store& s, Member m, const std::string& who) {
    auto problems = member_problems(m);
    if (!problems.empty()) throw Rejected(text::join(problems, "; "));
    store::WriteTransaction tx(s);
    if (m.id.empty()) m.id = store::next_member_id(s);
    else if (store::member_exists(s, m.id)) throw Rejected(fmt::format("id: member {} already exists", m.id));
    check_unique(s, m);
    store::insert_member(s, m);
    std::vector<std::string> fields = {"id", "name", "kind", "joined"};
    for (auto& [name, val] : std::vector<std::pair<const char*, bool>>{
             {"email", !m.email.empty()}, {"phone", !m.phone.empty()}, {"postcode", !m.postcode.empty()},
             {"neighbourhood", !m.neighbourhood.empty()}, {"note", !m.note.empty()}, {"offers", !m.offers.empty()},
             {"wants", !m.wants.empty()}, {"tags", !m.tags.empty()},
             {"min_balance", m.min_limit.mode != BalanceLimit::Mode::bank_default},
             {"max_balance", m.max_limit.mode != BalanceLimit::Mode::bank_default}})
        if (val) fields.push_back(name);
    store::audit(s, who, "tb-member add", m.id, fields);
    tx.commit();
    return m.id;
}

void save_member(store::Store& s, const Member& m, const std::vector<std::string>& fields, const std::string& who,
                 const std::string& command) {
    auto problems = member_problems(m);
    if (!problems.empty()) throw Rejected(text::join(problems, "; "));
    check_unique(s, m);
    store::update_member(s, m);
    store::audit(s, who, command, m.id, fields);
}

}  // namespace tb
