#include "tb/store/member_number.hpp"

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <algorithm>

namespace tb::store {

void add_member_numbers(Store& s) {
    auto& db = s.db();
    if (db.execAndGet("SELECT count(*) FROM pragma_table_info('member') WHERE name = 'num'").getInt() == 0)
        db.exec("ALTER TABLE member ADD COLUMN num INTEGER");
    number_members(s);
}

void number_members(Store& s) {
    // In ID order, after the highest number there is (the subquery is not
    // correlated: SQLite reads it once, before the first row is changed).
    // The migration numbers every member so: pair_year by ID then keeps its
    // order by number, and is copied in key order.
    s.db().exec("UPDATE member SET num = o.n + (SELECT coalesce(max(num), 0) FROM member) FROM (SELECT id, "
                "row_number() OVER (ORDER BY id) AS n FROM member WHERE num IS NULL) AS o WHERE member.id = o.id");
}

MemberNumbers::MemberNumbers(Store& s) : q_(s.db(), "SELECT num, kind = 'organisation' FROM member WHERE id = ?") {}

std::uint32_t MemberNumbers::slot(std::string_view id) {
    auto slot = slots_(id);
    if (slot < facts_.size()) return slot;
    Facts f;
    q_.reset();
    q_.bind(1, slots_.id(slot));
    if (q_.executeStep()) {
        if (q_.getColumn(0).getType() == SQLITE_INTEGER) f.number = q_.getColumn(0).getInt64();
        f.organisation = q_.getColumn(1).getInt() != 0;
    } else {
        ++strangers_;
    }
    q_.reset();
    facts_.push_back(f);
    return slot;
}

const std::vector<std::uint32_t>& MemberNumbers::ranks() {
    if (ranks_.size() != slots_.size()) rank_slots(slots_, ranks_);
    return ranks_;
}

void rank_slots(const MemberSlots& slots, std::vector<std::uint32_t>& ranks) {
    std::vector<std::uint32_t> order(slots.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return slots.id(a) < slots.id(b); });
    ranks.assign(order.size(), 0);
    for (std::uint32_t r = 0; r < order.size(); ++r) ranks[order[r]] = r;
}

}  // namespace tb::store
