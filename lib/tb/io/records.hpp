#pragma once
// Domain objects as output rows, with SPEC's field names. Export and the
// list/show commands share these, so export writes exactly what import reads.
#include <string>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/model/model.hpp"
#include "tb/io/output.hpp"

namespace tb::io {

// id, name, kind, status, email, phone, postcode, neighbourhood, joined,
// offers, wants, tags, checks, note, balance. `today` decides which checks
// have expired. `json` (for json and jsonl, which give a time in minutes
// beside its hours) adds balance_minutes after balance.
const std::vector<std::string>& member_columns(bool json = false);
std::vector<Cell> member_cells(const Member& m, Date today, bool json = false);

// Safeguarding checks: "dbs:2027-01-31;driving-licence:2026-05-01" in text,
// [{"name": "dbs", "expires": "2027-01-31", "expired": false}, ...] in json.
Cell checks_cell(const std::vector<SafeguardingCheck>& checks, Date today);
std::string checks_text(const std::vector<SafeguardingCheck>& checks);
// One check as a json object.
Json check_json(const SafeguardingCheck& c, Date today);

// The member fields plus min_balance, max_balance and opening (hours), so
// that an export imported into a new store gives the same balances.
// In json a limit is an object (limit_cell); `bank` gives the bank's limits
// for a member who has none of their own (without it their hours are null).
// `json` adds balance_minutes and opening_minutes, each after its hours.
const std::vector<std::string>& member_export_columns(bool json = false);
std::vector<Cell> member_export_cells(const Member& m, Date today, const Config* bank = nullptr, bool json = false);

// number, date, provider, recipient, hours, minutes, category, note, ref,
// reverses, recorded_at, recorded_by
const std::vector<std::string>& exchange_columns();
std::vector<Cell> exchange_cells(const Exchange& e);
// Exchange lists for scripts (list, show in csv/tsv/json): the export's
// columns, then provider_name and recipient_name (after them, so that a
// script reading columns by position reads the same ones). Never in
// exports, which import reads back.
const std::vector<std::string>& exchange_list_columns();
std::vector<Cell> exchange_list_cells(const Exchange& e, const std::string& provider_name,
                                      const std::string& recipient_name);

std::string limit_text(const BalanceLimit& l);
// A balance limit: `text` in csv, tsv and the table; in json the limit in
// effect, {"hours": -20, "minutes": -1200, "source": "bank"}: hours and
// minutes null when there is no limit, source "member" when the member has
// a limit (or none) of their own, "bank" when the bank's (`bank_default`) applies.
Cell limit_cell(const BalanceLimit& l, std::optional<Minutes> bank_default, std::string text);

}  // namespace tb::io
