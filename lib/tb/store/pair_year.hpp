#pragma once
// The trades per year and unordered pair of members (schema version 11), so
// that `network` reads a whole year as one row per pair, in pair order,
// instead of a row per pair, month and category (pair_month).
//
// pair_year holds, per year and pair (low, high: the two members' numbers,
// member.num (store/member_number.hpp), low <= high; by number since schema
// version 12, by ID before), the trades
// in each direction and their minutes: `_lh` those in which low provided and
// high received, `_hl` the others (a trade of a member with themself counts
// as `_lh`). It keeps exactly the trades pair_month keeps (store/rollup.hpp:
// neither a void nor voided, the pot on neither side), with it: every write
// (RollupBatch, refresh_rollups), a void taking its original out of the
// original's year, rows that net to nothing deleted; rebuild_rollups fills it
// from the ledger, and tb check compares it with the ledger in its single
// pass (TotalsCheck), one line per differing year.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tb/model/model.hpp"
#include "tb/store/store.hpp"

namespace tb::store {

struct Typed;  // store/typed_column.hpp

// Empties pair_year and fills it from the whole ledger (rebuild_rollups).
void rebuild_pair_year(Store& s);

// The migrations to versions 11 and 12: pair_year from pair_month when the
// totals are current, else every table from the ledger (rebuild_rollups).
void fill_pair_year(Store& s);

// The migration to version 12: fills pair_year (by number) from `by_id`,
// version 11's pair_year by member ID, renamed, then drops it (a table
// already by number, as a store made from a newer one has, is copied).
void pair_year_from_ids(Store& s, const std::string& by_id);

// refresh_rollups' SQL: adds (sign +1) or takes out (-1) the exchanges `e` of
// `rows` (a FROM ... WHERE clause, binding ?1 as fold_in does).
std::string pair_year_fold_sql(const std::string& rows, int sign);
// Deletes the rows that net to nothing: all of them (`rows` empty), else
// those of the exchanges `e` of `rows`.
std::string pair_year_drop_sql(const std::string& rows);

// The part of RollupBatch that gathers pair_year's totals in memory.
class PairYearBatch {
public:
    explicit PairYearBatch(Store& s);
    ~PairYearBatch();
    PairYearBatch(const PairYearBatch&) = delete;
    PairYearBatch& operator=(const PairYearBatch&) = delete;
    // A trade dated `day` ("YYYY-MM-DD") added (+1) or taken out (-1),
    // its sides by member number (MemberNumbers, store/member_number.hpp;
    // 0 for a side without one: the trade is left out, as insert_grouped does).
    void count(std::string_view day, std::int64_t provider, std::int64_t recipient, Minutes minutes, int sign);
    // How many rows are gathered.
    std::size_t size() const;
    // Writes them, in key order, and forgets them.
    void write();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The part of TotalsCheck (store/rollup_check.hpp) that compares pair_year
// with the ledger: per year, sums of a hash of each (provider, recipient) by
// ID times its trades and times its minutes, as for pair_month; a kept row's
// numbers are read as the IDs of the members they name.
class PairYearCheck {
public:
    // Reads which members have a number (member.num).
    explicit PairYearCheck(Store& s);
    ~PairYearCheck();
    PairYearCheck(const PairYearCheck&) = delete;
    PairYearCheck& operator=(const PairYearCheck&) = delete;
    // A trade of the ledger: its date, sides (store/typed_column.hpp),
    // minutes, and the sides' slots in tb check's pass (store/member_slots.hpp).
    void add(const Typed& date, const Typed& provider, const Typed& recipient, std::int64_t minutes, std::uint32_t p,
             std::uint32_t r);
    // Reads pair_year and appends a line per year that differs, in order.
    void differences(Store& s, std::vector<std::string>& out);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One row of pair_year as network reads it: the pair alone, low and high
// the two members' numbers. (Each column read costs: a member's figures for
// whole years come from member_year, store/member_year.hpp.)
struct PairYearRow {
    std::int64_t low = 0, high = 0;
};
// The rows of one year, in (low, high) order, read as they are stepped
// through (nothing is gathered). Callers check that the totals are current
// (rollups_current).
class PairYearReader {
public:
    PairYearReader(Store& s, int year);
    ~PairYearReader();
    PairYearReader(PairYearReader&&) noexcept;
    PairYearReader& operator=(PairYearReader&&) noexcept;
    // The next row, or false at the end.
    bool next();
    const PairYearRow& row() const { return row_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    PairYearRow row_;
};

}  // namespace tb::store
