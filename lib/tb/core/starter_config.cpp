#include "tb/core/starter_config.hpp"

#include <fmt/format.h>

namespace tb {

// A TOML basic string: quotes, backslashes and control characters (DEL
// included) escaped; UTF-8 as it is.
static std::string toml_quote(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) out += fmt::format("\\u{:04X}", c);
                else out += ch;
        }
    }
    return out + '"';
}

static std::string quoted_list(const std::vector<std::string>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + toml_quote(v[i]);
    return out + "]";
}

std::string starter_config(const std::string& bank_name, const std::string& store_path,
                           const std::vector<Category>& taxonomy) {
    std::string out = fmt::format(R"(# timebank.toml: configuration of the tb toolkit (see man 5 timebank.toml).
# Every key is optional; an unknown key or a wrong type is an error.

[timebank]
name = {}
week_starts = "monday"          # or "sunday"

[store]
path = {}            # relative to this file
busy_timeout_ms = 5000

[policy]
min_balance = -20               # hours; "none" for no limit
max_balance = "none"
max_hours_per_exchange = 24
backdate_days = 365
strict_categories = true         # a category must resolve to the taxonomy below
# warn_below = -15              # warn (and list in the weekly report) below this

# Safeguarding check names: those the categories below `require`, plus these.
# Any other name is refused; aliases map other spellings onto a name.
# [safeguarding]
# checks = ["dbs", "driving-licence"]
# aliases = {{ "enhanced dbs" = "dbs", "dbs check" = "dbs" }}

[report]
inactive_days = 90
follow_up_days = 7              # the weekly report lists proposals pending longer
value_per_hour = 11.44          # for social-value
currency = "GBP"

[match]
max_open_per_member = 2
fairness = "owed-first"         # or "owed-last"
weights = {{ skill = 1.0, place = 0.5, recency = 0.3, fairness = 0.3, history = 0.2 }}

# Extra spreadsheet header aliases, on top of the shipped ones:
# [import.members]
# id = ["Membership No", "Member #"]
# name = [["First name", "Surname"]]

# The skill taxonomy. These [[category]] tables replace the shipped default
# when present; `requires` lists safeguarding checks a provider must hold.
)",
                                  toml_quote(bank_name), toml_quote(store_path));
    for (auto& c : taxonomy) {
        out += fmt::format("\n[[category]]\nname = {}\nskills = {}\n", toml_quote(c.name), quoted_list(c.skills));
        if (!c.keywords.empty()) out += fmt::format("keywords = {}\n", quoted_list(c.keywords));
        if (!c.requires_checks.empty()) out += fmt::format("requires = {}\n", quoted_list(c.requires_checks));
    }
    return out;
}

}  // namespace tb
