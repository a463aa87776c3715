// report/statement.cpp: the statement streamed from the ledger.
#include <doctest/doctest.h>

#include <sstream>

#include "report_fixture.hpp"
#include "tb/report/statement.hpp"

using namespace tb;
using tb::test::d;

namespace {

// Every line as one text: date, number, type, sides' names, change, balance.
std::string lines_of(store::Store& s, const std::string& id, std::optional<Date> since, std::optional<Date> until) {
    auto st = report::statement(s, id, since, until);
    std::string out;
    for (auto& l : st.lines)
        out += to_string(l.date) + " " + (l.number ? std::to_string(*l.number) : "-") + " " + l.type + " " +
               l.provider_name + ">" + l.recipient_name + " " + (l.change ? std::to_string(*l.change) : "") + " " +
               std::to_string(l.balance) + "\n";
    return out + "opening " + std::to_string(st.head.opening_balance) + " closing " +
           std::to_string(st.closing_balance) + "\n";
}

}  // namespace

TEST_CASE("statement: exchanges of both sides in date order, openings first on their day, voids included") {
    test::ReportBank b;
    b.member("M1", "Ann");
    b.member("M2", "Bob");
    b.member("M3", "Cy");
    b.trade("2026-03-05", "M1", "M2", 60);  // 1
    b.trade("2026-02-01", "M2", "M1", 30);  // 2: earlier date, later number
    b.opening("M1", 120, "2026-03-05");
    auto third = b.trade("2026-03-05", "M3", "M1", 15);  // 3
    b.void_exchange(third, "2026-04-01");                // 4
    b.trade("2026-05-01", "M2", "M3", 45);               // 5: not M1's
    auto& s = b.store();
    CHECK(lines_of(s, "M1", {}, {}) ==
          "2026-02-01 2 received Bob>Ann -30 -30\n"
          "2026-03-05 1 opening > 120 90\n"
          "2026-03-05 1 gave Ann>Bob 60 150\n"
          "2026-03-05 3 received Cy>Ann -15 135\n"
          "2026-04-01 4 void of 3 Ann>Cy 15 150\n"
          "opening 0 closing 150\n");
    SUBCASE("a period: the balance brought forward is what the earlier lines add up to") {
        CHECK(lines_of(s, "M1", d("2026-03-05"), d("2026-03-31")) ==
              "2026-03-04 - brought forward >  -30\n"
              "2026-03-05 1 opening > 120 90\n"
              "2026-03-05 1 gave Ann>Bob 60 150\n"
              "2026-03-05 3 received Cy>Ann -15 135\n"
              "opening -30 closing 135\n");
        CHECK(lines_of(s, "M1", d("2026-04-02"), {}) ==
              "2026-04-01 - brought forward >  150\n"
              "opening 150 closing 150\n");
        // A period that ends before it starts counts nothing after its end.
        CHECK(lines_of(s, "M1", d("2026-04-02"), d("2026-02-15")) ==
              "2026-04-01 - brought forward >  -30\n"
              "opening -30 closing -30\n");
    }
    SUBCASE("the html page reads the lines twice and shows the closing balance first") {
        std::ostringstream os;
        report::statement_html(s, report::statement_head(s, "M1", {}, {}), "Bank", d("2026-11-27"), os);
        auto page = os.str();
        CHECK(page.find("Closing balance</div><div class=\"kv\">2.50") != std::string::npos);
        CHECK(page.find("void of 3") != std::string::npos);
    }
}
