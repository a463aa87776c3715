#pragma once
// A column's value with its storage class, for tb check's comparisons of
// kept totals with the ledger (store/rollup_check.cpp, member_year.cpp,
// pair_year.cpp): a value stored as text and the same digits stored as a
// number (or a blob) differ, as they do for the SQL comparisons the check
// stands for. Internal to store/.
#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <string_view>

namespace tb::store {

struct Typed {
    int type = SQLITE_NULL;
    std::string_view text;
};

// Valid until the statement steps on. The type is asked before the value is
// read: reading it as text converts it (sqlite3_column_type).
inline Typed typed_column(SQLite::Statement& q, int i) {
    auto c = q.getColumn(i);
    Typed v;
    v.type = c.getType();
    const void* p = v.type == SQLITE_BLOB ? c.getBlob() : c.getText(nullptr);
    if (p) v.text = {static_cast<const char*>(p), static_cast<std::size_t>(c.getBytes())};
    return v;
}

}  // namespace tb::store
