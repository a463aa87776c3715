// The weekly report (lib/tb/report/weekly.cpp, html.cpp).
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <sstream>

#include "report_fixture.hpp"
#include "tb/report/html.hpp"
#include "tb/report/weekly.hpp"
#include "tb/store/members.hpp"

using namespace tb;
using namespace tb::report;
using tb::test::d;

namespace {

Weekly sample(tb::test::ReportBank& b, Config& c) {
    b.member("ann", "Ann <b>Lee</b> & \"friends\"", "2024-01-01");
    b.member("bob", "Bob Jones", "2026-11-18");
    b.member("home", "Care Home", "2024-01-01", MemberKind::organisation);
    b.member("idle", "Idle Ian", "2024-01-01");
    b.member("low", "Low Lou", "2024-01-01");
    b.trade("2026-11-17", "ann", "bob", 90, "Gardening");
    b.trade("2026-11-18", "home", "ann", 60, "Care & companionship");
    b.trade("2026-11-10", "ann", "home", 30, "Gardening");
    b.trade("2026-06-01", "idle", "home", 60, "Household");
    b.opening("ann", -25 * 60, "2024-01-01");  // beyond the -20 hours limit
    b.opening("low", -8 * 60, "2024-01-01");   // under the warning level only
    auto r1 = b.request("bob", "Gardening", "Hedge <script>alert(1)</script>");
    auto r2 = b.request("ann", "Household", "Ironing");
    b.propose(r2, "bob");
    (void)r1;
    c.name = "Newsome <Timebank>";
    c.warn_below = -5 * 60;
    c.inactive_days = 90;
    auto dir = Directory::load(b.store());
    return build_weekly(b.store(), dir, {d("2026-11-16"), d("2026-11-22")}, c, d("2026-11-27"));
}

}  // namespace

TEST_CASE("weekly: figures, limits, inactive and new members, unmatched requests") {
    tb::test::ReportBank b;
    Config c;
    auto w = sample(b, c);
    CHECK(w.period_label == "Week 2026-W47, 2026-11-16 to 2026-11-22");
    CHECK(w.figures.now.exchanges == 2);
    CHECK(w.figures.now.minutes == 150);
    CHECK(w.figures.before.minutes == 30);
    REQUIRE(w.weeks.size() == 12);
    CHECK(w.weeks.back().label == "2026-W47");
    CHECK(w.weeks.back().minutes == 150);
    CHECK(w.weeks[10].minutes == 30);
    CHECK(w.weeks.front().week.from == d("2026-08-31"));
    CHECK(w.weeks.front().label == "2026-W36");
    REQUIRE(w.beyond_limits.size() == 1);
    CHECK(w.beyond_limits[0].member == "ann");
    CHECK(w.beyond_limits[0].limit == -20 * 60);
    // Under the warning level of -5: Ann (beyond the limit too) and Low Lou.
    REQUIRE(w.under_warning.size() == 2);
    CHECK(w.under_warning[0].member == "ann");
    CHECK(w.under_warning[0].beyond == std::optional<Minutes>(-20 * 60));
    CHECK(w.under_warning[1].member == "low");
    CHECK_FALSE(w.under_warning[1].beyond.has_value());
    // Low Lou never traded and joined long ago; Idle Ian last traded in June.
    REQUIRE(w.inactive.size() == 2);
    CHECK(w.inactive[0].member == "low");
    CHECK(w.inactive[1].member == "idle");
    CHECK(w.inactive[1].days == d("2026-11-27") - d("2026-06-01"));
    REQUIRE(w.new_members.size() == 1);
    CHECK(w.new_members[0].member == "bob");
    REQUIRE(w.open_requests.size() == 1);
    CHECK(w.open_requests[0].name == "Bob Jones");
}

TEST_CASE("weekly html is standalone and escapes what members wrote") {
    tb::test::ReportBank b;
    Config c;
    auto w = sample(b, c);
    std::ostringstream out;
    weekly_html(w, out);
    auto html = out.str();
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("<svg") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("Ann &lt;b&gt;Lee&lt;/b&gt; &amp; &quot;friends&quot;") != std::string::npos);
    CHECK(html.find("Newsome &lt;Timebank&gt;") != std::string::npos);
    CHECK(html.find("<b>Lee</b>") == std::string::npos);
    // Nothing fetched from elsewhere.
    CHECK(html.find("src=") == std::string::npos);
    CHECK(html.find("href=") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
}

TEST_CASE("weekly text, markdown and json say the same things") {
    tb::test::ReportBank b;
    Config c;
    auto w = sample(b, c);
    std::ostringstream text, md, json;
    weekly_text(w, text);
    weekly_markdown(w, md);
    weekly_json(w, json);
    for (auto* s : {&text, &md}) {
        auto t = s->str();
        CHECK(t.find("Balances beyond limits (1)") != std::string::npos);
        CHECK(t.find("Members inactive for 90 days or more (2)") != std::string::npos);
        CHECK(t.find("New members (1)") != std::string::npos);
        CHECK(t.find("Open requests with no match (1)") != std::string::npos);
        CHECK(t.find("2.50") != std::string::npos);  // the week's hours
    }
    CHECK(md.str().find("| Ann \\<b\\>Lee\\</b\\> & \"friends\" |") != std::string::npos);
    auto j = json.str();
    CHECK(j.find("\"summary\": {\"exchanges\":2,\"hours\":2.5,\"minutes\":150,") != std::string::npos);
    CHECK(j.find("\"name\":\"Ann <b>Lee</b> & \\\"friends\\\"\"") != std::string::npos);
    CHECK(j.find("\"change_pct\": {\"exchanges\":100,\"hours\":400,") != std::string::npos);
}

TEST_CASE("html helpers") {
    CHECK(html_escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;");
    CHECK(truncate_utf8("Café Sól", 4) == "Café…");
    CHECK(truncate_utf8("short", 10) == "short");
}

namespace {

std::string text_of(const Weekly& w) {
    std::ostringstream out;
    weekly_text(w, out);
    return out.str();
}
std::string json_of(const Weekly& w) {
    std::ostringstream out;
    weekly_json(w, out);
    return out.str();
}
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("weekly: a balance beyond the limit is under the warning level too (-17, limit -15, warn -10)") {
    tb::test::ReportBank b;
    b.member("sam", "Sam Short", "2024-01-01");
    b.member("ok", "Olive Okay", "2024-01-01");
    b.opening("sam", -17 * 60, "2024-01-01");
    b.opening("ok", -9 * 60, "2024-01-01");  // above the warning level: not listed
    Config c;
    c.min_balance = -15 * 60;
    c.warn_below = -10 * 60;
    auto dir = Directory::load(b.store());
    auto w = build_weekly(b.store(), dir, {d("2026-11-16"), d("2026-11-22")}, c, d("2026-11-27"));
    REQUIRE(w.beyond_limits.size() == 1);
    CHECK(w.beyond_limits[0].member == "sam");
    REQUIRE(w.under_warning.size() == 1);
    CHECK(w.under_warning[0].member == "sam");
    auto t = text_of(w);
    CHECK(has(t, "Balances under the warning level of -10.00 (1)"));
    CHECK(has(t, "below the limit of -15.00"));
    CHECK_FALSE(has(t, "No balance is under the warning level"));
    CHECK(has(json_of(w), "\"under_warning\": [\n    {\"member\":\"sam\",\"name\":\"Sam Short\",\"balance\":-17,"
                          "\"balance_minutes\":-1020,\"beyond_limit\":{\"hours\":-15,\"minutes\":-900}}\n  ]"));

    // Nobody under it: the sentence names the level and is true.
    c.warn_below = -20 * 60;
    c.min_balance = -30 * 60;
    auto none = build_weekly(b.store(), dir, {d("2026-11-16"), d("2026-11-22")}, c, d("2026-11-27"));
    CHECK(none.under_warning.empty());
    CHECK(has(text_of(none), "No balance is under the warning level of -20.00."));
}

TEST_CASE("weekly: proposals pending for more than follow_up_days") {
    tb::test::ReportBank b;
    b.member("ann", "Ann Lee", "2024-01-01");
    b.member("bob", "Bob Jones", "2024-01-01");
    b.member("gone", "Gone Gary", "2024-01-01");
    auto r1 = b.request("ann", "Gardening", "hedge");
    auto r2 = b.request("ann", "Household", "ironing");
    auto r3 = b.request("ann", "Gardening", "lawn");
    auto r4 = b.request("ann", "Gardening", "closed one");
    auto r5 = b.request("ann", "Gardening", "declined one");
    auto r6 = b.request("ann", "Gardening", "to a member who left");
    for (auto r : {r1, r2, r3, r4, r5}) b.propose(r, "bob");
    b.propose(r6, "gone");
    b.set_status("gone", MemberStatus::inactive);
    // Today is 2026-11-27: 17, 7, 8 days; the rest are not pending.
    b.sql(fmt::format("UPDATE proposal SET created_at = '2026-11-10T09:00:00Z' WHERE request IN ({}, {}, {}, {});"
                      "UPDATE proposal SET created_at = '2026-11-20T23:59:00Z' WHERE request = {};"
                      "UPDATE proposal SET created_at = '2026-11-19T08:00:00Z' WHERE request = {};"
                      "UPDATE request SET status = 'closed', outcome = 'withdrawn' WHERE number = {};"
                      "UPDATE proposal SET status = 'declined' WHERE request = {};",
                      r1, r4, r5, r6, r2, r3, r4, r5));
    Config c;
    auto dir = Directory::load(b.store());
    auto week = Period{d("2026-11-16"), d("2026-11-22")};
    auto w = build_weekly(b.store(), dir, week, c, d("2026-11-27"));
    CHECK(w.follow_up_days == 7);
    REQUIRE(w.stale_proposals.size() == 2);
    CHECK(w.stale_proposals[0].request == r1);
    CHECK(w.stale_proposals[0].days == 17);
    CHECK(w.stale_proposals[0].name == "Bob Jones");
    CHECK(w.stale_proposals[0].requester_name == "Ann Lee");
    CHECK(w.stale_proposals[1].request == r3);
    CHECK(w.stale_proposals[1].days == 8);
    auto t = text_of(w);
    CHECK(has(t, "Proposals pending for more than 7 days (2)"));
    CHECK(has(json_of(w), "\"pending_proposals\": [\n    {\"request\":1,\"requester\":\"ann\",\"requester_name\":"
                          "\"Ann Lee\",\"category\":\"Gardening\",\"member\":\"bob\",\"name\":\"Bob Jones\","
                          "\"proposed\":\"2026-11-10\",\"days\":17},"));

    // follow_up_days from the config.
    c.follow_up_days = 10;
    auto w10 = build_weekly(b.store(), dir, week, c, d("2026-11-27"));
    REQUIRE(w10.stale_proposals.size() == 1);
    CHECK(w10.stale_proposals[0].request == r1);
    c.follow_up_days = 30;
    auto none = build_weekly(b.store(), dir, week, c, d("2026-11-27"));
    CHECK(none.stale_proposals.empty());
    CHECK(has(text_of(none), "Proposals pending for more than 30 days (0)\n\n  No proposal has been pending for "
                             "more than 30 days."));
}

TEST_CASE("weekly: requests past their needed-by date, and open requests with no match") {
    tb::test::ReportBank b;
    b.member("ann", "Ann Lee", "2024-01-01");
    b.member("bob", "Bob Jones", "2024-01-01");
    auto late = b.request("ann", "Gardening", "hedge");
    auto today = b.request("ann", "Gardening", "lawn");
    auto closed = b.request("ann", "Gardening", "weeds");
    auto later = b.request("ann", "Gardening", "leaves");
    b.propose(today, "bob");
    b.propose(later, "bob");
    b.sql(fmt::format("UPDATE request SET needed_by = '2026-11-20' WHERE number = {};"
                      "UPDATE request SET needed_by = '2026-11-27' WHERE number = {};"
                      "UPDATE request SET needed_by = '2026-11-01', status = 'closed', outcome = 'met' WHERE number = {};"
                      "UPDATE request SET needed_by = '2026-12-10' WHERE number = {};",
                      late, today, closed, later));
    Config c;
    auto dir = Directory::load(b.store());
    auto w = build_weekly(b.store(), dir, {d("2026-11-16"), d("2026-11-22")}, c, d("2026-11-27"));
    // Needed by the 27th is not late on the 27th.
    REQUIRE(w.past_needed_by.size() == 1);
    CHECK(w.past_needed_by[0].request.number == late);
    CHECK(w.past_needed_by[0].days_late == 7);
    CHECK(w.open_request_count == 3);
    REQUIRE(w.open_requests.size() == 1);  // the late one has no proposal
    auto t = text_of(w);
    CHECK(has(t, "Open requests past their needed-by date (1)"));
    CHECK(has(json_of(w), "\"past_needed_by\": [\n    {\"number\":1,\"member\":\"ann\",\"name\":\"Ann Lee\","
                          "\"category\":\"Gardening\",\"text\":\"hedge\",\"needed_by\":\"2026-11-20\","
                          "\"days_late\":7}\n  ]"));

    // Every open request proposed: a true sentence with the count.
    b.propose(late, "bob");
    dir = Directory::load(b.store());
    auto all = build_weekly(b.store(), dir, {d("2026-11-16"), d("2026-11-22")}, c, d("2026-11-27"));
    CHECK(has(text_of(all), "Every open request (3) has a proposal pending or accepted."));
}

TEST_CASE("weekly: safeguarding checks of active members expiring within 30 days; expired ones counted") {
    tb::test::ReportBank b;
    b.member("ann", "Ann Lee", "2024-01-01");
    b.member("bob", "Bob Jones", "2024-01-01");
    b.member("idle", "Idle Ian", "2024-01-01");
    store::set_check(b.store(), "ann", "dbs", d("2026-12-27"));             // 30 days left: listed
    store::set_check(b.store(), "ann", "driving-licence", d("2026-12-28"));  // 31: not
    store::set_check(b.store(), "bob", "dbs", d("2026-11-27"));              // today, still valid: listed
    store::set_check(b.store(), "bob", "driving-licence", d("2026-11-26"));  // expired
    store::set_check(b.store(), "idle", "dbs", d("2026-12-01"));             // not an active member
    b.set_status("idle", MemberStatus::inactive);
    Config c;
    auto dir = Directory::load(b.store());
    auto w = build_weekly(b.store(), dir, {d("2026-11-16"), d("2026-11-22")}, c, d("2026-11-27"));
    REQUIRE(w.checks_expiring.size() == 2);
    CHECK(w.checks_expiring[0].member == "bob");
    CHECK(w.checks_expiring[0].days_left == 0);
    CHECK(w.checks_expiring[1].member == "ann");
    CHECK(w.checks_expiring[1].days_left == 30);
    CHECK(w.checks_expired == 1);
    auto t = text_of(w);
    CHECK(has(t, "Safeguarding checks expiring within 30 days (2)"));
    CHECK(has(t, "1 check of active members has already expired (tb-member check list --expired)."));
    auto j = json_of(w);
    CHECK(has(j, "\"checks_expiring\": [\n    {\"member\":\"bob\",\"name\":\"Bob Jones\",\"check\":\"dbs\","
                 "\"expires\":\"2026-11-27\",\"days_left\":0},"));
    CHECK(has(j, "\"checks_expired\": 1,"));
}

TEST_CASE("weekly: new members and how many have yet to make a first exchange") {
    tb::test::ReportBank b;
    b.member("old", "Old Olga", "2024-01-01");
    b.member("new1", "New Nina", "2026-11-17");
    b.member("new2", "New Ned", "2026-11-20");
    b.trade("2026-11-25", "new1", "old", 60);  // after the week, before today: a first exchange
    Config c;
    auto dir = Directory::load(b.store());
    auto w = build_weekly(b.store(), dir, {d("2026-11-16"), d("2026-11-22")}, c, d("2026-11-27"));
    REQUIRE(w.new_members.size() == 2);
    CHECK(w.new_members[0].first_exchange == std::optional<Date>(d("2026-11-25")));
    CHECK_FALSE(w.new_members[1].first_exchange.has_value());
    CHECK(w.new_without_first_exchange == 1);
    auto t = text_of(w);
    CHECK(has(t, "New members (2)"));
    CHECK(has(t, "none yet"));
    CHECK(has(t, "1 of them has yet to make a first exchange."));
    auto j = json_of(w);
    CHECK(has(j, "\"first_exchange\":\"2026-11-25\""));
    CHECK(has(j, "\"first_exchange\":null"));
    CHECK(has(j, "\"new_members_without_first_exchange\": 1,"));
}

TEST_CASE("weekly: an empty bank says a true sentence for every list, in every format") {
    tb::test::ReportBank b;
    Config c;
    c.warn_below = -10 * 60;
    auto dir = Directory::load(b.store());
    auto w = build_weekly(b.store(), dir, {d("2026-11-16"), d("2026-11-22")}, c, d("2026-11-27"));
    std::ostringstream md, html;
    weekly_markdown(w, md);
    weekly_html(w, html);
    for (auto& out : {text_of(w), md.str(), html.str()}) {
        CHECK(has(out, "No balance is beyond its limits."));
        CHECK(has(out, "No balance is under the warning level of -10.00."));
        CHECK(has(out, "No active member has gone 90 days or more without an exchange."));
        CHECK(has(out, "No new members joined in this period."));
        CHECK(has(out, "No request is open."));
        CHECK(has(out, "No proposal has been pending for more than 7 days."));
        CHECK(has(out, "No open request is past its needed-by date."));
        CHECK(has(out, "No safeguarding check of an active member expires within 30 days."));
    }
    auto j = json_of(w);
    for (auto key : {"\"pending_proposals\": []", "\"past_needed_by\": []", "\"checks_expiring\": []",
                     "\"under_warning\": []", "\"new_members\": []", "\"checks_expired\": 0"})
        CHECK(has(j, key));
    CHECK(has(j, "\"requests\":{\"made\":0,\"met\":0,\"withdrawn\":0,\"median_days_to_match\":null}"));
}

TEST_CASE("html tables: only a cell with a word too long for an A4 column may break it anywhere") {
    io::Table t;
    t.columns = {"name", "text"};
    t.add({std::string("Ann Lee"), std::string("see https://example.org/a-long/address ") + std::string(30, 'W')});
    t.add({std::string("Bob"), std::string("Zoë Ó Súilleabháin Ó Súilleabháin a short note")});
    auto html = html_table(t);
    CHECK(has(html, "<td>Ann Lee</td><td class=\"w\">see https://"));
    CHECK(has(html, "<td>Bob</td><td>Zoë"));
}
