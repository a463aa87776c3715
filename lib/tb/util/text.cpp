#include "tb/util/text.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

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

}  // namespace tb::text
