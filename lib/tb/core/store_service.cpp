#include "tb/core/store_service.hpp"

#include <filesystem>
#include <fmt/format.h>

#include "tb/core/starter_config.hpp"
#include "tb/store/audit.hpp"
#include "tb/store/rollup.hpp"
#include "tb/util/atomic_file.hpp"
#include "tb/util/error.hpp"

namespace fs = std::filesystem;

namespace tb {

void init_store(const NewStore& n) {
    bool starter = !n.starter_out.empty();
    if (starter && store::store_exists(n.starter_out))
        throw SystemError(fmt::format("{} already exists; not overwriting it", n.starter_out));
    if (store::store_exists(n.path)) throw SystemError(fmt::format("a store already exists at {}", n.path));
    if (starter) {
        // Written first: a config that cannot be written must not leave a
        // store behind that makes the next `tb init` fail. The starter
        // points at the store about to be made, relative to itself.
        auto dir = fs::absolute(n.starter_out).parent_path();
        auto rel = fs::absolute(n.path).lexically_relative(dir);
        write_file_atomically(n.starter_out, starter_config(n.name, rel.string(), n.taxonomy), 0644);
    }
    try {
        // Built in a temporary file and linked into place: a killed init
        // leaves a whole store or nothing. The store remembers the
        // bank's config: the starter written beside it, else the one found.
        std::string remembered =
            starter ? fs::absolute(n.starter_out).lexically_normal().string() : n.config_identity;
        store::create_store(n.path, n.name, n.who, n.busy_timeout_ms, remembered);
    } catch (...) {
        if (starter) {
            std::error_code ec;
            fs::remove(n.starter_out, ec);
        }
        throw;
    }
}

void rebuild_totals(store::Store& s, const std::string& who) {
    store::WriteTransaction tx(s);
    store::rebuild_rollups(s);
    // Every kept figure rebuild_rollups computes again.
    store::audit(s, who, "tb check --rebuild-totals", "monthly totals",
                 {"trade_month", "member_month", "pair_month", "trade_day", "member_year", "pair_year", "group_month",
                  "member_org_month", "member.last_trade"});
    tx.commit();
}

void backup_store(store::Store& s, const std::string& dest) { store::backup_to(s, dest); }

std::string remembered_config_file(store::Store& s) { return store::get_meta(s, "config_file"); }

void remember_config_file(store::Store& s, const std::string& path) {
    if (path.empty()) return;
    auto remembered = remembered_config_file(s);
    std::error_code ec;
    if ((remembered.empty() || !fs::exists(remembered, ec)) && remembered != path)
        store::set_meta(s, "config_file", path);
}

bool discard_blank_store(std::unique_ptr<store::Store>& s, const std::string& path) {
    if (!s || !store::store_is_blank(*s)) return false;
    s.reset();
    store::remove_store_files(path);
    return true;
}

}  // namespace tb
