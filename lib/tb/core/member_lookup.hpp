#pragma once
// The one way a member named by a person is found: on the command line of
// every tool and in the provider/recipient columns of an import (SPEC
// "Values": a member is their ID, email, or a full name only they have).
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tb/model/model.hpp"
#include "tb/store/members.hpp"
#include "tb/store/store.hpp"

namespace tb {

struct MemberLookup {
    enum class Result { found, ambiguous, not_found };
    Result result = Result::not_found;
    std::string id;               // found: the member's ID
    std::vector<std::string> ids;  // ambiguous: every member with that name, by ID
    // For a message: "'Ann Lee' is the name of 2 members: M0001, M0007 (name
    // one by ID or email)" or "no member 'Ann Le'" (without suggestions).
    std::string problem;
    bool found() const { return result == Result::found; }
};

// By ID (exact, case-sensitive), else email (case-insensitive), else a full
// name that exactly one member has, compared case-, accent- and
// space-insensitively (text::fold_name: `jose alvarez` is `José Álvarez`).
// Each step is one indexed query: an import calls this per row without
// loading the members. Forgotten members are found by ID only.
MemberLookup lookup_member(store::Store& s, std::string_view key);
// The same with statements prepared once, for many lookups (an import).
MemberLookup lookup_member(store::MemberQueries& q, std::string_view key);

// The members nearest to a key that found none, as "Name (ID)", best first:
// names and IDs within a few typing errors, and names containing the key.
// Reads every member: for messages, not for every row of a file.
std::vector<std::string> member_suggestions(store::Store& s, std::string_view key, std::size_t limit = 5);

// The command line's lookup: the member's ID. Ambiguous is a UsageError
// (exit 2) listing the IDs; none is NotFound (exit 4) naming the nearest
// members ("no member 'Ann Le'; nearest: Ann Lee (M0001)").
std::string resolve_member_id(store::Store& s, std::string_view key);
// The same, with the whole record (skills, tags and checks).
Member require_member(store::Store& s, std::string_view key);

// tb-member find: the IDs of the members whose name, email, phone or ID
// contains `text`, case- and accent-insensitively (and, for names and
// phones, space-insensitively); every status; ordered by ID.
std::vector<std::string> find_members(store::Store& s, std::string_view text);

// Names beside IDs in lists (exchanges, statements, requests): each ID is
// read once, the first time it is asked for. An unknown ID has no name.
class MemberNames {
public:
    explicit MemberNames(store::Store& s) : store_(s) {}
    const std::string& of(const std::string& id);

private:
    store::Store& store_;
    std::map<std::string, std::string> names_;
};

}  // namespace tb
