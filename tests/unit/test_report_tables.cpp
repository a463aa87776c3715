// The data reports as rows (lib/tb/report/tables.cpp).
#include <doctest/doctest.h>

#include <sstream>

#include "report_fixture.hpp"
#include "tb/report/tables.hpp"
#include "tb/store/rollup.hpp"

using namespace tb;
using namespace tb::report;
using tb::test::d;

namespace {

void bank(tb::test::ReportBank& b) {
    b.member("ann", "Ann Lee", "2025-03-01");
    b.member("bob", "Bob, \"the builder\"", "2026-11-20");
    b.member("home", "Rosewood Care Home", "2024-01-01", MemberKind::organisation);
    b.member("old", "Old Member", "2020-01-01");
    b.trade("2026-11-02", "ann", "bob", 90, "Gardening");
    b.trade("2026-11-23", "bob", "ann", 60, "Gardening");
    b.trade("2026-11-24", "ann", "home", 120, "Care & companionship");
    auto n = b.trade("2026-11-25", "home", "ann", 30, "Household");
    b.void_exchange(n, "2026-11-26");
    b.trade("2026-05-01", "old", "ann", 60, "Gardening");
    b.opening("ann", -300, "2026-01-01");
    b.opening("home", 180, "2026-11-26");
}

std::string render_as(const ReportTable& t, io::Format f) {
    std::ostringstream s;
    render(t, {f, true}, s);
    return s.str();
}

std::size_t column(const io::Table& t, const std::string& name) {
    for (std::size_t i = 0; i < t.columns.size(); ++i)
        if (t.columns[i] == name) return i;
    FAIL("no column " << name);
    return 0;
}

std::int64_t int_at(const io::Table& t, std::size_t row, const std::string& col) {
    return std::get<std::int64_t>(t.rows.at(row).at(column(t, col)));
}

}  // namespace

TEST_CASE("balances sum to zero apart from opening balances, voids included") {
    tb::test::ReportBank b;
    bank(b);
    Config c;
    auto dir = Directory::load(b.store());
    ReportContext ctx{c, d("2026-11-27"), false};
    auto t = balances_table(b.store(), dir, {}, ctx);
    REQUIRE(t.table.rows.size() == 4);
    Minutes sum = 0, opening = 0;
    for (std::size_t r = 0; r < t.table.rows.size(); ++r) {
        sum += int_at(t.table, r, "minutes");
        opening += int_at(t.table, r, "opening_minutes");
    }
    CHECK(opening == -120);
    CHECK(sum - opening == 0);
    CHECK(int_at(t.table, 0, "minutes") == 90 - 60 + 120 - 60 - 300);  // ann; the void nets to zero
    CHECK(int_at(t.table, 1, "minutes") == -90 + 60);                    // bob
    CHECK(int_at(t.table, 2, "minutes") == -120 + 180);                  // home
    // -3.50 hours is within the bank's default limit of -20.
    CHECK(std::holds_alternative<std::monostate>(t.table.rows[0][column(t.table, "beyond_limit")]));

    SUBCASE("as of a date: later exchanges and opening balances are left out") {
        auto past = balances_table(b.store(), dir, {std::nullopt, std::nullopt, d("2026-11-23")}, ctx);
        CHECK(int_at(past.table, 0, "minutes") == 90 - 60 - 60 - 300);
        CHECK(int_at(past.table, 2, "minutes") == 0);  // home: its opening is dated the 26th
        CHECK(int_at(past.table, 2, "opening_minutes") == 0);
    }
    SUBCASE("--below and --above") {
        auto below = balances_table(b.store(), dir, {Minutes{-60}, std::nullopt, std::nullopt}, ctx);
        REQUIRE(below.table.rows.size() == 1);
        CHECK(std::get<std::string>(below.table.rows[0][0]) == "ann");
        auto above = balances_table(b.store(), dir, {std::nullopt, Minutes{30}, std::nullopt}, ctx);
        REQUIRE(above.table.rows.size() == 2);
        CHECK(std::get<std::string>(above.table.rows[0][0]) == "home");
        CHECK(std::get<std::string>(above.table.rows[1][0]) == "old");
    }
    SUBCASE("a member beyond their own limit is flagged") {
        b.set_limits("home", {}, BalanceLimit::of(30));
        auto dir2 = Directory::load(b.store());
        auto t2 = balances_table(b.store(), dir2, {}, ctx);
        auto& beyond = t2.table.rows[2][column(t2.table, "beyond_limit")];
        CHECK(tb::io::cell_text(beyond) == "above 0.50");
        CHECK(tb::io::json_dump(tb::io::cell_value(beyond)) == R"({"side":"above","limit":0.5,"limit_minutes":30})");
    }
}

TEST_CASE("balances written as they come print what the whole table renders") {
    tb::test::ReportBank b;
    bank(b);
    b.set_limits("home", {}, BalanceLimit::of(30));
    Config c;
    auto dir = Directory::load(b.store());
    for (auto f : {io::Format::table, io::Format::csv, io::Format::tsv, io::Format::json, io::Format::jsonl}) {
        for (bool header : {true, false}) {
            for (std::optional<Minutes> above : {std::optional<Minutes>{}, std::optional<Minutes>{Minutes{6000}}}) {
                CAPTURE(io::format_name(f));
                CAPTURE(header);
                CAPTURE(above.has_value());
                ReportContext ctx{c, d("2026-11-27"), f == io::Format::table};
                BalanceOptions o{std::nullopt, above, std::nullopt};
                io::RenderOptions ro{f, header};
                std::ostringstream whole, streamed;
                render(balances_table(b.store(), dir, o, ctx), ro, whole);
                ReportWriter w(streamed, ro, balances_head(o, ctx), true);
                auto note = balances_rows(b.store(), dir, o, ctx, [&](const std::vector<io::Cell>& r) { w.row(r); });
                w.finish({note});
                CHECK(streamed.str() == whole.str());
            }
        }
    }
    // The aligned table: title, the columns for people only, the note.
    ReportContext ctx{c, d("2026-11-27"), true};
    auto shown = render_as(balances_table(b.store(), dir, {}, ctx), io::Format::table);
    CHECK(shown.rfind("Balances on 2026-11-27\n\nmember  name", 0) == 0);
    CHECK(shown.find("opening_minutes") == std::string::npos);
    CHECK(shown.find("\n\n4 members; balances sum to -2.00 hours, of which opening balances -2.00\n") !=
          std::string::npos);
}

TEST_CASE("activity buckets add up to the period's hours") {
    tb::test::ReportBank b;
    bank(b);
    Config c;
    auto dir = Directory::load(b.store());
    ReportContext ctx{c, d("2026-11-27"), false};
    auto t = activity_table(b.store(), dir, {d("2026-01-01"), d("2026-12-31")}, Bucket::month, ctx);
    // January to November: clamped to today.
    REQUIRE(t.table.rows.size() == 11);
    CHECK(std::get<std::string>(t.table.rows[10][0]) == "2026-11");
    CHECK(std::get<std::string>(t.table.rows[10][2]) == "2026-11-27");
    Minutes sum = 0;
    for (std::size_t r = 0; r < t.table.rows.size(); ++r) sum += int_at(t.table, r, "minutes");
    CHECK(sum == 90 + 60 + 120 + 60);
    CHECK(int_at(t.table, 10, "members") == 3);
    CHECK(int_at(t.table, 10, "new_members") == 1);
    CHECK(int_at(t.table, 4, "exchanges") == 1);  // May
}

TEST_CASE("members: inactive and never traded") {
    tb::test::ReportBank b;
    bank(b);
    b.member("new", "New Member", "2026-11-01");
    b.member("gone", "Gone Member", "2020-01-01");
    b.set_status("gone", MemberStatus::inactive);
    Config c;
    auto dir = Directory::load(b.store());
    ReportContext ctx{c, d("2026-11-27"), false};
    Period year{d("2026-01-01"), d("2026-12-31")};
    auto never = members_table(b.store(), dir, year, {std::nullopt, true}, ctx);
    REQUIRE(never.table.rows.size() == 1);
    CHECK(std::get<std::string>(never.table.rows[0][0]) == "new");
    auto idle = members_table(b.store(), dir, year, {90, false}, ctx);
    REQUIRE(idle.table.rows.size() == 1);
    CHECK(std::get<std::string>(idle.table.rows[0][0]) == "old");
    CHECK(int_at(idle.table, 0, "days_inactive") == d("2026-11-27") - d("2026-05-01"));
    auto all = members_table(b.store(), dir, year, {}, ctx);
    CHECK(all.table.rows.size() == 5);  // the inactive member is left out
    CHECK(int_at(all.table, 0, "given_minutes") == 90 + 120);
    CHECK(int_at(all.table, 0, "received_minutes") == 60 + 60);
}

TEST_CASE("categories: hours, shares and the unused categories of the taxonomy") {
    tb::test::ReportBank b;
    bank(b);
    Config c;
    c.categories = {{"Gardening", {}, {}, {}}, {"Pets & animals", {}, {}, {}}};
    auto dir = Directory::load(b.store());
    ReportContext ctx{c, d("2026-11-27"), false};
    auto t = categories_table(b.store(), dir, {d("2026-11-01"), d("2026-11-30")}, ctx);
    REQUIRE(t.table.rows.size() == 3);
    CHECK(std::get<std::string>(t.table.rows[0][0]) == "Gardening");
    CHECK(int_at(t.table, 0, "minutes") == 150);
    CHECK(std::get<double>(t.table.rows[0][column(t.table, "share_pct")]) == doctest::Approx(55.6));
    CHECK(std::get<std::string>(t.table.rows[2][0]) == "Pets & animals");
    CHECK(int_at(t.table, 2, "exchanges") == 0);
}

TEST_CASE("social value is hours times the rate, labelled as an estimate") {
    tb::test::ReportBank b;
    bank(b);
    Config c;
    ReportContext ctx{c, d("2026-11-27"), false};
    auto t = social_value_table(b.store(), {d("2026-11-01"), d("2026-11-30")}, {12.5, "EUR"}, ctx);
    REQUIRE(t.table.rows.size() == 1);
    CHECK(int_at(t.table, 0, "minutes") == 270);
    CHECK(std::get<double>(t.table.rows[0][column(t.table, "estimated_value")]) == doctest::Approx(56.25));
    auto json = render_as(t, io::Format::json);
    CHECK(json.find("\"estimated_value\": 56.25") != std::string::npos);
    CHECK(json.find("estimate") != std::string::npos);
    ReportContext people{c, d("2026-11-27"), true};
    auto text = render_as(social_value_table(b.store(), {d("2026-11-01"), d("2026-11-30")}, {12.5, "EUR"}, people),
                          io::Format::table);
    CHECK(text.find("(an estimate)") != std::string::npos);
    CHECK(text.find("56.25 EUR") != std::string::npos);
    CHECK(text.find("12.50 EUR per hour") != std::string::npos);
}

TEST_CASE("summary rows: minutes for programs, changes for people") {
    tb::test::ReportBank b;
    bank(b);
    Config c;
    auto dir = Directory::load(b.store());
    auto s = summarise(b.store(), dir, {d("2026-11-23"), d("2026-11-29")}, GroupBy::none);
    auto machine = summary_table(s, {c, d("2026-11-27"), false});
    auto csv = render_as(machine, io::Format::csv);
    CHECK(csv.rfind("group,measure,item,value,previous,change_pct,minutes,previous_minutes\n", 0) == 0);
    CHECK(csv.find("all,hours,,3.00,0.00,,180,0\n") != std::string::npos);
    CHECK(csv.find("all,category_hours,Care & companionship,2.00,0.00,,120,0\n") != std::string::npos);
    auto people = render_as(summary_table(s, {c, d("2026-11-27"), true}), io::Format::table);
    CHECK(people.find("Summary, 2026-11-23 to 2026-11-29, compared with 2026-11-16 to 2026-11-22") == 0);
    CHECK(people.find("minutes") == std::string::npos);
    CHECK(people.find("hours person↔organisation") != std::string::npos);
}

TEST_CASE("periods in titles, open ends included") {
    CHECK(describe_period({d("2026-11-16"), d("2026-11-22")}) == "2026-11-16 to 2026-11-22");
    CHECK(describe_period({d("2026-11-16"), d("2026-11-16")}) == "2026-11-16");
    CHECK(describe_period({from_ymd(1, 1, 1), d("2026-06-30")}) == "up to 2026-06-30");
    CHECK(describe_period({d("2026-01-01"), from_ymd(9999, 12, 31)}) == "from 2026-01-01 on");
    CHECK(describe_period({from_ymd(1, 1, 1), from_ymd(9999, 12, 31)}) == "all time");
}

TEST_CASE("activity and members from the monthly totals equal the same from every exchange") {
    tb::test::ReportBank b;
    tb::test::random_ledger(b);
    auto periods = tb::test::periods_of_every_shape(60);
    Config c;
    auto dir = Directory::load(b.store());
    ReportContext ctx{c, d("2026-03-20"), false};
    const std::vector<Bucket> buckets = {Bucket::week, Bucket::month, Bucket::quarter, Bucket::year};
    auto tables = [&](Period p) {
        std::string out;
        for (auto by : buckets) out += render_as(activity_table(b.store(), dir, p, by, ctx), io::Format::csv);
        out += render_as(members_table(b.store(), dir, p, {}, ctx), io::Format::csv);
        return out;
    };
    REQUIRE(store::rollups_current(b.store()));
    std::vector<std::string> kept;
    for (auto& p : periods) kept.push_back(tables(p));
    // The totals are read: a change to them shows.
    Period year{d("2025-01-01"), d("2025-12-31")};
    auto month_minutes = [&] {
        return int_at(activity_table(b.store(), dir, year, Bucket::month, ctx).table, 5, "minutes");
    };
    auto june = month_minutes();
    b.sql("UPDATE trade_month SET minutes = minutes + 1 WHERE (month, category, pair) = "
          "(SELECT month, category, pair FROM trade_month WHERE month = '2025-06' LIMIT 1)");
    CHECK(month_minutes() == june + 1);
    store::rebuild_rollups(b.store());
    tb::test::forget_rollups(b);
    REQUIRE_FALSE(store::rollups_current(b.store()));
    for (std::size_t i = 0; i < periods.size(); ++i) {
        CAPTURE(to_string(periods[i].from) + ".." + to_string(periods[i].to));
        CHECK(tables(periods[i]) == kept[i]);
    }
}

TEST_CASE("activity over part months with nothing in the rest of them equals the same from every exchange") {
    tb::test::ReportBank b;
    tb::test::mid_month_ledger(b);
    Config c;
    auto dir = Directory::load(b.store());
    ReportContext ctx{c, d("2026-04-14"), false};
    auto periods = tb::test::periods_around_mid_month_ledger();
    auto tables = [&](Period p) {
        std::string out;
        for (auto by : {Bucket::month, Bucket::quarter})
            out += render_as(activity_table(b.store(), dir, p, by, ctx), io::Format::csv);
        return out;
    };
    std::vector<std::string> kept;
    for (auto& p : periods) kept.push_back(tables(p));
    // Up to the ledger's last day, April comes from the totals: a change to them shows.
    Period to_last{d("2026-03-01"), d("2026-04-14")};
    auto april = [&] { return int_at(activity_table(b.store(), dir, to_last, Bucket::month, ctx).table, 1, "minutes"); };
    auto before = april();
    CHECK(before == 15 + 90);
    b.sql("UPDATE trade_month SET minutes = minutes + 1 WHERE month = '2026-04' AND category = 'Household'");
    CHECK(april() == before + 1);
    store::rebuild_rollups(b.store());
    tb::test::forget_rollups(b);
    REQUIRE_FALSE(store::rollups_current(b.store()));
    for (std::size_t i = 0; i < periods.size(); ++i) {
        CAPTURE(to_string(periods[i].from) + ".." + to_string(periods[i].to));
        CHECK(tables(periods[i]) == kept[i]);
    }
}
