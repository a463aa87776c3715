// The one lookup of a sheet by name, shared by the .xlsx and .ods readers.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tb/io/table_reader.hpp"
#include "tb/util/error.hpp"

using namespace tb;

TEST_CASE("choose_sheet: exact name first, then ignoring case, else the sheets listed") {
    const std::vector<std::string> names{"Members", "members", "Exchanges"};
    CHECK(io::detail::choose_sheet("f.xlsx", names, "Members") == 0);
    CHECK(io::detail::choose_sheet("f.xlsx", names, "members") == 1);
    CHECK(io::detail::choose_sheet("f.xlsx", names, "EXCHANGES") == 2);
    CHECK(io::detail::choose_sheet("f.xlsx", names, "MEMBERS") == 0);
    try {
        io::detail::choose_sheet("f.ods", names, "Sheet1");
        FAIL("no UsageError");
    } catch (const UsageError& e) {
        CHECK(std::string(e.what()) ==
              "f.ods: there is no sheet named \"Sheet1\"; its sheets are \"Members\", \"members\", \"Exchanges\"");
    }
}

TEST_CASE("display_name: stdin for -") {
    CHECK(io::display_name("-") == "stdin");
    CHECK(io::display_name("rows.csv") == "rows.csv");
}
