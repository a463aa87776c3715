#include "tb/store/import_stage.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "tb/store/ledger_rows.hpp"

namespace tb::store {

struct ExchangeStage::Impl {
    Store& store;
    std::unique_ptr<SQLite::Statement> insert;
    // Whether the rows arrived in date order (most exports do): then they
    // are read back in file order, without sorting the whole file again.
    bool in_date_order = true;
    Date last_date;
    bool any = false;
    // The fingerprint index, built once (by sorting) when first needed:
    // a load into an empty ledger never needs it, and a million random
    // inserts into it cost more than the rows themselves.
    bool indexed = false;
    void index_fingerprints() {
        if (indexed) return;
        store.db().exec("CREATE INDEX temp.import_row_fingerprint ON import_row (fingerprint)");
        indexed = true;
    }
    explicit Impl(Store& s) : store(s) {
        s.db().exec("DROP TABLE IF EXISTS temp.import_row");
        s.db().exec(
            "CREATE TEMP TABLE import_row (line INTEGER PRIMARY KEY, date TEXT, provider TEXT, recipient TEXT, "
            "minutes INTEGER, category TEXT, note TEXT, ref TEXT, number INTEGER, reverses INTEGER, fingerprint TEXT, "
            "recorded_at TEXT, recorded_by TEXT, provider_slot INTEGER, recipient_slot INTEGER)");
        insert = std::make_unique<SQLite::Statement>(
            s.db(), "INSERT INTO temp.import_row VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }
};

ExchangeStage::ExchangeStage(Store& s) : impl_(std::make_unique<Impl>(s)) {}

// The staged rows are not dropped: dropping a million of them reads every
// page of the temporary file back (0.6 s of a 1M import), and the file goes
// with the connection anyway (SQLite unlinks it as soon as it is made). The
// next stage on the same connection starts by dropping them.
ExchangeStage::~ExchangeStage() = default;

void ExchangeStage::add(const StagedExchange& e) {
    auto& I = *impl_;
    if (I.any && e.date < I.last_date) I.in_date_order = false;
    I.any = true;
    I.last_date = e.date;
    auto& q = *I.insert;
    auto date = to_string(e.date);
    q.reset();
    q.bind(1, static_cast<int64_t>(e.line));
    bind_exchange_fields(q, date, e);
    bind_optional(q, 9, e.number);
    bind_optional(q, 10, e.reverses);
    q.bind(11, e.fingerprint);
    q.bind(12, e.recorded_at);
    q.bind(13, e.recorded_by);
    q.bind(14, e.provider_slot);
    q.bind(15, e.recipient_slot);
    q.exec();
}

std::vector<std::pair<std::int64_t, std::int64_t>> ExchangeStage::duplicate_refs() {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    SQLite::Statement q(impl_->store.db(),
                        "SELECT r.line, f.first FROM temp.import_row r JOIN "
                        "(SELECT ref, min(line) AS first FROM temp.import_row WHERE ref IS NOT NULL "
                        "GROUP BY ref HAVING count(*) > 1) f ON f.ref = r.ref WHERE r.line <> f.first ORDER BY r.line");
    while (q.executeStep()) out.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
    return out;
}

std::vector<std::int64_t> ExchangeStage::reverse_targets() {
    std::vector<std::int64_t> out;
    SQLite::Statement q(impl_->store.db(),
                        "SELECT DISTINCT reverses FROM temp.import_row WHERE reverses IS NOT NULL ORDER BY 1");
    while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
    return out;
}

void ExchangeStage::for_each(std::int64_t max_number, const std::function<void(const StagedExchange&)>& fn) {
    bool store_empty = max_number == 0;
    // Built before the rows are read: has_fingerprint() is asked while they are.
    if (!store_empty) impl_->index_fingerprints();
    // With an empty ledger no fingerprint can exist yet: nothing is looked up
    // and the copies of a fingerprint need no numbering (a window function
    // that sorts the whole file by fingerprint).
    std::string sql =
        "SELECT line, date, provider, recipient, minutes, category, note, coalesce(ref, ''), number, reverses, "
        "fingerprint, recorded_at, recorded_by, provider_slot, recipient_slot, ";
    sql += store_empty ? "0, 0"
                       : "row_number() OVER (PARTITION BY fingerprint, reverses IS NULL ORDER BY line), "
                         "(SELECT count(*) FROM main.exchange e WHERE e.fingerprint = r.fingerprint "
                         "AND e.reverses IS NULL AND e.number <= :max)";
    sql += impl_->in_date_order ? " FROM temp.import_row r ORDER BY line" : " FROM temp.import_row r ORDER BY date, line";
    SQLite::Statement q(impl_->store.db(), sql);
    if (!store_empty) q.bind(":max", static_cast<int64_t>(max_number));
    StagedExchange e;
    while (q.executeStep()) {
        e.line = q.getColumn(0).getInt64();
        read_exchange_fields(q, e);
        e.ref = q.getColumn(7).getString();
        e.number = optional_int(q, 8);
        e.reverses = optional_int(q, 9);
        e.fingerprint = q.getColumn(10).getString();
        e.recorded_at = q.getColumn(11).getString();
        e.recorded_by = q.getColumn(12).getString();
        e.provider_slot = q.getColumn(13).getInt();
        e.recipient_slot = q.getColumn(14).getInt();
        e.nth = q.getColumn(15).getInt64();
        e.existing = q.getColumn(16).getInt64();
        fn(e);
    }
}

bool ExchangeStage::has_fingerprint(const std::string& fingerprint) {
    impl_->index_fingerprints();
    SQLite::Statement q(impl_->store.db(), "SELECT 1 FROM temp.import_row WHERE fingerprint = ? LIMIT 1");
    q.bind(1, fingerprint);
    return q.executeStep();
}

std::vector<Exchange> same_day_exchanges(Store& s, Date date, const std::string& provider,
                                         const std::string& recipient, std::int64_t max_number) {
    SQLite::Statement q(s.db(),
                        "SELECT e.number, e.minutes, e.category, e.note, e.fingerprint FROM exchange e "
                        "WHERE e.provider = ? AND e.recipient = ? AND e.date = ? AND e.reverses IS NULL "
                        "AND e.number <= ? AND NOT EXISTS (SELECT 1 FROM exchange v WHERE v.reverses = e.number) "
                        "ORDER BY e.number");
    q.bind(1, provider);
    q.bind(2, recipient);
    q.bind(3, to_string(date));
    q.bind(4, static_cast<int64_t>(max_number));
    std::vector<Exchange> out;
    while (q.executeStep()) {
        Exchange e;
        e.number = q.getColumn(0).getInt64();
        e.date = date;
        e.provider = provider;
        e.recipient = recipient;
        e.minutes = q.getColumn(1).getInt64();
        e.category = q.getColumn(2).getString();
        e.note = q.getColumn(3).getString();
        e.ref = q.getColumn(4).getString();  // the fingerprint, for the caller
        out.push_back(std::move(e));
    }
    return out;
}

std::int64_t count_forgotten_matches(Store& s, Date date, const std::string& known, bool known_is_provider,
                                     Minutes minutes, const std::string& category) {
    std::string sql = std::string("SELECT count(*) FROM exchange e JOIN member m ON m.id = e.") +
                      (known_is_provider ? "recipient" : "provider") +
                      " WHERE m.status = 'forgotten' AND e." + (known_is_provider ? "provider" : "recipient") +
                      " = ? AND e.date = ? AND e.minutes = ? AND lower(e.category) = lower(?) AND e.reverses IS NULL";
    SQLite::Statement q(s.db(), sql);
    q.bind(1, known);
    q.bind(2, to_string(date));
    q.bind(3, static_cast<int64_t>(minutes));
    q.bind(4, category);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

BulkIndexes::BulkIndexes(Store& s) : store_(s) {
    std::vector<std::string> names;
    SQLite::Statement q(s.db(),
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'exchange' "
                        "AND sql IS NOT NULL");
    while (q.executeStep()) {
        names.push_back(q.getColumn(0).getString());
        create_sql_.push_back(q.getColumn(1).getString());
    }
    for (auto& n : names) s.db().exec("DROP INDEX \"" + n + "\"");
}

void BulkIndexes::finish() {
    for (auto& sql : create_sql_) store_.db().exec(sql);
    create_sql_.clear();
}

std::int64_t max_exchange_number(Store& s) {
    SQLite::Statement q(s.db(), "SELECT coalesce(max(number), 0) FROM exchange");
    q.executeStep();
    return q.getColumn(0).getInt64();
}

std::optional<std::int64_t> nth_with_fingerprint(Store& s, const std::string& fingerprint, std::int64_t nth) {
    SQLite::Statement q(s.db(),
                        "SELECT number FROM exchange WHERE fingerprint = ? AND reverses IS NULL "
                        "ORDER BY number LIMIT 1 OFFSET ?");
    q.bind(1, fingerprint);
    q.bind(2, static_cast<int64_t>(nth - 1));
    if (q.executeStep()) return q.getColumn(0).getInt64();
    return std::nullopt;
}

std::optional<std::int64_t> exchange_number_by_ref(Store& s, const std::string& ref) {
    SQLite::Statement q(s.db(), "SELECT number FROM exchange WHERE ref = ?");
    q.bind(1, ref);
    if (q.executeStep()) return q.getColumn(0).getInt64();
    return std::nullopt;
}

bool has_void(Store& s, std::int64_t number) {
    SQLite::Statement q(s.db(), "SELECT 1 FROM exchange WHERE reverses = ?");
    q.bind(1, static_cast<int64_t>(number));
    return q.executeStep();
}

}  // namespace tb::store
