#pragma once
// SQLite's integrity check for tb check, in time linear in the store's size.
//
// `PRAGMA integrity_check` looks every row of a table up in each of its
// indexes: at ten million exchanges that is tens of millions of random page
// reads (minutes, and a page cache the size of the indexes to keep it
// there). It is `PRAGMA quick_check` (every page, b-tree, record, NOT NULL
// and CHECK constraint; what it leaves out is below) plus, per index, that
// its entries are its table's rows: one read of each table summing a 64-bit
// hash of each row's index key and rowid (in both storage class and bytes)
// per index, against one read of each index in its own order summing the
// same; equal counts and sums, and no two entries of a unique index with
// the same key. An index this cannot read on its own (on an expression, of
// a WITHOUT ROWID table, or not usable as a covering index) has its table
// checked by `PRAGMA integrity_check(TABLE)` instead.
//
// When any of that finds a problem, the whole `PRAGMA integrity_check` runs
// and its lines are the answer: the same words as ever, at its cost, on a
// store that is damaged.
#include <string>
#include <vector>

#include "tb/store/store.hpp"

namespace tb::store {

// The lines of `PRAGMA integrity_check` but "ok": empty when the store is sound.
std::vector<std::string> integrity_problems(Store& s);

// For tests: whether every index of every table holds exactly its table's
// rows, by the sums above (true when there are none to compare), without
// the quick check and without the full check afterwards.
bool indexes_match_tables(Store& s);

}  // namespace tb::store
