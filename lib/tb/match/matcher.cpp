#include "tb/match/matcher.hpp"

#include <algorithm>
#include <bit>
#include <fmt/format.h>

#include "tb/core/taxonomy.hpp"
#include "tb/match/assign.hpp"
#include "tb/store/members.hpp"
#include "tb/util/text.hpp"

namespace tb::match {
namespace {

// The index holds one document per offered skill (its wording) and one per
// category (its name, skills and keywords: the category's vocabulary). A
// term found in a category's vocabulary counts, at half weight, for every
// skill of that category: "hospital" finds a member who offers "lifts to
// appointments".
std::vector<store::SkillIndex::Document> index_documents(const std::vector<std::string>& skills,
                                                         const std::vector<Category>& taxonomy) {
    std::vector<store::SkillIndex::Document> docs;
    docs.reserve(skills.size() + taxonomy.size());
    for (auto& sk : skills) docs.push_back({sk, ""});
    for (auto& c : taxonomy) {
        std::vector<std::string> words = {c.name};
        words.insert(words.end(), c.skills.begin(), c.skills.end());
        words.insert(words.end(), c.keywords.begin(), c.keywords.end());
        docs.push_back({"", text::join(words, "; ")});
    }
    return docs;
}

// For each category, the skill documents of the skills it lists.
std::vector<std::vector<int>> category_skills(const std::vector<std::string>& skills,
                                              const std::vector<Category>& taxonomy) {
    std::unordered_map<std::string, std::vector<int>> docs_of;
    for (std::size_t i = 0; i < skills.size(); ++i) docs_of[text::fold_key(skills[i])].push_back(static_cast<int>(i));
    std::vector<std::vector<int>> out(taxonomy.size());
    for (std::size_t c = 0; c < taxonomy.size(); ++c) {
        for (auto& sk : taxonomy[c].skills)
            if (auto it = docs_of.find(text::fold_key(sk)); it != docs_of.end())
                out[c].insert(out[c].end(), it->second.begin(), it->second.end());
        std::sort(out[c].begin(), out[c].end());
        out[c].erase(std::unique(out[c].begin(), out[c].end()), out[c].end());
    }
    return out;
}

std::vector<std::string> words_of(const std::vector<Term>& terms, std::uint64_t mask) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < terms.size(); ++i)
        if (mask & (std::uint64_t{1} << i)) out.push_back(terms[i].word);
    return out;
}

std::string signed_hours(Minutes m) {
    return (m > 0 ? "+" : m < 0 ? "-" : "") + format_hours(m < 0 ? -m : m);
}

}  // namespace

std::string place_key(Place p) {
    switch (p) {
        case Place::same_neighbourhood: return "same_neighbourhood";
        case Place::same_district: return "same_district";
        default: return "elsewhere";
    }
}

ExplanationWords describe(const Explanation& e) {
    ExplanationWords w;
    std::vector<std::string> skill;
    if (!e.offers.empty()) skill.push_back("offers: " + text::join(e.offers, ", "));
    if (!e.category.empty()) skill.push_back("category: " + text::join(e.category, ", "));
    skill.push_back(fmt::format("of {} term{}", e.terms, e.terms == 1 ? "" : "s"));
    w.skill = text::join(skill, "; ");
    w.place = e.place == Place::same_neighbourhood ? "same neighbourhood"
              : e.place == Place::same_district    ? "same postcode district " + e.district
                                                   : "elsewhere";
    if (e.last_exchange)
        w.recency = fmt::format("last exchange {} ({})", *e.last_exchange,
                                e.days_since == 0   ? std::string("today")
                                : e.days_since == 1 ? std::string("yesterday")
                                                    : fmt::format("{} days ago", e.days_since));
    else
        w.recency = "no exchange yet";
    w.fairness = fmt::format("gave {} in {} days, {} open proposal{}, balance {}", e.gave, e.days, e.open_proposals,
                             e.open_proposals == 1 ? "" : "s", signed_hours(e.balance));
    w.history = e.earlier ? fmt::format("{} earlier exchange{}", e.earlier, e.earlier == 1 ? "" : "s")
                          : "no earlier exchange";
    return w;
}

int Exclusions::total() const {
    int n = 0;
    for (auto& [k, v] : count) n += v;
    return n;
}

Matcher::Matcher(store::Store& s, const Config& c, Date today) : store_(s), config_(c), today_(today) {
    store::prepare_for_matching(s);
    skills_ = store::offered_skills(s);
    for (std::size_t i = 0; i < skills_.size(); ++i) skill_doc_.emplace(skills_[i], static_cast<int>(i));
    index_ = std::make_unique<store::SkillIndex>(s, index_documents(skills_, c.categories));
    category_skills_ = category_skills(skills_, c.categories);
    mapped_.assign(skills_.size(), 0);
    skill_members_.resize(skills_.size());
}

Matcher::~Matcher() = default;

std::vector<Term> Matcher::terms_of(const std::string& text) {
    std::vector<Term> out;
    for (auto& t : store::porter_tokens(store_, text)) out.push_back({t.word, t.stem});
    return out;
}

const Matcher::Hits& Matcher::hits(const Term& t) {
    auto it = hits_.find(t.stem);
    if (it != hits_.end()) return it->second;
    Hits h;
    h.in_skill = index_->find(t.word, store::SkillIndex::Column::skill);
    const int nskills = static_cast<int>(skills_.size());
    for (int d : index_->find(t.word, store::SkillIndex::Column::vocabulary)) {
        if (d < nskills) continue;
        auto& of = category_skills_[static_cast<std::size_t>(d - nskills)];
        h.in_vocabulary.insert(h.in_vocabulary.end(), of.begin(), of.end());
    }
    std::sort(h.in_vocabulary.begin(), h.in_vocabulary.end());
    h.in_vocabulary.erase(std::unique(h.in_vocabulary.begin(), h.in_vocabulary.end()), h.in_vocabulary.end());
    return hits_.emplace(t.stem, std::move(h)).first->second;
}

void Matcher::map_skills(const std::vector<int>& docs) {
    std::vector<std::string> wanted;
    for (int d : docs) {
        auto i = static_cast<std::size_t>(d);
        if (mapped_[i]) continue;
        mapped_[i] = 1;
        wanted.push_back(skills_[i]);
    }
    for (auto& o : store::offers_of(store_, wanted)) {
        auto [it, added] = slot_of_.emplace(o.member, static_cast<int>(member_ids_.size()));
        if (added) {
            member_ids_.push_back(o.member);
            row_of_.push_back(kNotLoaded);
        }
        skill_members_[static_cast<std::size_t>(skill_doc_.at(o.skill))].push_back(it->second);
    }
}

void Matcher::load_members(const std::vector<int>& slots) {
    std::vector<std::string> ids;
    for (int m : slots)
        if (row_of_[static_cast<std::size_t>(m)] == kNotLoaded) ids.push_back(member_ids_[static_cast<std::size_t>(m)]);
    if (ids.empty()) return;
    int window = std::max(config_.inactive_days, 1);
    auto rows = store::load_candidates(store_, ids, today_ - window, today_);
    for (auto& row : rows) {
        row_of_[static_cast<std::size_t>(slot_of_.at(row.id))] = static_cast<int>(candidates_.size());
        places_.push_back(Locality::of(row.neighbourhood, row.postcode));
        checks_loaded_.push_back(0);
        candidates_.push_back(std::move(row));
    }
    for (int m : slots)
        if (row_of_[static_cast<std::size_t>(m)] == kNotLoaded) row_of_[static_cast<std::size_t>(m)] = kNotActive;
}

void Matcher::load_checks(const std::vector<int>& rows) {
    std::vector<std::string> ids;
    for (int r : rows)
        if (!checks_loaded_[static_cast<std::size_t>(r)]) ids.push_back(candidates_[static_cast<std::size_t>(r)].id);
    if (ids.empty()) return;
    auto checks = store::load_checks(store_, ids);
    for (int r : rows) {
        auto& c = candidates_[static_cast<std::size_t>(r)];
        if (checks_loaded_[static_cast<std::size_t>(r)]) continue;
        if (auto it = checks.find(c.id); it != checks.end()) c.checks = std::move(it->second);
        // A check stored before its spelling became an alias counts under its name.
        for (auto& k : c.checks) k.name = match_check(config_, k.name).value_or(k.name);
        checks_loaded_[static_cast<std::size_t>(r)] = 1;
    }
}

const Matcher::Requester& Matcher::requester(const std::string& id) {
    auto it = requesters_.find(id);
    if (it != requesters_.end()) return it->second;
    Requester r;
    if (auto m = store::find_member(store_, id)) r.place = Locality::of(m->neighbourhood, m->postcode);
    r.blocked = store::blocked_partners(store_, id);
    r.partners = store::exchange_partners(store_, id);
    return requesters_.emplace(id, std::move(r)).first->second;
}

// Safeguarding fails safe: the categories whose vocabulary (name, skills,
// keywords) a word of the text is found in, whatever the request's category.
// Every word of the text counts, not only the first kMaxTerms.
std::vector<std::size_t> Matcher::categories_named(const std::string& text) {
    std::vector<std::size_t> named;
    const int nskills = static_cast<int>(skills_.size());
    for (auto& t : terms_of(text)) {
        if (is_stopword(t.word)) continue;
        for (int d : index_->find(t.word, store::SkillIndex::Column::vocabulary))
            if (d >= nskills) named.push_back(static_cast<std::size_t>(d - nskills));
    }
    std::sort(named.begin(), named.end());
    named.erase(std::unique(named.begin(), named.end()), named.end());
    return named;
}

// Which terms each skill document holds, in its wording and in its category
// vocabulary, as bit masks over terms_; then each member's (masks_). Returns
// the members with any match, by slot.
std::vector<int> Matcher::match_members() {
    std::unordered_map<int, std::pair<std::uint64_t, std::uint64_t>> doc_masks;
    for (std::size_t i = 0; i < terms_.size(); ++i) {
        auto bit = std::uint64_t{1} << i;
        auto& h = hits(terms_[i]);
        for (int d : h.in_skill) doc_masks[d].first |= bit;
        for (int d : h.in_vocabulary) doc_masks[d].second |= bit;
    }
    std::vector<int> docs;
    for (auto& [d, m] : doc_masks) docs.push_back(d);
    std::sort(docs.begin(), docs.end());
    map_skills(docs);
    for (int d : docs) {
        auto& dm = doc_masks[d];
        for (int m : skill_members_[static_cast<std::size_t>(d)]) {
            auto& mm = masks_[m];
            mm.first |= dm.first;
            mm.second |= dm.second;
        }
    }
    std::vector<int> slots;
    slots.reserve(masks_.size());
    for (auto& [m, masks] : masks_) slots.push_back(m);
    return slots;
}

// Checks are read only for requests whose category requires one.
void Matcher::load_checks_of(const std::vector<int>& slots) {
    std::vector<int> rows;
    for (int m : slots)
        if (row_of_[static_cast<std::size_t>(m)] >= 0) rows.push_back(row_of_[static_cast<std::size_t>(m)]);
    load_checks(rows);
}

Ranked Matcher::score(int slot, int row, const Requester& who) {
    const auto& c = candidates_[static_cast<std::size_t>(row)];
    auto masks = masks_[slot];
    std::uint64_t own = masks.first, category_only = masks.second & ~masks.first;
    Ranked r;
    r.candidate = row;
    r.member = slot;
    auto& p = r.parts;
    p.skill = skill_part(static_cast<int>(terms_.size()), std::popcount(own), std::popcount(category_only));
    p.place = place_part(place_of(who.place, places_[static_cast<std::size_t>(row)]));
    p.recency = recency_part(c.last_exchange, today_, config_.inactive_days);
    p.fairness = fairness_part({c.recent_provided, c.open_proposals, c.balance}, config_.fairness_owed_first);
    auto earlier = who.partners.find(c.id);
    p.history = history_part(earlier == who.partners.end() ? 0 : earlier->second);
    for (double* x : {&p.skill, &p.place, &p.recency, &p.fairness, &p.history}) *x = round_part(*x);
    r.micros = score_micros(p, config_.weights);
    return r;
}

// Best first, equal scores in member ID order; at most `limit`.
void Matcher::keep_best(std::vector<Ranked>& out, std::size_t limit) const {
    auto better = [this](const Ranked& a, const Ranked& b) {
        if (a.micros != b.micros) return a.micros > b.micros;
        return candidates_[static_cast<std::size_t>(a.candidate)].id <
               candidates_[static_cast<std::size_t>(b.candidate)].id;
    };
    if (limit < out.size()) {
        std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(limit), out.end(), better);
        out.resize(limit);
        return;
    }
    std::sort(out.begin(), out.end(), better);
}

std::vector<Ranked> Matcher::rank(const Request& req, std::size_t limit) {
    excluded_ = {};
    masks_.clear();
    terms_ = request_terms(terms_of(req.text), terms_of(req.category));
    std::vector<Ranked> out;
    if (terms_.empty() || limit == 0) return out;

    auto slots = match_members();
    load_members(slots);
    const auto& who = requester(req.member);
    const auto declined = store::declined_members(store_, req.number);
    const auto required = required_checks(config_, req.category, categories_named(req.text));
    if (!required.empty()) load_checks_of(slots);
    out.reserve(slots.size());
    for (int m : slots) {
        int row = row_of_[static_cast<std::size_t>(m)];
        if (row < 0) continue;  // not active: never loaded
        const auto& c = candidates_[static_cast<std::size_t>(row)];
        if (auto why = hard_rule(c, req.member, required, who.blocked, declined, today_)) {
            excluded_.count[*why] += 1;
            continue;
        }
        out.push_back(score(m, row, who));
    }
    keep_best(out, limit);
    return out;
}

std::vector<Suggestion> Matcher::suggest(const Request& req, bool explain, std::size_t limit) {
    auto ranked = rank(req, limit);
    std::vector<Suggestion> out;
    out.reserve(ranked.size());
    const auto& who = requester(req.member);
    const int nterms = static_cast<int>(terms_.size());
    for (auto& r : ranked) {
        const auto& c = candidates_[static_cast<std::size_t>(r.candidate)];
        Suggestion s;
        s.member = c.id;
        s.name = c.name;
        s.parts = r.parts;
        s.micros = r.micros;
        s.open_proposals = c.open_proposals;
        if (explain) {
            auto masks = masks_[r.member];
            std::uint64_t own = masks.first, category_only = masks.second & ~masks.first;
            auto& e = s.why;
            e.offers = words_of(terms_, own);
            e.category = words_of(terms_, category_only);
            e.terms = nterms;
            e.place = place_of(who.place, places_[static_cast<std::size_t>(r.candidate)]);
            if (e.place == Place::same_district) e.district = places_[static_cast<std::size_t>(r.candidate)].district;
            e.last_exchange = c.last_exchange;
            if (c.last_exchange) e.days_since = today_ - *c.last_exchange;
            e.gave = c.recent_provided;
            e.days = config_.inactive_days;
            e.open_proposals = c.open_proposals;
            e.balance = c.balance;
            if (auto p = who.partners.find(c.id); p != who.partners.end()) e.earlier = p->second;
        }
        out.push_back(std::move(s));
    }
    return out;
}

RunPlan plan_run(store::Store& s, const Config& c, Date today, const std::vector<Request>& open_requests) {
    RunPlan plan;
    auto pending = store::pending_proposals(s);
    // A member who has left cannot be helped: their requests wait until
    // they are reactivated or the request is closed.
    auto not_active = store::requests_of_members_not_active(s);
    std::vector<const Request*> requests;
    for (auto& r : open_requests) {
        if (!r.open) continue;
        if (not_active.count(r.number)) plan.not_active.push_back(r.number);
        else if (pending.count(r.number)) plan.skipped.push_back(r.number);
        else requests.push_back(&r);
    }
    const auto R = static_cast<std::int64_t>(requests.size());

    Matcher matcher(s, c, today);
    // Per request, its best candidates until their room covers every request
    // (see prune()): the lists stay short however many members match.
    std::vector<std::vector<std::pair<int, std::int64_t>>> lists;  // (candidate, micros)
    std::vector<int> used;                                          // candidates in any list
    std::vector<char> seen;
    for (auto* r : requests) {
        std::vector<std::pair<int, std::int64_t>> keep;
        std::int64_t room = 0;
        for (auto& rk : matcher.rank(*r)) {
            int cap = std::max(0, c.max_open_per_member - matcher.candidate(rk.candidate).open_proposals);
            if (cap <= 0) continue;
            if (static_cast<std::size_t>(rk.candidate) >= seen.size()) seen.resize(rk.candidate + 1, 0);
            if (!seen[static_cast<std::size_t>(rk.candidate)]) {
                seen[static_cast<std::size_t>(rk.candidate)] = 1;
                used.push_back(rk.candidate);
            }
            keep.emplace_back(rk.candidate, rk.micros);
            room += cap;
            if (room >= R) break;
        }
        lists.push_back(std::move(keep));
    }
    // Members indexed in ID order, so that equal totals favour lower IDs.
    std::sort(used.begin(), used.end(),
              [&](int a, int b) { return matcher.candidate(a).id < matcher.candidate(b).id; });
    std::vector<int> index_of(seen.size(), -1);
    AssignmentProblem p;
    p.requests = static_cast<int>(R);
    for (std::size_t i = 0; i < used.size(); ++i) {
        index_of[static_cast<std::size_t>(used[i])] = static_cast<int>(i);
        p.capacity.push_back(std::max(0, c.max_open_per_member - matcher.candidate(used[i]).open_proposals));
    }
    for (std::size_t r = 0; r < lists.size(); ++r)
        for (auto& [cand, micros] : lists[r])
            p.arcs.push_back({static_cast<int>(r), index_of[static_cast<std::size_t>(cand)], micros});
    auto result = assign_optimal(p);

    for (std::size_t r = 0; r < requests.size(); ++r) {
        int m = result.member_of[r];
        if (m < 0) {
            plan.unmatched.push_back(requests[r]->number);
            continue;
        }
        int cand = used[static_cast<std::size_t>(m)];
        PlannedProposal pp;
        pp.request = requests[r]->number;
        pp.requester = requests[r]->member;
        pp.category = requests[r]->category;
        pp.member = matcher.candidate(cand).id;
        pp.name = matcher.candidate(cand).name;
        for (auto& [x, micros] : lists[r])
            if (x == cand) pp.micros = micros;
        plan.total_micros += pp.micros;
        plan.proposals.push_back(std::move(pp));
    }
    return plan;
}

}  // namespace tb::match
