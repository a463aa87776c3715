// timebank.toml and --mapping files (SPEC "Configuration", "Imports").
#include <doctest/doctest.h>

#include "scratch_dir.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/util/error.hpp"

namespace fs = std::filesystem;
using tb::Config;
using tb::ConfigError;

namespace {

using TempDir = tb::test::ScratchDir;

class EnvVar {
public:
    EnvVar(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~EnvVar() {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }
    EnvVar(const EnvVar&) = delete;
    EnvVar& operator=(const EnvVar&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

// The shipped share/ directory: from the environment (ctest sets it) or the
// source tree.
std::string share() {
    if (const char* s = std::getenv("TB_SHARE_DIR"); s && *s) return s;
    return (fs::path(TB_TEST_FIXTURES).parent_path().parent_path() / "share").string();
}

struct ShareDir {
    EnvVar env{"TB_SHARE_DIR", share().c_str()};
};

// The example configuration of SPEC.md, verbatim.
constexpr std::string_view kSpecExample = R"(
[timebank]
name = "Newsome Timebank"
week_starts = "monday"          # or "sunday"

[store]
path = "newsome.db"             # relative to this file
busy_timeout_ms = 5000

[policy]
min_balance = -20               # hours; "none" for no limit
max_balance = "none"
max_hours_per_exchange = 24
backdate_days = 365
strict_categories = false

[report]
inactive_days = 90
value_per_hour = 11.44          # for social-value
currency = "GBP"

[match]
max_open_per_member = 2
weights = { skill = 1.0, place = 0.5, recency = 0.3, fairness = 0.3, history = 0.2 }

[import.members]                # extra header aliases, on top of share/'s
id = ["Membership No", "Member #"]
name = ["Full name"]

[[category]]                    # replaces the default taxonomy when present
name = "Care & companionship"
skills = ["befriending", "shopping", "lifts to appointments"]
requires = ["dbs"]
)";

using Groups = std::vector<std::vector<std::string>>;

bool has_group(const Groups& g, const std::vector<std::string>& group) {
    return std::find(g.begin(), g.end(), group) != g.end();
}

// Loads text as a config file and returns the ConfigError message.
std::string config_error(const TempDir& dir, std::string_view content, const std::string& name = "timebank.toml") {
    auto path = dir.write(name, content);
    try {
        tb::load_config(path);
    } catch (const ConfigError& e) {
        CHECK(e.code() == tb::ExitCode::usage);
        return e.what();
    }
    FAIL_CHECK("accepted: ", std::string(content));
    return {};
}

}  // namespace

TEST_CASE("built-in defaults without a config file") {
    ShareDir s;
    Config c = tb::load_config("");
    CHECK(c.file.empty());
    CHECK(c.name == "Timebank");
    CHECK(c.week_starts == tb::WeekStart::monday);
    CHECK(c.store_path == "timebank.db");
    CHECK(c.busy_timeout_ms == 5000);
    CHECK(c.min_balance == tb::Minutes{-1200});
    CHECK_FALSE(c.max_balance.has_value());
    CHECK(c.max_minutes_per_exchange == 24 * 60);
    CHECK(c.backdate_days == 365);
    CHECK(c.strict_categories);
    CHECK(c.inactive_days == 90);
    CHECK(c.value_per_hour == doctest::Approx(11.44));
    CHECK(c.currency == "GBP");
    CHECK(c.max_open_per_member == 2);
    CHECK(c.weights.skill == doctest::Approx(1.0));
    // The shipped taxonomy and header aliases.
    CHECK(c.categories.size() >= 10);
    REQUIRE(c.find_category("care & companionship") != nullptr);
    CHECK(c.find_category("Care & Companionship")->requires_checks == std::vector<std::string>{"dbs"});
    CHECK(c.find_category("no such category") == nullptr);
    CHECK(c.categories_source.find("taxonomy.toml") != std::string::npos);
    // The shipped aliases are built-in: kept apart from explicit mappings.
    CHECK(has_group(c.import_members.aliases["id"], {"membership no"}));
    CHECK(has_group(c.import_members.aliases["name"], {"first name", "surname"}));
    CHECK(has_group(c.import_exchanges.aliases["provider"], {"given by"}));
    CHECK(c.origin.empty());
}

TEST_CASE("every key of SPEC's example config") {
    ShareDir s;
    TempDir dir;
    auto path = dir.write("sub/timebank.toml", kSpecExample);
    Config c = tb::load_config(path);
    CHECK(c.file == path);
    CHECK(c.name == "Newsome Timebank");
    CHECK(c.week_starts == tb::WeekStart::monday);
    CHECK(c.store_path == (dir.path() / "sub" / "newsome.db").string());
    CHECK(c.busy_timeout_ms == 5000);
    CHECK(c.min_balance == tb::Minutes{-20 * 60});
    CHECK_FALSE(c.max_balance.has_value());
    CHECK(c.max_minutes_per_exchange == 24 * 60);
    CHECK(c.backdate_days == 365);
    CHECK_FALSE(c.strict_categories);
    CHECK(c.inactive_days == 90);
    CHECK(c.value_per_hour == doctest::Approx(11.44));
    CHECK(c.currency == "GBP");
    CHECK(c.max_open_per_member == 2);
    CHECK(c.weights.skill == doctest::Approx(1.0));
    CHECK(c.weights.place == doctest::Approx(0.5));
    CHECK(c.weights.recency == doctest::Approx(0.3));
    CHECK(c.weights.fairness == doctest::Approx(0.3));
    CHECK(c.weights.history == doctest::Approx(0.2));
    // [import.members] is explicit; the shipped aliases stay built-in.
    auto& ids = c.import_members.fields["id"];
    REQUIRE(ids.size() == 2);
    CHECK(ids[0] == std::vector<std::string>{"Membership No"});
    CHECK(ids[1] == std::vector<std::string>{"Member #"});
    CHECK(has_group(c.import_members.aliases["id"], {"membership number"}));
    auto& names = c.import_members.fields["name"];
    CHECK(names[0] == std::vector<std::string>{"Full name"});
    CHECK(has_group(c.import_members.aliases["name"], {"first name", "surname"}));
    // [[category]] replaces the default taxonomy.
    REQUIRE(c.categories.size() == 1);
    CHECK(c.categories[0].name == "Care & companionship");
    CHECK(c.categories[0].skills == std::vector<std::string>{"befriending", "shopping", "lifts to appointments"});
    CHECK(c.categories[0].requires_checks == std::vector<std::string>{"dbs"});
    CHECK(c.categories[0].keywords.empty());
    CHECK(c.find_category("Gardening") == nullptr);
    CHECK(c.categories_source.rfind(path + ":", 0) == 0);
    // Where each value came from: FILE:LINE.
    CHECK(c.origin["timebank.name"].text() == path + ":3");
    CHECK(c.origin["store.path"].text() == path + ":7");
    CHECK(c.origin["policy.min_balance"].text() == path + ":11");
    CHECK(c.origin["match.weights"].text() == path + ":24");
    CHECK(c.origin.count("report.currency") == 1);
}

TEST_CASE("values other than the example's") {
    ShareDir s;
    TempDir dir;
    struct Case {
        std::string_view toml;
        std::function<void(const Config&)> check;
    };
    const Case cases[] = {
        {"[timebank]\nweek_starts = \"sunday\"\n", [](const Config& c) { CHECK(c.week_starts == tb::WeekStart::sunday); }},
        {"[timebank]\nweek_starts = \"Sunday\"\n", [](const Config& c) { CHECK(c.week_starts == tb::WeekStart::sunday); }},
        {"[policy]\nmin_balance = \"none\"\n", [](const Config& c) { CHECK_FALSE(c.min_balance.has_value()); }},
        {"[policy]\nmin_balance = \"None\"\n", [](const Config& c) { CHECK_FALSE(c.min_balance.has_value()); }},
        {"[policy]\nmin_balance = -20.5\n", [](const Config& c) { CHECK(c.min_balance == tb::Minutes{-1230}); }},
        {"[policy]\nmin_balance = \"-10:30\"\n", [](const Config& c) { CHECK(c.min_balance == tb::Minutes{-630}); }},
        {"[policy]\nmin_balance = 0\n", [](const Config& c) { CHECK(c.min_balance == tb::Minutes{0}); }},
        {"[policy]\nmax_balance = 40\n", [](const Config& c) { CHECK(c.max_balance == tb::Minutes{2400}); }},
        {"[policy]\nwarn_below = -15\n", [](const Config& c) { CHECK(c.warn_below == tb::Minutes{-900}); }},
        // six decimals of hours, as tb config prints a third of an hour
        {"[policy]\nwarn_below = -0.333333\n", [](const Config& c) { CHECK(c.warn_below == tb::Minutes{-20}); }},
        {"[policy]\nmax_balance = 1.016667\n", [](const Config& c) { CHECK(c.max_balance == tb::Minutes{61}); }},
        {"[policy]\nmax_hours_per_exchange = 7.5\n", [](const Config& c) { CHECK(c.max_minutes_per_exchange == 450); }},
        {"[policy]\nstrict_categories = true\n", [](const Config& c) { CHECK(c.strict_categories); }},
        {"[match]\nfairness = \"owed-last\"\n", [](const Config& c) { CHECK_FALSE(c.fairness_owed_first); }},
        {"[match]\nweights = { skill = 2 }\n", [](const Config& c) {
             CHECK(c.weights.skill == doctest::Approx(2.0));
             CHECK(c.weights.place == doctest::Approx(0.5));  // the others keep their defaults
         }},
        {"[report]\nvalue_per_hour = 12\n", [](const Config& c) { CHECK(c.value_per_hour == doctest::Approx(12.0)); }},
        {"[store]\npath = \"/var/lib/tb/bank.db\"\n", [](const Config& c) { CHECK(c.store_path == "/var/lib/tb/bank.db"); }},
        {"", [](const Config& c) { CHECK(c.name == "Timebank"); }},
        {"# only a comment\n", [](const Config& c) { CHECK(c.categories.size() >= 10); }},
    };
    for (auto& cs : cases) {
        CAPTURE(cs.toml);
        auto path = dir.write("timebank.toml", cs.toml);
        cs.check(tb::load_config(path));
    }
}

TEST_CASE("a relative [store] path is relative to the config file") {
    ShareDir s;
    TempDir dir;
    auto a = dir.write("etc/tb/timebank.toml", "[store]\npath = \"bank.db\"\n");
    CHECK(tb::load_config(a).store_path == (dir.path() / "etc" / "tb" / "bank.db").string());
    auto b = dir.write("etc/tb/up.toml", "[store]\npath = \"../../data/bank.db\"\n");
    CHECK(tb::load_config(b).store_path == (dir.path() / "data" / "bank.db").string());
    // Without a [store] path the store is timebank.db beside the config file;
    // without a config file, ./timebank.db.
    auto c = dir.write("etc/tb/nopath.toml", "[timebank]\nname = \"X\"\n");
    CHECK(tb::load_config(c).store_path == (dir.path() / "etc" / "tb" / "timebank.db").string());
    CHECK(tb::load_config("").store_path == "timebank.db");
}

TEST_CASE("an unknown key names the file, the line and the dotted key") {
    ShareDir s;
    TempDir dir;
    struct Case {
        std::string_view toml;
        int line;
        std::string_view key;
    };
    const Case cases[] = {
        {"[timebank]\nnmae = \"x\"\n", 2, "timebank.nmae"},
        {"[timebank]\nname = \"x\"\n\n[polcy]\nmin_balance = 1\n", 4, "polcy"},
        {"[store]\npath = \"a.db\"\n\n[policy]\nmin_balance = 1\nmax_hours = 3\n", 6, "policy.max_hours"},
        {"[report]\ninactive_days = 30\ncurrancy = \"EUR\"\n", 3, "report.currancy"},
        {"[match]\nweights = { skill = 1.0, speed = 2.0 }\n", 2, "match.weights.speed"},
        {"[match]\nmax_open = 3\n", 2, "match.max_open"},
        {"[[category]]\nname = \"X\"\nskils = [\"a\"]\n", 3, "category.skils"},
        {"[import.volunteers]\nid = [\"x\"]\n", 1, "import.volunteers"},
        {"[store]\nbusy_timeout = 5000\n", 2, "store.busy_timeout"},
    };
    for (auto& c : cases) {
        CAPTURE(c.toml);
        auto msg = config_error(dir, c.toml);
        auto file = (dir.path() / "timebank.toml").string();
        CHECK(msg.find(file + ":" + std::to_string(c.line) + ":") != std::string::npos);
        CHECK(msg.find(std::string(c.key)) != std::string::npos);
        CHECK(msg.find("unknown key") != std::string::npos);
    }
}

TEST_CASE("a wrong type or value names the file, the line and the dotted key") {
    ShareDir s;
    TempDir dir;
    struct Case {
        std::string_view toml;
        int line;
        std::string_view key;
    };
    const Case cases[] = {
        {"[store]\nbusy_timeout_ms = \"x\"\n", 2, "store.busy_timeout_ms"},
        {"[store]\nbusy_timeout_ms = 1.5\n", 2, "store.busy_timeout_ms"},
        {"[store]\nbusy_timeout_ms = -1\n", 2, "store.busy_timeout_ms"},
        {"[store]\npath = 3\n", 2, "store.path"},
        {"[policy]\nmin_balance = true\n", 2, "policy.min_balance"},
        {"[policy]\nmin_balance = \"abc\"\n", 2, "policy.min_balance"},
        {"[policy]\nmin_balance = 1.333\n", 2, "policy.min_balance"},
        {"[policy]\nmin_balance = [1]\n", 2, "policy.min_balance"},
        {"[policy]\nmin_balance = nan\n", 2, "policy.min_balance"},
        {"[policy]\nmin_balance = -inf\n", 2, "policy.min_balance"},
        {"[policy]\nmin_balance = 1.3333\n", 2, "policy.min_balance"},
        {"[policy]\nmax_balance = 1e300\n", 2, "policy.max_balance"},
        {"[report]\nvalue_per_hour = nan\n", 2, "report.value_per_hour"},
        {"[report]\nvalue_per_hour = inf\n", 2, "report.value_per_hour"},
        {"[match]\nweights = { place = nan }\n", 2, "match.weights.place"},
        {"[import.members.constants]\nhours = inf\n", 2, "import.members.constants.hours"},
        {"[policy]\nmax_balance = \"unlimited\"\n", 2, "policy.max_balance"},
        {"[policy]\nmax_hours_per_exchange = \"none\"\n", 2, "policy.max_hours_per_exchange"},
        {"[policy]\nmax_hours_per_exchange = 0\n", 2, "policy.max_hours_per_exchange"},
        {"[policy]\nmax_hours_per_exchange = -3\n", 2, "policy.max_hours_per_exchange"},
        {"[policy]\nbackdate_days = -1\n", 2, "policy.backdate_days"},
        {"[policy]\nstrict_categories = \"yes\"\n", 2, "policy.strict_categories"},
        {"[policy]\nstrict_categories = 1\n", 2, "policy.strict_categories"},
        {"[timebank]\nname = 3\n", 2, "timebank.name"},
        {"[timebank]\nweek_starts = \"tuesday\"\n", 2, "timebank.week_starts"},
        {"[report]\ninactive_days = 0\n", 2, "report.inactive_days"},
        {"[report]\nvalue_per_hour = \"a lot\"\n", 2, "report.value_per_hour"},
        {"[report]\nvalue_per_hour = -1\n", 2, "report.value_per_hour"},
        {"[report]\ncurrency = [\"GBP\"]\n", 2, "report.currency"},
        {"[match]\nweights = 3\n", 2, "match.weights"},
        {"[match]\nweights = { skill = \"high\" }\n", 2, "match.weights.skill"},
        {"[match]\nweights = { skill = -1 }\n", 2, "match.weights.skill"},
        {"[match]\nfairness = \"random\"\n", 2, "match.fairness"},
        {"[match]\nmax_open_per_member = 0\n", 2, "match.max_open_per_member"},
        {"timebank = 3\n", 1, "timebank"},
        {"\ncategory = 3\n", 2, "category"},
        {"[[category]]\nskills = [\"a\"]\n", 1, "category.name"},
        {"[[category]]\nname = \"X\"\nskills = [1, 2]\n", 3, "category.skills"},
        {"[import.members]\ndecimal_mark = \";\"\n", 2, "import.members.decimal_mark"},
        {"[import.members]\nseparator = \"ab\"\n", 2, "import.members.separator"},
        {"[import.members]\nskip = \"two\"\n", 2, "import.members.skip"},
        {"[import.members]\nid = 3\n", 2, "import.members.id"},
        {"[import.exchanges]\nprovider = [[\"a\", 3]]\n", 2, "import.exchanges.provider"},
        {"[import.members.constants]\nkind = true\n", 2, "import.members.constants.kind"},
    };
    for (auto& c : cases) {
        CAPTURE(c.toml);
        auto msg = config_error(dir, c.toml);
        auto file = (dir.path() / "timebank.toml").string();
        CHECK(msg.find(file + ":" + std::to_string(c.line) + ":") != std::string::npos);
        CHECK(msg.find(std::string(c.key) + ":") != std::string::npos);
    }
}

TEST_CASE("a TOML syntax error names the file and the line") {
    ShareDir s;
    TempDir dir;
    const std::pair<std::string_view, int> cases[] = {
        {"[timebank\nname = \"x\"\n", 1},
        {"[timebank]\nname = \"x\n", 2},
        {"[timebank]\nname = \"x\"\nname = \"y\"\n", 3},
        {"[policy]\n\nmin_balance = \n", 3},
    };
    for (auto [toml, line] : cases) {
        const auto& shown = toml;  // clang 14: CAPTURE cannot take a structured binding
        CAPTURE(shown);
        auto msg = config_error(dir, toml);
        CHECK(msg.rfind((dir.path() / "timebank.toml").string() + ":" + std::to_string(line) + ":", 0) == 0);
    }
}

TEST_CASE("[[category]] tables replace the shipped taxonomy") {
    ShareDir s;
    TempDir dir;
    auto path = dir.write("timebank.toml", R"([timebank]
name = "X"

[[category]]
name = "Gardening"
skills = ["mowing", "weeding"]
keywords = ["garden", "lawn"]

[[category]]
name = "Lifts"
skills = ["hospital runs"]
requires = ["driving-licence", "insurance"]
)");
    Config c = tb::load_config(path);
    REQUIRE(c.categories.size() == 2);
    CHECK(c.categories[0].name == "Gardening");
    CHECK(c.categories[0].keywords == std::vector<std::string>{"garden", "lawn"});
    CHECK(c.categories[0].requires_checks.empty());
    CHECK(c.categories[1].requires_checks == std::vector<std::string>{"driving-licence", "insurance"});
    CHECK(c.find_category("lifts") == &c.categories[1]);
    CHECK(c.find_category("Care & companionship") == nullptr);
    CHECK(c.categories_source == path + ":4");
}

TEST_CASE("[import.members] and [import.exchanges] merge onto the shipped aliases") {
    ShareDir s;
    TempDir dir;
    auto path = dir.write("timebank.toml", R"toml([import.members]
skip = 2
date_format = "%d/%m/%Y"
name = [["Forename", "Family name"], "Known as"]
ignore = ["How did you hear about us?"]

[import.exchanges]
decimal_mark = ","
separator = ";"
hours = ["Time (hrs)"]
)toml");
    Config c = tb::load_config(path);
    auto& m = c.import_members;
    CHECK(m.skip == 2);
    CHECK(m.date_format == "%d/%m/%Y");
    auto& names = m.fields["name"];
    REQUIRE(names.size() == 2);
    CHECK(names[0] == std::vector<std::string>{"Forename", "Family name"});
    CHECK(names[1] == std::vector<std::string>{"Known as"});
    CHECK(has_group(m.aliases["name"], {"first name", "surname"}));  // the shipped ones are kept, apart
    CHECK(has_group(m.aliases["id"], {"membership no"}));
    CHECK(m.ignore == std::vector<std::string>{"How did you hear about us?"});
    auto& x = c.import_exchanges;
    CHECK(x.decimal_mark == ',');
    CHECK(x.separator == ';');
    CHECK(x.fields["hours"][0] == std::vector<std::string>{"Time (hrs)"});
    CHECK(has_group(x.aliases["hours"], {"hours"}));
    CHECK_FALSE(x.skip.has_value());
}

TEST_CASE("ImportMapping::merge: later layers win for settings, add to aliases") {
    tb::ImportMapping base, over;
    base.skip = 1;
    base.separator = ',';
    base.fields["id"] = {{"id"}};
    base.ignore = {"a"};
    base.constants["kind"] = "person";
    over.skip = 3;
    over.decimal_mark = ',';
    over.fields["id"] = {{"Member #"}};
    over.fields["name"] = {{"First", "Last"}};
    over.ignore = {"b"};
    over.constants["kind"] = "organisation";
    over.constants["status"] = "active";
    base.merge(over);
    CHECK(base.skip == 3);
    CHECK(base.separator == ',');
    CHECK(base.decimal_mark == ',');
    CHECK(base.fields["id"] == Groups{{"Member #"}, {"id"}});
    CHECK(base.fields["name"] == Groups{{"First", "Last"}});
    CHECK(base.ignore == std::vector<std::string>{"a", "b"});
    CHECK(base.constants["kind"] == "organisation");
    CHECK(base.constants["status"] == "active");
}

TEST_CASE("load_mapping_file: the shape SPEC gives") {
    TempDir dir;
    auto path = dir.write("uk.toml", R"(skip = 0                       # lines before the header row
separator = ","                # default: detected from the header line
date_format = "%d/%m/%Y"       # default: ISO 8601
decimal_mark = "."
id = ["Membership No"]         # field = the headers it may come from
name = [["First name", "Surname"]]   # a nested list joins columns with a space
ignore = ["How did you hear about us?"]
[constants]                    # values for fields the file lacks
kind = "person"
)");
    auto m = tb::load_mapping_file(path);
    CHECK(m.skip == 0);
    CHECK(m.separator == ',');
    CHECK(m.date_format == "%d/%m/%Y");
    CHECK(m.decimal_mark == '.');
    CHECK(m.fields["id"] == Groups{{"Membership No"}});
    CHECK(m.fields["name"] == Groups{{"First name", "Surname"}});
    CHECK(m.fields.size() == 2);
    CHECK(m.ignore == std::vector<std::string>{"How did you hear about us?"});
    CHECK(m.constants == std::map<std::string, std::string>{{"kind", "person"}});
}

TEST_CASE("load_mapping_file: other settings") {
    TempDir dir;
    struct Case {
        std::string_view toml;
        std::function<void(tb::ImportMapping&)> check;
    };
    const Case cases[] = {
        {"separator = \"\\t\"\n", [](auto& m) { CHECK(m.separator == '\t'); }},
        {"separator = \"tab\"\n", [](auto& m) { CHECK(m.separator == '\t'); }},
        {"separator = \";\"\n", [](auto& m) { CHECK(m.separator == ';'); }},
        {"decimal_mark = \",\"\n", [](auto& m) { CHECK(m.decimal_mark == ','); }},
        {"skip = 3\n", [](auto& m) { CHECK(m.skip == 3); }},
        {"date_format = \"%d %b %Y\"\n", [](auto& m) { CHECK(m.date_format == "%d %b %Y"); }},
        {"email = \"E-mail\"\n", [](auto& m) { CHECK(m.fields["email"] == Groups{{"E-mail"}}); }},
        {"name = [\"Name\", [\"First\", \"Middle\", \"Last\"]]\n",
         [](auto& m) { CHECK(m.fields["name"] == Groups{{"Name"}, {"First", "Middle", "Last"}}); }},
        {"ignore = \"Notes\"\n", [](auto& m) { CHECK(m.ignore == std::vector<std::string>{"Notes"}); }},
        {"[constants]\nhours = 1.5\nkind = \"organisation\"\n",
         [](auto& m) {
             CHECK(m.constants["hours"] == "1.5");
             CHECK(m.constants["kind"] == "organisation");
         }},
        {"", [](auto& m) {
             CHECK_FALSE(m.skip.has_value());
             CHECK_FALSE(m.separator.has_value());
             CHECK_FALSE(m.date_format.has_value());
             CHECK_FALSE(m.decimal_mark.has_value());
             CHECK(m.fields.empty());
         }},
    };
    for (auto& c : cases) {
        CAPTURE(c.toml);
        auto m = tb::load_mapping_file(dir.write("map.toml", c.toml));
        c.check(m);
    }
}

TEST_CASE("load_mapping_file: errors name the file, the line and the key") {
    TempDir dir;
    struct Case {
        std::string_view toml;
        int line;
        std::string_view key;
    };
    const Case cases[] = {
        {"skip = -1\n", 1, "skip"},
        {"skip = \"1\"\n", 1, "skip"},
        {"\nseparator = \"||\"\n", 2, "separator"},
        {"decimal_mark = \";\"\n", 1, "decimal_mark"},
        {"date_format = 3\n", 1, "date_format"},
        {"date_format = \"%d/%m/%Y %I:%M %p\"\n", 1, "date_format"},  // a conversion we cannot read
        {"\n\ndate_format = \"%d/%m\"\n", 3, "date_format"},            // no year: no date at all
        {"id = 3\n", 1, "id"},
        {"id = [3]\n", 1, "id"},
        {"ignore = [true]\n", 1, "ignore"},
        {"[constants]\nkind = [\"a\"]\n", 2, "constants.kind"},
        {"constants = 3\n", 1, "constants"},
    };
    for (auto& c : cases) {
        CAPTURE(c.toml);
        auto path = dir.write("map.toml", c.toml);
        try {
            tb::load_mapping_file(path);
            FAIL_CHECK("accepted");
        } catch (const ConfigError& e) {
            std::string msg = e.what();
            CHECK(msg.find(path + ":" + std::to_string(c.line) + ": " + std::string(c.key) + ":") !=
                  std::string::npos);
        }
    }
    auto missing = (dir.path() / "missing.toml").string();
    try {
        tb::load_mapping_file(missing);
        FAIL_CHECK("accepted a missing file");
    } catch (const ConfigError& e) {
        CHECK(std::string(e.what()).find(missing) != std::string::npos);
    }
}

TEST_CASE("discover_config") {
    TempDir dir;
    auto cfg = dir.write("my.toml", "");
    EnvVar unset_cfg("TIMEBANK_CONFIG", nullptr);
    CHECK(tb::discover_config(cfg) == cfg);
    CHECK_THROWS_AS(tb::discover_config((dir.path() / "nope.toml").string()), ConfigError);
    {
        EnvVar env("TIMEBANK_CONFIG", cfg.c_str());
        CHECK(tb::discover_config(std::nullopt) == cfg);
    }
    {
        EnvVar env("TIMEBANK_CONFIG", (dir.path() / "nope.toml").c_str());
        CHECK_THROWS_AS(tb::discover_config(std::nullopt), ConfigError);
    }
    {
        auto xdg = dir.write("xdg/timebank/timebank.toml", "");
        EnvVar env("XDG_CONFIG_HOME", (dir.path() / "xdg").c_str());
        auto old = fs::current_path();
        fs::current_path(dir.path());  // no ./timebank.toml here
        CHECK(tb::discover_config(std::nullopt) == xdg);
        dir.write("timebank.toml", "");
        CHECK(tb::discover_config(std::nullopt) == "timebank.toml");
        fs::current_path(old);
    }
}

TEST_CASE("tb config's TOML reads back as the same configuration") {
    ShareDir s;
    TempDir dir;
    auto path = dir.write("timebank.toml", kSpecExample);
    Config c = tb::load_config(path);
    c.min_balance = std::nullopt;
    c.max_balance = 20;  // a third of an hour: -0.333333 in the TOML
    c.warn_below = -61;
    auto again_path = dir.write("again/timebank.toml", tb::config_to_toml(c));
    Config again = tb::load_config(again_path);
    auto a = tb::config_entries(c), b = tb::config_entries(again);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CAPTURE(a[i].key);
        CHECK(a[i].key == b[i].key);
        CHECK(a[i].toml == b[i].toml);
        CHECK(a[i].value == b[i].value);
    }
    CHECK(again.max_balance == tb::Minutes{20});
    CHECK(again.warn_below == tb::Minutes{-61});
    REQUIRE(again.categories.size() == c.categories.size());
    CHECK(again.categories[0].name == c.categories[0].name);
    CHECK(again.categories[0].skills == c.categories[0].skills);
    CHECK(again.categories[0].requires_checks == c.categories[0].requires_checks);
}

TEST_CASE("config_entries says where each value came from") {
    ShareDir s;
    TempDir dir;
    auto path = dir.write("timebank.toml", "[timebank]\nname = \"Newsome\"\n");
    auto rows = tb::config_entries(tb::load_config(path));
    bool saw_name = false, saw_default = false;
    for (auto& e : rows) {
        if (e.key == "timebank.name") {
            saw_name = true;
            CHECK((e.toml == "\"Newsome\"" || e.toml == "'Newsome'"));  // a TOML string
            CHECK(e.value == nlohmann::ordered_json("Newsome"));        // the same, typed
            CHECK(e.origin.source == tb::ValueOrigin::Source::file);
            CHECK(e.origin.file == path);
            CHECK(e.origin.line == 2);
            CHECK(e.origin.text() == path + ":2");
        }
        if (e.key == "policy.min_balance") {
            saw_default = true;
            CHECK(e.toml == "-20");
            CHECK(e.value == nlohmann::ordered_json(-20));
            CHECK(e.origin.text() == "default");
            CHECK(std::string(e.origin.source_name()) == "default");
        }
        if (e.key == "policy.max_balance") CHECK(e.value.is_null());  // "none"
        if (e.key == "match.weights") CHECK(e.value.dump() == R"({"skill":1,"place":0.5,"recency":0.3,"fairness":0.3,"history":0.2})");
        if (e.key == "policy.strict_categories") CHECK(e.value == nlohmann::ordered_json(true));
    }
    CHECK(saw_name);
    CHECK(saw_default);
}

TEST_CASE("values that contradict each other are exit 2 naming file, line and key") {
    ShareDir s;
    TempDir dir;
    auto p = (dir.path() / "timebank.toml").string();
    CHECK(config_error(dir, "[policy]\nmin_balance = 5\nmax_balance = 1\n") ==
          p + ":2: policy.min_balance: min_balance 5.00 is above max_balance 1.00");
    CHECK(config_error(dir, "[policy]\n\nmin_balance = 0.5\n") ==
          p + ":3: policy.min_balance: 0.50 hours is above 0: a new member, at 0, would already be below it");
    CHECK(config_error(dir, "[policy]\nmax_balance = \"-1:30\"\n") ==
          p + ":2: policy.max_balance: -1.50 hours is below 0: a new member, at 0, would already be above it");
    CHECK(config_error(dir, "[[category]]\nname = \"Gardening\"\n[[category]]\nname = \"GARDEN ING\"\n") ==
          p + ":3: category.name: a second category named 'GARDEN ING' (names must differ, case and spaces aside)");
    // the limits may meet at 0, and "none" contradicts nothing
    CHECK_NOTHROW(tb::load_config(dir.write("ok.toml", "[policy]\nmin_balance = 0\nmax_balance = 0\n")));
    CHECK_NOTHROW(tb::load_config(dir.write("ok2.toml", "[policy]\nmin_balance = \"none\"\nmax_balance = \"none\"\n")));
}

TEST_CASE("mapping files: list_separator, duplicates, opening_unit, id_in_parentheses, [values.FIELD]") {
    TempDir dir;
    auto path = dir.path() / "m.toml";
    {
        std::ofstream f(path);
        f << "list_separator = \",\"\nduplicates = \"last\"\nopening_unit = \"seconds\"\nid_in_parentheses = true\n"
             "kind = [\"Org?\"]\n[values.kind]\nYes = \"organisation\"\n\"Not really\" = \"person\"\n";
    }
    auto m = tb::load_mapping_file(path.string());
    CHECK(m.list_separator == ",");
    CHECK(m.duplicates == "last");
    CHECK(m.opening_unit == "seconds");
    CHECK(m.id_in_parentheses == true);
    CHECK(m.values["kind"]["yes"] == "organisation");
    CHECK(m.values["kind"]["notreally"] == "person");
    CHECK(m.fields["kind"].size() == 1);
    CHECK(m.aliases.empty());
    for (auto bad : {"duplicates = \"both\"\n", "opening_unit = \"days\"\n", "list_separator = \"\"\n",
                     "[values.colour]\nred = \"x\"\n", "id_in_parentheses = \"yes\"\n"}) {
        CAPTURE(bad);
        std::ofstream(path) << bad;
        CHECK_THROWS_AS(tb::load_mapping_file(path.string()), ConfigError);
    }
}

TEST_CASE("keys that take one of a few words: case, and the words named when wrong") {
    ShareDir s;
    TempDir dir;
    // The words of timebank.toml are read in any case.
    auto path = dir.write("timebank.toml", "[timebank]\nweek_starts = \"Sunday\"\n[transfer]\nnotes = \"SEND\"\n"
                                          "[match]\nfairness = \"Owed-Last\"\n");
    auto c = tb::load_config(path);
    CHECK(c.week_starts == tb::WeekStart::sunday);
    CHECK(c.transfer_sends_notes);
    CHECK_FALSE(c.fairness_owed_first);
    auto file = (dir.path() / "timebank.toml").string();
    CHECK(config_error(dir, "[timebank]\nweek_starts = \"tuesday\"\n") ==
          file + ":2: timebank.week_starts: must be \"monday\" or \"sunday\"");
    CHECK(config_error(dir, "[transfer]\nnotes = \"none\"\n") ==
          file + ":2: transfer.notes: must be \"send\" or \"digest\"");
    CHECK(config_error(dir, "[match]\nfairness = \"random\"\n") ==
          file + ":2: match.fairness: must be \"owed-first\" or \"owed-last\"");
    // A mapping file's words are exact.
    auto map = dir.write("m.toml", "duplicates = \"First\"\n");
    auto mapping_error = [&](std::string_view text) {
        dir.write("m.toml", text);
        try {
            tb::load_mapping_file(map);
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(mapping_error("duplicates = \"First\"\n") == map + ":1: duplicates: must be \"error\", \"first\" or \"last\"");
    CHECK(mapping_error("opening_unit = \"days\"\n") ==
          map + ":1: opening_unit: must be \"hours\", \"minutes\" or \"seconds\"");
    CHECK(tb::load_mapping_file(dir.write("m.toml", "duplicates = \"first\"\n")).duplicates == "first");
}

TEST_CASE("the shipped aliases are built-in, below any explicit mapping") {
    ShareDir share_env;
    auto c = tb::load_config("");
    CHECK(c.import_members.fields.empty());
    CHECK_FALSE(c.import_members.aliases.empty());
    CHECK(c.import_members.aliases.count("postcode") == 1);
}

TEST_CASE("presets: timeoverflow loads for members and exchanges; an unknown name lists them") {
    ShareDir share_env;
    auto m = tb::load_preset("timeoverflow", "members");
    CHECK(m.opening_unit == "seconds");
    CHECK(m.fields["id"] == std::vector<std::vector<std::string>>{{"N"}});
    auto x = tb::load_preset("timeoverflow", "exchanges");
    CHECK(x.id_in_parentheses == true);
    CHECK(x.fields["recipient"] == std::vector<std::vector<std::string>>{{"From"}});
    CHECK(x.fields["provider"] == std::vector<std::vector<std::string>>{{"To"}});
    CHECK_THROWS_AS(tb::load_preset("nosuch", "members"), tb::UsageError);
}
