#pragma once
// Operations on the store as a whole: tb init, tb backup, tb check
// --rebuild-totals, the config a store remembers, and what a failed command
// leaves behind.
#include <memory>
#include <string>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/store/store.hpp"

namespace tb {

// tb init: a new store at `path` for the bank `name`, its creation audited
// as done by `who`. With `starter_out`, a commented starter timebank.toml
// (the `taxonomy`, the store's path relative to it) is written there first,
// remembered as the bank's config, and removed again when the store cannot
// be made; without it `config_identity` (the config in use) is remembered.
// SystemError (1) when the store or the starter file already exists: a
// killed or refused init leaves a whole store or nothing.
struct NewStore {
    std::string path, name, who;
    int busy_timeout_ms = 0;
    std::string config_identity;
    std::string starter_out;
    std::vector<Category> taxonomy;
};
void init_store(const NewStore& n);

// Computes the kept monthly totals (trade_month, member_month) again from
// the ledger, in one transaction, and audits it. Derived figures only: the
// ledger and its hash chain are not touched.
void rebuild_totals(store::Store& s, const std::string& who);

// tb backup: a consistent copy of the store at `dest` (store::backup_to).
void backup_store(store::Store& s, const std::string& dest);

// The config file a store was set up with (meta config_file), "" if none.
std::string remembered_config_file(store::Store& s);
// After a command wrote to the store using the config file `path` (absolute;
// "" when it found none): the first config a store is written with is the
// one it remembers; another replaces it only once that file is gone.
void remember_config_file(store::Store& s, const std::string& path);

// A store that a failed command created: when it is still blank (nothing
// but its schema), closes it (`s` is reset) and removes its files; returns
// whether it did. One that holds anything is left alone.
bool discard_blank_store(std::unique_ptr<store::Store>& s, const std::string& path);

}  // namespace tb
