#include "tb/model/config.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <sstream>
#include <toml++/toml.h>
#include <unistd.h>

#include "tb/util/json.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace fs = std::filesystem;

namespace tb {

void ImportMapping::merge(const ImportMapping& over) {
    if (over.skip) skip = over.skip;
    if (over.separator) separator = over.separator;
    if (over.date_format) date_format = over.date_format;
    if (over.decimal_mark) decimal_mark = over.decimal_mark;
    for (auto& [field, groups] : over.fields) {
        auto& mine = fields[field];
        // Aliases given later are tried first.
        mine.insert(mine.begin(), groups.begin(), groups.end());
    }
    for (auto& [field, groups] : over.aliases) {
        auto& mine = aliases[field];
        mine.insert(mine.begin(), groups.begin(), groups.end());
    }
    ignore.insert(ignore.end(), over.ignore.begin(), over.ignore.end());
    for (auto& [k, v] : over.constants) constants[k] = v;
    if (over.list_separator) list_separator = over.list_separator;
    for (auto& [field, answers] : over.values)
        for (auto& [answer, value] : answers) values[field][answer] = value;
    if (over.duplicates) duplicates = over.duplicates;
    if (over.opening_unit) opening_unit = over.opening_unit;
    if (over.id_in_parentheses) id_in_parentheses = over.id_in_parentheses;
}

const Category* Config::find_category(std::string_view n) const {
    auto key = text::fold_key(n);
    for (auto& c : categories)
        if (text::fold_key(c.name) == key) return &c;
    return nullptr;
}

namespace {

// Reads a TOML document, reporting each problem as FILE:LINE: key: problem.
class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    toml::table parse() {
        try {
            return toml::parse_file(file_);
        } catch (const toml::parse_error& e) {
            throw ConfigError(fmt::format("{}:{}: {}", file_, e.source().begin.line, e.description()));
        }
    }

    [[noreturn]] void fail(const toml::node& n, const std::string& key, const std::string& what) const {
        throw ConfigError(fmt::format("{}:{}: {}: {}", file_, n.source().begin.line, key, what));
    }
    std::string where(const toml::node& n) const {
        return fmt::format("{}:{}", file_, n.source().begin.line);
    }
    ValueOrigin origin_of(const toml::node& n) const {
        return ValueOrigin::in_file(file_, static_cast<int>(n.source().begin.line));
    }

    std::string str(const toml::node& n, const std::string& key) const {
        if (auto v = n.value<std::string>()) return *v;
        fail(n, key, "expected a string");
    }
    bool boolean(const toml::node& n, const std::string& key) const {
        if (auto v = n.value_exact<bool>()) return *v;
        fail(n, key, "expected true or false");
    }
    std::int64_t integer(const toml::node& n, const std::string& key, std::int64_t lo, std::int64_t hi) const {
        auto v = n.value_exact<std::int64_t>();
        if (!v) fail(n, key, "expected a whole number");
        if (*v < lo || *v > hi) fail(n, key, fmt::format("must be between {} and {}", lo, hi));
        return *v;
    }
    double number(const toml::node& n, const std::string& key) const {
        if (!(n.is_integer() || n.is_floating_point())) fail(n, key, "expected a number");
        double d = *n.value<double>();
        if (!std::isfinite(d)) fail(n, key, "expected a finite number");  // TOML allows nan and inf
        return d;
    }
    // Hours as a number (may be negative), or "none" when allowed.
    std::optional<Minutes> hours(const toml::node& n, const std::string& key, bool allow_none) const {
        if (auto s = n.value_exact<std::string>()) {
            if (allow_none && text::lower(*s) == "none") return std::nullopt;
            try {
                return parse_duration(*s, true);
            } catch (const Error&) {
                fail(n, key, allow_none ? "expected hours or \"none\"" : "expected hours");
            }
        }
        if (!(n.is_integer() || n.is_floating_point()))
            fail(n, key, allow_none ? "expected hours or \"none\"" : "expected hours");
        double h = *n.value<double>();
        double m = h * 60.0;
        if (!(m <= 1e9 && m >= -1e9)) fail(n, key, "out of range");  // NaN too
        auto mi = static_cast<Minutes>(m >= 0 ? m + 0.5 : m - 0.5);
        // Hours printed with six decimals (as `tb config` does: -0.333333)
        // are within 1e-4 of a whole minute; 1.333 hours (79.98) is not.
        if (std::abs(static_cast<double>(mi) - m) > 1e-3) fail(n, key, "not a whole number of minutes");
        return mi;
    }
    // One of `words` (compared lowercased when `fold_case`): the one given.
    std::string one_of(const toml::node& n, const std::string& key, std::initializer_list<std::string_view> words,
                       bool fold_case = true) const {
        auto s = str(n, key);
        if (fold_case) s = text::lower(s);
        std::vector<std::string> quoted;
        for (auto w : words) {
            if (s == w) return s;
            quoted.push_back(fmt::format("\"{}\"", w));
        }
        auto last = quoted.back();
        quoted.pop_back();
        fail(n, key, fmt::format("must be {} or {}", text::join(quoted, ", "), last));
    }
    std::vector<std::string> strings(const toml::node& n, const std::string& key) const {
        std::vector<std::string> out;
        if (n.is_string()) return {str(n, key)};
        auto* arr = n.as_array();
        if (!arr) fail(n, key, "expected a list of strings");
        for (auto& e : *arr) out.push_back(str(e, key));
        return out;
    }
    const toml::table& table(const toml::node& n, const std::string& key) const {
        auto* t = n.as_table();
        if (!t) fail(n, key, "expected a table");
        return *t;
    }
    const std::string& file() const { return file_; }

private:
    std::string file_;
};

// A TOML key as written in a dotted key: bare when it can be, else quoted.
std::string toml_key(const std::string& k) {
    bool bare = !k.empty();
    for (char ch : k)
        bare = bare && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_');
    if (bare) return k;
    std::string out = "\"";
    for (char ch : k) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
    }
    return out + "\"";
}

char single_char(const Reader& r, const toml::node& n, const std::string& key) {
    auto s = r.str(n, key);
    if (s == "\\t" || s == "tab") return '\t';
    if (s.size() != 1) r.fail(n, key, "expected one character");
    return s[0];
}

// Every field a member or exchange import knows: a mapping key that is none
// of these is a typo, and a typo in a cron job's config must not pass.
bool importable_field(const std::string& f) {
    static const char* known[] = {"id",       "name",      "kind",        "status",     "email",   "phone",
                                  "postcode", "neighbourhood", "joined",  "offers",     "wants",   "tags",
                                  "checks",   "note",     "balance",   "min_balance", "max_balance", "opening", "number",
                                  "date",     "provider",  "recipient",   "hours",      "minutes", "category",
                                  "ref",      "reverses",  "recorded_at", "recorded_by"};
    for (auto* k : known)
        if (f == k) return true;
    return false;
}

ImportMapping read_mapping(const Reader& r, const toml::table& t, const std::string& prefix) {
    ImportMapping m;
    for (auto&& [k, v] : t) {
        std::string key{k.str()};
        std::string full = prefix.empty() ? key : prefix + "." + key;
        if (key == "skip") m.skip = static_cast<int>(r.integer(v, full, 0, 1000));
        else if (key == "separator") m.separator = single_char(r, v, full);
        else if (key == "date_format") {
            m.date_format = r.str(v, full);
            if (auto problem = date_format_problem(*m.date_format)) r.fail(v, full, *problem);
        }
        else if (key == "decimal_mark") {
            char c = single_char(r, v, full);
            if (c != '.' && c != ',') r.fail(v, full, "must be \".\" or \",\"");
            m.decimal_mark = c;
        } else if (key == "ignore") m.ignore = r.strings(v, full);
        else if (key == "constants") {
            for (auto&& [ck, cv] : r.table(v, full)) {
                std::string cfull = full + "." + std::string(ck.str());
                if (!importable_field(std::string(ck.str()))) r.fail(cv, cfull, "unknown field");
                if (cv.is_string()) m.constants[std::string(ck.str())] = r.str(cv, cfull);
                else if (cv.is_integer() || cv.is_floating_point())
                    m.constants[std::string(ck.str())] = fmt::format("{}", r.number(cv, cfull));
                else r.fail(cv, cfull, "expected a string or number");
            }
        } else if (key == "list_separator") {
            m.list_separator = r.str(v, full);
            if (m.list_separator->empty()) r.fail(v, full, "must not be empty");
        } else if (key == "duplicates") {
            m.duplicates = r.one_of(v, full, {"error", "first", "last"}, false);
        } else if (key == "opening_unit") {
            m.opening_unit = r.one_of(v, full, {"hours", "minutes", "seconds"}, false);
        } else if (key == "id_in_parentheses") {
            m.id_in_parentheses = r.boolean(v, full);
        } else if (key == "values") {
            // [values.FIELD] Answer = "value"
            for (auto&& [fk, fv] : r.table(v, full)) {
                std::string field{fk.str()};
                std::string ffull = full + "." + field;
                if (!importable_field(field)) r.fail(fv, ffull, "unknown field");
                for (auto&& [ak, av] : r.table(fv, ffull)) {
                    std::string afull = ffull + "." + std::string(ak.str());
                    m.values[field][text::fold_key(ak.str())] = r.str(av, afull);
                }
            }
        } else {
            // field = ["Header", ["First", "Last"], ...]
            if (!importable_field(key)) r.fail(v, full, "unknown key (not a field of members or exchanges)");
            std::vector<std::vector<std::string>> groups;
            if (v.is_string()) groups.push_back({r.str(v, full)});
            else if (auto* arr = v.as_array()) {
                for (auto& e : *arr) {
                    if (e.is_string()) groups.push_back({r.str(e, full)});
                    else if (e.is_array()) groups.push_back(r.strings(e, full));
                    else r.fail(e, full, "expected header names");
                }
            } else r.fail(v, full, "expected a list of header names");
            m.fields[key] = std::move(groups);
        }
    }
    return m;
}

std::vector<Category> read_categories(const Reader& r, const toml::node& n) {
    std::vector<Category> out;
    auto* arr = n.as_array();
    if (!arr) r.fail(n, "category", "expected [[category]] tables");
    for (auto& e : *arr) {
        auto& t = r.table(e, "category");
        Category c;
        for (auto&& [k, v] : t) {
            std::string key{k.str()};
            std::string full = "category." + key;
            if (key == "name") c.name = r.str(v, full);
            else if (key == "skills") c.skills = r.strings(v, full);
            else if (key == "keywords") c.keywords = r.strings(v, full);
            else if (key == "requires") c.requires_checks = r.strings(v, full);
            else r.fail(v, full, "unknown key");
        }
        if (c.name.empty()) r.fail(e, "category.name", "every category needs a name");
        // Categories resolve case- and space-insensitively: two of one name
        // would make every use of it ambiguous.
        for (auto& prev : out)
            if (text::fold_key(prev.name) == text::fold_key(c.name))
                r.fail(e, "category.name",
                       fmt::format("a second category named '{}' (names must differ, case and spaces aside)", c.name));
        out.push_back(std::move(c));
    }
    return out;
}

using Handler = std::function<void(const toml::node&, const std::string&)>;

bool file_exists(const std::string& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

}  // namespace

std::string discover_config(const std::optional<std::string>& explicit_path,
                            const std::optional<std::string>& store_path) {
    if (explicit_path) {
        if (!file_exists(*explicit_path))
            throw ConfigError(fmt::format("config file {} does not exist", *explicit_path));
        return *explicit_path;
    }
    if (const char* env = std::getenv("TIMEBANK_CONFIG"); env && *env) {
        if (!file_exists(env))
            throw ConfigError(fmt::format("config file {} (from TIMEBANK_CONFIG) does not exist", env));
        return env;
    }
    // Like git: the current directory, else the nearest parent that has one.
    if (file_exists("timebank.toml")) return "timebank.toml";
    std::error_code ec;
    auto cwd = fs::current_path(ec);
    if (!ec) {
        for (auto dir = cwd.parent_path(); !dir.empty(); dir = dir.parent_path()) {
            auto candidate = (dir / "timebank.toml").string();
            if (file_exists(candidate)) return candidate;
            if (dir == dir.root_path()) break;
        }
    }
    // The bank of the store named by --db or TIMEBANK_DB.
    if (store_path && !store_path->empty()) {
        auto beside = (fs::path(*store_path).parent_path() / "timebank.toml").string();
        if (file_exists(beside)) return beside;
    }
    std::string xdg;
    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) xdg = x;
    else if (const char* h = std::getenv("HOME"); h && *h) xdg = std::string(h) + "/.config";
    if (!xdg.empty() && file_exists(xdg + "/timebank/timebank.toml")) return xdg + "/timebank/timebank.toml";
    return {};
}

std::string share_dir() {
    if (const char* env = std::getenv("TB_SHARE_DIR"); env && *env) return env;
    // Installed layout: <prefix>/bin/tb -> <prefix>/share/tb
    char buf[PATH_MAX];
    auto n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = '\0';
        auto rel = fs::path(buf).parent_path().parent_path() / "share" / "tb";
        if (file_exists((rel / "taxonomy.toml").string())) return rel.string();
    }
    if (file_exists(std::string(TB_SHARE_INSTALL_DIR) + "/taxonomy.toml")) return TB_SHARE_INSTALL_DIR;
    return TB_SHARE_BUILD_DIR;
}

std::vector<Category> load_taxonomy(const std::string& path) {
    Reader r(path);
    auto doc = r.parse();
    std::vector<Category> out;
    for (auto&& [k, v] : doc) {
        if (k.str() == "category") out = read_categories(r, v);
        else r.fail(v, std::string(k.str()), "unknown key");
    }
    return out;
}

static ImportMapping load_aliases(const std::string& file, const std::string& section) {
    Reader r(file);
    auto doc = r.parse();
    ImportMapping m;
    if (auto* t = doc[section].as_table()) m = read_mapping(r, *t, section);
    m.aliases = std::move(m.fields);  // built-in: below any explicit mapping
    m.fields.clear();
    return m;
}

namespace {

// What load_config gathers while it reads the sections of one file.
struct ParseState {
    Reader& r;
    Config& c;
    bool store_path_set = false;
    std::map<std::string, std::pair<std::string, std::string>> alias_where;  // spelling -> (FILE:LINE, key)
};

// Reads a section by its table of keys, noting where each value came from.
void walk(ParseState& st, const toml::table& t, const std::string& section,
          const std::map<std::string, Handler>& handlers) {
    for (auto&& [k, v] : t) {
        std::string key = section + "." + std::string(k.str());
        auto it = handlers.find(std::string(k.str()));
        if (it == handlers.end()) st.r.fail(v, key, "unknown key");
        it->second(v, key);
        st.c.origin[key] = st.r.origin_of(v);
    }
}

void read_timebank(ParseState& st, const toml::table& t, const std::string& section) {
    walk(st, t, section,
         {{"name", [&](auto& n, auto& key) { st.c.name = st.r.str(n, key); }},
          {"week_starts",
           [&](auto& n, auto& key) {
               bool monday = st.r.one_of(n, key, {"monday", "sunday"}) == "monday";
               st.c.week_starts = monday ? WeekStart::monday : WeekStart::sunday;
           }}});
}

void read_store(ParseState& st, const toml::table& t, const std::string& section) {
    walk(st, t, section,
         {{"path",
           [&](auto& n, auto& key) {
               st.c.store_path = st.r.str(n, key);
               st.store_path_set = true;
           }},
          {"busy_timeout_ms",
           [&](auto& n, auto& key) { st.c.busy_timeout_ms = static_cast<int>(st.r.integer(n, key, 0, 3'600'000)); }}});
}

void read_policy(ParseState& st, const toml::table& t, const std::string& section) {
    walk(st, t, section,
         {{"min_balance", [&](auto& n, auto& key) { st.c.min_balance = st.r.hours(n, key, true); }},
          {"max_balance", [&](auto& n, auto& key) { st.c.max_balance = st.r.hours(n, key, true); }},
          {"warn_below", [&](auto& n, auto& key) { st.c.warn_below = st.r.hours(n, key, true); }},
          {"max_hours_per_exchange",
           [&](auto& n, auto& key) {
               auto m = st.r.hours(n, key, false);
               if (!m || *m <= 0) st.r.fail(n, key, "must be more than zero");
               st.c.max_minutes_per_exchange = *m;
           }},
          {"backdate_days",
           [&](auto& n, auto& key) { st.c.backdate_days = static_cast<int>(st.r.integer(n, key, 0, 36500)); }},
          {"strict_categories", [&](auto& n, auto& key) { st.c.strict_categories = st.r.boolean(n, key); }}});
}

void read_pot(ParseState& st, const toml::table& t, const std::string& section) {
    walk(st, t, section,
         {{"min_balance", [&](auto& n, auto& key) { st.c.pot_min_balance = st.r.hours(n, key, true); }}});
}

void read_transfer(ParseState& st, const toml::table& t, const std::string& section) {
    walk(st, t, section,
         {{"notes", [&](auto& n, auto& key) {
               st.c.transfer_sends_notes = st.r.one_of(n, key, {"send", "digest"}) == "send";
           }}});
}

void read_safeguarding(ParseState& st, const toml::table& t, const std::string& section) {
    walk(st, t, section,
         {{"checks",
           [&](auto& n, auto& key) {
               st.c.safeguarding_checks = st.r.strings(n, key);
               for (auto& name : st.c.safeguarding_checks)
                   if (text::fold_key(name).empty()) st.r.fail(n, key, "a check needs a name");
           }},
          {"aliases",
           [&](auto& n, auto& key) {
               st.c.check_aliases.clear();
               for (auto&& [ak, av] : st.r.table(n, key)) {
                   std::string spelling{ak.str()};
                   std::string full = key + "." + toml_key(spelling);
                   auto target = st.r.str(av, full);
                   if (text::fold_key(spelling).empty()) st.r.fail(av, full, "an alias needs a spelling");
                   st.c.check_aliases[spelling] = target;
                   st.alias_where[spelling] = {st.r.where(av), full};
               }
           }}});
}

void read_report(ParseState& st, const toml::table& t, const std::string& section) {
    walk(st, t, section,
         {{"inactive_days",
           [&](auto& n, auto& key) { st.c.inactive_days = static_cast<int>(st.r.integer(n, key, 1, 36500)); }},
          {"follow_up_days",
           [&](auto& n, auto& key) { st.c.follow_up_days = static_cast<int>(st.r.integer(n, key, 1, 36500)); }},
          {"value_per_hour",
           [&](auto& n, auto& key) {
               st.c.value_per_hour = st.r.number(n, key);
               if (st.c.value_per_hour < 0) st.r.fail(n, key, "must not be negative");
           }},
          {"currency", [&](auto& n, auto& key) { st.c.currency = st.r.str(n, key); }}});
}

void read_match(ParseState& st, const toml::table& t, const std::string& section) {
    walk(st, t, section,
         {{"max_open_per_member",
           [&](auto& n, auto& key) { st.c.max_open_per_member = static_cast<int>(st.r.integer(n, key, 1, 1000)); }},
          {"fairness",
           [&](auto& n, auto& key) {
               st.c.fairness_owed_first = st.r.one_of(n, key, {"owed-first", "owed-last"}) == "owed-first";
           }},
          {"weights",
           [&](auto& n, auto& key) {
               for (auto&& [wk, wv] : st.r.table(n, key)) {
                   std::string wkey{wk.str()};
                   std::string full = key + "." + wkey;
                   double w = st.r.number(wv, full);
                   if (w < 0) st.r.fail(wv, full, "must not be negative");
                   if (wkey == "skill") st.c.weights.skill = w;
                   else if (wkey == "place") st.c.weights.place = w;
                   else if (wkey == "recency") st.c.weights.recency = w;
                   else if (wkey == "fairness") st.c.weights.fairness = w;
                   else if (wkey == "history") st.c.weights.history = w;
                   else st.r.fail(wv, full, "unknown key");
               }
           }}});
}

void read_import(ParseState& st, const toml::table& t, const std::string& /*section*/) {
    auto& r = st.r;
    auto& c = st.c;
    for (auto&& [ik, iv] : t) {
        std::string sub{ik.str()};
        std::string full = "import." + sub;
        if (sub == "members") c.import_members.merge(read_mapping(r, r.table(iv, full), full));
        else if (sub == "exchanges") c.import_exchanges.merge(read_mapping(r, r.table(iv, full), full));
        else r.fail(iv, full, "unknown key");
        c.origin[full] = r.origin_of(iv);
    }
}

// An alias must lead to a check name (one a category requires, or one
// [safeguarding] checks lists), wherever in the file those are.
void check_aliases_known(const ParseState& st) {
    auto& c = st.c;
    auto& alias_where = st.alias_where;
    if (!c.check_aliases.empty()) {
        std::vector<std::string> known;
        for (auto& cat : c.categories) known.insert(known.end(), cat.requires_checks.begin(), cat.requires_checks.end());
        known.insert(known.end(), c.safeguarding_checks.begin(), c.safeguarding_checks.end());
        for (auto& [spelling, target] : c.check_aliases) {
            bool found = false;
            for (auto& k : known) found = found || text::fold_key(k) == text::fold_key(target);
            if (!found) {
                auto& [where, key] = alias_where.at(spelling);
                std::vector<std::string> names;
                for (auto& k : known)
                    if (std::find(names.begin(), names.end(), k) == names.end()) names.push_back(k);
                throw ConfigError(fmt::format("{}: {}: '{}' is not a check name (the check names are {})", where, key,
                                              target, names.empty() ? "none" : text::join(names, ", ")));
            }
        }
    }
}

// Values that contradict each other (SPEC "Configuration").
void check_contradictions(const Config& c, const std::string& path) {
    auto contradiction = [&](const std::string& key, const std::string& what) {
        auto it = c.origin.find(key);
        throw ConfigError(fmt::format("{}: {}: {}", it == c.origin.end() ? path : it->second.text(), key, what));
    };
    if (c.min_balance && c.max_balance && *c.min_balance > *c.max_balance)
        contradiction(c.origin.count("policy.min_balance") ? "policy.min_balance" : "policy.max_balance",
                      fmt::format("min_balance {} is above max_balance {}", format_hours(*c.min_balance),
                                  format_hours(*c.max_balance)));
    if (c.min_balance && *c.min_balance > 0)
        contradiction("policy.min_balance",
                      fmt::format("{} hours is above 0: a new member, at 0, would already be below it",
                                  format_hours(*c.min_balance)));
    if (c.max_balance && *c.max_balance < 0)
        contradiction("policy.max_balance",
                      fmt::format("{} hours is below 0: a new member, at 0, would already be above it",
                                  format_hours(*c.max_balance)));
}

}  // namespace

Config load_config(const std::string& path) {
    Config c;
    auto share = share_dir();
    auto taxonomy = share + "/taxonomy.toml";
    if (file_exists(taxonomy)) {
        c.categories = load_taxonomy(taxonomy);
        c.categories_source = taxonomy;
    }
    auto aliases = share + "/aliases.toml";
    if (file_exists(aliases)) {
        c.import_members = load_aliases(aliases, "members");
        c.import_exchanges = load_aliases(aliases, "exchanges");
    }
    if (path.empty()) return c;

    c.file = path;
    Reader r(path);
    auto doc = r.parse();
    ParseState st{r, c, false, {}};
    using SectionReader = void (*)(ParseState&, const toml::table&, const std::string&);
    static const std::map<std::string, SectionReader> readers{
        {"timebank", read_timebank}, {"store", read_store},   {"policy", read_policy},
        {"pot", read_pot},           {"transfer", read_transfer}, {"safeguarding", read_safeguarding},
        {"report", read_report},     {"match", read_match},   {"import", read_import}};
    for (auto&& [k, v] : doc) {
        std::string section{k.str()};
        if (section == "category") {
            c.categories = read_categories(r, v);
            c.categories_source = r.where(v);
            continue;
        }
        auto& t = r.table(v, section);
        auto it = readers.find(section);
        if (it == readers.end()) r.fail(v, section, "unknown key");
        it->second(st, t, section);
    }
    check_aliases_known(st);
    check_contradictions(c, path);
    // [store] path is relative to the config file; without one, the store
    // is timebank.db beside the config file.
    if (!path.empty() && !fs::path(c.store_path).is_absolute()) {
        auto base = fs::path(path).parent_path();
        c.store_path = (base / c.store_path).lexically_normal().string();
        if (!st.store_path_set) c.origin["store.path"] = {ValueOrigin::Source::default_value, path, 0, {}};
    }
    return c;
}

ImportMapping load_mapping_file(const std::string& path) {
    if (!file_exists(path)) throw ConfigError(fmt::format("mapping file {} does not exist", path));
    Reader r(path);
    auto doc = r.parse();
    return read_mapping(r, doc, "");
}

ImportMapping load_preset(const std::string& name, const std::string& section) {
    auto dir = share_dir() + "/presets";
    std::vector<std::string> known;
    std::error_code ec;
    for (auto& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".toml") known.push_back(e.path().stem().string());
    std::sort(known.begin(), known.end());
    if (std::find(known.begin(), known.end(), name) == known.end())
        throw UsageError(fmt::format("no preset '{}' (presets: {})", name,
                                     known.empty() ? std::string("none installed in " + dir) : text::join(known, ", ")));
    auto path = dir + "/" + name + ".toml";
    Reader r(path);
    auto doc = r.parse();
    for (auto&& [k, v] : doc)
        if (k.str() != "members" && k.str() != "exchanges") r.fail(v, std::string(k.str()), "unknown key (use [members] or [exchanges])");
    auto* t = doc[section].as_table();
    if (!t) throw UsageError(fmt::format("preset '{}' has no mapping for {} files", name, section));
    return read_mapping(r, *t, section);
}

namespace {

std::string toml_str(const std::string& s) {
    std::ostringstream os;
    os << toml::value<std::string>(s);
    return os.str();
}

// Hours as TOML text and as a JSON number (the same digits).
std::pair<std::string, Json> hours_of(Minutes m) { return {json_hours(m), hours_json(m)}; }

std::pair<std::string, Json> limit_of(const std::optional<Minutes>& m) {
    if (!m) return {"\"none\"", Json(nullptr)};
    return hours_of(*m);
}

std::string list_value(const std::vector<std::string>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ", ";
        out += toml_str(v[i]);
    }
    return out + "]";
}

std::pair<std::string, Json> number_of(double d) { return {text::format_number(d), number_json(d)}; }

std::pair<std::string, Json> string_of(const std::string& s) { return {toml_str(s), Json(s)}; }
// A keyword: "monday" (double quotes, as the starter config writes them).
std::pair<std::string, Json> word_of(const std::string& s) { return {"\"" + s + "\"", Json(s)}; }

}  // namespace

std::string ValueOrigin::text() const {
    switch (source) {
        case Source::file: return fmt::format("{}:{}", file, line);
        case Source::option:
        case Source::environment: return name;
        default: return file.empty() ? std::string("default") : fmt::format("default (beside {})", file);
    }
}

const char* ValueOrigin::source_name() const {
    switch (source) {
        case Source::file: return "file";
        case Source::option: return "option";
        case Source::environment: return "environment";
        default: return "default";
    }
}

std::vector<ConfigEntry> config_entries(const Config& c) {
    std::vector<ConfigEntry> rows;
    auto add = [&](const std::string& key, std::pair<std::string, Json> value) {
        auto it = c.origin.find(key);
        rows.push_back({key, std::move(value.first), std::move(value.second),
                        it == c.origin.end() ? ValueOrigin{} : it->second});
    };
    auto integer = [](std::int64_t i) { return std::pair<std::string, Json>{std::to_string(i), Json(i)}; };
    add("timebank.name", string_of(c.name));
    add("timebank.week_starts", word_of(c.week_starts == WeekStart::monday ? "monday" : "sunday"));
    add("store.path", string_of(c.store_path));
    add("store.busy_timeout_ms", integer(c.busy_timeout_ms));
    add("policy.min_balance", limit_of(c.min_balance));
    add("policy.max_balance", limit_of(c.max_balance));
    add("policy.max_hours_per_exchange", hours_of(c.max_minutes_per_exchange));
    add("policy.backdate_days", integer(c.backdate_days));
    add("policy.strict_categories", {c.strict_categories ? "true" : "false", Json(c.strict_categories)});
    add("policy.warn_below", limit_of(c.warn_below));
    add("pot.min_balance", limit_of(c.pot_min_balance));
    add("transfer.notes", word_of(c.transfer_sends_notes ? "send" : "digest"));
    add("safeguarding.checks", {list_value(c.safeguarding_checks), Json(c.safeguarding_checks)});
    {
        std::vector<std::string> pairs;
        Json aliases = Json::object();
        for (auto& [spelling, target] : c.check_aliases) {
            pairs.push_back(fmt::format("{} = {}", toml_key(spelling), toml_str(target)));
            aliases[spelling] = target;
        }
        add("safeguarding.aliases", {pairs.empty() ? "{}" : "{ " + text::join(pairs, ", ") + " }", aliases});
    }
    add("report.inactive_days", integer(c.inactive_days));
    add("report.follow_up_days", integer(c.follow_up_days));
    add("report.value_per_hour", number_of(c.value_per_hour));
    add("report.currency", string_of(c.currency));
    add("match.max_open_per_member", integer(c.max_open_per_member));
    add("match.fairness", word_of(c.fairness_owed_first ? "owed-first" : "owed-last"));
    {
        const std::pair<const char*, double> parts[] = {{"skill", c.weights.skill},
                                                        {"place", c.weights.place},
                                                        {"recency", c.weights.recency},
                                                        {"fairness", c.weights.fairness},
                                                        {"history", c.weights.history}};
        std::vector<std::string> text;
        Json weights = Json::object();
        for (auto& [name, w] : parts) {
            auto [t, j] = number_of(w);
            text.push_back(fmt::format("{} = {}", name, t));
            weights[name] = j;
        }
        add("match.weights", {"{ " + text::join(text, ", ") + " }", weights});
    }
    return rows;
}

std::string config_to_toml(const Config& c) {
    std::string out = fmt::format("# effective configuration; config file: {}\n",
                                  c.file.empty() ? "none (built-in defaults)" : c.file);
    std::string section;
    for (auto& e : config_entries(c)) {
        auto& key = e.key;
        auto dot = key.find('.');
        auto sec = key.substr(0, dot);
        if (sec != section) {
            out += fmt::format("\n[{}]\n", sec);
            section = sec;
        }
        out += fmt::format("{} = {}  # {}\n", key.substr(dot + 1), e.toml, e.origin.text());
    }
    out += fmt::format("\n# categories from {}\n", c.categories_source.empty() ? "nowhere" : c.categories_source);
    for (auto& cat : c.categories) {
        out += fmt::format("[[category]]\nname = {}\nskills = {}\n", toml_str(cat.name), list_value(cat.skills));
        if (!cat.keywords.empty()) out += fmt::format("keywords = {}\n", list_value(cat.keywords));
        if (!cat.requires_checks.empty()) out += fmt::format("requires = {}\n", list_value(cat.requires_checks));
        out += "\n";
    }
    return out;
}

}  // namespace tb
