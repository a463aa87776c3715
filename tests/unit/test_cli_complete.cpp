// The command trees behind help and completion: every leaf command of every
// tool is registered with an action and its declared output formats, and
// the formats the completion offers are the declared ones.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "tb/cli/complete.hpp"
#include "tb/util/text.hpp"

namespace {

std::map<std::string, tb::cli::CommandSpec> specs_by_key() {
    std::map<std::string, tb::cli::CommandSpec> out;
    for (auto& c : tb::cli::command_specs()) out[c.path.empty() ? c.prog : c.prog + " " + c.path] = c;
    return out;
}

std::string formats_of(const std::map<std::string, tb::cli::CommandSpec>& specs, const std::string& key) {
    auto it = specs.find(key);
    REQUIRE(it != specs.end());
    return tb::text::join(it->second.formats, ",");
}

}  // namespace

TEST_CASE("every tool is walked") {
    auto specs = specs_by_key();
    for (const char* tool : {"tb", "tb-member", "tb-exchange", "tb-report", "tb-match", "tb hub"}) {
        const std::string key = tool;
        CAPTURE(key);
        CHECK(specs.count(key) == 1);
    }
    CHECK(specs.size() >= 60);
}

TEST_CASE("every leaf command runs something and declared its formats") {
    // A command without subcommands must have been registered with
    // Registry::on (which cannot be called without formats); a group with
    // subcommands runs nothing itself.
    for (auto& [key, c] : specs_by_key()) {
        const std::string name = key;
        CAPTURE(name);
        bool leaf = c.subcommands.empty();
        CHECK(c.runs == leaf);
        if (!c.runs) CHECK(c.formats.empty());
    }
}

TEST_CASE("declared formats, as each command has always accepted them") {
    auto specs = specs_by_key();
    const std::string data = "table,csv,tsv,json,jsonl";
    CHECK(formats_of(specs, "tb-report weekly") == "text,markdown,html,json");
    CHECK(formats_of(specs, "tb-report summary") == data);
    CHECK(formats_of(specs, "tb-report onboarding") == data + ",markdown,html");
    CHECK(formats_of(specs, "tb-exchange statement") == data + ",html");
    CHECK(formats_of(specs, "tb-exchange amend") == "");
    CHECK(formats_of(specs, "tb-match request close") == "");
    CHECK(formats_of(specs, "tb-exchange list") == data);
    CHECK(formats_of(specs, "tb-member list") == data);
    CHECK(formats_of(specs, "tb-member block") == data);  // block list
    CHECK(formats_of(specs, "tb-member unblock") == "");
    CHECK(formats_of(specs, "tb-member export") == "csv,tsv,json,jsonl");
    CHECK(formats_of(specs, "tb-exchange export") == "csv,tsv,json,jsonl");
    CHECK(formats_of(specs, "tb config") == "text,table,csv,tsv,json,jsonl");
    CHECK(formats_of(specs, "tb hub report") == data);
    CHECK(formats_of(specs, "tb-member add") == "");
    CHECK(formats_of(specs, "tb-exchange record") == "");
    CHECK(formats_of(specs, "tb init") == "");
}

TEST_CASE("values: members, requests, exchanges, categories and fixed words") {
    auto specs = specs_by_key();
    auto option_kind = [&](const std::string& key, const std::string& name) {
        for (auto& o : specs.at(key).options)
            for (auto& n : o.names)
                if (n == name) return o.kind;
        FAIL("no option " << name << " at " << key);
        return std::string();
    };
    CHECK(option_kind("tb-exchange record", "--provider") == "member");
    CHECK(option_kind("tb-exchange record", "--category") == "category");
    CHECK(option_kind("tb-exchange", "--format") == "format");  // a common option, at the tool
    CHECK(option_kind("tb-member list", "--kind") == "words:person organisation pot bank");
    CHECK(option_kind("tb-report activity", "--by") == "words:week month quarter year");
    CHECK(option_kind("tb-match request close", "--exchange") == "exchange");
    CHECK(specs.at("tb-match request close").positionals.at(0).kind == "request");
    CHECK(specs.at("tb-exchange void").positionals.at(0).kind == "exchange");
    CHECK(specs.at("tb-exchange balance").positionals.at(0).repeats);
}
