#pragma once
// Adding and changing members: validation, then store + audit.
#include <string>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/model/model.hpp"
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

// The list of skills in "a;b" text: split on ';', trimmed, empties dropped.
std::vector<std::string> parse_list(const std::string& text);

}  // namespace tb
