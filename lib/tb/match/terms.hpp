#pragma once
// The terms a request is matched on: its words and its category's name,
// stemmed, without the little words every request has.
#include <string>
#include <vector>

namespace tb::match {

// A word as written (lower case) and its stem ("lifts" -> "lift").
struct Term {
    std::string word;
    std::string stem;
};

// Words that carry no meaning for matching ("a", "to", "help", "please").
bool is_stopword(const std::string& lower_word);

// The request's terms: its text's then its category's, stopwords and
// repeated stems dropped, in order of first appearance, at most kMaxTerms.
inline constexpr std::size_t kMaxTerms = 64;
std::vector<Term> request_terms(const std::vector<Term>& text_tokens, const std::vector<Term>& category_tokens);

}  // namespace tb::match
