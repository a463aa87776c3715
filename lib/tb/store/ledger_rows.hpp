#pragma once
// Ledger rows read from statements, for the code that reads them in more
// than one place (the ledger, tb check, the import's staging table).
// Internal to store/.
#include <SQLiteCpp/Statement.h>

#include <string>

#include "tb/model/model.hpp"
#include "tb/util/date.hpp"

namespace tb::store {

// The columns date, provider, recipient, minutes, category, note and ref
// (never NULL: coalesce it) of an exchange, in this order from column
// `first`, into a row with those fields (Exchange, StagedExchange). Returns
// the date as stored: one that does not parse is read as Date{}.
template <class Row>
std::string read_exchange_fields(SQLite::Statement& q, int first, Row& e) {
    auto date = q.getColumn(first).getString();
    e.date = parse_iso_date(date).value_or(Date{});
    e.provider = q.getColumn(first + 1).getString();
    e.recipient = q.getColumn(first + 2).getString();
    e.minutes = q.getColumn(first + 3).getInt64();
    e.category = q.getColumn(first + 4).getString();
    e.note = q.getColumn(first + 5).getString();
    e.ref = q.getColumn(first + 6).getString();
    return date;
}

// An opening balance from the columns number, member, minutes, date, note,
// recorded_at and recorded_by, in this order.
Opening opening_from_row(SQLite::Statement& q);

}  // namespace tb::store
