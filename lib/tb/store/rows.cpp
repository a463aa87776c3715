#include "tb/store/rows.hpp"

#include <SQLiteCpp/Column.h>

#include "tb/util/date.hpp"

namespace tb::store::rows {

std::string text(SQLite::Statement& q, int i) {
    auto c = q.getColumn(i);
    return c.isNull() ? std::string{} : c.getString();
}

std::optional<Date> opt_date(SQLite::Statement& q, int i) {
    auto c = q.getColumn(i);
    if (c.isNull()) return std::nullopt;
    return parse_iso_date(c.getString());
}

Date date(SQLite::Statement& q, int i) { return parse_iso_date(q.getColumn(i).getString()).value_or(Date{}); }

std::optional<std::int64_t> opt_int(SQLite::Statement& q, int i) {
    auto c = q.getColumn(i);
    if (c.isNull()) return std::nullopt;
    return c.getInt64();
}

BalanceLimit limit(SQLite::Statement& q, int i) {
    auto c = q.getColumn(i);
    int type = c.getType();  // asked before the value is read
    return limit(type, c.getInt64());
}

BalanceLimit limit(int type, std::int64_t value) {
    if (type == SQLite::Null) return {};
    if (type == SQLite::TEXT) return BalanceLimit::none();
    return BalanceLimit::of(value);
}

void bind_limit(SQLite::Statement& q, int i, const BalanceLimit& l) {
    switch (l.mode) {
        case BalanceLimit::Mode::bank_default: q.bind(i); break;
        case BalanceLimit::Mode::none: q.bind(i, "none"); break;
        case BalanceLimit::Mode::value: q.bind(i, static_cast<int64_t>(l.value)); break;
    }
}

void bind_opt_text(SQLite::Statement& q, int i, const std::string& v) {
    if (v.empty()) q.bind(i);
    else q.bind(i, v);
}

SafeguardingCheck check(SQLite::Statement& q, int first) {
    return {q.getColumn(first).getString(), date(q, first + 1)};
}

const char* const kRequestColumns =
    "number, member, category, text, minutes, needed_by, status, exchange, created_at, "
    "coalesce(closed_at, ''), recorded_by, coalesce(outcome, ''), coalesce(close_reason, '')";

Request request(SQLite::Statement& q) {
    Request r;
    r.number = q.getColumn(0).getInt64();
    r.member = q.getColumn(1).getString();
    r.category = q.getColumn(2).getString();
    r.text = q.getColumn(3).getString();
    r.minutes = opt_int(q, 4);
    r.needed_by = opt_date(q, 5);
    r.open = q.getColumn(6).getString() == "open";
    r.exchange = opt_int(q, 7);
    r.created_at = q.getColumn(8).getString();
    r.closed_at = q.getColumn(9).getString();
    r.recorded_by = q.getColumn(10).getString();
    r.outcome = q.getColumn(11).getString();
    r.close_reason = q.getColumn(12).getString();
    return r;
}

}  // namespace tb::store::rows
