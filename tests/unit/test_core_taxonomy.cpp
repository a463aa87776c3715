// Categories and check names resolved one way (SPEC "Values", "tb-member" check, "tb-match").
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/core/taxonomy.hpp"
#include "tb/util/error.hpp"

namespace {

tb::Config bank() {
    tb::Config c;
    c.categories = {
        {"Care & companionship", {"befriending", "visiting"}, {"company"}, {"dbs"}},
        {"Transport & lifts", {"lifts to the shops", "hospital runs"}, {"lift", "drive"}, {"driving-licence"}},
        {"Gardening", {"gardening", "weeding"}, {}, {}},
        {"Languages & translation", {"translation"}, {}, {}},
        {"Learning & tutoring", {"tutoring"}, {}, {"DBS"}},
        {"Other", {}, {}, {}},
        {"Office & professional skills", {"typing"}, {}, {}},
    };
    return c;
}

std::string resolved(const tb::Config& c, const std::string& given) {
    auto m = tb::match_category(c, given);
    return m.category ? m.category->name : std::string("(none)");
}

}  // namespace

TEST_CASE("a category resolves by name, case, unique prefix or skill") {
    auto c = bank();
    CHECK(resolved(c, "Gardening") == "Gardening");
    CHECK(resolved(c, "care & COMPANIONSHIP") == "Care & companionship");
    CHECK(resolved(c, "Transport") == "Transport & lifts");
    CHECK(resolved(c, "care") == "Care & companionship");
    CHECK(resolved(c, "Languages") == "Languages & translation");
    CHECK(resolved(c, "weeding") == "Gardening");
    CHECK(resolved(c, "Hospital Runs") == "Transport & lifts");
    CHECK(resolved(c, "") == "(none)");
}

TEST_CASE("an ambiguous prefix or an unknown name resolves to none, with suggestions") {
    auto c = bank();
    auto m = tb::match_category(c, "L");
    CHECK(m.category == nullptr);
    CHECK(m.suggestions == std::vector<std::string>{"Languages & translation", "Learning & tutoring"});
    auto t = tb::match_category(c, "Langauges");
    CHECK(t.category == nullptr);
    CHECK(t.suggestions == std::vector<std::string>{"Languages & translation"});
    CHECK(tb::match_category(c, "Plumbing").suggestions.empty());
}

TEST_CASE("strict categories refuse what does not resolve; not strict, it is kept with a warning") {
    auto c = bank();
    auto r = tb::rule_category(c, "  Transport ");
    CHECK(r.name == "Transport & lifts");
    CHECK_FALSE(r.problem);
    auto bad = tb::rule_category(c, "Langauges");
    REQUIRE(bad.problem);
    CHECK(*bad.problem ==
          "category 'Langauges' is not in the taxonomy (did you mean 'Languages & translation'?); the categories are "
          "listed by `tb config`");
    std::optional<std::string> warning;
    CHECK_THROWS_AS(tb::resolve_category(c, "Plumbing", warning), tb::Rejected);
    c.strict_categories = false;
    CHECK(tb::resolve_category(c, "Plumbing", warning) == "Plumbing");
    REQUIRE(warning);
    CHECK(warning->find("not in the taxonomy") != std::string::npos);
    CHECK(tb::rule_category(c, "").name.empty());
}

TEST_CASE("a filter takes an old category the ledger still holds") {
    auto c = bank();
    std::optional<std::string> warning;
    CHECK(tb::resolve_category_filter(c, "garden", {}, warning) == "Gardening");
    CHECK(tb::resolve_category_filter(c, "plumbing", {"Plumbing"}, warning) == "Plumbing");
    CHECK_THROWS_AS(tb::resolve_category_filter(c, "plumbing", {}, warning), tb::Rejected);
}

TEST_CASE("check names are a closed list, compared case-, space- and hyphen-insensitively") {
    auto c = bank();
    c.safeguarding_checks = {"first-aid"};
    c.check_aliases = {{"enhanced dbs", "dbs"}};
    CHECK(tb::known_checks(c) == std::vector<std::string>{"dbs", "driving-licence", "first-aid"});
    CHECK(tb::match_check(c, "DBS") == "dbs");
    CHECK(tb::match_check(c, "Driving Licence") == "driving-licence");
    CHECK(tb::match_check(c, "drivinglicence") == "driving-licence");
    CHECK(tb::match_check(c, "Enhanced DBS") == "dbs");
    CHECK(tb::match_check(c, "enhanced-dbs") == "dbs");
    CHECK_FALSE(tb::match_check(c, "basic dbs"));
    try {
        tb::resolve_check(c, "drivng licence");
        FAIL("expected a rejection");
    } catch (const tb::Rejected& e) {
        CHECK(std::string(e.what()) ==
              "'drivng licence' is not a known check (did you mean 'driving-licence'?); the known checks are dbs, "
              "driving-licence, first-aid (add a name to [safeguarding] checks, or another spelling to "
              "[safeguarding] aliases)");
    }
}

TEST_CASE("the checks a request needs: its category's and those of every category its text names") {
    auto c = bank();
    CHECK(tb::required_checks(c, "Other", {}).empty());
    CHECK(tb::required_checks(c, "Other", {1}) == std::vector<std::string>{"driving-licence"});
    CHECK(tb::required_checks(c, "Care", {1, 4}) == std::vector<std::string>{"dbs", "driving-licence"});
    CHECK(tb::required_checks(c, "Gardening", {99}).empty());
}

TEST_CASE("suggestions use the one edit distance of util/text: two letters swapped are one error") {
    auto c = bank();
    // "Otehr" is two substitutions from "Other" but one swap: near enough
    // for a five-letter name (one error allowed).
    CHECK(tb::match_category(c, "Otehr").suggestions == std::vector<std::string>{"Other"});
    CHECK(tb::match_category(c, "Otxyr").suggestions.empty());
}

TEST_CASE("a category named exactly ignores case and spaces (the taxonomy's one name lookup)") {
    auto c = bank();
    CHECK(resolved(c, "Care&companionship") == "Care & companionship");
    CHECK(resolved(c, " OTHER ") == "Other");
    CHECK(tb::rule_category(c, "gardening ").name == "Gardening");
}
