#include "tb/store/pair_year.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "tb/store/hash_pair.hpp"
#include "tb/store/kept_sums.hpp"
#include "tb/store/rollup.hpp"
#include "tb/store/trade_sql.hpp"
#include "tb/store/typed_column.hpp"

namespace tb::store {
namespace {

// The INSERT of the rows that `rows` (FROM ... [WHERE ...]) gives, grouped by
// year and pair: `date`, `provider` and `recipient` are the expressions of a
// row's date (or month), sides, and `n` trades of `m` minutes.
std::string insert_grouped(const char* date, const char* provider, const char* recipient, const char* n,
                           const char* m, const std::string& rows) {
    auto lh = fmt::format("{} <= {}", provider, recipient);
    return fmt::format(
        "INSERT INTO pair_year (year, low, high, exchanges_lh, minutes_lh, exchanges_hl, minutes_hl) "
        "SELECT CAST(substr({0}, 1, 4) AS INTEGER), min({1}, {2}), max({1}, {2}), "
        "sum(CASE WHEN {5} THEN {3} ELSE 0 END), sum(CASE WHEN {5} THEN {4} ELSE 0 END), "
        "sum(CASE WHEN {5} THEN 0 ELSE {3} END), sum(CASE WHEN {5} THEN 0 ELSE {4} END) {6} GROUP BY 1, 2, 3",
        date, provider, recipient, n, m, lh, rows);
}

constexpr const char* kAddPairYear =
    " ON CONFLICT (year, low, high) DO UPDATE SET exchanges_lh = exchanges_lh + excluded.exchanges_lh, "
    "minutes_lh = minutes_lh + excluded.minutes_lh, exchanges_hl = exchanges_hl + excluded.exchanges_hl, "
    "minutes_hl = minutes_hl + excluded.minutes_hl";

constexpr const char* kNetsToNothing =
    "exchanges_lh = 0 AND minutes_lh = 0 AND exchanges_hl = 0 AND minutes_hl = 0";

}  // namespace

void rebuild_pair_year(Store& s) {
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

std::string pair_year_fold_sql(const std::string& rows, int sign) {
    return insert_grouped("e.date", "e.provider", "e.recipient", sign < 0 ? "-1" : "1",
                          sign < 0 ? "-e.minutes" : "e.minutes", rows) +
           kAddPairYear;
}

std::string pair_year_drop_sql(const std::string& rows) {
    if (rows.empty()) return fmt::format("DELETE FROM pair_year WHERE {}", kNetsToNothing);
    return fmt::format("DELETE FROM pair_year WHERE {} AND (year, low, high) IN (SELECT CAST(substr(e.date, 1, 4) "
                       "AS INTEGER), min(e.provider, e.recipient), max(e.provider, e.recipient) {})",
                       kNetsToNothing, rows);
}

// ---- PairYearBatch

struct PairYearBatch::Impl {
    struct Sum {
        std::int64_t exchanges_lh = 0, minutes_lh = 0, exchanges_hl = 0, minutes_hl = 0;
        bool empty() const { return !exchanges_lh && !minutes_lh && !exchanges_hl && !minutes_hl; }
    };
    // "YYYY" (the date's first four characters), low and high joined by '\x1f'.
    std::unordered_map<std::string, Sum> rows;
    std::string key;  // reused for each look-up
    SQLite::Statement add, drop;

    explicit Impl(Store& s)
        : add(s.db(), std::string("INSERT INTO pair_year (year, low, high, exchanges_lh, minutes_lh, exchanges_hl, "
                                  "minutes_hl) VALUES (?, ?, ?, ?, ?, ?, ?)") +
                          kAddPairYear),
          drop(s.db(), fmt::format("DELETE FROM pair_year WHERE year = ? AND low = ? AND high = ? AND {}",
                                   kNetsToNothing)) {}
};

PairYearBatch::PairYearBatch(Store& s) : impl_(std::make_unique<Impl>(s)) {}
PairYearBatch::~PairYearBatch() = default;

void PairYearBatch::count(std::string_view day, const std::string& provider, const std::string& recipient,
                          Minutes minutes, int sign) {
    auto& I = *impl_;
    bool lh = provider <= recipient;
    const auto& low = lh ? provider : recipient;
    const auto& high = lh ? recipient : provider;
    I.key.assign(day.substr(0, 4)).append(1, '\x1f').append(low).append(1, '\x1f').append(high);
    auto& r = I.rows[I.key];
    (lh ? r.exchanges_lh : r.exchanges_hl) += sign;
    (lh ? r.minutes_lh : r.minutes_hl) += sign * minutes;
}

std::size_t PairYearBatch::size() const { return impl_->rows.size(); }

void PairYearBatch::write() {
    auto& I = *impl_;
    // In key order, as the table is: each insert lands next to the one before.
    std::vector<const std::pair<const std::string, Impl::Sum>*> order;
    order.reserve(I.rows.size());
    for (auto& kv : I.rows) order.push_back(&kv);
    std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->first < b->first; });
    for (auto* kv : order) {
        auto& [k, t] = *kv;
        if (t.empty()) continue;
        auto a = k.find('\x1f'), b = k.find('\x1f', a + 1);
        auto year = static_cast<int64_t>(year_of(std::string_view(k).substr(0, a)));
        auto low = k.substr(a + 1, b - a - 1), high = k.substr(b + 1);
        I.add.reset();
        I.add.bind(1, year);
        I.add.bind(2, low);
        I.add.bind(3, high);
        I.add.bind(4, static_cast<int64_t>(t.exchanges_lh));
        I.add.bind(5, static_cast<int64_t>(t.minutes_lh));
        I.add.bind(6, static_cast<int64_t>(t.exchanges_hl));
        I.add.bind(7, static_cast<int64_t>(t.minutes_hl));
        I.add.exec();
        if (t.exchanges_lh >= 0 && t.exchanges_hl >= 0) continue;
        I.drop.reset();
        I.drop.bind(1, year);
        I.drop.bind(2, low);
        I.drop.bind(3, high);
        I.drop.exec();
    }
    I.rows.clear();
}

// ---- PairYearCheck

namespace {

// SQLite's order of storage classes (NULL, numbers, text, blobs), then bytes.
bool before_or_same(const Typed& a, const Typed& b) {
    auto rank = [](int t) { return t == SQLITE_NULL ? 0 : t == SQLITE_TEXT ? 2 : t == SQLITE_BLOB ? 3 : 1; };
    if (rank(a.type) != rank(b.type)) return rank(a.type) < rank(b.type);
    return a.text <= b.text;
}

// FNV-1a over the year, both sides (each with its storage class) and the
// direction, split in two hashes (store/hash_pair.hpp).
HashPair hash(std::int64_t year, const Typed& low, const Typed& high, bool lh) {
    std::uint64_t h = 14695981039346656037ull;
    auto byte = [&](unsigned char c) { h = (h ^ c) * 1099511628211ull; };
    for (int i = 0; i < 8; ++i) byte(static_cast<unsigned char>(static_cast<std::uint64_t>(year) >> (8 * i)));
    for (auto* v : {&low, &high}) {
        byte(static_cast<unsigned char>(v->type));
        for (unsigned char c : v->text) byte(c);
        byte(0x1f);
    }
    byte(lh ? 1 : 2);
    return split_hash(h);
}

}  // namespace

struct PairYearCheck::Impl {
    YearlySums sums;  // store/kept_sums.hpp
};

PairYearCheck::PairYearCheck() : impl_(std::make_unique<Impl>()) {}
PairYearCheck::~PairYearCheck() = default;

void PairYearCheck::add(const Typed& date, const Typed& provider, const Typed& recipient, std::int64_t minutes) {
    auto& I = *impl_;
    auto year = year_of(date.text);
    auto& at = I.sums.ledger(year);
    bool lh = before_or_same(provider, recipient);
    auto h = lh ? hash(year, provider, recipient, true) : hash(year, recipient, provider, false);
    at.a += h.a;
    at.b += h.b * static_cast<std::uint64_t>(minutes);
    if (minutes <= 0) at.bad = true;
}

void PairYearCheck::differences(Store& s, std::vector<std::string>& out) {
    auto& I = *impl_;
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
        auto year = q.getColumn(0).getInt64();
        auto low = typed_column(q, 1), high = typed_column(q, 2);
        auto lh = hash(year, low, high, true), hl = hash(year, low, high, false);
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
        auto sql = fmt::format("SELECT low, high, exchanges_lh, minutes_lh, exchanges_hl, minutes_hl FROM pair_year "
                               "WHERE year = {} ORDER BY low, high",
                               year);
        if (sqlite3_prepare_v2(db.getHandle(), sql.c_str(), -1, &q, nullptr) != SQLITE_OK)
            throw SQLite::Exception(db.getHandle(), sqlite3_errcode(db.getHandle()));
    }
    ~Impl() { sqlite3_finalize(q); }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    // The bytes of a text column as they are stored (sqlite3_column_text
    // would first make them a C string).
    std::string_view bytes(int i) const {
        auto* p = static_cast<const char*>(sqlite3_column_blob(q, i));
        return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(q, i))) : std::string_view{};
    }
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
    row_.low = I.bytes(0);
    row_.high = I.bytes(1);
    row_.exchanges_lh = sqlite3_column_int64(I.q, 2);
    row_.minutes_lh = sqlite3_column_int64(I.q, 3);
    row_.exchanges_hl = sqlite3_column_int64(I.q, 4);
    row_.minutes_hl = sqlite3_column_int64(I.q, 5);
    return true;
}

}  // namespace tb::store
