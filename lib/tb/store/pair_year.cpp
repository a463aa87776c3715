#include "tb/store/pair_year.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "tb/store/gathered.hpp"
#include "tb/store/hash_pair.hpp"
#include "tb/store/kept_sums.hpp"
#include "tb/store/member_number.hpp"
#include "tb/store/member_slots.hpp"
#include "tb/store/raw_statement.hpp"
#include "tb/store/rollup.hpp"
#include "tb/store/trade_sql.hpp"
#include "tb/store/typed_column.hpp"

namespace tb::store {
namespace {

// The rows that `rows` (FROM ... [WHERE ...]) gives, as (y, p, r, n, m): a
// row's year from `date` (a date or month), its sides' member numbers from
// `provider` and `recipient` (member IDs), and `n` trades of `m` minutes.
std::string numbered(const char* date, const char* provider, const char* recipient, const char* n, const char* m,
                     const std::string& rows) {
    return fmt::format("SELECT CAST(substr({0}, 1, 4) AS INTEGER) AS y, (SELECT num FROM member WHERE id = {1}) AS p, "
                       "(SELECT num FROM member WHERE id = {2}) AS r, {3} AS n, {4} AS m {5}",
                       date, provider, recipient, n, m, rows);
}

// The INSERT of those rows grouped by year and pair: `_lh` when the provider
// has the lower number (or both sides are one member). A side without a
// number (no member's ID: a row written outside tb) leaves the row out.
std::string insert_grouped(const char* date, const char* provider, const char* recipient, const char* n,
                           const char* m, const std::string& rows) {
    return fmt::format(
        "INSERT INTO pair_year (year, low, high, exchanges_lh, minutes_lh, exchanges_hl, minutes_hl) "
        "SELECT y, min(p, r), max(p, r), sum(CASE WHEN p <= r THEN n ELSE 0 END), "
        "sum(CASE WHEN p <= r THEN m ELSE 0 END), sum(CASE WHEN p <= r THEN 0 ELSE n END), "
        "sum(CASE WHEN p <= r THEN 0 ELSE m END) FROM ({}) WHERE p IS NOT NULL AND r IS NOT NULL GROUP BY 1, 2, 3",
        numbered(date, provider, recipient, n, m, rows));
}

constexpr const char* kAddPairYear =
    " ON CONFLICT (year, low, high) DO UPDATE SET exchanges_lh = exchanges_lh + excluded.exchanges_lh, "
    "minutes_lh = minutes_lh + excluded.minutes_lh, exchanges_hl = exchanges_hl + excluded.exchanges_hl, "
    "minutes_hl = minutes_hl + excluded.minutes_hl";

constexpr const char* kNetsToNothing =
    "exchanges_lh = 0 AND minutes_lh = 0 AND exchanges_hl = 0 AND minutes_hl = 0";

}  // namespace

void rebuild_pair_year(Store& s) {
    number_members(s);
    s.db().exec("DELETE FROM pair_year");
    s.db().exec(insert_grouped("e.date", "e.provider", "e.recipient", "1", "e.minutes",
                               std::string("FROM exchange e WHERE ") + kIsTradeSql));
}

void fill_pair_year(Store& s) {
    if (!rollups_current(s)) {
        rebuild_rollups(s);
        return;
    }
    // pair_month holds the same trades, a row per month and category.
    s.db().exec("DELETE FROM pair_year");
    s.db().exec(insert_grouped("month", "provider", "recipient", "exchanges", "minutes", "FROM pair_month"));
}

void pair_year_from_ids(Store& s, const std::string& by_id) {
    // A store made from a newer one for a test has it by number already.
    bool by_number = false;
    {
        SQLite::Statement type(s.db(), "SELECT type FROM pragma_table_info(?) WHERE name = 'low'");
        type.bind(1, by_id);
        by_number = type.executeStep() && type.getColumn(0).getString() == "INTEGER";
    }
    if (by_number) {
        s.db().exec(fmt::format("INSERT INTO pair_year SELECT * FROM \"{0}\"; DROP TABLE \"{0}\"", by_id));
        return;
    }
    // Each row names the same pair: only its sides (and so its directions)
    // may swap when their numbers are in the other order. Read in key order;
    // the migration numbers members in ID order, so written in key order too.
    s.db().exec(fmt::format(
        "INSERT INTO pair_year (year, low, high, exchanges_lh, minutes_lh, exchanges_hl, minutes_hl) "
        "SELECT year, min(l, h), max(l, h), CASE WHEN l <= h THEN elh ELSE ehl END, "
        "CASE WHEN l <= h THEN mlh ELSE mhl END, CASE WHEN l <= h THEN ehl ELSE elh END, "
        "CASE WHEN l <= h THEN mhl ELSE mlh END FROM (SELECT year, (SELECT num FROM member WHERE id = low) AS l, "
        "(SELECT num FROM member WHERE id = high) AS h, exchanges_lh AS elh, minutes_lh AS mlh, exchanges_hl AS ehl, "
        "minutes_hl AS mhl FROM \"{0}\" ORDER BY year, low, high) WHERE l IS NOT NULL AND h IS NOT NULL; "
        "DROP TABLE \"{0}\"",
        by_id));
}

std::string pair_year_fold_sql(const std::string& rows, int sign) {
    return insert_grouped("e.date", "e.provider", "e.recipient", sign < 0 ? "-1" : "1",
                          sign < 0 ? "-e.minutes" : "e.minutes", rows) +
           kAddPairYear;
}

std::string pair_year_drop_sql(const std::string& rows) {
    if (rows.empty()) return fmt::format("DELETE FROM pair_year WHERE {}", kNetsToNothing);
    return fmt::format("DELETE FROM pair_year WHERE {} AND (year, low, high) IN (SELECT y, min(p, r), max(p, r) "
                       "FROM ({}))",
                       kNetsToNothing, numbered("e.date", "e.provider", "e.recipient", "1", "1", rows));
}

// ---- PairYearBatch

struct PairYearBatch::Impl {
    struct Key {
        std::int64_t year = 0, low = 0, high = 0;
        bool operator==(const Key& o) const { return year == o.year && low == o.low && high == o.high; }
        bool operator<(const Key& o) const {
            return year != o.year ? year < o.year : low != o.low ? low < o.low : high < o.high;
        }
    };
    struct Sum {
        std::int64_t exchanges_lh = 0, minutes_lh = 0, exchanges_hl = 0, minutes_hl = 0;
        bool empty() const { return !exchanges_lh && !minutes_lh && !exchanges_hl && !minutes_hl; }
        Sum& operator+=(const Sum& o) {
            exchanges_lh += o.exchanges_lh;
            minutes_lh += o.minutes_lh;
            exchanges_hl += o.exchanges_hl;
            minutes_hl += o.minutes_hl;
            return *this;
        }
    };
    // A part per trade, summed when written (store/gathered.hpp).
    Gathered<Key, Sum> rows;
    RawStatement add, drop;

    explicit Impl(Store& s)
        : add(s.db(), (std::string("INSERT INTO pair_year (year, low, high, exchanges_lh, minutes_lh, exchanges_hl, "
                                   "minutes_hl) VALUES (?, ?, ?, ?, ?, ?, ?)") +
                       kAddPairYear)
                          .c_str()),
          drop(s.db(), fmt::format("DELETE FROM pair_year WHERE year = ? AND low = ? AND high = ? AND {}",
                                   kNetsToNothing)
                           .c_str()) {}
};

PairYearBatch::PairYearBatch(Store& s) : impl_(std::make_unique<Impl>(s)) {}
PairYearBatch::~PairYearBatch() = default;

void PairYearBatch::count(std::string_view day, std::int64_t p, std::int64_t r, Minutes minutes, int sign) {
    auto& I = *impl_;
    if (p == 0 || r == 0) return;  // a side that is no member (insert_grouped)
    Impl::Sum part;
    if (p <= r) part.exchanges_lh = sign, part.minutes_lh = sign * minutes;
    else part.exchanges_hl = sign, part.minutes_hl = sign * minutes;
    I.rows.add(Impl::Key{year_of(day), std::min(p, r), std::max(p, r)}, part);
}

std::size_t PairYearBatch::size() const { return impl_->rows.size(); }

void PairYearBatch::write() {
    auto& I = *impl_;
    // In key order, as the table is: each insert lands next to the one before.
    I.rows.drain(std::less<Impl::Key>(), [&](const Impl::Key& k, const Impl::Sum& t) {
        if (t.empty()) return;
        std::int64_t values[] = {k.year, k.low, k.high, t.exchanges_lh, t.minutes_lh, t.exchanges_hl, t.minutes_hl};
        for (int i = 0; i < 7; ++i) I.add.bind(i + 1, values[i]);
        I.add.run();
        if (t.exchanges_lh >= 0 && t.exchanges_hl >= 0) return;
        for (int i = 0; i < 3; ++i) I.drop.bind(i + 1, values[i]);
        I.drop.run();
    });
}

// ---- PairYearCheck

namespace {

// FNV-1a over the year, the provider and the recipient (each with its
// storage class), split in two hashes (store/hash_pair.hpp). Directed: the
// ledger's side hashes each trade as it is, the kept side each direction of
// a row by the IDs its numbers name, so a row naming the wrong members, or
// the right ones the wrong way round, differs.
HashPair hash(std::int64_t year, const Typed& provider, const Typed& recipient) {
    std::uint64_t h = 14695981039346656037ull;
    auto byte = [&](unsigned char c) { h = (h ^ c) * 1099511628211ull; };
    for (int i = 0; i < 8; ++i) byte(static_cast<unsigned char>(static_cast<std::uint64_t>(year) >> (8 * i)));
    for (auto* v : {&provider, &recipient}) {
        byte(static_cast<unsigned char>(v->type));
        for (unsigned char c : v->text) byte(c);
        byte(0x1f);
    }
    return split_hash(h);
}

}  // namespace

struct PairYearCheck::Impl {
    YearlySums sums;  // store/kept_sums.hpp
    // The members with a number, read once: by number (the kept rows'
    // sides, as their IDs with their storage class) and by ID (the ledger's).
    std::unordered_map<std::int64_t, std::pair<int, std::string>> ids;
    std::unordered_set<std::string> numbered;
    SlotFlags numbered_by_slot;  // store/member_slots.hpp

    // Whether the side of `slot` (ID `id`) is a member with a number.
    bool has_number(const Typed& id, std::uint32_t slot) {
        return numbered_by_slot(slot, [&] { return id.type == SQLITE_TEXT && numbered.count(std::string(id.text)); });
    }
};

PairYearCheck::PairYearCheck(Store& s) : impl_(std::make_unique<Impl>()) {
    SQLite::Statement q(s.db(), "SELECT num, id FROM member WHERE num IS NOT NULL");
    while (q.executeStep()) {
        auto id = typed_column(q, 1);
        if (id.type == SQLITE_TEXT) impl_->numbered.emplace(id.text);
        impl_->ids.emplace(q.getColumn(0).getInt64(), std::pair<int, std::string>(id.type, std::string(id.text)));
    }
}
PairYearCheck::~PairYearCheck() = default;

void PairYearCheck::add(const Typed& date, const Typed& provider, const Typed& recipient, std::int64_t minutes,
                        std::uint32_t p, std::uint32_t r) {
    auto& I = *impl_;
    // A side without a number leaves the trade out (insert_grouped).
    if (!I.has_number(provider, p) || !I.has_number(recipient, r)) return;
    auto year = year_of(date.text);
    auto& at = I.sums.ledger(year);
    auto h = hash(year, provider, recipient);
    at.a += h.a;
    at.b += h.b * static_cast<std::uint64_t>(minutes);
    if (minutes <= 0) at.bad = true;
}

void PairYearCheck::differences(Store& s, std::vector<std::string>& out) {
    auto& I = *impl_;
    // Each row's numbers as the IDs of the members they name (NULL for a
    // number no member has), from the map read once rather than a join per row.
    auto named = [&](SQLite::Column c) {
        if (c.getType() != SQLITE_INTEGER) return Typed{};
        auto it = I.ids.find(c.getInt64());
        return it == I.ids.end() ? Typed{} : Typed{it->second.first, it->second.second};
    };
    SQLite::Statement q(s.db(), "SELECT year, low, high, exchanges_lh, minutes_lh, exchanges_hl, minutes_hl "
                                "FROM pair_year");
    while (q.executeStep()) {
        auto& sums = I.sums.kept(q.getColumn(0).getInt64());
        std::int64_t n[4];
        for (int i = 0; i < 4; ++i) {
            auto c = q.getColumn(3 + i);
            if (c.getType() != SQLITE_INTEGER) sums.bad = true;
            n[i] = c.getInt64();
        }
        if (q.getColumn(0).getType() != SQLITE_INTEGER) sums.bad = true;
        // Each direction: no trades and no minutes, or trades of a minute or more.
        for (int d = 0; d < 2; ++d)
            if (n[2 * d] < 0 || n[2 * d + 1] < n[2 * d] || (n[2 * d] == 0 && n[2 * d + 1] != 0)) sums.bad = true;
        if (n[0] + n[2] <= 0) sums.bad = true;
        // Numbers in order; a member's trades with themself are all `_lh`.
        auto low = q.getColumn(1), high = q.getColumn(2);
        if (low.getType() != SQLITE_INTEGER || high.getType() != SQLITE_INTEGER || low.getInt64() > high.getInt64() ||
            (low.getInt64() == high.getInt64() && n[2] != 0))
            sums.bad = true;
        auto year = q.getColumn(0).getInt64();
        auto lo = named(low), hi = named(high);
        auto lh = hash(year, lo, hi), hl = hash(year, hi, lo);
        sums.a += lh.a * static_cast<std::uint64_t>(n[0]) + hl.a * static_cast<std::uint64_t>(n[2]);
        sums.b += lh.b * static_cast<std::uint64_t>(n[1]) + hl.b * static_cast<std::uint64_t>(n[3]);
    }
    I.sums.differences("pair_year", out);
}

// ---- PairYearReader

struct PairYearReader::Impl {
    // A connection of its own without SQLite's per-call locking, as the
    // report scans have (report_queries.cpp): on millions of rows the locks
    // cost more than the reading.
    SQLite::Database db;
    sqlite3_stmt* q = nullptr;
    Impl(Store& s, int year) : db(s.path(), SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, 5000) {
        auto sql = fmt::format("SELECT low, high FROM pair_year "
                               "WHERE year = {} ORDER BY low, high",
                               year);
        if (sqlite3_prepare_v2(db.getHandle(), sql.c_str(), -1, &q, nullptr) != SQLITE_OK)
            throw SQLite::Exception(db.getHandle(), sqlite3_errcode(db.getHandle()));
    }
    ~Impl() { sqlite3_finalize(q); }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
};

PairYearReader::PairYearReader(Store& s, int year) : impl_(std::make_unique<Impl>(s, year)) {}
PairYearReader::~PairYearReader() = default;
PairYearReader::PairYearReader(PairYearReader&&) noexcept = default;
PairYearReader& PairYearReader::operator=(PairYearReader&&) noexcept = default;

bool PairYearReader::next() {
    auto& I = *impl_;
    int rc = sqlite3_step(I.q);
    if (rc == SQLITE_DONE) return false;
    if (rc != SQLITE_ROW) throw SQLite::Exception(I.db.getHandle(), rc);
    row_.low = sqlite3_column_int64(I.q, 0);
    row_.high = sqlite3_column_int64(I.q, 1);
    return true;
}

}  // namespace tb::store
