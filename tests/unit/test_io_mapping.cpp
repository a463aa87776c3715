// Header mapping: the cell checks and the spreadsheet guard undone on import.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "tb/core/config.hpp"
#include "tb/io/mapping.hpp"

using tb::io::HeaderMap;
using V = std::vector<std::string>;
using Problems = std::vector<std::pair<std::string, std::string>>;

namespace {
tb::ImportMapping first_last() {
    tb::ImportMapping m;
    m.fields["name"] = {{"First name", "Surname"}};
    m.ignore = {"Comments"};
    return m;
}
const V kFields = {"id", "name", "note", "category"};
}  // namespace

TEST_CASE("mapping: a NUL or control character in a mapped cell is a problem of its row") {
    HeaderMap map(first_last(), kFields, {"id", "First name", "Surname", "note", "category", "Comments"}, "f.csv", 1);
    CHECK(map.cell_problems({"M1", "Ann", "Lee", "a\tb\r\nc", "Gardening", "x\x01y"}).empty());
    CHECK(map.cell_problems({"M1", "Ann", "Lee", "", std::string("Garden\0ing", 10)}) ==
          Problems{{"category", "a NUL byte in the cell"}});
    CHECK(map.cell_problems({"M1", "A\x1b[2Jnn", "Lee\t"}) ==
          Problems{{"First name + Surname", "the control character U+001B in the cell"},
                   {"First name + Surname",
                    "the control character U+0009 in the cell (only a note may hold tabs and line breaks)"}});
    CHECK(map.cell_problems({"M\x7f"}) == Problems{{"id", "the control character U+007F in the cell"}});
    CHECK(map.cell_problems({"M1", "Ann", "Lee", std::string("a\0b", 3)}) ==
          Problems{{"note", "a NUL byte in the cell"}});
}

TEST_CASE("mapping: the apostrophe export puts before = + - @ is taken off again") {
    HeaderMap map({}, kFields, {"id", "name", "note"}, "f.csv", 1);
    V row = {"'-M1", "'=HYPERLINK(\"x\")", "''@at "};
    CHECK(map.get("id", row) == "-M1");
    CHECK(map.get("name", row) == "=HYPERLINK(\"x\")");
    CHECK(map.get("note", row, true) == "'@at ");  // one apostrophe off, spaces kept
    V plain = {"'abc", "'-3.50", "'"};
    CHECK(map.get("id", plain) == "'abc");
    CHECK(map.get("name", plain) == "'-3.50");
    CHECK(map.get("note", plain, true) == "'");
}
