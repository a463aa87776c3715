#pragma once
// The typed, validated configuration (timebank.toml), with the origin of
// every value so that `tb config` can say where it came from.
#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tb/util/date.hpp"
#include "tb/util/duration.hpp"
#include "tb/util/json.hpp"

namespace tb {

// Where a configuration value came from.
struct ValueOrigin {
    enum class Source { default_value, file, option, environment } source = Source::default_value;
    std::string file;  // the config file (file), or the one the default is beside (default)
    int line = 0;      // file: its line
    std::string name;  // option, environment: "--db", "TIMEBANK_DB"
    static ValueOrigin in_file(std::string file, int line) { return {Source::file, std::move(file), line, {}}; }
    // "FILE:LINE", "--db", "TIMEBANK_DB", "default" or "default (beside FILE)".
    std::string text() const;
    // "default", "file", "option" or "environment".
    const char* source_name() const;
};

struct Category {
    std::string name;
    std::vector<std::string> skills;
    std::vector<std::string> keywords;
    std::vector<std::string> requires_checks;  // safeguarding checks a provider must hold
};

// How import columns map onto fields (SPEC "Imports"). The same shape is used
// by share/aliases.toml, [import.members]/[import.exchanges] and --mapping.
struct ImportMapping {
    std::optional<int> skip;
    std::optional<char> separator;
    std::optional<std::string> date_format;
    std::optional<char> decimal_mark;
    // field -> the header groups it may come from; a group of several headers
    // is joined with a space ("First name" + "Surname" -> name).
    // Explicit: from the config, a --preset or a --mapping file. A header
    // named here is taken by that field only, never by a built-in alias.
    std::map<std::string, std::vector<std::vector<std::string>>> fields;
    // Built-in: share/aliases.toml; tried only for fields not mapped
    // explicitly, and only on headers no explicit mapping names.
    std::map<std::string, std::vector<std::vector<std::string>>> aliases;
    std::vector<std::string> ignore;
    std::map<std::string, std::string> constants;
    // Splits offers, wants, tags and checks (default ";").
    std::optional<std::string> list_separator;
    // [values.FIELD]: a column's answers (compared case- and
    // space-insensitively) -> the field's value ("Yes" -> "organisation").
    std::map<std::string, std::map<std::string, std::string>> values;
    // Member files: two rows for one member (same ID or email): "error"
    // (default), "first" or "last".
    std::optional<std::string> duplicates;
    // Member files: the unit of the opening column: "hours" (default),
    // "minutes" or "seconds" (TimeOverflow's balances).
    std::optional<std::string> opening_unit;
    // Exchange files: a member written "Name (X)" is the member whose ID is X
    // (TimeOverflow's "Ann Lee (12)").
    std::optional<bool> id_in_parentheses;
    // Later layers win for settings and add to aliases.
    void merge(const ImportMapping& over);
};

struct MatchWeights {
    double skill = 1.0, place = 0.5, recency = 0.3, fairness = 0.3, history = 0.2;
};

struct Config {
    std::string file;  // the config file read, empty for built-in defaults

    std::string name = "Timebank";
    WeekStart week_starts = WeekStart::monday;

    std::string store_path = "timebank.db";  // resolved: absolute or relative to cwd
    int busy_timeout_ms = 5000;

    std::optional<Minutes> min_balance = -20 * 60;  // nullopt = no limit
    std::optional<Minutes> max_balance;
    Minutes max_minutes_per_exchange = 24 * 60;
    int backdate_days = 365;
    bool strict_categories = true;
    std::optional<Minutes> warn_below;

    // [pot] min_balance: the community pot never goes below it (nullopt = no limit).
    std::optional<Minutes> pot_min_balance = 0;
    // [transfer] notes = "send" | "digest": whether a transfer file to
    // another bank carries the note, or only its SHA-256.
    bool transfer_sends_notes = true;

    int inactive_days = 90;
    // [report] follow_up_days: a proposal pending longer is listed in the weekly report.
    int follow_up_days = 7;
    double value_per_hour = 11.44;
    std::string currency = "GBP";

    int max_open_per_member = 2;
    MatchWeights weights;
    bool fairness_owed_first = true;  // [match] fairness = "owed-first" | "owed-last"

    // [safeguarding]: check names besides those categories require, and
    // other spellings of them (spelling -> check).
    std::vector<std::string> safeguarding_checks;
    std::map<std::string, std::string> check_aliases;

    ImportMapping import_members, import_exchanges;
    std::vector<Category> categories;
    std::string categories_source;

    // dotted key -> where its value came from (keys not in it: the default)
    std::map<std::string, ValueOrigin> origin;

    const Category* find_category(std::string_view name) const;
};

// Finds the config file per SPEC, like git finds its repository: explicit
// (--config or TIMEBANK_CONFIG), else timebank.toml in the current directory
// or the nearest parent that has one, else the timebank.toml beside
// `store_path` (the store --db or TIMEBANK_DB names), else
// $XDG_CONFIG_HOME/timebank/timebank.toml. Empty when none.
std::string discover_config(const std::optional<std::string>& explicit_path,
                            const std::optional<std::string>& store_path = std::nullopt);

// Loads the file (if any) over the built-in defaults and the shipped taxonomy.
// Throws ConfigError (exit 2) naming the file, line and key.
Config load_config(const std::string& path);

// Reads a --mapping file. Throws ConfigError naming the file, line and key.
ImportMapping load_mapping_file(const std::string& path);
// A mapping shipped in share/presets/NAME.toml, its [members] or [exchanges]
// table (`section`). An unknown NAME is a UsageError listing the presets.
ImportMapping load_preset(const std::string& name, const std::string& section);

// Where share/ is: TB_SHARE_DIR, the installed copy, or the source tree.
std::string share_dir();
std::vector<Category> load_taxonomy(const std::string& path);

// The effective configuration as commented TOML.
std::string config_to_toml(const Config& c);
// One value of the effective configuration, for tb config.
struct ConfigEntry {
    std::string key;             // dotted: "policy.min_balance"
    std::string toml;            // the value as TOML text: -20, "none", 'Newsome'
    Json value;  // the same value typed: -20, null, "Newsome"
    ValueOrigin origin;
};
// Every key of the effective configuration, in [section] order.
std::vector<ConfigEntry> config_entries(const Config& c);

}  // namespace tb
