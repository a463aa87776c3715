// Rendering rows as table, csv, tsv, json and jsonl.
#include <doctest/doctest.h>

#include <limits>
#include <fmt/format.h>
#include <sstream>
#include <string>
#include <string_view>

#include "tb/io/output.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

using namespace tb::io;
using namespace std::string_literals;

namespace {

std::string render(const Table& t, Format f, bool header = true) {
    std::ostringstream os;
    render_table(t, RenderOptions{f, header}, os);
    return os.str();
}

std::string record(const Table& t, Format f, bool header = true) {
    std::ostringstream os;
    render_record(t, RenderOptions{f, header}, os);
    return os.str();
}

Table one_column(std::string value) {
    Table t;
    t.columns = {"v"};
    t.add({Cell{std::move(value)}});
    return t;
}

Table sample() {
    Table t;
    t.columns = {"id", "name", "hours", "skills", "active", "count", "note"};
    t.add({"M0001"s, "Zoë Ñúñez"s, Hours{90}, List{"gardening", "dog walking"}, true, std::int64_t{3}, Cell{}});
    t.add({"M0002"s, "Ann Lee"s, Hours{-20}, List{}, false, std::int64_t{-12}, "said \"hi\""s});
    return t;
}

}  // namespace

TEST_CASE("csv_field quotes exactly what RFC 4180 needs") {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"plain", "plain"},
        {"", ""},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"\"", "\"\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"cr\rlf", "\"cr\rlf\""},
        {" leading", "\" leading\""},
        {"trailing ", "\"trailing \""},
        {"in side", "in side"},
        {"Zoë Ñúñez 中文", "Zoë Ñúñez 中文"},
        {"semi;colon", "semi;colon"},
        {"tab\there", "tab\there"},
    };
    for (auto [in, out] : cases) {
        const auto& shown = in;  // clang 14: CAPTURE cannot take a structured binding
        CAPTURE(shown);
        CHECK(csv_field(in, ',') == out);
    }
    // In TSV the tab is the delimiter and the comma is plain text.
    CHECK(csv_field("tab\there", '\t') == "\"tab\there\"");
    CHECK(csv_field("a,b", '\t') == "a,b");
    CHECK(csv_field("a\"\"b,", '\t') == "\"a\"\"\"\"b,\"");
    CHECK(csv_field("\xff\x80\"", ',') == "\"\xff\x80\"\"\"");  // bytes above 127 are plain
    // Another delimiter is quoted like the comma.
    CHECK(csv_field("a;b", ';') == "\"a;b\"");
    CHECK(csv_field("a,b", ';') == "a,b");
}

// The table prints `text` escaped (a tab, a line break as a space): the
// second line's first column is as wide as that.
static void check_table_width(const std::string& text) {
    std::string shown = text;
    for (auto& ch : shown)
        if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
    shown = tb::text::escape_controls(shown);
    Table t;
    t.columns = {"a", "b"};
    t.add({text, "|"s});
    t.add({""s, "|"s});
    std::string expected = shown + "  |\n";
    expected.append(tb::text::display_width(shown), ' ');
    expected += "  |\n";
    CHECK(render(t, Format::table, false) == expected);
}

TEST_CASE("csv_field and the table's widths: a byte that matters found wherever it lies in a long text") {
    // The texts are checked eight bytes at a time (the last word masked, or
    // read where the text ends, or filled up for a text under 8 bytes):
    // each odd byte at every position of texts of every length from 1 to
    // 23 bytes, against the plain definitions.
    const std::string odd[] = {",", "\"", "\n", "\r", "\t", ";", "\x01", "\x1f", " ", "\x7f", "~",
                               "\x80", "\xc2\x85", "\xc2\xa0", "\xc3\xa9", "\xe4\xb8\xad", "\xff"};
    for (const auto& c : odd) {
        for (std::size_t len = 1; len <= 23; ++len)
        for (std::size_t at = 0; at + c.size() <= len; ++at) {
            std::string text(at, 'a');
            text += c;
            text.append(len - text.size(), 'a');
            CAPTURE(at);
            CAPTURE(text);
            for (char d : {',', '\t', ';'}) {
                std::string specials = "\"\n\r";
                specials += d;
                std::string expected = text;
                if (text.find_first_of(specials) != std::string::npos || text.front() == ' ' || text.back() == ' ') {
                    expected.assign(1, '"');
                    for (char ch : text) {
                        if (ch == '"') expected += '"';
                        expected += ch;
                    }
                    expected += '"';
                }
                CHECK(csv_field(text, d) == expected);
            }
            check_table_width(text);
        }
    }
}

TEST_CASE("the table's widths: UTF-8 in one word and a control character in a later one") {
    // A word of UTF-8 is measured whole; a word that may hold a control
    // character is looked at byte by byte from there on.
    const std::string odd[] = {"\xc3\xa9", "\xe4\xb8\xad", "\x01", "\xc2\x85", "\t", "\xc2\xa0", "\x7f"};
    for (const auto& first : odd)
        for (const auto& second : odd)
            for (std::size_t a = 0; a < 10; ++a)
                for (std::size_t gap = 0; gap < 12; gap += 3) {
                    std::string text = std::string(a, 'a') + first + std::string(gap, 'b') + second + "cd";
                    CAPTURE(text);
                    check_table_width(text);
                }
}

TEST_CASE("json_dump escapes what JSON requires and passes UTF-8 through") {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"plain", R"("plain")"},
        {"", R"("")"},
        {"say \"hi\"", R"("say \"hi\"")"},
        {"back\\slash", R"("back\\slash")"},
        {"a\nb\rc\td", R"("a\nb\rc\td")"},
        {"\b\f", R"("\b\f")"},
        {std::string_view("\x01\x1f\x7f", 3), "\"\\u0001\\u001f\x7f\""},  // DEL needs no escape in JSON
        {std::string_view("bad \xff utf-8", 11), "\"bad \xef\xbf\xbd utf-8\""},     // invalid UTF-8: U+FFFD
        {std::string_view("nul\0here", 8), R"("nul\u0000here")"},
        {"Zoë Ñúñez 中文", "\"Zoë Ñúñez 中文\""},
        {"\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""},
        {"/", R"("/")"},
    };
    for (auto [in, out] : cases) {
        const auto& shown = in;  // clang 14: CAPTURE cannot take a structured binding
        CAPTURE(shown);
        CHECK(json_dump(Json(std::string(in))) == out);
    }
}

TEST_CASE("cells as text and as JSON") {
    struct Case {
        Cell cell;
        std::string_view text, json;
    };
    const Case cases[] = {
        {Cell{}, "", "null"},
        {"Ann"s, "Ann", R"("Ann")"},
        {std::int64_t{42}, "42", "42"},
        {std::int64_t{-7}, "-7", "-7"},
        {std::int64_t{1234567}, "1234567", "1234567"},  // never a thousands separator
        {Hours{90}, "1.50", "1.5"},
        {Hours{20}, "0.33", "0.333333"},
        {Hours{-90}, "-1.50", "-1.5"},
        {Hours{0}, "0.00", "0"},
        {Hours{6000000}, "100000.00", "100000"},
        {11.44, "11.44", "11.44"},
        {0.5, "0.5", "0.5"},
        {1234567.0, "1234567", "1234567"},
        {-0.0, "0", "0"},
        {std::numeric_limits<double>::quiet_NaN(), "nan", "null"},  // JSON has no NaN
        {std::numeric_limits<double>::infinity(), "inf", "null"},
        {List{"a", "b c"}, "a;b c", R"(["a","b c"])"},
        {List{}, "", "[]"},
        {List{"say \"x\""}, "say \"x\"", R"(["say \"x\""])"},
        {true, "yes", "true"},
        {false, "no", "false"},
    };
    for (auto& c : cases) {
        CAPTURE(c.text);
        CHECK(cell_text(c.cell) == c.text);
        CHECK(json_dump(cell_value(c.cell)) == c.json);
    }
}

TEST_CASE("write_json: an object one member per line, arrays of objects one element per line") {
    Json doc{{"a", 1}, {"list", Json::array({Json{{"x", 1}}, Json{{"x", 2}}})}, {"empty", Json::array()},
             {"words", Json::array({"p", "q"})}, {"h", hours_json(90)}, {"none", nullptr}};
    std::ostringstream out;
    write_json(out, doc);
    CHECK(out.str() == "{\n  \"a\": 1,\n  \"list\": [\n    {\"x\":1},\n    {\"x\":2}\n  ],\n  \"empty\": [],\n"
                       "  \"words\": [\"p\",\"q\"],\n  \"h\": 1.5,\n  \"none\": null\n}\n");
    std::ostringstream compact;
    write_json(compact, doc, false);
    CHECK(compact.str().find("\"list\": [{\"x\":1},{\"x\":2}],") != std::string::npos);
    std::ostringstream arr;
    write_json(arr, Json::array({1, 2}));
    CHECK(arr.str() == "[\n  1,\n  2\n]\n");
    std::ostringstream none;
    write_json(none, Json::array());
    CHECK(none.str() == "[]\n");
}

TEST_CASE("hours_json and number_json: numbers, whole ones as integers") {
    CHECK(json_dump(hours_json(120)) == "2");
    CHECK(json_dump(hours_json(-45)) == "-0.75");
    CHECK(json_dump(hours_json(20)) == "0.333333");
    CHECK(json_dump(hours_json(0)) == "0");
    CHECK(json_dump(number_json(-0.0)) == "0");
    CHECK(json_dump(number_json(45.5)) == "45.5");
    CHECK(json_dump(number_json(1.0 / 3.0)) == "0.333333");
    CHECK(number_json(std::numeric_limits<double>::quiet_NaN()).is_null());
}

TEST_CASE("render_table: csv and tsv") {
    auto t = sample();
    SUBCASE("csv") {
        CHECK(render(t, Format::csv) ==
              "id,name,hours,skills,active,count,note\n"
              "M0001,Zoë Ñúñez,1.50,gardening;dog walking,yes,3,\n"
              "M0002,Ann Lee,-0.33,,no,-12,\"said \"\"hi\"\"\"\n");
    }
    SUBCASE("csv --no-header") {
        CHECK(render(t, Format::csv, false) ==
              "M0001,Zoë Ñúñez,1.50,gardening;dog walking,yes,3,\n"
              "M0002,Ann Lee,-0.33,,no,-12,\"said \"\"hi\"\"\"\n");
    }
    SUBCASE("tsv") {
        CHECK(render(t, Format::tsv) ==
              "id\tname\thours\tskills\tactive\tcount\tnote\n"
              "M0001\tZoë Ñúñez\t1.50\tgardening;dog walking\tyes\t3\t\n"
              "M0002\tAnn Lee\t-0.33\t\tno\t-12\t\"said \"\"hi\"\"\"\n");
    }
    SUBCASE("tsv --no-header") {
        CHECK(render(t, Format::tsv, false).rfind("M0001\t", 0) == 0);
    }
    SUBCASE("every awkward value round-trips as one csv field") {
        const std::pair<std::string_view, std::string_view> cases[] = {
            {"a,b", "\"a,b\""},
            {"q\"uote", "\"q\"\"uote\""},
            {"line1\nline2", "\"line1\nline2\""},
            {"  padded  ", "\"  padded  \""},
            {"Zoë", "Zoë"},
        };
        for (auto [value, field] : cases) {
            const auto& shown = value;  // clang 14: CAPTURE cannot take a structured binding
            CAPTURE(shown);
            CHECK(render(one_column(std::string(value)), Format::csv) == "v\n" + std::string(field) + "\n");
        }
    }
    SUBCASE("a header that needs quoting is quoted") {
        Table h;
        h.columns = {"name, full", "hours"};
        CHECK(render(h, Format::csv) == "\"name, full\",hours\n");
    }
    SUBCASE("a short row is padded with empty cells") {
        Table s;
        s.columns = {"a", "b", "c"};
        s.add({"x"s});
        CHECK(render(s, Format::csv) == "a,b,c\nx,,\n");
    }
}

TEST_CASE("render_table: json and jsonl") {
    auto t = sample();
    const std::string obj1 =
        R"({"id":"M0001","name":"Zoë Ñúñez","hours":1.5,"skills":["gardening","dog walking"],"active":true,"count":3,"note":null})";
    const std::string obj2 =
        R"({"id":"M0002","name":"Ann Lee","hours":-0.333333,"skills":[],"active":false,"count":-12,"note":"said \"hi\""})";
    SUBCASE("json is one array") {
        CHECK(render(t, Format::json) == "[\n  " + obj1 + ",\n  " + obj2 + "\n]\n");
    }
    SUBCASE("--no-header changes nothing in json") {
        CHECK(render(t, Format::json, false) == render(t, Format::json));
    }
    SUBCASE("jsonl is one object per line") {
        CHECK(render(t, Format::jsonl) == obj1 + "\n" + obj2 + "\n");
    }
    SUBCASE("escaping inside objects") {
        auto s = render(one_column("back\\slash \"q\"\n\t\x01 中文"), Format::jsonl);
        CHECK(s == "{\"v\":\"back\\\\slash \\\"q\\\"\\n\\t\\u0001 中文\"}\n");
    }
    SUBCASE("a column name is escaped too") {
        Table q;
        q.columns = {"a\"b"};
        q.add({std::int64_t{1}});
        CHECK(render(q, Format::jsonl) == "{\"a\\\"b\":1}\n");
    }
    SUBCASE("an empty table") {
        Table e;
        e.columns = {"id", "name"};
        CHECK(render(e, Format::json) == "[]\n");
        CHECK(render(e, Format::jsonl) == "");
        CHECK(render(e, Format::csv) == "id,name\n");
        CHECK(render(e, Format::csv, false) == "");
        CHECK(render(e, Format::tsv) == "id\tname\n");
        CHECK(render(e, Format::table) == "id  name\n");
        CHECK(render(e, Format::table, false) == "");
    }
}

// Three rows of an aligned table: text, hours, numbers, an empty cell.
static Table aligned_sample(const std::string& second_name = "Ann") {
    Table t;
    t.columns = {"id", "name", "hours", "n"};
    t.add({"M1"s, "Zoë Ñúñez"s, Hours{90}, std::int64_t{7}});
    t.add({"M10"s, second_name, Hours{600}, std::int64_t{12345}});
    t.add({"M2"s, "Łukasz"s, Hours{-30}, Cell{}});
    return t;
}

TEST_CASE("render_table: the aligned table") {
    auto t = aligned_sample();
    SUBCASE("columns aligned by characters, numbers to the right, no trailing spaces") {
        CHECK(render(t, Format::table) ==
              "id   name       hours      n\n"
              "M1   Zoë Ñúñez   1.50      7\n"
              "M10  Ann        10.00  12345\n"
              "M2   Łukasz     -0.50\n");
    }
    SUBCASE("without header") {
        CHECK(render(t, Format::table, false) ==
              "M1   Zoë Ñúñez   1.50      7\n"
              "M10  Ann        10.00  12345\n"
              "M2   Łukasz     -0.50\n");
    }
    SUBCASE("newlines inside a cell do not break the row") {
        auto s = render(one_column("two\nlines\r"), Format::table);
        CHECK(s == "v\ntwo lines\n");
    }
    SUBCASE("lists are ;-joined") {
        Table l;
        l.columns = {"skills"};
        l.add({List{"a", "b"}});
        CHECK(render(l, Format::table) == "skills\na;b\n");
    }
}

TEST_CASE("RowWriter streams rows and finishes once") {
    const std::pair<Format, std::string_view> cases[] = {
        {Format::csv, "a,b\n1,x\n2,y\n"},
        {Format::tsv, "a\tb\n1\tx\n2\ty\n"},
        {Format::json, "[\n  {\"a\":1,\"b\":\"x\"},\n  {\"a\":2,\"b\":\"y\"}\n]\n"},
        {Format::jsonl, "{\"a\":1,\"b\":\"x\"}\n{\"a\":2,\"b\":\"y\"}\n"},
        {Format::table, "a  b\n1  x\n2  y\n"},
    };
    for (auto [f, expected] : cases) {
        const auto& shown = f;  // clang 14: CAPTURE cannot take a structured binding
        CAPTURE(format_name(shown));
        std::ostringstream os;
        RowWriter w(os, RenderOptions{f, true}, {"a", "b"});
        w.row({std::int64_t{1}, "x"s});
        if (f == Format::jsonl) CHECK(os.str().find("1") != std::string::npos);  // streamed
        w.row({std::int64_t{2}, "y"s});
        w.finish();
        w.finish();  // a second finish adds nothing
        CHECK(os.str() == expected);
    }
    SUBCASE("json with no rows") {
        std::ostringstream os;
        RowWriter w(os, RenderOptions{Format::json, true}, {"a"});
        w.finish();
        CHECK(os.str() == "[]\n");
    }
}

TEST_CASE("RowWriter writes csv rows in blocks, each row by finish or when it is dropped") {
    for (bool finished : {true, false}) {
        CAPTURE(finished);
        std::ostringstream os;
        std::size_t rows = 0;
        {
            RowWriter w(os, RenderOptions{Format::csv, true}, {"a"});
            const auto header = os.str().size();
            CHECK(header == 2);
            // Nothing is held past a block (64 KiB): rows of 101 bytes are
            // out after about 650 of them, never all kept.
            while (os.str().size() == header && rows < 2000) {
                w.row({std::string(100, 'x')});
                ++rows;
            }
            CHECK(rows * 101 >= (std::size_t{64} << 10));
            CHECK(rows * 101 < (std::size_t{64} << 10) + 101);
            CHECK(os.str().size() == header + rows * 101);
            w.row({"last"s});
            CHECK(os.str().size() == header + rows * 101);  // pending
            if (finished) w.finish();
        }
        // A writer dropped unfinished (a command stopped by an error) still
        // writes the rows it was given, as when each was written at once.
        CHECK(os.str().size() == 2 + rows * 101 + 5);
        CHECK(os.str().substr(os.str().size() - 5) == "last\n");
    }
}

TEST_CASE("a csv row written over an earlier block's bytes is quoted by its own text") {
    // After a block is out, rows are made again from the start of the same
    // buffer: the bytes past a short text are an earlier row's commas.
    std::ostringstream os;
    RowWriter w(os, RenderOptions{Format::csv, false}, {"a", "b"});
    const std::string commas(100, ',');
    while (os.str().empty()) w.row({commas, commas});
    auto before = os.str().size();
    w.row({"ab"s, "c"s});
    w.finish();
    CHECK(os.str().substr(before) == "ab,c\n");
}

// The first 0, 1 and 3 rows of t, each with and without a header.
template <typename Check>
static void each_part(const Table& t, Check&& check) {
    for (bool header : {true, false}) {
        for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
            CAPTURE(header);
            CAPTURE(n);
            Table part = t;
            part.rows.resize(n);
            check(part, header);
        }
    }
}

TEST_CASE("RowWriter: rows measured first print as they come, as the buffered table would") {
    auto t = aligned_sample("Ann\nB");
    each_part(t, [](const Table& part, bool header) {
        std::ostringstream os;
        RowWriter w(os, RenderOptions{Format::table, header}, part.columns);
        REQUIRE(w.measures());
        for (auto& r : part.rows) w.measure(r);
        if (!part.rows.empty()) {
            w.row(part.rows[0]);
            CHECK(!os.str().empty());  // streamed, not kept
        }
        for (std::size_t i = 1; i < part.rows.size(); ++i) w.row(part.rows[i]);
        w.finish();
        CHECK(os.str() == render(part, Format::table, header));
    });
    SUBCASE("formats that stream anyway need no measuring") {
        std::ostringstream os;
        RowWriter w(os, RenderOptions{Format::csv, true}, {"a"});
        CHECK_FALSE(w.measures());
        w.measure({"x"s});  // ignored
        w.row({"x"s});
        w.finish();
        CHECK(os.str() == "a\nx\n");
    }
}

TEST_CASE("RowWriter: rows given once are spooled, printed as the buffered table would") {
    auto t = aligned_sample("Ann\x1f\tB\nC");  // no cell text may split a spooled line
    for (auto f : {Format::table, Format::text}) {
        each_part(t, [f](const Table& part, bool header) {
            std::ostringstream os;
            RowWriter w(os, RenderOptions{f, header}, part.columns, true);
            for (auto& r : part.rows) w.row(r);
            CHECK(os.str().empty());  // kept in the spool until finish
            w.finish();
            w.finish();
            CHECK(os.str() == render(part, f, header));
        });
    }
    SUBCASE("formats that stream anyway are not spooled") {
        std::ostringstream os;
        RowWriter w(os, RenderOptions{Format::jsonl, true}, {"a"}, true);
        w.row({"x"s});
        CHECK(os.str() == "{\"a\":\"x\"}\n");
        w.finish();
        CHECK(os.str() == "{\"a\":\"x\"}\n");
    }
}

TEST_CASE("AlignedSpool: in memory, past its cap in the temporary file, long and escaped texts alike") {
    // Cells of 254, 255 and 300 bytes (a cell's length and width take one
    // byte each below 255), escaped ones, and enough rows for several blocks.
    Table t;
    t.columns = {"id", "text", "hours"};
    std::string wide;
    for (int i = 0; i < 100; ++i) wide += "\u00e9";  // 200 bytes, 100 characters
    for (int i = 0; i < 3000; ++i) {
        std::string text = i % 4 == 0 ? std::string(254 + i % 3, 'x')
                           : i % 4 == 1 ? wide + std::string(static_cast<std::size_t>(i % 90), 'y')
                           : i % 4 == 2 ? "tab\there \x1b[31m" + std::to_string(i)
                                        : std::string{};
        std::string id = "M";
        id += std::to_string(i);
        t.add({id, text, Hours{i * 7 - 9000}});
    }
    t.add({"M"s, std::string(300, 'z') + "\n" + wide, Hours{0}});
    for (std::size_t cap : {AlignedSpool::kMemoryCap, std::size_t{0}, std::size_t{100000}}) {
        CAPTURE(cap);
        for (bool header : {true, false}) {
            AlignedSpool spool(t.columns, header, cap);
            for (auto& r : t.rows) spool.add(r);
            std::ostringstream os;
            spool.print(os);
            CHECK(spool.spilled() == (cap != AlignedSpool::kMemoryCap));
            CHECK(os.str() == render(t, Format::table, header));
        }
    }
}

TEST_CASE("render_record: a single record") {
    Table t;
    t.columns = {"id", "name", "balance", "skills", "email"};
    t.add({"M0001"s, "Zoë Ñúñez"s, Hours{90}, List{"gardening", "dog walking"}, Cell{}});
    SUBCASE("json is one pretty object") {
        CHECK(record(t, Format::json) ==
              "{\n"
              "  \"id\": \"M0001\",\n"
              "  \"name\": \"Zoë Ñúñez\",\n"
              "  \"balance\": 1.5,\n"
              "  \"skills\": [\"gardening\",\"dog walking\"],\n"
              "  \"email\": null\n"
              "}\n");
    }
    SUBCASE("table prints aligned field: value lines") {
        CHECK(record(t, Format::table) ==
              "id:      M0001\n"
              "name:    Zoë Ñúñez\n"
              "balance: 1.50\n"
              "skills:  gardening; dog walking\n"
              "email:   \n");
    }
    SUBCASE("csv is the one-row table") {
        CHECK(record(t, Format::csv) ==
              "id,name,balance,skills,email\nM0001,Zoë Ñúñez,1.50,gardening;dog walking,\n");
        CHECK(record(t, Format::csv, false) == "M0001,Zoë Ñúñez,1.50,gardening;dog walking,\n");
    }
    SUBCASE("jsonl is one line") {
        CHECK(record(t, Format::jsonl) ==
              "{\"id\":\"M0001\",\"name\":\"Zoë Ñúñez\",\"balance\":1.5,\"skills\":[\"gardening\",\"dog "
              "walking\"],\"email\":null}\n");
    }
}

TEST_CASE("parse_format") {
    const std::vector<Format> common = {Format::table, Format::csv, Format::tsv, Format::json, Format::jsonl};
    const std::vector<Format> reports = {Format::table, Format::csv,  Format::json,
                                         Format::text,  Format::markdown, Format::html};
    CHECK(parse_format("table", common) == Format::table);
    CHECK(parse_format("csv", common) == Format::csv);
    CHECK(parse_format("CSV", common) == Format::csv);
    CHECK(parse_format(" json ", common) == Format::json);
    CHECK(parse_format("jsonl", common) == Format::jsonl);
    CHECK(parse_format("tsv", common) == Format::tsv);
    CHECK(parse_format("md", reports) == Format::markdown);
    CHECK(parse_format("markdown", reports) == Format::markdown);
    CHECK(parse_format("txt", reports) == Format::text);
    CHECK(parse_format("html", reports) == Format::html);
    for (std::string_view bad : {"xml", "", "html", "markdown", "jso n"}) {
        CAPTURE(bad);
        try {
            parse_format(bad, common);
            FAIL_CHECK("accepted");
        } catch (const tb::UsageError& e) {
            std::string m = e.what();
            CHECK(m.find("'" + std::string(bad) + "'") != std::string::npos);
            CHECK(m.find("table, csv, tsv, json, jsonl") != std::string::npos);
        }
    }
    for (auto f : {Format::table, Format::csv, Format::tsv, Format::json, Format::jsonl, Format::text,
                   Format::markdown, Format::html}) {
        CHECK(parse_format(format_name(f), {f}) == f);
    }
}

TEST_CASE("format_from_extension") {
    const std::pair<std::string_view, std::optional<Format>> cases[] = {
        {"out.csv", Format::csv},
        {"OUT.CSV", Format::csv},
        {"/tmp/x/report.tsv", Format::tsv},
        {"r.json", Format::json},
        {"r.jsonl", Format::jsonl},
        {"weekly.md", Format::markdown},
        {"weekly.html", Format::html},
        {"weekly.txt", Format::text},
        {"report.2026-11.csv", Format::csv},
        {"noextension", std::nullopt},
        {"report.pdf", std::nullopt},
        {"report.", std::nullopt},
        {"dir.d/report", std::nullopt},
        {"./report", std::nullopt},
        {"-", std::nullopt},
    };
    for (auto& [path, f] : cases) {
        const auto& shown = path;  // clang 14: CAPTURE cannot take a structured binding
        CAPTURE(shown);
        CHECK(format_from_extension(path) == f);
    }
}

TEST_CASE("spreadsheet guard: text that a spreadsheet would run gets a leading apostrophe") {
    for (std::string_view s : {"=HYPERLINK(\"x\")", "+cmd|' /C calc'!A0", "-dash", "@SUM(A1)", "\tx", "\rx",
                               "'=x", "''@x", "-", "--db", "-3.50 h"}) {
        CAPTURE(s);
        CHECK(spreadsheet_needs_guard(s));
        CHECK(spreadsheet_guard(s) == "'" + std::string(s));
        CHECK(spreadsheet_unguard(spreadsheet_guard(s)) == s);  // exact both ways
    }
    for (std::string_view s : {"", "Ann", "'", "'abc", "''", "-3.50", "+1", "-0,5", "2026-11-27", "1:30", "x=y"}) {
        CAPTURE(s);
        CHECK(!spreadsheet_needs_guard(s));
        CHECK(spreadsheet_guard(s) == s);
        CHECK(spreadsheet_unguard(s) == s);  // an apostrophe that guard did not add stays
    }
    CHECK(spreadsheet_unguard("'-3.50") == "'-3.50");
    CHECK(spreadsheet_unguard("'=x") == "=x");
}

TEST_CASE("csv and tsv guard text and list cells, never numbers or hours") {
    Table t;
    t.columns = {"name", "balance", "n", "offers", "date"};
    t.add({"=1+1"s, Hours{-210}, std::int64_t{-3}, List{"@x", "y"}, "2026-11-27"s});
    CHECK(render(t, Format::csv) == "name,balance,n,offers,date\n'=1+1,-3.50,-3,'@x;y,2026-11-27\n");
    CHECK(render(t, Format::tsv) == "name\tbalance\tn\toffers\tdate\n'=1+1\t-3.50\t-3\t'@x;y\t2026-11-27\n");
    CHECK(render(t, Format::jsonl).find("\"name\":\"=1+1\"") != std::string::npos);
}

TEST_CASE("the table shows control characters escaped, never raw") {
    Table t;
    t.columns = {"name", "note"};
    t.add({"Eve\x1b[31mRed"s, "two\nlines\tand\x07"s});
    CHECK(render(t, Format::table) == "name            note\nEve\\x1b[31mRed  two lines and\\x07\n");
    std::ostringstream os;
    render_record(t, RenderOptions{Format::table, true}, os);
    CHECK(os.str() == "name: Eve\\x1b[31mRed\nnote: two lines and\\x07\n");
}

TEST_CASE("RowWriter: every kind of cell, streamed and spooled, as the buffered table prints it") {
    // Cells are written as views of their text or of a buffer: each kind,
    // the widest integer, an empty first cell, a C1 control and a short row.
    Table t;
    t.columns = {"first", "n", "h", "x", "flag", "list", "s"};
    t.add({Cell{}, std::int64_t{std::numeric_limits<std::int64_t>::min()}, Hours{-1}, 2.5, false, List{"a", "b"},
           Structured{"void of 3", Json("void")}});
    t.add({"C1\xC2\x85" "end"s, std::int64_t{0}, Hours{0}, 0.125, true, List{}, Cell{}});
    t.add({"x"s});
    for (auto f : {Format::table, Format::text}) {
        each_part(t, [f](const Table& part, bool header) {
            std::ostringstream os;
            RowWriter w(os, RenderOptions{f, header}, part.columns, true);
            for (auto& r : part.rows) w.row(r);
            w.finish();
            CHECK(os.str() == render(part, f, header));
        });
    }
    CHECK(render(t, Format::table) ==
          "first                           n      h      x  flag  list  s\n"
          "             -9223372036854775808  -0.02    2.5  no    a;b   void of 3\n"
          "C1\\u0085end                     0   0.00  0.125  yes\n"
          "x\n");
    CHECK(render(t, Format::csv) ==
          "first,n,h,x,flag,list,s\n"
          ",-9223372036854775808,-0.02,2.5,no,a;b,void of 3\n"
          "C1\xC2\x85" "end,0,0.00,0.125,yes,,\n"
          "x,,,,,,\n");
}
