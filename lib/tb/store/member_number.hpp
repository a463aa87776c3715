#pragma once
// Each member's number (schema version 12: member.num): an integer given
// once, when the member is added, and never changed, so that tables of pairs
// of members (pair_year) can name members by it instead of by their text ID
// and a report can look a member up in a vector instead of a hash of IDs.
//
// store::insert_member, the one way tb adds a member, gives the number
// after the highest in the INSERT itself; the unique index member_num keeps
// numbers apart. (A trigger for rows added by other programs was tried: its
// mere presence made SQLite write a statement journal for every insert, 55
// µs a member in a member import. A row added outside tb gets its number
// at the next ledger write, before anything is folded into pair_year
// (refresh_rollups), or from tb check --rebuild-totals; meanwhile network
// reads the months, and pair_year leaves its trades out, as tb check's
// recomputation does.) The rowid cannot serve: a
// VACUUM may renumber the rowids of a table without an INTEGER PRIMARY KEY.
#include <cstdint>
#include <string>
#include <unordered_map>

#include <SQLiteCpp/Statement.h>

#include "tb/store/store.hpp"

namespace tb::store {

// The migration to version 12: adds the column (unless a store made from a
// newer one for a test has it) and numbers the members without one, in ID
// order after the highest number there is.
void add_member_numbers(Store& s);
// Numbers the members without one (as above): the migration, every ledger
// write (refresh_rollups) and rebuild_rollups (tb check --rebuild-totals),
// each before pair_year is filled.
void number_members(Store& s);

// Members' numbers by ID, each looked up once (RollupBatch: an import names
// the same members again and again).
class MemberNumbers {
public:
    explicit MemberNumbers(Store& s);
    // The number of the member `id`; 0 for an ID that is no member's (a
    // side of a row written outside tb) or a member without a number (a row
    // added outside tb): pair_year leaves such a trade out, as
    // network leaves out a side that is no member.
    std::int64_t operator()(const std::string& id);

private:
    SQLite::Statement q_;
    std::unordered_map<std::string, std::int64_t> known_;
};

}  // namespace tb::store
