#include "tb/store/requests.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "tb/store/rows.hpp"
#include "tb/util/date.hpp"

namespace tb::store {
using rows::kRequestColumns;

std::int64_t insert_request(Store& s, const Request& r) {
    SQLite::Statement q(s.db(),
                        "INSERT INTO request (member, category, text, minutes, needed_by, status, created_at, "
                        "recorded_by) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)");
    q.bind(1, r.member);
    q.bind(2, r.category);
    q.bind(3, r.text);
    if (r.minutes) q.bind(4, static_cast<int64_t>(*r.minutes));
    else q.bind(4);
    if (r.needed_by) q.bind(5, to_string(*r.needed_by));
    else q.bind(5);
    q.bind(6, r.created_at.empty() ? utc_timestamp_now() : r.created_at);
    q.bind(7, r.recorded_by);
    q.exec();
    return s.db().getLastInsertRowid();
}

std::optional<Request> find_request(Store& s, std::int64_t number) {
    SQLite::Statement q(s.db(), fmt::format("SELECT {} FROM request WHERE number = ?", kRequestColumns));
    q.bind(1, static_cast<int64_t>(number));
    if (q.executeStep()) return rows::request(q);
    return std::nullopt;
}

std::vector<Request> list_requests(Store& s, const RequestFilter& f) {
    std::vector<Request> out;
    if (!f.include_open && !f.include_closed) return out;
    std::string where;
    if (f.include_open && !f.include_closed) where = " WHERE status = 'open'";
    if (!f.include_open && f.include_closed) where = " WHERE status = 'closed'";
    SQLite::Statement q(s.db(), fmt::format("SELECT {} FROM request{} ORDER BY number", kRequestColumns, where));
    while (q.executeStep()) out.push_back(rows::request(q));
    return out;
}

void close_request(Store& s, std::int64_t number, const std::string& outcome, std::optional<std::int64_t> exchange,
                   const std::string& reason) {
    SQLite::Statement q(s.db(),
                        "UPDATE request SET status = 'closed', outcome = ?, exchange = ?, close_reason = ?, "
                        "closed_at = ? WHERE number = ?");
    q.bind(1, outcome);
    if (exchange) q.bind(2, static_cast<int64_t>(*exchange));
    else q.bind(2);
    rows::bind_opt_text(q, 3, reason);
    q.bind(4, utc_timestamp_now());
    q.bind(5, static_cast<int64_t>(number));
    q.exec();
}

}  // namespace tb::store
