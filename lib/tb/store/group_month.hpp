#pragma once
// The monthly totals per group (schema version 11: group_month), so that
// `summary --by tag|neighbourhood|postcode-district` reads a few thousand
// rows per year instead of the trades per pair (pair_month).
//
// A row per grouping ("tag", "neighbourhood", "postcode-district"), month,
// group, category and pair of kinds (0..2, as trade_month's): the trades and
// their minutes. The group is the key summary --by compares by
// (text::group_key: case- and space-insensitive); the spelling shown is
// taken from the members at read time. A trade counts once in each group of
// the union of its two members' groups: a trade between two members of one
// group counts once in it. Members that are not people or organisations
// (the pot, clearing accounts) and IDs missing from the member table have no
// groups, and count as people for the pair of kinds (as in trade_month).
// `--by kind` needs no totals per group: its groups are trade_month's pairs.
// What it needs of each member is kept beside: member_org_month, per month
// and member, the member's trades (a side of each) with an organisation on
// the other side, kept with group_month (by current kinds, refolded with a
// change of kind) and checked by tb check with it, as sums per month like
// member_month (store/rollup_check.hpp).
//
// Kept like the other monthly totals (store/rollup.hpp), with every ledger
// write (RollupBatch, refresh_rollups: a void takes its original out again
// under the groups in force), and refolded whenever a member's groups or
// kind change (regroup_member: the member's trades are taken out under the
// old groups and put back under the new). tb check recomputes it in its one
// pass over the ledger (GroupMonthCheck); rebuild_rollups rebuilds it.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tb/model/model.hpp"
#include "tb/store/store.hpp"

namespace tb::store {

class MemberNumbers;  // store/member_number.hpp

// The groupings kept, as the table's `grouping` column names them.
inline constexpr std::array<const char*, 3> kGroupings = {"tag", "neighbourhood", "postcode-district"};

// What group_month counts a member's trades under: whether an organisation,
// and the member's group keys under each grouping of kGroupings (each key
// once, in the order the member's values give them).
struct MemberGroups {
    bool organisation = false;
    std::array<std::vector<std::string>, 3> keys;
    bool operator==(const MemberGroups&) const = default;
};
MemberGroups member_groups(Store& s, const std::string& id);

// Empties group_month and fills it from pair_month, which must hold the
// whole ledger (rebuild_rollups calls it after filling pair_month).
void rebuild_group_month(Store& s);
// The migration to version 11: group_month from pair_month when the totals
// are current, else every table (rebuild_rollups).
void fill_group_month(Store& s);
// refresh_rollups' part: the trades numbered above `upto` added, the
// originals of the voids numbered above it taken out.
void fold_in_group_month(Store& s, std::int64_t upto);
// After a change to member `id` that may have moved their groups or kind
// (`before`: member_groups before the change, in the same transaction):
// the member's trades taken out under the old groups and put back under
// the new ones (and their partners' member_org_month rows with a change of
// kind). Nothing to do when they are the same.
void regroup_member(Store& s, const std::string& id, const MemberGroups& before);

// The group totals of exchanges being appended, gathered in memory (a row
// per grouping, month, group, category and pair of kinds) and written by
// apply(), or as they go past `spill_at` rows, so that an import's memory
// stays flat. Used by RollupBatch; members are named by their slots in
// `members` (store/member_number.hpp), which outlives the batch, and each
// one's groups read once.
class GroupMonthBatch {
public:
    GroupMonthBatch(Store& s, const MemberNumbers& members, std::size_t spill_at = 16384);
    ~GroupMonthBatch();
    GroupMonthBatch(const GroupMonthBatch&) = delete;
    GroupMonthBatch& operator=(const GroupMonthBatch&) = delete;
    // A trade (sign +1) or a voided one taken out (-1); `month` is "YYYY-MM".
    void add(std::string_view month, std::string_view category, std::uint32_t provider, std::uint32_t recipient,
             Minutes minutes, int sign);
    void apply();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// tb check's comparison: the trades fed one by one (TotalsCheck::add), with
// every member's groups as they are now; differences() reads member_org_month
// and group_month and gives a line per month of member_org_month that
// differs, then per grouping and month of group_month, grouping by grouping
// (kGroupings' order), each in month order.
class GroupMonthCheck {
public:
    explicit GroupMonthCheck(Store& s);
    ~GroupMonthCheck();
    GroupMonthCheck(const GroupMonthCheck&) = delete;
    GroupMonthCheck& operator=(const GroupMonthCheck&) = delete;
    // A trade; `provider_slot` and `recipient_slot` number its sides
    // (store/member_slots.hpp).
    void add(std::string_view month, std::string_view category, std::string_view provider,
             std::string_view recipient, std::uint32_t provider_slot, std::uint32_t recipient_slot, Minutes minutes);
    std::vector<std::string> differences(Store& s);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Reading one grouping, months from..to inclusive ("YYYY-MM"). The views
// are valid only during the callback.
struct GroupMonthRow {
    std::string_view key, category;  // key: text::group_key
    int pair = 0;
    std::int64_t exchanges = 0;
    Minutes minutes = 0;
};
void for_each_group_month(Store& s, std::string_view grouping, const std::string& from, const std::string& to,
                          const std::function<void(const GroupMonthRow&)>& fn);

// `--by kind`'s members who took part: each member's trades (member_month:
// a trade between two members counts for both) and, of those, the trades
// with an organisation on the other side (member_org_month), months
// from..to, a row per member and month (each member's rows in month order
// need not be together). A person took part in person-person trades when
// some trade was not with an organisation, an organisation in
// person-organisation ones; and in the other kind when some was.
void for_each_member_trades(Store& s, const std::string& from, const std::string& to,
                            const std::function<void(std::string_view member, std::int64_t trades)>& fn);
void for_each_org_partner_trades(Store& s, const std::string& from, const std::string& to,
                                 const std::function<void(std::string_view member, std::int64_t trades)>& fn);

}  // namespace tb::store
