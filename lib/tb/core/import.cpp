#include "tb/core/import.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "tb/core/ledger_service.hpp"
#include "tb/core/member_lookup.hpp"
#include "tb/core/member_service.hpp"
#include "tb/core/policy.hpp"
#include "tb/core/taxonomy.hpp"
#include "tb/io/mapping.hpp"
#include "tb/io/output.hpp"
#include "tb/io/records.hpp"
#include "tb/io/table_reader.hpp"
#include "tb/store/audit.hpp"
#include "tb/store/import_stage.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb {

std::string describe(const ImportCounts& c) {
    auto s = fmt::format("{} added, {} updated, {} unchanged", c.added, c.updated, c.unchanged);
    if (c.differ) s += fmt::format(", {} differ (use --update to change them)", c.differ);
    if (c.duplicates) s += fmt::format(", {} duplicate row{} passed over", c.duplicates, c.duplicates == 1 ? "" : "s");
    return s;
}

namespace {

// Rows that are checked: counts problems and passes them on.
struct Problems {
    const ProblemSink& sink;
    std::string file;
    std::int64_t count = 0;
    std::set<std::int64_t> bad_lines;
    void add(std::int64_t line, const std::string& column, const std::string& problem) {
        ++count;
        bad_lines.insert(line);
        sink(fmt::format("{}:{}: {}: {}", file, line, column, problem));
    }
};

struct Opened {
    std::unique_ptr<io::RowSource> src;
    std::unique_ptr<io::HeaderMap> map;
    std::string name;
};

// A row that looks empty in a spreadsheet: only spaces in its cells (a cell
// "cleared" by typing a space). Values are trimmed, so it says nothing.
bool blank_row(const std::vector<std::string>& cells) {
    return std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return text::trim(c).empty(); });
}

Opened open_with_header(const ImportOptions& o, const std::vector<std::string>& fields) {
    io::ReadOptions ro;
    ro.separator = o.mapping.separator;
    ro.sheet = o.sheet;
    ro.decimal_mark = o.mapping.decimal_mark.value_or('.');
    ro.skip = static_cast<std::size_t>(o.mapping.skip.value_or(0));
    Opened out;
    out.src = io::open_table(o.file, ro);
    out.name = out.src->name();
    io::SourceRow header;
    if (!out.src->next(header)) throw Rejected(fmt::format("{}: no header row (the file is empty)", out.name));
    out.map = std::make_unique<io::HeaderMap>(o.mapping, fields, header.cells, out.name, header.line);
    return out;
}

// Spreadsheet date cells arrive as YYYY-MM-DD whatever the file's text
// dates look like, so ISO is accepted alongside date_format.
// A timestamp as exports write them: YYYY-MM-DD, then ' ' or 'T', a time
// HH:MM[:SS[.fff]], and optionally a zone (Z, UTC, +0100, +01:00). Its date
// is the day as written, in the zone the file was written in.
std::optional<Date> timestamp_date(std::string_view t) {
    if (t.size() < 16 || (t[10] != ' ' && t[10] != 'T')) return std::nullopt;
    auto d = parse_iso_date(std::string(t.substr(0, 10)));
    if (!d) return std::nullopt;
    std::size_t i = 11;
    auto digits = [&](std::size_t n) {
        for (std::size_t k = 0; k < n; ++k, ++i)
            if (i >= t.size() || t[i] < '0' || t[i] > '9') return false;
        return true;
    };
    if (!digits(2) || i >= t.size() || t[i++] != ':' || !digits(2)) return std::nullopt;
    if (i < t.size() && t[i] == ':') {
        ++i;
        if (!digits(2)) return std::nullopt;
        if (i < t.size() && t[i] == '.') {
            ++i;
            while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
        }
    }
    auto zone = text::trim(t.substr(i));
    if (zone.empty() || zone == "Z" || zone == "UTC") return d;
    if ((zone[0] == '+' || zone[0] == '-') && (zone.size() == 5 || (zone.size() == 6 && zone[3] == ':'))) return d;
    return std::nullopt;
}

std::optional<Date> parse_import_date(const std::string& text, const ImportMapping& m) {
    if (m.date_format)
        if (auto d = parse_date_format(text, *m.date_format)) return d;
    if (auto d = parse_iso_date(text)) return d;
    return timestamp_date(text);
}

std::string date_problem(const std::string& text, const ImportMapping& m) {
    if (m.date_format)
        return fmt::format("'{}' is not a date in the format {}", text, *m.date_format);
    return fmt::format("'{}' is not a date in the format YYYY-MM-DD (%Y-%m-%d); for a UK spreadsheet set "
                       "date_format = \"%d/%m/%Y\" in a --mapping file",
                       text);
}

// A field checked by set_member_field etc.: the error's message, if any.
template <typename F>
std::optional<std::string> attempt(F&& f) {
    try {
        f();
        return std::nullopt;
    } catch (const Error& e) {
        return std::string(e.what());
    }
}

// A problem with hours text, with a hint when the text would be hours with a
// decimal comma ("1,5" from a European spreadsheet) and the mapping does not
// say so.
std::string hours_problem(const std::string& error, const std::string& text, char mark) {
    if (mark == ',' || text.find(',') == std::string::npos) return error;
    if (attempt([&] { parse_duration(text, true, ','); })) return error;
    return error + "; for hours with a decimal comma set decimal_mark = \",\" in a --mapping file";
}

const std::vector<std::string> kMemberFields = {"id",     "name",  "kind",  "status", "email", "phone",
                                                "postcode", "neighbourhood", "joined", "offers", "wants",
                                                "tags",   "checks", "note",  "balance", "min_balance", "max_balance",
                                                "opening"};

bool same_checks(const std::vector<SafeguardingCheck>& a, const std::vector<SafeguardingCheck>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].name != b[i].name || a[i].expires != b[i].expires) return false;
    return true;
}

bool same_member(const Member& a, const Member& b) {
    return a.name == b.name && a.kind == b.kind && a.status == b.status && a.email == b.email &&
           a.phone == b.phone && a.postcode == b.postcode && a.neighbourhood == b.neighbourhood &&
           a.joined == b.joined && a.note == b.note && a.offers == b.offers && a.wants == b.wants &&
           a.tags == b.tags && a.min_limit == b.min_limit && a.max_limit == b.max_limit && same_checks(a.checks, b.checks);
}

}  // namespace

namespace {

// A member row's outcome, kept until the whole file is read: a member file
// has a row per member, so this is the size of the bank, not of a ledger.
struct MemberRow {
    enum class Kind { add, update, unchanged, differ } kind = Kind::add;
    std::int64_t line = 0;
    Member m;
    std::optional<Minutes> opening;
    std::optional<Member> old;  // update/unchanged/differ: the member as read
    bool dropped = false;       // a duplicate passed over
};

// "name: Bob → Robert; joined: 2026-01-01 → 2026-02-01": the fields of the
// export that differ (balance aside: an import does not set it).
std::string member_diff(const Member& old, const Member& now, Date today) {
    auto& cols = io::member_export_columns();
    auto a = io::member_export_cells(old, today);
    auto b = io::member_export_cells(now, today);
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < cols.size() && i < a.size() && i < b.size(); ++i) {
        if (cols[i] == "balance" || cols[i] == "opening") continue;
        auto x = io::cell_text(a[i]), y = io::cell_text(b[i]);
        if (x != y) parts.push_back(fmt::format("{}: {} → {}", cols[i], x.empty() ? "(blank)" : x, y.empty() ? "(blank)" : y));
    }
    return text::join(parts, "; ");
}

std::string split_join(const std::string& v, const io::HeaderMap& map, const std::string& field, const ImportMapping& m) {
    std::vector<std::string> items;
    for (auto& item : io::split_list(v, m.list_separator.value_or(";"))) items.push_back(map.answer(field, item));
    return text::join(items, ";");
}

// The opening column in the mapping's unit (TimeOverflow gives seconds).
std::optional<Minutes> parse_opening(const std::string& v, const ImportMapping& m, char mark) {
    auto unit = m.opening_unit.value_or("hours");
    if (unit == "hours") {
        auto h = parse_balance_hours(v, mark);
        return h ? std::optional<Minutes>(h) : std::nullopt;
    }
    std::string t{text::trim(v)};
    bool neg = !t.empty() && t[0] == '-';
    if (neg || (!t.empty() && t[0] == '+')) t.erase(0, 1);
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (t.empty() || ec != std::errc{} || end != t.data() + t.size() || n > 60LL * 24 * 366 * 100 * 60)
        throw Rejected(fmt::format("'{}' is not a whole number of {}", v, unit));
    if (unit == "seconds") {
        if (n % 60) throw Rejected(fmt::format("'{}' seconds is not a whole number of minutes", v));
        n /= 60;
    }
    if (n == 0) return std::nullopt;
    return neg ? -n : n;
}

}  // namespace

ImportCounts import_members(store::Store& s, const Config& c, const ImportOptions& o, const ProblemSink& report) {
    auto in = open_with_header(o, kMemberFields);
    auto& map = *in.map;
    if (!map.has("name") && !map.has("id"))
        throw Rejected(fmt::format("{}: no name column (looked for name, or first name + surname)", in.name));
    Problems problems{report, in.name, 0, {}};
    ImportCounts counts;
    store::ReadTransaction reading(s);  // one view of the store, no lock
    auto dup_rule = o.mapping.duplicates.value_or("error");
    std::unordered_map<std::string, std::size_t> ids_seen, emails_seen;  // -> index in rows
    std::vector<MemberRow> rows;
    char mark = o.mapping.decimal_mark.value_or('.');
    auto notice = [&](const std::string& msg) {
        if (o.verbose && o.notice) o.notice(msg);
    };

    // Parse, resolve and check every row, without the write lock.
    io::SourceRow row;
    while (in.src->next(row)) {
        if (blank_row(row.cells)) continue;
        auto line = static_cast<std::int64_t>(row.line);
        std::int64_t before = problems.count;
        if (auto bad = map.cell_problems(row.cells); !bad.empty()) {  // a NUL, an ESC...
            for (auto& [column, problem] : bad) problems.add(line, column, problem);
            continue;
        }
        if (row.cells.size() > map.width())
            problems.add(line, fmt::format("column {}", map.width() + 1),
                         fmt::format("the row has {} cells but the header has {} columns", row.cells.size(), map.width()));
        auto val = [&](const std::string& f) { return map.get(f, row.cells).value_or(""); };
        std::string id = val("id"), email = val("email"), name = val("name");
        // Find the member this row is about: by id, else email, else name.
        std::optional<Member> existing;
        if (!id.empty()) existing = store::find_member(s, id);
        else if (!email.empty()) {
            if (auto mid = store::member_id_by_email(s, email)) existing = store::find_member(s, *mid);
        } else if (!name.empty()) {
            if (auto mid = store::member_id_by_name(s, name)) existing = store::find_member(s, *mid);
        }
        Member m;
        if (existing) m = *existing;
        else {
            m.joined = o.today;
            m.id = id;
        }
        for (auto& f : kMemberFields) {
            if (f == "id" || f == "balance" || f == "opening" || !map.has(f)) continue;
            auto v = map.get(f, row.cells, f == "note");
            if (!v || v->empty()) continue;  // a blank cell keeps what is there (or the default)
            if (f == "offers" || f == "wants" || f == "tags" || f == "checks") *v = split_join(*v, map, f, o.mapping);
            if (f == "status") {
                auto st = text::lower(*v);
                if (st == "active" || st.empty()) m.status = existing && existing->status == MemberStatus::forgotten
                                                                 ? MemberStatus::forgotten
                                                                 : MemberStatus::active;
                else if (st == "inactive") m.status = MemberStatus::inactive;
                else if (st == "forgotten") m.status = MemberStatus::forgotten;
                else problems.add(line, map.column_name(f), fmt::format("'{}' is not a status (active, inactive)", *v));
                continue;
            }
            if (f == "joined" && !v->empty()) {
                if (auto d = parse_import_date(*v, o.mapping)) m.joined = *d;
                else problems.add(line, map.column_name(f), date_problem(*v, o.mapping));
                continue;
            }
            if (f == "checks") {
                // Checks travel with their expiry: "dbs:2027-01-31;driving-licence:2026-05-01".
                std::vector<std::string> bad;
                auto checks = parse_checks(c, *v, bad);
                for (auto& b : bad) problems.add(line, map.column_name(f), b);
                if (bad.empty()) m.checks = checks;
                continue;
            }
            if (f == "min_balance" || f == "max_balance") {
                auto& limit = f == "min_balance" ? m.min_limit : m.max_limit;
                if (auto err = attempt([&] { limit = parse_balance_limit(*v, mark); }))
                    problems.add(line, map.column_name(f), hours_problem(*err, *v, mark));
                continue;
            }
            if (auto err = attempt([&] { set_member_field(m, f, *v, o.today); }))
                problems.add(line, map.column_name(f), *err);
        }
        std::optional<Minutes> opening;
        if (auto v = map.get("opening", row.cells); v && !v->empty()) {
            if (auto err = attempt([&] { opening = parse_opening(*v, o.mapping, mark); }))
                problems.add(line, map.column_name("opening"), hours_problem(*err, *v, mark));
        }
        for (auto& p : member_problems(m)) {
            auto colon = p.find(": ");
            problems.add(line, map.column_name(p.substr(0, colon)), p.substr(colon + 2));
        }
        // Two rows for one member (same ID, else same email): a form sent twice.
        constexpr std::size_t none = static_cast<std::size_t>(-1);
        std::size_t twin = none;
        std::string twin_key;
        if (!id.empty()) {
            if (auto it = ids_seen.find(id); it != ids_seen.end()) twin = it->second, twin_key = id;
        } else if (!m.email.empty()) {
            if (auto it = emails_seen.find(text::lower(m.email)); it != emails_seen.end())
                twin = it->second, twin_key = m.email;
        }
        bool twin_reported = false;
        if (twin != none && dup_rule == "error") {
            problems.add(line, map.column_name(!id.empty() ? "id" : "email"),
                         fmt::format("{} appears twice (first on line {}); set duplicates = \"first\" or \"last\" "
                                     "in a --mapping file to keep one",
                                     twin_key, rows[twin].line));
            twin = none;
            twin_reported = true;
        }
        if (!m.email.empty()) {
            auto it = emails_seen.find(text::lower(m.email));
            bool same_as_twin = it != emails_seen.end() && twin != none && it->second == twin;
            if (it != emails_seen.end() && !same_as_twin) {
                if (!twin_reported || !id.empty())
                    problems.add(line, map.column_name("email"),
                                 fmt::format("{} appears twice (first on line {})", m.email, rows[it->second].line));
            } else if (auto other = store::member_id_by_email(s, m.email);
                       other && (!existing || *other != existing->id))
                problems.add(line, map.column_name("email"), fmt::format("{} already belongs to member {}", m.email, *other));
        }
        // Only `tb-member forget` forgets, and nothing brings a forgotten member back.
        bool was_forgotten = existing && existing->status == MemberStatus::forgotten;
        if (m.status == MemberStatus::forgotten && !was_forgotten) {
            bool blank = m.name == "forgotten-" + m.id && m.email.empty() && m.phone.empty() && m.postcode.empty() &&
                         m.neighbourhood.empty() && m.note.empty() && m.offers.empty() && m.wants.empty() &&
                         m.tags.empty();
            if (existing || !blank)
                problems.add(line, map.column_name("status"),
                             "forgotten is set only by tb-member forget (or by importing a forgotten member's "
                             "exported row)");
        }
        if (was_forgotten && !same_member(m, *existing))
            problems.add(line, map.column_name(map.has("id") ? "id" : "name"),
                         fmt::format("member {} has been forgotten; their row cannot change", existing->id));
        if (problems.count != before) continue;
        MemberRow r;
        r.line = line;
        r.opening = opening;
        if (existing) {
            r.old = *existing;
            r.kind = same_member(m, *existing) ? MemberRow::Kind::unchanged
                     : o.update               ? MemberRow::Kind::update
                                              : MemberRow::Kind::differ;
        }
        r.m = std::move(m);
        if (twin != none) {
            ++counts.duplicates;
            if (dup_rule == "first") {
                notice(fmt::format("line {}: {} again (first on line {}): passed over (duplicates = \"first\")", line,
                                   twin_key, rows[twin].line));
                continue;
            }
            notice(fmt::format("line {}: {} again (first on line {}): this row is taken (duplicates = \"last\")", line,
                               twin_key, rows[twin].line));
            rows[twin].dropped = true;
        }
        rows.push_back(std::move(r));
        auto& kept = rows.back();
        if (!id.empty()) ids_seen[id] = rows.size() - 1;
        if (!kept.m.email.empty()) emails_seen[text::lower(kept.m.email)] = rows.size() - 1;
    }
    if (problems.count) {
        counts.rejected = static_cast<std::int64_t>(problems.bad_lines.size());
        throw Rejected(fmt::format("{} bad row{} in {}; nothing was imported", counts.rejected,
                                   counts.rejected == 1 ? "" : "s", in.name));
    }
    // New members without an ID get one once every row has been read, so
    // that it cannot take an ID a later row names; following on from the
    // store's highest.
    std::unordered_set<std::string> taken;
    for (auto& r : rows)
        if (!r.dropped && !r.m.id.empty()) taken.insert(r.m.id);
    auto n = std::stoll(store::next_member_id(s).substr(1));
    auto give_id = [&](Member& m) {
        do m.id = fmt::format("M{:04}", n++);
        while (taken.count(m.id) || store::member_exists(s, m.id));
        taken.insert(m.id);
    };
    for (auto& r : rows)
        if (!r.dropped && r.kind == MemberRow::Kind::add && r.m.id.empty()) give_id(r.m);
    for (auto& r : rows) {
        if (r.dropped) continue;
        switch (r.kind) {
            case MemberRow::Kind::add:
                ++counts.added;
                notice(fmt::format("line {}: add {} ({})", r.line, r.m.id, r.m.name));
                break;
            case MemberRow::Kind::update:
                ++counts.updated;
                notice(fmt::format("line {}: update {}: {}", r.line, r.m.id, member_diff(*r.old, r.m, o.today)));
                break;
            case MemberRow::Kind::differ:
                ++counts.differ;
                notice(fmt::format("line {}: {} differs (use --update): {}", r.line, r.m.id, member_diff(*r.old, r.m, o.today)));
                break;
            case MemberRow::Kind::unchanged: ++counts.unchanged; break;
        }
    }
    if (o.dry_run) return counts;

    // Write, under the lock. What was read may have changed meanwhile: a
    // member added or edited by someone else is not overwritten.
    reading.end();
    store::WriteTransaction tx(s);
    for (auto& r : rows) {
        if (r.dropped) continue;
        if (r.kind == MemberRow::Kind::add) {
            if (store::member_exists(s, r.m.id)) {
                if (r.m.id.size() > 1 && r.m.id[0] == 'M' && !ids_seen.count(r.m.id)) give_id(r.m);
                else
                    throw Rejected(fmt::format("{}:{}: member {} was added by someone else while the file was read; "
                                               "nothing was imported (run it again)",
                                               in.name, r.line, r.m.id));
            }
            if (!r.m.email.empty())
                if (auto other = store::member_id_by_email(s, r.m.email))
                    throw Rejected(fmt::format("{}:{}: {} was given to member {} while the file was read; nothing "
                                               "was imported",
                                               in.name, r.line, r.m.email, *other));
            store::insert_member(s, r.m);
            if (!r.m.checks.empty()) store::replace_checks(s, r.m.id, r.m.checks);
            store::audit(s, o.who, "tb-member import", r.m.id, {"import"});
            if (r.opening)
                store::append_opening(s, r.m.id, *r.opening, r.m.joined, "opening balance (import)", o.who);
        } else if (r.kind == MemberRow::Kind::update) {
            auto now = store::find_member(s, r.m.id);
            if (!now || !same_member(*now, *r.old))
                throw Rejected(fmt::format("{}:{}: member {} was changed by someone else while the file was read; "
                                           "nothing was imported (run it again)",
                                           in.name, r.line, r.m.id));
            save_member(s, r.m, {"import"}, o.who, "tb-member import");
            if (!same_checks(r.m.checks, r.old->checks)) store::replace_checks(s, r.m.id, r.m.checks);
        }
    }
    tx.commit();
    return counts;
}

namespace {

const std::vector<std::string> kExchangeFields = {"number",   "date", "provider", "recipient", "hours",      "minutes",
                                                  "category", "note", "ref",      "reverses",  "recorded_at", "recorded_by"};

// A minutes cell: a whole number of minutes, more than zero.
Minutes parse_minutes_cell(const std::string& cell) {
    if (cell.empty() || !std::all_of(cell.begin(), cell.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        throw Rejected(fmt::format("'{}' is not a whole number of minutes", cell));
    try {
        return parse_duration(cell + "m");
    } catch (const Error&) {
        throw Rejected(fmt::format("'{}' minutes is out of range (more than zero, at most 100 years)", cell));
    }
}

// An hours cell as a plain decimal number ("1.33", "1,33" with a decimal
// comma), not rounded to whole minutes.
std::optional<double> decimal_hours(const std::string& cell, char mark) {
    std::string t = cell;
    for (auto& ch : t)
        if (ch == mark) ch = '.';
    double h = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), h, std::chars_format::fixed);
    if (ec != std::errc{} || end != t.data() + t.size()) return std::nullopt;
    return h;
}

// Whether an hours cell agrees with the minutes beside it: exactly, or
// within the rounding to hundredths of an hour that export writes.
bool hours_agree(const std::string& hours, Minutes minutes, char mark) {
    Minutes exact = 0;
    if (!attempt([&] { exact = parse_duration(hours, false, mark); })) return exact == minutes;
    auto h = decimal_hours(hours, mark);
    return h && std::fabs(*h * 60.0 - static_cast<double>(minutes)) <= 0.3 + 1e-9;
}

std::pair<std::string, std::string> ordered_pair(const std::string& a, const std::string& b) {
    return a < b ? std::pair{a, b} : std::pair{b, a};
}

struct MemberState {
    Member member;
    Minutes balance;
};

}  // namespace

namespace {

// A member named by name in an exchange file: the one resolver
// (core/member_lookup), so that a name finds the member the command line
// would; an ambiguous name is the row's problem, listing the IDs.
struct NameLookup {
    std::string id, problem;
};
NameLookup resolve_member_name(store::Store& s, const std::string& key) {
    auto found = lookup_member(s, key);
    if (found.found()) return {found.id, ""};
    if (found.result == MemberLookup::Result::ambiguous) return {"", found.problem};
    return {"", ""};
}

// "Ann Lee (12)" -> "12" (TimeOverflow's members), when the mapping says so.
std::string id_in_parentheses(const std::string& key) {
    auto t = std::string(text::trim(key));
    if (t.size() < 3 || t.back() != ')') return {};
    auto open = t.rfind('(');
    if (open == std::string::npos || open + 2 > t.size() - 1) return {};
    return std::string(text::trim(std::string_view(t).substr(open + 1, t.size() - open - 2)));
}

// A recorded_at cell: tb writes UTC ISO 8601 (2026-11-27T10:00:00Z); its day.
std::optional<Date> recorded_day(const std::string& cell) {
    if (cell.size() < 10) return std::nullopt;
    auto d = parse_iso_date(cell.substr(0, 10));
    if (!d || (cell.size() > 10 && cell[10] != 'T' && cell[10] != ' ')) return std::nullopt;
    return d;
}

}  // namespace

ImportCounts import_exchanges(store::Store& s, const Config& c, const ImportOptions& o, const ProblemSink& report) {
    auto in = open_with_header(o, kExchangeFields);
    auto& map = *in.map;
    std::vector<std::string> missing;
    for (auto f : {"date", "provider", "recipient"})
        if (!map.has(f)) missing.push_back(f);
    if (!map.has("hours") && !map.has("minutes")) missing.push_back("hours");
    if (!missing.empty())
        throw Rejected(fmt::format("{}: no {} column (map one in a --mapping file)", in.name, text::join(missing, ", ")));
    // History (SPEC "Imports"): only --history makes a tb export's rows
    // history, exempt from the rules that held when they were first
    // recorded. Without it recorded_at is just another column.
    bool history = !o.history_reason.empty();
    if (history && !map.has("recorded_at"))
        throw UsageError(fmt::format("{}: --history is for a file exported by tb, with a recorded_at column", in.name));
    Problems problems{report, in.name, 0, {}};
    auto notice = [&](const std::string& msg) {
        if (o.verbose && o.notice) o.notice(msg);
    };
    std::int64_t unresolved_categories = 0;  // accepted outside the taxonomy (not strict)
    // Reading and checking see one state of the store, and take no lock
    // that would keep others from recording.
    store::ReadTransaction reading(s);

    // Members by ID and email: the size of the bank, not of the file.
    std::unordered_map<std::string, MemberState> members;
    std::unordered_map<std::string, std::string> by_email;
    auto load_members = [&] {
        members.clear();
        by_email.clear();
        store::MemberFilter all;
        all.include_inactive = all.include_forgotten = true;
        all.include_accounts = true;
        all.with_skills = false;
        store::for_each_member(s, all, [&](const Member& m) {
            members.emplace(m.id, MemberState{m, m.balance});
            if (!m.email.empty()) by_email.emplace(text::lower(m.email), m.id);
        });
    };
    load_members();
    bool ids_in_parentheses = o.mapping.id_in_parentheses.value_or(false);
    // The member a provider or recipient cell names, or the problem.
    auto resolve = [&](const std::string& key, std::string& problem) -> MemberState* {
        if (auto it = members.find(key); it != members.end()) return &it->second;
        if (auto e = by_email.find(text::lower(key)); e != by_email.end()) return &members.at(e->second);
        if (ids_in_parentheses) {
            auto id = id_in_parentheses(key);
            if (auto it = members.find(id); !id.empty() && it != members.end()) return &it->second;
        }
        auto found = resolve_member_name(s, key);
        if (found.id.empty()) {
            problem = found.problem.empty() ? fmt::format("no member '{}'", key) : found.problem;
            return nullptr;
        }
        return &members.at(found.id);
    };
    char mark = o.mapping.decimal_mark.value_or('.');

    // Parse and resolve every row into the stage (a temporary table: not the
    // store, so no write lock is needed).
    store::ExchangeStage stage(s);
    io::SourceRow row;
    store::StagedExchange e;
    // Rows naming one member who is now forgotten and someone no longer
    // known: checked against the forgotten member's exchanges in the pass.
    struct Orphan {
        std::int64_t line;
        Date date;
        std::string known;
        bool known_is_provider;
        Minutes minutes;
        std::string category, problem;
    };
    std::vector<Orphan> orphans;
    while (in.src->next(row)) {
        if (blank_row(row.cells)) continue;
        auto line = static_cast<std::int64_t>(row.line);
        auto before = problems.count;
        if (auto bad = map.cell_problems(row.cells); !bad.empty()) {  // a NUL, an ESC...
            for (auto& [column, problem] : bad) problems.add(line, column, problem);
            continue;
        }
        if (row.cells.size() > map.width())
            problems.add(line, fmt::format("column {}", map.width() + 1),
                         fmt::format("the row has {} cells but the header has {} columns", row.cells.size(), map.width()));
        auto val = [&](const char* f) { return map.get(f, row.cells).value_or(""); };
        e = {};
        e.line = line;
        auto date = val("date");
        if (auto d = parse_import_date(date, o.mapping)) e.date = *d;
        else problems.add(line, map.column_name("date"), date.empty() ? "missing" : date_problem(date, o.mapping));
        std::vector<std::pair<std::string, std::string>> unknown;  // field, problem
        bool forgotten = false;
        for (auto [field, target] : {std::pair{"provider", &e.provider}, std::pair{"recipient", &e.recipient}}) {
            auto key = val(field);
            std::string problem;
            if (key.empty()) problems.add(line, map.column_name(field), "missing");
            else if (auto* m = resolve(key, problem)) {
                *target = m->member.id;
                forgotten = forgotten || m->member.status == MemberStatus::forgotten;
            } else {
                unknown.emplace_back(field, problem);
            }
        }
        auto hours = val("hours"), minutes = val("minutes");
        std::optional<Minutes> from_hours, from_minutes;
        if (!minutes.empty())
            if (auto err = attempt([&] { from_minutes = parse_minutes_cell(minutes); }))
                problems.add(line, map.column_name("minutes"), *err);
        if (!hours.empty()) {
            // With minutes beside them, hours may be export's two-decimal
            // rounding of them (80 minutes is 1.33 hours).
            auto err = attempt([&] { from_hours = parse_duration(hours, false, mark); });
            if (from_minutes && (from_hours || decimal_hours(hours, mark))) {
                if (!hours_agree(hours, *from_minutes, mark))
                    problems.add(line, map.column_name("minutes"),
                                 fmt::format("{} minutes does not agree with {} hours", minutes, hours));
                from_hours = from_minutes;
            } else if (err) {
                problems.add(line, map.column_name("hours"), hours_problem(*err, hours, mark));
            }
        }
        if (hours.empty() && minutes.empty()) problems.add(line, map.column_name("hours"), "missing");
        e.minutes = from_minutes.value_or(from_hours.value_or(0));
        {
            // Stored under the taxonomy's name; a ledger export's rows keep
            // an old category that no longer resolves (they are history).
            auto ruling = rule_category(c, val("category"));
            e.category = ruling.name;
            if (ruling.problem && !history) problems.add(line, map.column_name("category"), *ruling.problem);
            else if (ruling.warning) ++unresolved_categories;
        }
        e.note = map.get("note", row.cells, true).value_or("");
        e.ref = val("ref");
        for (auto [field, target] : {std::pair{"number", &e.number}, std::pair{"reverses", &e.reverses}}) {
            auto t = val(field);
            if (t.empty()) continue;
            try {
                std::size_t pos = 0;
                auto n = std::stoll(t, &pos);
                if (pos != t.size() || n <= 0) throw std::invalid_argument(t);
                *target = n;
            } catch (const std::exception&) {
                problems.add(line, map.column_name(field), fmt::format("'{}' is not an exchange number", t));
            }
        }
        if (history) {
            e.recorded_at = val("recorded_at");
            e.recorded_by = val("recorded_by");
            auto day = recorded_day(e.recorded_at);
            if (!day)
                problems.add(line, map.column_name("recorded_at"),
                             e.recorded_at.empty() ? "missing (a history row keeps when it was recorded)"
                                                   : fmt::format("'{}' is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)",
                                                                 e.recorded_at));
            else if (*day > o.today)
                problems.add(line, map.column_name("recorded_at"),
                             fmt::format("{} is after today ({})", e.recorded_at, to_string(o.today)));
            else if (problems.count == before && *day < e.date)
                problems.add(line, map.column_name("recorded_at"),
                             fmt::format("{} is before the exchange's date {}", e.recorded_at, to_string(e.date)));
        }
        // One side names someone unknown and the other side is known: the
        // unknown may be a member since forgotten (their name and email
        // wiped). Such a row is already imported if the known member has
        // an exchange of that day, time and category with a forgotten one.
        if (unknown.size() == 1 && problems.count == before && !e.reverses) {
            bool known_is_provider = unknown[0].first == "recipient";
            orphans.push_back({line, e.date, known_is_provider ? e.provider : e.recipient, known_is_provider, e.minutes,
                               e.category, unknown[0].second});
            continue;
        }
        for (auto& [field, problem] : unknown) problems.add(line, map.column_name(field), problem);
        if (problems.count != before) continue;
        // A forgotten member's exchanges lost their notes, and their
        // fingerprints were taken again without one: so is this row's.
        e.fingerprint = exchange_fingerprint(e.date, e.provider, e.recipient, e.minutes, e.category,
                                             forgotten ? std::string() : e.note);
        stage.add(e);
    }
    for (auto [line, first] : stage.duplicate_refs())
        problems.add(line, map.column_name("ref"), fmt::format("the same ref is on line {}", first));
    {
        std::map<std::tuple<std::string, std::string, bool, Minutes, std::string>, std::int64_t> used;
        for (auto& x : orphans) {
            auto key = std::make_tuple(to_string(x.date), x.known, x.known_is_provider, x.minutes, text::lower(x.category));
            auto n = ++used[key];
            if (n <= store::count_forgotten_matches(s, x.date, x.known, x.known_is_provider, x.minutes, x.category))
                continue;
            problems.add(x.line, map.column_name(x.known_is_provider ? "recipient" : "provider"), x.problem);
        }
    }
    auto orphan_rows = static_cast<std::int64_t>(orphans.size());
    orphans = {};

    // The rows that voids in the file point at, by their number in the file.
    auto targets = stage.reverse_targets();
    struct Target {
        std::int64_t number;  // in the store
        std::int64_t line;
        std::string provider, recipient;
        Minutes minutes;
    };
    LedgerPolicy policy(c, o.today);
    std::set<std::pair<std::string, std::string>> blocked;
    auto load_blocks = [&] {
        blocked.clear();
        for (auto& b : store::all_blocks(s)) blocked.insert(ordered_pair(b.a, b.b));
    };
    load_blocks();
    ImportCounts counts;
    std::int64_t max_before = 0, next_number = 0;

    // Checks every staged row in date order against the store with running
    // balances; with `appender`, appends each new one. Run once without the
    // write lock to check, and again under it to write (members' balances
    // read afresh: others may have recorded meanwhile).
    auto pass = [&](store::LedgerAppender* appender, bool tell) {
        counts = {};
        std::map<std::int64_t, Target> number_in_store;
        std::map<std::int64_t, std::int64_t> void_line;  // store number -> line of the file's void of it
        next_number = max_before + 1;
        auto note_target = [&](const store::StagedExchange& x, std::int64_t number) {
            if (!x.number || !std::binary_search(targets.begin(), targets.end(), *x.number)) return;
            auto [it, fresh] =
                number_in_store.emplace(*x.number, Target{number, x.line, x.provider, x.recipient, x.minutes});
            if (!fresh)
                problems.add(x.line, map.column_name("number"),
                             fmt::format("exchange {} is also on line {}, and a void refers to it", *x.number,
                                         it->second.line));
        };
        stage.for_each(max_before, [&](const store::StagedExchange& x) {
            auto& p = members.at(x.provider);
            auto& r = members.at(x.recipient);
            if (x.reverses) {
                // A void in the file reverses an exchange of the same file.
                auto t = number_in_store.find(*x.reverses);
                if (t == number_in_store.end()) {
                    problems.add(x.line, map.column_name("reverses"),
                                 fmt::format("exchange {} is not in the file before this void", *x.reverses));
                    return;
                }
                const Target& target = t->second;
                // What tb check asks of a void: the same minutes, the other way.
                if (x.provider != target.recipient || x.recipient != target.provider || x.minutes != target.minutes) {
                    problems.add(x.line, map.column_name("reverses"),
                                 fmt::format("does not reverse exchange {} (line {}: {} to {}, {} hours)", *x.reverses,
                                             target.line, target.provider, target.recipient,
                                             format_hours(target.minutes)));
                    return;
                }
                if (target.number <= max_before && store::has_void(s, target.number)) {
                    ++counts.unchanged;
                    return;
                }
                if (auto [it, fresh] = void_line.emplace(target.number, x.line); !fresh) {
                    problems.add(x.line, map.column_name("reverses"),
                                 fmt::format("exchange {} is already voided on line {}", *x.reverses, it->second));
                    return;
                }
                p.balance += x.minutes;
                r.balance -= x.minutes;
                ++counts.added;
                if (tell) notice(fmt::format("line {}: add a void of exchange {}", x.line, target.number));
                ++next_number;
                if (appender && problems.count == 0)
                    appender->append({x.date, x.provider, x.recipient, x.minutes, x.category, x.note, "",
                                      target.number, history ? o.history_reason : ""},
                                     x.fingerprint, x.recorded_at, x.recorded_by);
                return;
            }
            std::optional<std::int64_t> already;
            if (!x.ref.empty() && max_before > 0) already = store::exchange_number_by_ref(s, x.ref);
            else if (x.nth <= x.existing)
                already = x.existing ? store::nth_with_fingerprint(s, x.fingerprint, x.nth) : std::nullopt;
            if (already && *already <= max_before) {
                ++counts.unchanged;
                note_target(x, *already);
                return;
            }
            // A row like an exchange already recorded that day between the
            // same two members, whose own row is no longer in the file: most
            // likely that row corrected (a cumulative sheet edited in place),
            // not a second exchange.
            if (x.ref.empty() && max_before > 0 && !x.reverses) {
                for (auto& old : store::same_day_exchanges(s, x.date, x.provider, x.recipient, max_before)) {
                    if (stage.has_fingerprint(old.ref)) continue;
                    std::vector<std::string> diffs;
                    if (old.minutes != x.minutes)
                        diffs.push_back(fmt::format("{} → {}", format_hm(old.minutes), format_hm(x.minutes)));
                    if (text::lower(old.category) != text::lower(x.category))
                        diffs.push_back(fmt::format("category {} → {}", old.category.empty() ? "(none)" : old.category,
                                                    x.category.empty() ? "(none)" : x.category));
                    if (old.note != x.note) diffs.push_back(fmt::format("note '{}' → '{}'", old.note, x.note));
                    problems.add(x.line, map.column_name(map.has("minutes") ? "minutes" : "hours"),
                                 fmt::format("looks like exchange {} edited: {}; correct it with tb-exchange amend {} "
                                             "(a second exchange that day needs its own ref, or tb-exchange record)",
                                             old.number, text::join(diffs, ", "), old.number));
                    return;
                }
            }
            ExchangeDraft d{x.date, x.provider, x.recipient, x.minutes, x.category, x.note, x.ref, std::nullopt,
                            history ? o.history_reason : ""};
            auto v = policy.check_exchange(d, p.member, r.member);
            auto vb = policy.check_balances(d, p.member, p.balance, r.member, r.balance);
            v.insert(v.end(), vb.begin(), vb.end());
            // A blocked pair is refused even in history: an import has no
            // --override (record that exchange on its own with one).
            auto vp = policy.check_pair(d, blocked.count(ordered_pair(x.provider, x.recipient)) > 0);
            v.insert(v.end(), vp.begin(), vp.end());
            // The category was ruled on when the row was read.
            std::erase_if(v, [](const Violation& viol) { return viol.rule == "category"; });
            if (history)
                std::erase_if(v, [](const Violation& viol) {
                    return viol.rule == "inactive" || viol.rule == "future" || viol.rule == "backdate" ||
                           viol.rule == "min_balance" || viol.rule == "max_balance";
                });
            for (auto& viol : v) {
                std::string column = viol.rule == "hours" ? map.column_name(map.has("minutes") ? "minutes" : "hours")
                                     : viol.rule == "future" || viol.rule == "backdate" ? map.column_name("date")
                                     : viol.rule == "category"                          ? map.column_name("category")
                                     : viol.rule == "max_balance"                       ? map.column_name("provider")
                                     : viol.rule == "self"                              ? map.column_name("recipient")
                                     : viol.rule == "inactive" ? (p.member.status != MemberStatus::active
                                                                      ? map.column_name("provider")
                                                                      : map.column_name("recipient"))
                                                               : map.column_name("recipient");
                problems.add(x.line, column, viol.message);
            }
            p.balance += x.minutes;
            r.balance -= x.minutes;
            ++counts.added;
            if (tell)
                notice(fmt::format("line {}: add {} {} → {} {}{}", x.line, to_string(x.date), x.provider, x.recipient,
                                   format_hm(x.minutes), x.category.empty() ? "" : " " + x.category));
            auto number = next_number++;
            if (appender && problems.count == 0)
                number = appender->append(d, x.fingerprint, x.recorded_at, x.recorded_by).number;
            note_target(x, number);
        });
        counts.unchanged += orphan_rows;
    };
    auto fail = [&] {
        counts.rejected = static_cast<std::int64_t>(problems.bad_lines.size());
        throw Rejected(fmt::format("{} bad row{} in {}; nothing was imported", counts.rejected,
                                   counts.rejected == 1 ? "" : "s", in.name));
    };

    // Check, without the write lock.
    max_before = store::max_exchange_number(s);
    pass(nullptr, true);
    if (problems.count) fail();
    if (unresolved_categories)
        counts.warnings.push_back(fmt::format(
            "{} row{} of {} {} a category that is not in the taxonomy, kept as written (strict_categories = false)",
            unresolved_categories, unresolved_categories == 1 ? "" : "s", in.name,
            unresolved_categories == 1 ? "has" : "have"));
    auto warnings = counts.warnings;
    if (o.dry_run) return counts;

    // Write, holding the lock only now. Others may have recorded since the
    // check: balances are read again and the rows checked against them as
    // they are appended.
    reading.end();
    store::WriteTransaction tx(s);
    load_members();
    load_blocks();
    max_before = store::max_exchange_number(s);
    std::unique_ptr<store::BulkIndexes> bulk;
    // An empty ledger (a bank moving in) is loaded with its indexes rebuilt
    // afterwards: nothing needs looking up in it meanwhile.
    if (max_before == 0) bulk = std::make_unique<store::BulkIndexes>(s);
    {
        store::LedgerAppender appender(s, o.who);
        pass(&appender, false);
        if (problems.count) fail();
        appender.flush();
    }
    if (bulk) bulk->finish();
    if (counts.added)
        store::audit(s, o.who, "tb-exchange import", fmt::format("exchanges {}..{}", max_before + 1, next_number - 1),
                     {"import"});
    tx.commit();
    counts.warnings = warnings;
    return counts;
}

}  // namespace tb
