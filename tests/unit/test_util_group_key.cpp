#include <doctest/doctest.h>

#include "tb/util/group_key.hpp"

using namespace tb;

TEST_CASE("group_spelling trims and joins runs of spaces; nothing is (none)") {
    CHECK(text::group_spelling("  Hyde \t Park ") == "Hyde Park");
    CHECK(text::group_spelling("") == "(none)");
    CHECK(text::group_spelling(" \t ") == "(none)");
}

TEST_CASE("group_key compares case- and space-insensitively, (none) apart") {
    CHECK(text::group_key("Hyde Park") == text::group_key("hyde park "));
    CHECK(text::group_key("Hyde Park") == text::group_key("HydePark"));
    CHECK(text::group_key("Hyde Park") != text::group_key("Hyde Parks"));
    CHECK(text::group_key("") == text::group_key("(none)"));
    CHECK(text::group_key("") != text::group_key("none"));
    CHECK(text::group_key("-") != text::group_key(""));
}
