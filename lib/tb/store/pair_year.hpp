#pragma once
// The trades per year and unordered pair of members (schema version 11), so
// that `network` reads a whole year as one row per pair, in pair order,
// instead of a row per pair, month and category (pair_month).
//
// pair_year holds, per year and pair (low, high: the two member IDs in byte
// order, as SQLite's BINARY collation and std::string order them), the trades
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

// The migration to version 11: pair_year from pair_month when the totals are
// current, else every table from the ledger (rebuild_rollups).
void fill_pair_year(Store& s);

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
    // A trade dated `day` ("YYYY-MM-DD") added (+1) or taken out (-1).
    void count(std::string_view day, const std::string& provider, const std::string& recipient, Minutes minutes,
               int sign);
    // How many rows are gathered.
    std::size_t size() const;
    // Writes them, in key order, and forgets them.
    void write();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The part of TotalsCheck (store/rollup_check.hpp) that compares pair_year
// with the ledger: per year, sums of a hash of each (low, high, direction)
// times its trades and times its minutes, as for pair_month.
class PairYearCheck {
public:
    PairYearCheck();
    ~PairYearCheck();
    PairYearCheck(const PairYearCheck&) = delete;
    PairYearCheck& operator=(const PairYearCheck&) = delete;
    // A trade of the ledger: its date, sides (store/typed_column.hpp) and minutes.
    void add(const Typed& date, const Typed& provider, const Typed& recipient, std::int64_t minutes);
    // Reads pair_year and appends a line per year that differs, in order.
    void differences(Store& s, std::vector<std::string>& out);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One row of pair_year. The views are valid until the reader steps on.
struct PairYearRow {
    std::string_view low, high;
    std::int64_t exchanges_lh = 0, exchanges_hl = 0;
    Minutes minutes_lh = 0, minutes_hl = 0;
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
