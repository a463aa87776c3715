#include "tb/store/check.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <regex>
#include <unordered_map>

#include "tb/store/audit.hpp"
#include "tb/store/integrity.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/ledger_rows.hpp"
#include "tb/store/member_slots.hpp"
#include "tb/store/rollup.hpp"
#include "tb/store/rollup_check.hpp"
#include "tb/util/sha256.hpp"

namespace tb::store {
namespace {

void chain_head(Store& s, const char* what, const std::string& meta_key, const std::string& last,
                std::vector<std::string>& out);

// What each member's exchanges and opening balances come to by the ledger,
// summed while the full check reads the chains (so the ledger is read once,
// not again for every member).
struct LedgerSums {
    MemberSlots members;            // each side of an exchange, numbered once (store/member_slots.hpp)
    std::vector<Minutes> exchanges;  // by slot
    std::unordered_map<std::string, Minutes> openings;
    bool odd_member = false;  // a side that is not text (no member's ID is)
    Minutes exchanges_of(const std::string& id) const {
        auto slot = members.find(id);
        return slot && *slot < exchanges.size() ? exchanges[*slot] : 0;
    }
    Minutes opening_of(const std::string& id) const {
        auto it = openings.find(id);
        return it == openings.end() ? 0 : it->second;
    }
};

void integrity(Store& s, std::vector<std::string>& out) {
    for (auto& line : integrity_problems(s)) out.push_back("integrity: " + line);
}

// PRAGMA foreign_key_check, but for its cost: it looks both members of every
// exchange up in the member table, two index searches a row. The members
// the chain's pass met (`sums`) are looked up once each instead, voids and
// corrections through their own indexes, every other table by the pragma;
// only when something is missing does the whole pragma run, for its words.
std::vector<std::string> foreign_keys(Store& s, const LedgerSums& sums) {
    bool missing = sums.odd_member;
    SQLite::Statement member(s.db(), "SELECT 1 FROM member WHERE id = ?");
    for (std::uint32_t slot = 0; slot < sums.members.size(); ++slot) {
        if (missing) break;
        member.reset();
        member.bind(1, sums.members.id(slot));
        missing = !member.executeStep();
    }
    for (const char* column : {"reverses", "amends"})
        missing = missing || s.db()
                                 .execAndGet(fmt::format("SELECT EXISTS (SELECT 1 FROM exchange v WHERE v.{0} IS NOT "
                                                         "NULL AND NOT EXISTS (SELECT 1 FROM exchange o WHERE "
                                                         "o.number = v.{0}))",
                                                         column))
                                 .getInt() != 0;
    SQLite::Statement tables(s.db(), "SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'exchange' AND "
                                     "EXISTS (SELECT 1 FROM pragma_foreign_key_list(name))");
    while (!missing && tables.executeStep()) {
        SQLite::Statement fk(s.db(), fmt::format("PRAGMA foreign_key_check(\"{}\")", tables.getColumn(0).getString()));
        missing = fk.executeStep();
    }
    std::vector<std::string> out;
    if (!missing) return out;
    SQLite::Statement fk(s.db(), "PRAGMA foreign_key_check");
    while (fk.executeStep())
        out.push_back(fmt::format("foreign key: {} row {} points at a missing {}", fk.getColumn(0).getString(),
                                  fk.getColumn(1).getInt64(), fk.getColumn(2).getString()));
    return out;
}

constexpr const char* kExchangeColumns =
    "SELECT e.number, e.date, e.provider, e.recipient, e.minutes, e.category, e.note, coalesce(e.ref, ''), "
    "e.reverses, e.override_reason, e.recorded_at, e.recorded_by, e.salt, e.note_digest, e.hash, e.amends";
constexpr int kExchangeColumnCount = 16;

// Checks the exchange row `q` stands on against the hash of the row before
// it; returns its stored hash.
std::string check_exchange_row(SQLite::Statement& q, const std::string& prev, std::vector<std::string>& out) {
    Exchange e;
    e.number = q.getColumn(0).getInt64();
    read_exchange_fields(q, e);
    auto date_text = q.getColumn(1).getString();
    e.ref = q.getColumn(7).getString();
    if (!parse_iso_date(date_text)) out.push_back(fmt::format("exchange {}: bad date '{}'", e.number, date_text));
    if (!q.getColumn(8).isNull()) e.reverses = q.getColumn(8).getInt64();
    e.override_reason = q.getColumn(9).getString();
    e.recorded_at = q.getColumn(10).getString();
    e.recorded_by = q.getColumn(11).getString();
    auto salt = q.getColumn(12);
    auto digest = q.getColumn(13).getString();
    auto hash = q.getColumn(14).getString();
    if (!q.getColumn(15).isNull()) e.amends = q.getColumn(15).getInt64();
    if (!salt.isNull()) {
        if (note_digest(salt.getString(), e.note, e.override_reason) != digest)
            out.push_back(fmt::format("exchange {}: note changed outside tb (digest mismatch)", e.number));
    } else if (!e.note.empty() || !e.override_reason.empty()) {
        out.push_back(fmt::format("exchange {}: note of a forgotten exchange is not blank", e.number));
    }
    if (sha256_hex(exchange_chain_text(e, digest, prev)) != hash)
        out.push_back(fmt::format("exchange {}: hash chain broken (row edited outside tb)", e.number));
    if (e.provider == e.recipient)
        out.push_back(fmt::format("exchange {}: provider and recipient are both {}", e.number, e.provider));
    return hash;
}

// The stored hash of the row before the newest (the genesis hash when there
// is none), for the quick check of the newest row alone.
std::string hash_before_newest(Store& s, const char* table, const char* key) {
    SQLite::Statement q(s.db(), fmt::format("SELECT hash FROM {0} ORDER BY {1} DESC LIMIT 1 OFFSET 1", table, key));
    return q.executeStep() ? q.getColumn(0).getString() : kGenesisHash;
}

// The full check (`sums` given, filled here, and `totals` fed the same
// rows: the ledger is read once) reads every row; the quick one (none) the
// newest only. The same for the openings below.
void exchange_chain(Store& s, LedgerSums* sums, TotalsCheck* totals, std::vector<std::string>& out) {
    bool quick = sums == nullptr;
    std::string prev = quick ? hash_before_newest(s, "exchange", "number") : kGenesisHash;
    SQLite::Statement q(s.db(), fmt::format("{}, {} FROM exchange e {}", kExchangeColumns, kTotalsColumns,
                                            quick ? "ORDER BY number DESC LIMIT 1" : "ORDER BY number"));
    while (q.executeStep()) {
        // Asked before any column is read: reading a value as text converts
        // it, and its type is undefined after (sqlite3_column_type).
        bool odd_member = q.getColumn(2).getType() != SQLite::TEXT || q.getColumn(3).getType() != SQLite::TEXT;
        prev = check_exchange_row(q, prev, out);
        if (!sums) continue;
        auto minutes = q.getColumn(4).getInt64();
        auto provider = sums->members(q.getColumn(2).getString()), recipient = sums->members(q.getColumn(3).getString());
        at_slot(sums->exchanges, provider) += minutes;
        at_slot(sums->exchanges, recipient) -= minutes;
        if (odd_member) sums->odd_member = true;
        if (totals) totals->add(q, kExchangeColumnCount, provider, recipient);
    }
    chain_head(s, "exchanges", "exchange_head", prev, out);
}

// The last hash must be the head recorded when it was written: a chain cut
// short at its end still verifies on its own.
void chain_head(Store& s, const char* what, const std::string& meta_key, const std::string& last,
                std::vector<std::string>& out) {
    auto head = get_meta(s, meta_key, kGenesisHash);
    if (head != last)
        out.push_back(fmt::format("{}: the newest rows were removed or replaced outside tb (chain head does not match)",
                                  what));
}

void opening_chain(Store& s, LedgerSums* sums, std::vector<std::string>& out) {
    bool quick = sums == nullptr;
    std::string prev = quick ? hash_before_newest(s, "opening", "number") : kGenesisHash;
    SQLite::Statement q(s.db(),
                        std::string("SELECT number, member, minutes, date, note, recorded_at, recorded_by, salt, "
                                    "note_digest, hash FROM opening ") +
                            (quick ? "ORDER BY number DESC LIMIT 1" : "ORDER BY number"));
    Minutes total = 0;
    while (q.executeStep()) {
        auto o = opening_from_row(q);
        auto salt = q.getColumn(7);
        auto digest = q.getColumn(8).getString();
        auto hash = q.getColumn(9).getString();
        if (!salt.isNull() && note_digest(salt.getString(), o.note, "") != digest)
            out.push_back(fmt::format("opening balance {}: note changed outside tb (digest mismatch)", o.number));
        if (sha256_hex(opening_chain_text(o, digest, prev)) != hash)
            out.push_back(fmt::format("opening balance {}: hash chain broken (row edited outside tb)", o.number));
        prev = hash;
        total += o.minutes;
        if (sums) sums->openings[o.member] += o.minutes;
    }
    chain_head(s, "opening balances", "opening_head", prev, out);
    // The quick check sums the members' kept opening balances instead of
    // the opening rows (one row per member rather than per entry).
    if (quick) total = s.db().execAndGet("SELECT coalesce(sum(opening), 0) FROM member").getInt64();
    auto recorded = std::stoll(get_meta(s, "opening_total", "0"));
    if (recorded != total)
        out.push_back(fmt::format("opening balances sum to {} hours, but {} hours were recorded",
                                  format_hours(total), format_hours(recorded)));
}

void voids(Store& s, std::vector<std::string>& out) {
    SQLite::Statement q(s.db(),
                        "SELECT v.number, v.reverses, o.number, o.provider, o.recipient, o.minutes, "
                        "v.provider, v.recipient, v.minutes, o.reverses "
                        "FROM exchange v LEFT JOIN exchange o ON o.number = v.reverses WHERE v.reverses IS NOT NULL");
    while (q.executeStep()) {
        auto v = q.getColumn(0).getInt64();
        auto target = q.getColumn(1).getInt64();
        if (q.getColumn(2).isNull()) {
            out.push_back(fmt::format("exchange {}: voids exchange {}, which does not exist", v, target));
            continue;
        }
        if (q.getColumn(3).getString() != q.getColumn(7).getString() ||
            q.getColumn(4).getString() != q.getColumn(6).getString() ||
            q.getColumn(5).getInt64() != q.getColumn(8).getInt64())
            out.push_back(fmt::format("exchange {}: does not reverse exchange {} exactly", v, target));
        if (!q.getColumn(9).isNull())
            out.push_back(fmt::format("exchange {}: voids exchange {}, which is itself a void", v, target));
        if (target >= v) out.push_back(fmt::format("exchange {}: voids a later exchange {}", v, target));
    }
}

// A correction (tb-exchange amend) replaces an earlier exchange that is
// voided, and is an exchange, not a void.
void amendments(Store& s, std::vector<std::string>& out) {
    SQLite::Statement q(s.db(),
                        "SELECT a.number, a.amends, o.number, o.reverses, a.reverses, "
                        "(SELECT v.number FROM exchange v WHERE v.reverses = a.amends) "
                        "FROM exchange a LEFT JOIN exchange o ON o.number = a.amends WHERE a.amends IS NOT NULL");
    while (q.executeStep()) {
        auto a = q.getColumn(0).getInt64();
        auto target = q.getColumn(1).getInt64();
        if (q.getColumn(2).isNull()) {
            out.push_back(fmt::format("exchange {}: amends exchange {}, which does not exist", a, target));
            continue;
        }
        if (!q.getColumn(3).isNull())
            out.push_back(fmt::format("exchange {}: amends exchange {}, which is a void", a, target));
        if (!q.getColumn(4).isNull()) out.push_back(fmt::format("exchange {}: is a void and amends exchange {}", a, target));
        if (q.getColumn(5).isNull())
            out.push_back(fmt::format("exchange {}: amends exchange {}, which is not voided", a, target));
        if (target >= a) out.push_back(fmt::format("exchange {}: amends a later exchange {}", a, target));
    }
}

// `sums`: what the chains gave (the full check); none for the quick check.
void balances(Store& s, const LedgerSums* sums, std::vector<std::string>& out) {
    // Each member's kept balance must equal what the ledger says (the quick
    // check reads the kept balances only)...
    SQLite::Statement q(s.db(), sums ? "SELECT id, balance, opening FROM member ORDER BY id"
                                     : "SELECT id, balance, opening FROM member");
    Minutes sum = 0;
    while (q.executeStep()) {
        auto id = q.getColumn(0).getString();
        Minutes kept = q.getColumn(1).getInt64(), kept_opening = q.getColumn(2).getInt64();
        sum += kept - kept_opening;
        if (!sums) continue;
        Minutes ledger = sums->exchanges_of(id), opening = sums->opening_of(id);
        if (kept != ledger + opening || kept_opening != opening)
            out.push_back(fmt::format("member {}: balance is {} hours, but the ledger gives {}", id,
                                      format_hours(kept), format_hours(ledger + opening)));
    }
    // ...and, apart from opening balances, every hour earned is an hour spent.
    if (sum != 0)
        out.push_back(fmt::format("balances without opening balances sum to {} hours, not zero", format_hours(sum)));
}

// Every entry must follow the one before it: an entry edited outside tb no
// longer hashes to what is stored, one deleted leaves a gap in the numbers,
// and the newest removed leaves the stored head pointing past the end.
void audit_chain(Store& s, bool quick, std::vector<std::string>& out) {
    std::string prev = quick ? hash_before_newest(s, "audit", "id") : kGenesisHash;
    std::int64_t expect_id = 1, last = 0;
    if (quick) expect_id = s.db().execAndGet("SELECT coalesce(max(id), 1) FROM audit").getInt64();
    SQLite::Statement q(s.db(), std::string("SELECT id, at, who, command, target, fields, hash FROM audit ") +
                                    (quick ? "ORDER BY id DESC LIMIT 1" : "ORDER BY id"));
    while (q.executeStep()) {
        auto id = q.getColumn(0).getInt64();
        auto hash = q.getColumn(6).getString();
        bool gap = id != expect_id;
        if (gap)
            out.push_back(id == expect_id + 1
                              ? fmt::format("audit: entry {} was deleted outside tb", expect_id)
                              : fmt::format("audit: entries {} to {} were deleted outside tb", expect_id, id - 1));
        auto computed = sha256_hex(audit_chain_text(id, q.getColumn(1).getString(), q.getColumn(2).getString(),
                                                    q.getColumn(3).getString(), q.getColumn(4).getString(),
                                                    q.getColumn(5).getString(), prev));
        // After a gap the entry cannot be checked against the one before it.
        if (!gap && computed != hash)
            out.push_back(fmt::format("audit: entry {} was changed outside tb (hash chain broken)", id));
        prev = hash;
        expect_id = id + 1;
        last = id;
    }
    auto head = get_meta(s, "audit_head", kGenesisHash);
    if (head == prev) return;
    // Where the head stands, looked up only when it is not the last entry
    // (held in memory, the hashes of a long log would grow with it).
    SQLite::Statement at(s.db(), "SELECT id FROM audit WHERE hash = ? ORDER BY id LIMIT 1");
    at.bind(1, head);
    if (at.executeStep())
        out.push_back(fmt::format("audit: entries {} to {} were added outside tb (the chain head is entry {})",
                                  at.getColumn(0).getInt64() + 1, last, at.getColumn(0).getInt64()));
    else
        out.push_back(fmt::format("audit: the newest entries (after entry {}) were removed or replaced outside tb "
                                  "(chain head does not match)",
                                  last));
}

}  // namespace

std::vector<ChainHead> chain_heads(Store& s) {
    std::vector<ChainHead> heads;
    auto newest = [&](const char* chain, const char* sql) {
        ChainHead h{chain, 0, kGenesisHash};
        SQLite::Statement q(s.db(), sql);
        if (q.executeStep()) {
            h.number = q.getColumn(0).getInt64();
            h.hash = q.getColumn(1).getString();
        }
        heads.push_back(std::move(h));
    };
    newest("exchanges", "SELECT number, hash FROM exchange ORDER BY number DESC LIMIT 1");
    newest("openings", "SELECT number, hash FROM opening ORDER BY number DESC LIMIT 1");
    newest("audit", "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
    return heads;
}

std::string format_head(const ChainHead& h) { return fmt::format("{} {} {}", h.chain, h.number, h.hash); }

std::vector<ChainHead> parse_heads(const std::string& text) {
    // "CHAIN NUMBER HASH" anywhere in a line (tb check --head, the weekly
    // report in text, markdown or html), or the weekly report's json.
    static const std::regex line(R"((exchanges|openings|audit) ([0-9]+) ([0-9a-f]{64})\b)");
    static const std::regex json(
        R"re(\{"chain":"(exchanges|openings|audit)","number":([0-9]+),"hash":"([0-9a-f]{64})"\})re");
    std::vector<ChainHead> out;
    for (auto* re : {&line, &json}) {
        for (std::sregex_iterator it(text.begin(), text.end(), *re), end; it != end; ++it) {
            ChainHead h{(*it)[1].str(), 0, (*it)[3].str()};
            try {
                h.number = std::stoll((*it)[2].str());
            } catch (const std::exception&) {
                continue;
            }
            bool seen = false;
            for (auto& o : out) seen = seen || (o.chain == h.chain && o.number == h.number && o.hash == h.hash);
            if (!seen) out.push_back(std::move(h));
        }
    }
    return out;
}

std::vector<std::string> check_expected_heads(Store& s, const std::vector<ChainHead>& expected) {
    std::vector<std::string> out;
    for (auto& e : expected) {
        if (e.number == 0) continue;  // an empty chain is a prefix of every chain
        const char* sql = e.chain == "exchanges" ? "SELECT hash FROM exchange WHERE number = ?"
                          : e.chain == "openings" ? "SELECT hash FROM opening WHERE number = ?"
                                                  : "SELECT hash FROM audit WHERE id = ?";
        SQLite::Statement q(s.db(), sql);
        q.bind(1, static_cast<int64_t>(e.number));
        auto what = e.chain == "audit" ? std::string("entry") : e.chain == "openings" ? "opening balance" : "exchange";
        if (!q.executeStep())
            out.push_back(fmt::format("{}: the history published as head {} {} is no longer in the store: {} {} "
                                      "is gone (rewritten or cut short)",
                                      e.chain, e.number, e.hash, what, e.number));
        else if (q.getColumn(0).getString() != e.hash)
            out.push_back(fmt::format("{}: the history published as head {} {} is no longer a prefix of the "
                                      "store's: {} {} now has hash {} (rewritten)",
                                      e.chain, e.number, e.hash, what, e.number, q.getColumn(0).getString()));
    }
    return out;
}

std::vector<std::string> check_store(Store& s) {
    std::vector<std::string> out;
    size_for_whole_read(s);
    integrity(s, out);
    // Foreign keys are said after the integrity lines, as ever, but need
    // the members the chain's pass meets.
    auto foreign_keys_at = out.size();
    LedgerSums sums;
    TotalsCheck totals(s);
    exchange_chain(s, &sums, &totals, out);
    auto fk = foreign_keys(s, sums);
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(foreign_keys_at), fk.begin(), fk.end());
    opening_chain(s, &sums, out);
    audit_chain(s, false, out);
    voids(s, out);
    amendments(s, out);
    balances(s, &sums, out);
    // The monthly totals reports read must be what the ledger gives:
    // check_rollups, with the ledger's side read by the chain's pass.
    auto upto = check_rollups(s, true);
    out.insert(out.end(), upto.begin(), upto.end());
    auto differing = totals.differences(s, sums.members);
    out.insert(out.end(), differing.begin(), differing.end());
    return out;
}

std::vector<std::string> check_store_quick(Store& s) {
    std::vector<std::string> out;
    exchange_chain(s, nullptr, nullptr, out);
    opening_chain(s, nullptr, out);
    audit_chain(s, true, out);
    balances(s, nullptr, out);
    auto totals = check_rollups(s, true);
    out.insert(out.end(), totals.begin(), totals.end());
    return out;
}

}  // namespace tb::store
