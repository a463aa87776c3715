#include "tb/store/audit.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "tb/store/ledger.hpp"
#include "tb/util/date.hpp"
#include "tb/util/sha256.hpp"
#include "tb/util/text.hpp"

namespace tb::store {

std::string audit_chain_text(std::int64_t id, const std::string& at, const std::string& who,
                             const std::string& command, const std::string& target, const std::string& fields,
                             const std::string& prev_hash) {
    return fmt::format("audit\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", prev_hash, id, at, who, command, target,
                       fields);
}

void audit(Store& s, const std::string& who, const std::string& command, const std::string& target,
           const std::vector<std::string>& fields) {
    // Numbered one after the newest entry, and chained to it.
    std::int64_t id = 1;
    std::string prev = kGenesisHash;
    {
        SQLite::Statement last(s.db(), "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
        if (last.executeStep()) {
            id = last.getColumn(0).getInt64() + 1;
            prev = last.getColumn(1).getString();
        }
    }
    auto at = utc_timestamp_now();
    auto joined = text::join(fields, ",");
    auto hash = sha256_hex(audit_chain_text(id, at, who, command, target, joined, prev));
    SQLite::Statement q(s.db(),
                        "INSERT INTO audit (id, at, who, command, target, fields, hash) VALUES (?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, static_cast<int64_t>(id));
    q.bind(2, at);
    q.bind(3, who);
    q.bind(4, command);
    q.bind(5, target);
    q.bind(6, joined);
    q.bind(7, hash);
    q.exec();
    set_meta(s, "audit_head", hash);
}

void chain_audit_log(Store& s) {
    std::string prev = kGenesisHash;
    std::vector<std::pair<std::int64_t, std::string>> hashes;
    {
        SQLite::Statement q(s.db(), "SELECT id, at, who, command, target, fields FROM audit ORDER BY id");
        while (q.executeStep()) {
            auto id = q.getColumn(0).getInt64();
            prev = sha256_hex(audit_chain_text(id, q.getColumn(1).getString(), q.getColumn(2).getString(),
                                               q.getColumn(3).getString(), q.getColumn(4).getString(),
                                               q.getColumn(5).getString(), prev));
            hashes.emplace_back(id, prev);
        }
    }
    SQLite::Statement u(s.db(), "UPDATE audit SET hash = ? WHERE id = ?");
    for (auto& [id, hash] : hashes) {
        u.bind(1, hash);
        u.bind(2, static_cast<int64_t>(id));
        u.exec();
        u.reset();
    }
    set_meta(s, "audit_head", prev);
}

}  // namespace tb::store
