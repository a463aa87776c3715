// The import steps on small inputs: parse a row, resolve the names in it,
// apply the policy (skip or reject, and the column blamed), write.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <string>
#include <unordered_map>
#include <vector>

#include "report_fixture.hpp"
#include "scratch_dir.hpp"
#include "tb/core/import.hpp"
#include "tb/core/member_lookup.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

using namespace tb;
using namespace tb::import_step;
using tb::test::ReportBank;
using tb::test::ScratchDir;

namespace {

const std::vector<std::string> kFields = {"number",   "date", "provider", "recipient", "hours",       "minutes",
                                          "category", "note", "ref",      "reverses",  "recorded_at", "recorded_by"};

struct Sink {
    std::vector<std::string> lines;
    ProblemSink fn = [this](const std::string& l) { lines.push_back(l); };
};

ImportOptions options(const std::string& file = "") {
    ImportOptions o;
    o.file = file;
    o.who = "test";
    o.today = *parse_iso_date("2026-11-27");
    return o;
}

void bank(ReportBank& b) {
    b.member("M0001", "José Álvarez");
    b.member("M0002", "Ann Lee");
    b.member("M0007", "ann  LEE");
    b.member("bob", "Bob Marsh");
    b.member("M0009", "Zoë  Quinn");
    auto m = *store::find_member(b.store(), "bob");
    m.email = "Bob.Marsh@Example.org";
    store::update_member(b.store(), m);
    auto z = *store::find_member(b.store(), "M0009");
    z.email = "ζωη@Example.gr";  // beyond ASCII: only its ASCII letters fold
    store::update_member(b.store(), z);
}

// The old exchange-import lookup: every member loaded into maps first.
std::string load_everything_lookup(store::Store& s, const std::string& key, bool parentheses, std::string& problem) {
    std::unordered_map<std::string, Member> members;
    std::unordered_map<std::string, std::string> by_email;
    store::MemberFilter all;
    all.include_inactive = all.include_forgotten = true;
    all.include_accounts = true;
    all.with_skills = false;
    store::for_each_member(s, all, [&](const Member& m) {
        members.emplace(m.id, m);
        if (!m.email.empty()) by_email.emplace(text::lower(m.email), m.id);
    });
    if (members.count(key)) return key;
    if (auto e = by_email.find(text::lower(key)); e != by_email.end()) return e->second;
    if (parentheses) {
        auto t = std::string(text::trim(key));
        if (t.size() >= 3 && t.back() == ')') {
            auto open = t.rfind('(');
            if (open != std::string::npos && open + 2 <= t.size() - 1) {
                auto id = std::string(text::trim(std::string_view(t).substr(open + 1, t.size() - open - 2)));
                if (members.count(id)) return id;
            }
        }
    }
    auto found = lookup_member(s, key);
    if (found.found()) return found.id;
    problem = found.result == MemberLookup::Result::ambiguous ? found.problem : "no member '" + key + "'";
    return "";
}

// Every table of a store as text, rows sorted, leaving out what differs
// from one write to the next: the time and salt of each row and what is
// hashed from them (the chain's hashes, note digests), and the audit log.
std::string store_text(store::Store& s) {
    std::string out;
    SQLite::Statement tables(s.db(), "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                     "AND name <> 'audit' ORDER BY name");
    while (tables.executeStep()) {
        auto table = tables.getColumn(0).getString();
        std::vector<std::string> columns;
        SQLite::Statement info(s.db(), "SELECT name FROM pragma_table_info(?)");
        info.bind(1, table);
        while (info.executeStep()) {
            auto c = info.getColumn(0).getString();
            // What depends on the clock (two stores made a second apart) or on salts.
            if (c != "recorded_at" && c != "created_at" && c != "salt" && c != "note_digest" && c != "hash")
                columns.push_back(c);
        }
        auto list = text::join(columns, ", ");
        std::string sql = "SELECT quote(" + text::join(columns, "), quote(") + ") FROM \"" + table + "\"";
        if (table == "meta") sql += " WHERE key NOT LIKE '%head%' AND key <> 'created_at'";
        SQLite::Statement rows(s.db(), sql + " ORDER BY " + list);
        out += "-- " + table + "\n";
        while (rows.executeStep()) {
            for (int i = 0; i < rows.getColumnCount(); ++i) out += rows.getColumn(i).getString() + "|";
            out += "\n";
        }
    }
    return out;
}

// Members of three groups, an organisation among them, for a file that
// fills every kept total.
void moving_bank(ReportBank& b) {
    b.member("M0001", "Ann Lee", "2024-01-01", MemberKind::person, {"garden"}, "North");
    b.member("M0002", "Bob Marsh", "2024-01-01", MemberKind::person, {}, "South");
    b.member("M0003", "Food Bank", "2024-01-01", MemberKind::organisation, {"food"}, "North");
    b.member("M0004", "Cara Dunn", "2024-01-01");
}

}  // namespace

TEST_CASE("parse: a row's cells decoded, its names kept as written") {
    Config c;
    auto o = options();
    io::HeaderMap map(o.mapping, kFields, {"date", "provider", "recipient", "hours", "note", "ref"}, "week.csv", 1);
    ExchangeFile f{map, c, o, false, 0};
    Sink sink;
    Problems problems{sink.fn, "week.csv", 0, {}};
    ExchangeRecord rec;
    REQUIRE(parse_exchange_row(f, {2, {"2026-11-20", " Ann Lee ", "M0002", "1,5", "  a note ", "R1"}}, rec, problems));
    CHECK(problems.count == 1);  // 1,5 without decimal_mark
    CHECK(sink.lines.at(0).find("week.csv:2: hours: ") == 0);
    CHECK(sink.lines.at(0).find("set decimal_mark = \",\" in a --mapping file") != std::string::npos);
    REQUIRE(parse_exchange_row(f, {3, {"2026-11-20", "Ann Lee", "M0002", "1.5", "  a note ", "R2"}}, rec, problems));
    CHECK(problems.count == 1);
    CHECK(rec.e.line == 3);
    CHECK(to_string(rec.e.date) == "2026-11-20");
    CHECK(rec.provider_key == "Ann Lee");
    CHECK(rec.recipient_key == "M0002");
    CHECK(rec.e.provider.empty());  // resolved later
    CHECK(rec.e.minutes == 90);
    CHECK(rec.e.note == "  a note ");
    CHECK(rec.e.ref == "R2");

    sink.lines.clear();
    REQUIRE(parse_exchange_row(f, {4, {"20/11/2026", "", "M0002", ""}}, rec, problems));
    CHECK(sink.lines == std::vector<std::string>{
                            "week.csv:4: date: '20/11/2026' is not a date in the format YYYY-MM-DD (%Y-%m-%d); for a UK "
                            "spreadsheet set date_format = \"%d/%m/%Y\" in a --mapping file",
                            "week.csv:4: provider: missing", "week.csv:4: hours: missing"});
    // A control character: the row is read no further.
    sink.lines.clear();
    CHECK_FALSE(parse_exchange_row(f, {5, {"2026-11-20", std::string("A\x1b") + "nn", "M0002", "1"}}, rec, problems));
    CHECK(sink.lines.size() == 1);
    CHECK(problems.bad_lines == std::set<std::int64_t>{2, 4, 5});
}

TEST_CASE("resolve: ID, email, accent- and space-folded name; ambiguous and unknown names") {
    ReportBank b;
    bank(b);
    FileMembers members(b.store(), true);
    std::string problem;
    auto id_of = [&](const std::string& key) {
        problem.clear();
        auto* m = members.resolve(key, problem);
        return m ? m->member.id : std::string();
    };
    CHECK(id_of("M0001") == "M0001");
    CHECK(id_of("jose  alvarez") == "M0001");
    CHECK(id_of("JOSÉ ÁLVAREZ") == "M0001");
    CHECK(id_of("bob.marsh@EXAMPLE.org") == "bob");
    CHECK(id_of("ζωη@example.GR") == "M0009");
    CHECK(id_of("ΖΩΗ@example.gr").empty());
    CHECK(id_of("Someone (bob)") == "bob");
    CHECK(id_of("Ann Lee").empty());
    CHECK(problem == "'Ann Lee' is the name of 2 members: M0002, M0007 (name one by ID or email)");
    CHECK(id_of("Jose Alvares").empty());
    CHECK(problem == "no member 'Jose Alvares'");
    // A cell seen before is answered from what was found then.
    CHECK(id_of("Ann Lee").empty());
    CHECK(problem == "'Ann Lee' is the name of 2 members: M0002, M0007 (name one by ID or email)");
    // Running balances are kept per member until forgotten.
    members.by_id("bob")->balance += 60;
    CHECK(members.by_id("bob")->balance == 60);
    members.forget_read();
    CHECK(members.by_id("bob")->balance == 0);
    CHECK(members.by_id("nobody") == nullptr);
    // Each member has one slot, whichever way a cell names them, and keeps
    // it when the members are read again; a name no one has has none.
    auto bob = members.resolve_slot("bob.marsh@example.org", problem);
    REQUIRE(bob >= 0);
    CHECK(members.resolve_slot("Bob Marsh", problem) == bob);
    CHECK(members.resolve_slot("bob", problem) == bob);
    CHECK(members.id_of(bob) == "bob");
    CHECK(members.at(bob) == members.by_id("bob"));
    members.at(bob)->balance += 30;
    CHECK(members.by_id("bob")->balance == 30);
    members.forget_read();
    CHECK(members.at(bob)->balance == 0);
    CHECK(members.resolve_slot("nobody", problem) == -1);
    CHECK(problem == "no member 'nobody'");
}

TEST_CASE("resolve: the lazy lookup finds what loading every member found") {
    ReportBank b;
    bank(b);
    b.member("M0010", "Ann Lee-Smith");
    b.member("M0011", "Ærø Ødegård");
    b.member("M0012", "Zoe Quinn");  // folds like Zoë  Quinn: ambiguous
    b.member("x@y", "At Sign");       // an ID with an '@'
    store::forget_member(b.store(), "M0002");
    const std::vector<std::string> keys = {
        "M0001", "m0001", "José Álvarez", "jose alvarez", " JOSE   ALVAREZ ", "Ann Lee", "ann lee", "ANN  LEE",
        "Ann Lee-Smith", "annlee-smith", "aero odegard", "Ærø Ødegård", "Zoe Quinn", "zoë quinn",
        "bob.marsh@example.org", " bob.marsh@example.org ", "BOB.MARSH@EXAMPLE.ORG", "ζωη@example.gr",
        "ΖΩΗ@EXAMPLE.GR", "x@y", "X@Y", "Bob Marsh (bob)", "(M0001)", "forgotten-M0002", "M0002", "nobody",
        "Bob Marsh", "bob marsh", "pot"};
    for (bool parentheses : {false, true}) {
        FileMembers members(b.store(), parentheses);
        for (auto& key : keys) {
            CAPTURE(key);
            CAPTURE(parentheses);
            std::string old_problem, new_problem;
            auto old_id = load_everything_lookup(b.store(), key, parentheses, old_problem);
            auto* m = members.resolve(key, new_problem);
            CHECK((m ? m->member.id : std::string()) == old_id);
            CHECK(new_problem == old_problem);
        }
    }
}

TEST_CASE("apply policy: what history waives, what is always refused, the column blamed") {
    Config c;
    LedgerPolicy policy(c, *parse_iso_date("2026-11-27"));
    MemberState ann{Member{}, 0}, bob{Member{}, 0};
    ann.member.id = "ann";
    bob.member.id = "bob";
    bob.member.status = MemberStatus::inactive;
    ExchangeDraft d;
    d.date = *parse_iso_date("2020-01-01");  // backdated
    d.provider = "ann";
    d.recipient = "bob";
    d.minutes = 25 * 60;  // above the limit per exchange, and bob below his minimum
    d.category = "Juggling";  // not in the taxonomy: ruled on when read
    auto rules = [](const std::vector<Violation>& v) {
        std::vector<Rule> out;
        for (auto& x : v) out.push_back(x.rule);
        return out;
    };
    CHECK(rules(exchange_violations(policy, d, ann, bob, true, false)) ==
          std::vector<Rule>{Rule::inactive, Rule::hours, Rule::backdate, Rule::min_balance, Rule::blocked});
    CHECK(rules(exchange_violations(policy, d, ann, bob, true, true)) == std::vector<Rule>{Rule::hours, Rule::blocked});
    CHECK(exchange_violations(policy, d, ann, bob, false, true).size() == 1);

    auto o = options();
    io::HeaderMap with_minutes(o.mapping, kFields, {"date", "provider", "recipient", "minutes"}, "f.csv", 1);
    io::HeaderMap with_hours(o.mapping, kFields, {"date", "provider", "recipient", "hours"}, "f.csv", 1);
    auto blamed = [&](const io::HeaderMap& map, Rule r, const Member& provider) {
        return blamed_column(map, Violation{r, "", false}, provider);
    };
    CHECK(blamed(with_minutes, Rule::hours, ann.member) == "minutes");
    CHECK(blamed(with_hours, Rule::hours, ann.member) == "hours");
    CHECK(blamed(with_hours, Rule::future, ann.member) == "date");
    CHECK(blamed(with_hours, Rule::backdate, ann.member) == "date");
    CHECK(blamed(with_hours, Rule::max_balance, ann.member) == "provider");
    CHECK(blamed(with_hours, Rule::min_balance, ann.member) == "recipient");
    CHECK(blamed(with_hours, Rule::self, ann.member) == "recipient");
    CHECK(blamed(with_hours, Rule::blocked, ann.member) == "recipient");
    CHECK(blamed(with_hours, Rule::inactive, ann.member) == "recipient");  // the provider is active
    CHECK(blamed(with_hours, Rule::inactive, bob.member) == "provider");   // the provider is not
}

TEST_CASE("write: all or nothing, then unchanged on a second run; a dry run writes nothing") {
    ReportBank b;
    bank(b);
    ScratchDir dir;
    Config c;
    auto good = dir.write("good.csv",
                          "date,provider,recipient,hours\n"
                          "2026-11-20,jose alvarez,bob.marsh@example.org,1.5\n"
                          "2026-11-21,bob,M0001,0:45\n");
    Sink sink;
    auto o = options(good);
    o.dry_run = true;
    auto dry = import_exchanges(b.store(), c, o, sink.fn);
    CHECK(dry.added == 2);
    CHECK(store::max_exchange_number(b.store()) == 0);
    o.dry_run = false;
    auto counts = import_exchanges(b.store(), c, o, sink.fn);
    CHECK(describe(counts) == "2 added, 0 updated, 0 unchanged");
    CHECK(store::max_exchange_number(b.store()) == 2);
    CHECK(store::find_member(b.store(), "M0001")->balance == 90 - 45);
    CHECK(describe(import_exchanges(b.store(), c, o, sink.fn)) == "0 added, 0 updated, 2 unchanged");
    CHECK(sink.lines.empty());

    auto bad = dir.write("bad.csv",
                         "date,provider,recipient,hours\n"
                         "2026-11-22,M0001,bob,1\n"
                         "2026-11-22,Ann Lee,bob,1\n"
                         "2026-11-22,bob,bob,1\n");
    try {
        import_exchanges(b.store(), c, options(bad), sink.fn);
        FAIL("no rejection");
    } catch (const Rejected& e) {
        CHECK(std::string(e.what()) == "2 bad rows in " + bad + "; nothing was imported");
    }
    CHECK(sink.lines == std::vector<std::string>{
                            bad + ":3: provider: 'Ann Lee' is the name of 2 members: M0002, M0007 (name one by ID or "
                                  "email)",
                            bad + ":4: recipient: bob cannot exchange with themselves"});
    CHECK(store::max_exchange_number(b.store()) == 2);
}

TEST_CASE("member import: parse, resolve by ID, email or name, write; duplicates passed over") {
    ReportBank b;
    bank(b);
    ScratchDir dir;
    Config c;
    auto file = dir.write("members.csv",
                          "id,name,email,status\n"
                          ",Cara Dunn,cara@example.org,active\n"
                          "bob,Bob Marsh,Bob.Marsh@Example.org,\n"
                          ",Cara Dunn,CARA@example.org,active\n");
    Sink sink;
    auto o = options(file);
    o.mapping.duplicates = "first";
    auto counts = import_members(b.store(), c, o, sink.fn);
    CHECK(describe(counts) == "1 added, 0 updated, 1 unchanged, 1 duplicate row passed over");
    CHECK(sink.lines.empty());
    auto cara = store::find_member(b.store(), "cara@example.org");
    REQUIRE(cara);
    CHECK(cara->id == "M0010");
    CHECK(cara->name == "Cara Dunn");

    auto bad = dir.write("bad.csv",
                         "id,name,email,status\n"
                         "bob,Bob Marsh,cara@example.org,\n"
                         ",Dan,,retired\n");
    sink.lines.clear();
    CHECK_THROWS_AS(import_members(b.store(), c, options(bad), sink.fn), Rejected);
    CHECK(sink.lines == std::vector<std::string>{bad + ":2: email: cara@example.org already belongs to member M0010",
                                                 bad + ":3: status: 'retired' is not a status (active, inactive)"});
}

TEST_CASE("parse: each distinct category text is ruled once, as rule_category rules it") {
    Config c;
    c.categories = {{"Gardening", {"weeding"}, {}, {}}, {"Transport & lifts", {}, {}, {}}};
    auto o = options();
    io::HeaderMap map(o.mapping, kFields, {"date", "provider", "recipient", "hours", "category"}, "f.csv", 1);
    ExchangeFile f{map, c, o, false, 0};
    for (std::string text : {"gardening", "Weeding", "transport", "Juggling", "", " Gardening "}) {
        CAPTURE(text);
        auto& ruled = ruled_category(f, text);
        auto direct = rule_category(c, text);
        CHECK(ruled.name == direct.name);
        CHECK(ruled.problem == direct.problem);
        CHECK(ruled.warning == direct.warning);
        CHECK(&ruled_category(f, text) == &ruled);  // the same ruling, not ruled again
    }
    CHECK(f.categories.size() == 6);
    // Past the limit, each text is ruled afresh and nothing more is kept.
    for (std::size_t i = f.categories.size(); i < kMaxRuledCategories; ++i) ruled_category(f, fmt::format("x{}", i));
    CHECK(ruled_category(f, "Weeding").name == "Gardening");
    CHECK(ruled_category(f, "tranSPORT").name == "Transport & lifts");
    CHECK(f.categories.size() == kMaxRuledCategories);
    CHECK(ruled_category(f, "Juggling").problem);
}

TEST_CASE("write: into an empty ledger, one pass checks the rows as it writes them; the same store as two passes") {
    ScratchDir dir;
    Config c;
    c.categories = {{"Gardening", {"weeding"}, {}, {}}, {"Transport & lifts", {}, {}, {}}};
    auto file = dir.write("history.csv",
                          "number,date,provider,recipient,minutes,category,note,ref,reverses\n"
                          "1,2025-12-30,M0001,M0002,60,weeding,hedge,,\n"
                          "2,2025-12-31,M0003,M0001,90,Transport,lift,R1,\n"
                          "3,2026-01-02,M0002,M0004,30,gardening,,,\n"
                          "4,2026-01-02,M0002,M0004,30,gardening,,,\n"
                          "5,2026-01-03,M0001,M0002,60,weeding,hedge again,,\n"
                          "6,2026-02-01,M0002,M0001,60,weeding,hedge again,,5\n"
                          "7,2026-03-01,M0004,M0003,45,,,R2,\n");
    ReportBank one, two;
    moving_bank(one);
    moving_bank(two);
    Sink sink;
    auto o = options(file);
    auto counts = import_exchanges(one.store(), c, o, sink.fn);
    o.check_first = true;
    auto checked_first = import_exchanges(two.store(), c, o, sink.fn);
    CHECK(sink.lines.empty());
    CHECK(counts.passes == 1);
    CHECK(checked_first.passes == 2);
    CHECK(describe(counts) == "7 added, 0 updated, 0 unchanged");
    CHECK(describe(checked_first) == describe(counts));
    CHECK(store::max_exchange_number(one.store()) == 7);
    CHECK(store_text(one.store()) == store_text(two.store()));
    // Into a ledger that is no longer empty, the rows are checked first again.
    o.check_first = false;
    CHECK(import_exchanges(one.store(), c, o, sink.fn).passes == 2);
    CHECK(store_text(one.store()) == store_text(two.store()));
}

TEST_CASE("write: one pass into an empty ledger still reports every bad row and writes nothing") {
    ScratchDir dir;
    Config c;
    auto file = dir.write("bad.csv",
                          "date,provider,recipient,hours\n"
                          "2026-11-20,M0001,M0002,1\n"
                          "2026-11-21,M0002,M0002,1\n"
                          "2026-11-22,M0004,M0001,30\n"
                          "2026-11-23,M0001,M0004,2\n");
    ReportBank one, two;
    moving_bank(one);
    moving_bank(two);
    auto before = store_text(one.store());
    Sink first, second;
    auto o = options(file);
    CHECK_THROWS_AS(import_exchanges(one.store(), c, o, first.fn), Rejected);
    o.check_first = true;
    CHECK_THROWS_AS(import_exchanges(two.store(), c, o, second.fn), Rejected);
    CHECK(first.lines == second.lines);
    REQUIRE(first.lines.size() == 3);
    CHECK(first.lines[0] == file + ":3: recipient: M0002 cannot exchange with themselves");
    CHECK(first.lines[1] == file + ":4: hours: 30.00 hours is more than the limit of 24.00 hours per exchange");
    CHECK(first.lines[2] == file + ":4: recipient: M0001 would reach -29.00 hours, below the limit of -20.00");
    CHECK(store_text(one.store()) == before);
    CHECK(store_text(two.store()) == before);
}

// The streamed way (a file in date order, without voids, into an empty
// ledger) against the staged one (check_first): the same store, the same
// counts and warnings; and every file that needs the staged way falls back
// to it with the same problems, each reported once, and nothing written.
namespace {

struct Both {
    ImportCounts streamed, staged;
    std::vector<std::string> streamed_lines, staged_lines;
    std::string streamed_store, staged_store, before;
    bool streamed_threw = false, staged_threw = false;
    int foreign_keys_after = -1, foreign_key_problems = -1;  // the streamed store's
};

Both import_both(const Config& c, const std::string& file) {
    Both out;
    ReportBank one, two;
    moving_bank(one);
    moving_bank(two);
    out.before = store_text(one.store());
    Sink first, second;
    auto o = options(file);
    try {
        out.streamed = import_exchanges(one.store(), c, o, first.fn);
    } catch (const Rejected&) {
        out.streamed_threw = true;
    }
    o.check_first = true;
    try {
        out.staged = import_exchanges(two.store(), c, o, second.fn);
    } catch (const Rejected&) {
        out.staged_threw = true;
    }
    out.streamed_lines = first.lines;
    out.staged_lines = second.lines;
    out.streamed_store = store_text(one.store());
    out.foreign_keys_after = one.store().db().execAndGet("PRAGMA foreign_keys").getInt();
    out.foreign_key_problems =
        one.store().db().execAndGet("SELECT count(*) FROM pragma_foreign_key_check('exchange')").getInt();
    out.staged_store = store_text(two.store());
    return out;
}

}  // namespace

TEST_CASE("write: a file in date order into an empty ledger is streamed; the same store as staged") {
    ScratchDir dir;
    Config c;
    c.categories = {{"Gardening", {"weeding"}, {}, {}}, {"Transport & lifts", {}, {}, {}}};
    c.strict_categories = false;
    auto file = dir.write("moving.csv",
                          "date,provider,recipient,minutes,category,note,ref\n"
                          "2025-12-30,M0001,M0002,60,weeding,hedge,\n"
                          "2025-12-31,M0003,M0001,90,Transport,lift,R1\n"
                          "2025-12-31,Bob Marsh,M0004,30,gardening,,R2\n"  // a name, and a second row that day
                          "2026-01-02,M0002,M0004,30,gardening,,\n"
                          "2026-01-02,M0002,M0004,30,gardening,,\n"  // twice: two exchanges
                          "2026-02-01,M0004,M0003,45,Juggling,,R3\n");  // outside the taxonomy: a warning
    auto both = import_both(c, file);
    CHECK(both.streamed.streamed);
    CHECK_FALSE(both.staged.streamed);
    CHECK(both.streamed.passes == 1);
    CHECK(both.staged.passes == 2);
    CHECK(describe(both.streamed) == "6 added, 0 updated, 0 unchanged");
    CHECK(describe(both.staged) == describe(both.streamed));
    CHECK(both.streamed.warnings == both.staged.warnings);
    REQUIRE(both.streamed.warnings.size() == 1);
    CHECK(both.streamed.warnings[0].find("1 row of") == 0);
    CHECK(both.streamed_lines.empty());
    CHECK(both.streamed_store == both.staged_store);
    CHECK(both.streamed_store != both.before);
    // Written with the foreign keys off, which are on again, and hold.
    CHECK(both.foreign_keys_after == 1);
    CHECK(both.foreign_key_problems == 0);
}

TEST_CASE("write: files the streamed way hands to the staged one, with the same problems once each") {
    ScratchDir dir;
    Config c;
    const std::string header = "date,provider,recipient,minutes,category,note,ref\n";
    SUBCASE("a row dated before the one above it: imported, staged") {
        auto both = import_both(c, dir.write("late.csv", header +
                                                             "2026-01-05,M0001,M0002,60,,,\n"
                                                             "2026-01-03,M0002,M0004,30,,,\n"
                                                             "2026-01-07,M0004,M0001,30,,,\n"));
        CHECK_FALSE(both.streamed_threw);
        CHECK_FALSE(both.streamed.streamed);
        CHECK(describe(both.streamed) == "3 added, 0 updated, 0 unchanged");
        CHECK(both.streamed_store == both.staged_store);
        CHECK(both.streamed_lines.empty());
    }
    SUBCASE("a ref twice, which only the ledger's index finds while streaming: the staged way names the lines") {
        auto both = import_both(c, dir.write("twice.csv", header +
                                                              "2026-01-05,M0001,M0002,60,,,R1\n"
                                                              "2026-01-06,M0002,M0004,30,,,R2\n"
                                                              "2026-01-07,M0004,M0001,30,,,R1\n"));
        CHECK(both.streamed_threw);
        CHECK(both.staged_threw);
        CHECK(both.streamed_lines == both.staged_lines);
        CHECK(both.streamed_lines == std::vector<std::string>{dir.path("twice.csv") + ":4: ref: the same ref is on line 2"});
        CHECK(both.foreign_keys_after == 1);  // on again after the streamed try was rolled back
        CHECK(both.streamed_store == both.before);
    }
    SUBCASE("a name no one has, beside a known one (it may be a forgotten member's): the staged way decides") {
        auto both = import_both(c, dir.write("orphan.csv", header +
                                                               "2026-01-05,M0001,M0002,60,,,\n"
                                                               "2026-01-06,Nobody Known,M0004,30,,,\n"));
        CHECK(both.streamed_threw);
        CHECK(both.streamed_lines == both.staged_lines);
        CHECK(both.streamed_lines ==
              std::vector<std::string>{dir.path("orphan.csv") + ":3: provider: no member 'Nobody Known'"});
        CHECK(both.streamed_store == both.before);
    }
    SUBCASE("an unknown name, a bad date and a limit passed: every problem, once") {
        auto both = import_both(c, dir.write("bad.csv", header +
                                                            "2026-01-05,M0001,M0002,60,,,\n"
                                                            "2026-01-06,Nobody Known,M0004,30,,,\n"
                                                            "2026-13-07,M0004,M0001,30,,,\n"
                                                            "2026-01-08,M0004,M0001,1500,,,\n"));
        CHECK(both.streamed_threw);
        CHECK(both.streamed_lines == both.staged_lines);
        CHECK(both.streamed_lines.size() == 4);  // the limit's row has two: the hours and the balance
        CHECK(both.streamed_store == both.before);
    }
}
