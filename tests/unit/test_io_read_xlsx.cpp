// .xlsx row source: workbooks written here part by part and zipped with libzip.
#include <doctest/doctest.h>

#include "scratch_dir.hpp"
#include "table_rows.hpp"
#include "zip_writer.hpp"

#include <fstream>
#include <string>
#include <vector>

#include "tb/io/xlsx_reader.hpp"
#include "tb/util/error.hpp"

using tb::io::ReadOptions;
using tb::test::read_all;
using tb::test::Rows;
using tb::test::write_zip;

namespace {

using XlsxTempDir = tb::test::ScratchDir;
using Parts = tb::test::ZipParts;

const char* kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const char* kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string sheet_xml(const std::string& rows) {
    return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"") +
           kMain + "\" xmlns:r=\"" + kRel + "\"><dimension ref=\"A1:G6\"/><sheetData>" + rows +
           "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" "
           "header=\"0.3\" footer=\"0.3\"/></worksheet>";
}

// A workbook as Excel writes one: sheets "Members" and "Exchanges" (listed
// in that order but stored as sheet2.xml and sheet1.xml), shared strings
// with rich text and a phonetic run, styles with built-in and custom date
// formats and a time format.
Parts members_workbook(bool date1904 = false) {
    std::string rels =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
        "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
    std::string workbook = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"") + kMain +
                           "\" xmlns:r=\"" + kRel + "\"><workbookPr" +
                           (date1904 ? " date1904=\"1\"" : "") +
                           "/><sheets><sheet name=\"Members\" sheetId=\"1\" r:id=\"rId2\"/>"
                           "<sheet name=\"Exchanges\" sheetId=\"2\" r:id=\"rId1\"/></sheets></workbook>";
    std::string wb_rels =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
        "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "styles\" Target=\"styles.xml\"/>"
        "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
    std::string styles = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"") + kMain +
                         "\"><numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\\ hh:mm\"/>"
                         "<numFmt numFmtId=\"165\" formatCode=\"#,##0.00\\ &quot;days&quot;\"/></numFmts>"
                         "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"
                         "<xf numFmtId=\"164\" applyNumberFormat=\"1\"/><xf numFmtId=\"165\"/>"
                         "<xf numFmtId=\"20\"/></cellXfs></styleSheet>";
    // 0 Membership No, 1 Name, 2 Joined, 3 "Zoë Ñúñez" (rich), 4 Hours,
    // 5 Japanese name with a reading, 6 two lines via _x000D_
    std::string strings =
        std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"") + kMain +
        "\" count=\"7\" uniqueCount=\"7\"><si><t>Membership No</t></si><si><t>Name</t></si>"
        "<si><t>Joined</t></si>"
        "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">Zo\xC3\xAB </t></r><r><t>\xC3\x91\xC3\xBA\xC3\xB1\x65z</t></r></si>"
        "<si><t>Hours</t></si>"
        "<si><t>\xE5\xB1\xB1\xE7\x94\xB0</t><rPh sb=\"0\" eb=\"2\"><t>\xE3\x83\xA4\xE3\x83\x9E\xE3\x83\x80</t></rPh></si>"
        "<si><t>line1_x000D_\nline2 _x005F_x000D_</t></si></sst>";
    std::string members = sheet_xml(
        "<row r=\"1\" spans=\"1:4\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
        "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"inlineStr\"><is><t>Hours</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\"><v>1001</v></c><c r=\"B2\" t=\"s\"><v>3</v></c>"
        "<c r=\"C2\" s=\"1\"><v>45000</v></c><c r=\"D2\"><v>1.5</v></c></row>"
        // row 3 is missing; B4 is an inline string after a gap at B
        "<row r=\"4\"><c r=\"A4\"><v>1002</v></c><c r=\"C4\" s=\"2\"><v>45001.75</v></c>"
        "<c r=\"B4\" t=\"inlineStr\"><is><r><t>\xC5\x81\xC3\xB3\x64\xC5\xBA</t></r></is></c>"
        "<c r=\"E4\" t=\"b\"><v>1</v></c><c r=\"F4\" t=\"str\"><f>UPPER(\"calc\")</f><v>CALC</v></c>"
        "<c r=\"G4\"><v>0.30000000000000004</v></c></row>"
        // formatted but empty cells: not a row
        "<row r=\"5\"><c r=\"A5\" s=\"1\"/><c r=\"B5\" t=\"s\"/></row>"
        // cells without references (the row must have its number)
        "<row r=\"6\"><c><v>1003</v></c><c t=\"s\"><v>5</v></c><c s=\"3\"><v>2</v></c><c s=\"4\"><v>0.0625</v></c></row>"
        "<row r=\"9\"><c r=\"B9\" t=\"s\"><v>6</v></c><c r=\"C9\" t=\"e\"><v>#DIV/0!</v></c>"
        "<c r=\"D9\"><v>-2.5E-3</v></c><c r=\"E9\"><v>123456789012</v></c></row>"
        "<row r=\"12\"><c r=\"H12\" t=\"inlineStr\"><is><t></t></is></c></row>");
    std::string exchanges = sheet_xml(
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Date</t></is></c>"
        "<c r=\"B1\" t=\"inlineStr\"><is><t>From</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>45292</v></c><c r=\"B2\" t=\"inlineStr\"><is><t>1001</t></is></c>"
        "</row>");
    return {
        {"[Content_Types].xml",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
         "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
        {"_rels/.rels", rels},
        {"xl/workbook.xml", workbook},
        {"xl/_rels/workbook.xml.rels", wb_rels},
        {"xl/styles.xml", styles},
        {"xl/sharedStrings.xml", strings},
        {"xl/worksheets/sheet2.xml", members},
        {"xl/worksheets/sheet1.xml", exchanges},
    };
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("xlsx: the first sheet, with every kind of cell") {
    XlsxTempDir dir;
    auto path = dir.path("members.xlsx");
    write_zip(path, members_workbook());
    auto rows = read_all(path);
    REQUIRE(rows.size() == 5);
    CHECK(rows[0] == std::pair<std::size_t, V>{1, {"Membership No", "Name", "Joined", "Hours"}});
    CHECK(rows[1] == std::pair<std::size_t, V>{2, {"1001", "Zoë Ñúñez", "2023-03-15", "1.5"}});
    CHECK(rows[2] == std::pair<std::size_t, V>{4, {"1002", "Łódź", "2023-03-16", "", "TRUE", "CALC", "0.3"}});
    CHECK(rows[3] == std::pair<std::size_t, V>{6, {"1003", "山田", "2", "1:30"}});
    CHECK(rows[4] == std::pair<std::size_t, V>{9, {"", "line1\r\nline2 _x000D_", "#DIV/0!", "-0.0025", "123456789012"}});
}

TEST_CASE("xlsx: choosing a sheet") {
    XlsxTempDir dir;
    auto path = dir.path("book.XLSX");
    write_zip(path, members_workbook());
    ReadOptions o;
    o.sheet = "Exchanges";
    CHECK(read_all(path, o) == Rows{{1, {"Date", "From"}}, {2, {"2024-01-01", "1001"}}});
    o.sheet = "exchanges";  // case does not matter when nothing matches exactly
    CHECK(read_all(path, o).size() == 2);
    o.sheet = "Members";
    CHECK(read_all(path, o).size() == 5);

    tb::io::XlsxReader r(path, {});
    CHECK(r.sheet_names() == V{"Members", "Exchanges"});

    o.sheet = "Sheet1";
    try {
        read_all(path, o);
        FAIL("expected UsageError");
    } catch (const tb::UsageError& e) {
        CHECK(std::string(e.what()) ==
              path + ": there is no sheet named \"Sheet1\"; its sheets are \"Members\", \"Exchanges\"");
    }
}

TEST_CASE("xlsx: options") {
    XlsxTempDir dir;
    auto path = dir.path("members.xlsx");
    write_zip(path, members_workbook());
    ReadOptions o;
    o.decimal_mark = ',';
    o.skip = 2;
    auto rows = read_all(path, o);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].first == 4);
    CHECK(rows[0].second[6] == "0,3");
    CHECK(rows[2].second[3] == "-0,0025");

    auto p1904 = dir.path("mac.xlsx");
    write_zip(p1904, members_workbook(true));
    CHECK(read_all(p1904)[1].second[2] == "2027-03-16");  // 1904-01-01 + 45000 days
}

TEST_CASE("xlsx: broken files") {
    XlsxTempDir dir;
    auto check_rejected = [&](const std::string& path, const std::string& part) {
        try {
            read_all(path);
            FAIL("expected Rejected");
        } catch (const tb::Rejected& e) {
            std::string msg = e.what();
            CAPTURE(msg);
            CHECK(msg.find(path + ": not a valid .xlsx file") == 0);
            CHECK(msg.find(part) != std::string::npos);
        }
    };
    {
        auto p = dir.path("text.xlsx");
        std::ofstream(p) << "Membership No,Name\n1,Ann\n";
        check_rejected(p, "Not a zip archive");
    }
    {
        auto p = dir.path("old.xlsx");
        std::ofstream(p, std::ios::binary) << std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 more", 13);
        check_rejected(p, "old-style .xls");
    }
    {
        auto p = dir.path("empty.xlsx");
        write_zip(p, {{"hello.txt", "hi"}});
        check_rejected(p, "xl/workbook.xml");
    }
    {
        auto parts = members_workbook();
        for (auto& [name, content] : parts)
            if (name == "xl/worksheets/sheet2.xml") content.resize(content.size() / 2);
        auto p = dir.path("cut.xlsx");
        write_zip(p, parts);
        check_rejected(p, "xl/worksheets/sheet2.xml line 2");
    }
    CHECK_THROWS_AS(read_all(dir.path("missing.xlsx")), tb::SystemError);
}

TEST_CASE("xlsx: number and date helpers") {
    using tb::io::detail::excel_serial_date;
    using tb::io::detail::number_text;
    CHECK(excel_serial_date(45000, false) == "2023-03-15");
    CHECK(excel_serial_date(45000.99999, false) == "2023-03-15");
    CHECK(excel_serial_date(1, false) == "1900-01-01");
    CHECK(excel_serial_date(59, false) == "1900-02-28");
    CHECK(excel_serial_date(61, false) == "1900-03-01");
    CHECK(excel_serial_date(0, true) == "1904-01-01");
    CHECK(excel_serial_date(-1, false).empty());

    CHECK(number_text(1.5, '.') == "1.5");
    CHECK(number_text(3, '.') == "3");
    CHECK(number_text(-0.0, '.') == "0");
    CHECK(number_text(0.1 + 0.2, '.') == "0.3");
    CHECK(number_text(1.0 / 3, '.') == "0.333333333333333");
    CHECK(number_text(2.675, ',') == "2,675");
    CHECK(number_text(1e20, '.') == "1e+20");
    CHECK(number_text(123456789.125, '.') == "123456789.125");
    CHECK(number_text(-45000, '.') == "-45000");

    using tb::io::detail::NumberKind;
    using tb::io::detail::number_format_kind;
    CHECK(number_format_kind(0, "") == NumberKind::number);
    CHECK(number_format_kind(14, "") == NumberKind::date);
    CHECK(number_format_kind(22, "") == NumberKind::date);
    CHECK(number_format_kind(20, "") == NumberKind::time);
    CHECK(number_format_kind(46, "") == NumberKind::elapsed);
    CHECK(number_format_kind(164, "yyyy-mm-dd") == NumberKind::date);
    CHECK(number_format_kind(164, "[$-809]dd mmmm yyyy") == NumberKind::date);
    CHECK(number_format_kind(164, "mmm") == NumberKind::date);
    CHECK(number_format_kind(164, "h:mm AM/PM") == NumberKind::time);
    CHECK(number_format_kind(164, "[h]:mm") == NumberKind::elapsed);
    CHECK(number_format_kind(164, "0.00 \"days\"") == NumberKind::number);
    CHECK(number_format_kind(164, "[Red]#,##0.00") == NumberKind::number);
    CHECK(number_format_kind(164, "General") == NumberKind::number);
}

namespace {
// The Rejected message of reading the members workbook with `sheet2`
// (the Members sheet) and optionally other shared strings.
std::string members_error(XlsxTempDir& dir, const std::string& rows, const std::string& strings = {},
                          const ReadOptions& o = {}) {
    auto parts = members_workbook();
    for (auto& [name, content] : parts) {
        if (name == "xl/worksheets/sheet2.xml") content = sheet_xml(rows);
        if (name == "xl/sharedStrings.xml" && !strings.empty()) content = strings;
    }
    auto p = dir.path("m.xlsx");
    write_zip(p, parts);
    try {
        read_all(p, o);
    } catch (const tb::Rejected& e) {
        return std::string(e.what()).substr(p.size());
    }
    return "(no error)";
}
std::string inline_cell(const std::string& ref, const std::string& text) {
    return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}
}  // namespace

TEST_CASE("xlsx: a row whose number is missing, 0 or out of order rejects the file") {
    XlsxTempDir dir;
    auto head = "<row r=\"1\">" + inline_cell("A1", "name") + "</row>";
    CHECK(members_error(dir, head + "<row r=\"0\">" + inline_cell("A2", "x") + "</row>") ==
          ": the row after row 1 has the row number r=\"0\"");
    CHECK(members_error(dir, head + "<row>" + inline_cell("A2", "x") + "</row>") ==
          ": the row after row 1 has no row number (r)");
    CHECK(members_error(dir, head + "<row r=\"abc\"/>") == ": the row after row 1 has the row number r=\"abc\"");
    CHECK(members_error(dir, head + "<row r=\"3\"/><row r=\"3\"/>") == ": row 3 comes after row 3 (rows out of order)");
    CHECK(members_error(dir, head + "<row r=\"5\"/><row r=\"4\"/>") == ": row 4 comes after row 5 (rows out of order)");
    CHECK(members_error(dir, head + "<row r=\"1048577\"/>") == ": the row after row 1 has the row number r=\"1048577\"");
    CHECK(members_error(dir, head + "<row r=\"2\"/><row r=\"1048576\"/>") == "(no error)");
}

TEST_CASE("xlsx: a cell over 64 KiB, a shared string over 64 KiB, a table over 256 MiB") {
    XlsxTempDir dir;
    auto head = "<row r=\"1\">" + inline_cell("A1", "name") + "</row>";
    CHECK(members_error(dir, head + "<row r=\"2\">" + inline_cell("B2", std::string(70000, 'n')) + "</row>") ==
          ":2: column 2: a cell longer than 64 KiB");
    CHECK(members_error(dir, head + "<row r=\"2\">" + inline_cell("B2", std::string(65536, 'n')) + "</row>") ==
          "(no error)");
    std::string sst = std::string("<sst xmlns=\"") + kMain + "\"><si><t>ok</t></si><si><t>" +
                      std::string(70000, 's') + "</t></si></sst>";
    CHECK(members_error(dir, head, sst) == ": xl/sharedStrings.xml: shared string 2 is longer than 64 KiB");
    // The table's limit (256 MiB; 2 MiB here): strings each allowed, too
    // many together, or a great many empty ones.
    ReadOptions small;
    small.max_shared_strings = 2u << 20;
    std::string many = std::string("<sst xmlns=\"") + kMain + "\">";
    std::string one = "<si><t>" + std::string(60 << 10, 'm') + "</t></si>";
    for (int i = 0; i < 40; ++i) many += one;
    CHECK(members_error(dir, head, many + "</sst>", small) ==
          ": xl/sharedStrings.xml: the shared string table is larger than 2 MiB");
    CHECK(members_error(dir, head, many.substr(0, many.size() - 10 * one.size()) + "</sst>", small) == "(no error)");
    std::string empties = std::string("<sst xmlns=\"") + kMain + "\">";
    for (int i = 0; i < 300000; ++i) empties += "<si/>";
    CHECK(members_error(dir, head, empties + "</sst>", small) ==
          ": xl/sharedStrings.xml: the shared string table is larger than 2 MiB");
    // one 64 KiB shared string in every column of a row: 1 GiB if kept
    std::string wide = "<row r=\"2\">";
    for (int c = 0; c < 16384; ++c) wide += "<c t=\"s\"><v>0</v></c>";
    wide += "</row>";
    std::string big = std::string("<sst xmlns=\"") + kMain + "\"><si><t>" + std::string(60 << 10, 'w') +
                      "</t></si></sst>";
    auto msg = members_error(dir, head + wide, big);
    CHECK(msg.find(":2: column ") == 0);
    CHECK(msg.find("the row's cells hold more than 16 MiB") != std::string::npos);
}
