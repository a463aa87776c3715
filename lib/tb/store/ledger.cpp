#include "tb/store/ledger.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <cstring>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tb/store/ledger_rows.hpp"
#include "tb/store/raw_statement.hpp"
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
    read_exchange_fields(q, e);
    e.ref = q.getColumn(7).getString();
    e.reverses = optional_int(q, 8);
    e.voided_by = optional_int(q, 9);
    e.override_reason = q.getColumn(10).getString();
    e.recorded_at = q.getColumn(11).getString();
    e.recorded_by = q.getColumn(12).getString();
    e.amends = optional_int(q, 13);
    e.amended_by = optional_int(q, 14);
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
        bool any = false;
    };
    // By the member's slot in the rollup batch (one look-up of each side's
    // ID per row, shared with the totals), and the slots noted, each once.
    std::vector<Delta> deltas;
    std::vector<std::uint32_t> noted;
    RollupBatch rollup;  // the monthly totals of what is appended (store/rollup.hpp)
    // The batch's slot of each of the caller's numbers (SideNumbers), -1 until seen.
    std::vector<std::int64_t> by_caller;

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

    // The batch's slot of member `id`, numbered `caller` by the caller (-1: not).
    std::uint32_t slot(int caller, const std::string& id) {
        if (caller < 0) return rollup.slot(id);
        auto at = static_cast<std::size_t>(caller);
        if (at >= by_caller.size()) by_caller.resize(at + 1 + by_caller.size() / 2, -1);
        auto& known = by_caller[at];
        // Checked against the ID (a compare, not a hash): a number reused
        // for another member is looked up again.
        if (known < 0 || rollup.id(static_cast<std::uint32_t>(known)) != id) known = rollup.slot(id);
        return static_cast<std::uint32_t>(known);
    }

    void note(std::uint32_t member, Minutes delta, std::optional<Date> activity) {
        if (member >= deltas.size()) deltas.resize(member + 1 + deltas.size() / 2);
        auto& d = deltas[member];
        if (!d.any) {
            d.any = true;
            noted.push_back(member);
        }
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
                                std::string_view recorded_by, SideNumbers sides) {
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
    bind_exchange_fields(q, date, e);
    bind_optional(q, 9, e.reverses);
    q.bindNoCopy(10, e.override_reason);
    q.bindNoCopy(11, e.recorded_at);
    q.bindNoCopy(12, e.recorded_by);
    q.bindNoCopy(13, fp);
    q.bindNoCopy(14, salt);
    q.bindNoCopy(15, digest);
    q.bindNoCopy(16, hash);
    bind_optional(q, 17, e.amends);
    q.exec();
    I.prev_hash = hash;
    auto provider = I.slot(sides.provider, e.provider), recipient = I.slot(sides.recipient, e.recipient);
    if (e.reverses) I.rollup.void_of(*e.reverses);
    else I.rollup.add(e.date, e.category, provider, recipient, e.minutes);
    // A void is not activity: it does not move last_exchange.
    std::optional<Date> activity = e.reverses ? std::nullopt : std::optional<Date>(e.date);
    I.note(provider, e.minutes, activity);
    I.note(recipient, -e.minutes, activity);
    return e;
}

std::size_t LedgerAppender::strangers() const { return impl_->rollup.strangers(); }

void LedgerAppender::flush() {
    auto& I = *impl_;
    // The chain's head is kept apart from the rows, so that removing the
    // newest exchanges (which leaves a shorter chain that still verifies)
    // is caught by tb check.
    if (!I.noted.empty()) set_meta(I.store, "exchange_head", I.prev_hash);
    for (auto slot : I.noted) {
        auto& d = I.deltas[slot];
        auto& member = I.rollup.id(slot);
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
    for (auto slot : I.noted) I.deltas[slot] = {};
    I.noted.clear();
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

namespace {

// A statement's columns only: no voided_by (a statement shows the void's own
// line), no ref, override reason or recorder. Each side's query reads the
// number, the date and the other side's ID (the member's own side is
// known: it is not read), then these, then amended_by (a subquery or NULL,
// see Corrections) and which side the member is on.
const char* kStatementColumns = "e.minutes, e.category, e.note, e.reverses, e.amends";

// The corrections of the whole ledger (corrected exchange -> its correction)
// when there are at most kFew: a line's amended_by is then looked up here
// instead of by a subquery on every line (an index descent each: 0.04 s of
// a 263k-line statement). More, and the query asks.
class Corrections {
public:
    static constexpr std::size_t kFew = 4096;
    explicit Corrections(Store& s) {
        RawStatement q(s.db(), "SELECT amends, number FROM exchange WHERE amends IS NOT NULL");
        while (q.step()) {
            if (of_.size() == kFew) {
                few_ = false;
                of_.clear();
                return;
            }
            of_.emplace(q.integer(0), q.integer(1));
        }
    }
    // The amended_by column for the statement's query.
    const char* column() const {
        return few_ ? "NULL" : "(SELECT a.number FROM exchange a WHERE a.amends = e.number)";
    }
    // Exchange `number`'s correction, `queried` the column's value.
    std::optional<std::int64_t> of(std::int64_t number, std::optional<std::int64_t> queried) const {
        if (!few_) return queried;
        auto it = of_.find(number);
        return it == of_.end() ? std::nullopt : std::optional<std::int64_t>(it->second);
    }

private:
    bool few_ = true;
    std::unordered_map<std::int64_t, std::int64_t> of_;
};

// Names of the members a statement meets, each read once: a busy member's
// history names the same few thousand counterparties again and again. One
// who has met more members than kNameLookups reads every name at once (a
// scan of the member table costs less than that many look-ups). Every line
// looks one up at random, so a look-up is one cache miss, which the
// caller overlaps with other work by asking for it ahead (fetch_ahead):
// an open-addressed table of 32-byte slots (two to a cache line) holding
// the ID and the name themselves, or, when they do not fit, where they are
// in a string kept apart (a miss more). In the statement of the busiest of
// 100,000 members at 10M exchanges (263,496 lines), this cache had 15% of
// a profile's samples as 8-byte slots pointing into one string, looked up
// as each line came; 1.5% now, and the statement takes 3-8% less time.
class NameCache {
public:
    static constexpr std::size_t kNameLookups = 1024;
    explicit NameCache(Store& s) : db_(s.db()), q_(s.db(), "SELECT name FROM member WHERE id = ?") {
        rehash(kNameLookups * 2);
    }
    static std::size_t hash(std::string_view id) { return std::hash<std::string_view>{}(id); }
    // Asks the processor for the slot `id` (hashed `h`) is looked up from,
    // so that its cache miss overlaps the caller's work until it asks.
    void fetch_ahead(std::size_t h) const { __builtin_prefetch(&slots_[h & mask_]); }
    // The name of member `id` ("" for no member): valid until the next call.
    std::string_view operator()(std::string_view id) { return (*this)(id, hash(id)); }
    std::string_view operator()(std::string_view id, std::size_t h) {
        if (auto* slot = find(id, h)) return name_of(*slot);
        if (all_) return {};
        if (count_ >= kNameLookups) {
            load_all();
            return (*this)(id);
        }
        q_.reset();
        q_.bind(1, std::string(id));
        return name_of(add(id, h, q_.executeStep() ? q_.getColumn(0).getText() : ""));
    }

private:
    static constexpr std::size_t kInline = 30;
    static constexpr std::uint8_t kApart = 0xff;  // id_size of a slot whose texts are in apart_
    struct alignas(32) Slot {      // two to a cache line, none across two
        std::uint8_t id_size = 0;  // 0: empty (an empty ID goes apart)
        std::uint8_t name_size = 0;
        // The ID then the name; for kApart, where they are in apart_:
        // three 32-bit numbers (offset, the ID's size, the name's).
        char text[kInline];
    };
    static_assert(sizeof(Slot) == 32);
    std::uint32_t apart_field(const Slot& slot, int n) const {
        std::uint32_t v;
        std::memcpy(&v, slot.text + 4 * n, sizeof v);
        return v;
    }
    std::string_view id_of(const Slot& slot) const {
        if (slot.id_size != kApart) return {slot.text, slot.id_size};
        return {apart_.data() + apart_field(slot, 0), apart_field(slot, 1)};
    }
    std::string_view name_of(const Slot& slot) const {
        if (slot.id_size != kApart) return {slot.text + slot.id_size, slot.name_size};
        return {apart_.data() + apart_field(slot, 0) + apart_field(slot, 1), apart_field(slot, 2)};
    }
    const Slot* find(std::string_view id, std::size_t h) const {
        for (auto i = h & mask_;; i = (i + 1) & mask_) {
            const auto& slot = slots_[i];
            if (!slot.id_size) return nullptr;
            if (id_of(slot) == id) return &slot;
        }
    }
    // Where `id` and `name` go: a copy of them, inline or apart (an empty
    // ID too, written outside tb: inline, its slot would look empty).
    static Slot slot_of(std::string_view id, std::string_view name, std::string& apart) {
        Slot slot{};
        if (!id.empty() && id.size() + name.size() <= kInline) {
            slot.id_size = static_cast<std::uint8_t>(id.size());
            slot.name_size = static_cast<std::uint8_t>(name.size());
            std::memcpy(slot.text, id.data(), id.size());
            std::memcpy(slot.text + id.size(), name.data(), name.size());
            return slot;
        }
        slot.id_size = kApart;
        std::uint32_t fields[3] = {static_cast<std::uint32_t>(apart.size()), static_cast<std::uint32_t>(id.size()),
                                   static_cast<std::uint32_t>(name.size())};
        std::memcpy(slot.text, fields, sizeof fields);
        apart += id;
        apart += name;
        return slot;
    }
    const Slot& add(std::string_view id, std::size_t h, std::string_view name) {
        if ((count_ + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
        ++count_;
        return place(h, slot_of(id, name, apart_));
    }
    const Slot& place(std::size_t h, const Slot& slot) {
        auto i = h & mask_;
        while (slots_[i].id_size) i = (i + 1) & mask_;
        return slots_[i] = slot;
    }
    // At least `n` slots, a power of two.
    void rehash(std::size_t n) {
        std::size_t size = 1;
        while (size < n) size *= 2;
        std::vector<Slot> old(size);
        old.swap(slots_);
        mask_ = size - 1;
        for (auto& slot : old)
            if (slot.id_size) place(hash(id_of(slot)), slot);
    }
    void load_all() {
        all_ = true;
        // The count comes from an index; the texts' size is not asked for
        // (a second pass over every member row): the text grows as it must.
        RawStatement count(db_, "SELECT count(*) FROM member");
        if (count.step()) {
            auto n = count_ + static_cast<std::size_t>(count.integer(0));
            if (n * 2 > slots_.size()) rehash(n * 2);
        }
        // In batches, every slot of a batch asked for before the first is
        // filled: their cache misses overlap (a miss a member otherwise:
        // 100,000 of them were 5% of the statement above).
        struct Read {
            std::string id, name;
            std::size_t h = 0;
        };
        std::vector<Read> batch(64);
        std::size_t n = 0;
        auto fill = [&] {
            for (std::size_t i = 0; i < n; ++i)
                if (!find(batch[i].id, batch[i].h)) add(batch[i].id, batch[i].h, batch[i].name);
            n = 0;
        };
        RawStatement q(db_, "SELECT id, name FROM member");
        while (q.step()) {
            auto& r = batch[n++];
            r.id.assign(q.text(0));
            r.name.assign(q.text(1));
            r.h = hash(r.id);
            fetch_ahead(r.h);
            if (n == batch.size()) fill();
        }
        fill();
    }
    SQLite::Database& db_;
    SQLite::Statement q_;
    bool all_ = false;
    std::size_t count_ = 0;  // entries
    std::string apart_;      // the texts too long for their slot
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
};

std::optional<std::int64_t> optional_integer(const RawStatement& q, int at) {
    if (q.is_null(at)) return std::nullopt;
    return q.integer(at);
}

}  // namespace

void for_each_exchange_of_member(
    Store& s, const std::string& member, std::optional<Date> since, std::optional<Date> until,
    const std::function<void(const Exchange&, std::string_view provider_name, std::string_view recipient_name)>& fn) {
    // One side each, both in (date, number) order by their index: SQLite
    // merges them (a compound ORDER BY on result columns 2 and 1). An
    // exchange with the member on both sides (only ever made outside tb)
    // comes once, as the OR it replaces gave it. Names come from a cache,
    // not a join per line. Read with the C API, every column by its index,
    // into one Exchange whose strings keep their storage from row to row:
    // nothing is allocated per line.
    const Corrections corrections(s);
    std::string range;
    if (since) range += " AND e.date >= ?2";
    if (until) range += " AND e.date <= ?3";
    // Each side reads the other side's ID only, and says which side it is.
    auto side = [&](const char* other, const char* who, int provides) {
        return fmt::format("SELECT e.number, e.date, {}, {}, {}, {} FROM exchange e WHERE {}{}", other,
                           kStatementColumns, corrections.column(), provides, who, range);
    };
    auto sql = side("e.recipient", "e.provider = ?1", 1) + " UNION ALL " +
               side("e.provider", "e.recipient = ?1 AND e.provider <> ?1", 0) + " ORDER BY 2, 1";
    RawStatement q(s.db(), sql.c_str());
    q.bind(1, member);
    if (since) q.bind(2, to_string(*since));
    if (until) q.bind(3, to_string(*until));
    NameCache names(s);
    const std::string own(names(member));
    // Each line's other side is looked up once the next line is read: its
    // slot, asked for when its line was read, has come into the cache
    // meanwhile (a cache miss per line otherwise, about 3% of the busiest
    // member's statement at 10M exchanges). Two lines alternate.
    struct Line {
        Exchange e;
        bool provides = false;
        std::size_t other_hash = 0;
    };
    Line lines[2];
    std::int64_t read = 0;
    auto give = [&](const Line& l) {
        auto& other = l.provides ? l.e.recipient : l.e.provider;
        // The member's own side needs no look-up: the other side is the
        // only one looked up (a name stays valid until the next look-up).
        // (An exchange with the member on both sides comes as provided.)
        auto other_name = other == member ? std::string_view(own) : names(other, l.other_hash);
        fn(l.e, l.provides ? own : other_name, l.provides ? other_name : own);
    };
    std::string day;  // the date's text, parsed once for its lines (a busy member has hundreds a day)
    Date date;
    while (q.step()) {
        auto& l = lines[read % 2];
        auto& e = l.e;
        e.number = q.integer(0);
        if (auto text = q.text(1); text != day) {
            day.assign(text);
            date = parse_iso_date(text).value_or(Date{});
        }
        e.date = date;
        auto other = q.text(2);
        l.other_hash = NameCache::hash(other);
        names.fetch_ahead(l.other_hash);
        l.provides = q.integer(9) != 0;
        (l.provides ? e.provider : e.recipient).assign(member);
        (l.provides ? e.recipient : e.provider).assign(other);
        e.minutes = q.integer(3);
        e.category.assign(q.text(4));
        e.note.assign(q.text(5));
        e.reverses = optional_integer(q, 6);
        e.amends = optional_integer(q, 7);
        e.amended_by = corrections.of(e.number, optional_integer(q, 8));
        if (read++ > 0) give(lines[read % 2]);  // the line before
    }
    if (read > 0) give(lines[(read - 1) % 2]);
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

Minutes balance_as_of_kept(Store& s, const std::string& member, Date date) {
    // How many of the member's exchanges lie on each side of the date: the
    // index entries alone, no row read.
    SQLite::Statement count(s.db(),
                            "SELECT (SELECT count(*) FROM exchange WHERE provider = ?1 AND date <= ?2)"
                            " + (SELECT count(*) FROM exchange WHERE recipient = ?1 AND date <= ?2),"
                            " (SELECT count(*) FROM exchange WHERE provider = ?1 AND date > ?2)"
                            " + (SELECT count(*) FROM exchange WHERE recipient = ?1 AND date > ?2)");
    auto day = to_string(date);
    count.bind(1, member);
    count.bind(2, day);
    count.executeStep();
    if (count.getColumn(0).getInt64() <= count.getColumn(1).getInt64()) return balance_as_of(s, member, date);
    // The kept balance holds every exchange and opening balance: take away
    // those dated later.
    SQLite::Statement q(s.db(),
                        "SELECT (SELECT balance FROM member WHERE id = ?1)"
                        " - coalesce((SELECT sum(minutes) FROM exchange WHERE provider = ?1 AND date > ?2), 0)"
                        " + coalesce((SELECT sum(minutes) FROM exchange WHERE recipient = ?1 AND date > ?2), 0)"
                        " - coalesce((SELECT sum(minutes) FROM opening WHERE member = ?1 AND date > ?2), 0)");
    q.bind(1, member);
    q.bind(2, day);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

}  // namespace tb::store
