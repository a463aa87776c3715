#pragma once
// The audit log: who did what, when; never a personal value. Hash-chained
// like the ledger (schema version 4): each entry carries the SHA-256 of its
// content and of the previous entry's hash, and the meta value `audit_head`
// the newest hash, so tb check finds an entry edited or deleted outside tb.
#include <string>
#include <vector>

#include "tb/store/store.hpp"

namespace tb::store {

// target: a member ID, "exchange N", "request N" or "store"; fields: names.
void audit(Store& s, const std::string& who, const std::string& command, const std::string& target,
           const std::vector<std::string>& fields = {});

// The text an audit entry's hash is taken of (tb check recomputes it;
// changing it breaks every stored chain).
std::string audit_chain_text(std::int64_t id, const std::string& at, const std::string& who,
                             const std::string& command, const std::string& target, const std::string& fields,
                             const std::string& prev_hash);

// Computes the hash of every entry, oldest first, and the head (the
// migration to version 4 chains the entries written before it).
void chain_audit_log(Store& s);

}  // namespace tb::store
