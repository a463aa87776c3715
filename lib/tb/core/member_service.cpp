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

void refuse_forgotten(const Member& m, std::string_view more) {
    if (m.status != MemberStatus::forgotten) return;
    auto message = fmt::format("member {} has been forgotten", m.id);
    if (!more.empty()) message += fmt::format("; {}", more);
    throw Rejected(message);
}

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
    refuse_forgotten(m);
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

std::vector<CheckDue> checks_due(store::Store& s, Date today, std::optional<int> expiring, bool expired) {
    std::vector<CheckDue> out;
    for (auto& row : store::all_checks(s)) {
        CheckDue c{row, row.check.expires < today, row.check.expires - today};
        bool soon = !c.expired && expiring && c.days_left <= *expiring;
        if ((expiring || expired) && !(soon || (expired && c.expired))) continue;
        out.push_back(std::move(c));
    }
    return out;
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
    if (m.kind == MemberKind::pot && m.id != kPotId)
        out.push_back("kind: the community pot is the account 'pot' that tb init creates; there is no other");
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

void require_valid_member(const Member& m) {
    auto problems = member_problems(m);
    if (!problems.empty()) throw Rejected(text::join(problems, "; "));
}

static void check_unique(store::Store& s, const Member& m) {
    if (!m.email.empty()) {
        auto other = store::member_id_by_email(s, m.email);
        if (other && *other != m.id)
            throw Rejected(fmt::format("email: {} already belongs to member {}", m.email, *other));
    }
}

std::string add_member(store::Store& s, Member m, const std::string& who) {
    require_valid_member(m);
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
    require_valid_member(m);
    check_unique(s, m);
    store::update_member(s, m);
    store::audit(s, who, command, m.id, fields);
}

std::vector<std::string> apply_member_fields(Member& m, const MemberFields& fields, Date today) {
    std::vector<std::string> set;
    for (auto& [field, value] : fields) set.push_back(set_member_field(m, field, value, today));
    return set;
}

void edit_member(store::Store& s, const std::string& member_key, const MemberEdit& edit, Date today,
                 const std::string& who) {
    store::WriteTransaction tx(s);
    auto m = require_member(s, member_key);
    refuse_forgotten(m);
    std::vector<std::string> changed;
    for (auto& kv : edit.assignments) {
        auto eq = kv.find('=');
        if (eq == std::string::npos) throw UsageError(fmt::format("--set '{}': expected FIELD=VALUE", kv));
        changed.push_back(set_member_field(m, kv.substr(0, eq), kv.substr(eq + 1), today));
    }
    auto more = apply_member_fields(m, edit.fields, today);
    changed.insert(changed.end(), more.begin(), more.end());
    if (changed.empty()) throw UsageError("nothing to change (use --set FIELD=VALUE or a field flag)");
    save_member(s, m, changed, who, "tb-member edit");
    tx.commit();
}

namespace {

// Sets the status (active or inactive) unless the member has it already.
MemberChange change_status(store::Store& s, const std::string& member_key, MemberStatus to,
                           const std::string& reason, const std::string& who, std::string_view if_forgotten) {
    store::WriteTransaction tx(s);
    auto m = require_member(s, member_key);
    refuse_forgotten(m, if_forgotten);
    if (m.status == to) return {m.id, false};
    store::set_member_status(s, m.id, to, reason);
    bool deactivating = to == MemberStatus::inactive;
    store::audit(s, who, deactivating ? "tb-member deactivate" : "tb-member reactivate", m.id,
                 deactivating ? std::vector<std::string>{"status", "status_reason"} : std::vector<std::string>{"status"});
    tx.commit();
    return {m.id, true};
}

void change_skills(store::Store& s, const std::string& member_key, const std::string& direction,
                   const std::vector<std::string>& skills, bool adding, const std::string& who) {
    if (direction != "offers" && direction != "wants")
        throw UsageError(fmt::format("'{}' is not a side of skills (offers or wants)", direction));
    store::WriteTransaction tx(s);
    auto m = require_member(s, member_key);
    refuse_forgotten(m);
    for (auto& arg : skills) {
        for (auto& sk : parse_list(arg)) {
            if (adding) store::add_skill(s, m.id, direction, sk);
            else if (!store::remove_skill(s, m.id, direction, sk))
                throw NotFound(fmt::format("{} has no skill '{}' in {}", m.id, sk, direction));
        }
    }
    store::audit(s, who, adding ? "tb-member skill add" : "tb-member skill remove", m.id, {direction});
    tx.commit();
}

BlockChange change_block(store::Store& s, const std::string& key_a, const std::string& key_b, bool blocking,
                         const std::string& reason, const std::string& who) {
    store::WriteTransaction tx(s);
    auto a = require_member(s, key_a);
    auto b = require_member(s, key_b);
    if (a.id == b.id) throw Rejected("a member cannot be blocked from themselves");
    if (blocking) {
        refuse_forgotten(a);
        refuse_forgotten(b);
        if (!store::add_block(s, a.id, b.id, reason)) return {a.id, b.id, false};
    } else if (!store::remove_block(s, a.id, b.id)) {
        throw NotFound(fmt::format("{} and {} are not blocked", a.id, b.id));
    }
    auto command = blocking ? "tb-member block" : "tb-member unblock";
    store::audit(s, who, command, a.id, {"block"});
    store::audit(s, who, command, b.id, {"block"});
    tx.commit();
    return {a.id, b.id, true};
}

}  // namespace

MemberChange deactivate_member(store::Store& s, const std::string& member_key, const std::string& reason,
                               const std::string& who) {
    return change_status(s, member_key, MemberStatus::inactive, reason, who, {});
}

MemberChange reactivate_member(store::Store& s, const std::string& member_key, const std::string& who) {
    return change_status(s, member_key, MemberStatus::active, "", who, "that cannot be undone");
}

void add_skills(store::Store& s, const std::string& member_key, const std::string& direction,
                const std::vector<std::string>& skills, const std::string& who) {
    change_skills(s, member_key, direction, skills, true, who);
}

void remove_skills(store::Store& s, const std::string& member_key, const std::string& direction,
                   const std::vector<std::string>& skills, const std::string& who) {
    change_skills(s, member_key, direction, skills, false, who);
}

BlockChange block_members(store::Store& s, const std::string& key_a, const std::string& key_b,
                          const std::string& reason, const std::string& who) {
    return change_block(s, key_a, key_b, true, reason, who);
}

BlockChange unblock_members(store::Store& s, const std::string& key_a, const std::string& key_b,
                            const std::string& who) {
    return change_block(s, key_a, key_b, false, "", who);
}

void check_forget_reason(const std::string& reason) {
    if (text::trim(reason).empty()) throw UsageError("--reason must say why");
}

ForgetResult forget_member(store::Store& s, const std::string& member_key, const std::string& reason,
                           const std::string& who, const std::function<void(const std::string& id)>& confirm) {
    check_forget_reason(reason);
    auto m = require_member(s, member_key);
    if (m.status == MemberStatus::forgotten) return {{m.id, false}};
    if (confirm) confirm(m.id);
    {
        store::WriteTransaction tx(s);
        // Asked without the lock held: someone may have forgotten them meanwhile.
        if (require_member(s, m.id).status == MemberStatus::forgotten) return {{m.id, false}};
        store::forget_member(s, m.id);
        store::set_member_status(s, m.id, MemberStatus::forgotten, reason);
        store::audit(s, who, "tb-member forget", m.id,
                     {"name", "email", "phone", "postcode", "neighbourhood", "note", "offers", "wants", "tags",
                      "checks", "blocks", "exchange notes", "request texts"});
        tx.commit();
    }
    // Old page images in the WAL would still hold the data: fold them in.
    return {{m.id, true}, store::checkpoint(s)};
}

}  // namespace tb
