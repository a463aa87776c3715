#pragma once
// tb check: every problem found in a store, one line each.
#include <string>
#include <vector>

#include "tb/store/store.hpp"

namespace tb::store {

std::vector<std::string> check_store(Store& s);

}  // namespace tb::store
