#pragma once
// Ledger rows bound and read in more than one place (the ledger's appender
// and reader, the statement, tb check, the import's staging table).
// Internal to store/.
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>

#include "tb/model/model.hpp"
#include "tb/util/date.hpp"

namespace tb::store {

inline void bind_optional(SQLite::Statement& q, int at, const std::optional<std::int64_t>& v) {
    if (v) q.bind(at, static_cast<int64_t>(*v));
    else q.bind(at);
}

// Parameters 2 to 8: date (its text, given), provider, recipient, minutes,
// category, note, and ref (NULL when empty). Bound without a copy: `date`
// and the row must outlive the statement's exec().
template <class Row>
void bind_exchange_fields(SQLite::Statement& q, const std::string& date, const Row& e) {
    q.bindNoCopy(2, date);
    q.bindNoCopy(3, e.provider);
    q.bindNoCopy(4, e.recipient);
    q.bind(5, static_cast<int64_t>(e.minutes));
    q.bindNoCopy(6, e.category);
    q.bindNoCopy(7, e.note);
    if (e.ref.empty()) q.bind(8);
    else q.bindNoCopy(8, e.ref);
}

inline std::optional<std::int64_t> optional_int(SQLite::Statement& q, int at) {
    if (q.isColumnNull(at)) return std::nullopt;
    return q.getColumn(at).getInt64();
}

// The same fields read back, from result columns 1 to 6: date, provider,
// recipient, minutes, category, note.
template <class Row>
void read_exchange_fields(SQLite::Statement& q, Row& e) {
    e.date = parse_iso_date(q.getColumn(1).getText()).value_or(Date{});
    e.provider = q.getColumn(2).getText();
    e.recipient = q.getColumn(3).getText();
    e.minutes = q.getColumn(4).getInt64();
    e.category = q.getColumn(5).getText();
    e.note = q.getColumn(6).getText();
}

// An opening balance from the columns number, member, minutes, date, note,
// recorded_at and recorded_by, in this order.
Opening opening_from_row(SQLite::Statement& q);

}  // namespace tb::store
