#pragma once
// A hub file (hub.toml): the banks of a network, each with its store and
// config, for `tb hub report` and `tb hub reconcile`.
//
//   [[bank]]
//   name = "Newsome Timebank"          # the bank's [timebank] name
//   store = "newsome/timebank.db"      # relative to the hub file
//   config = "newsome/timebank.toml"   # optional
#include <string>
#include <vector>

namespace tb {

struct HubBank {
    std::string name;
    std::string store;   // resolved against the hub file's directory
    std::string config;  // likewise; empty: built-in defaults
};

struct HubFile {
    std::string path;
    std::vector<HubBank> banks;
};

// ConfigError (exit 2) naming the file, line and key for anything unknown,
// missing or of the wrong type; two banks of one name are an error too.
HubFile load_hub_file(const std::string& path);

}  // namespace tb
