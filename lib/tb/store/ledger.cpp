#include "tb/store/ledger.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <unordered_map>

#include "tb/store/ledger_rows.hpp"
#include "tb/store/rollup.hpp"
#include "tb/util/error.hpp"
#include "tb/util/sha256.hpp"

namespace tb::store {

std::string note_digest(const std::string& salt, const std::string& note, const std::string& override_reason) {
    return sha256_hex(fmt::format("{}\x1f{}\x1f{}", salt, note, override_reason));
}

std::string exchange_chain_text(const Exchange& e, const std::string& digest, const std::string& prev_hash) {
    // Fields joined by the unit separator, in a fixed order (tb check
    // recomputes this text; changing it breaks every stored chain).
    // Appended by hand: an import builds one per row.
    std::string out;
    out.reserve(256);
    auto field = [&](std::string_view v) {
        out += '\x1f';
        out += v;
    };
    out += "exchange";
    field(prev_hash);
    field(std::to_string(e.number));
    field(to_string(e.date));
    field(e.provider);
    field(e.recipient);
    field(std::to_string(e.minutes));
    field(e.category);
    field(e.ref);
    field(e.reverses ? std::to_string(*e.reverses) : "");
    field(e.recorded_at);
    field(e.recorded_by);
    field(digest);
    // A correction (schema version 7) adds what it corrects; every other
    // row's text is as it always was, so stored chains still verify.
    if (e.amends) field("amends=" + std::to_string(*e.amends));
    return out;
}

std::string opening_chain_text(const Opening& o, const std::string& digest, const std::string& prev_hash) {
    return fmt::format("opening\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", prev_hash, o.number, o.member,
                       o.minutes, to_string(o.date), o.recorded_at, o.recorded_by, digest);
}

namespace {

std::string last_hash(Store& s, const char* table) {
    SQLite::Statement q(s.db(), fmt::format("SELECT hash FROM {} ORDER BY number DESC LIMIT 1", table));
    if (q.executeStep()) return q.getColumn(0).getString();
    return kGenesisHash;
}

std::int64_t next_number(Store& s, const char* table) {
    SQLite::Statement q(s.db(), fmt::format("SELECT coalesce(max(number), 0) + 1 FROM {}", table));
    q.executeStep();
    return q.getColumn(0).getInt64();
}

void add_to_balance(Store& s, const std::string& member, Minutes delta, bool is_opening, std::optional<Date> date) {
    SQLite::Statement q(s.db(),
                        "UPDATE member SET balance = balance + ?1, opening = opening + ?2, "
                        "last_exchange = CASE WHEN ?3 IS NULL THEN last_exchange "
                        "WHEN last_exchange IS NULL OR last_exchange < ?3 THEN ?3 ELSE last_exchange END "
                        "WHERE id = ?4");
    q.bind(1, static_cast<int64_t>(delta));
    q.bind(2, static_cast<int64_t>(is_opening ? delta : 0));
    if (date) q.bind(3, to_string(*date));
    else q.bind(3);
    q.bind(4, member);
    if (q.exec() != 1) throw NotFound(fmt::format("no member {}", member));
}

const char* kExchangeColumns =
    "e.number, e.date, e.provider, e.recipient, e.minutes, e.category, e.note, coalesce(e.ref, ''), e.reverses, "
    "(SELECT v.number FROM exchange v WHERE v.reverses = e.number), e.override_reason, e.recorded_at, e.recorded_by, "
    "e.amends, (SELECT a.number FROM exchange a WHERE a.amends = e.number)";

Exchange exchange_from_row(SQLite::Statement& q) {
    Exchange e;
    e.number = q.getColumn(0).getInt64();
    e.date = parse_iso_date(q.getColumn(1).getString()).value_or(Date{});
    e.provider = q.getColumn(2).getString();
    e.recipient = q.getColumn(3).getString();
    e.minutes = q.getColumn(4).getInt64();
    e.category = q.getColumn(5).getString();
    e.note = q.getColumn(6).getString();
    e.ref = q.getColumn(7).getString();
    if (!q.getColumn(8).isNull()) e.reverses = q.getColumn(8).getInt64();
    if (!q.getColumn(9).isNull()) e.voided_by = q.getColumn(9).getInt64();
    e.override_reason = q.getColumn(10).getString();
    e.recorded_at = q.getColumn(11).getString();
    e.recorded_by = q.getColumn(12).getString();
    if (!q.getColumn(13).isNull()) e.amends = q.getColumn(13).getInt64();
    if (!q.getColumn(14).isNull()) e.amended_by = q.getColumn(14).getInt64();
    return e;
}

}  // namespace

struct LedgerAppender::Impl {
    Store& store;
    std::string recorded_by;
    std::string recorded_at = utc_timestamp_now();
    SQLite::Statement insert;
    SQLite::Statement balance;
    std::int64_t next;
    std::string prev_hash;
    struct Delta {
        Minutes minutes = 0;
        std::optional<Date> last;
    };
    std::unordered_map<std::string, Delta> deltas;
    RollupBatch rollup;  // the monthly totals of what is appended (store/rollup.hpp)

    Impl(Store& s, std::string who)
        : store(s),
          recorded_by(std::move(who)),
          insert(s.db(),
                 "INSERT INTO exchange (number, date, provider, recipient, minutes, category, note, ref, "
                 "reverses, override_reason, recorded_at, recorded_by, fingerprint, salt, note_digest, hash, amends) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
          balance(s.db(),
                  "UPDATE member SET balance = balance + ?1, "
                  "last_exchange = CASE WHEN ?2 IS NULL THEN last_exchange "
                  "WHEN last_exchange IS NULL OR last_exchange < ?2 THEN ?2 ELSE last_exchange END "
                  "WHERE id = ?3"),
          next(next_number(s, "exchange")),
          prev_hash(last_hash(s, "exchange")),
          rollup(s) {}

    void note(const std::string& member, Minutes delta, std::optional<Date> activity) {
        auto& d = deltas[member];
        d.minutes += delta;
        if (activity && (!d.last || *d.last < *activity)) d.last = activity;
    }
};

LedgerAppender::LedgerAppender(Store& s, std::string recorded_by)
    : impl_(std::make_unique<Impl>(s, std::move(recorded_by))) {}

// Writes nothing: an appender left unflushed belongs to a transaction that is
// being rolled back (an error was thrown), so its balance changes must not
// be applied, and an error while applying them could not be reported.
LedgerAppender::~LedgerAppender() = default;

Exchange LedgerAppender::append(const ExchangeDraft& d, std::string_view fingerprint, std::string_view recorded_at,
                                std::string_view recorded_by) {
    auto& I = *impl_;
    Exchange e;
    e.number = I.next++;
    e.date = d.date;
    e.provider = d.provider;
    e.recipient = d.recipient;
    e.minutes = d.minutes;
    e.category = d.category;
    e.note = d.note;
    e.ref = d.ref;
    e.reverses = d.reverses;
    e.amends = d.amends;
    e.override_reason = d.override_reason;
    e.recorded_at = recorded_at.empty() ? I.recorded_at : std::string(recorded_at);
    e.recorded_by = recorded_by.empty() ? I.recorded_by : std::string(recorded_by);
    auto salt = random_hex(16);
    auto digest = note_digest(salt, e.note, e.override_reason);
    auto hash = sha256_hex(exchange_chain_text(e, digest, I.prev_hash));
    auto date = to_string(e.date);
    std::string fp = fingerprint.empty()
                         ? exchange_fingerprint(e.date, e.provider, e.recipient, e.minutes, e.category, e.note)
                         : std::string(fingerprint);
    // Every bound string lives until exec(): bound without a copy.
    auto& q = I.insert;
    q.reset();
    q.bind(1, static_cast<int64_t>(e.number));
    q.bindNoCopy(2, date);
    q.bindNoCopy(3, e.provider);
    q.bindNoCopy(4, e.recipient);
    q.bind(5, static_cast<int64_t>(e.minutes));
    q.bindNoCopy(6, e.category);
    q.bindNoCopy(7, e.note);
    if (e.ref.empty()) q.bind(8);
    else q.bindNoCopy(8, e.ref);
    if (e.reverses) q.bind(9, static_cast<int64_t>(*e.reverses));
    else q.bind(9);
    q.bindNoCopy(10, e.override_reason);
    q.bindNoCopy(11, e.recorded_at);
    q.bindNoCopy(12, e.recorded_by);
    q.bindNoCopy(13, fp);
    q.bindNoCopy(14, salt);
    q.bindNoCopy(15, digest);
    q.bindNoCopy(16, hash);
    if (e.amends) q.bind(17, static_cast<int64_t>(*e.amends));
    else q.bind(17);
    q.exec();
    I.prev_hash = hash;
    if (e.reverses) I.rollup.void_of(*e.reverses);
    else I.rollup.add(e.date, e.category, e.provider, e.recipient, e.minutes);
    // A void is not activity: it does not move last_exchange.
    std::optional<Date> activity = e.reverses ? std::nullopt : std::optional<Date>(e.date);
    I.note(e.provider, e.minutes, activity);
    I.note(e.recipient, -e.minutes, activity);
    return e;
}

void LedgerAppender::flush() {
    auto& I = *impl_;
    // The chain's head is kept apart from the rows, so that removing the
    // newest exchanges (which leaves a shorter chain that still verifies)
    // is caught by tb check.
    if (!I.deltas.empty()) set_meta(I.store, "exchange_head", I.prev_hash);
    for (auto& [member, d] : I.deltas) {
        auto& q = I.balance;
        q.reset();
        q.bind(1, static_cast<int64_t>(d.minutes));
        if (d.last) q.bind(2, to_string(*d.last));
        else q.bind(2);
        q.bind(3, member);
        if (q.exec() != 1) throw NotFound(fmt::format("no member {}", member));
    }
    // The monthly totals reports read take in the new rows (store/rollup.hpp).
    I.rollup.apply(I.next - 1);
    I.deltas.clear();
}

Exchange append_exchange(Store& s, const ExchangeDraft& d, const std::string& recorded_by) {
    LedgerAppender a(s, recorded_by);
    auto e = a.append(d);
    a.flush();
    return e;
}

Opening append_opening(Store& s, const std::string& member, Minutes minutes, Date date, const std::string& note,
                       const std::string& recorded_by) {
    Opening o;
    o.number = next_number(s, "opening");
    o.member = member;
    o.minutes = minutes;
    o.date = date;
    o.note = note;
    o.recorded_at = utc_timestamp_now();
    o.recorded_by = recorded_by;
    auto salt = random_hex(16);
    auto digest = note_digest(salt, note, "");
    auto hash = sha256_hex(opening_chain_text(o, digest, last_hash(s, "opening")));
    SQLite::Statement q(s.db(),
                        "INSERT INTO opening (number, member, minutes, date, note, recorded_at, recorded_by, salt, "
                        "note_digest, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, static_cast<int64_t>(o.number));
    q.bind(2, member);
    q.bind(3, static_cast<int64_t>(minutes));
    q.bind(4, to_string(date));
    q.bind(5, note);
    q.bind(6, o.recorded_at);
    q.bind(7, recorded_by);
    q.bind(8, salt);
    q.bind(9, digest);
    q.bind(10, hash);
    q.exec();
    add_to_balance(s, member, minutes, true, std::nullopt);
    set_meta(s, "opening_head", hash);
    // The running total that tb check holds the opening balances against.
    auto total = std::stoll(get_meta(s, "opening_total", "0")) + minutes;
    set_meta(s, "opening_total", std::to_string(total));
    return o;
}

std::optional<Exchange> find_exchange(Store& s, std::int64_t number) {
    SQLite::Statement q(s.db(), fmt::format("SELECT {} FROM exchange e WHERE e.number = ?", kExchangeColumns));
    q.bind(1, static_cast<int64_t>(number));
    if (q.executeStep()) return exchange_from_row(q);
    return std::nullopt;
}

bool ref_exists(Store& s, const std::string& ref) {
    SQLite::Statement q(s.db(), "SELECT 1 FROM exchange WHERE ref = ?");
    q.bind(1, ref);
    return q.executeStep();
}

void for_each_exchange(Store& s, const ExchangeFilter& f, const std::function<void(const Exchange&)>& fn) {
    std::string sql = fmt::format("SELECT {} FROM exchange e WHERE 1", kExchangeColumns);
    if (!f.member.empty()) sql += " AND (e.provider = :m OR e.recipient = :m)";
    if (f.since) sql += " AND e.date >= :since";
    if (f.until) sql += " AND e.date <= :until";
    if (!f.category.empty()) sql += " AND lower(e.category) = lower(:cat)";
    switch (f.voids) {
        case ExchangeFilter::Voids::hide:
            sql += " AND e.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM exchange v WHERE v.reverses = e.number)";
            break;
        case ExchangeFilter::Voids::only:
            sql += " AND (e.reverses IS NOT NULL OR EXISTS (SELECT 1 FROM exchange v WHERE v.reverses = e.number))";
            break;
        case ExchangeFilter::Voids::all: break;
    }
    sql += " ORDER BY e.date, e.number";
    SQLite::Statement q(s.db(), sql);
    if (!f.member.empty()) q.bind(":m", f.member);
    if (f.since) q.bind(":since", to_string(*f.since));
    if (f.until) q.bind(":until", to_string(*f.until));
    if (!f.category.empty()) q.bind(":cat", f.category);
    while (q.executeStep()) fn(exchange_from_row(q));
}

void for_each_exchange_of_member(
    Store& s, const std::string& member, std::optional<Date> since, std::optional<Date> until,
    const std::function<void(const Exchange&, const std::string& provider_name, const std::string& recipient_name)>&
        fn) {
    // One side each, both in (date, number) order by their index: SQLite
    // merges them (a compound ORDER BY on result columns 2 and 1). An
    // exchange with the member on both sides (only ever made outside tb)
    // comes once, as the OR it replaces gave it.
    std::string range;
    if (since) range += " AND e.date >= :since";
    if (until) range += " AND e.date <= :until";
    auto side = [&](const char* who) {
        return fmt::format("SELECT {}, coalesce(p.name, ''), coalesce(r.name, '') FROM exchange e "
                           "LEFT JOIN member p ON p.id = e.provider LEFT JOIN member r ON r.id = e.recipient "
                           "WHERE {}{}",
                           kExchangeColumns, who, range);
    };
    SQLite::Statement q(s.db(), side("e.provider = :m") + " UNION ALL " +
                                    side("e.recipient = :m AND e.provider <> :m") + " ORDER BY 2, 1");
    q.bind(":m", member);
    if (since) q.bind(":since", to_string(*since));
    if (until) q.bind(":until", to_string(*until));
    while (q.executeStep()) fn(exchange_from_row(q), q.getColumn(15).getString(), q.getColumn(16).getString());
}

Opening opening_from_row(SQLite::Statement& q) {
    Opening o;
    o.number = q.getColumn(0).getInt64();
    o.member = q.getColumn(1).getString();
    o.minutes = q.getColumn(2).getInt64();
    o.date = parse_iso_date(q.getColumn(3).getString()).value_or(Date{});
    o.note = q.getColumn(4).getString();
    o.recorded_at = q.getColumn(5).getString();
    o.recorded_by = q.getColumn(6).getString();
    return o;
}

std::vector<std::string> categories_in_use(Store& s) {
    std::vector<std::string> out;
    SQLite::Statement q(s.db(), "SELECT DISTINCT category FROM exchange WHERE category <> '' ORDER BY category");
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

std::vector<Opening> openings_of(Store& s, const std::string& member) {
    std::vector<Opening> out;
    SQLite::Statement q(s.db(),
                        "SELECT number, member, minutes, date, note, recorded_at, recorded_by FROM opening "
                        "WHERE member = ? ORDER BY date, number");
    q.bind(1, member);
    while (q.executeStep()) out.push_back(opening_from_row(q));
    return out;
}

void for_each_opening(Store& s, const std::function<void(const Opening&)>& fn) {
    SQLite::Statement q(s.db(),
                        "SELECT number, member, minutes, date, note, recorded_at, recorded_by FROM opening "
                        "ORDER BY date, number");
    while (q.executeStep()) fn(opening_from_row(q));
}

Minutes balance_as_of(Store& s, const std::string& member, Date date) {
    SQLite::Statement q(s.db(),
                        "SELECT coalesce((SELECT sum(minutes) FROM exchange WHERE provider = ?1 AND date <= ?2), 0)"
                        " - coalesce((SELECT sum(minutes) FROM exchange WHERE recipient = ?1 AND date <= ?2), 0)"
                        " + coalesce((SELECT sum(minutes) FROM opening WHERE member = ?1 AND date <= ?2), 0)");
    q.bind(1, member);
    q.bind(2, to_string(date));
    q.executeStep();
    return q.getColumn(0).getInt64();
}

}  // namespace tb::store
