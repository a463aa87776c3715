#pragma once
// Adding and changing members: validation, then store + audit.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/model/model.hpp"
#include "tb/store/members.hpp"
#include "tb/store/store.hpp"

namespace tb {

// Sets one field of a member from text, as `edit --set FIELD=VALUE` and
// imports do. Throws UsageError for an unknown field or unparsable value,
// Rejected for a value that breaks a rule. Returns the canonical field name.
std::string set_member_field(Member& m, const std::string& field, const std::string& value, Date today);
// The fields set_member_field accepts.
const std::vector<std::string>& member_settable_fields();

// Rules every stored member meets: a name, a valid ID, a plausible email.
// Returns the problems (empty when fine).
std::vector<std::string> member_problems(const Member& m);
// Rejected (3) naming every problem member_problems finds.
void require_valid_member(const Member& m);

// Validates, gives an ID (M0001...) when none, checks ID and email are free,
// inserts and audits. Returns the ID. Throws Rejected (3) naming the problem.
std::string add_member(store::Store& s, Member m, const std::string& who);
// Validates and writes changes; `fields` are the names changed, for the audit.
// The caller holds the write transaction.
void save_member(store::Store& s, const Member& m, const std::vector<std::string>& fields, const std::string& who,
                 const std::string& command);

// The one guard against changing a forgotten member: Rejected (3) "member ID
// has been forgotten", with `more` after a "; " when given.
void refuse_forgotten(const Member& m, std::string_view more = {});

// Field changes as (field, value) text, in the order given: `add` and
// `edit` flags, applied by set_member_field. Returns the canonical names.
using MemberFields = std::vector<std::pair<std::string, std::string>>;
std::vector<std::string> apply_member_fields(Member& m, const MemberFields& fields, Date today);

// tb-member edit: `assignments` are FIELD=VALUE texts (--set), applied
// first, then `fields`. Refused for a forgotten member; UsageError for an
// assignment without '=' or when nothing is to change; then as save_member.
struct MemberEdit {
    std::vector<std::string> assignments;
    MemberFields fields;
};
void edit_member(store::Store& s, const std::string& member_key, const MemberEdit& edit, Date today,
                 const std::string& who);

// What a change that may find nothing to do did: the member's ID, and
// whether anything was written (false: already so; nothing written).
struct MemberChange {
    std::string id;
    bool changed = false;
};
// tb-member deactivate / reactivate (never of a forgotten member).
MemberChange deactivate_member(store::Store& s, const std::string& member_key, const std::string& reason,
                               const std::string& who);
MemberChange reactivate_member(store::Store& s, const std::string& member_key, const std::string& who);

// tb-member skill add/remove: `skills` are arguments, each a ;-separated
// list; `direction` "offers" or "wants". Removing a skill the member does not
// have is NotFound (4) and removes none.
void add_skills(store::Store& s, const std::string& member_key, const std::string& direction,
                const std::vector<std::string>& skills, const std::string& who);
void remove_skills(store::Store& s, const std::string& member_key, const std::string& direction,
                   const std::vector<std::string>& skills, const std::string& who);

// tb-member block / unblock: both members are audited. A member cannot be
// blocked from themselves (Rejected), nor a forgotten one; block finds a
// pair already blocked unchanged; unblock of a pair not blocked is NotFound.
struct BlockChange {
    std::string a, b;  // the members' IDs, as named
    bool changed = false;
};
BlockChange block_members(store::Store& s, const std::string& key_a, const std::string& key_b,
                          const std::string& reason, const std::string& who);
BlockChange unblock_members(store::Store& s, const std::string& key_a, const std::string& key_b,
                            const std::string& who);

// tb-member forget: erases the member's personal data (store::forget_member),
// marks them forgotten with `reason` (UsageError when blank) and audits,
// then folds the WAL into the store so no old page keeps the data.
// `confirm(id)` is called before anything is written (no transaction held)
// and may throw to stop; a member already forgotten is left as is.
struct ForgetResult {
    MemberChange change;
    bool checkpointed = true;  // false: another connection kept old pages in the WAL
};
// UsageError unless `reason` says why (forget_member checks it first; a
// command checks it before opening the store too).
void check_forget_reason(const std::string& reason);
ForgetResult forget_member(store::Store& s, const std::string& member_key, const std::string& reason,
                           const std::string& who, const std::function<void(const std::string& id)>& confirm = {});

// Safeguarding checks (SPEC "tb-member" check). The name must be a known check
// (core/taxonomy: one a category requires or [safeguarding] checks lists, in
// any case, spacing or hyphenation, or an alias); it is stored under its
// canonical name, which is returned. Rejected (3) with the known names.
std::string add_check(store::Store& s, const Config& c, const std::string& member_key, const std::string& name,
                      Date expires, const std::string& who);
// Removes a check given by any spelling of it; NotFound when the member has none.
std::string remove_check(store::Store& s, const Config& c, const std::string& member_key, const std::string& name,
                         const std::string& who);
// A checks cell, "dbs:2027-01-31;driving-licence:2026-05-01" (as export
// writes it): each NAME:DATE a known check and a date. Problems are appended
// to `problems` ("'x' is not a known check ...", "bad date ...").
std::vector<SafeguardingCheck> parse_checks(const Config& c, const std::string& text,
                                            std::vector<std::string>& problems);

// tb-member check list: every member's checks, soonest expiry first, with
// the days left (negative once expired). With `expiring` only those that
// expire within that many days, with `expired` only the expired ones; with
// both, either.
struct CheckDue {
    store::CheckRow row;
    bool expired = false;
    int days_left = 0;
};
std::vector<CheckDue> checks_due(store::Store& s, Date today, std::optional<int> expiring, bool expired);

// The list of skills in "a;b" text: split on ';', trimmed, empties dropped.
std::vector<std::string> parse_list(const std::string& text);

}  // namespace tb
