#include "tb/io/records.hpp"

namespace tb::io {

const std::vector<std::string>& member_columns(bool json) {
    static const std::vector<std::string> c = {"id",       "name",          "kind",   "status", "email",
                                               "phone",    "postcode",      "neighbourhood",    "joined",
                                               "offers",   "wants",         "tags",   "checks", "note",   "balance"};
    static const std::vector<std::string> in_json = [] {
        auto v = c;
        v.push_back("balance_minutes");
        return v;
    }();
    return json ? in_json : c;
}

std::vector<Cell> member_cells(const Member& m, Date today, bool json) {
    std::vector<Cell> cells = {m.id,       m.name,       to_string(m.kind), to_string(m.status), m.email,
                               m.phone,    m.postcode,   m.neighbourhood,   to_string(m.joined), List(m.offers),
                               List(m.wants), List(m.tags), checks_cell(m.checks, today), m.note, Hours{m.balance}};
    if (json) cells.push_back(static_cast<std::int64_t>(m.balance));
    return cells;
}

std::string checks_text(const std::vector<SafeguardingCheck>& checks) {
    std::string out;
    for (auto& c : checks) {
        if (!out.empty()) out += ';';
        out += c.name + ':' + to_string(c.expires);
    }
    return out;
}

Json check_json(const SafeguardingCheck& c, Date today) {
    return Json{{"name", c.name}, {"expires", to_string(c.expires)}, {"expired", c.expires < today}};
}

Cell checks_cell(const std::vector<SafeguardingCheck>& checks, Date today) {
    Json json = Json::array();
    for (auto& c : checks) json.push_back(check_json(c, today));
    return Structured{checks_text(checks), std::move(json)};
}

const std::vector<std::string>& member_export_columns(bool json) {
    static const std::vector<std::string> c = [] {
        auto v = member_columns();
        v.insert(v.end(), {"min_balance", "max_balance", "opening"});
        return v;
    }();
    static const std::vector<std::string> in_json = [] {
        auto v = member_columns(true);
        v.insert(v.end(), {"min_balance", "max_balance", "opening", "opening_minutes"});
        return v;
    }();
    return json ? in_json : c;
}

static std::string export_limit(const BalanceLimit& l) {
    return l.mode == BalanceLimit::Mode::bank_default ? std::string{} : limit_text(l);
}

std::vector<Cell> member_export_cells(const Member& m, Date today, const Config* bank, bool json) {
    auto cells = member_cells(m, today, json);
    cells.insert(cells.end(),
                 {limit_cell(m.min_limit, bank ? bank->min_balance : std::nullopt, export_limit(m.min_limit)),
                  limit_cell(m.max_limit, bank ? bank->max_balance : std::nullopt, export_limit(m.max_limit)),
                  Hours{m.opening}});
    if (json) cells.push_back(static_cast<std::int64_t>(m.opening));
    return cells;
}

const std::vector<std::string>& exchange_columns() {
    static const std::vector<std::string> c = {"number",   "date", "provider", "recipient",   "hours",      "minutes",
                                               "category", "note", "ref",      "reverses", "recorded_at", "recorded_by"};
    return c;
}

std::vector<Cell> exchange_cells(const Exchange& e) {
    return {static_cast<std::int64_t>(e.number),
            to_string(e.date),
            e.provider,
            e.recipient,
            Hours{e.minutes},
            static_cast<std::int64_t>(e.minutes),
            e.category,
            e.note,
            e.ref.empty() ? Cell{} : Cell{e.ref},
            e.reverses ? Cell{static_cast<std::int64_t>(*e.reverses)} : Cell{},
            e.recorded_at,
            e.recorded_by};
}

const std::vector<std::string>& exchange_list_columns() {
    static const std::vector<std::string> c = [] {
        auto cols = exchange_columns();
        cols.insert(cols.end(), {"provider_name", "recipient_name"});
        return cols;
    }();
    return c;
}

std::vector<Cell> exchange_list_cells(const Exchange& e, const std::string& provider_name,
                                      const std::string& recipient_name) {
    auto cells = exchange_cells(e);
    cells.insert(cells.end(), {provider_name, recipient_name});
    return cells;
}

std::string limit_text(const BalanceLimit& l) {
    switch (l.mode) {
        case BalanceLimit::Mode::none: return "none";
        case BalanceLimit::Mode::value: return format_hours(l.value);
        default: return "default";
    }
}

Cell limit_cell(const BalanceLimit& l, std::optional<Minutes> bank_default, std::string text) {
    std::optional<Minutes> in_effect = l.mode == BalanceLimit::Mode::value ? std::optional<Minutes>(l.value)
                                       : l.mode == BalanceLimit::Mode::none ? std::nullopt
                                                                            : bank_default;
    Json json = Json::object();
    json["hours"] = in_effect ? hours_json(*in_effect) : Json(nullptr);
    json["minutes"] = in_effect ? Json(*in_effect) : Json(nullptr);
    json["source"] = l.mode == BalanceLimit::Mode::bank_default ? "bank" : "member";
    return Structured{std::move(text), std::move(json)};
}

}  // namespace tb::io
