#pragma once
// What the matcher reads and writes: candidates, the FTS5 skill index,
// exchanges between two members, blocks, proposals.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tb/model/model.hpp"
#include "tb/store/store.hpp"

namespace SQLite {
class Statement;
}

namespace tb::store {

// A member who might meet a request, with what the score and the hard rules
// need to know.
struct CandidateRow {
    std::string id, name;
    MemberStatus status = MemberStatus::active;
    std::string neighbourhood, postcode;
    Minutes balance = 0;
    std::optional<Date> last_exchange;
    int recent_provided = 0;  // exchanges given in the recent window, not voided
    int open_proposals = 0;   // proposals still pending on open requests
    std::vector<SafeguardingCheck> checks;  // filled by load_checks()
};

// Tunes this connection for the many reads of matching: a page cache that
// holds the member tables (16 MiB; no memory map, whose pages count in the
// RSS), temporary tables in memory.
// Changes nothing in the store.
void prepare_for_matching(Store& s);

// A read transaction: every query until it ends sees the same snapshot of
// the store, however others write meanwhile.
class ReadSnapshot {
public:
    explicit ReadSnapshot(Store& s);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    Store& store_;
};

// The distinct skills of member_skill (offered or wanted), sorted.
std::vector<std::string> offered_skills(Store& s);

struct Offer {
    std::string member, skill;
};
// Who offers each of `skills` (whatever their status), from an index alone.
std::vector<Offer> offers_of(Store& s, const std::vector<std::string>& skills);

// The active members among `ids` (in no particular order), with what the
// score needs; checks are left empty. recent_provided counts exchanges given
// with since < date <= today.
std::vector<CandidateRow> load_candidates(Store& s, const std::vector<std::string>& ids, Date since, Date today);
// The safeguarding checks of each of `ids` that holds any.
std::map<std::string, std::vector<SafeguardingCheck>> load_checks(Store& s, const std::vector<std::string>& ids);

// Words and their stems exactly as FTS5's 'porter unicode61' tokenizer
// sees them. `word` is the lower-cased text the token came from.
struct Token {
    std::string word;
    std::string stem;
};
std::vector<Token> porter_tokens(Store& s, const std::string& text);

// A temporary FTS5 table (tokenize = 'porter unicode61') of documents with
// two columns: a skill's own wording, and a vocabulary (the words of a
// category). Dropped when destroyed; it lives in the connection's temp
// schema, so read-only stores work and nothing is written to the store.
class SkillIndex {
public:
    struct Document {
        std::string skill;
        std::string vocabulary;
    };
    SkillIndex(Store& s, const std::vector<Document>& docs);
    ~SkillIndex();
    SkillIndex(const SkillIndex&) = delete;
    SkillIndex& operator=(const SkillIndex&) = delete;

    enum class Column { skill, vocabulary };
    // Indexes (into docs) of the documents whose column holds a word with
    // the same stem as `word`, ascending.
    std::vector<int> find(const std::string& word, Column c);

private:
    Store& store_;
    std::string table_;
    std::unique_ptr<SQLite::Statement> query_;
};

// Exchanges, not voided and not voids, between `member` and each partner.
std::map<std::string, int> exchange_partners(Store& s, const std::string& member);
// The members `member` must never be matched with.
std::set<std::string> blocked_partners(Store& s, const std::string& member);

// Proposals.
std::int64_t next_run_id(Store& s);
void insert_proposal(Store& s, std::int64_t run, std::int64_t request, const std::string& member, double score);
// request -> members of the proposals still pending on open requests. A
// proposal to a member who has since been deactivated or forgotten is not
// pending: nobody will answer it, so the request is assigned again.
std::map<std::int64_t, std::vector<std::string>> pending_proposals(Store& s);
// Open requests whose requester is inactive, forgotten or missing.
std::set<std::int64_t> requests_of_members_not_active(Store& s);
// Marks the request's pending proposals to `member` accepted; returns how many.
int accept_proposals(Store& s, std::int64_t request, const std::string& member);
// Marks the request's pending proposals declined (with `member`, only that
// member's); returns how many.
int decline_proposals(Store& s, std::int64_t request, const std::optional<std::string>& member);
// The members who declined a proposal of the request: never proposed for it again.
std::set<std::string> declined_members(Store& s, std::int64_t request);

}  // namespace tb::store
