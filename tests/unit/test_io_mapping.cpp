// Header mapping (SPEC "Imports"): explicit headers win over built-in
// aliases, [values.FIELD] answers, list_separator.
#include <doctest/doctest.h>
#include <utility>
#include "tb/model/config.hpp"

#include <string>
#include <vector>

#include "tb/io/mapping.hpp"
#include "tb/util/error.hpp"

using tb::ImportMapping;
using tb::io::HeaderMap;

namespace {

const std::vector<std::string> kFields = {"name", "postcode", "note", "balance", "opening", "kind", "offers"};

ImportMapping builtin() {
    ImportMapping m;
    m.aliases["postcode"] = {{"zip"}, {"post code"}};
    m.aliases["balance"] = {{"hours balance"}};
    m.aliases["note"] = {{"comments"}};
    return m;
}

}  // namespace

TEST_CASE("an explicit header is never claimed by a built-in alias") {
    auto m = builtin();
    m.fields["note"] = {{"zip"}};
    HeaderMap h(m, kFields, {"name", "zip"}, "f.csv", 1);
    std::vector<std::string> row = {"Ann", "LS6 1AA"};
    CHECK(h.get("note", row) == "LS6 1AA");
    CHECK_FALSE(h.has("postcode"));
    CHECK(h.column_name("note") == "zip");
}

TEST_CASE("a field mapped explicitly wins its header over another field's own name") {
    auto m = builtin();
    m.fields["opening"] = {{"Balance"}};
    HeaderMap h(m, kFields, {"Name", "Balance"}, "f.csv", 1);
    std::vector<std::string> row = {"Ann", "2.5"};
    CHECK(h.get("opening", row) == "2.5");
    CHECK_FALSE(h.has("balance"));
}

TEST_CASE("a field mapped explicitly takes no built-in alias column") {
    auto m = builtin();
    m.fields["note"] = {{"Remarks"}};
    // "comments" is note's built-in alias: with note mapped elsewhere it is
    // claimed by nothing, so it is an unknown column.
    CHECK_THROWS_AS(HeaderMap(m, kFields, {"name", "comments"}, "f.csv", 1), tb::Rejected);
    // Its own name still matches.
    HeaderMap h(m, kFields, {"name", "note"}, "f.csv", 1);
    CHECK(h.has("note"));
}

TEST_CASE("without explicit mapping the built-in aliases work as before") {
    HeaderMap h(builtin(), kFields, {"name", "zip", "comments"}, "f.csv", 1);
    std::vector<std::string> row = {"Ann", "LS6", "hi"};
    CHECK(h.get("postcode", row) == "LS6");
    CHECK(h.get("note", row) == "hi");
}

TEST_CASE("[values.FIELD] maps answers case- and space-insensitively; others pass as they are") {
    auto m = builtin();
    m.fields["kind"] = {{"Are you an organisation?"}};
    m.values["kind"]["yes"] = "organisation";
    m.values["kind"]["no"] = "person";
    HeaderMap h(m, kFields, {"name", "Are you an organisation?"}, "f.csv", 1);
    CHECK(h.get("kind", {"A", "Yes"}) == "organisation");
    CHECK(h.get("kind", {"A", " NO "}) == "person");
    CHECK(h.get("kind", {"A", "Maybe"}) == "Maybe");
    CHECK(h.answer("kind", "YES") == "organisation");
    CHECK(h.answer("offers", "Yes") == "Yes");
}

TEST_CASE("split_list: the separator, trimmed items, empty ones dropped") {
    using tb::io::split_list;
    CHECK(split_list("Gardening, Befriending", ",") == std::vector<std::string>{"Gardening", "Befriending"});
    CHECK(split_list("a;b; ;c;", ";") == std::vector<std::string>{"a", "b", "c"});
    CHECK(split_list("a | b", " | ") == std::vector<std::string>{"a", "b"});
    CHECK(split_list("", ",").empty());
    CHECK(split_list("one", "") == std::vector<std::string>{"one"});
}

// Issue 17: the cell checks and the spreadsheet guard undone on import.
using VS = std::vector<std::string>;
using Problems = std::vector<std::pair<std::string, std::string>>;

namespace {
tb::ImportMapping first_last_mapping() {
    tb::ImportMapping m;
    m.fields["name"] = {{"First name", "Surname"}};
    m.ignore = {"Comments"};
    return m;
}
const VS kCellFields = {"id", "name", "note", "category"};
}  // namespace

TEST_CASE("mapping: a NUL or control character in a mapped cell is a problem of its row") {
    HeaderMap map(first_last_mapping(), kCellFields, {"id", "First name", "Surname", "note", "category", "Comments"}, "f.csv", 1);
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
    HeaderMap map({}, kCellFields, {"id", "name", "note"}, "f.csv", 1);
    VS row = {"'-M1", "'=HYPERLINK(\"x\")", "''@at "};
    CHECK(map.get("id", row) == "-M1");
    CHECK(map.get("name", row) == "=HYPERLINK(\"x\")");
    CHECK(map.get("note", row, true) == "'@at ");  // one apostrophe off, spaces kept
    VS plain = {"'abc", "'-3.50", "'"};
    CHECK(map.get("id", plain) == "'abc");
    CHECK(map.get("name", plain) == "'-3.50");
    CHECK(map.get("note", plain, true) == "'");
}

TEST_CASE("mapping: a group of columns joined with a space, cells past the row's end empty") {
    HeaderMap map(first_last_mapping(), kCellFields, {"id", "First name", "Surname", "Comments"}, "f.csv", 1);
    CHECK(map.width() == 4);
    CHECK(map.get("name", {"M1", " Ann ", "Lee"}) == "Ann Lee");
    CHECK(map.get("name", {"M1", "", "Lee"}) == "Lee");
    CHECK(map.get("name", {"M1"}) == "");
    CHECK(map.column_name("name") == "First name + Surname");
    CHECK(map.has("name"));
    CHECK_FALSE(map.has("note"));
    CHECK(map.get("note", {"M1"}) == std::nullopt);
    // "Comments" is ignored: no field, and no unknown column.
    CHECK_FALSE(map.has("Comments"));
    CHECK(map.under_own_name("id"));
    CHECK_FALSE(map.under_own_name("name"));
}

TEST_CASE("mapping: a constant stands for a field the file lacks, never for one it has") {
    ImportMapping m;
    m.constants["category"] = "Gardening";
    m.constants["note"] = "from the paper sheets";
    HeaderMap map(m, kCellFields, {"id", "name", "note"}, "f.csv", 1);
    CHECK(map.has("category"));
    CHECK(map.get("category", {"M1", "Ann", "hi"}) == "Gardening");
    CHECK(map.get("note", {"M1", "Ann", "hi"}) == "hi");
    CHECK(map.column_name("name") == "name");
    CHECK(map.under_own_name("note"));
    CHECK_FALSE(map.under_own_name("category"));
}

TEST_CASE("mapping: every header problem named at FILE:LINE, in one rejection") {
    ImportMapping m;
    m.constants["colour"] = "red";
    m.fields["shoe size"] = {{"Shoes"}};
    try {
        HeaderMap(m, kCellFields, {"id", "Hobby", " ", "name", "name"}, "members.csv", 3);
        FAIL("no rejection");
    } catch (const tb::Rejected& e) {
        CHECK(std::string(e.what()) ==
              "members.csv:3: constant 'colour': not a field (use id, name, note, category)\n"
              "members.csv:3: mapping 'shoe size': not a field (use id, name, note, category)\n"
              "members.csv:3: Hobby: unknown column (map it to a field or to ignore in a --mapping file)\n"
              "members.csv:3: column 3: has no header (name it, or delete the column)\n"
              "members.csv:3: name: unknown column (map it to a field or to ignore in a --mapping file)");
    }
}
