#include "tb/store/member_year.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "tb/store/hash_pair.hpp"
#include "tb/store/kept_sums.hpp"
#include "tb/store/member_number.hpp"
#include "tb/store/raw_statement.hpp"
#include "tb/store/typed_column.hpp"

namespace tb::store {
namespace {

constexpr const char* kMemberYearColumns = "member_year (year, member, trades, provided, given, received)";
constexpr const char* kAddMemberYear =
    " ON CONFLICT (year, member) DO UPDATE SET trades = trades + excluded.trades, "
    "provided = provided + excluded.provided, given = given + excluded.given, received = received + excluded.received";

// Each side of the exchanges `e` of `rows`: its year and member, whether it
// provided (p), and the minutes it gave (g) and received (r).
std::string sides(const std::string& rows) {
    return fmt::format("SELECT CAST(substr(e.date, 1, 4) AS INTEGER) AS year, e.provider AS member, 1 AS p, "
                       "e.minutes AS g, 0 AS r {0} "
                       "UNION ALL SELECT CAST(substr(e.date, 1, 4) AS INTEGER), e.recipient, 0, 0, e.minutes {0}",
                       rows);
}

}  // namespace

void rebuild_member_year(Store& s) {
    // pair_month holds the same trades, a row per month, pair and category
    // (rebuild_rollups has just made it from the ledger): each row counts
    // for both its sides.
    s.db().exec("DELETE FROM member_year");
    s.db().exec(fmt::format("INSERT INTO {} SELECT y, m, sum(n), sum(p), sum(g), sum(r) FROM ("
                            "SELECT CAST(substr(month, 1, 4) AS INTEGER) AS y, provider AS m, exchanges AS n, "
                            "exchanges AS p, minutes AS g, 0 AS r FROM pair_month UNION ALL "
                            "SELECT CAST(substr(month, 1, 4) AS INTEGER), recipient, exchanges, 0, 0, minutes "
                            "FROM pair_month) GROUP BY 1, 2 HAVING sum(n) <> 0",
                            kMemberYearColumns));
}

std::string member_year_fold_sql(const std::string& rows, int sign, bool many) {
    const char* minus = sign < 0 ? "-" : "";
    auto values = many ? fmt::format("{0}count(*), {0}sum(p), {0}sum(g), {0}sum(r)", minus)
                       : fmt::format("{}, {}p, {}g, {}r", sign, minus, minus, minus);
    return fmt::format("INSERT INTO {} SELECT year, member, {} FROM ({}) WHERE true{}{}", kMemberYearColumns, values,
                       sides(rows), many ? " GROUP BY 1, 2" : "", kAddMemberYear);
}

std::string member_year_drop_sql(const std::string& rows) {
    if (rows.empty()) return "DELETE FROM member_year WHERE trades = 0";
    return fmt::format("DELETE FROM member_year WHERE trades = 0 AND (year, member) IN (SELECT year, member FROM ({}))",
                       sides(rows));
}

// ---- MemberYearBatch

struct MemberYearBatch::Impl {
    struct Sums {
        std::int64_t trades = 0, provided = 0;
        Minutes given = 0, received = 0;
        bool zero() const { return trades == 0 && provided == 0 && given == 0 && received == 0; }
    };
    MemberNumbers& members;  // the sides' IDs by slot (store/member_number.hpp)
    // year << 32 | the member's slot -> its sums.
    std::unordered_map<std::uint64_t, Sums> rows;
    SQLite::Statement add, drop;

    Impl(Store& s, MemberNumbers& m)
        : members(m),
          add(s.db(), fmt::format("INSERT INTO {} VALUES (?, ?, ?, ?, ?, ?){}", kMemberYearColumns, kAddMemberYear)),
          drop(s.db(), "DELETE FROM member_year WHERE year = ? AND member = ? AND trades = 0") {}
    Sums& at(std::int64_t year, std::uint32_t slot) {
        return rows[static_cast<std::uint64_t>(year) << 32 | slot];
    }
};

MemberYearBatch::MemberYearBatch(Store& s, MemberNumbers& members) : impl_(std::make_unique<Impl>(s, members)) {}
MemberYearBatch::~MemberYearBatch() = default;

void MemberYearBatch::count(std::string_view day, std::uint32_t provider, std::uint32_t recipient, Minutes minutes,
                            int sign) {
    auto& I = *impl_;
    auto year = year_of(day);
    auto& p = I.at(year, provider);
    p.trades += sign;
    p.provided += sign;
    p.given += sign * minutes;
    auto& r = I.at(year, recipient);
    r.trades += sign;
    r.received += sign * minutes;
}

std::size_t MemberYearBatch::size() const { return impl_->rows.size(); }

void MemberYearBatch::write() {
    auto& I = *impl_;
    // In key order, as the table is (year, then the members' IDs in byte
    // order): each insert lands next to the one before.
    const auto& rank = I.members.ranks();
    std::vector<const std::pair<const std::uint64_t, Impl::Sums>*> order;
    order.reserve(I.rows.size());
    for (auto& kv : I.rows) order.push_back(&kv);
    auto key = [&](std::uint64_t k) { return (k >> 32) << 32 | rank[static_cast<std::uint32_t>(k)]; };
    std::sort(order.begin(), order.end(), [&](auto* a, auto* b) { return key(a->first) < key(b->first); });
    for (auto* kv : order) {
        auto& [k, n] = *kv;
        if (n.zero()) continue;
        auto year = static_cast<int64_t>(k >> 32);
        const auto& member = I.members.id(static_cast<std::uint32_t>(k));
        I.add.reset();
        I.add.bind(1, year);
        I.add.bind(2, member);
        I.add.bind(3, static_cast<int64_t>(n.trades));
        I.add.bind(4, static_cast<int64_t>(n.provided));
        I.add.bind(5, static_cast<int64_t>(n.given));
        I.add.bind(6, static_cast<int64_t>(n.received));
        I.add.exec();
        if (n.trades > 0) continue;
        I.drop.reset();
        I.drop.bind(1, year);
        I.drop.bind(2, member);
        I.drop.exec();
    }
    I.rows.clear();
}

// ---- MemberYearCheck

namespace {

// FNV-1a over the year and the member (with its storage class), split in
// two hashes (store/hash_pair.hpp).
HashPair hash(std::int64_t year, const Typed& member) {
    std::uint64_t h = 14695981039346656037ull;
    auto byte = [&](unsigned char c) { h = (h ^ c) * 1099511628211ull; };
    for (int i = 0; i < 8; ++i) byte(static_cast<unsigned char>(static_cast<std::uint64_t>(year) >> (8 * i)));
    byte(static_cast<unsigned char>(member.type));
    for (unsigned char c : member.text) byte(c);
    return split_hash(h);
}

}  // namespace

struct MemberYearCheck::Impl {
    YearlySums sums;  // store/kept_sums.hpp
};

MemberYearCheck::MemberYearCheck() : impl_(std::make_unique<Impl>()) {}
MemberYearCheck::~MemberYearCheck() = default;

namespace {

// A row's four figures into the year's sums: trades and provided weighted
// by the hash's first half, given and received by its second; sum `a`
// holds trades and minutes given, sum `b` provided and minutes received,
// so that figures moved from one column to another do not add up the same.
void add_figures(KeptSums& at, const HashPair& h, std::int64_t trades, std::int64_t provided, std::int64_t given,
                 std::int64_t received) {
    at.add(h.a, h.a, trades, provided);
    at.add(h.b, h.b, given, received);
}

}  // namespace

void MemberYearCheck::add(SQLite::Statement& q, int first) {
    auto& I = *impl_;
    auto year = year_of(typed_column(q, first + 1).text);
    auto& at = I.sums.ledger(year);
    auto minutes = q.getColumn(first + 5).getInt64();
    add_figures(at, hash(year, typed_column(q, first + 2)), 1, 1, minutes, 0);
    add_figures(at, hash(year, typed_column(q, first + 3)), 1, 0, 0, minutes);
}

void MemberYearCheck::differences(Store& s, std::vector<std::string>& out) {
    auto& I = *impl_;
    SQLite::Statement q(s.db(), "SELECT year, member, trades, provided, given, received FROM member_year");
    while (q.executeStep()) {
        auto year = q.getColumn(0).getInt64();
        auto& sums = I.sums.kept(year);
        // A count that is not a whole number above zero, or a figure that is
        // not a whole number, is not what the ledger gives.
        bool whole = q.getColumn(0).getType() == SQLITE_INTEGER;
        for (int i = 2; i <= 5; ++i) whole = whole && q.getColumn(i).getType() == SQLITE_INTEGER;
        auto n = q.getColumn(2).getInt64(), p = q.getColumn(3).getInt64();
        if (!whole || n <= 0 || p < 0 || p > n) sums.bad = true;
        add_figures(sums, hash(year, typed_column(q, 1)), n, p, q.getColumn(4).getInt64(), q.getColumn(5).getInt64());
    }
    I.sums.differences("member_year", out);
}

void for_each_member_year(Store& s, int from, int to,
                          const std::function<void(int year, std::string_view member)>& fn) {
    RawStatement q(s.db(), fmt::format("SELECT year, member FROM member_year WHERE year >= {} AND year <= {} "
                                       "AND trades > 0 ORDER BY year, member",
                                       from, to)
                               .c_str());
    while (q.step()) fn(static_cast<int>(q.integer(0)), q.text(1));
}

void for_each_member_year_figures(Store& s, int from, int to, const std::function<void(const MemberYearRow&)>& fn) {
    RawStatement q(s.db(), fmt::format("SELECT member, trades, provided, given, received FROM member_year "
                                       "WHERE year >= {} AND year <= {} ORDER BY year, member",
                                       from, to)
                               .c_str());
    MemberYearRow r;
    while (q.step()) {
        r.member = q.text(0);
        r.trades = q.integer(1);
        r.provided = q.integer(2);
        r.given = q.integer(3);
        r.received = q.integer(4);
        fn(r);
    }
}

}  // namespace tb::store
