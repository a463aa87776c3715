#include "tb/core/hub_file.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <set>
#include <toml++/toml.h>

#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace fs = std::filesystem;

namespace tb {

namespace {

std::string where(const std::string& path, const toml::node& n) {
    return fmt::format("{}:{}", path, n.source().begin.line);
}

}  // namespace

HubFile load_hub_file(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw ConfigError(fmt::format("hub file {} does not exist", path));
    toml::table doc;
    try {
        doc = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw ConfigError(fmt::format("{}:{}: {}", path, e.source().begin.line, e.description()));
    }
    HubFile hub;
    hub.path = path;
    auto base = fs::path(path).parent_path();
    auto resolve = [&](const std::string& p) {
        if (p.empty() || fs::path(p).is_absolute()) return p;
        return (base / p).lexically_normal().string();
    };
    std::set<std::string> names;
    for (auto&& [k, v] : doc) {
        std::string key{k.str()};
        if (key != "bank" || !v.is_array_of_tables())
            throw ConfigError(fmt::format("{}: {}: unknown key (a hub file holds [[bank]] tables)", where(path, v), key));
        for (auto& entry : *v.as_array()) {
            auto& t = *entry.as_table();
            HubBank b;
            for (auto&& [bk, bv] : t) {
                std::string field{bk.str()};
                auto* s = bv.as_string();
                if (field != "name" && field != "store" && field != "config")
                    throw ConfigError(fmt::format("{}: bank.{}: unknown key (use name, store, config)", where(path, bv),
                                                  field));
                if (!s) throw ConfigError(fmt::format("{}: bank.{}: must be a string", where(path, bv), field));
                if (field == "name") b.name = std::string(text::trim(s->get()));
                else if (field == "store") b.store = resolve(s->get());
                else b.config = resolve(s->get());
            }
            if (b.name.empty()) throw ConfigError(fmt::format("{}: bank: name is required", where(path, entry)));
            if (b.store.empty())
                throw ConfigError(fmt::format("{}: bank {}: store is required", where(path, entry), b.name));
            if (!names.insert(text::lower(b.name)).second)
                throw ConfigError(fmt::format("{}: bank {}: two banks of one name", where(path, entry), b.name));
            hub.banks.push_back(std::move(b));
        }
    }
    if (hub.banks.empty()) throw ConfigError(fmt::format("{}: no [[bank]] in the hub file", path));
    return hub;
}

}  // namespace tb
