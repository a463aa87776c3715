#include "tb/match/terms.hpp"

#include <algorithm>
#include <iterator>
#include <set>
#include <string_view>

namespace tb::match {

bool is_stopword(const std::string& w) {
    // Function words, the words of asking ("need", "help", "please") and of
    // dates and times, which name no skill: "computer help" must not match
    // "homework help", nor "on Tuesday" dilute "a lift to the hospital".
    static constexpr std::string_view kStop[] = {
        "a",      "about", "after",  "again",    "all",    "also",   "am",      "an",     "and",   "any",
        "are",    "as",    "at",     "be",       "been",   "before", "being",   "but",    "by",    "can",
        "could",  "d",     "did",    "do",       "does",   "doing",  "for",     "from",   "get",   "getting",
        "had",    "has",   "have",   "having",   "he",     "help",   "helping", "her",    "him",   "his",
        "how",    "i",     "if",     "in",       "into",   "is",     "it",      "its",    "just",  "like",
        "ll",     "m",     "me",     "my",       "need",   "needed", "needs",   "no",     "not",   "of",
        "on",     "or",    "our",    "out",      "please", "s",      "she",     "so",     "some",  "someone",
        "somebody", "t",   "than",   "that",     "the",    "their",  "them",    "they",   "this",  "to",
        "up",     "us",    "ve",     "very",     "want",   "wants",  "we",      "what",   "when",  "who",
        "will",   "with",  "would",  "you",      "your",   "re",     "may",     "might",  "must",  "should",
        // When, not what: a request's dates and times name no skill.
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend",
        "january", "february", "april", "june", "july", "august", "september", "october", "november",
        "december", "today", "tomorrow", "tonight", "morning", "afternoon", "evening", "week", "weekly",
        "next", "every", "day", "days", "hour", "hours", "soon", "asap", "urgent", "urgently", "possible"};
    return std::find(std::begin(kStop), std::end(kStop), std::string_view(w)) != std::end(kStop);
}

std::vector<Term> request_terms(const std::vector<Term>& text_tokens, const std::vector<Term>& category_tokens) {
    std::vector<Term> out;
    std::set<std::string> seen;
    for (auto* list : {&text_tokens, &category_tokens}) {
        for (auto& t : *list) {
            if (out.size() >= kMaxTerms) return out;
            if (t.stem.empty() || is_stopword(t.word)) continue;
            if (!seen.insert(t.stem).second) continue;
            out.push_back(t);
        }
    }
    return out;
}

}  // namespace tb::match
