// Small text helpers.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "tb/util/text.hpp"

using namespace std::string_view_literals;
namespace text = tb::text;

TEST_CASE("trim") {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"", ""},           {"   ", ""},          {"a", "a"},        {" a ", "a"},
        {"\t a b \r\n", "a b"}, {"\f\va\v\f", "a"}, {"a  b", "a  b"}, {"\n\n", ""},
        {"Zoë ", "Zoë"},    {" 中文", "中文"},
    };
    for (auto [in, out] : cases) {
        const auto& shown = in;  // clang 14: CAPTURE cannot take a structured binding
        CAPTURE(shown);
        CHECK(text::trim(in) == out);
    }
}

TEST_CASE("lower and starts_with_ci") {
    CHECK(text::lower("Membership No") == "membership no");
    CHECK(text::lower("ABC-123_x") == "abc-123_x");
    CHECK(text::lower("Zoë") == "zoë");  // non-ASCII bytes pass through untouched
    CHECK(text::starts_with_ci("Membership No", "MEMBER"));
    CHECK(text::starts_with_ci("abc", ""));
    CHECK_FALSE(text::starts_with_ci("ab", "abc"));
    CHECK_FALSE(text::starts_with_ci("xabc", "abc"));
}

TEST_CASE("fold_key: how headers are compared") {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"Membership No", "membershipno"},
        {" membership  no ", "membershipno"},
        {"MEMBERSHIP\tNO", "membershipno"},
        {"E-mail", "email"},
        {"e_mail address", "emailaddress"},
        {"Member #", "member#"},
        {"", ""},
        {"Zoë", "zoë"},
    };
    for (auto [in, out] : cases) {
        const auto& shown = in;  // clang 14: CAPTURE cannot take a structured binding
        CAPTURE(shown);
        CHECK(text::fold_key(in) == out);
    }
    CHECK(text::fold_key("First name") == text::fold_key("first_name"));
    CHECK(text::fold_key("First name") != text::fold_key("Surname"));
}

TEST_CASE("split") {
    using V = std::vector<std::string>;
    struct Case {
        std::string_view in;
        char sep;
        bool trim, drop;
        V out;
    };
    const Case cases[] = {
        {"a,b,c", ',', true, true, {"a", "b", "c"}},
        {" a , b ,c ", ',', true, true, {"a", "b", "c"}},
        {"a,,b,", ',', true, true, {"a", "b"}},
        {"a,,b,", ',', true, false, {"a", "", "b", ""}},
        {" a , b ", ',', false, true, {" a ", " b "}},
        {"a, ,b", ',', true, true, {"a", "b"}},
        {"a, ,b", ',', false, true, {"a", " ", "b"}},
        {"", ',', true, true, {}},
        {"", ',', true, false, {""}},
        {"single", ',', true, true, {"single"}},
        {"gardening;dog walking; lifts", ';', true, true, {"gardening", "dog walking", "lifts"}},
        {"a\tb", '\t', true, true, {"a", "b"}},
        {"Zoë,中文", ',', true, true, {"Zoë", "中文"}},
    };
    for (auto& c : cases) {
        CAPTURE(c.in);
        CAPTURE(c.trim);
        CAPTURE(c.drop);
        CHECK(text::split(c.in, c.sep, c.trim, c.drop) == c.out);
    }
}

TEST_CASE("join") {
    CHECK(text::join({}, ";") == "");
    CHECK(text::join({"a"}, ";") == "a");
    CHECK(text::join({"a", "b", "c"}, "; ") == "a; b; c");
    CHECK(text::join({"", ""}, ",") == ",");
}

TEST_CASE("is_valid_utf8") {
    struct Case {
        std::string_view bytes;
        bool valid;
        const char* what;
    };
    const Case cases[] = {
        {"", true, "empty"},
        {"plain ASCII", true, "ascii"},
        {"caf\xc3\xa9", true, "two-byte é"},
        {"Zo\xc3\xab \xc3\x91\xc3\xba\xc3\xb1" "ez", true, "Zoë Ñúñez"},
        {"\xe4\xb8\xad\xe6\x96\x87", true, "three-byte 中文"},
        {"\xe2\x82\xac", true, "euro sign"},
        {"\xf0\x9f\x98\x80", true, "four-byte emoji"},
        {"\xc2\x80", true, "U+0080, smallest two-byte"},
        {"\xe0\xa0\x80", true, "U+0800, smallest three-byte"},
        {"\xf0\x90\x80\x80", true, "U+10000, smallest four-byte"},
        {"\xf4\x8f\xbf\xbf", true, "U+10FFFF, the largest"},
        {"\xed\x9f\xbf", true, "U+D7FF, just below the surrogates"},
        {"\xee\x80\x80", true, "U+E000, just above the surrogates"},
        {"\xef\xbb\xbfid", true, "byte order mark"},
        {"a\0b"sv, true, "NUL is valid UTF-8"},
        {"caf\xe9", false, "Windows-1252 é at the end"},
        {"caf\xe9 au lait", false, "Windows-1252 é in the middle"},
        {"\x93quoted\x94", false, "Windows-1252 curly quotes"},
        {"\xa3" "5", false, "Latin-1 pound sign"},
        {"\xc0\x80", false, "overlong NUL"},
        {"\xc1\xbf", false, "overlong two-byte"},
        {"\xe0\x80\xaf", false, "overlong three-byte /"},
        {"\xe0\x9f\xbf", false, "overlong three-byte U+07FF"},
        {"\xf0\x80\x80\xaf", false, "overlong four-byte /"},
        {"\xf0\x8f\xbf\xbf", false, "overlong four-byte U+FFFF"},
        {"\xed\xa0\x80", false, "high surrogate U+D800"},
        {"\xed\xbf\xbf", false, "low surrogate U+DFFF"},
        {"\xed\xa0\xbd\xed\xb8\x80", false, "CESU-8 surrogate pair"},
        {"\xf4\x90\x80\x80", false, "U+110000, past the end"},
        {"\xf5\x80\x80\x80", false, "lead byte F5"},
        {"\xf8\x88\x80\x80\x80", false, "five-byte form"},
        {"\xfe", false, "FE"},
        {"\xff", false, "FF"},
        {"\x80", false, "lone continuation byte"},
        {"a\xbf" "b", false, "continuation byte after ASCII"},
        {"\xc3", false, "truncated two-byte at the end"},
        {"\xe4\xb8", false, "truncated three-byte at the end"},
        {"\xf0\x9f\x98", false, "truncated four-byte at the end"},
        {"\xc3" "a", false, "two-byte lead followed by ASCII"},
        {"\xe4\xb8" "a", false, "three-byte missing its last byte"},
        {"\xf0\x9f\x98" "a", false, "four-byte missing its last byte"},
        {"\xc3\xa9\xc3", false, "valid then truncated"},
    };
    for (auto& c : cases) {
        CAPTURE(c.what);
        CHECK(text::is_valid_utf8(c.bytes) == c.valid);
    }
}

TEST_CASE("display_width counts code points") {
    CHECK(text::display_width("") == 0);
    CHECK(text::display_width("Ann") == 3);
    CHECK(text::display_width("Zoë") == 3);
    CHECK(text::display_width("Zoë Ñúñez") == 9);
    CHECK(text::display_width("\xf0\x9f\x98\x80") == 1);
}

TEST_CASE("escape_controls: C0, DEL and C1 controls made visible") {
    CHECK(text::escape_controls("Eve\x1b[31mRed") == "Eve\\x1b[31mRed");
    CHECK(text::escape_controls(std::string("a\0b", 3)) == "a\\x00b");
    CHECK(text::escape_controls("a\tb\nc\x7f") == "a\\x09b\\x0ac\\x7f");
    CHECK(text::escape_controls("a\tb\nc", true) == "a\tb\nc");
    CHECK(text::escape_controls("x\xC2\x9By") == "x\\u009by");  // CSI, one code point
    CHECK(text::escape_controls("Zoë Ñúñez 中文") == "Zoë Ñúñez 中文");
}

TEST_CASE("shorten: at most n code points") {
    CHECK(text::shorten("abc", 3) == "abc");
    CHECK(text::shorten("abcd", 3) == "abc...");
    CHECK(text::shorten("ëëëë", 2) == "ëë...");
    CHECK(text::shorten(std::string(10000, 'x')) == std::string(60, 'x') + "...");
}

TEST_CASE("printable_message: values cut to 60 characters, controls escaped") {
    std::string longv(10000, 'x');
    auto cut = std::string(60, 'x') + "...";
    CHECK(text::printable_message("no member '" + longv + "'") == "no member '" + cut + "'");
    CHECK(text::printable_message("no member " + longv) == "no member " + cut);
    CHECK(text::printable_message("no member \"" + longv + " " + longv + "\" here") ==
          "no member \"" + std::string(60, 'x') + "...\" here");
    // short values, paths and newlines are kept
    CHECK(text::printable_message("f.csv:2: name: 'Ann Lee' is taken\nnext") ==
          "f.csv:2: name: 'Ann Lee' is taken\nnext");
    std::string path = "/home/volunteer/Documents/Timebank/2026/November/exchanges-final-v3.csv";
    CHECK(text::printable_message("cannot open " + path) == "cannot open " + path);
    CHECK(text::printable_message("no member 'Eve\x1b[2J'") == "no member 'Eve\\x1b[2J'");
    CHECK(text::printable_message("it's Cath O'Brien's") == "it's Cath O'Brien's");
}

TEST_CASE("fold_accents: case and the accents of Latin letters") {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"José Álvarez", "jose alvarez"},
        {"JOSÉ ÁLVAREZ", "jose alvarez"},
        {"Zoë Brontë", "zoe bronte"},
        {"Łódź", "lodz"},
        {"Straße", "strasse"},
        {"Æsa Øster", "aesa oster"},
        {"Œuvre", "oeuvre"},
        {"Þór", "thor"},
        {"Ñandú", "nandu"},
        {"Dvořák Škoda Žižek", "dvorak skoda zizek"},
        {"Ștefan Țuțu", "stefan tutu"},
        {"Ĳssel", "ijssel"},
        {"Jose\xCC\x81", "jose"},     // e + combining acute (decomposed é)
        {"O\xE2\x80\x99" "Brien", "o'brien"},  // a curly apostrophe
        {"a\xC2\xA0" "b", "a b"},     // a no-break space is a space
        {"2 × 3 ÷ 4", "2 × 3 ÷ 4"},   // signs are kept
        {"Ольга", "ольга"},
        {"中文", "中文"},
        {"\xFF" "A", "\xFF" "a"},     // an invalid byte passes through
        {"", ""},
    };
    for (auto [in, out] : cases) {
        const auto& shown = in;  // clang 14: CAPTURE cannot take a structured binding
        CAPTURE(shown);
        CHECK(text::fold_accents(in) == out);
    }
}

TEST_CASE("fold_name: also without spaces") {
    CHECK(text::fold_name("José Álvarez") == "josealvarez");
    CHECK(text::fold_name("  jose   alvarez ") == "josealvarez");
    CHECK(text::fold_name("Jose\tAl\xC2\xA0varez") == "josealvarez");
    CHECK(text::fold_name("Mary-Jane O'Neil") == "mary-janeo'neil");
    CHECK(text::fold_name("") == "");
}

TEST_CASE("edit_distance and nearest") {
    CHECK(text::edit_distance("", "") == 0);
    CHECK(text::edit_distance("abc", "") == 3);
    CHECK(text::edit_distance("lsit", "list") == 1);  // a swap of two letters is one error
    CHECK(text::edit_distance("memebr", "member") == 1);
    CHECK(text::edit_distance("ca", "abc") == 3);
    CHECK(text::edit_distance("kitten", "sitting") == 3);
    std::vector<std::string> cmds = {"add", "list", "find", "show", "edit"};
    CHECK(text::nearest("lsit", cmds) == "list");
    CHECK(text::nearest("LIST", cmds) == "list");
    CHECK(text::nearest("shwo", cmds) == "show");
    CHECK(text::nearest("zzzzzz", cmds).empty());
    CHECK(text::nearest("x", {}).empty());
    CHECK(text::nearest("--inactiv", {"--all", "--inactive", "--kind"}) == "--inactive");
    CHECK(text::nearest("memebr", {"member", "exchange", "report", "match"}) == "member");
}
