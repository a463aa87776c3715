#pragma once
// Adding and changing members: validation, then store + audit.
#include <string>
#include <vector>

#include "tb/core/config.hpp"
#include "tb/core/model.hpp"
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

// Validates, gives an ID (M0001...) when none, checks ID and email are free,
// inserts and audits. Returns the ID. Throws Rejected (3) naming the problem.
std::string add_member(store::Store& s, Member m, const std::string& who);
// Validates and writes changes; `fields` are the names changed, for the audit.
void save_member(store::Store& s, const Member& m, const std::vector<std::string>& fields, const std::string& who,
                 const std::string& command);

// The list of skills in "a;b" text: split on ';', trimmed, empties dropped.
std::vector<std::string> parse_list(const std::string& text);

}  // namespace tb
