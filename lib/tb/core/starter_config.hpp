#pragma once
#include <string>
#include <vector>

#include "tb/model/config.hpp"

namespace tb {

// A commented timebank.toml with every key at its default and the taxonomy.
std::string starter_config(const std::string& bank_name, const std::string& store_path,
                           const std::vector<Category>& taxonomy);

}  // namespace tb
