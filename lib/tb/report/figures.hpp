#pragma once
// The figures every report is made of: who took part, how many exchanges and
// hours, split by the kinds of member on each side, by category, and by the
// groups funders ask about (tags, neighbourhoods). Opening balances never
// count here, and voided exchanges cancel with their voids (see
// store/report_queries.hpp).
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tb/store/report_queries.hpp"
#include "tb/util/date.hpp"

namespace tb::report {

// Members indexed by ID, for lookups while trades stream past.
class Directory {
public:
    explicit Directory(std::vector<store::ReportMember> members);
    static Directory load(store::Store& s) { return Directory(store::report_members(s)); }

    const std::vector<store::ReportMember>& members() const { return members_; }
    std::size_t size() const { return members_.size(); }
    const store::ReportMember& operator[](std::size_t i) const { return members_[i]; }
    // The member's index, or -1 when the ID is unknown. Called twice for
    // every exchange a report reads, so it is an open-addressing table of
    // hashes over one buffer of IDs rather than a map of strings.
    int find(std::string_view id) const {
        if (id.size() <= 8) {
            // Short IDs (M0001, most of them) are their own key: no string compare.
            auto key = pack(id);
            for (std::size_t i = mix(key) & mask_;; i = (i + 1) & mask_) {
                const auto& slot = slots_[i];
                if (slot.index < 0) return -1;
                if (slot.key == key) return slot.index;
            }
        }
        auto key = long_key(id);
        for (std::size_t i = mix(key) & mask_;; i = (i + 1) & mask_) {
            const auto& slot = slots_[i];
            if (slot.index < 0) return -1;
            if (slot.key == key && members_[static_cast<std::size_t>(slot.index)].id == id) return slot.index;
        }
    }
    // The member's kind, from a compact array (no trip to the member record).
    MemberKind kind(int i) const { return static_cast<MemberKind>(kinds_[static_cast<std::size_t>(i)]); }

private:
    struct Slot {
        std::uint64_t key = 0;
        int index = -1;
    };
    // Up to 8 bytes and the length, packed; longer IDs get a hash with the
    // top bit set, which no packed key has (its top byte is the length).
    static std::uint64_t pack(std::string_view s) {
        std::uint64_t k = 0;
        for (std::size_t i = 0; i < s.size(); ++i) k |= std::uint64_t(static_cast<unsigned char>(s[i])) << (8 * i);
        return s.size() == 8 ? k : k | (std::uint64_t(s.size()) << 56);
    }
    static std::uint64_t long_key(std::string_view s) {
        std::uint64_t h = 14695981039346656037ull;  // FNV-1a
        for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
        return h | (1ull << 63);
    }
    static std::uint64_t mix(std::uint64_t k) {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccdull;
        return k ^ (k >> 33);
    }
    static std::uint64_t key_of(std::string_view s) { return s.size() <= 8 ? pack(s) : long_key(s); }
    std::vector<store::ReportMember> members_;
    std::vector<std::uint8_t> kinds_;
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
};

// Directory::find for IDs that arrive mostly in ID order, as the kept
// per-member totals give them month by month: a short walk forward from the
// last match instead of a hash probe per row (the directory is in ID order
// when it comes from report_members). Any other order still finds the
// right member, through Directory::find.
class OrderedFind {
public:
    explicit OrderedFind(const Directory& dir) : dir_(dir) {}
    int operator()(std::string_view id);

private:
    const Directory& dir_;
    std::size_t next_ = 0;
};

// How the trades of some periods are read: each period clamped to the dates
// that have exchanges and cut into parts that are scanned in parallel. With
// `kept`, the whole months of each period (split_months) are read from the
// totals kept per provider, recipient and category instead, in parts cut at
// the months' ends, and only the days around them from the exchanges.
struct ScanPlan {
    std::vector<store::DateRange> ranges;
    std::vector<std::size_t> period_of;  // range -> period
    unsigned threads = 1;
};
ScanPlan plan_scan(store::Store& s, const std::vector<Period>& periods, bool kept = false);

// Streams the trades of each period into one accumulator per period. Each
// part of the plan fills a fresh accumulator from make(); add(acc, row) may
// run on several threads at once, each on its own accumulator; the parts are
// then merged in date order with acc.merge(std::move(part)). With `kept`
// (plan_scan), a row may stand for several trades (TradeRow::exchanges).
template <typename Acc, typename Make, typename Add>
std::vector<Acc> scan_periods(store::Store& s, const std::vector<Period>& periods, Make make, Add add,
                              bool kept = false) {
    auto plan = plan_scan(s, periods, kept);
    std::vector<Acc> parts;
    parts.reserve(plan.ranges.size());
    for (std::size_t i = 0; i < plan.ranges.size(); ++i) parts.push_back(make());
    store::for_each_trade_parallel(s, plan.ranges, plan.threads,
                                   [&](std::size_t r, const store::TradeRow& row) { add(parts[r], row); });
    std::vector<Acc> out;
    out.reserve(periods.size());
    for (std::size_t i = 0; i < periods.size(); ++i) out.push_back(make());
    for (std::size_t r = 0; r < parts.size(); ++r) out[plan.period_of[r]].merge(std::move(parts[r]));
    return out;
}

// The whole calendar months of each period that the kept monthly totals can
// stand for (whole_months, when store::rollups_current), and the days
// around them, which are read from the exchanges: every period without
// such months is read whole. A first or last month that the period covers
// only in part counts as whole when the ledger has no exchange in the rest
// of it (before the period's first day or after its last): then `months`
// reaches beyond the period.
struct MonthSplit {
    std::vector<std::optional<Period>> months;  // by period
    std::vector<Period> parts;                  // the days read from the exchanges
    std::vector<std::size_t> owner;             // part -> period
};
MonthSplit split_months(store::Store& s, const std::vector<Period>& periods);
// Who took part in a period: every member of `dir` with a trade in it,
// marked in `seen` (by index in `dir`; dir.size() entries). Whole years are
// read from the trades kept per member and year (member_year), a year
// counting whole when the ledger holds nothing in the part of it outside
// the period (as split_months counts a month); the other whole months from
// member_month; the days around them, or the whole period when the totals
// are behind, from the exchanges.
void mark_took_part(store::Store& s, const Directory& dir, Period period, std::vector<char>& seen);
// How many members of `dir` took part in the period (mark_took_part).
std::int64_t members_who_took_part(store::Store& s, const Directory& dir, Period period);
// mark_took_part's kept part alone: `months` are whole months that
// split_months gave (the totals current), the days around them left to the
// caller, who reads them anyway.
void mark_took_part_in_months(store::Store& s, const Directory& dir, Period months, std::vector<char>& seen);

// The "YYYY-MM" of the first and last month of a period of whole months.
std::pair<std::string, std::string> month_keys(Period months);

// scan_periods with the whole months from the totals kept per pair: the
// same figures for accumulators that count TradeRow::exchanges.
template <typename Acc, typename Make, typename Add>
std::vector<Acc> scan_periods_kept(store::Store& s, const std::vector<Period>& periods, Make make, Add add) {
    return scan_periods<Acc>(s, periods, make, add, true);
}

// Who was on each side of an exchange: funders ask for these separately.
enum class PairKind { person_person = 0, person_organisation = 1, organisation_organisation = 2 };
inline constexpr std::array<PairKind, 3> kPairKinds = {PairKind::person_person, PairKind::person_organisation,
                                                      PairKind::organisation_organisation};
PairKind pair_kind(MemberKind a, MemberKind b);
// "person-person", "person-organisation", "organisation-organisation".
std::string pair_kind_key(PairKind k);
// "person→person", "person↔organisation", "organisation→organisation".
std::string pair_kind_label(PairKind k);

enum class GroupBy { none, tag, neighbourhood, postcode_district, kind };
// "tag", "neighbourhood", "postcode-district" or "kind"; throws UsageError
// naming the value.
GroupBy parse_group_by(std::string_view s);

struct CategoryFigure {
    std::string category;
    std::int64_t exchanges = 0;
    Minutes minutes = 0;
};

struct Figures {
    std::int64_t exchanges = 0;
    Minutes minutes = 0;
    std::int64_t members = 0;      // distinct members who took part
    std::int64_t new_members = 0;  // joined in the period
    std::array<Minutes, 3> split_minutes{};  // by PairKind
    std::array<std::int64_t, 3> split_exchanges{};
    std::vector<CategoryFigure> categories;  // most hours first
    // Requests for help (store::request_events): made in the period, met or
    // withdrawn in it, and for each met the days from the day it was made
    // to the day it was met (never below 0), with their median.
    std::int64_t requests_made = 0, requests_met = 0, requests_withdrawn = 0;
    std::vector<int> match_days;
    std::optional<double> median_days_to_match;
};

struct GroupFigures {
    std::string group;  // "all" for the whole bank
    Figures now, before;
};

// The community pot over a period: hours donated to it and granted from it
// (never part of the exchanges or hours above), and its balance at the end.
struct PotFigures {
    Minutes donated = 0, granted = 0;
    Minutes donated_before = 0, granted_before = 0;  // the previous period
    Minutes balance = 0;
    // Whether there is anything to show: a bank that does not use the pot
    // sees no pot lines.
    bool any() const { return donated || granted || donated_before || granted_before || balance; }
};
PotFigures pot_figures(store::Store& s, Period period, std::optional<Period> previous);

struct Summary {
    Period period;
    PotFigures pot;
    std::optional<Period> previous;  // none for a period open at its start
    std::vector<GroupFigures> groups;  // "all" first, then the groups by name
};

// The period before it worth comparing with (util/date
// previous_calendar_period); none for an open-ended FROM..TO.
std::optional<Period> comparable_previous(Period p);

// summary --compare: previous (the default), last-year or none.
enum class Compare { previous, last_year, none };
// Throws UsageError naming the value.
Compare parse_compare(std::string_view s);
// The period to compare `p` with; none for Compare::none or an open-ended period.
std::optional<Period> compare_period(Period p, Compare c, WeekStart ws);

// The whole calendar months of a period (and of the previous one) are read
// from the monthly totals the ledger keeps (store/rollup.hpp: with
// GroupBy::none those per category and pair of kinds; for tags,
// neighbourhoods and postcode districts those per group, store/group_month.hpp,
// the members who took part joined with their groups as they are now; for
// kinds those per pair of kinds and each member's trades with
// organisations), and only the days before and after them from the
// exchanges; the figures are the same as from reading every exchange.
Summary summarise(store::Store& s, const Directory& dir, Period period, GroupBy by);
// The same, compared with `previous` (none: no comparison).
Summary summarise(store::Store& s, const Directory& dir, Period period, GroupBy by, std::optional<Period> previous);

// The whole calendar months inside a period, from the first day of the first
// to the last day of the last; none when it holds no whole month.
std::optional<Period> whole_months(Period p);

// The change from `before` to `now` in percent, one decimal; none when
// there was nothing before.
std::optional<double> change_pct(double now, double before);

// The part of a period that has data to show: from the first trade (when the
// period is open at its start) to today (when the period reaches the future).
Period clamp_to_data(store::Store& s, Period p, Date today);

// A period's label for time series: 2026-W47, 2026-11, 2026-Q4, 2026.
enum class Bucket { week, month, quarter, year };
Bucket parse_bucket(std::string_view s);
std::string bucket_name(Bucket b);
// The bucket containing d, and its label.
Period bucket_of(Date d, Bucket b, WeekStart ws);
std::string bucket_label(Period bucket, Bucket b, WeekStart ws);

}  // namespace tb::report
