#pragma once
// Reading and binding columns: the one decoder per column shape and per row
// type that more than one store file reads. Internal to store/.
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>

#include "tb/model/model.hpp"

namespace tb::store::rows {

// Text, or "" for NULL.
std::string text(SQLite::Statement& q, int i);
// A YYYY-MM-DD date, or none for NULL (or text that is no date).
std::optional<Date> opt_date(SQLite::Statement& q, int i);
// A YYYY-MM-DD date that the schema says is there (Date{} if it is not one).
Date date(SQLite::Statement& q, int i);
std::optional<std::int64_t> opt_int(SQLite::Statement& q, int i);

// member.min_limit / max_limit: NULL is the bank's default, 'none' no limit,
// a number a limit in minutes.
BalanceLimit limit(SQLite::Statement& q, int i);
// The same from the column's storage class (SQLITE_NULL, SQLITE_TEXT...) and
// its value as an integer.
BalanceLimit limit(int type, std::int64_t value);
void bind_limit(SQLite::Statement& q, int i, const BalanceLimit& l);
// NULL for "", else the text.
void bind_opt_text(SQLite::Statement& q, int i, const std::string& v);

// A safeguarding check: its name in column `first`, its expiry after it.
SafeguardingCheck check(SQLite::Statement& q, int first);

// A request row, selected by kRequestColumns (aliased `r` or not).
extern const char* const kRequestColumns;
Request request(SQLite::Statement& q);

}  // namespace tb::store::rows
