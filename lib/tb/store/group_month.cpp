#include "tb/store/group_month.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "tb/store/hash_pair.hpp"
#include "tb/store/kept_sums.hpp"
#include "tb/store/member_number.hpp"
#include "tb/store/member_slots.hpp"
#include "tb/store/raw_statement.hpp"
#include "tb/store/rollup.hpp"
#include "tb/store/trade_sql.hpp"
#include "tb/util/group_key.hpp"
#include "tb/util/text.hpp"

namespace tb::store {
namespace {

constexpr std::size_t kCount = kGroupings.size();

// A member's groups from the member row's kind, neighbourhood and postcode
// and their tags: people and organisations only (as report_members).
MemberGroups groups_of(std::string_view kind, std::string_view neighbourhood, std::string_view postcode,
                       const std::vector<std::string>& tags) {
    MemberGroups g;
    g.organisation = kind == "organisation";
    if (kind != "person" && kind != "organisation") return g;
    auto add = [&](std::size_t grouping, std::string key) {
        auto& v = g.keys[grouping];
        if (std::find(v.begin(), v.end(), key) == v.end()) v.push_back(std::move(key));
    };
    for (auto& t : tags) add(0, text::group_key(t));
    add(1, text::group_key(neighbourhood));
    add(2, text::group_key(text::postcode_district(postcode)));
    return g;
}

std::string_view column_text(SQLite::Statement& q, int i) {
    auto c = q.getColumn(i);
    const char* p = c.getText("");
    return {p, static_cast<std::size_t>(c.getBytes())};
}

// Members' groups looked up one by one, with the statements prepared once.
class GroupsLoader {
public:
    explicit GroupsLoader(Store& s)
        : member_(s.db(), "SELECT kind, coalesce(neighbourhood, ''), coalesce(postcode, '') FROM member WHERE id = ?"),
          tags_(s.db(), "SELECT tag FROM member_tag WHERE member = ? ORDER BY rowid") {}
    MemberGroups operator()(const std::string& id) {
        member_.reset();
        member_.bind(1, id);
        if (!member_.executeStep()) return {};
        std::vector<std::string> tags;
        tags_.reset();
        tags_.bind(1, id);
        while (tags_.executeStep()) tags.push_back(tags_.getColumn(0).getString());
        return groups_of(column_text(member_, 0), column_text(member_, 1), column_text(member_, 2), tags);
    }

private:
    SQLite::Statement member_, tags_;
};

// Every member's groups, given to `fn` member by member: the members and
// the tags read side by side in ID order.
void for_each_member_groups(Store& s, const std::function<void(std::string_view, const MemberGroups&)>& fn) {
    RawStatement m(s.db(), "SELECT id, kind, neighbourhood, postcode FROM member ORDER BY id");
    RawStatement t(s.db(), "SELECT member, tag FROM member_tag ORDER BY member, tag");
    bool more = t.step();
    std::vector<std::string> tags;
    while (m.step()) {
        auto id = m.text(0);
        tags.clear();
        while (more && t.text(0) < id) more = t.step();
        for (; more && t.text(0) == id; more = t.step()) tags.emplace_back(t.text(1));
        fn(id, groups_of(m.text(1), m.text(2), m.text(3), tags));
    }
}

// The totals being gathered: groups, months and categories numbered as they
// come, each member's groups by those numbers.
class GroupTotals {
public:
    // A member's group numbers are kept in one array for all members: n[i]
    // of grouping i, from `at` on, grouping after grouping.
    struct Member {
        bool organisation = false;
        std::uint32_t at = 0;
        std::array<std::uint8_t, kCount> n{};
    };
    struct Sum {
        std::int64_t exchanges = 0;
        Minutes minutes = 0;
    };
    // What a kept row is keyed by, as text.
    struct Row {
        std::size_t grouping;
        std::string month, key, category;
        int pair;
    };

    Member member(const MemberGroups& g) {
        Member m;
        m.organisation = g.organisation;
        m.at = static_cast<std::uint32_t>(numbers_.size());
        for (std::size_t i = 0; i < kCount; ++i) {
            // More than 255 tags of one member are not kept apart: counted as 255.
            m.n[i] = static_cast<std::uint8_t>(std::min<std::size_t>(g.keys[i].size(), 255));
            for (std::size_t k = 0; k < m.n[i]; ++k) numbers_.push_back(number(groups_, i, g.keys[i][k]));
        }
        return m;
    }

    // `a`, `b`: the two sides (null: no groups, a person).
    void add(std::string_view month, std::string_view category, const Member* a, const Member* b,
             std::int64_t exchanges, Minutes minutes) {
        if (month != last_month_ || month_ < 0) {
            last_month_ = std::string(month);
            month_ = number(months_, 0, month);
        }
        if (category != last_category_ || category_ < 0) {
            last_category_ = std::string(category);
            // A few dozen categories: a scan, no allocation (a trade at a time in tb check).
            category_ = -1;
            for (std::size_t i = 0; i < categories_.names.size() && category_ < 0; ++i)
                if (categories_.names[i].second == category) category_ = static_cast<int>(i);
            if (category_ < 0) category_ = number(categories_, 0, category);
        }
        int pair = (a && a->organisation) + (b && b->organisation);
        const int* pa = a ? numbers_.data() + a->at : nullptr;
        const int* pb = b ? numbers_.data() + b->at : nullptr;
        for (std::size_t i = 0; i < kCount; ++i) {
            const int *ea = pa ? pa + a->n[i] : nullptr, *eb = pb ? pb + b->n[i] : nullptr;
            for (auto* g = pa; g != ea; ++g) count(*g, pair, exchanges, minutes);
            for (auto* g = pb; g != eb; ++g)
                if (std::find(pa, ea, *g) == ea) count(*g, pair, exchanges, minutes);
            pa = ea;
            pb = eb;
        }
    }

    // Every total gathered, as the rows it adds to, in key order.
    void for_each(const std::function<void(const Row&, const Sum&)>& fn) const {
        std::vector<std::pair<Row, Sum>> rows;
        rows.reserve(sums_.size());
        for (auto& [k, sum] : sums_) {
            auto g = groups_.names[static_cast<std::size_t>(k >> 40)];
            rows.push_back({Row{g.first, months_.names[(k >> 22) & 0x3ffff].second,
                                g.second, categories_.names[(k >> 2) & 0xfffff].second, static_cast<int>(k & 3)},
                            sum});
        }
        std::sort(rows.begin(), rows.end(), [](auto& x, auto& y) {
            auto& a = x.first;
            auto& b = y.first;
            return std::tie(a.grouping, a.month, a.key, a.category, a.pair) <
                   std::tie(b.grouping, b.month, b.key, b.category, b.pair);
        });
        for (auto& [row, sum] : rows) fn(row, sum);
    }

    // member_org_month's part: each side's trade with an organisation on the
    // other side, by "YYYY-MM" '\x1f' member.
    void add_org_partners(std::string_view month, std::string_view provider, std::string_view recipient,
                          const Member* a, const Member* b, std::int64_t trades) {
        auto side = [&](std::string_view member, const Member* other) {
            if (!other || !other->organisation) return;
            key_.assign(month).append(1, '\x1f').append(member);
            org_partners_[key_] += trades;
        };
        side(provider, b);
        side(recipient, a);
    }
    const std::unordered_map<std::string, std::int64_t>& org_partners() const { return org_partners_; }
    void clear_org_partners() { org_partners_.clear(); }
    // How many totals are gathered (a row per grouping, month, group,
    // category and pair of kinds).
    std::size_t size() const { return sums_.size(); }

    void clear() {
        sums_.clear();
        org_partners_.clear();
    }

    // A kept row matched with the total gathered for it, which is struck
    // off: false when there is none, or it differs.
    bool strike(std::size_t grouping, std::string_view month, std::string_view key, std::string_view category,
                std::int64_t pair, const Sum& kept) {
        int g = find(groups_, grouping, key), m = find(months_, 0, month), c = find(categories_, 0, category);
        if (g < 0 || m < 0 || c < 0 || pair < 0 || pair > 2) return false;
        auto it = sums_.find(key_of(g, m, c, static_cast<int>(pair)));
        if (it == sums_.end() || it->second.exchanges != kept.exchanges || it->second.minutes != kept.minutes)
            return false;
        sums_.erase(it);
        return true;
    }
    // The grouping and month of each total not struck off (that counts something).
    void for_each_left(const std::function<void(std::size_t grouping, const std::string& month)>& fn) const {
        for (auto& [k, sum] : sums_)
            if (sum.exchanges != 0 || sum.minutes != 0)
                fn(groups_.names[static_cast<std::size_t>(k >> 40)].first, months_.names[(k >> 22) & 0x3ffff].second);
    }

private:
    struct Names {
        std::vector<std::pair<std::size_t, std::string>> names;
        std::map<std::pair<std::size_t, std::string>, int, std::less<>> numbers;
    };
    static int find(const Names& n, std::size_t grouping, std::string_view name) {
        auto it = n.numbers.find(std::make_pair(grouping, std::string(name)));
        return it == n.numbers.end() ? -1 : it->second;
    }
    static std::uint64_t key_of(int group, int month, int category, int pair) {
        return (static_cast<std::uint64_t>(group) << 40) | (static_cast<std::uint64_t>(month) << 22) |
               (static_cast<std::uint64_t>(category) << 2) | static_cast<std::uint64_t>(pair);
    }
    static int number(Names& n, std::size_t grouping, std::string_view name) {
        auto key = std::make_pair(grouping, std::string(name));
        auto it = n.numbers.find(key);
        if (it != n.numbers.end()) return it->second;
        n.names.push_back(key);
        return n.numbers.emplace(std::move(key), static_cast<int>(n.names.size() - 1)).first->second;
    }
    void count(int group, int pair, std::int64_t exchanges, Minutes minutes) {
        auto& s = sums_[key_of(group, month_, category_, pair)];
        s.exchanges += exchanges;
        s.minutes += minutes;
    }

    Names groups_, months_, categories_;
    std::string last_month_, last_category_;
    int month_ = -1, category_ = -1;
    std::vector<int> numbers_;  // Member::at
    std::unordered_map<std::uint64_t, Sum> sums_;
    std::unordered_map<std::string, std::int64_t> org_partners_;
    std::string key_;
};

// GroupTotals::Member of each ID, loaded on first use.
class MemberCache {
public:
    MemberCache(Store& s, GroupTotals& totals) : load_(s), totals_(totals) {}
    const GroupTotals::Member& operator()(const std::string& id) {
        auto it = members_.find(id);
        if (it == members_.end()) it = members_.emplace(id, totals_.member(load_(id))).first;
        return it->second;
    }
    // `id` counted under `groups` from now on (regroup_member's old and new groups).
    void set(const std::string& id, const MemberGroups& groups) { members_[id] = totals_.member(groups); }

private:
    GroupsLoader load_;
    GroupTotals& totals_;
    std::unordered_map<std::string, GroupTotals::Member> members_;
};

// Adds the counts to member_org_month, in key order; rows that drop to
// nothing are deleted.
void write_org_partners(Store& s, const std::unordered_map<std::string, std::int64_t>& counts) {
    if (counts.empty()) return;
    std::vector<const std::pair<const std::string, std::int64_t>*> order;
    for (auto& kv : counts)
        if (kv.second != 0) order.push_back(&kv);
    std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->first < b->first; });
    SQLite::Statement add(s.db(), "INSERT INTO member_org_month (month, member, trades) VALUES (?, ?, ?) "
                                  "ON CONFLICT (month, member) DO UPDATE SET trades = trades + excluded.trades");
    std::optional<SQLite::Statement> drop;
    for (auto* kv : order) {
        auto cut = kv->first.find('\x1f');
        auto month = kv->first.substr(0, cut), member = kv->first.substr(cut + 1);
        add.reset();
        add.bind(1, month);
        add.bind(2, member);
        add.bind(3, static_cast<int64_t>(kv->second));
        add.exec();
        if (kv->second > 0) continue;
        if (!drop) drop.emplace(s.db(), "DELETE FROM member_org_month WHERE month = ? AND member = ? AND trades = 0");
        drop->reset();
        drop->bind(1, month);
        drop->bind(2, member);
        drop->exec();
    }
}

// Adds the totals to group_month and member_org_month; rows that drop to
// nothing are deleted.
void write(Store& s, const GroupTotals& totals) {
    SQLite::Statement add(s.db(),
                          "INSERT INTO group_month (grouping, month, group_key, category, pair, exchanges, minutes) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (grouping, month, group_key, category, pair) "
                          "DO UPDATE SET exchanges = exchanges + excluded.exchanges, "
                          "minutes = minutes + excluded.minutes");
    std::optional<SQLite::Statement> drop;
    totals.for_each([&](const GroupTotals::Row& r, const GroupTotals::Sum& sum) {
        if (sum.exchanges == 0 && sum.minutes == 0) return;
        auto bind = [&](SQLite::Statement& q) {
            q.reset();
            q.bind(1, kGroupings[r.grouping]);
            q.bind(2, r.month);
            q.bind(3, r.key);
            q.bind(4, r.category);
            q.bind(5, r.pair);
        };
        bind(add);
        add.bind(6, static_cast<int64_t>(sum.exchanges));
        add.bind(7, static_cast<int64_t>(sum.minutes));
        add.exec();
        if (sum.exchanges >= 0) return;
        if (!drop)
            drop.emplace(s.db(), "DELETE FROM group_month WHERE grouping = ? AND month = ? AND group_key = ? AND "
                                 "category = ? AND pair = ? AND exchanges = 0 AND minutes = 0");
        bind(*drop);
        drop->exec();
    });
    write_org_partners(s, totals.org_partners());
}

// Rows of (month, category, provider, recipient, exchanges, minutes) from
// `sql` (its ?1 bound to `id` when given, ?2 to `upto`), each counted `sign` times.
void count_rows(Store& s, GroupTotals& totals, MemberCache& members, const std::string& sql, int sign,
                const std::string* id, std::int64_t upto) {
    SQLite::Statement q(s.db(), sql);
    if (id) q.bind(1, *id);
    q.bind(2, static_cast<int64_t>(upto));
    while (q.executeStep()) {
        auto provider = q.getColumn(2).getString(), recipient = q.getColumn(3).getString();
        const auto* a = &members(provider);
        const auto* b = &members(recipient);
        auto n = sign * q.getColumn(4).getInt64();
        totals.add(column_text(q, 0), column_text(q, 1), a, b, n, sign * q.getColumn(5).getInt64());
        totals.add_org_partners(column_text(q, 0), provider, recipient, a, b, n);
    }
}

constexpr const char* kGroupedTrades =
    "SELECT substr(e.date, 1, 7), e.category, e.provider, e.recipient, count(*), sum(e.minutes) ";

}  // namespace

MemberGroups member_groups(Store& s, const std::string& id) { return GroupsLoader(s)(id); }

void rebuild_group_month(Store& s) {
    s.db().exec("DELETE FROM group_month");
    s.db().exec("DELETE FROM member_org_month");
    s.db().exec("INSERT INTO member_org_month (month, member, trades) SELECT month, member, sum(n) FROM ("
                "SELECT month, provider AS member, exchanges AS n FROM pair_month WHERE recipient IN "
                "(SELECT id FROM member WHERE kind = 'organisation' AND id IS NOT NULL) "
                "UNION ALL SELECT month, recipient, exchanges FROM pair_month WHERE provider IN "
                "(SELECT id FROM member WHERE kind = 'organisation' AND id IS NOT NULL)) GROUP BY 1, 2");
    GroupTotals totals;
    std::unordered_map<std::string, GroupTotals::Member> members;
    for_each_member_groups(s, [&](std::string_view id, const MemberGroups& g) { members.emplace(id, totals.member(g)); });
    auto find = [&](std::string& scratch, std::string_view id) -> const GroupTotals::Member* {
        scratch.assign(id);
        auto it = members.find(scratch);
        return it == members.end() ? nullptr : &it->second;
    };
    std::string p, r;
    RawStatement q(s.db(), "SELECT month, category, provider, recipient, exchanges, minutes FROM pair_month");
    while (q.step()) totals.add(q.text(0), q.text(1), find(p, q.text(2)), find(r, q.text(3)), q.integer(4), q.integer(5));
    write(s, totals);
}

void fold_in_group_month(Store& s, std::int64_t upto) {
    GroupTotals totals;
    MemberCache members(s, totals);
    count_rows(s, totals, members,
               fmt::format("{} FROM exchange e WHERE e.number > ?2 AND e.reverses IS NULL AND {} GROUP BY 1, 2, 3, 4",
                           kGroupedTrades, kNotPotSql),
               +1, nullptr, upto);
    count_rows(s, totals, members,
               fmt::format("{} FROM exchange v JOIN exchange e ON e.number = v.reverses WHERE v.number > ?2 AND "
                           "e.reverses IS NULL AND {} GROUP BY 1, 2, 3, 4",
                           kGroupedTrades, kNotPotSql),
               -1, nullptr, upto);
    write(s, totals);
}

void regroup_member(Store& s, const std::string& id, const MemberGroups& before) {
    auto now = member_groups(s, id);
    if (now == before) return;
    auto upto = get_meta(s, "rollup_upto", "");
    if (upto.empty()) return;  // nothing kept yet: the next refresh rebuilds
    // The member's trades among the exchanges the totals hold.
    auto sql = fmt::format("{} FROM exchange e WHERE (e.provider = ?1 OR e.recipient = ?1) AND e.number <= ?2 "
                           "AND e.reverses IS NULL AND {} AND NOT EXISTS (SELECT 1 FROM exchange v "
                           "WHERE v.reverses = e.number AND v.number <= ?2) GROUP BY 1, 2, 3, 4",
                           kGroupedTrades, kNotPotSql);
    std::int64_t last = 0;
    try {
        last = std::stoll(upto);
    } catch (const std::exception&) {
        return;
    }
    GroupTotals totals;
    MemberCache members(s, totals);
    members.set(id, before);
    count_rows(s, totals, members, sql, -1, &id, last);
    members.set(id, now);
    count_rows(s, totals, members, sql, +1, &id, last);
    write(s, totals);
}

void fill_group_month(Store& s) {
    if (rollups_current(s)) rebuild_group_month(s);
    else rebuild_rollups(s);
}

struct GroupMonthBatch::Impl {
    Store& store;
    const MemberNumbers& names;
    GroupTotals totals;
    GroupsLoader load;
    std::vector<std::optional<GroupTotals::Member>> members;  // by slot, read on first use
    bool any = false;
    std::size_t spill_at = 16384;  // totals written out past this many
    Impl(Store& s, const MemberNumbers& m) : store(s), names(m), load(s) {}

    // A copy: the vector may grow with the next member.
    GroupTotals::Member member(std::uint32_t slot) {
        auto& m = at_slot(members, slot);
        if (!m) m = totals.member(load(names.id(slot)));
        return *m;
    }
};

GroupMonthBatch::GroupMonthBatch(Store& s, const MemberNumbers& members, std::size_t spill_at)
    : impl_(std::make_unique<Impl>(s, members)) {
    impl_->spill_at = spill_at;
}
GroupMonthBatch::~GroupMonthBatch() = default;

void GroupMonthBatch::add(std::string_view month, std::string_view category, std::uint32_t provider,
                          std::uint32_t recipient, Minutes minutes, int sign) {
    auto& I = *impl_;
    I.any = true;
    auto a = I.member(provider), b = I.member(recipient);
    I.totals.add(month, category, &a, &b, sign, sign * minutes);
    if (a.organisation || b.organisation)
        I.totals.add_org_partners(month, I.names.id(provider), I.names.id(recipient), &a, &b, sign);
    // The counts per member grow with the rows appended, the totals with the
    // months and groups they span (and write() sorts them as rows of text):
    // each is written out past a limit, so an import's memory stays flat.
    if (I.totals.org_partners().size() >= 50000) {
        write_org_partners(I.store, I.totals.org_partners());
        I.totals.clear_org_partners();
    }
    if (I.totals.size() >= I.spill_at) {
        write(I.store, I.totals);  // the counts per member too
        I.totals.clear();
    }
}

void GroupMonthBatch::apply() {
    auto& I = *impl_;
    if (!I.any) return;
    write(I.store, I.totals);
    I.totals.clear();
    I.any = false;
}

// member_org_month's rows of a month are compared as sums of a hash of each
// row's member times its count (KeptSums, store/kept_sums.hpp): equal rows
// give equal sums.
using OrgSums = KeptSums;
namespace {
HashPair member_hash(std::string_view member) {
    std::uint64_t h = 14695981039346656037ull;  // FNV-1a
    for (unsigned char c : member) h = (h ^ c) * 1099511628211ull;
    return split_hash(h);
}
}  // namespace

struct GroupMonthCheck::Impl {
    std::map<std::string, OrgSums> org_ledger, org_kept;
    std::string org_month;
    OrgSums* org_at = nullptr;
    GroupTotals totals;
    std::unordered_map<std::string, GroupTotals::Member> members;
    std::string scratch;
    // Each member's entry by slot, looked up once per member.
    std::vector<const GroupTotals::Member*> by_slot;
    std::vector<char> looked_up;
    const GroupTotals::Member* find(std::string_view id, std::uint32_t slot) {
        auto& done = at_slot(looked_up, slot);
        auto& member = at_slot(by_slot, slot);
        if (!done) {
            scratch.assign(id);
            auto it = members.find(scratch);
            member = it == members.end() ? nullptr : &it->second;
            done = 1;
        }
        return member;
    }
};

GroupMonthCheck::GroupMonthCheck(Store& s) : impl_(std::make_unique<Impl>()) {
    for_each_member_groups(
        s, [&](std::string_view id, const MemberGroups& g) { impl_->members.emplace(id, impl_->totals.member(g)); });
}
GroupMonthCheck::~GroupMonthCheck() = default;

void GroupMonthCheck::add(std::string_view month, std::string_view category, std::string_view provider,
                          std::string_view recipient, std::uint32_t provider_slot, std::uint32_t recipient_slot,
                          Minutes minutes) {
    auto& I = *impl_;
    const auto* a = I.find(provider, provider_slot);
    const auto* b = I.find(recipient, recipient_slot);
    I.totals.add(month, category, a, b, 1, minutes);
    if (!(a && a->organisation) && !(b && b->organisation)) return;
    if (!I.org_at || month != I.org_month) {
        I.org_month = std::string(month);
        I.org_at = &I.org_ledger[I.org_month];
    }
    if (b && b->organisation) I.org_at->add(member_hash(provider), 1);
    if (a && a->organisation) I.org_at->add(member_hash(recipient), 1);
}

std::vector<std::string> GroupMonthCheck::differences(Store& s) {
    // (grouping, month) -> (group key, category, pair) -> (exchanges, minutes)
    // Each kept row is matched with the ledger's total and struck off; a row
    // with none, or a total left over, is a difference.
    std::set<std::pair<std::size_t, std::string>> differing;
    SQLite::Statement q(s.db(),
                        "SELECT grouping, month, group_key, category, pair, exchanges, minutes FROM group_month");
    while (q.executeStep()) {
        auto grouping = static_cast<std::size_t>(
            std::find(kGroupings.begin(), kGroupings.end(), column_text(q, 0)) - kGroupings.begin());
        // A number stored as anything but an integer is not what the ledger gives.
        bool whole = q.getColumn(4).isInteger() && q.getColumn(5).isInteger() && q.getColumn(6).isInteger();
        GroupTotals::Sum kept{q.getColumn(5).getInt64(), q.getColumn(6).getInt64()};
        if (!whole || kept.exchanges <= 0 ||
            !impl_->totals.strike(grouping, column_text(q, 1), column_text(q, 2), column_text(q, 3),
                                  q.getColumn(4).getInt64(), kept))
            differing.emplace(grouping, std::string(column_text(q, 1)));
    }
    impl_->totals.for_each_left([&](std::size_t grouping, const std::string& month) { differing.emplace(grouping, month); });
    std::vector<std::string> out;
    // member_org_month first, month by month.
    SQLite::Statement o(s.db(), "SELECT month, member, trades FROM member_org_month");
    while (o.executeStep()) {
        auto& sums = impl_->org_kept[std::string(column_text(o, 0))];
        auto n = o.getColumn(2).getInt64();
        if (!o.getColumn(2).isInteger() || n <= 0) sums.bad = true;
        sums.add(member_hash(column_text(o, 1)), n);
    }
    for_each_differing(
        impl_->org_ledger, impl_->org_kept, [](const OrgSums& x, const OrgSums& y) { return same(x, y); },
        [&](const std::string& month) {
            out.push_back(fmt::format("monthly totals for {} (member_org_month) do not match the ledger", month));
        });
    for (auto& [grouping, month] : differing)
        out.push_back(fmt::format("monthly totals for {} (group_month, {}) do not match the ledger", month,
                                  grouping < kCount ? kGroupings[grouping] : "(unknown)"));
    return out;
}

void for_each_group_month(Store& s, std::string_view grouping, const std::string& from, const std::string& to,
                          const std::function<void(const GroupMonthRow&)>& fn) {
    RawStatement q(s.db(), "SELECT group_key, category, pair, exchanges, minutes FROM group_month "
                           "WHERE grouping = ?1 AND month >= ?2 AND month <= ?3");
    q.bind(1, std::string(grouping));
    q.bind(2, from);
    q.bind(3, to);
    GroupMonthRow r;
    while (q.step()) {
        r.key = q.text(0);
        r.category = q.text(1);
        r.pair = static_cast<int>(q.integer(2));
        r.exchanges = q.integer(3);
        r.minutes = q.integer(4);
        fn(r);
    }
}

void for_each_member_trades(Store& s, const std::string& from, const std::string& to,
                            const std::function<void(std::string_view member, std::int64_t trades)>& fn) {
    RawStatement q(s.db(), "SELECT member, trades FROM member_month WHERE month >= ?1 AND month <= ?2 AND trades > 0");
    q.bind(1, from);
    q.bind(2, to);
    while (q.step()) fn(q.text(0), q.integer(1));
}

void for_each_org_partner_trades(Store& s, const std::string& from, const std::string& to,
                                 const std::function<void(std::string_view member, std::int64_t trades)>& fn) {
    RawStatement q(s.db(), "SELECT member, trades FROM member_org_month WHERE month >= ?1 AND month <= ?2");
    q.bind(1, from);
    q.bind(2, to);
    while (q.step()) fn(q.text(0), q.integer(1));
}

}  // namespace tb::store
