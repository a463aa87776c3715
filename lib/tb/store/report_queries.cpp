#include "tb/store/report_queries.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <thread>

#include "tb/store/raw_statement.hpp"
#include "tb/store/rollup.hpp"
#include "tb/store/rows.hpp"
#include "tb/store/trade_sql.hpp"

namespace tb::store {
namespace {

// Dates arrive sorted, so most rows repeat the previous row's date.
class DateCache {
public:
    Date operator()(std::string_view text) { return optional(text).value_or(Date{}); }
    std::optional<Date> optional(std::string_view text) {
        if (text != last_text_ || !read_) {
            last_text_.assign(text);
            last_ = parse_iso_date(text);
            read_ = true;
        }
        return last_;
    }

private:
    std::string last_text_;
    std::optional<Date> last_;
    bool read_ = false;
};

}  // namespace

namespace {

// Rows arrive in rowid order, which is ID order when members were added in
// ID order (the usual case): then nothing moves. Otherwise an order of
// indices is sorted and the members moved once each.
void sort_by_id(std::vector<ReportMember>& out) {
    auto by_id = [](const ReportMember& a, const ReportMember& b) { return a.id < b.id; };
    if (std::is_sorted(out.begin(), out.end(), by_id)) return;
    // The first eight bytes, big-endian, decide most comparisons without
    // a trip to the strings.
    auto prefix = [](const std::string& id) {
        std::uint64_t k = 0;
        for (std::size_t i = 0; i < 8; ++i)
            k = (k << 8) | (i < id.size() ? static_cast<unsigned char>(id[i]) : 0u);
        return k;
    };
    std::vector<std::pair<std::uint64_t, std::size_t>> order(out.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = {prefix(out[i].id), i};
    auto before = [&](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : out[a.second].id < out[b.second].id;
    };
    // A few runs already in order (IDs M00001..M99999 then M100000) are
    // merged, each merge one pass; many are sorted.
    std::vector<std::size_t> runs{0};
    for (std::size_t i = 1; i < order.size() && runs.size() <= 8; ++i)
        if (before(order[i], order[i - 1])) runs.push_back(i);
    if (runs.size() > 8) {
        std::sort(order.begin(), order.end(), before);
    } else {
        for (std::size_t r = 1; r < runs.size(); ++r)
            std::inplace_merge(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(runs[r]),
                               r + 1 < runs.size() ? order.begin() + static_cast<std::ptrdiff_t>(runs[r + 1])
                                                   : order.end(),
                               before);
    }
    // Moved into place along the permutation's cycles: no second copy of
    // the members at any time.
    std::vector<std::size_t> from(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) from[i] = order[i].second;
    order = {};
    for (std::size_t start = 0; start < from.size(); ++start) {
        if (from[start] == start) continue;
        ReportMember held = std::move(out[start]);
        std::size_t at = start;
        while (from[at] != start) {
            out[at] = std::move(out[from[at]]);
            std::size_t next = from[at];
            from[at] = at;
            at = next;
        }
        out[at] = std::move(held);
        from[at] = at;
    }
}

// The kinds of member a report shows: the others (the pot, clearing
// accounts) are accounts. The partial index member_account (schema version
// 13) is on `kind NOT IN` these very words: SQLite uses it only for a query
// that names them so.
constexpr const char* kReportKinds = "('person', 'organisation')";

}  // namespace

std::vector<ReportMember> report_members(Store& s) {
    std::vector<ReportMember> out;
    // The pot and clearing accounts are accounts, not people: never members in a report.
    out.reserve(static_cast<std::size_t>(s.db().execAndGet("SELECT count(*) FROM member").getInt64()));
    // Read as views (RawStatement): 100,000 members are 1.2M columns.
    auto sql = fmt::format("SELECT id, name, kind, status, neighbourhood, joined, balance, opening, min_limit, "
                           "max_limit, last_trade, postcode, num FROM member WHERE kind IN {}",
                           kReportKinds);
    RawStatement q(s.db(), sql.c_str());
    DateCache joined, last_trade;
    auto limit = [&](int i) {
        int type = q.type(i);  // asked before the value is read
        return rows::limit(type, q.integer(i));
    };
    while (q.step()) {
        auto& m = out.emplace_back();
        m.id = q.text(0);
        m.name = q.text(1);
        m.kind = member_kind_from_stored(q.text(2));
        m.status = member_status_from_stored(q.text(3));
        m.neighbourhood = q.text(4);
        m.joined = joined(q.text(5));
        m.balance = q.integer(6);
        m.opening = q.integer(7);
        m.min_limit = limit(8);
        m.max_limit = limit(9);
        if (q.type(10) != SQLITE_NULL) m.last_trade = last_trade.optional(q.text(10));
        m.postcode = q.text(11);
        if (q.type(12) == SQLITE_INTEGER) m.num = q.integer(12);
    }
    sort_by_id(out);
    return out;
}

void for_each_member_tag(Store& s, const std::function<void(std::string_view member, std::string_view tag)>& fn) {
    RawStatement t(s.db(), "SELECT member, tag FROM member_tag");
    while (t.step()) fn(t.text(0), t.text(1));
}

std::unordered_map<std::string, Date> first_trade_dates(Store& s, const std::vector<std::string>& ids) {
    std::unordered_map<std::string, Date> out;
    // The first exchange on each side that is neither a void nor voided:
    // the (side, date) index in date order, each row's void looked up by
    // the unique index on reverses.
    SQLite::Statement p(s.db(), "SELECT e.date FROM exchange e WHERE e.provider = ? AND e.reverses IS NULL AND NOT "
                                "EXISTS (SELECT 1 FROM exchange v WHERE v.reverses = e.number) ORDER BY e.date LIMIT 1");
    SQLite::Statement r(s.db(), "SELECT e.date FROM exchange e WHERE e.recipient = ? AND e.reverses IS NULL AND NOT "
                                "EXISTS (SELECT 1 FROM exchange v WHERE v.reverses = e.number) ORDER BY e.date LIMIT 1");
    for (auto& id : ids) {
        std::optional<Date> best;
        for (auto* q : {&p, &r}) {
            q->reset();
            q->bind(1, id);
            if (q->executeStep()) {
                auto d = parse_iso_date(q->getColumn(0).getString());
                if (d && (!best || *d < *best)) best = d;
            }
        }
        if (best) out.emplace(id, *best);
    }
    return out;
}

namespace {

// Exchanges dated from..to that are not voids, voided ones included: the
// callers take the voided ones out again, which is far cheaper than asking
// SQLite to test every row against the set of voided numbers.
constexpr const char* kTradeScan =
    "SELECT e.number, e.date, e.provider, e.recipient, e.minutes, e.category FROM exchange e "
    "WHERE e.date >= ?1 AND e.date <= ?2 AND e.reverses IS NULL AND " TB_NOT_POT_SQL " ORDER BY e.date";

std::vector<std::int64_t> voided_numbers(SQLite::Database& db) {
    std::vector<std::int64_t> out;
    SQLite::Statement q(db, "SELECT reverses FROM exchange WHERE reverses IS NOT NULL ORDER BY reverses");
    while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
    return out;
}

void scan_trades(SQLite::Database& db, const std::vector<std::int64_t>& voided, std::size_t range, Date from,
                 Date to, const std::function<void(std::size_t, const TradeRow&)>& fn) {
    RawStatement q(db, kTradeScan);
    q.bind(1, to_string(from));
    q.bind(2, to_string(to));
    DateCache dates;
    TradeRow row;
    while (q.step()) {
        if (!voided.empty() && std::binary_search(voided.begin(), voided.end(), q.integer(0))) continue;
        row.date = dates(q.text(1));
        row.provider = q.text(2);
        row.recipient = q.text(3);
        row.minutes = q.integer(4);
        row.category = q.text(5);
        fn(range, row);
    }
}

// The whole months from..to from pair_month, each row dated its month's first day.
void scan_pair_months(SQLite::Database& db, std::size_t range, Date from, Date to,
                      const std::function<void(std::size_t, const TradeRow&)>& fn) {
    RawStatement q(db, "SELECT month, provider, recipient, category, exchanges, minutes FROM pair_month "
                       "WHERE month >= ?1 AND month <= ?2");
    q.bind(1, to_string(from).substr(0, 7));
    q.bind(2, to_string(to).substr(0, 7));
    DateCache months;
    TradeRow row;
    while (q.step()) {
        auto month = q.text(0);
        if (month.size() != 7) continue;
        char first[11];
        month.copy(first, 7);
        std::copy_n("-01", 3, first + 7);
        row.date = months(std::string_view(first, 10));
        row.provider = q.text(1);
        row.recipient = q.text(2);
        row.category = q.text(3);
        row.exchanges = q.integer(4);
        row.minutes = q.integer(5);
        fn(range, row);
    }
}

}  // namespace

namespace {

// Scans run on a connection of their own without SQLite's per-call locking
// (each is used by one thread only): on half a million rows the locks cost
// more than the reading.
std::unique_ptr<SQLite::Database> scan_connection(Store& s) {
    return std::make_unique<SQLite::Database>(s.path(), SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, 5000);
}

}  // namespace

void for_each_trade_parallel(Store& s, const std::vector<DateRange>& ranges, unsigned threads,
                             const std::function<void(std::size_t range, const TradeRow&)>& fn) {
    if (ranges.empty()) return;
    auto voided = voided_numbers(s.db());
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(ranges.size())));
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> errors(threads);
    auto work = [&](unsigned t) {
        try {
            auto db = scan_connection(s);
            for (std::size_t i; (i = next++) < ranges.size();) {
                if (ranges[i].monthly) scan_pair_months(*db, i, ranges[i].from, ranges[i].to, fn);
                else scan_trades(*db, voided, i, ranges[i].from, ranges[i].to, fn);
            }
        } catch (...) {
            errors[t] = std::current_exception();
            next = ranges.size();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

namespace {

// Per-key totals: every non-void exchange, minus the voided ones.
template <typename Add>
void gross_minus_voided(Store& s, const std::string& key_sql, Date from, Date to, Add add) {
    for (bool voided : {false, true}) {
        SQLite::Statement q(
            s.db(), fmt::format("SELECT {0}, count(*), sum(e.minutes) FROM exchange e "
                                "WHERE e.date >= ?1 AND e.date <= ?2 AND e.reverses IS NULL AND {2} {1} GROUP BY {0}",
                                key_sql,
                                voided ? "AND e.number IN (SELECT reverses FROM exchange WHERE reverses IS NOT NULL)"
                                       : "",
                                kNotPotSql));
        q.bind(1, to_string(from));
        q.bind(2, to_string(to));
        int sign = voided ? -1 : 1;
        while (q.executeStep())
            add(q.getColumn(0).getString(), sign * q.getColumn(1).getInt64(), sign * q.getColumn(2).getInt64());
    }
}

}  // namespace

TradeTotal trade_totals(Store& s, Date from, Date to) {
    TradeTotal t;
    gross_minus_voided(s, "'all'", from, to, [&](const std::string&, std::int64_t n, Minutes m) {
        t.exchanges += n;
        t.minutes += m;
    });
    return t;
}

std::vector<DayTotal> daily_trade_totals(Store& s, Date from, Date to) {
    std::vector<DayTotal> out;
    if (rollups_current(s)) {
        // Kept per day (trade_day): a row per day instead of every trade.
        for_each_trade_day(s, to_string(from), to_string(to), [&](const TradeDayRow& r) {
            auto date = parse_iso_date(std::string(r.day));
            if (date && r.exchanges != 0) out.push_back({*date, r.exchanges, r.minutes});
        });
        return out;
    }
    std::map<std::string, DayTotal> days;
    gross_minus_voided(s, "e.date", from, to, [&](const std::string& d, std::int64_t n, Minutes m) {
        auto& t = days[d];
        t.exchanges += n;
        t.minutes += m;
    });
    for (auto& [d, t] : days) {
        auto date = parse_iso_date(d);
        if (!date || t.exchanges == 0) continue;
        out.push_back({*date, t.exchanges, t.minutes});
    }
    return out;
}

std::vector<CategoryTotal> category_trade_totals(Store& s, Date from, Date to) {
    std::map<std::string, CategoryTotal> cats;
    gross_minus_voided(s, "e.category", from, to, [&](const std::string& c, std::int64_t n, Minutes m) {
        auto& t = cats[c];
        t.category = c;
        t.exchanges += n;
        t.minutes += m;
    });
    std::vector<CategoryTotal> out;
    for (auto& [_, t] : cats)
        if (t.exchanges > 0) out.push_back(t);
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) {
        return a.minutes != b.minutes ? a.minutes > b.minutes : a.category < b.category;
    });
    return out;
}

std::unordered_map<std::string, Minutes> balance_changes_after(Store& s, Date date) {
    std::unordered_map<std::string, Minutes> out;
    RawStatement q(s.db(), "SELECT provider, recipient, minutes FROM exchange WHERE date > ?");
    q.bind(1, to_string(date));
    while (q.step()) {
        auto m = q.integer(2);
        out[std::string(q.text(0))] += m;
        out[std::string(q.text(1))] -= m;
    }
    SQLite::Statement o(s.db(), "SELECT member, sum(minutes) FROM opening WHERE date > ? GROUP BY member");
    o.bind(1, to_string(date));
    while (o.executeStep()) out[o.getColumn(0).getString()] += o.getColumn(1).getInt64();
    return out;
}

std::optional<Date> first_trade_date(Store& s) {
    SQLite::Statement q(s.db(),
                        fmt::format("SELECT e.date FROM exchange e WHERE {} ORDER BY e.date LIMIT 1", kIsTradeSql));
    if (q.executeStep()) return parse_iso_date(q.getColumn(0).getString());
    return std::nullopt;
}

std::optional<DateRange> exchange_date_span(Store& s) {
    // Two subqueries: SQLite reads min() and max() from the index only one at a time.
    SQLite::Statement q(s.db(), "SELECT (SELECT min(date) FROM exchange), (SELECT max(date) FROM exchange)");
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
    auto a = parse_iso_date(q.getColumn(0).getString()), b = parse_iso_date(q.getColumn(1).getString());
    if (!a || !b) return std::nullopt;
    return DateRange{*a, *b};
}

std::vector<OpenRequest> open_requests_without_proposal(Store& s) {
    SQLite::Statement q(
        s.db(),
        fmt::format("SELECT {} FROM request r WHERE r.status = 'open' "
                    "AND NOT EXISTS (SELECT 1 FROM proposal p WHERE p.request = r.number AND (p.status = 'accepted' OR "
                    "(p.status = 'proposed' AND p.member IN (SELECT id FROM member WHERE status = 'active')))) "
                    "ORDER BY r.number",
                    rows::kRequestColumns));
    std::vector<OpenRequest> out;
    while (q.executeStep()) out.push_back(rows::request(q));
    return out;
}

std::int64_t count_open_requests(Store& s) {
    return s.db().execAndGet("SELECT count(*) FROM request WHERE status = 'open'").getInt64();
}

std::vector<OpenRequest> open_requests_past_needed_by(Store& s, Date today) {
    SQLite::Statement q(s.db(), fmt::format("SELECT {} FROM request WHERE status = 'open' AND needed_by IS NOT NULL "
                                            "AND needed_by < ? ORDER BY needed_by, number",
                                            rows::kRequestColumns));
    q.bind(1, to_string(today));
    std::vector<OpenRequest> out;
    while (q.executeStep()) out.push_back(rows::request(q));
    return out;
}

std::vector<PendingProposal> pending_proposal_rows(Store& s) {
    SQLite::Statement q(s.db(),
                        "SELECT p.request, r.member, r.category, r.needed_by, p.member, p.created_at "
                        "FROM proposal p JOIN request r ON r.number = p.request JOIN member m ON m.id = p.member "
                        "WHERE p.status = 'proposed' AND r.status = 'open' AND m.status = 'active' "
                        "ORDER BY p.created_at, p.id");
    std::vector<PendingProposal> out;
    while (q.executeStep()) {
        PendingProposal p;
        p.request = q.getColumn(0).getInt64();
        p.requester = q.getColumn(1).getString();
        p.category = q.getColumn(2).getString();
        p.needed_by = rows::opt_date(q, 3);
        p.member = q.getColumn(4).getString();
        p.created_at = q.getColumn(5).getString();
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<RequestEvent> request_events(Store& s, Date from, Date to) {
    // Requests are few beside exchanges: one pass over the table.
    SQLite::Statement q(s.db(),
                        "SELECT r.member, substr(r.created_at, 1, 10), coalesce(r.outcome, ''), "
                        "CASE WHEN r.status = 'closed' THEN coalesce(e.date, substr(r.closed_at, 1, 10)) END AS day "
                        "FROM request r LEFT JOIN exchange e ON e.number = r.exchange AND r.outcome = 'met' "
                        "WHERE substr(r.created_at, 1, 10) BETWEEN ?1 AND ?2 OR day BETWEEN ?1 AND ?2 "
                        "ORDER BY r.number");
    q.bind(1, to_string(from));
    q.bind(2, to_string(to));
    std::vector<RequestEvent> out;
    while (q.executeStep()) {
        auto made = parse_iso_date(q.getColumn(1).getString());
        if (!made) continue;
        RequestEvent e;
        e.member = q.getColumn(0).getString();
        e.made = *made;
        e.outcome = q.getColumn(2).getString();
        e.closed = rows::opt_date(q, 3);
        out.push_back(std::move(e));
    }
    return out;
}

void for_each_account_trade(Store& s, Date from, Date to, const std::function<void(const TradeRow&)>& fn) {
    // Each account's side of the ledger through its index: a few accounts
    // (found through the index member_account), their transfers, not every
    // trade (CROSS JOIN keeps the accounts outermost).
    auto side = [](const char* column) {
        return fmt::format("SELECT e.date, e.provider, e.recipient, e.minutes FROM member a CROSS JOIN exchange e "
                           "ON e.{} = a.id WHERE a.kind NOT IN {} AND e.date >= ?1 AND e.date <= ?2 AND {}",
                           column, kReportKinds, kIsTradeSql);
    };
    auto sql = side("provider") + " UNION ALL " + side("recipient");
    RawStatement q(s.db(), sql.c_str());
    q.bind(1, to_string(from));
    q.bind(2, to_string(to));
    TradeRow r;
    while (q.step()) {
        r.date = parse_iso_date(q.text(0)).value_or(Date{});
        r.provider = q.text(1);
        r.recipient = q.text(2);
        r.minutes = q.integer(3);
        fn(r);
    }
}

}  // namespace tb::store
