#pragma once
// Members and what hangs off them: skills, tags, checks, blocks.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tb/model/model.hpp"
#include "tb/store/store.hpp"

namespace tb::store {

// By ID (exact) or by email (case-insensitive). Loads skills, tags, checks.
std::optional<Member> find_member(Store& s, const std::string& key);
std::optional<std::string> member_id_by_email(Store& s, const std::string& email);
bool member_exists(Store& s, const std::string& id);
// A member's name by ID, without loading the rest of the record.
std::optional<std::string> member_name(Store& s, const std::string& id);
// The IDs of the members whose name folds to `name_key` (text::fold_name),
// by the kept, indexed column member.name_key; ordered by ID.
std::vector<std::string> member_ids_by_name_key(Store& s, const std::string& name_key);
// What a member is looked up by, for search and suggestions: every member,
// forgotten ones too, ordered by ID, without loading skills.
struct MemberContact {
    std::string id, name, email, phone;
    MemberStatus status = MemberStatus::active;
};
void for_each_member_contact(Store& s, const std::function<void(const MemberContact&)>& fn);
// Sets member.name_key from the name wherever it differs (the migration that
// adds it, and after a name was edited behind the toolkit's back).
void refresh_name_keys(Store& s);
// M0001, M0002, ...: one past the highest such ID in use.
std::string next_member_id(Store& s);

void insert_member(Store& s, const Member& m);
// Writes every column and replaces skills and tags from m.
void update_member(Store& s, const Member& m);
void set_member_status(Store& s, const std::string& id, MemberStatus st, const std::string& reason);

struct MemberFilter {
    bool include_active = true;
    bool include_inactive = false;
    bool include_forgotten = false;
    std::optional<MemberKind> kind;
    // The pot and clearing accounts (kinds pot and bank) are left out
    // unless `kind` names one of them or this is set.
    bool include_accounts = false;
    std::string offers, wants, neighbourhood, tag;
    bool with_skills = true;  // load offers, wants and tags too
    bool with_checks = false;  // load safeguarding checks too
};
// Members ordered by ID, with skills and tags (and checks when asked).
void for_each_member(Store& s, const MemberFilter& f, const std::function<void(const Member&)>& fn);

void add_skill(Store& s, const std::string& id, const std::string& direction, const std::string& skill);
bool remove_skill(Store& s, const std::string& id, const std::string& direction, const std::string& skill);
void set_check(Store& s, const std::string& id, const std::string& name, Date expires);
bool remove_check(Store& s, const std::string& id, const std::string& name);

// Every member's checks, for `tb-member check list`: by expiry, then member.
struct CheckRow {
    std::string member, name;  // the member's ID and name
    SafeguardingCheck check;
};
std::vector<CheckRow> all_checks(Store& s);
// Each member's checks by ID (for export), names in order.
std::map<std::string, std::vector<SafeguardingCheck>> checks_by_member(Store& s);
// Replaces a member's checks (member import).
void replace_checks(Store& s, const std::string& id, const std::vector<SafeguardingCheck>& checks);

struct Block {
    std::string a, b, reason, created_at;
};
// Pairs are stored ordered (a < b). Returns false if already blocked.
bool add_block(Store& s, const std::string& a, const std::string& b, const std::string& reason);
bool remove_block(Store& s, const std::string& a, const std::string& b);
bool is_blocked(Store& s, const std::string& a, const std::string& b);
std::vector<Block> blocks_of(Store& s, const std::string& id);
std::vector<Block> all_blocks(Store& s);

// Erases a member's personal data everywhere (see tb-member forget).
void forget_member(Store& s, const std::string& id);

// The lookups above with their statements prepared once, the first time each
// is used, and reused: an import looks members up row by row. Each statement
// is reset after use, so none holds the store open between lookups.
class MemberQueries {
public:
    explicit MemberQueries(Store& s);
    ~MemberQueries();
    MemberQueries(const MemberQueries&) = delete;
    MemberQueries& operator=(const MemberQueries&) = delete;
    bool exists(const std::string& id);
    // By ID only, the member's row (no skills, tags or checks).
    std::optional<Member> by_id(const std::string& id);
    // find_member: by ID, else by email when the key has an '@'. Without
    // details, the member's row only (no skills, tags or checks).
    std::optional<Member> find(const std::string& key, bool with_details = true);
    std::optional<std::string> id_by_email(const std::string& email);
    std::vector<std::string> ids_by_name_key(const std::string& name_key);
    // The lowest ID of the members with exactly this name.
    std::optional<std::string> id_by_name(const std::string& name);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tb::store
