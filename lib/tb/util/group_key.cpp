#include "tb/util/group_key.hpp"

#include <cctype>

#include "tb/util/text.hpp"

namespace tb::text {

std::string group_spelling(std::string_view value) {
    std::string out;
    for (char c : trim(value)) {
        bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
        if (space && !out.empty() && out.back() == ' ') continue;
        out += space ? ' ' : c;
    }
    return out.empty() ? std::string("(none)") : out;
}

std::string group_key(std::string_view value) {
    auto shown = group_spelling(value);
    return shown == "(none)" ? std::string("\x01none") : fold_key(shown);
}

}  // namespace tb::text
