#pragma once
// The audit log: who did what, when; never a personal value.
#include <string>
#include <vector>

#include "tb/store/store.hpp"

namespace tb::store {

// target: a member ID, "exchange N", "request N" or "store"; fields: names.
void audit(Store& s, const std::string& who, const std::string& command, const std::string& target,
           const std::vector<std::string>& fields = {});

}  // namespace tb::store
