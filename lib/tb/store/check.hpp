#pragma once
// tb check: every problem found in a store, one line each.
#include <cstdint>
#include <string>
#include <vector>

#include "tb/store/store.hpp"

namespace tb::store {

std::vector<std::string> check_store(Store& s);
// tb check --quick: what can be checked without reading the whole ledger,
// in time that does not grow with it: the newest entry of each hash chain
// against the entry before it and against the stored head (a tail cut off
// or a newest row edited), balances summing to zero apart from opening
// balances, the opening total, and the monthly totals being up to date.
// Problems are worded as check_store words them.
std::vector<std::string> check_store_quick(Store& s);

// The newest entry of each hash chain: `exchanges`, `openings` and `audit`,
// with its number (0 and the genesis hash when the chain is empty).
struct ChainHead {
    std::string chain;
    std::int64_t number = 0;
    std::string hash;
};
std::vector<ChainHead> chain_heads(Store& s);
// "exchanges 1042 <64 hex digits>": what tb check --head prints, one a line.
std::string format_head(const ChainHead& h);
// Every head in a text: lines in the form above (anywhere in the line, so
// a weekly report in text, markdown or html is read too) or the weekly
// report's json `chain_heads` objects.
std::vector<ChainHead> parse_heads(const std::string& text);
// A problem for each expected head whose entry is no longer in the store
// with that hash: the history it stood for is no longer a prefix of today's.
std::vector<std::string> check_expected_heads(Store& s, const std::vector<ChainHead>& expected);

}  // namespace tb::store
