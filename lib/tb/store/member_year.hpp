#pragma once
// The trades per year and member (schema version 11: member_year), kept like
// member_month (store/rollup.hpp), so that who took part in a whole year is
// a row per member who did (100,000 at 10M exchanges) instead of a row per
// member and month (1.4M for two years).
//
// member_year holds, per year (the first four characters of the exchange's
// date, as an integer) and member, how many trades the member was provider
// or recipient of (`trades`: exactly what member_month holds, summed over
// the year's months; a trade with themself counts twice, once per side),
// and since schema version 13 how many of them as provider (`provided`)
// and the minutes given and received: what network needs of each member for
// whole years. It is kept with the other totals: every write (RollupBatch,
// refresh_rollups), a void taking its original out of the original's year,
// rows whose trades drop to zero deleted; rebuild_rollups and the
// migrations fill it from pair_month, and tb check compares it with the
// ledger in its single pass (TotalsCheck), one line per differing year.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tb/model/model.hpp"
#include "tb/store/store.hpp"

namespace SQLite {
class Statement;
}

namespace tb::store {

// Empties member_year and fills it from pair_month: rebuild_rollups, which
// has just made pair_month from the whole ledger, and the migrations to
// versions 11 and 13 when the monthly totals are current (else they rebuild
// every table).
void rebuild_member_year(Store& s);

// refresh_rollups' SQL: adds (sign +1) or takes out (-1) the trades `e` of
// `rows` (a FROM ... WHERE clause, binding ?1 as fold_in does), grouped when
// `many`.
std::string member_year_fold_sql(const std::string& rows, int sign, bool many);
// Deletes the rows that dropped to zero: all of them (`rows` empty), else
// those of the exchanges `e` of `rows`.
std::string member_year_drop_sql(const std::string& rows);

class MemberNumbers;  // store/member_number.hpp

// The part of RollupBatch that gathers member_year's counts in memory, by
// year and member slot (RollupBatch's MemberNumbers, which gives the IDs
// back when they are written).
class MemberYearBatch {
public:
    MemberYearBatch(Store& s, MemberNumbers& members);
    ~MemberYearBatch();
    MemberYearBatch(const MemberYearBatch&) = delete;
    MemberYearBatch& operator=(const MemberYearBatch&) = delete;
    // A trade dated `day` ("YYYY-MM-DD") of `minutes` between the members
    // of two slots added (+1) or taken out (-1).
    void count(std::string_view day, std::uint32_t provider, std::uint32_t recipient, Minutes minutes, int sign);
    // How many rows are gathered.
    std::size_t size() const;
    // Writes them, in key order, and forgets them.
    void write();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The part of TotalsCheck (store/rollup_check.hpp) that compares member_year
// with the ledger: per year, sums of two hashes of each (year, member) times
// its four figures, as for member_month.
class MemberYearCheck {
public:
    MemberYearCheck();
    ~MemberYearCheck();
    MemberYearCheck(const MemberYearCheck&) = delete;
    MemberYearCheck& operator=(const MemberYearCheck&) = delete;
    // A trade: the columns of kTotalsColumns (rollup_check.hpp) from `first`.
    void add(SQLite::Statement& row, int first);
    // Reads member_year and appends a line per year that differs, in order.
    void differences(Store& s, std::vector<std::string>& out);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Every member with a trade in the years from..to (once per year they traded
// in), in (year, member) order. The views are valid only during the
// callback. Callers check that the totals are current (rollups_current).
void for_each_member_year(Store& s, int from, int to,
                          const std::function<void(int year, std::string_view member)>& fn);

// One row of member_year with its figures.
struct MemberYearRow {
    std::string_view member;  // valid only during the callback
    std::int64_t trades = 0, provided = 0;
    Minutes given = 0, received = 0;
};
// Every row of the years from..to, in (year, member) order. Callers check
// that the totals are current (rollups_current).
void for_each_member_year_figures(Store& s, int from, int to, const std::function<void(const MemberYearRow&)>& fn);

}  // namespace tb::store
