#include "tb/core/import.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>
#include <sys/stat.h>

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

// A row's cells that cannot be read (a NUL, an ESC...) are its only
// problems: false, and the row is read no further. A row wider than the
// header is a problem too, but the row is read.
bool readable_row(const io::HeaderMap& map, const io::SourceRow& row, import_step::Problems& problems) {
    auto line = static_cast<std::int64_t>(row.line);
    if (auto bad = map.cell_problems(row.cells); !bad.empty()) {
        for (auto& [column, problem] : bad) problems.add(line, column, problem);
        return false;
    }
    if (row.cells.size() > map.width())
        problems.add(line, fmt::format("column {}", map.width() + 1),
                     fmt::format("the row has {} cells but the header has {} columns", row.cells.size(), map.width()));
    return true;
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

constexpr std::size_t kNoRow = static_cast<std::size_t>(-1);

// An earlier row for the same member (same ID, else same email): a form sent twice.
struct Twin {
    std::size_t row = kNoRow;  // in MemberReader::rows
    std::string key;           // the ID or email they share
    bool reported = false;     // duplicates = "error": reported, not kept
};

// Reads a member file row by row: resolves each row to the member it is
// about, decodes its fields onto them and checks them against the store and
// the rows before. The rows are kept in `rows`.
class MemberReader {
public:
    MemberReader(store::MemberQueries& q, const Config& c, const ImportOptions& o, const io::HeaderMap& map,
                 import_step::Problems& problems)
        : q_(q), c_(c), o_(o), map_(map), problems_(problems), dup_rule_(o.mapping.duplicates.value_or("error")) {}
    void read(const io::SourceRow& row);

    std::vector<MemberRow> rows;
    std::unordered_map<std::string, std::size_t> ids_seen, emails_seen;  // -> index in rows
    std::int64_t duplicates = 0;

private:
    std::optional<Member> existing_member(const std::string& id, const std::string& email, const std::string& name);
    void decode_fields(const std::vector<std::string>& cells, std::int64_t line, const std::optional<Member>& existing,
                       Member& m);
    std::optional<Minutes> decode_opening(const std::vector<std::string>& cells, std::int64_t line);
    Twin find_twin(const std::string& id, const Member& m, std::int64_t line);
    void check_email(const Member& m, const Twin& twin, bool has_id, const std::optional<Member>& existing,
                     std::int64_t line);
    void check_forgotten(const Member& m, const std::optional<Member>& existing, std::int64_t line);
    void keep(MemberRow r, const Twin& twin, const std::string& id);

    store::MemberQueries& q_;
    const Config& c_;
    const ImportOptions& o_;
    const io::HeaderMap& map_;
    import_step::Problems& problems_;
    std::string dup_rule_;
};

// Resolve: the member this row is about, by id, else email, else name.
std::optional<Member> MemberReader::existing_member(const std::string& id, const std::string& email,
                                                    const std::string& name) {
    std::optional<std::string> found;
    if (!id.empty()) return q_.find(id);
    if (!email.empty()) found = q_.id_by_email(email);
    else if (!name.empty()) found = q_.id_by_name(name);
    return found ? q_.find(*found) : std::nullopt;
}

// Parse: the row's fields onto `m` (a blank cell keeps what is there).
void MemberReader::decode_fields(const std::vector<std::string>& cells, std::int64_t line,
                                 const std::optional<Member>& existing, Member& m) {
    char mark = o_.mapping.decimal_mark.value_or('.');
    for (auto& f : kMemberFields) {
        if (f == "id" || f == "balance" || f == "opening" || !map_.has(f)) continue;
        auto v = map_.get(f, cells, f == "note");
        if (!v || v->empty()) continue;  // a blank cell keeps what is there (or the default)
        if (f == "offers" || f == "wants" || f == "tags" || f == "checks") *v = split_join(*v, map_, f, o_.mapping);
        auto column = map_.column_name(f);
        if (f == "status") {
            auto st = text::lower(*v);
            if (st == "active" || st.empty())
                m.status = existing && existing->status == MemberStatus::forgotten ? MemberStatus::forgotten
                                                                                   : MemberStatus::active;
            else if (st == "inactive") m.status = MemberStatus::inactive;
            else if (st == "forgotten") m.status = MemberStatus::forgotten;
            else problems_.add(line, column, fmt::format("'{}' is not a status (active, inactive)", *v));
        } else if (f == "joined") {
            if (auto d = parse_import_date(*v, o_.mapping)) m.joined = *d;
            else problems_.add(line, column, date_problem(*v, o_.mapping));
        } else if (f == "checks") {
            // Checks travel with their expiry: "dbs:2027-01-31;driving-licence:2026-05-01".
            std::vector<std::string> bad;
            auto checks = parse_checks(c_, *v, bad);
            for (auto& b : bad) problems_.add(line, column, b);
            if (bad.empty()) m.checks = checks;
        } else if (f == "min_balance" || f == "max_balance") {
            auto& limit = f == "min_balance" ? m.min_limit : m.max_limit;
            if (auto err = attempt([&] { limit = parse_balance_limit(*v, mark); }))
                problems_.add(line, column, hours_problem(*err, *v, mark));
        } else if (auto err = attempt([&] { set_member_field(m, f, *v, o_.today); })) {
            problems_.add(line, column, *err);
        }
    }
}

std::optional<Minutes> MemberReader::decode_opening(const std::vector<std::string>& cells, std::int64_t line) {
    char mark = o_.mapping.decimal_mark.value_or('.');
    std::optional<Minutes> opening;
    if (auto v = map_.get("opening", cells); v && !v->empty()) {
        if (auto err = attempt([&] { opening = parse_opening(*v, o_.mapping, mark); }))
            problems_.add(line, map_.column_name("opening"), hours_problem(*err, *v, mark));
    }
    return opening;
}

Twin MemberReader::find_twin(const std::string& id, const Member& m, std::int64_t line) {
    Twin twin;
    if (!id.empty()) {
        if (auto it = ids_seen.find(id); it != ids_seen.end()) twin.row = it->second, twin.key = id;
    } else if (!m.email.empty()) {
        if (auto it = emails_seen.find(text::lower(m.email)); it != emails_seen.end())
            twin.row = it->second, twin.key = m.email;
    }
    if (twin.row != kNoRow && dup_rule_ == "error") {
        problems_.add(line, map_.column_name(!id.empty() ? "id" : "email"),
                      fmt::format("{} appears twice (first on line {}); set duplicates = \"first\" or \"last\" "
                                  "in a --mapping file to keep one",
                                  twin.key, rows[twin.row].line));
        twin.row = kNoRow;
        twin.reported = true;
    }
    return twin;
}

// An email another row or another member already has.
void MemberReader::check_email(const Member& m, const Twin& twin, bool has_id, const std::optional<Member>& existing,
                               std::int64_t line) {
    if (m.email.empty()) return;
    auto it = emails_seen.find(text::lower(m.email));
    bool same_as_twin = it != emails_seen.end() && twin.row != kNoRow && it->second == twin.row;
    if (it != emails_seen.end() && !same_as_twin) {
        if (!twin.reported || has_id)
            problems_.add(line, map_.column_name("email"),
                          fmt::format("{} appears twice (first on line {})", m.email, rows[it->second].line));
    } else if (auto other = q_.id_by_email(m.email); other && (!existing || *other != existing->id)) {
        problems_.add(line, map_.column_name("email"), fmt::format("{} already belongs to member {}", m.email, *other));
    }
}

// Only `tb-member forget` forgets, and nothing brings a forgotten member back.
void MemberReader::check_forgotten(const Member& m, const std::optional<Member>& existing, std::int64_t line) {
    bool was_forgotten = existing && existing->status == MemberStatus::forgotten;
    if (m.status == MemberStatus::forgotten && !was_forgotten) {
        bool blank = m.name == "forgotten-" + m.id && m.email.empty() && m.phone.empty() && m.postcode.empty() &&
                     m.neighbourhood.empty() && m.note.empty() && m.offers.empty() && m.wants.empty() &&
                     m.tags.empty();
        if (existing || !blank)
            problems_.add(line, map_.column_name("status"),
                          "forgotten is set only by tb-member forget (or by importing a forgotten member's "
                          "exported row)");
    }
    if (was_forgotten && !same_member(m, *existing))
        problems_.add(line, map_.column_name(map_.has("id") ? "id" : "name"),
                      fmt::format("member {} has been forgotten; their row cannot change", existing->id));
}

// A good row kept, unless duplicates = "first" passes it over for its twin.
void MemberReader::keep(MemberRow r, const Twin& twin, const std::string& id) {
    auto notice = [&](const std::string& msg) {
        if (o_.verbose && o_.notice) o_.notice(msg);
    };
    if (twin.row != kNoRow) {
        ++duplicates;
        if (dup_rule_ == "first") {
            notice(fmt::format("line {}: {} again (first on line {}): passed over (duplicates = \"first\")", r.line,
                               twin.key, rows[twin.row].line));
            return;
        }
        notice(fmt::format("line {}: {} again (first on line {}): this row is taken (duplicates = \"last\")", r.line,
                           twin.key, rows[twin.row].line));
        rows[twin.row].dropped = true;
    }
    rows.push_back(std::move(r));
    auto& kept = rows.back();
    if (!id.empty()) ids_seen[id] = rows.size() - 1;
    if (!kept.m.email.empty()) emails_seen[text::lower(kept.m.email)] = rows.size() - 1;
}

void MemberReader::read(const io::SourceRow& row) {
    auto line = static_cast<std::int64_t>(row.line);
    std::int64_t before = problems_.count;
    if (!readable_row(map_, row, problems_)) return;
    auto val = [&](const std::string& f) { return map_.get(f, row.cells).value_or(""); };
    std::string id = val("id");
    auto existing = existing_member(id, val("email"), val("name"));
    Member m;
    if (existing) m = *existing;
    else {
        m.joined = o_.today;
        m.id = id;
    }
    decode_fields(row.cells, line, existing, m);
    auto opening = decode_opening(row.cells, line);
    for (auto& p : member_problems(m)) {
        auto colon = p.find(": ");
        problems_.add(line, map_.column_name(p.substr(0, colon)), p.substr(colon + 2));
    }
    auto twin = find_twin(id, m, line);
    check_email(m, twin, !id.empty(), existing, line);
    check_forgotten(m, existing, line);
    if (problems_.count != before) return;
    MemberRow r;
    r.line = line;
    r.opening = opening;
    if (existing) {
        r.old = *existing;
        r.kind = same_member(m, *existing) ? MemberRow::Kind::unchanged
                 : o_.update               ? MemberRow::Kind::update
                                           : MemberRow::Kind::differ;
    }
    r.m = std::move(m);
    keep(std::move(r), twin, id);
}

// IDs for new members without one, given once every row has been read, so
// that none can take an ID a later row names; following on from the store's
// highest.
class NewIds {
public:
    NewIds(store::Store& s, store::MemberQueries& q, const std::vector<MemberRow>& rows)
        : q_(q), n_(std::stoll(store::next_member_id(s).substr(1))) {
        for (auto& r : rows)
            if (!r.dropped && !r.m.id.empty()) taken_.insert(r.m.id);
    }
    void give(Member& m) {
        do m.id = fmt::format("M{:04}", n_++);
        while (taken_.count(m.id) || q_.exists(m.id));
        taken_.insert(m.id);
    }

private:
    store::MemberQueries& q_;
    std::int64_t n_;
    std::unordered_set<std::string> taken_;
};

// The counts of what the rows will do, each told with -v.
ImportCounts count_member_rows(const std::vector<MemberRow>& rows, const ImportOptions& o) {
    ImportCounts counts;
    auto notice = [&](const std::string& msg) {
        if (o.verbose && o.notice) o.notice(msg);
    };
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
                notice(fmt::format("line {}: {} differs (use --update): {}", r.line, r.m.id,
                                   member_diff(*r.old, r.m, o.today)));
                break;
            case MemberRow::Kind::unchanged: ++counts.unchanged; break;
        }
    }
    return counts;
}

// Write, under the lock. What was read may have changed meanwhile: a
// member added or edited by someone else is not overwritten.
void write_members(store::Store& s, store::MemberQueries& q, MemberReader& reader, NewIds& ids,
                   const ImportOptions& o, const std::string& file) {
    for (auto& r : reader.rows) {
        if (r.dropped) continue;
        if (r.kind == MemberRow::Kind::add) {
            if (q.exists(r.m.id)) {
                if (r.m.id.size() > 1 && r.m.id[0] == 'M' && !reader.ids_seen.count(r.m.id)) ids.give(r.m);
                else
                    throw Rejected(fmt::format("{}:{}: member {} was added by someone else while the file was read; "
                                               "nothing was imported (run it again)",
                                               file, r.line, r.m.id));
            }
            if (!r.m.email.empty())
                if (auto other = q.id_by_email(r.m.email))
                    throw Rejected(fmt::format("{}:{}: {} was given to member {} while the file was read; nothing "
                                               "was imported",
                                               file, r.line, r.m.email, *other));
            store::insert_member(s, r.m);
            if (!r.m.checks.empty()) store::replace_checks(s, r.m.id, r.m.checks);
            store::audit(s, o.who, "tb-member import", r.m.id, {"import"});
            if (r.opening) store::append_opening(s, r.m.id, *r.opening, r.m.joined, "opening balance (import)", o.who);
        } else if (r.kind == MemberRow::Kind::update) {
            auto now = q.find(r.m.id);
            if (!now || !same_member(*now, *r.old))
                throw Rejected(fmt::format("{}:{}: member {} was changed by someone else while the file was read; "
                                           "nothing was imported (run it again)",
                                           file, r.line, r.m.id));
            save_member(s, r.m, {"import"}, o.who, "tb-member import");
            if (!same_checks(r.m.checks, r.old->checks)) store::replace_checks(s, r.m.id, r.m.checks);
        }
    }
}

// Any bad row: nothing is written.
[[noreturn]] void fail(const import_step::Problems& problems) {
    auto n = problems.bad_lines.size();
    throw Rejected(fmt::format("{} bad row{} in {}; nothing was imported", n, n == 1 ? "" : "s", problems.file));
}

}  // namespace

ImportCounts import_members(store::Store& s, const Config& c, const ImportOptions& o, const ProblemSink& report) {
    auto in = open_with_header(o, kMemberFields);
    auto& map = *in.map;
    if (!map.has("name") && !map.has("id"))
        throw Rejected(fmt::format("{}: no name column (looked for name, or first name + surname)", in.name));
    import_step::Problems problems{report, in.name, 0, {}};
    store::ReadTransaction reading(s);  // one view of the store, no lock
    // The statements each row uses, prepared once.
    store::MemberQueries queries(s);
    MemberReader reader(queries, c, o, map, problems);

    // Parse, resolve and check every row, without the write lock.
    io::SourceRow row;
    while (in.src->next(row))
        if (!blank_row(row.cells)) reader.read(row);
    if (problems.count) fail(problems);
    NewIds ids(s, queries, reader.rows);
    for (auto& r : reader.rows)
        if (!r.dropped && r.kind == MemberRow::Kind::add && r.m.id.empty()) ids.give(r.m);
    auto counts = count_member_rows(reader.rows, o);
    counts.duplicates = reader.duplicates;
    if (o.dry_run) return counts;

    reading.end();
    store::WriteTransaction tx(s);
    write_members(s, queries, reader, ids, o, in.name);
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

// The column of the amount: minutes when the file has them, else hours.
std::string amount_column(const io::HeaderMap& map) { return map.column_name(map.has("minutes") ? "minutes" : "hours"); }

// The hours and minutes cells: the exchange's minutes.
void parse_amount(import_step::ExchangeFile& f, const std::vector<std::string>& cells, std::int64_t line,
                  store::StagedExchange& e, import_step::Problems& problems) {
    auto& map = f.map;
    char mark = f.options.mapping.decimal_mark.value_or('.');
    auto hours = map.get("hours", cells).value_or(""), minutes = map.get("minutes", cells).value_or("");
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
}

// The number and reverses cells: exchange numbers as in the file.
void parse_numbers(const io::HeaderMap& map, const std::vector<std::string>& cells, std::int64_t line,
                   store::StagedExchange& e, import_step::Problems& problems) {
    for (auto [field, target] : {std::pair{"number", &e.number}, std::pair{"reverses", &e.reverses}}) {
        auto t = map.get(field, cells).value_or("");
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
}

// A history row's recorded_at and recorded_by: a UTC time, not after today
// nor before the exchange's date.
void parse_recorded(const import_step::ExchangeFile& f, const std::vector<std::string>& cells, std::int64_t line,
                    std::int64_t before, store::StagedExchange& e, import_step::Problems& problems) {
    auto& map = f.map;
    e.recorded_at = map.get("recorded_at", cells).value_or("");
    e.recorded_by = map.get("recorded_by", cells).value_or("");
    auto day = recorded_day(e.recorded_at);
    auto column = map.column_name("recorded_at");
    if (!day)
        problems.add(line, column,
                     e.recorded_at.empty()
                         ? "missing (a history row keeps when it was recorded)"
                         : fmt::format("'{}' is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)", e.recorded_at));
    else if (*day > f.options.today)
        problems.add(line, column, fmt::format("{} is after today ({})", e.recorded_at, f.options.today));
    else if (problems.count == before && *day < e.date)
        problems.add(line, column, fmt::format("{} is before the exchange's date {}", e.recorded_at, e.date));
}

}  // namespace

namespace import_step {

void Problems::add(std::int64_t line, const std::string& column, const std::string& problem) {
    ++count;
    bad_lines.insert(line);
    sink(fmt::format("{}:{}: {}: {}", file, line, column, problem));
}

const CategoryRuling& ruled_category(ExchangeFile& f, const std::string& text) {
    if (auto it = f.categories.find(text); it != f.categories.end()) return it->second;
    auto ruling = rule_category(f.config, text);
    if (f.categories.size() >= kMaxRuledCategories) return f.uncached = std::move(ruling);
    return f.categories.emplace(text, std::move(ruling)).first->second;
}

bool parse_exchange_row(ExchangeFile& f, const io::SourceRow& row, ExchangeRecord& out, Problems& problems) {
    auto& map = f.map;
    auto line = static_cast<std::int64_t>(row.line);
    auto before = problems.count;
    if (!readable_row(map, row, problems)) return false;
    auto val = [&](const char* field) { return map.get(field, row.cells).value_or(""); };
    out = {};
    auto& e = out.e;
    e.line = line;
    auto date = val("date");
    if (auto d = parse_import_date(date, f.options.mapping)) e.date = *d;
    else problems.add(line, map.column_name("date"), date.empty() ? "missing" : date_problem(date, f.options.mapping));
    out.provider_key = val("provider");
    out.recipient_key = val("recipient");
    if (out.provider_key.empty()) problems.add(line, map.column_name("provider"), "missing");
    if (out.recipient_key.empty()) problems.add(line, map.column_name("recipient"), "missing");
    parse_amount(f, row.cells, line, e, problems);
    // Stored under the taxonomy's name; a ledger export's rows keep an old
    // category that no longer resolves (they are history).
    auto& ruling = ruled_category(f, val("category"));
    e.category = ruling.name;
    if (ruling.problem && !f.history) problems.add(line, map.column_name("category"), *ruling.problem);
    else if (ruling.warning) ++f.unresolved_categories;
    e.note = map.get("note", row.cells, true).value_or("");
    e.ref = val("ref");
    parse_numbers(map, row.cells, line, e, problems);
    if (f.history) parse_recorded(f, row.cells, line, before, e, problems);
    return true;
}

FileMembers::FileMembers(store::Store& s, bool ids_in_parentheses)
    : queries_(s), ids_in_parentheses_(ids_in_parentheses) {}

int FileMembers::slot_of(const std::string& id) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) {
        slots_.push_back(Slot{id, std::nullopt, false});
        it = by_id_.emplace(id, static_cast<int>(slots_.size() - 1)).first;
    }
    return at(it->second) ? it->second : -1;
}

MemberState* FileMembers::at(int slot) {
    auto& s = slots_[static_cast<std::size_t>(slot)];
    if (!s.read) {
        s.state.reset();
        if (auto m = queries_.by_id(s.id)) s.state = MemberState{*m, m->balance};
        s.read = true;
    }
    return s.state ? &*s.state : nullptr;
}

MemberState* FileMembers::by_id(const std::string& id) {
    auto slot = slot_of(id);
    return slot < 0 ? nullptr : at(slot);
}

void FileMembers::forget_read() {
    for (auto& s : slots_) s.read = false;
}

// The cell as written (not trimmed), compared case-insensitively in ASCII
// as text::lower does. Every email has an '@' (member_problems).
std::optional<std::string> FileMembers::id_by_email(const std::string& key) {
    if (key.find('@') == std::string::npos) return std::nullopt;
    return queries_.id_by_email(key);
}

int FileMembers::resolve_slot(const std::string& key, std::string& problem) {
    auto it = cells_.find(key);
    if (it == cells_.end()) {
        int slot = -1;
        std::string why;
        if (auto own = slot_of(key); own >= 0) slot = own;
        else if (auto by_email = id_by_email(key)) slot = slot_of(*by_email);
        else if (auto inner = ids_in_parentheses_ ? id_in_parentheses(key) : std::string();
                 !inner.empty() && slot_of(inner) >= 0)
            slot = slot_of(inner);
        else if (auto found = lookup_member(queries_, key); found.found()) slot = slot_of(found.id);
        else why = found.result == MemberLookup::Result::ambiguous ? found.problem : fmt::format("no member '{}'", key);
        it = cells_.emplace(key, std::pair{slot, why}).first;
    }
    problem = it->second.second;
    return it->second.first;
}

MemberState* FileMembers::resolve(const std::string& key, std::string& problem) {
    auto slot = resolve_slot(key, problem);
    return slot < 0 ? nullptr : at(slot);
}

std::vector<Violation> exchange_violations(const LedgerPolicy& policy, const ExchangeDraft& d, const MemberState& p,
                                           const MemberState& r, bool blocked, bool history) {
    auto v = policy.check_exchange_but_category(d, p.member, r.member);
    auto vb = policy.check_balances(d, p.member, p.balance, r.member, r.balance);
    v.insert(v.end(), vb.begin(), vb.end());
    // A blocked pair is refused even in history: an import has no
    // --override (record that exchange on its own with one).
    auto vp = policy.check_pair(d, blocked);
    v.insert(v.end(), vp.begin(), vp.end());
    std::erase_if(v, [history](const Violation& viol) { return history && rule_info(viol.rule).waived_for_history; });
    return v;
}

std::string blamed_column(const io::HeaderMap& map, const Violation& v, const Member& provider) {
    std::string_view field = rule_info(v.rule).blames;
    if (field == "hours") return amount_column(map);
    if (field == "member") field = provider.status != MemberStatus::active ? "provider" : "recipient";
    return map.column_name(std::string(field));
}

}  // namespace import_step

namespace {

using import_step::FileMembers;
using import_step::MemberState;
using import_step::Problems;

// Rows naming one member who is now forgotten and someone no longer known:
// checked against the forgotten member's exchanges once the file is read.
struct Orphan {
    std::int64_t line;
    Date date;
    std::string known;
    bool known_is_provider;
    Minutes minutes;
    std::string category, problem;
};

// Parse and resolve every row, each good one passed to `take` (the stage: a
// temporary table, not the store, so no write lock is needed; or, streamed,
// the writing pass itself). Returns the orphans.
template <class Take>
std::vector<Orphan> read_exchanges(import_step::ExchangeFile& f, io::RowSource& src, FileMembers& members,
                                   Problems& problems, Take&& take) {
    std::vector<Orphan> orphans;
    io::SourceRow row;
    import_step::ExchangeRecord rec;
    while (src.next(row)) {
        if (blank_row(row.cells)) continue;
        auto before = problems.count;
        if (!import_step::parse_exchange_row(f, row, rec, problems)) continue;
        auto& e = rec.e;
        std::vector<std::pair<std::string, std::string>> unknown;  // field, problem
        bool forgotten = false;
        for (auto [field, key, target, slot] :
             {std::tuple{"provider", &rec.provider_key, &e.provider, &e.provider_slot},
              std::tuple{"recipient", &rec.recipient_key, &e.recipient, &e.recipient_slot}}) {
            std::string problem;
            if (key->empty()) continue;  // reported as missing
            *slot = members.resolve_slot(*key, problem);
            if (auto* m = *slot < 0 ? nullptr : members.at(*slot)) {
                *target = m->member.id;
                forgotten = forgotten || m->member.status == MemberStatus::forgotten;
            } else {
                unknown.emplace_back(field, problem);
            }
        }
        // One side names someone unknown and the other side is known: the
        // unknown may be a member since forgotten (their name and email
        // wiped). Such a row is already imported if the known member has
        // an exchange of that day, time and category with a forgotten one.
        if (unknown.size() == 1 && problems.count == before && !e.reverses) {
            bool known_is_provider = unknown[0].first == "recipient";
            orphans.push_back({e.line, e.date, known_is_provider ? e.provider : e.recipient, known_is_provider,
                               e.minutes, e.category, unknown[0].second});
            continue;
        }
        for (auto& [field, problem] : unknown) problems.add(e.line, f.map.column_name(field), problem);
        if (problems.count != before) continue;
        // A forgotten member's exchanges lost their notes, and their
        // fingerprints were taken again without one: so is this row's.
        e.fingerprint = exchange_fingerprint(e.date, e.provider, e.recipient, e.minutes, e.category,
                                             forgotten ? std::string() : e.note);
        take(e);
    }
    return orphans;
}

// Orphans beyond the forgotten member's matching exchanges are unknown names.
void check_orphans(store::Store& s, const io::HeaderMap& map, const std::vector<Orphan>& orphans, Problems& problems) {
    std::map<std::tuple<std::string, std::string, bool, Minutes, std::string>, std::int64_t> used;
    for (auto& x : orphans) {
        auto key = std::make_tuple(to_string(x.date), x.known, x.known_is_provider, x.minutes, text::lower(x.category));
        auto n = ++used[key];
        if (n <= store::count_forgotten_matches(s, x.date, x.known, x.known_is_provider, x.minutes, x.category)) continue;
        problems.add(x.line, map.column_name(x.known_is_provider ? "recipient" : "provider"), x.problem);
    }
}

// Write: checks every staged row in date order against the store with
// running balances; with an appender, appends each new one. Run once
// without the write lock to check, and again under it to write (members'
// balances read afresh: others may have recorded meanwhile).
class LedgerPass {
public:
    LedgerPass(store::Store& s, const Config& c, const ImportOptions& o, const io::HeaderMap& map,
               store::ExchangeStage& stage, FileMembers& members, Problems& problems)
        : s_(s), o_(o), map_(map), stage_(stage), members_(members), problems_(problems), policy_(c, o.today),
          history_(!o.history_reason.empty()), targets_(stage.reverse_targets()) {}
    ImportCounts run(std::int64_t max_before, store::LedgerAppender* appender, bool tell);
    // run() a row at a time: start(), then row() for each row in date order.
    void start(std::int64_t max_before, store::LedgerAppender* appender, bool tell);
    void row(const store::StagedExchange& x);
    const ImportCounts& counts() const { return counts_; }
    std::int64_t next_number() const { return next_number_; }

private:
    struct Target {
        std::int64_t number;  // in the store
        std::int64_t line;
        std::string provider, recipient;
        Minutes minutes;
    };
    void void_row(const store::StagedExchange& x, MemberState& p, MemberState& r);
    bool already_recorded(const store::StagedExchange& x);
    bool looks_edited(const store::StagedExchange& x);
    void note_target(const store::StagedExchange& x, std::int64_t number);
    // By the slot the row was staged with (FileMembers::at), else by ID.
    MemberState& member(int slot, const std::string& id);
    // Whether each row is told (-v, on the checking run): only then is its
    // line formatted.
    bool telling() const { return tell_ && o_.verbose && o_.notice; }

    store::Store& s_;
    const ImportOptions& o_;
    const io::HeaderMap& map_;
    store::ExchangeStage& stage_;
    FileMembers& members_;
    Problems& problems_;
    LedgerPolicy policy_;
    bool history_;
    std::vector<std::int64_t> targets_;  // the file numbers that voids in the file point at
    std::set<std::pair<std::string, std::string>> blocked_;
    // Per run:
    store::LedgerAppender* appender_ = nullptr;
    bool tell_ = false;
    ImportCounts counts_;
    std::int64_t max_before_ = 0, next_number_ = 0;
    std::map<std::int64_t, Target> number_in_store_;
    std::map<std::int64_t, std::int64_t> void_line_;  // store number -> line of the file's void of it
};

ImportCounts LedgerPass::run(std::int64_t max_before, store::LedgerAppender* appender, bool tell) {
    start(max_before, appender, tell);
    stage_.for_each(max_before, [this](const store::StagedExchange& x) { row(x); });
    return counts_;
}

void LedgerPass::start(std::int64_t max_before, store::LedgerAppender* appender, bool tell) {
    appender_ = appender;
    tell_ = tell;
    counts_ = {};
    number_in_store_.clear();
    void_line_.clear();
    max_before_ = max_before;
    next_number_ = max_before + 1;
    blocked_.clear();
    for (auto& b : store::all_blocks(s_)) blocked_.insert(ordered_pair(b.a, b.b));
}

MemberState& LedgerPass::member(int slot, const std::string& id) {
    if (auto* m = slot < 0 ? members_.by_id(id) : members_.at(slot)) return *m;
    throw SystemError(fmt::format("member {} is no longer in the store", id));
}

void LedgerPass::note_target(const store::StagedExchange& x, std::int64_t number) {
    if (!x.number || !std::binary_search(targets_.begin(), targets_.end(), *x.number)) return;
    auto [it, fresh] = number_in_store_.emplace(*x.number, Target{number, x.line, x.provider, x.recipient, x.minutes});
    if (!fresh)
        problems_.add(x.line, map_.column_name("number"),
                      fmt::format("exchange {} is also on line {}, and a void refers to it", *x.number, it->second.line));
}

// A void in the file reverses an exchange of the same file.
void LedgerPass::void_row(const store::StagedExchange& x, MemberState& p, MemberState& r) {
    auto column = map_.column_name("reverses");
    auto t = number_in_store_.find(*x.reverses);
    if (t == number_in_store_.end()) {
        problems_.add(x.line, column, fmt::format("exchange {} is not in the file before this void", *x.reverses));
        return;
    }
    const Target& target = t->second;
    // What tb check asks of a void: the same minutes, the other way.
    if (x.provider != target.recipient || x.recipient != target.provider || x.minutes != target.minutes) {
        problems_.add(x.line, column,
                      fmt::format("does not reverse exchange {} (line {}: {} to {}, {} hours)", *x.reverses,
                                  target.line, target.provider, target.recipient, format_hours(target.minutes)));
        return;
    }
    if (target.number <= max_before_ && store::has_void(s_, target.number)) {
        ++counts_.unchanged;
        return;
    }
    if (auto [it, fresh] = void_line_.emplace(target.number, x.line); !fresh) {
        problems_.add(x.line, column, fmt::format("exchange {} is already voided on line {}", *x.reverses, it->second));
        return;
    }
    p.balance += x.minutes;
    r.balance -= x.minutes;
    ++counts_.added;
    if (telling()) o_.notice(fmt::format("line {}: add a void of exchange {}", x.line, target.number));
    ++next_number_;
    if (appender_ && problems_.count == 0)
        appender_->append({x.date, x.provider, x.recipient, x.minutes, x.category, x.note, "", target.number,
                           history_ ? o_.history_reason : ""},
                          x.fingerprint, x.recorded_at, x.recorded_by, {x.provider_slot, x.recipient_slot});
}

// An exchange of the file the store already has (by ref, else the nth of
// its fingerprint).
bool LedgerPass::already_recorded(const store::StagedExchange& x) {
    std::optional<std::int64_t> already;
    if (!x.ref.empty() && max_before_ > 0) already = store::exchange_number_by_ref(s_, x.ref);
    else if (x.nth <= x.existing) already = x.existing ? store::nth_with_fingerprint(s_, x.fingerprint, x.nth) : std::nullopt;
    if (!already || *already > max_before_) return false;
    ++counts_.unchanged;
    note_target(x, *already);
    return true;
}

// A row like an exchange already recorded that day between the same two
// members, whose own row is no longer in the file: most likely that row
// corrected (a cumulative sheet edited in place), not a second exchange.
bool LedgerPass::looks_edited(const store::StagedExchange& x) {
    if (!x.ref.empty() || max_before_ == 0 || x.reverses) return false;
    for (auto& old : store::same_day_exchanges(s_, x.date, x.provider, x.recipient, max_before_)) {
        if (stage_.has_fingerprint(old.ref)) continue;
        std::vector<std::string> diffs;
        if (old.minutes != x.minutes) diffs.push_back(fmt::format("{} → {}", format_hm(old.minutes), format_hm(x.minutes)));
        if (text::lower(old.category) != text::lower(x.category))
            diffs.push_back(fmt::format("category {} → {}", old.category.empty() ? "(none)" : old.category,
                                        x.category.empty() ? "(none)" : x.category));
        if (old.note != x.note) diffs.push_back(fmt::format("note '{}' → '{}'", old.note, x.note));
        problems_.add(x.line, amount_column(map_),
                      fmt::format("looks like exchange {} edited: {}; correct it with tb-exchange amend {} "
                                  "(a second exchange that day needs its own ref, or tb-exchange record)",
                                  old.number, text::join(diffs, ", "), old.number));
        return true;
    }
    return false;
}

void LedgerPass::row(const store::StagedExchange& x) {
    auto& p = member(x.provider_slot, x.provider);
    auto& r = member(x.recipient_slot, x.recipient);
    if (x.reverses) return void_row(x, p, r);
    if (already_recorded(x) || looks_edited(x)) return;
    ExchangeDraft d{x.date, x.provider,    x.recipient, x.minutes, x.category, x.note, x.ref, std::nullopt,
                    history_ ? o_.history_reason : ""};
    bool blocked = blocked_.count(ordered_pair(x.provider, x.recipient)) > 0;
    for (auto& v : import_step::exchange_violations(policy_, d, p, r, blocked, history_))
        problems_.add(x.line, import_step::blamed_column(map_, v, p.member), v.message);
    p.balance += x.minutes;
    r.balance -= x.minutes;
    ++counts_.added;
    if (telling())
        o_.notice(fmt::format("line {}: add {} {} → {} {}{}", x.line, x.date, x.provider, x.recipient,
                              format_hm(x.minutes), x.category.empty() ? "" : " " + x.category));
    auto number = next_number_++;
    if (appender_ && problems_.count == 0)
        number = appender_->append(d, x.fingerprint, x.recorded_at, x.recorded_by, {x.provider_slot, x.recipient_slot})
                     .number;
    note_target(x, number);
}

// The columns an exchange file must have, and --history's recorded_at.
void check_exchange_columns(const io::HeaderMap& map, const std::string& file, bool history) {
    std::vector<std::string> missing;
    for (auto f : {"date", "provider", "recipient"})
        if (!map.has(f)) missing.push_back(f);
    if (!map.has("hours") && !map.has("minutes")) missing.push_back("hours");
    if (!missing.empty())
        throw Rejected(fmt::format("{}: no {} column (map one in a --mapping file)", file, text::join(missing, ", ")));
    // History (SPEC "Imports"): only --history makes a tb export's rows
    // history, exempt from the rules that held when they were first
    // recorded. Without it recorded_at is just another column.
    if (history && !map.has("recorded_at"))
        throw UsageError(fmt::format("{}: --history is for a file exported by tb, with a recorded_at column", file));
}

std::string unresolved_warning(std::int64_t n, const std::string& file) {
    return fmt::format("{} row{} of {} {} a category that is not in the taxonomy, kept as written (strict_categories = false)",
                       n, n == 1 ? "" : "s", file, n == 1 ? "has" : "have");
}

// Whether the rows are checked as they are written, in one pass over the
// stage under the write lock, instead of in a pass of their own before it:
// into an empty ledger (a bank moving in: no one has recorded an exchange
// yet, so no one waits for the lock), when the file was read without a
// problem. The writing pass applies every rule to every row as the checking
// pass would, and any problem rolls the whole transaction back, so the
// rows, problems and counts are the same; only the second read of a
// million staged rows is saved. A dry run and -v keep their checking pass.
bool one_pass(store::Store& s, const ImportOptions& o, const Problems& problems) {
    return !o.dry_run && !o.verbose && !o.check_first && problems.count == 0 && store::max_exchange_number(s) == 0;
}

// The end of a write: the ledger's indexes built again after a bulk load
// (first: the kept totals read the ledger through them, for the last trade
// of a member whose latest trade the file voids), the kept totals and the
// balances, and the audit line.
void finish_write(store::Store& s, const ImportOptions& o, store::LedgerAppender& appender, store::BulkIndexes* bulk,
                  std::int64_t max_before, const LedgerPass& pass) {
    if (bulk) bulk->finish();
    appender.flush();
    if (pass.counts().added)
        store::audit(s, o.who, "tb-exchange import", fmt::format("exchanges {}..{}", max_before + 1, pass.next_number() - 1),
                     {"import"});
}

// Write, holding the lock only now. Others may have recorded since the
// check: balances are read again and the rows checked against them as they
// are appended.
ImportCounts write_exchanges(store::Store& s, const ImportOptions& o, FileMembers& members, LedgerPass& pass,
                             const Problems& problems, std::int64_t orphan_rows) {
    store::WriteTransaction tx(s);
    members.forget_read();
    auto max_before = store::max_exchange_number(s);
    std::unique_ptr<store::BulkIndexes> bulk;
    // An empty ledger (a bank moving in) is loaded with its indexes rebuilt
    // afterwards: nothing needs looking up in it meanwhile.
    if (max_before == 0) bulk = std::make_unique<store::BulkIndexes>(s);
    store::LedgerAppender appender(s, o.who);
    auto counts = pass.run(max_before, &appender, false);
    counts.unchanged += orphan_rows;
    if (problems.count) fail(problems);
    finish_write(s, o, appender, bulk.get(), max_before, pass);
    tx.commit();
    return counts;
}

// Thrown while streaming (import_streamed) at the first sign that the file
// needs the staged way.
struct NotStreamed {};

// Whether an import may try the streamed way: a file that can be read
// again from its start if it turns out not to be for it (a regular file:
// not stdin, not a pipe), without voids (which are matched with the rows
// they reverse through the stage), into an empty ledger, written at once.
bool streamable(store::Store& s, const ImportOptions& o, const io::HeaderMap& map) {
    if (o.dry_run || o.verbose || o.check_first || o.file == "-" || map.has("reverses")) return false;
    struct stat st {};
    if (::stat(o.file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    return store::max_exchange_number(s) == 0;  // and again under the lock
}

// A bank moving in, streamed: a file in date order into an empty ledger,
// each row checked and written as it is read, under the write lock from the
// start (no one has recorded an exchange yet; one who tries meanwhile waits
// for it, tb-exchange(1)), and not staged and read back (2.3 s of a 1M
// import: the stage's inserts, the refs compared, the rows read back). Each
// row is checked as the staged way checks it; at the first sign that the
// file needs more (any problem, a row dated before the one above it, a name
// that may be a forgotten member's, a ref twice, which the ledger's unique
// index finds when it is built) the transaction is rolled back, nothing
// reported, and nullopt returned: the caller then imports the file the
// staged way, which reports every problem.
//
// SQLite's foreign keys are off meanwhile (0.6-0.9 s of a 1M import: two
// look-ups in the member table for each row). They hold all the same: every
// row's provider and recipient are members read by ID under this lock, and
// the appender looks each side up by ID again for the kept totals; if any
// were not a member's, the staged way, with its foreign keys on, is taken.
// No row here voids or amends another (no reverses column).
std::optional<ImportCounts> import_streamed(store::Store& s, const Config& c, const ImportOptions& o, Opened& in) {
    auto& map = *in.map;
    ProblemSink stop = [](const std::string&) { throw NotStreamed{}; };
    Problems problems{stop, in.name, 0, {}};
    try {
        store::ForeignKeysOff unchecked(s);
        store::WriteTransaction tx(s);
        if (store::max_exchange_number(s) != 0) return std::nullopt;
        FileMembers members(s, o.mapping.id_in_parentheses.value_or(false));
        import_step::ExchangeFile file{map, c, o, !o.history_reason.empty(), 0};
        store::ExchangeStage stage(s);  // stays empty: the pass asks it which rows voids point at
        LedgerPass pass(s, c, o, map, stage, members, problems);
        store::BulkIndexes bulk(s);
        store::LedgerAppender appender(s, o.who);
        pass.start(0, &appender, false);
        std::optional<Date> last;
        auto orphans = read_exchanges(file, *in.src, members, problems, [&](const store::StagedExchange& e) {
            if (last && e.date < *last) throw NotStreamed{};
            last = e.date;
            pass.row(e);
        });
        if (!orphans.empty() || appender.strangers() != 0) throw NotStreamed{};
        try {
            finish_write(s, o, appender, &bulk, 0, pass);
        } catch (const SQLite::Exception& e) {
            if ((e.getErrorCode() & 0xff) != SQLITE_CONSTRAINT) throw;
            throw NotStreamed{};  // a ref twice: the staged way tells which lines
        }
        tx.commit();
        auto counts = pass.counts();
        counts.passes = 1;
        counts.streamed = true;
        if (auto n = file.unresolved_categories) counts.warnings.push_back(unresolved_warning(n, in.name));
        return counts;
    } catch (const NotStreamed&) {
        return std::nullopt;
    }
}

}  // namespace

ImportCounts import_exchanges(store::Store& s, const Config& c, const ImportOptions& o, const ProblemSink& report) {
    auto in = open_with_header(o, kExchangeFields);
    bool history = !o.history_reason.empty();
    check_exchange_columns(*in.map, in.name, history);
    if (streamable(s, o, *in.map)) {
        if (auto counts = import_streamed(s, c, o, in)) return *counts;
        in = open_with_header(o, kExchangeFields);  // the staged way, from the start
    }
    auto& map = *in.map;
    Problems problems{report, in.name, 0, {}};
    // Reading and checking see one state of the store, and take no lock
    // that would keep others from recording.
    store::ReadTransaction reading(s);
    FileMembers members(s, o.mapping.id_in_parentheses.value_or(false));
    import_step::ExchangeFile file{map, c, o, history, 0};
    store::ExchangeStage stage(s);
    auto orphans = read_exchanges(file, *in.src, members, problems, [&](const store::StagedExchange& e) { stage.add(e); });
    for (auto [line, first] : stage.duplicate_refs())
        problems.add(line, map.column_name("ref"), fmt::format("the same ref is on line {}", first));
    check_orphans(s, map, orphans, problems);
    auto orphan_rows = static_cast<std::int64_t>(orphans.size());
    orphans = {};

    LedgerPass pass(s, c, o, map, stage, members, problems);
    ImportCounts counts;
    if (!one_pass(s, o, problems)) {
        // Check, without the write lock.
        counts = pass.run(store::max_exchange_number(s), nullptr, true);
        counts.unchanged += orphan_rows;
        if (problems.count) fail(problems);
        counts.passes = 1;
    }
    if (auto n = file.unresolved_categories) counts.warnings.push_back(unresolved_warning(n, in.name));
    if (o.dry_run) return counts;
    reading.end();
    auto written = write_exchanges(s, o, members, pass, problems, orphan_rows);
    written.warnings = counts.warnings;
    written.passes = counts.passes + 1;
    return written;
}

}  // namespace tb
