// The weekly report (lib/tb/report/weekly.cpp, html.cpp).
#include <doctest/doctest.h>

#include <sstream>

#include "report_fixture.hpp"
#include "tb/report/html.hpp"
#include "tb/report/weekly.hpp"

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
    REQUIRE(w.under_warning.size() == 1);
    CHECK(w.under_warning[0].member == "low");
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
