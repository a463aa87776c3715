#include "tb/store/match_queries.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <atomic>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unordered_map>

#include "tb/store/rows.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::store {
namespace {

std::string json_array(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        out += '"';
        for (unsigned char c : items[i]) {
            if (c == '"' || c == '\\') {
                out += '\\';
                out += static_cast<char>(c);
            } else if (c < 0x20) {
                out += fmt::format("\\u{:04x}", c);
            } else {
                out += static_cast<char>(c);
            }
        }
        out += '"';
    }
    return out + "]";
}

// FTS5 phrase syntax: a string in double quotes, quotes doubled.
std::string fts_phrase(const std::string& word) {
    std::string out = "\"";
    for (char c : word) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

// The "not voided and not a void" condition on exchange e.
const char* kLiveExchange =
    "e.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM exchange v WHERE v.reverses = e.number)";

}  // namespace

void prepare_for_matching(Store& s) {
    auto& db = s.db();
    // KiB: an upper bound, allocated as pages are read. No memory map: its
    // pages count in the RSS (197 MB for a suggest in a 10M-exchange bank
    // with 64 MiB and a 256 MiB map; 30 MB with 16 MiB and none, and less
    // CPU: fewer fresh pages to fault in).
    db.exec("PRAGMA cache_size = -16384");
    // SQLite refuses to move temporary storage inside a transaction.
    if (sqlite3_get_autocommit(db.getHandle())) db.exec("PRAGMA temp_store = MEMORY");
}

ReadSnapshot::ReadSnapshot(Store& s) : store_(s) { s.db().exec("BEGIN DEFERRED"); }

ReadSnapshot::~ReadSnapshot() {
    try {
        store_.db().exec("COMMIT");
    } catch (...) {
        // A read transaction has nothing to lose.
    }
}

std::vector<std::string> offered_skills(Store& s) {
    // A skip scan of the skill index: one seek per distinct skill instead of
    // reading every member's skills. Wanted-only skills come too; no member
    // offers them, so they never match anyone.
    std::vector<std::string> out;
    SQLite::Statement q(s.db(),
                        "WITH RECURSIVE d(skill) AS ("
                        "SELECT min(skill) FROM member_skill UNION ALL "
                        "SELECT (SELECT min(skill) FROM member_skill WHERE skill > d.skill) FROM d "
                        "WHERE d.skill IS NOT NULL) "
                        "SELECT skill FROM d WHERE skill IS NOT NULL");
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

std::vector<Offer> offers_of(Store& s, const std::vector<std::string>& skills) {
    std::vector<Offer> out;
    if (skills.empty()) return out;
    SQLite::Statement q(s.db(),
                        "SELECT member, skill FROM member_skill WHERE direction = 'offers' "
                        "AND skill IN (SELECT value FROM json_each(?1))");
    q.bind(1, json_array(skills));
    while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString()});
    return out;
}

std::vector<CandidateRow> load_candidates(Store& s, const std::vector<std::string>& ids, Date since, Date today) {
    std::vector<CandidateRow> out;
    if (ids.empty()) return out;
    auto& db = s.db();
    out.reserve(ids.size());
    std::unordered_map<std::string, std::size_t> at;
    at.reserve(ids.size());
    {
        // One seek per ID (CROSS JOIN keeps the list the outer loop).
        SQLite::Statement q(db,
                            "SELECT m.id, m.name, m.status, coalesce(m.neighbourhood, ''), coalesce(m.postcode, ''), "
                            "m.balance, m.last_exchange FROM json_each(?1) j CROSS JOIN member m "
                            "ON m.id = j.value WHERE m.status = 'active'");
        q.bind(1, json_array(ids));
        while (q.executeStep()) {
            CandidateRow r;
            r.id = q.getColumn(0).getString();
            r.name = q.getColumn(1).getString();
            r.status = member_status_from_stored(q.getColumn(2).getString());
            r.neighbourhood = q.getColumn(3).getString();
            r.postcode = q.getColumn(4).getString();
            r.balance = q.getColumn(5).getInt64();
            r.last_exchange = rows::opt_date(q, 6);
            if (at.emplace(r.id, out.size()).second) out.push_back(std::move(r));
        }
    }
    // Counts come from whole-bank queries read once, kept for the candidates.
    auto each = [&](const char* sql, bool dated, auto&& fn) {
        SQLite::Statement q(db, sql);
        if (dated) {
            q.bind(1, to_string(since));
            q.bind(2, to_string(today));
        }
        while (q.executeStep()) {
            auto it = at.find(q.getColumn(0).getString());
            if (it != at.end()) fn(out[it->second], q);
        }
    };
    // Exchanges given in the window: each candidate's own range of the
    // provider index, counted from the index alone (a scan of every
    // exchange in the window read 1.5M entries in a national network)...
    {
        SQLite::Statement q(db, "SELECT count(*) FROM exchange WHERE provider = ?1 AND date > ?2 AND date <= ?3");
        q.bind(2, to_string(since));
        q.bind(3, to_string(today));
        for (auto& r : out) {
            q.reset();
            q.bind(1, r.id);
            if (q.executeStep()) r.recent_provided = q.getColumn(0).getInt();
        }
    }
    // ...less the voids among them and the voided exchanges, found from
    // the few voids (a void reverses its original's sides: its provider is
    // the original's recipient).
    each("SELECT v.provider FROM exchange v WHERE v.reverses IS NOT NULL AND +v.date > ?1 AND +v.date <= ?2", true,
         [](CandidateRow& r, SQLite::Statement&) { r.recent_provided -= 1; });
    each("SELECT e.provider FROM exchange v CROSS JOIN exchange e ON e.number = v.reverses "
         "WHERE v.reverses IS NOT NULL AND e.date > ?1 AND e.date <= ?2",
         true, [](CandidateRow& r, SQLite::Statement&) { r.recent_provided -= 1; });
    each("SELECT p.member, count(*) FROM proposal p JOIN request r ON r.number = p.request "
         "WHERE p.status = 'proposed' AND r.status = 'open' GROUP BY p.member",
         false, [](CandidateRow& r, SQLite::Statement& q) { r.open_proposals = q.getColumn(1).getInt(); });
    return out;
}

std::map<std::string, std::vector<SafeguardingCheck>> load_checks(Store& s, const std::vector<std::string>& ids) {
    std::map<std::string, std::vector<SafeguardingCheck>> out;
    if (ids.empty()) return out;
    SQLite::Statement q(s.db(),
                        "SELECT k.member, k.name, k.expires FROM json_each(?1) j "
                        "CROSS JOIN member_check k ON k.member = j.value");
    q.bind(1, json_array(ids));
    while (q.executeStep())
        out[q.getColumn(0).getString()].push_back(rows::check(q, 1));
    return out;
}

namespace {

fts5_api* fts5_of(sqlite3* db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (!api) throw SystemError("this SQLite library has no FTS5, which tb-match needs");
    return api;
}

struct TokenSink {
    const std::string* text;
    std::vector<Token>* out;
};

int on_token(void* ctx, int flags, const char* token, int n, int start, int end) {
    if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
    auto* sink = static_cast<TokenSink*>(ctx);
    auto word = text::lower(std::string_view(*sink->text).substr(static_cast<std::size_t>(start),
                                                                  static_cast<std::size_t>(end - start)));
    sink->out->push_back({std::move(word), std::string(token, static_cast<std::size_t>(n))});
    return SQLITE_OK;
}

}  // namespace

std::vector<Token> porter_tokens(Store& s, const std::string& text) {
    std::vector<Token> out;
    if (text.empty()) return out;
    fts5_api* api = fts5_of(s.db().getHandle());
    void* user = nullptr;
    fts5_tokenizer tok{};
    if (api->xFindTokenizer(api, "porter", &user, &tok) != SQLITE_OK)
        throw SystemError("FTS5's porter tokenizer is missing");
    const char* args[] = {"unicode61"};
    Fts5Tokenizer* t = nullptr;
    if (tok.xCreate(user, args, 1, &t) != SQLITE_OK) throw SystemError("cannot create FTS5's porter tokenizer");
    TokenSink sink{&text, &out};
    int rc = tok.xTokenize(t, &sink, FTS5_TOKENIZE_DOCUMENT, text.data(), static_cast<int>(text.size()), on_token);
    tok.xDelete(t);
    if (rc != SQLITE_OK) throw SystemError("FTS5 could not tokenize a request");
    return out;
}

SkillIndex::SkillIndex(Store& s, const std::vector<Document>& docs) : store_(s) {
    static std::atomic<int> counter{0};
    table_ = fmt::format("tb_match_skill_{}", ++counter);
    auto& db = s.db();
    db.exec(fmt::format("CREATE VIRTUAL TABLE temp.{} USING fts5(skill, vocabulary, tokenize = 'porter unicode61', "
                        "detail = column)",
                        table_));
    SQLite::Statement ins(db, fmt::format("INSERT INTO temp.{} (rowid, skill, vocabulary) VALUES (?, ?, ?)", table_));
    for (std::size_t i = 0; i < docs.size(); ++i) {
        ins.bind(1, static_cast<int64_t>(i));
        ins.bind(2, docs[i].skill);
        ins.bind(3, docs[i].vocabulary);
        ins.exec();
        ins.reset();
    }
    query_ = std::make_unique<SQLite::Statement>(
        db, fmt::format("SELECT rowid FROM temp.{0} WHERE {0} MATCH ? ORDER BY rowid", table_));
}

SkillIndex::~SkillIndex() {
    query_.reset();
    try {
        store_.db().exec(fmt::format("DROP TABLE IF EXISTS temp.{}", table_));
    } catch (...) {
        // Gone with the connection anyway.
    }
}

std::vector<int> SkillIndex::find(const std::string& word, Column c) {
    std::vector<int> out;
    auto& q = *query_;
    q.reset();
    q.bind(1, fmt::format("{} : {}", c == Column::skill ? "skill" : "vocabulary", fts_phrase(word)));
    while (q.executeStep()) out.push_back(q.getColumn(0).getInt());
    q.reset();
    return out;
}

std::map<std::string, int> exchange_partners(Store& s, const std::string& member) {
    std::map<std::string, int> out;
    SQLite::Statement q(s.db(), fmt::format("SELECT CASE WHEN e.provider = ?1 THEN e.recipient ELSE e.provider END, "
                                            "count(*) FROM exchange e WHERE (e.provider = ?1 OR e.recipient = ?1) "
                                            "AND {} GROUP BY 1",
                                            kLiveExchange));
    q.bind(1, member);
    while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getInt();
    return out;
}

std::set<std::string> blocked_partners(Store& s, const std::string& member) {
    std::set<std::string> out;
    SQLite::Statement q(s.db(), "SELECT CASE WHEN a = ?1 THEN b ELSE a END FROM block WHERE a = ?1 OR b = ?1");
    q.bind(1, member);
    while (q.executeStep()) out.insert(q.getColumn(0).getString());
    return out;
}

std::int64_t next_run_id(Store& s) {
    SQLite::Statement q(s.db(), "SELECT coalesce(max(run), 0) + 1 FROM proposal");
    q.executeStep();
    return q.getColumn(0).getInt64();
}

void insert_proposal(Store& s, std::int64_t run, std::int64_t request, const std::string& member, double score) {
    SQLite::Statement q(s.db(),
                        "INSERT INTO proposal (run, request, member, score, status, created_at) "
                        "VALUES (?, ?, ?, ?, 'proposed', ?)");
    q.bind(1, static_cast<int64_t>(run));
    q.bind(2, static_cast<int64_t>(request));
    q.bind(3, member);
    q.bind(4, score);
    q.bind(5, utc_timestamp_now());
    q.exec();
}

std::map<std::int64_t, std::vector<std::string>> pending_proposals(Store& s) {
    std::map<std::int64_t, std::vector<std::string>> out;
    SQLite::Statement q(s.db(),
                        "SELECT p.request, p.member FROM proposal p JOIN request r ON r.number = p.request "
                        "JOIN member m ON m.id = p.member "
                        "WHERE p.status = 'proposed' AND r.status = 'open' AND m.status = 'active' "
                        "ORDER BY p.request, p.id");
    while (q.executeStep()) out[q.getColumn(0).getInt64()].push_back(q.getColumn(1).getString());
    return out;
}

std::set<std::int64_t> requests_of_members_not_active(Store& s) {
    std::set<std::int64_t> out;
    SQLite::Statement q(s.db(),
                        "SELECT r.number FROM request r LEFT JOIN member m ON m.id = r.member "
                        "WHERE r.status = 'open' AND (m.id IS NULL OR m.status <> 'active')");
    while (q.executeStep()) out.insert(q.getColumn(0).getInt64());
    return out;
}

int accept_proposals(Store& s, std::int64_t request, const std::string& member) {
    SQLite::Statement q(s.db(),
                        "UPDATE proposal SET status = 'accepted' WHERE request = ? AND member = ? AND status = 'proposed'");
    q.bind(1, static_cast<int64_t>(request));
    q.bind(2, member);
    return q.exec();
}

int decline_proposals(Store& s, std::int64_t request, const std::optional<std::string>& member) {
    SQLite::Statement q(s.db(),
                        "UPDATE proposal SET status = 'declined' WHERE request = ?1 AND status = 'proposed' "
                        "AND (?2 IS NULL OR member = ?2)");
    q.bind(1, static_cast<int64_t>(request));
    if (member) q.bind(2, *member);
    else q.bind(2);
    return q.exec();
}

std::set<std::string> declined_members(Store& s, std::int64_t request) {
    std::set<std::string> out;
    SQLite::Statement q(s.db(), "SELECT member FROM proposal WHERE request = ? AND status = 'declined'");
    q.bind(1, static_cast<int64_t>(request));
    while (q.executeStep()) out.insert(q.getColumn(0).getString());
    return out;
}

}  // namespace tb::store
