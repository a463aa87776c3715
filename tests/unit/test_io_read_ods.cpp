// .ods row source: spreadsheets written here as content.xml and zipped with libzip.
#include <doctest/doctest.h>

#include "scratch_dir.hpp"
#include "table_rows.hpp"
#include "zip_writer.hpp"

#include <fstream>
#include <string>
#include <vector>

#include "tb/io/ods_reader.hpp"
#include "tb/util/error.hpp"

using tb::io::ReadOptions;
using tb::test::read_all;
using tb::test::Rows;

namespace {

using OdsTempDir = tb::test::ScratchDir;

// Zips content.xml (after an uncompressed mimetype, as ODF wants) into a new file.
void write_ods(const std::string& path, const std::string& content) {
    tb::test::write_zip(path, {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, {"content.xml", content}},
                        true);
}

std::string document(const std::string& tables) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<office:document-content "
           "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
           "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
           "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
           "xmlns:calcext=\"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0\" "
           "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.3\">"
           "<office:body><office:spreadsheet>" +
           tables + "</office:spreadsheet></office:body></office:document-content>";
}

std::string str_cell(const std::string& text) {
    return "<table:table-cell office:value-type=\"string\" calcext:value-type=\"string\"><text:p>" + text +
           "</text:p></table:table-cell>";
}

// As LibreOffice writes it: header rows, repeated rows and columns, the
// million empty rows at the end, and a second table.
std::string members_ods() {
    std::string members =
        "<table:table table:name=\"Members\" table:style-name=\"ta1\">"
        "<table:table-column table:number-columns-repeated=\"5\"/>"
        "<table:table-header-rows><table:table-row>" +
        str_cell("Membership No") + str_cell("Name") + str_cell("Joined") + str_cell("Hours") +
        "<table:table-cell table:number-columns-repeated=\"1020\"/></table:table-row></table:table-header-rows>"
        // row 2: float, string with spans, text:s and two paragraphs, date, currency
        "<table:table-row>"
        "<table:table-cell office:value-type=\"float\" office:value=\"1001\" calcext:value-type=\"float\">"
        "<text:p>1,001</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"string\"><text:p>Zo\xC3\xAB<text:s/><text:span "
        "text:style-name=\"T1\">\xC3\x91\xC3\xBA\xC3\xB1\x65z</text:span></text:p><text:p>second  "
        "line<text:s text:c=\"2\"/>end</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"date\" office:date-value=\"2023-03-15\"><text:p>15/03/23</text:p>"
        "</table:table-cell>"
        "<table:table-cell office:value-type=\"currency\" office:currency=\"GBP\" office:value=\"1.5\">"
        "<text:p>\xC2\xA3\x31.50</text:p></table:table-cell>"
        "<table:table-cell table:number-columns-repeated=\"1020\"/></table:table-row>"
        // rows 3-4: empty, repeated
        "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell "
        "table:number-columns-repeated=\"1024\"/></table:table-row>"
        // row 5: an empty column between, a comment that is not the text, a
        // datetime, a boolean, a percentage, a duration, a covered cell
        "<table:table-row>"
        "<table:table-cell office:value-type=\"float\" office:value=\"1002\"><text:p>1002</text:p></table:table-cell>"
        "<table:table-cell/>"
        "<table:table-cell office:value-type=\"string\"><office:annotation><dc:creator>Ann</dc:creator>"
        "<text:p>a comment</text:p></office:annotation><text:p>\xC5\x81\xC3\xB3\x64\xC5\xBA</text:p>"
        "</table:table-cell>"
        "<table:table-cell office:value-type=\"date\" office:date-value=\"2023-03-16T18:00:00\"><text:p>x</text:p>"
        "</table:table-cell>"
        "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"true\"><text:p>TRUE</text:p>"
        "</table:table-cell>"
        "<table:table-cell office:value-type=\"percentage\" office:value=\"0.15\"><text:p>15%</text:p>"
        "</table:table-cell>"
        "<table:table-cell office:value-type=\"time\" office:time-value=\"PT01H30M00S\"><text:p>01:30</text:p>"
        "</table:table-cell>"
        "<table:covered-table-cell/>"
        "<table:table-cell office:value-type=\"float\" office:value=\"0.30000000000000004\"><text:p>0.3</text:p>"
        "</table:table-cell><table:table-cell table:formula=\"of:=1/0\" office:value-type=\"float\" "
        "office:value=\"0\" calcext:value-type=\"error\"><text:p>#DIV/0!</text:p></table:table-cell>"
        "</table:table-row>"
        // rows 6-7: the same row twice, as LibreOffice stores identical rows
        "<table:table-row table:number-rows-repeated=\"2\">" +
        str_cell("same") +
        "<table:table-cell office:value-type=\"float\" office:value=\"2\" table:number-columns-repeated=\"3\">"
        "<text:p>2</text:p></table:table-cell></table:table-row>"
        // a row group with one row (row 8)
        "<table:table-row-group><table:table-row>" +
        str_cell("grouped") +
        "</table:table-row></table:table-row-group>"
        // the rest of the sheet: empty
        "<table:table-row table:number-rows-repeated=\"1048568\"><table:table-cell "
        "table:number-columns-repeated=\"1024\"/></table:table-row>"
        "</table:table>";
    std::string exchanges = "<table:table table:name=\"Exchanges\"><table:table-row>" + str_cell("Date") +
                            str_cell("From") + "</table:table-row><table:table-row>" +
                            "<table:table-cell office:value-type=\"date\" office:date-value=\"2024-01-01\">"
                            "<text:p>01/01/24</text:p></table:table-cell>" +
                            str_cell("1001") + "</table:table-row></table:table>";
    return document(members + exchanges);
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("ods: the first table, with every kind of cell") {
    OdsTempDir dir;
    auto path = dir.path("members.ods");
    write_ods(path, members_ods());
    auto rows = read_all(path);
    REQUIRE(rows.size() == 6);
    CHECK(rows[0] == std::pair<std::size_t, V>{1, {"Membership No", "Name", "Joined", "Hours"}});
    CHECK(rows[1] ==
          std::pair<std::size_t, V>{2, {"1001", "Zoë Ñúñez\nsecond line  end", "2023-03-15", "1.5"}});
    CHECK(rows[2] == std::pair<std::size_t, V>{
                         5, {"1002", "", "Łódź", "2023-03-16", "TRUE", "0.15", "1:30", "", "0.3", "#DIV/0!"}});
    CHECK(rows[3] == std::pair<std::size_t, V>{6, {"same", "2", "2", "2"}});
    CHECK(rows[4] == std::pair<std::size_t, V>{7, {"same", "2", "2", "2"}});
    CHECK(rows[5] == std::pair<std::size_t, V>{8, {"grouped"}});
}

TEST_CASE("ods: choosing a table") {
    OdsTempDir dir;
    auto path = dir.path("book.ods");
    write_ods(path, members_ods());
    ReadOptions o;
    o.sheet = "Exchanges";
    CHECK(read_all(path, o) == Rows{{1, {"Date", "From"}}, {2, {"2024-01-01", "1001"}}});
    o.sheet = "EXCHANGES";
    CHECK(read_all(path, o).size() == 2);
    o.sheet = "Members";
    CHECK(read_all(path, o).size() == 6);
    o.sheet = "Sheet1";
    try {
        read_all(path, o);
        FAIL("expected UsageError");
    } catch (const tb::UsageError& e) {
        CHECK(std::string(e.what()) ==
              path + ": there is no sheet named \"Sheet1\"; its sheets are \"Members\", \"Exchanges\"");
    }
}

TEST_CASE("ods: options") {
    OdsTempDir dir;
    auto path = dir.path("members.ods");
    write_ods(path, members_ods());
    ReadOptions o;
    o.decimal_mark = ',';
    o.skip = 6;  // the first of the two repeated rows is skipped
    auto rows = read_all(path, o);
    CHECK(rows == Rows{{7, {"same", "2", "2", "2"}}, {8, {"grouped"}}});
    o.skip = 0;
    CHECK(read_all(path, o)[2].second[8] == "0,3");
}

TEST_CASE("ods: a repeated non-empty row stops at the last row a sheet has") {
    OdsTempDir dir;
    auto path = dir.path("many.ods");
    write_ods(path, document("<table:table table:name=\"T\"><table:table-row table:number-rows-repeated=\"1048574\">"
                             "<table:table-cell/></table:table-row><table:table-row "
                             "table:number-rows-repeated=\"999999999\">" +
                             str_cell("x") + "</table:table-row></table:table>"));
    auto rows = read_all(path);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].first == 1048575);
    CHECK(rows[1].first == 1048576);
}

TEST_CASE("ods: broken files") {
    OdsTempDir dir;
    {
        auto p = dir.path("text.ods");
        std::ofstream(p) << "not a spreadsheet";
        try {
            read_all(p);
            FAIL("expected Rejected");
        } catch (const tb::Rejected& e) {
            CHECK(std::string(e.what()).find(p + ": not a valid .ods file") == 0);
        }
    }
    {
        auto p = dir.path("bad.ods");
        write_ods(p, "<office:document-content><unclosed>");
        CHECK_THROWS_AS(read_all(p), tb::Rejected);
    }
    CHECK_THROWS_AS(read_all(dir.path("missing.ods")), tb::SystemError);
}
