#pragma once
// The matching engine: who could meet a request and how well (suggest), and
// the optimal assignment of every open request at once (run).
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/model/model.hpp"
#include "tb/match/rules.hpp"
#include "tb/match/score.hpp"
#include "tb/match/terms.hpp"
#include "tb/store/match_queries.hpp"

namespace tb::match {

// Why each part has its value: the facts behind it, which a coordinator can
// check (describe() puts them in words).
struct Explanation {
    std::vector<std::string> offers;    // the request's terms the member's own skills match
    std::vector<std::string> category;  // terms matched only through the category's skills
    int terms = 0;                      // how many terms the request was matched on
    Place place = Place::elsewhere;
    std::string district;               // same_district: the postcode district shared
    std::optional<Date> last_exchange;  // the member's latest exchange
    int days_since = 0;                 // days from it to today
    int gave = 0;                       // exchanges the member gave in the last `days` days
    int days = 0;                       // [report] inactive_days
    int open_proposals = 0;
    Minutes balance = 0;
    int earlier = 0;                    // earlier exchanges with the requester
};
// Each part of an Explanation in words, as the table and csv show them.
struct ExplanationWords {
    std::string skill, place, recency, fairness, history;
};
ExplanationWords describe(const Explanation& e);
// "same_neighbourhood", "same_district" or "elsewhere".
std::string place_key(Place p);

struct Suggestion {
    std::string member, name;
    ScoreParts parts;
    std::int64_t micros = 0;  // Σ weight · part in millionths
    int open_proposals = 0;
    Explanation why;
    double score() const { return micros_to_score(micros); }
};

// How many members each hard rule kept out of the last suggestion list
// (only members with some skill match are counted).
struct Exclusions {
    std::map<Exclusion, int> count;
    int total() const;
};

// A candidate's place in a ranking, before names and explanations.
struct Ranked {
    int candidate = 0;  // Matcher::candidate(i)
    int member = 0;     // the member's slot (internal)
    std::int64_t micros = 0;
    ScoreParts parts;
};

class Matcher {
public:
    Matcher(store::Store& s, const Config& c, Date today);
    ~Matcher();
    Matcher(const Matcher&) = delete;
    Matcher& operator=(const Matcher&) = delete;

    static constexpr std::size_t kAll = static_cast<std::size_t>(-1);
    // The best `limit` members who could meet the request, best first;
    // equal scores in member ID order. Members without any skill match are
    // left out. With explain, each says why its parts have their values.
    std::vector<Suggestion> suggest(const Request& r, bool explain = false, std::size_t limit = kAll);
    // The same ranking without names or explanations (their slots stay
    // valid for candidate() while the Matcher lives).
    std::vector<Ranked> rank(const Request& r, std::size_t limit = kAll);
    const store::CandidateRow& candidate(int i) const { return candidates_[static_cast<std::size_t>(i)]; }
    // How many members the hard rules kept out of the last ranking.
    const Exclusions& last_exclusions() const { return excluded_; }
    // The terms the last request was matched on.
    const std::vector<Term>& last_terms() const { return terms_; }

private:
    struct Requester {
        Locality place;
        std::set<std::string> blocked;
        std::map<std::string, int> partners;
    };
    struct Hits {
        std::vector<int> in_skill, in_vocabulary;
    };
    static constexpr int kNotLoaded = -1, kNotActive = -2;
    const Requester& requester(const std::string& id);
    const Hits& hits(const Term& t);
    std::vector<Term> terms_of(const std::string& text);
    std::vector<std::size_t> categories_named(const std::string& text);
    void map_skills(const std::vector<int>& docs);
    void load_members(const std::vector<int>& slots);
    void load_checks(const std::vector<int>& rows);
    // The steps of rank(): members matching the terms, their checks, each
    // one's score, the best of them.
    std::vector<int> match_members();
    void load_checks_of(const std::vector<int>& slots);
    Ranked score(int slot, int row, const Requester& who);
    void keep_best(std::vector<Ranked>& out, std::size_t limit) const;

    store::Store& store_;
    const Config& config_;
    Date today_;
    // Skill documents of the FTS5 index, and who offers each (member slots).
    std::vector<std::string> skills_;
    std::unordered_map<std::string, int> skill_doc_;
    std::unique_ptr<store::SkillIndex> index_;
    std::vector<std::vector<int>> category_skills_;  // per category: its skill documents
    std::vector<char> mapped_;
    std::vector<std::vector<int>> skill_members_;
    // Members by slot; their candidate rows are loaded only when needed.
    std::vector<std::string> member_ids_;
    std::unordered_map<std::string, int> slot_of_;
    std::vector<int> row_of_;  // slot -> candidates_ index, kNotLoaded or kNotActive
    std::vector<store::CandidateRow> candidates_;
    std::vector<Locality> places_;    // per candidate
    std::vector<char> checks_loaded_;  // per candidate
    std::map<std::string, Requester> requesters_;
    std::map<std::string, Hits> hits_;
    Exclusions excluded_;
    std::vector<Term> terms_;
    // Per member slot of the last request: terms in offers / in category.
    std::unordered_map<int, std::pair<std::uint64_t, std::uint64_t>> masks_;
};

struct PlannedProposal {
    std::int64_t request = 0;
    std::string requester, category, member, name;
    std::int64_t micros = 0;
    double score() const { return micros_to_score(micros); }
};

struct RunPlan {
    std::vector<PlannedProposal> proposals;  // in request order
    std::vector<std::int64_t> unmatched;     // requests no member can take
    std::vector<std::int64_t> skipped;       // requests with a proposal pending
    std::vector<std::int64_t> not_active;    // requests whose requester is inactive or forgotten
    std::int64_t total_micros = 0;
};

// The optimal assignment of the open requests: the most requests served,
// then the largest total score, each member taking at most
// [match] max_open_per_member minus their pending proposals.
RunPlan plan_run(store::Store& s, const Config& c, Date today, const std::vector<Request>& open_requests);

}  // namespace tb::match
