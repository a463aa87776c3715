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
#include "tb/core/member_service.hpp"
#include "tb/core/policy.hpp"
#include "tb/core/taxonomy.hpp"
#include "tb/io/mapping.hpp"
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

// The transaction of an import: BEGIN IMMEDIATE for a real run; a dry run
// only reads, so a plain deferred transaction keeps its view consistent.
class ImportTransaction {
public:
    ImportTransaction(store::Store& s, bool dry) {
        if (!dry) tx_ = std::make_unique<store::WriteTransaction>(s);
    }
    void commit() {
        if (tx_) tx_->commit();
    }

private:
    std::unique_ptr<store::WriteTransaction> tx_;
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
std::optional<Date> parse_import_date(const std::string& text, const ImportMapping& m) {
    if (m.date_format)
        if (auto d = parse_date_format(text, *m.date_format)) return d;
    return parse_iso_date(text);
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
                                                "tags",   "note",  "balance", "min_balance", "max_balance",
                                                "opening"};

bool same_member(const Member& a, const Member& b) {
    return a.name == b.name && a.kind == b.kind && a.status == b.status && a.email == b.email &&
           a.phone == b.phone && a.postcode == b.postcode && a.neighbourhood == b.neighbourhood &&
           a.joined == b.joined && a.note == b.note && a.offers == b.offers && a.wants == b.wants &&
           a.tags == b.tags && a.min_limit == b.min_limit && a.max_limit == b.max_limit;
}

}  // namespace

ImportCounts import_members(store::Store& s, const Config&, const ImportOptions& o, const ProblemSink& report) {
    auto in = open_with_header(o, kMemberFields);
    auto& map = *in.map;
    if (!map.has("name") && !map.has("id"))
        throw Rejected(fmt::format("{}: no name column (looked for name, or first name + surname)", in.name));
    Problems problems{report, in.name, 0, {}};
    ImportCounts counts;
    ImportTransaction tx(s, o.dry_run);
    std::unordered_map<std::string, std::int64_t> ids_seen, emails_seen;
    std::string next_id = store::next_member_id(s);
    std::vector<std::pair<Member, std::optional<Minutes>>> unnamed;  // new members without an ID
    std::unordered_set<std::string> added_here;
    auto insert_new = [&](const Member& m, const std::optional<Minutes>& opening) {
        added_here.insert(m.id);
        store::insert_member(s, m);
        store::audit(s, o.who, "tb-member import", m.id, {"import"});
        if (opening) store::append_opening(s, m.id, *opening, m.joined, "opening balance (import)", o.who);
    };
    char mark = o.mapping.decimal_mark.value_or('.');
    io::SourceRow row;
    while (in.src->next(row)) {
        if (blank_row(row.cells)) continue;
        auto line = static_cast<std::int64_t>(row.line);
        std::int64_t before = problems.count;
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
        // A member this file added is not one a later row can be about: a
        // dry run, which adds nothing, must say what the real run does.
        if (existing && added_here.count(existing->id)) existing.reset();
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
            if (auto err = attempt([&] {
                    if (auto h = parse_balance_hours(*v, mark)) opening = h;
                }))
                problems.add(line, map.column_name("opening"), hours_problem(*err, *v, mark));
        }
        for (auto& p : member_problems(m)) {
            auto colon = p.find(": ");
            problems.add(line, map.column_name(p.substr(0, colon)), p.substr(colon + 2));
        }
        if (!id.empty()) {
            auto [it, fresh] = ids_seen.emplace(id, line);
            if (!fresh) problems.add(line, map.column_name("id"), fmt::format("{} appears twice (first on line {})", id, it->second));
        }
        if (!m.email.empty()) {
            auto [it, fresh] = emails_seen.emplace(text::lower(m.email), line);
            if (!fresh)
                problems.add(line, map.column_name("email"),
                             fmt::format("{} appears twice (first on line {})", m.email, it->second));
            else if (auto other = store::member_id_by_email(s, m.email); other && (!existing || *other != existing->id))
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
        if (existing) {
            if (same_member(m, *existing)) ++counts.unchanged;
            else if (!o.update) ++counts.differ;
            else {
                ++counts.updated;
                if (!o.dry_run && problems.count == 0) save_member(s, m, {"import"}, o.who, "tb-member import");
            }
            continue;
        }
        ++counts.added;
        if (m.id.empty()) {
            // Given an ID once every row has been read, so that it cannot
            // take an ID that a later row of the file names.
            unnamed.push_back({std::move(m), opening});
            continue;
        }
        if (!o.dry_run && problems.count == 0) insert_new(m, opening);
    }
    // Generated IDs follow on from the store's highest.
    auto n = std::stoll(next_id.substr(1));
    for (auto& [m, opening] : unnamed) {
        do m.id = fmt::format("M{:04}", n++);
        while (ids_seen.count(m.id) || store::member_exists(s, m.id));
        if (!o.dry_run && problems.count == 0) insert_new(m, opening);
    }
    if (problems.count) {
        counts.rejected = static_cast<std::int64_t>(problems.bad_lines.size());
        throw Rejected(fmt::format("{} bad row{} in {}; nothing was imported", counts.rejected,
                                   counts.rejected == 1 ? "" : "s", in.name));
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

ImportCounts import_exchanges(store::Store& s, const Config& c, const ImportOptions& o, const ProblemSink& report) {
    auto in = open_with_header(o, kExchangeFields);
    auto& map = *in.map;
    std::vector<std::string> missing;
    for (auto f : {"date", "provider", "recipient"})
        if (!map.has(f)) missing.push_back(f);
    if (!map.has("hours") && !map.has("minutes")) missing.push_back("hours");
    if (!missing.empty())
        throw Rejected(fmt::format("{}: no {} column (map one in a --mapping file)", in.name, text::join(missing, ", ")));
    Problems problems{report, in.name, 0, {}};
    ImportCounts counts;
    ImportTransaction tx(s, o.dry_run);
    // A file with a recorded_at column is tb's own export: history being
    // restored. The rules that depend on the state of the bank when an
    // exchange was first recorded (members active, the backdating window,
    // balance limits, all checked or overridden then) are not applied to it
    // again. Only the column's own name says so: an alias such as the
    // "Timestamp" of a Google Forms sheet is a log of new exchanges.
    bool history = map.under_own_name("recorded_at");
    std::int64_t unresolved_categories = 0;  // accepted outside the taxonomy (not strict)

    // Members by ID and email: the size of the bank, not of the file.
    std::unordered_map<std::string, MemberState> members;
    std::unordered_map<std::string, std::string> by_email;
    store::MemberFilter all;
    all.include_inactive = all.include_forgotten = true;
    all.with_skills = false;
    store::for_each_member(s, all, [&](const Member& m) {
        members.emplace(m.id, MemberState{m, m.balance});
        if (!m.email.empty()) by_email.emplace(text::lower(m.email), m.id);
    });
    auto resolve = [&](const std::string& key) -> MemberState* {
        if (auto it = members.find(key); it != members.end()) return &it->second;
        if (auto e = by_email.find(text::lower(key)); e != by_email.end()) return &members.at(e->second);
        return nullptr;
    };
    char mark = o.mapping.decimal_mark.value_or('.');

    // Pass 1: parse every row into the stage.
    store::ExchangeStage stage(s);
    io::SourceRow row;
    store::StagedExchange e;
    while (in.src->next(row)) {
        if (blank_row(row.cells)) continue;
        auto line = static_cast<std::int64_t>(row.line);
        auto before = problems.count;
        if (row.cells.size() > map.width())
            problems.add(line, fmt::format("column {}", map.width() + 1),
                         fmt::format("the row has {} cells but the header has {} columns", row.cells.size(), map.width()));
        auto val = [&](const char* f) { return map.get(f, row.cells).value_or(""); };
        e = {};
        e.line = line;
        auto date = val("date");
        if (auto d = parse_import_date(date, o.mapping)) e.date = *d;
        else problems.add(line, map.column_name("date"), date.empty() ? "missing" : date_problem(date, o.mapping));
        for (auto [field, target] : {std::pair{"provider", &e.provider}, std::pair{"recipient", &e.recipient}}) {
            auto key = val(field);
            if (key.empty()) problems.add(line, map.column_name(field), "missing");
            else if (auto* m = resolve(key)) *target = m->member.id;
            else problems.add(line, map.column_name(field), fmt::format("no member '{}'", key));
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
        if (problems.count != before) continue;
        e.fingerprint = exchange_fingerprint(e.date, e.provider, e.recipient, e.minutes, e.category, e.note);
        stage.add(e);
    }
    for (auto [line, first] : stage.duplicate_refs())
        problems.add(line, map.column_name("ref"), fmt::format("the same ref is on line {}", first));

    // Pass 2: in date order, skip what is already there, check the policy
    // with running balances, and append (unless anything is wrong).
    auto targets = stage.reverse_targets();
    // The rows that voids in the file point at, by their number in the file.
    struct Target {
        std::int64_t number;  // in the store
        std::int64_t line;
        std::string provider, recipient;
        Minutes minutes;
    };
    std::map<std::int64_t, Target> number_in_store;
    std::map<std::int64_t, std::int64_t> void_line;        // store number -> line of the file's void of it
    auto max_before = store::max_exchange_number(s);
    auto next_number = max_before + 1;
    LedgerPolicy policy(c, o.today);
    std::set<std::pair<std::string, std::string>> blocked;
    for (auto& b : store::all_blocks(s)) blocked.insert(ordered_pair(b.a, b.b));
    std::unique_ptr<store::LedgerAppender> appender;
    std::unique_ptr<store::BulkIndexes> bulk;
    if (!o.dry_run) {
        // An empty ledger (a bank moving in) is loaded with its indexes
        // rebuilt afterwards: nothing needs looking up in it meanwhile.
        if (max_before == 0) bulk = std::make_unique<store::BulkIndexes>(s);
        appender = std::make_unique<store::LedgerAppender>(s, o.who);
    }
    // Notes where a row that a void points at went; two rows with that
    // number leave the void ambiguous.
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
            ++next_number;
            if (appender && problems.count == 0)
                appender->append({x.date, x.provider, x.recipient, x.minutes, x.category, x.note, "", target.number, ""},
                                 x.fingerprint);
            return;
        }
        std::optional<std::int64_t> already;
        if (!x.ref.empty() && max_before > 0) already = store::exchange_number_by_ref(s, x.ref);
        else if (x.nth <= x.existing) already = x.existing ? store::nth_with_fingerprint(s, x.fingerprint, x.nth) : std::nullopt;
        if (already && *already <= max_before) {
            ++counts.unchanged;
            note_target(x, *already);
            return;
        }
        ExchangeDraft d{x.date, x.provider, x.recipient, x.minutes, x.category, x.note, x.ref, std::nullopt, ""};
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
                                 : viol.rule == "inactive"                          ? (p.member.status != MemberStatus::active
                                                                                           ? map.column_name("provider")
                                                                                           : map.column_name("recipient"))
                                                                                    : map.column_name("recipient");
            problems.add(x.line, column, viol.message);
        }
        p.balance += x.minutes;
        r.balance -= x.minutes;
        ++counts.added;
        auto number = next_number++;
        if (appender && problems.count == 0) number = appender->append(d, x.fingerprint).number;
        note_target(x, number);
    });
    if (problems.count) {
        counts.rejected = static_cast<std::int64_t>(problems.bad_lines.size());
        throw Rejected(fmt::format("{} bad row{} in {}; nothing was imported", counts.rejected,
                                   counts.rejected == 1 ? "" : "s", in.name));
    }
    if (unresolved_categories)
        counts.warnings.push_back(fmt::format(
            "{} row{} of {} {} a category that is not in the taxonomy, kept as written (strict_categories = false)",
            unresolved_categories, unresolved_categories == 1 ? "" : "s", in.name,
            unresolved_categories == 1 ? "has" : "have"));
    if (appender) {
        appender->flush();
        if (bulk) bulk->finish();
        if (counts.added)
            store::audit(s, o.who, "tb-exchange import", fmt::format("exchanges {}..{}", max_before + 1, next_number - 1),
                         {"import"});
    }
    tx.commit();
    return counts;
}

}  // namespace tb
