#include "tb/store/network.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "tb/util/date.hpp"

namespace tb::store {

std::optional<std::int64_t> exchange_with_ref(Store& s, const std::string& ref) {
    SQLite::Statement q(s.db(), "SELECT number FROM exchange WHERE ref = ?");
    q.bind(1, ref);
    if (q.executeStep()) return q.getColumn(0).getInt64();
    return std::nullopt;
}

void insert_transfer(Store& s, const TransferRow& t) {
    SQLite::Statement q(s.db(), "INSERT INTO transfer (id, direction, bank, exchange, sha256, recorded_at) "
                                "VALUES (?, ?, ?, ?, ?, ?)");
    q.bind(1, t.id);
    q.bind(2, t.direction);
    q.bind(3, t.bank);
    q.bind(4, static_cast<int64_t>(t.exchange));
    q.bind(5, t.sha256);
    q.bind(6, t.recorded_at.empty() ? utc_timestamp_now() : t.recorded_at);
    q.exec();
}

namespace {

TransferRow transfer_from(SQLite::Statement& q) {
    TransferRow t;
    t.id = q.getColumn(0).getString();
    t.direction = q.getColumn(1).getString();
    t.bank = q.getColumn(2).getString();
    t.exchange = q.getColumn(3).getInt64();
    t.sha256 = q.getColumn(4).getString();
    t.recorded_at = q.getColumn(5).getString();
    return t;
}

constexpr const char* kTransferColumns = "SELECT id, direction, bank, exchange, sha256, recorded_at FROM transfer";

}  // namespace

std::optional<TransferRow> find_transfer(Store& s, const std::string& id) {
    SQLite::Statement q(s.db(), std::string(kTransferColumns) + " WHERE id = ?");
    q.bind(1, id);
    if (q.executeStep()) return transfer_from(q);
    return std::nullopt;
}

std::vector<TransferRow> all_transfers(Store& s) {
    SQLite::Statement q(s.db(), std::string(kTransferColumns) + " ORDER BY id");
    std::vector<TransferRow> out;
    while (q.executeStep()) out.push_back(transfer_from(q));
    return out;
}

PotTotals pot_totals(Store& s, Date from, Date to) {
    // A donation credits the pot (it is the provider), a grant debits it.
    SQLite::Statement q(s.db(),
                        "SELECT e.provider = 'pot', count(*), sum(e.minutes) FROM exchange e "
                        "WHERE e.date >= ?1 AND e.date <= ?2 AND e.reverses IS NULL "
                        "AND (e.provider = 'pot' OR e.recipient = 'pot') "
                        "AND e.number NOT IN (SELECT reverses FROM exchange WHERE reverses IS NOT NULL) GROUP BY 1");
    q.bind(1, to_string(from));
    q.bind(2, to_string(to));
    PotTotals t;
    while (q.executeStep()) {
        if (q.getColumn(0).getInt() == 1) {
            t.donations = q.getColumn(1).getInt64();
            t.donated = q.getColumn(2).getInt64();
        } else {
            t.grants = q.getColumn(1).getInt64();
            t.granted = q.getColumn(2).getInt64();
        }
    }
    return t;
}

}  // namespace tb::store
