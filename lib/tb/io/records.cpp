#include "tb/io/records.hpp"

namespace tb::io {

const std::vector<std::string>& member_columns() {
    static const std::vector<std::string> c = {"id",       "name",          "kind",   "status", "email",
                                               "phone",    "postcode",      "neighbourhood",    "joined",
                                               "offers",   "wants",         "tags",   "checks", "note",   "balance"};
    return c;
}

std::vector<Cell> member_cells(const Member& m, Date today) {
    return {m.id,       m.name,       to_string(m.kind), to_string(m.status), m.email,
            m.phone,    m.postcode,   m.neighbourhood,   to_string(m.joined), List(m.offers),
            List(m.wants), List(m.tags), checks_cell(m.checks, today), m.note, Hours{m.balance}};
}

std::string checks_text(const std::vector<SafeguardingCheck>& checks) {
    std::string out;
    for (auto& c : checks) {
        if (!out.empty()) out += ';';
        out += c.name + ':' + to_string(c.expires);
    }
    return out;
}

std::string check_json(const SafeguardingCheck& c, Date today) {
    return "{\"name\":" + json_string(c.name) + ",\"expires\":" + json_string(to_string(c.expires)) +
           ",\"expired\":" + (c.expires < today ? "true" : "false") + "}";
}

Cell checks_cell(const std::vector<SafeguardingCheck>& checks, Date today) {
    std::string json = "[";
    for (std::size_t i = 0; i < checks.size(); ++i) json += (i ? "," : "") + check_json(checks[i], today);
    return Structured{checks_text(checks), json + "]"};
}

const std::vector<std::string>& member_export_columns() {
    static const std::vector<std::string> c = [] {
        auto v = member_columns();
        v.insert(v.end(), {"min_balance", "max_balance", "opening"});
        return v;
    }();
    return c;
}

static std::string export_limit(const BalanceLimit& l) {
    return l.mode == BalanceLimit::Mode::bank_default ? std::string{} : limit_text(l);
}

std::vector<Cell> member_export_cells(const Member& m, Date today) {
    auto cells = member_cells(m, today);
    cells.insert(cells.end(), {export_limit(m.min_limit), export_limit(m.max_limit), Hours{m.opening}});
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

}  // namespace tb::io
