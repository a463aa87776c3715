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
#include "tb/store/raw_statement.hpp"
#include "tb/store/rollup.hpp"
#include "tb/store/typed_column.hpp"

namespace tb::store {
namespace {

constexpr const char* kAddMemberYear = " ON CONFLICT (year, member) DO UPDATE SET trades = trades + excluded.trades";

// The year and member of each side of the exchanges `e` of `rows`.
std::string sides(const std::string& rows) {
    return fmt::format("SELECT CAST(substr(e.date, 1, 4) AS INTEGER) AS year, e.provider AS member {0} "
                       "UNION ALL SELECT CAST(substr(e.date, 1, 4) AS INTEGER), e.recipient {0}",
                       rows);
}

}  // namespace

void rebuild_member_year(Store& s) {
    // member_month holds the same trades, a row per month: rebuild_rollups
    // has just made it from the ledger.
    s.db().exec("DELETE FROM member_year");
    s.db().exec("INSERT INTO member_year (year, member, trades) SELECT CAST(substr(month, 1, 4) AS INTEGER), member, "
                "sum(trades) FROM member_month GROUP BY 1, 2");
}

void fill_member_year(Store& s) {
    if (!rollups_current(s)) {
        rebuild_rollups(s);
        return;
    }
    rebuild_member_year(s);
}

std::string member_year_fold_sql(const std::string& rows, int sign, bool many) {
    const char* minus = sign < 0 ? "-" : "";
    auto n = many ? fmt::format("{}count(*)", minus) : std::to_string(sign);
    return fmt::format("INSERT INTO member_year (year, member, trades) SELECT year, member, {} FROM ({}) WHERE true{}{}",
                       n, sides(rows), many ? " GROUP BY 1, 2" : "", kAddMemberYear);
}

std::string member_year_drop_sql(const std::string& rows) {
    if (rows.empty()) return "DELETE FROM member_year WHERE trades = 0";
    return fmt::format("DELETE FROM member_year WHERE trades = 0 AND (year, member) IN ({})", sides(rows));
}

// ---- MemberYearBatch

struct MemberYearBatch::Impl {
    // "YYYY" (the date's first four characters) + '\x1f' + member -> trades.
    std::unordered_map<std::string, std::int64_t> rows;
    std::string key;  // reused for each look-up
    SQLite::Statement add, drop;

    explicit Impl(Store& s)
        : add(s.db(), std::string("INSERT INTO member_year (year, member, trades) VALUES (?, ?, ?)") + kAddMemberYear),
          drop(s.db(), "DELETE FROM member_year WHERE year = ? AND member = ? AND trades = 0") {}
};

MemberYearBatch::MemberYearBatch(Store& s) : impl_(std::make_unique<Impl>(s)) {}
MemberYearBatch::~MemberYearBatch() = default;

void MemberYearBatch::count(std::string_view day, const std::string& provider, const std::string& recipient,
                            int sign) {
    auto& I = *impl_;
    for (auto* m : {&provider, &recipient}) {
        I.key.assign(day.substr(0, 4)).append(1, '\x1f').append(*m);
        I.rows[I.key] += sign;
    }
}

std::size_t MemberYearBatch::size() const { return impl_->rows.size(); }

void MemberYearBatch::write() {
    auto& I = *impl_;
    // In key order, as the table is: each insert lands next to the one before.
    std::vector<const std::pair<const std::string, std::int64_t>*> order;
    order.reserve(I.rows.size());
    for (auto& kv : I.rows) order.push_back(&kv);
    std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->first < b->first; });
    for (auto* kv : order) {
        auto& [k, n] = *kv;
        if (n == 0) continue;
        auto cut = k.find('\x1f');
        auto year = static_cast<int64_t>(year_of(std::string_view(k).substr(0, cut)));
        auto member = k.substr(cut + 1);
        I.add.reset();
        I.add.bind(1, year);
        I.add.bind(2, member);
        I.add.bind(3, static_cast<int64_t>(n));
        I.add.exec();
        if (n > 0) continue;
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

void MemberYearCheck::add(SQLite::Statement& q, int first) {
    auto& I = *impl_;
    auto year = year_of(typed_column(q, first + 1).text);
    auto& at = I.sums.ledger(year);
    for (int side = 2; side <= 3; ++side) at.add(hash(year, typed_column(q, first + side)), 1);
}

void MemberYearCheck::differences(Store& s, std::vector<std::string>& out) {
    auto& I = *impl_;
    SQLite::Statement q(s.db(), "SELECT year, member, trades FROM member_year");
    while (q.executeStep()) {
        auto year = q.getColumn(0).getInt64();
        auto& sums = I.sums.kept(year);
        auto n = q.getColumn(2);
        // A count that is not a whole number above zero is not what the ledger gives.
        if (q.getColumn(0).getType() != SQLITE_INTEGER || n.getType() != SQLITE_INTEGER || n.getInt64() <= 0)
            sums.bad = true;
        sums.add(hash(year, typed_column(q, 1)), n.getInt64());
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

}  // namespace tb::store
