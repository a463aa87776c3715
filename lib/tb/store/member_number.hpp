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
#include <string_view>
#include <vector>

#include <SQLiteCpp/Statement.h>

#include "tb/store/member_slots.hpp"
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

// The members a batch of exchanges names (RollupBatch), each given a dense
// slot (0, 1, 2... in order of first sight: one hash look-up of its ID) and
// read once then: its number and whether it is an organisation. Every
// per-member total of the batch is then gathered by slot, and turned back
// into IDs only when it is written.
class MemberNumbers {
public:
    explicit MemberNumbers(Store& s);
    // The slot of `id`; the member row is read the first time.
    std::uint32_t slot(std::string_view id);
    const std::string& id(std::uint32_t slot) const { return slots_.id(slot); }
    // The member's number; 0 for an ID that is no member's (a side of a row
    // written outside tb) or a member without a number (a row added outside
    // tb): pair_year leaves such a trade out, as network leaves out a side
    // that is no member.
    std::int64_t number(std::uint32_t slot) const { return facts_[slot].number; }
    // Whether an organisation (an ID that is no member's counts as a person).
    bool organisation(std::uint32_t slot) const { return facts_[slot].organisation; }
    // How many of the IDs given slots are no member's.
    std::size_t strangers() const { return strangers_; }
    // The number of the member `id`, looked up once.
    std::int64_t operator()(const std::string& id) { return number(slot(id)); }
    // Each slot's place in the byte order of the IDs (the order the tables
    // keep), for writing what was gathered in key order.
    const std::vector<std::uint32_t>& ranks();

private:
    struct Facts {
        std::int64_t number = 0;
        bool organisation = false;
    };
    SQLite::Statement q_;
    MemberSlots slots_;
    std::vector<Facts> facts_;  // by slot
    std::size_t strangers_ = 0;
    std::vector<std::uint32_t> ranks_;
};

// Each slot's place in the byte order of the texts `slots` numbers.
void rank_slots(const MemberSlots& slots, std::vector<std::uint32_t>& ranks);

}  // namespace tb::store
