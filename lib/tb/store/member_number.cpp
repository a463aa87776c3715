#include "tb/store/member_number.hpp"

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

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

MemberNumbers::MemberNumbers(Store& s) : q_(s.db(), "SELECT num FROM member WHERE id = ?") {}

std::int64_t MemberNumbers::operator()(const std::string& id) {
    if (auto it = known_.find(id); it != known_.end()) return it->second;
    q_.reset();
    q_.bind(1, id);
    std::int64_t num = 0;
    if (q_.executeStep() && q_.getColumn(0).getType() == SQLITE_INTEGER) num = q_.getColumn(0).getInt64();
    known_.emplace(id, num);
    return num;
}

}  // namespace tb::store
