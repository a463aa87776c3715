#pragma once
// Monthly totals of the trades (schema version 3: trade_month and
// member_month; version 9: pair_month), so that reports over whole months
// read a few thousand rows instead of every exchange; and daily ones
// (version 10: trade_day, the trades and their minutes per date), so that
// weekly's twelve-week chart reads 84 rows; and (version 11) the trades per
// year and member (member_year, store/member_year.hpp) and each member's
// last trade (member.last_trade, store/last_trade.hpp), kept by parts of
// RollupBatch in their own files and rebuilt by rebuild_rollups.
//
// pair_month holds, per month, provider, recipient and category, the trades
// and their minutes: what `network` and `members` need of each trade. It
// keys by member IDs only, so a change of a member's kind, tags or
// neighbourhood leaves it as it is: readers join those at read time.
// `summary --by` reads the totals per group instead (version 11:
// group_month and member_org_month, store/group_month.hpp), kept by the
// same writes (RollupBatch, refresh_rollups, rebuild_rollups) but keyed by
// the members' groups and kinds now, so a change of those refolds them.
//
// A trade is an exchange that is neither a void nor voided (see
// report_queries.hpp). The totals hold every exchange numbered up to the meta
// value `rollup_upto`; every ledger write folds in the new rows before it
// commits (LedgerAppender::flush), so outside a write transaction they are
// always current. A void takes its original's contribution out again, from
// the original's month, so a voided exchange and its void net to nothing,
// wherever their dates fall. Rows that net to nothing are deleted.
//
// pair_year (version 11, store/pair_year.hpp) holds the same trades per
// year and unordered pair of members, with each direction's trades and
// minutes, so that `network` streams a whole year in pair order. It is kept
// with the others by the same writes (RollupBatch, refresh_rollups), rebuilt
// by rebuild_rollups and compared by check_rollups, a void taking its
// original out of the original's year.
//
// The pair of kinds (person/organisation) of a trade is taken from the
// members as they are now: changing a member's kind moves their trades
// (reclassify_member).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tb/model/model.hpp"
#include "tb/store/store.hpp"

namespace tb::store {

// Empties the tables and fills them from the whole ledger (the migration,
// tb check --rebuild-totals), member_year, pair_year and member.last_trade
// included; group_month and member_org_month from the pair_month it fills.
void rebuild_rollups(Store& s);

// Fills trade_day alone from the ledger (the migration from version 9),
// or every table (rebuild_rollups) when the monthly ones are not current.
void fill_trade_day(Store& s);

// Folds in every exchange numbered above rollup_upto and moves rollup_upto to
// the last one. Cheap when there is nothing new (two index look-ups). Call it
// inside the write transaction that appended the exchanges.
void refresh_rollups(Store& s);

// The totals of exchanges being appended, gathered in memory as they are
// appended and written by apply(): an import of a million rows would
// otherwise group them all again in SQL. Used by LedgerAppender. Memory is
// bounded: the member-month counts are written out whenever they grow past
// a limit, and the rest is a row per month, category and pair of kinds.
class RollupBatch {
public:
    // Brings the totals up to date first if they are not (refresh_rollups).
    // The member-month counts are written out past `spill_at` of them.
    explicit RollupBatch(Store& s, std::size_t spill_at = 50000);
    ~RollupBatch();
    RollupBatch(const RollupBatch&) = delete;
    RollupBatch& operator=(const RollupBatch&) = delete;
    // The slot of member `id` in the batch (store/member_number.hpp): a
    // dense number, looked up once per side of a row, that the batch gathers
    // every per-member total by (and its owner may too: LedgerAppender).
    std::uint32_t slot(const std::string& id);
    const std::string& id(std::uint32_t slot) const;
    // How many of the IDs given slots are no member's (MemberNumbers::strangers).
    std::size_t strangers() const;
    // A new exchange that is not a void (a donation or grant too: the
    // totals leave it out, last_trade may count it); its sides by slot, or by ID.
    void add(Date date, const std::string& category, std::uint32_t provider, std::uint32_t recipient,
             Minutes minutes);
    void add(Date date, const std::string& category, const std::string& provider, const std::string& recipient,
             Minutes minutes);
    // A new void of exchange `number`: takes its original out again.
    void void_of(std::int64_t number);
    // Writes what was gathered and records that the totals now hold every
    // exchange up to `last`. Nothing to do when nothing was gathered.
    void apply(std::int64_t last);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Takes a member's trades out of trade_month (sign -1) or puts them back
// (sign +1) under the members' current kinds: call with -1 before changing
// the member's kind and with +1 after, in the same transaction.
void reclassify_member(Store& s, const std::string& member, int sign);

// Whether the totals hold every exchange in the store (rollup_upto is the
// highest exchange number). Reports fall back to reading the exchanges when not.
bool rollups_current(Store& s);

// Problems for tb check: totals that differ from a recomputation from the
// ledger, one line per table and month (per year for pair_year;
// store/rollup_check.hpp: one read of
// the ledger, no grouping of the trades). `quick`: only whether they hold
// every exchange (no recomputation).
std::vector<std::string> check_rollups(Store& s, bool quick = false);

// The "YYYY-MM" of a month, as the tables key it.
std::string month_key(int year, int month);

// trade_day's rows, days from..to inclusive ("YYYY-MM-DD"), in date order.
struct TradeDayRow {
    std::string_view day;
    std::int64_t exchanges = 0;
    Minutes minutes = 0;
};
void for_each_trade_day(Store& s, const std::string& from, const std::string& to,
                        const std::function<void(const TradeDayRow&)>& fn);

// Reading, months from..to inclusive ("YYYY-MM"). The views are valid only
// during the callback.
struct TradeMonthRow {
    std::string_view month, category;
    int pair = 0;  // 0 person-person, 1 person-organisation, 2 organisation-organisation
    std::int64_t exchanges = 0;
    Minutes minutes = 0;
};
void for_each_trade_month(Store& s, const std::string& from, const std::string& to,
                          const std::function<void(const TradeMonthRow&)>& fn);
// Every member with a trade in those months (once per month they traded in).
void for_each_member_month(Store& s, const std::string& from, const std::string& to,
                           const std::function<void(std::string_view month, std::string_view member)>& fn);
// The trades of those months per provider, recipient and category are read
// by for_each_trade_parallel (report_queries.hpp), ranges marked `monthly`.
// Those of whole years per pair, by store::PairYearReader (pair_year.hpp).

}  // namespace tb::store
