#pragma once
// The read-only queries behind tb-report. Reports aggregate hundreds of
// thousands of exchanges, so these stream rows (or let SQLite aggregate)
// instead of building Exchange objects.
//
// "Trade" below means an exchange that counts as hours traded: neither a
// voided exchange nor the void that reverses it (the two cancel). Balances,
// unlike traded hours, include both, and opening balances too.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tb/model/model.hpp"
#include "tb/store/store.hpp"

namespace tb::store {

// A member as reports need them: no contact details, no tags (only
// `summary --by tag` needs them: for_each_member_tag).
struct ReportMember {
    std::string id, name;
    MemberKind kind = MemberKind::person;
    MemberStatus status = MemberStatus::active;
    std::string neighbourhood;
    std::string postcode;
    Date joined;
    Minutes balance = 0;  // exchanges (voids included) and opening balances
    Minutes opening = 0;
    BalanceLimit min_limit, max_limit;
    // The date of the member's latest trade (voided exchanges left out):
    // member.last_trade, kept with every write (store/last_trade.hpp).
    std::optional<Date> last_trade;
    // member.num (store/member_number.hpp), 0 when it has none: pair_year
    // names members by it.
    std::int64_t num = 0;
};
// Every member, forgotten ones included, ordered by ID; never the pot or a
// clearing account (kinds pot and bank), which are accounts, not people.
std::vector<ReportMember> report_members(Store& s);

// Every tag of every member, each member's in the order they were given
// (rowid order: a member's tags come in that order, not always together).
void for_each_member_tag(Store& s, const std::function<void(std::string_view member, std::string_view tag)>& fn);

// One trade, or (from the kept monthly totals, store/rollup.hpp) the trades
// of one month between the same provider and recipient in one category:
// `exchanges` of them, dated the month's first day, `minutes` in all. The
// views are valid only during the callback.
struct TradeRow {
    Date date;
    std::string_view provider, recipient, category;
    Minutes minutes = 0;
    std::int64_t exchanges = 1;
};

// Trades over several date ranges (each inclusive, in date order) at once, each range on its own
// read-only connection, `threads` at a time: a year of a busy bank is half a
// million rows, and a report should not make a coordinator wait. fn may run
// concurrently for different ranges, never for the same one. A range of
// whole months marked `monthly` is read from the monthly totals kept per
// provider, recipient and category (pair_month, store/rollup.hpp): one
// TradeRow per month and pair, standing for TradeRow::exchanges trades; the
// caller checks that they are current (rollups_current).
struct DateRange {
    Date from, to;
    bool monthly = false;
};
void for_each_trade_parallel(Store& s, const std::vector<DateRange>& ranges, unsigned threads,
                             const std::function<void(std::size_t range, const TradeRow&)>& fn);

// Trades per day, from..to; days without trades are left out. Read from the
// kept daily totals (trade_day, store/rollup.hpp) when they are current,
// else from the exchanges.
struct DayTotal {
    Date date;
    std::int64_t exchanges = 0;
    Minutes minutes = 0;
};
std::vector<DayTotal> daily_trade_totals(Store& s, Date from, Date to);

// The trades dated from..to with an account (a clearing account; never the
// pot, whose trades the kept totals leave out) on either side, as the kept
// totals count trades (neither a void nor voided): what network takes out
// of a member's figures for whole years (member_year, store/member_year.hpp),
// as its pairs leave accounts out. A trade between two accounts comes
// twice. The views are valid only during the callback.
void for_each_account_trade(Store& s, Date from, Date to, const std::function<void(const TradeRow&)>& fn);

// All trades from..to: how many, and their minutes.
struct TradeTotal {
    std::int64_t exchanges = 0;
    Minutes minutes = 0;
};
TradeTotal trade_totals(Store& s, Date from, Date to);

// Trades per category, from..to, most hours first.
struct CategoryTotal {
    std::string category;
    std::int64_t exchanges = 0;
    Minutes minutes = 0;
};
std::vector<CategoryTotal> category_trade_totals(Store& s, Date from, Date to);

// How much each member's balance moved after the end of `date`: exchanges
// dated later (voids included) and opening balances dated later. A balance
// as it stood at the end of `date` is the kept balance minus this. Reports
// mostly ask about recent dates, so this reads few rows. Members whose
// balance did not move are left out.
std::unordered_map<std::string, Minutes> balance_changes_after(Store& s, Date date);

// The date of each member's first trade (voided exchanges and voids left
// out), for the members named; members with none are left out. Two indexed
// look-ups per member.
std::unordered_map<std::string, Date> first_trade_dates(Store& s, const std::vector<std::string>& ids);

// The date of the first trade in the store, if any.
std::optional<Date> first_trade_date(Store& s);
// The dates of the first and last exchange of any kind (cheap: the index).
std::optional<DateRange> exchange_date_span(Store& s);

// Open requests with no proposal, or only declined ones (tb-match run writes
// proposals, tb-match request decline declines them), oldest first.
using OpenRequest = Request;
// Open requests with no accepted proposal and none pending with an active
// member (all declined, or proposed to members who have since left).
std::vector<OpenRequest> open_requests_without_proposal(Store& s);

// Every open request.
std::int64_t count_open_requests(Store& s);
// Open requests needed by a day before `today`, the longest overdue first.
std::vector<OpenRequest> open_requests_past_needed_by(Store& s, Date today);

// Proposals still pending: status proposed, on an open request, to a member
// who is active (as store::pending_proposals), oldest first.
struct PendingProposal {
    std::int64_t request = 0;
    std::string requester, category;
    std::optional<Date> needed_by;
    std::string member;      // proposed to
    std::string created_at;  // of the proposal (UTC)
};
std::vector<PendingProposal> pending_proposal_rows(Store& s);

// Requests made (created, UTC date) from..to, or closed from..to. The day a
// request was met is the date of the exchange that met it, else the day it
// was closed; a withdrawn request's is the day it was closed.
struct RequestEvent {
    std::string member;  // the requester
    Date made;
    std::string outcome;           // "", "met" or "withdrawn"
    std::optional<Date> closed;    // met or withdrawn on
};
std::vector<RequestEvent> request_events(Store& s, Date from, Date to);

}  // namespace tb::store
