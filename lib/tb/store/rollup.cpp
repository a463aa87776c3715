#include "tb/store/rollup.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "tb/store/gathered.hpp"
#include "tb/store/last_trade.hpp"
#include "tb/store/member_number.hpp"
#include "tb/store/member_slots.hpp"
#include "tb/store/member_year.hpp"
#include "tb/store/pair_year.hpp"
#include "tb/store/group_month.hpp"
#include "tb/store/raw_statement.hpp"
#include "tb/store/rollup_check.hpp"
#include "tb/store/trade_sql.hpp"

namespace tb::store {
namespace {

// The pair of kinds of exchange X: how many of its two sides are
// organisations (a member missing from the member table counts as a person,
// as in reports). For many rows, the set of organisations is built once per
// statement (an uncorrelated subquery); for a few, each side is looked up.
std::string pair_of(const char* x, bool many = true) {
    if (!many)
        return fmt::format("(coalesce((SELECT kind = 'organisation' FROM member WHERE id = {0}.provider), 0) + "
                           "coalesce((SELECT kind = 'organisation' FROM member WHERE id = {0}.recipient), 0))",
                           x);
    return fmt::format(
        "(({0}.provider IN (SELECT id FROM member WHERE kind = 'organisation' AND id IS NOT NULL)) + "
        "({0}.recipient IN (SELECT id FROM member WHERE kind = 'organisation' AND id IS NOT NULL)))",
        x);
}


// Both tables as the whole ledger gives them: the migration fills them with
// these, and tb check compares them with these.
std::string trade_month_of_ledger() {
    return fmt::format(
        "SELECT substr(e.date, 1, 7) AS month, e.category AS category, {} AS pair, count(*) AS exchanges, "
        "sum(e.minutes) AS minutes FROM exchange e WHERE {} GROUP BY 1, 2, 3",
        pair_of("e"), kIsTradeSql);
}

std::string member_month_of_ledger() {
    return fmt::format(
        "SELECT month, member, count(*) AS trades FROM ("
        "SELECT substr(e.date, 1, 7) AS month, e.provider AS member FROM exchange e WHERE {0} "
        "UNION ALL SELECT substr(e.date, 1, 7), e.recipient FROM exchange e WHERE {0}) "
        "GROUP BY 1, 2",
        kIsTradeSql);
}

std::string trade_day_of_ledger() {
    return fmt::format("SELECT e.date AS day, count(*) AS exchanges, sum(e.minutes) AS minutes FROM exchange e "
                       "WHERE {} GROUP BY 1",
                       kIsTradeSql);
}

std::string pair_month_of_ledger() {
    return fmt::format(
        "SELECT substr(e.date, 1, 7) AS month, e.provider AS provider, e.recipient AS recipient, "
        "e.category AS category, count(*) AS exchanges, sum(e.minutes) AS minutes FROM exchange e WHERE {} "
        "GROUP BY 1, 2, 3, 4",
        kIsTradeSql);
}

constexpr const char* kAddTradeMonth =
    " ON CONFLICT (month, category, pair) DO UPDATE SET exchanges = exchanges + excluded.exchanges, "
    "minutes = minutes + excluded.minutes";
constexpr const char* kAddMemberMonth = " ON CONFLICT (month, member) DO UPDATE SET trades = trades + excluded.trades";
constexpr const char* kAddTradeDay =
    " ON CONFLICT (day) DO UPDATE SET exchanges = exchanges + excluded.exchanges, "
    "minutes = minutes + excluded.minutes";
constexpr const char* kAddPairMonth =
    " ON CONFLICT (month, provider, recipient, category) DO UPDATE SET exchanges = exchanges + excluded.exchanges, "
    "minutes = minutes + excluded.minutes";

std::int64_t max_number(Store& s) {
    return s.db().execAndGet("SELECT coalesce(max(number), 0) FROM exchange").getInt64();
}

std::int64_t rollup_upto(Store& s) {
    auto v = get_meta(s, "rollup_upto", "");
    if (v.empty()) return -1;
    try {
        return std::stoll(v);
    } catch (const std::exception&) {
        return -1;
    }
}

// Exchanges numbered above `upto`, into both tables: trades added, and the
// originals of new voids taken out again (rows that drop to zero deleted).
void fold_in(Store& s, std::int64_t upto, std::int64_t last) {
    auto& db = s.db();
    fold_in_group_month(s, upto);  // store/group_month.hpp
    // Many new rows (an import) are grouped first; a few (one exchange or
    // void) are added row by row, which spares setting up a sorter.
    bool many = last - upto > 1000;
    auto exec = [&](const std::string& sql) {
        SQLite::Statement q(db, sql);
        q.bind(1, static_cast<int64_t>(upto));
        return q.exec();
    };
    // Rows `e` to add (sign +1) or take out (-1): the new trades, and the
    // originals of the new voids (whether the original is new too or was
    // folded in before; a void of a void reverses nothing that was counted).
    auto add = [&](const char* rows, int sign) {
        const char* minus = sign < 0 ? "-" : "";
        auto n = many ? fmt::format("{}count(*)", minus) : std::to_string(sign);
        auto m = many ? fmt::format("{}sum(e.minutes)", minus) : fmt::format("{}e.minutes", minus);
        auto changed = exec(fmt::format("INSERT INTO trade_month (month, category, pair, exchanges, minutes) "
                                        "SELECT substr(e.date, 1, 7), e.category, {}, {}, {} {}{}{}",
                                        pair_of("e", many), n, m, rows, many ? " GROUP BY 1, 2, 3" : "",
                                        kAddTradeMonth));
        exec(fmt::format("INSERT INTO member_month (month, member, trades) SELECT month, member, {0} FROM ("
                         "SELECT substr(e.date, 1, 7) AS month, e.provider AS member {1} "
                         "UNION ALL SELECT substr(e.date, 1, 7), e.recipient {1}) WHERE true{2}{3}",
                         n, rows, many ? " GROUP BY 1, 2" : "", kAddMemberMonth));
        exec(fmt::format("INSERT INTO pair_month (month, provider, recipient, category, exchanges, minutes) "
                         "SELECT substr(e.date, 1, 7), e.provider, e.recipient, e.category, {}, {} {}{}{}",
                         n, m, rows, many ? " GROUP BY 1, 2, 3, 4" : "", kAddPairMonth));
        exec(fmt::format("INSERT INTO trade_day (day, exchanges, minutes) SELECT e.date, {}, {} {}{}{}", n, m, rows,
                         many ? " GROUP BY 1" : "", kAddTradeDay));
        exec(member_year_fold_sql(rows, sign, many));
        exec(pair_year_fold_sql(rows, sign));
        return changed;
    };
    add("FROM exchange e WHERE e.number > ?1 AND e.reverses IS NULL AND " TB_NOT_POT_SQL, +1);
    // The new voids: for a few, found by number; for many, from the index
    // of voids (the unary + keeps SQLite off that index).
    auto voided = fmt::format("FROM exchange v JOIN exchange e ON e.number = v.reverses "
                              "WHERE v.number > ?1 AND {}v.reverses IS NOT NULL AND e.reverses IS NULL AND {}",
                              many ? "" : "+", kNotPotSql);
    if (add(voided.c_str(), -1) == 0) return;
    // Rows that dropped to zero: all of them after many rows, else among
    // those the voids touched.
    if (many) {
        db.exec("DELETE FROM trade_month WHERE exchanges = 0 AND minutes = 0");
        db.exec("DELETE FROM member_month WHERE trades = 0");
        db.exec("DELETE FROM pair_month WHERE exchanges = 0 AND minutes = 0");
        db.exec("DELETE FROM trade_day WHERE exchanges = 0 AND minutes = 0");
        db.exec(member_year_drop_sql(""));
        db.exec(pair_year_drop_sql(""));
        return;
    }
    exec(fmt::format("DELETE FROM trade_month WHERE exchanges = 0 AND minutes = 0 "
                     "AND month IN (SELECT substr(e.date, 1, 7) {})",
                     voided));
    exec(fmt::format("DELETE FROM member_month WHERE trades = 0 AND month IN (SELECT substr(e.date, 1, 7) {0}) "
                     "AND member IN (SELECT e.provider {0} UNION ALL SELECT e.recipient {0})",
                     voided));
    exec(fmt::format("DELETE FROM pair_month WHERE exchanges = 0 AND minutes = 0 AND (month, provider, recipient, "
                     "category) IN (SELECT substr(e.date, 1, 7), e.provider, e.recipient, e.category {})",
                     voided));
    exec(fmt::format("DELETE FROM trade_day WHERE exchanges = 0 AND minutes = 0 AND day IN (SELECT e.date {})",
                     voided));
    exec(member_year_drop_sql(voided));
    exec(pair_year_drop_sql(voided));
}

}  // namespace

std::string month_key(int year, int month) { return fmt::format("{:04}-{:02}", year, month); }

void rebuild_rollups(Store& s) {
    auto& db = s.db();
    db.exec("DELETE FROM trade_month");
    db.exec("DELETE FROM member_month");
    db.exec("DELETE FROM pair_month");
    db.exec("DELETE FROM trade_day");
    db.exec("INSERT INTO trade_month (month, category, pair, exchanges, minutes) " + trade_month_of_ledger());
    db.exec("INSERT INTO member_month (month, member, trades) " + member_month_of_ledger());
    db.exec("INSERT INTO pair_month (month, provider, recipient, category, exchanges, minutes) " +
            pair_month_of_ledger());
    db.exec("INSERT INTO trade_day (day, exchanges, minutes) " + trade_day_of_ledger());
    rebuild_member_year(s);  // from pair_month, store/member_year.hpp
    rebuild_last_trade(s);   // member.last_trade, store/last_trade.hpp
    rebuild_pair_year(s);
    rebuild_group_month(s);  // from pair_month (store/group_month.hpp)
    set_meta(s, "rollup_upto", std::to_string(max_number(s)));
}

void fill_trade_day(Store& s) {
    if (!rollups_current(s)) {
        rebuild_rollups(s);
        return;
    }
    s.db().exec("DELETE FROM trade_day");
    s.db().exec("INSERT INTO trade_day (day, exchanges, minutes) " + trade_day_of_ledger());
}

void refresh_rollups(Store& s) {
    // Members added outside tb get their numbers before their exchanges are
    // folded into pair_year (store/member_number.hpp): one index look-up
    // when there are none.
    number_members(s);
    auto upto = rollup_upto(s);
    auto last = max_number(s);
    if (upto == last) return;
    if (upto < 0 || upto > last) {
        // Never written, or ahead of a ledger that cannot shrink: start again.
        rebuild_rollups(s);
        return;
    }
    fold_in(s, upto, last);
    refresh_last_trade(s, upto);  // member.last_trade, store/last_trade.hpp
    set_meta(s, "rollup_upto", std::to_string(last));
}

struct RollupBatch::Impl {
    Store& store;
    // Each side's slot, number and kind, read once (store/member_number.hpp):
    // every total below is gathered by slot and turned back into IDs only
    // when it is written.
    MemberNumbers members;
    struct Sum {
        std::int64_t exchanges = 0;
        Minutes minutes = 0;
        Sum& operator+=(const Sum& o) {
            exchanges += o.exchanges;
            minutes += o.minutes;
            return *this;
        }
    };
    // Months ("YYYY-MM") and categories numbered as they come.
    MemberSlots months, categories;
    std::vector<std::uint32_t> month_ranks, category_ranks;  // for writing in key order
    const std::vector<std::uint32_t>* member_ranks = nullptr;
    // (month, category, pair of kinds) packed by trade_key -> trades: a row
    // per month, category and pair, never spilled.
    std::unordered_map<std::uint64_t, Sum> trades;
    // (month, member) packed by two() -> trades.
    std::unordered_map<std::uint64_t, std::int64_t> member_months;
    struct PairKey {
        std::uint32_t month, provider, recipient, category;
        bool operator==(const PairKey&) const = default;
    };
    // (month, provider, recipient, category) -> trades: a part per row,
    // summed when written (store/gathered.hpp).
    Gathered<PairKey, Sum> pairs;
    // "YYYY-MM-DD" -> trades: a row per day, like `trades` never spilled.
    std::unordered_map<std::string, Sum> days;
    MemberYearBatch member_years;  // store/member_year.hpp
    LastTradeBatch last_trades;    // member.last_trade, store/last_trade.hpp
    PairYearBatch pair_years;  // store/pair_year.hpp
    bool any = false, negative = false;
    std::size_t spill_at;
    GroupMonthBatch groups;  // group_month's part (store/group_month.hpp)
    SQLite::Statement original, add_trade, add_day;
    // The two that run for most rows written, bound with views of the keys.
    RawStatement add_member, drop_member, add_pair, drop_pair;
    // The day, month and category of the last row counted (an import's rows
    // come in date order), and the text of the last date added.
    std::string last_day, last_month, last_category, date_text;
    Sum* last_day_sum = nullptr;
    std::uint32_t month = 0, category = 0;
    std::optional<Date> last_date;

    Impl(Store& s, std::size_t spill)
        : store(s),
          members(s),
          member_years(s, members),
          last_trades(s, members),
          pair_years(s),
          spill_at(spill),
          groups(s, members, std::max<std::size_t>(spill / 3, 1)),
          original(s.db(), "SELECT date, category, provider, recipient, minutes FROM exchange "
                           "WHERE number = ? AND reverses IS NULL"),
          add_trade(s.db(), std::string("INSERT INTO trade_month (month, category, pair, exchanges, minutes) "
                                        "VALUES (?, ?, ?, ?, ?)") + kAddTradeMonth),
          add_day(s.db(), std::string("INSERT INTO trade_day (day, exchanges, minutes) VALUES (?, ?, ?)") +
                              kAddTradeDay),
          add_member(s.db(), (std::string("INSERT INTO member_month (month, member, trades) VALUES (?, ?, ?)") +
                              kAddMemberMonth).c_str()),
          drop_member(s.db(), "DELETE FROM member_month WHERE month = ? AND member = ? AND trades = 0"),
          add_pair(s.db(), (std::string("INSERT INTO pair_month (month, provider, recipient, category, exchanges, "
                                        "minutes) VALUES (?, ?, ?, ?, ?, ?)") + kAddPairMonth).c_str()),
          drop_pair(s.db(), "DELETE FROM pair_month WHERE month = ? AND provider = ? AND recipient = ? "
                            "AND category = ? AND exchanges = 0 AND minutes = 0") {}

    static std::uint64_t trade_key(std::uint32_t month, std::uint32_t category, int pair) {
        return static_cast<std::uint64_t>(month) << 32 | static_cast<std::uint64_t>(category) << 2 |
               static_cast<std::uint64_t>(pair);
    }
    static std::uint32_t high(std::uint64_t key) { return static_cast<std::uint32_t>(key >> 32); }
    static std::uint32_t low(std::uint64_t key) { return static_cast<std::uint32_t>(key); }

    // The number of `text` in `slots`, the last one asked kept in `last`.
    static std::uint32_t number(MemberSlots& slots, std::string& last, std::uint32_t& n, std::string_view text) {
        if (text != last || slots.size() == 0) {
            last.assign(text);
            n = slots(text);
        }
        return n;
    }

    const std::string& day_text(Date date) {
        if (date != last_date) {
            date_text = to_string(date);
            last_date = date;
        }
        return date_text;
    }

    // `day` is the exchange's date, "YYYY-MM-DD"; `p` and `r` its sides' slots.
    void count(const std::string& day, const std::string& category_text, std::uint32_t p, std::uint32_t r,
               Minutes minutes, int sign) {
        any = true;
        auto& provider = members.id(p);
        auto& recipient = members.id(r);
        if (!may_be_trade(provider, recipient)) return;
        auto month_text = std::string_view(day).substr(0, 7);
        auto m = number(months, last_month, month, month_text);
        if (sign < 0) negative = true;
        auto c = number(categories, last_category, category, category_text);
        groups.add(month_text, category_text, p, r, minutes, sign);
        if (!last_day_sum || day != last_day) {
            last_day = day;
            last_day_sum = &days[day];  // stays valid: days is only added to until apply()
        }
        last_day_sum->exchanges += sign;
        last_day_sum->minutes += sign * minutes;
        auto& t = trades[trade_key(m, c, members.organisation(p) + members.organisation(r))];
        t.exchanges += sign;
        t.minutes += sign * minutes;
        member_months[two(m, p)] += sign;
        member_months[two(m, r)] += sign;
        pairs.add(PairKey{m, p, r, c}, Sum{sign, sign * minutes});
        member_years.count(day, p, r, minutes, sign);
        pair_years.count(day, members.number(p), members.number(r), minutes, sign);
        if (member_months.size() + pairs.size() + member_years.size() + pair_years.size() >= spill_at)
            write_spilled();
    }

    // The member-month counts and the pairs' totals: the two that grow with
    // the rows appended.
    void write_spilled() {
        rank_slots(months, month_ranks);
        rank_slots(categories, category_ranks);
        member_ranks = &members.ranks();
        write_member_months();
        write_pairs();
        member_years.write();
        pair_years.write();
    }

    // Written in key order, as the tables are: each insert lands next to
    // the one before instead of anywhere in the table. `key_of` gives each
    // key a value that sorts as the table's key (numbers, from the ranks).
    template <class Map, class KeyOf>
    static auto in_key_order(const Map& m, KeyOf key_of) {
        using Sorted = decltype(key_of(m.begin()->first));
        std::vector<std::pair<Sorted, typename Map::const_pointer>> out;
        out.reserve(m.size());
        for (auto& kv : m) out.emplace_back(key_of(kv.first), &kv);
        std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.first < b.first; });
        return out;
    }
    static std::uint64_t two(std::uint32_t a, std::uint32_t b) { return static_cast<std::uint64_t>(a) << 32 | b; }

    void write_pairs() {
        auto& member = *member_ranks;
        auto rank = [&](const PairKey& k) {
            return std::pair(two(month_ranks[k.month], member[k.provider]),
                             two(member[k.recipient], category_ranks[k.category]));
        };
        auto by_rank = [&](const PairKey& a, const PairKey& b) { return rank(a) < rank(b); };
        pairs.drain(by_rank, [&](const PairKey& k, const Sum& t) {
            if (t.exchanges == 0 && t.minutes == 0) return;
            const std::string* part[4] = {&months.id(k.month), &members.id(k.provider), &members.id(k.recipient),
                                          &categories.id(k.category)};
            for (int i = 0; i < 4; ++i) add_pair.bind_view(i + 1, *part[i]);
            add_pair.bind(5, t.exchanges);
            add_pair.bind(6, t.minutes);
            add_pair.run();
            if (t.exchanges >= 0) return;
            for (int i = 0; i < 4; ++i) drop_pair.bind_view(i + 1, *part[i]);
            drop_pair.run();
        });
    }

    void write_member_months() {
        auto rank = [this](std::uint64_t k) { return two(month_ranks[high(k)], (*member_ranks)[low(k)]); };
        for (auto& sorted : in_key_order(member_months, rank)) {
            auto& [k, n] = *sorted.second;
            if (n == 0) continue;
            auto& month_text = months.id(high(k));
            auto& member = members.id(low(k));
            add_member.bind_view(1, month_text);
            add_member.bind_view(2, member);
            add_member.bind(3, n);
            add_member.run();
            if (n < 0) {
                drop_member.bind_view(1, month_text);
                drop_member.bind_view(2, member);
                drop_member.run();
            }
        }
        member_months.clear();
    }

    // trade_month's and trade_day's rows (a row per month, category and
    // pair of kinds; per day).
    void write_trades_and_days() {
        for (auto& [k, t] : trades) {
            if (t.exchanges == 0 && t.minutes == 0) continue;
            auto& q = add_trade;
            q.reset();
            q.bind(1, months.id(high(k)));
            q.bind(2, categories.id(low(k) >> 2));
            q.bind(3, static_cast<int>(k & 3));
            q.bind(4, static_cast<int64_t>(t.exchanges));
            q.bind(5, static_cast<int64_t>(t.minutes));
            q.exec();
        }
        for (auto& sorted : in_key_order(days, [](const std::string& day) { return std::string_view(day); })) {
            auto& [day, t] = *sorted.second;
            if (t.exchanges == 0 && t.minutes == 0) continue;
            auto& q = add_day;
            q.reset();
            q.bind(1, day);
            q.bind(2, static_cast<int64_t>(t.exchanges));
            q.bind(3, static_cast<int64_t>(t.minutes));
            q.exec();
        }
        trades.clear();
        days.clear();
        last_day_sum = nullptr;
    }
};

RollupBatch::RollupBatch(Store& s, std::size_t spill_at) {
    // The batch adds to totals that hold every earlier exchange.
    refresh_rollups(s);
    impl_ = std::make_unique<Impl>(s, spill_at);
}

RollupBatch::~RollupBatch() = default;

std::uint32_t RollupBatch::slot(const std::string& id) { return impl_->members.slot(id); }

const std::string& RollupBatch::id(std::uint32_t slot) const { return impl_->members.id(slot); }

std::size_t RollupBatch::strangers() const { return impl_->members.strangers(); }

void RollupBatch::add(Date date, const std::string& category, std::uint32_t provider, std::uint32_t recipient,
                      Minutes minutes) {
    auto& day = impl_->day_text(date);
    impl_->last_trades.add(day, provider, recipient);
    impl_->count(day, category, provider, recipient, minutes, +1);
}

void RollupBatch::add(Date date, const std::string& category, const std::string& provider,
                      const std::string& recipient, Minutes minutes) {
    add(date, category, slot(provider), slot(recipient), minutes);
}

void RollupBatch::void_of(std::int64_t number) {
    auto& I = *impl_;
    I.any = true;  // rollup_upto moves past the void even when it takes nothing out
    auto& q = I.original;
    q.reset();
    q.bind(1, static_cast<int64_t>(number));
    // A void of a void reverses nothing that was counted.
    if (!q.executeStep()) return;
    auto day = q.getColumn(0).getString();
    auto category = q.getColumn(1).getString();
    auto provider = I.members.slot(q.getColumn(2).getString()), recipient = I.members.slot(q.getColumn(3).getString());
    auto minutes = q.getColumn(4).getInt64();
    q.reset();
    I.last_trades.voided(day, provider, recipient);
    I.count(day, category, provider, recipient, minutes, -1);
}

void RollupBatch::apply(std::int64_t last) {
    auto& I = *impl_;
    if (!I.any) return;
    I.write_trades_and_days();
    I.write_spilled();
    I.last_trades.apply();
    I.groups.apply();
    if (I.negative) {
        I.store.db().exec("DELETE FROM trade_month WHERE exchanges = 0 AND minutes = 0");
        I.store.db().exec("DELETE FROM trade_day WHERE exchanges = 0 AND minutes = 0");
    }
    set_meta(I.store, "rollup_upto", std::to_string(last));
    I.any = I.negative = false;
}

void reclassify_member(Store& s, const std::string& member, int sign) {
    auto upto = rollup_upto(s);
    if (upto < 0) return;  // nothing kept yet: the next refresh rebuilds
    // The member's trades among the exchanges the totals hold.
    SQLite::Statement q(
        s.db(),
        fmt::format("INSERT INTO trade_month (month, category, pair, exchanges, minutes) "
                    "SELECT substr(e.date, 1, 7), e.category, {}, ?2 * count(*), ?2 * sum(e.minutes) "
                    "FROM exchange e WHERE (e.provider = ?1 OR e.recipient = ?1) AND e.number <= ?3 "
                    "AND e.reverses IS NULL AND " TB_NOT_POT_SQL " "
                    "AND NOT EXISTS (SELECT 1 FROM exchange v WHERE v.reverses = e.number AND v.number <= ?3) "
                    "GROUP BY 1, 2, 3{}",
                    pair_of("e"), kAddTradeMonth));
    q.bind(1, member);
    q.bind(2, sign);
    q.bind(3, static_cast<int64_t>(upto));
    if (q.exec() > 0) s.db().exec("DELETE FROM trade_month WHERE exchanges = 0 AND minutes = 0");
}

bool rollups_current(Store& s) {
    auto upto = rollup_upto(s);
    return upto >= 0 && upto == max_number(s);
}

std::vector<std::string> check_rollups(Store& s, bool quick) {
    std::vector<std::string> out;
    auto upto = rollup_upto(s);
    auto last = max_number(s);
    if (upto != last)
        out.push_back(fmt::format("monthly totals: they hold exchanges up to number {}, but the last is {}",
                                  upto < 0 ? std::string("(none)") : std::to_string(upto), last));
    if (quick) return out;
    // One read of the ledger and of each table (store/rollup_check.hpp).
    auto differing = totals_differing(s);
    out.insert(out.end(), differing.begin(), differing.end());
    return out;
}

void for_each_trade_month(Store& s, const std::string& from, const std::string& to,
                          const std::function<void(const TradeMonthRow&)>& fn) {
    RawStatement q(s.db(), "SELECT month, category, pair, exchanges, minutes FROM trade_month WHERE month >= ?1 AND month <= ?2");
    q.bind(1, from);
    q.bind(2, to);
    TradeMonthRow r;
    while (q.step()) {
        r.month = q.text(0);
        r.category = q.text(1);
        r.pair = static_cast<int>(q.integer(2));
        r.exchanges = q.integer(3);
        r.minutes = q.integer(4);
        fn(r);
    }
}

void for_each_trade_day(Store& s, const std::string& from, const std::string& to,
                        const std::function<void(const TradeDayRow&)>& fn) {
    RawStatement q(s.db(), "SELECT day, exchanges, minutes FROM trade_day WHERE day >= ?1 AND day <= ?2 ORDER BY day");
    q.bind(1, from);
    q.bind(2, to);
    TradeDayRow r;
    while (q.step()) {
        r.day = q.text(0);
        r.exchanges = q.integer(1);
        r.minutes = q.integer(2);
        fn(r);
    }
}

void for_each_member_month(Store& s, const std::string& from, const std::string& to,
                           const std::function<void(std::string_view month, std::string_view member)>& fn) {
    RawStatement q(s.db(), "SELECT month, member FROM member_month WHERE month >= ?1 AND month <= ?2 AND trades > 0");
    q.bind(1, from);
    q.bind(2, to);
    while (q.step()) fn(q.text(0), q.text(1));
}

}  // namespace tb::store
