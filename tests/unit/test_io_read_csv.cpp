// CSV/TSV row source: RFC 4180, encodings, line ends, separators, row numbers.
#include <doctest/doctest.h>

#include "scratch_dir.hpp"
#include "table_rows.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tb/io/csv_reader.hpp"
#include "tb/io/table_reader.hpp"
#include "tb/util/error.hpp"

namespace fs = std::filesystem;
using tb::io::ReadOptions;
using tb::io::SourceRow;
using tb::test::read_all;
using tb::test::Rows;

namespace {

using CsvTempDir = tb::test::ScratchDir;

Rows read_text(const std::string& bytes, const std::string& name = "in.csv", const ReadOptions& opts = {}) {
    CsvTempDir dir;
    return read_all(dir.write(name, bytes), opts);
}

std::string error_of(const std::string& bytes, const std::string& name = "in.csv") {
    CsvTempDir dir;
    auto path = dir.write(name, bytes);
    try {
        read_all(path);
    } catch (const tb::Rejected& e) {
        return std::string(e.what()).substr(path.size());  // what follows the file name
    }
    return "(no error)";
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("csv: Excel export with BOM, CRLF, UK dates and accented names") {
    std::string file =
        "\xEF\xBB\xBFMembership No,First name,Surname,Joined\r\n"
        "1001,Zo\xC3\xAB,\xC3\x91\xC3\xBA\xC3\xB1\x65z,15/03/2023\r\n"
        "1002,\xC5\x81ucja,B\xC4\x85k,01/12/2022\r\n";
    auto rows = read_text(file);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == std::pair<std::size_t, V>{1, {"Membership No", "First name", "Surname", "Joined"}});
    CHECK(rows[1] == std::pair<std::size_t, V>{2, {"1001", "Zoë", "Ñúñez", "15/03/2023"}});
    CHECK(rows[2] == std::pair<std::size_t, V>{3, {"1002", "Łucja", "Bąk", "01/12/2022"}});
}

TEST_CASE("csv: the separator is detected from the header line") {
    SUBCASE("semicolon export with decimal commas") {
        auto rows = read_text("id;name;hours\n1;Ann;1,5\n2;\"Bo; Jr\";2\n");
        REQUIRE(rows.size() == 3);
        CHECK(rows[1].second == V{"1", "Ann", "1,5"});
        CHECK(rows[2].second == V{"2", "Bo; Jr", "2"});
    }
    SUBCASE("tab in a .csv") {
        auto rows = read_text("id\tname\tnote, if any\n1\tAnn, B\n");
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].second == V{"id", "name", "note, if any"});
        CHECK(rows[1].second == V{"1", "Ann, B"});
    }
    SUBCASE("tsv, with empty fields kept in place") {
        auto rows = read_text("a\tb\tc\n\t2\t\n1\t\t3\n", "in.tsv");
        REQUIRE(rows.size() == 3);
        CHECK(rows[1].second == V{"", "2"});
        CHECK(rows[2].second == V{"1", "", "3"});
    }
    SUBCASE("a one-column .tsv is tab-separated") {
        CsvTempDir dir;
        tb::io::CsvReader r(dir.write("one.tsv", "name\nA, B\n"), {}, '\t');
        CHECK(r.separator() == '\t');
        SourceRow row;
        REQUIRE(r.next(row));
        REQUIRE(r.next(row));
        CHECK(row.cells == V{"A, B"});
    }
    SUBCASE("separators inside quotes in the header do not count") {
        CsvTempDir dir;
        tb::io::CsvReader r(dir.write("q.csv", "\"a;b;c\",d\n"), {});
        CHECK(r.separator() == ',');
    }
    SUBCASE("blank lines and bare separators above the header are passed over") {
        CHECK(read_text("\r\nid;name\r\n1;Ann\r\n") == Rows{{2, {"id", "name"}}, {3, {"1", "Ann"}}});
        CHECK(read_text(";;;\n\nid;name\n1;Ann, B\n") == Rows{{3, {"id", "name"}}, {4, {"1", "Ann, B"}}});
        ReadOptions o;
        o.skip = 1;
        CHECK(read_text("Export, 2026, all\n\nid;name\n1;x\n", "in.csv", o) ==
              Rows{{3, {"id", "name"}}, {4, {"1", "x"}}});
    }
    SUBCASE("given separator wins") {
        ReadOptions o;
        o.separator = ';';
        auto rows = read_text("a,b;c\n", "in.csv", o);
        CHECK(rows[0].second == V{"a,b", "c"});
    }
}

TEST_CASE("csv: RFC 4180 quoting") {
    std::string file =
        "a,b,c\n"
        "\"x, y\",\"line1\nline2\",\"say \"\"hi\"\"\"\n"
        "next,\"\",\"\"\"\"\n"
        "5\" pipe,\"abc\"def,plain\n";
    auto rows = read_text(file);
    REQUIRE(rows.size() == 4);
    CHECK(rows[1] == std::pair<std::size_t, V>{2, {"x, y", "line1\nline2", "say \"hi\""}});
    // The record with a quoted newline is one spreadsheet row: next is row 3.
    CHECK(rows[2] == std::pair<std::size_t, V>{3, {"next", "", "\""}});
    CHECK(rows[3] == std::pair<std::size_t, V>{4, {"5\" pipe", "abcdef", "plain"}});
}

TEST_CASE("csv: spaces are data") {
    auto rows = read_text("a,b,c\n  x ,\" y \", \"z\"\n");
    // A quote after a space does not open a quoted field.
    CHECK(rows[1].second == V{"  x ", " y ", " \"z\""});
}

TEST_CASE("csv: line ends") {
    CHECK(read_text("a,b\r1,2\r3,4") == Rows{{1, {"a", "b"}}, {2, {"1", "2"}}, {3, {"3", "4"}}});
    CHECK(read_text("a,b\n1,2") == Rows{{1, {"a", "b"}}, {2, {"1", "2"}}});
    // A blank line in the middle still counts as a row; CR CR is two rows.
    CHECK(read_text("a\r\n\r\nb\r\r\rc\n") == Rows{{1, {"a"}}, {3, {"b"}}, {6, {"c"}}});
    // A CRLF inside quotes stays in the cell.
    CHECK(read_text("a\r\n\"1\r\n2\"\r\nz\r\n") == Rows{{1, {"a"}}, {2, {"1\r\n2"}}, {3, {"z"}}});
}

TEST_CASE("csv: trailing empty rows and columns are ignored; ragged rows are returned as they are") {
    auto rows = read_text("a,b,,\n1,2,,\n,,,\n\n1,2,3,4,5\n7\n,,\n\n\n");
    CHECK(rows == Rows{{1, {"a", "b"}}, {2, {"1", "2"}}, {5, {"1", "2", "3", "4", "5"}}, {6, {"7"}}});
    CHECK(read_text("").empty());
    CHECK(read_text("\xEF\xBB\xBF").empty());
    CHECK(read_text("\n\n,\n").empty());
}

TEST_CASE("csv: skip rows before the header") {
    ReadOptions o;
    o.skip = 2;
    auto rows = read_text("Timebank export, 2024\n\nid;name\n1;x\n", "in.csv", o);
    CHECK(rows == Rows{{3, {"id", "name"}}, {4, {"1", "x"}}});
}

TEST_CASE("csv: invalid UTF-8 names the spreadsheet row and the column") {
    CHECK(error_of("name,place\nAnn,cafe\n\"multi\nline\",x\nBob,caf\xe9\n") ==
          ":4: column 2: invalid UTF-8 (the file may be Windows-1252; save it as UTF-8 / CSV UTF-8)");
    CHECK(error_of("n\xe9\n") == ":1: column 1: invalid UTF-8 (the file may be Windows-1252; save it as UTF-8 / CSV UTF-8)");
    CHECK(error_of("\xFF\xFEn\0a\0", "u16.csv").find("UTF-16") != std::string::npos);
}

TEST_CASE("csv: an unterminated quote names the row where the field began") {
    CHECK(error_of("a,b\n1,2\n3,\"open\n4,5\n6,7\n") ==
          ":3: a quoted field that starts on this row has no closing quote");
}

TEST_CASE("csv: a runaway quoted field is stopped") {
    std::string big = "a\n\"";
    big.append(tb::io::CsvReader::max_field_bytes + 10, 'x');
    CHECK(error_of(big) == ":2: column 1: a cell longer than 64 KiB starts on this row (is a closing quote missing?)");
}

TEST_CASE("csv: files and names") {
    CHECK_THROWS_AS(tb::io::open_table("/nonexistent/dir/members.csv", {}), tb::SystemError);
    try {
        tb::io::open_table("/nonexistent/dir/members.csv", {});
    } catch (const tb::SystemError& e) {
        CHECK(std::string(e.what()).find("/nonexistent/dir/members.csv") != std::string::npos);
    }
    CHECK_THROWS_AS(tb::io::open_table("members.xls", {}), tb::UsageError);
    CHECK_THROWS_AS(tb::io::open_table("members", {}), tb::UsageError);
    CsvTempDir dir;
    auto p = dir.write("UPPER.CSV", "a\n1\n");
    auto src = tb::io::open_table(p, {});
    CHECK(src->name() == p);
    CHECK(tb::io::display_name("-") == "stdin");
}

TEST_CASE("csv: a large file streams across chunk boundaries with exact rows") {
    // Varying record lengths put CRLFs, quotes and doubled quotes on every
    // possible position relative to the 64 KiB chunks.
    std::string file = "id,note,n\r\n";
    const int n = 40000;
    for (int i = 0; i < n; ++i) {
        file += std::to_string(i);
        file += ',';
        if (i % 3 == 0) {
            file += "\"q" + std::string(static_cast<std::size_t>(i % 17), 'x') + "\"\"\r\nz\"";
        } else {
            file += "p" + std::string(static_cast<std::size_t>(i % 13), 'y');
        }
        file += ",Zo\xC3\xAB\r\n";
    }
    auto rows = read_text(file);
    REQUIRE(rows.size() == static_cast<std::size_t>(n + 1));
    for (int i = 0; i < n; ++i) {
        const auto& [line, cells] = rows[static_cast<std::size_t>(i + 1)];
        CAPTURE(i);
        REQUIRE(line == static_cast<std::size_t>(i + 2));
        REQUIRE(cells.size() == 3);
        CHECK(cells[0] == std::to_string(i));
        if (i % 3 == 0)
            CHECK(cells[1] == "q" + std::string(static_cast<std::size_t>(i % 17), 'x') + "\"\r\nz");
        else
            CHECK(cells[1] == "p" + std::string(static_cast<std::size_t>(i % 13), 'y'));
        CHECK(cells[2] == "Zoë");
    }
}

TEST_CASE("csv: UTF-16 with or without a byte order mark is named, not read as garbage") {
    const std::string msg = ": UTF-16 text; save it as UTF-8 CSV (\"CSV UTF-8\" in Excel)";
    CHECK(error_of(std::string("n\0a\0m\0e\0\n\0A\0n\0n\0\n\0", 18), "u16.csv") == msg);      // LE, no BOM
    CHECK(error_of(std::string("\0n\0a\0m\0e\0\n\0A\0n\0n\0\n", 18), "u16.csv") == msg);      // BE, no BOM
    CHECK(error_of(std::string("\xFF\xFEn\0a\0m\0e\0\n\0", 12), "u16.csv") == msg);
    CHECK(error_of(std::string("\xFE\xFF\0n\0a\0m\0e\0\n", 12), "u16.csv") == msg);
    // a NUL in a cell of UTF-8 text is a bad cell (the import rejects its row), not UTF-16
    CHECK(read_text(std::string("name,note\nAnn,a\0b\n", 18)) == Rows{{1, {"name", "note"}}, {2, {"Ann", std::string("a\0b", 3)}}});
}

TEST_CASE("csv: a cell of 64 KiB is read; one byte more rejects the file naming the place") {
    std::string ok = "a,b\n1,";
    ok.append(64 << 10, 'x');
    CHECK(read_text(ok + "\n").size() == 2);
    std::string big = "a,b\n1," + std::string((64 << 10) + 1, 'x') + "\n";
    CHECK(error_of(big) == ":2: column 2: a cell longer than 64 KiB starts on this row (is a closing quote missing?)");
}
