#include "tb/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace tb::text {

std::string_view trim(std::string_view s) {
    const char* ws = " \t\r\n\f\v";
    auto b = s.find_first_not_of(ws);
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string fold_key(std::string_view s) {
    std::string out;
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (std::isspace(u) || c == '_' || c == '-') continue;
        out += static_cast<char>(std::tolower(u));
    }
    return out;
}

std::vector<std::string> split(std::string_view s, char sep, bool trim_parts, bool drop_empty) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        auto pos = s.find(sep, start);
        auto part = s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start);
        if (trim_parts) part = trim(part);
        if (!(drop_empty && part.empty())) out.emplace_back(part);
        if (pos == std::string_view::npos) break;
        start = pos + 1;
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += sep;
        out += parts[i];
    }
    return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) !=
            std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    return true;
}

bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n;
        char32_t cp;
        if (c < 0x80) { ++i; continue; }
        if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
        else return false;
        if (i + n >= s.size()) return false;
        for (std::size_t k = 1; k <= n; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are invalid.
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return false;
        i += n + 1;
    }
    return true;
}

std::size_t display_width(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

std::string postcode_district(std::string_view postcode) {
    std::string compact;
    for (char c : postcode)
        if (!std::isspace(static_cast<unsigned char>(c))) compact += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (compact.empty()) return {};
    // With a space, the outward code is what comes before it.
    auto trimmed = trim(postcode);
    if (auto sp = trimmed.find_first_of(" \t"); sp != std::string_view::npos) {
        std::string out;
        for (char c : trimmed.substr(0, sp)) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return out;
    }
    // Without one, the inward code is always the last three characters.
    if (compact.size() >= 5) return compact.substr(0, compact.size() - 3);
    return compact;
}

}  // namespace tb::text

namespace tb::text {
namespace {

// Base letters of U+00C0..U+017F: '*' is a letter of two (handled below),
// '!' a character kept as it is (the multiplication and division signs).
constexpr std::string_view kLatinBase =
    // U+00C0..U+00DF
    "aaaaaa*ceeeeiiiidnooooo!ouuuuy**"
    // U+00E0..U+00FF
    "aaaaaa*ceeeeiiiidnooooo!ouuuuy*y"
    // U+0100..U+017F
    "aaaaaa"
    "cccccccc"
    "dddd"
    "eeeeeeeeee"
    "gggggggg"
    "hhhh"
    "iiiiiiiiii"
    "**"
    "jj"
    "kkk"
    "llllllllll"
    "nnnnnnnnn"
    "oooooo"
    "**"
    "rrrrrr"
    "ssssssss"
    "tttttt"
    "uuuuuuuuuuuu"
    "ww"
    "yyy"
    "zzzzzz"
    "s";
static_assert(kLatinBase.size() == 0x180 - 0xC0);

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Decodes one UTF-8 sequence at s[i]; an invalid byte is returned as itself
// (as a code point of its own value, flagged) and consumes one byte.
char32_t decode_at(std::string_view s, std::size_t& i, bool& valid) {
    auto c = static_cast<unsigned char>(s[i]);
    valid = true;
    if (c < 0x80) {
        ++i;
        return c;
    }
    std::size_t n = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
    if (n == 0 || i + n >= s.size()) {
        valid = false;
        ++i;
        return c;
    }
    char32_t cp = c & (n == 1 ? 0x1F : n == 2 ? 0x0F : 0x07);
    for (std::size_t k = 1; k <= n; ++k) {
        auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) {
            valid = false;
            ++i;
            return c;
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    i += n + 1;
    return cp;
}

std::string fold(std::string_view s, bool drop_spaces) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        auto start = i;
        bool valid;
        char32_t cp = decode_at(s, i, valid);
        if (!valid) {
            out += s[start];
            continue;
        }
        if (cp < 0x80) {
            auto u = static_cast<unsigned char>(cp);
            if (drop_spaces && std::isspace(u)) continue;
            out += static_cast<char>(std::tolower(u));
        } else if (cp == 0xA0 || cp == 0x2007 || cp == 0x202F || (cp >= 0x2000 && cp <= 0x200A)) {
            if (!drop_spaces) out += ' ';
        } else if (cp >= 0x300 && cp <= 0x36F) {
            // A combining accent (a decomposed é is e + U+0301): dropped.
        } else if (cp >= 0xC0 && cp < 0x180) {
            char base = kLatinBase[cp - 0xC0];
            if (base == '!') {
                out.append(s.substr(start, i - start));
            } else if (base != '*') {
                out += base;
            } else {
                switch (cp) {
                    case 0xC6: case 0xE6: out += "ae"; break;
                    case 0xDE: case 0xFE: out += "th"; break;
                    case 0xDF: out += "ss"; break;
                    case 0x132: case 0x133: out += "ij"; break;
                    default: out += "oe"; break;  // U+0152, U+0153
                }
            }
        } else if (cp >= 0x218 && cp <= 0x21B) {
            out += cp < 0x21A ? 's' : 't';  // Ș ș Ț ț (Romanian)
        } else if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC) {
            out += '\'';
        } else if (cp >= 0x391 && cp <= 0x3A9) {
            append_utf8(out, cp + 0x20);  // Greek capitals
        } else if (cp >= 0x410 && cp <= 0x42F) {
            append_utf8(out, cp + 0x20);  // Cyrillic capitals
        } else if (cp >= 0x400 && cp <= 0x40F) {
            append_utf8(out, cp + 0x50);
        } else {
            out.append(s.substr(start, i - start));
        }
    }
    return out;
}

}  // namespace

std::string fold_accents(std::string_view s) { return fold(s, false); }

std::string fold_name(std::string_view s) { return fold(s, true); }

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment: insertions, deletions, substitutions and
    // swaps of two neighbours ("lsit" is one error from "list").
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
    auto w = lower(word);
    std::string best;
    std::size_t best_d = 0;
    for (auto& c : candidates) {
        auto d = edit_distance(w, lower(c));
        if (best.empty() || d < best_d) {
            best = c;
            best_d = d;
        }
    }
    if (best.empty()) return {};
    // Near enough: a typo or two, or a prefix of the word ("inactiv").
    std::size_t allowed = std::max<std::size_t>(1, std::min<std::size_t>(3, w.size() / 3));
    auto lb = lower(best);
    if (best_d <= allowed || (w.size() >= 3 && lb.rfind(w, 0) == 0)) return best;
    return {};
}

}  // namespace tb::text

namespace tb::text {

std::string escape_controls(std::string_view s, bool keep_newlines) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (keep_newlines && (c == '\n' || c == '\t')) {
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
            out += fmt::format("\\x{:02x}", c);
        } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
            out += fmt::format("\\u{:04x}", static_cast<unsigned char>(s[i + 1]));
            ++i;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string shorten(std::string_view s, std::size_t max) {
    std::size_t points = 0, i = 0;
    for (; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
        if (points++ == max) break;
    }
    if (i >= s.size()) return std::string(s);
    return std::string(s.substr(0, i)) + "...";
}

std::string printable_message(std::string_view msg) {
    constexpr std::size_t kMax = 60;
    std::string out;
    out.reserve(std::min<std::size_t>(msg.size(), 4096));
    std::size_t i = 0;
    auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\t'; };
    while (i < msg.size()) {
        char c = msg[i];
        // A quoted value: from an opening quote (at the start or after a
        // space, '(' or '=') to the next same quote followed by a space,
        // punctuation or the end.
        if ((c == '\'' || c == '"') && (i == 0 || is_space(msg[i - 1]) || msg[i - 1] == '(' || msg[i - 1] == '=')) {
            std::size_t j = i + 1;
            std::size_t close = std::string_view::npos;
            while ((j = msg.find(c, j)) != std::string_view::npos) {
                if (j + 1 == msg.size() || std::string_view(" \n\t,;:.)!?").find(msg[j + 1]) != std::string_view::npos) {
                    close = j;
                    break;
                }
                ++j;
            }
            if (close != std::string_view::npos) {
                out += c;
                out += shorten(msg.substr(i + 1, close - i - 1), kMax);
                out += c;
                i = close + 1;
                continue;
            }
        }
        if (!is_space(c)) {
            std::size_t j = i;
            while (j < msg.size() && !is_space(msg[j])) ++j;
            auto word = msg.substr(i, j - i);
            // Paths are shown whole: the user needs them to find the file.
            bool path = word.find('/') != std::string_view::npos && word.size() < 1024;
            out += path ? std::string(word) : shorten(word, kMax);
            i = j;
            continue;
        }
        out += c;
        ++i;
    }
    return escape_controls(out, true);
}

std::string format_number(double d) {
    auto s = fmt::format("{:.6f}", d);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

}  // namespace tb::text
