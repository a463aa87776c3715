// .xlsx: the small parts (package and workbook relationships, workbook,
// styles) are read whole with pugixml; shared strings and the sheet itself
// are streamed through expat, the sheet one row at a time.
#include "tb/io/xlsx_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <optional>
#include <string_view>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "tb/io/zip_archive.hpp"
#include "tb/util/date.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::io {

namespace detail {

std::string excel_serial_date(double serial, bool date1904) {
    if (!std::isfinite(serial) || serial < 0 || serial > 2958465.0) return {};  // 9999-12-31
    // Round to the second first: 45000.99999999999 is 45000 at 23:59:59.
    auto seconds = std::llround(serial * 86400.0);
    auto days = static_cast<int>(seconds / 86400);
    Date d;
    if (date1904) {
        d = from_ymd(1904, 1, 1) + days;
    } else if (days >= 61) {
        d = from_ymd(1899, 12, 30) + days;
    } else if (days == 60) {
        return "1900-02-29";  // Excel's Lotus-compatible day that never was
    } else if (days >= 1) {
        d = from_ymd(1899, 12, 31) + days;
    } else {
        return {};  // 0 is "1900-01-00": a time of day, not a date
    }
    return to_string(d);
}

NumberKind number_format_kind(int id, const std::string& format_code) {
    if (id >= 14 && id <= 17) return NumberKind::date;
    if (id >= 18 && id <= 21) return NumberKind::time;
    if (id == 22) return NumberKind::date;  // m/d/yy h:mm: the date matters to us
    if (id == 45 || id == 47) return NumberKind::time;
    if (id == 46) return NumberKind::elapsed;
    if ((id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return NumberKind::date;  // East Asian
    if (id < 164 && format_code.empty()) return NumberKind::number;

    // A custom format: look at its first section, leaving out quoted text,
    // escaped and padding characters, [colours]/[$-locale], and AM/PM.
    bool d = false, y = false, m = false, h = false, s = false, elapsed = false;
    bool in_quote = false;
    for (std::size_t i = 0; i < format_code.size(); ++i) {
        char c = format_code[i];
        if (in_quote) {
            if (c == '"') in_quote = false;
            continue;
        }
        if (c == '"') {
            in_quote = true;
        } else if (c == '\\' || c == '_' || c == '*') {
            ++i;
        } else if (c == ';') {
            break;
        } else if (c == '[') {
            auto close = format_code.find(']', i);
            if (close == std::string::npos) break;
            auto inner = text::lower(std::string_view(format_code).substr(i + 1, close - i - 1));
            if (!inner.empty() && inner.find_first_not_of("hms") == std::string::npos) {
                elapsed = true;
                h = h || inner[0] == 'h';
                m = m || inner[0] == 'm';
                s = s || inner[0] == 's';
            }
            i = close;
        } else if (text::starts_with_ci(std::string_view(format_code).substr(i), "am/pm")) {
            i += 4;
        } else if (text::starts_with_ci(std::string_view(format_code).substr(i), "a/p")) {
            i += 2;
        } else {
            switch (c) {
            case 'd': case 'D': d = true; break;
            case 'y': case 'Y': y = true; break;
            case 'm': case 'M': m = true; break;
            case 'h': case 'H': h = true; break;
            case 's': case 'S': s = true; break;
            default: break;
            }
        }
    }
    if (d || y) return NumberKind::date;
    if (h || s) return elapsed ? NumberKind::elapsed : NumberKind::time;
    if (m) return elapsed ? NumberKind::elapsed : NumberKind::date;
    return NumberKind::number;
}

}  // namespace detail

namespace {

using detail::NumberKind;

std::string_view local_name(const char* n) {
    const char* colon = std::strchr(n, ':');
    return colon ? std::string_view(colon + 1) : std::string_view(n);
}

template <typename F>
void for_children(const pugi::xml_node& node, std::string_view local, F&& f) {
    for (auto child : node.children())
        if (child.type() == pugi::node_element && local_name(child.name()) == local) f(child);
}

pugi::xml_node first_child(const pugi::xml_node& node, std::string_view local) {
    for (auto child : node.children())
        if (child.type() == pugi::node_element && local_name(child.name()) == local) return child;
    return {};
}

// The value of an attribute by local name; `prefixed` asks for one with a
// namespace prefix (r:id) rather than a plain one.
const char* attr_local(const pugi::xml_node& node, std::string_view local, bool prefixed = false) {
    for (auto a : node.attributes()) {
        bool has_prefix = std::strchr(a.name(), ':') != nullptr;
        if (has_prefix == prefixed && local_name(a.name()) == local) return a.value();
    }
    return nullptr;
}

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

std::string dir_of(const std::string& part) {
    auto slash = part.rfind('/');
    return slash == std::string::npos ? std::string{} : part.substr(0, slash + 1);
}

// A relationship target, relative to the folder of the part that names it
// (or absolute from the package root), as a part name.
std::string resolve_target(const std::string& base_dir, const std::string& target) {
    std::string full = (!target.empty() && target[0] == '/') ? target.substr(1) : base_dir + target;
    std::vector<std::string> out;
    for (auto& seg : text::split(full, '/', false, true)) {
        if (seg == ".") continue;
        if (seg == "..") {
            if (!out.empty()) out.pop_back();
            continue;
        }
        out.push_back(seg);
    }
    return text::join(out, "/");
}

// _xHHHH_ stands for a character XML cannot hold (often _x000D_ for a
// carriage return); _x005F_ escapes the underscore itself.
void decode_ooxml_escapes(std::string& s, std::size_t from = 0) {
    if (s.find("_x", from) == std::string::npos) return;
    std::string out;
    out.reserve(s.size() - from);
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = from; i < s.size();) {
        if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
            int v = 0;
            bool ok = true;
            for (int k = 2; k < 6; ++k) {
                int hv = hex(s[i + k]);
                if (hv < 0) ok = false;
                v = v * 16 + hv;
            }
            if (ok) {
                auto cp = static_cast<unsigned>(v);
                if (cp < 0x80) {
                    out += static_cast<char>(cp);
                } else if (cp < 0x800) {
                    out += static_cast<char>(0xC0 | (cp >> 6));
                    out += static_cast<char>(0x80 | (cp & 0x3F));
                } else {
                    out += static_cast<char>(0xE0 | (cp >> 12));
                    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                    out += static_cast<char>(0x80 | (cp & 0x3F));
                }
                i += 7;
                continue;
            }
        }
        out += s[i++];
    }
    s.resize(from);
    s += out;
}

std::optional<double> parse_double(std::string_view s) {
    s = text::trim(s);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

std::optional<std::size_t> parse_index(std::string_view s) {
    s = text::trim(s);
    std::size_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

// "C5" -> column 2 (0-based); nullopt if there are no letters.
std::optional<std::size_t> column_of(std::string_view ref) {
    std::size_t col = 0, i = 0;
    for (; i < ref.size(); ++i) {
        char c = ref[i];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') break;
        col = col * 26 + static_cast<std::size_t>(c - 'A' + 1);
        if (col > 1'000'000) return std::nullopt;
    }
    if (i == 0) return std::nullopt;
    return col - 1;
}

std::string time_text(double serial, bool elapsed) {
    if (!std::isfinite(serial) || std::fabs(serial) > 1e7) return {};
    auto seconds = std::llround(serial * 86400.0);
    bool negative = seconds < 0;
    if (negative) seconds = -seconds;
    if (!elapsed) seconds %= 86400;
    auto h = seconds / 3600, m = (seconds / 60) % 60, s = seconds % 60;
    std::string out = fmt::format("{}{}:{:02}", negative ? "-" : "", h, m);
    if (s) out += fmt::format(":{:02}", s);
    return out;
}

constexpr std::size_t kMaxColumns = 16384;  // XFD, the last column Excel has
constexpr std::size_t kMaxCell = 64u << 10;             // SPEC "Cells": a cell over 64 KiB
constexpr std::size_t kMaxRowBytes = 16u << 20;         // one row's cells together

}  // namespace

struct XlsxReader::Impl {
    ZipArchive zip;
    std::string name;
    ReadOptions opts;
    bool date1904 = false;
    std::vector<std::string> sheet_names;
    std::vector<std::string> sheet_parts;
    std::vector<NumberKind> style_kinds;  // by cellXfs index
    std::string strings;                  // shared strings, back to back
    std::vector<std::size_t> string_starts;
    std::string sheet_name;

    struct SheetHandler;
    std::unique_ptr<SheetHandler> handler;
    std::unique_ptr<XmlStream> stream;
    std::deque<SourceRow> ready;

    Impl(const std::string& path, const ReadOptions& o)
        : zip(path, display_name(path), ".xlsx"), name(display_name(path)), opts(o) {}

    pugi::xml_document load(const std::string& part) const {
        pugi::xml_document doc;
        std::string data = zip.read(part);
        auto res = doc.load_buffer(data.data(), data.size());
        if (!res) zip.corrupt(fmt::format("{}: {}", part, res.description()));
        return doc;
    }

    struct Rel {
        std::string type, target;
    };
    std::vector<std::pair<std::string, Rel>> rels_of(const std::string& part) const {
        std::string rels_part = dir_of(part) + "_rels/" + part.substr(dir_of(part).size()) + ".rels";
        std::vector<std::pair<std::string, Rel>> out;
        if (!zip.has(rels_part)) return out;
        auto doc = load(rels_part);
        for_children(doc.document_element(), "Relationship", [&](const pugi::xml_node& r) {
            const char* id = attr_local(r, "Id");
            const char* type = attr_local(r, "Type");
            const char* target = attr_local(r, "Target");
            const char* mode = attr_local(r, "TargetMode");
            if (!id || !target || (mode && std::string_view(mode) == "External")) return;
            out.push_back({id, Rel{type ? type : "", resolve_target(dir_of(part), target)}});
        });
        return out;
    }

    std::string workbook_part() const {
        auto root = rels_of("");  // "_rels/.rels"
        for (auto& [id, rel] : root)
            if (ends_with(rel.type, "/officeDocument")) return rel.target;
        return "xl/workbook.xml";
    }

    void read_styles(const std::string& part) {
        auto doc = load(part);
        auto root = doc.document_element();
        std::vector<std::pair<int, std::string>> custom;
        for_children(first_child(root, "numFmts"), "numFmt", [&](const pugi::xml_node& f) {
            const char* id = attr_local(f, "numFmtId");
            const char* code = attr_local(f, "formatCode");
            if (id && code) custom.emplace_back(std::atoi(id), code);
        });
        for_children(first_child(root, "cellXfs"), "xf", [&](const pugi::xml_node& xf) {
            const char* id_text = attr_local(xf, "numFmtId");
            int id = id_text ? std::atoi(id_text) : 0;
            std::string code;
            for (auto& [cid, ccode] : custom)
                if (cid == id) code = ccode;
            style_kinds.push_back(detail::number_format_kind(id, code));
        });
    }

    struct SharedStringsHandler : XmlStream::Handler {
        Impl& r;
        bool in_t = false;
        int phonetic = 0;  // inside <rPh>: a reading guide, not the text
        std::size_t si_start = 0;
        explicit SharedStringsHandler(Impl& impl) : r(impl) {}
        void start(std::string_view, std::string_view local, const char**) override {
            if (local == "si") {
                si_start = r.strings.size();
                r.string_starts.push_back(si_start);
                if (!failed && r.strings.size() + r.string_starts.size() * sizeof(std::size_t) > r.opts.max_shared_strings) {
                    failed = true;
                    stream->fail(fmt::format("{}: {}: the shared string table is larger than {} MiB", r.name, part,
                                             r.opts.max_shared_strings >> 20));
                }
            } else if (local == "t") {
                in_t = phonetic == 0;
            } else if (local == "rPh") {
                ++phonetic;
            }
        }
        void end(std::string_view, std::string_view local) override {
            if (local == "t") in_t = false;
            else if (local == "rPh") --phonetic;
            else if (local == "si") decode_ooxml_escapes(r.strings, si_start);
        }
        void text(std::string_view s) override {
            if (!in_t || failed) return;
            r.strings.append(s);
            // Checked as the text comes, so that a huge string fails after
            // 64 KiB of it, not after it has filled the memory.
            if (r.strings.size() - si_start > kMaxCell) {
                failed = true;
                stream->fail(fmt::format("{}: {}: shared string {} is longer than {} KiB", r.name, part,
                                         r.string_starts.size(), kMaxCell >> 10));
            } else if (r.strings.size() + r.string_starts.size() * sizeof(std::size_t) > r.opts.max_shared_strings) {
                failed = true;
                stream->fail(fmt::format("{}: {}: the shared string table is larger than {} MiB", r.name, part,
                                         r.opts.max_shared_strings >> 20));
            }
        }
        XmlStream* stream = nullptr;
        std::string part;
        bool failed = false;
    };

    void read_shared_strings(const std::string& part) {
        SharedStringsHandler h(*this);
        h.part = part;
        XmlStream xs(zip.open(part), h, zip);
        h.stream = &xs;
        while (xs.resume()) {
        }
        string_starts.push_back(strings.size());
    }

    std::size_t shared_count() const { return string_starts.empty() ? 0 : string_starts.size() - 1; }
    std::string_view shared(std::size_t i) const {
        return std::string_view(strings).substr(string_starts[i], string_starts[i + 1] - string_starts[i]);
    }

    struct SheetHandler : XmlStream::Handler {
        Impl& r;
        XmlStream* stream = nullptr;
        bool in_data = false, in_row = false, in_c = false, in_v = false, in_is = false, in_t = false;
        int phonetic = 0;
        std::size_t line = 0;
        std::size_t next_col = 0, col = 0;
        std::string type;
        std::size_t style = 0;
        std::string value;
        std::vector<std::string> cells;
        explicit SheetHandler(Impl& impl) : r(impl) {}

        void start(std::string_view, std::string_view local, const char** attrs) override {
            if (failed) return;
            if (!in_data) {
                if (local == "sheetData") in_data = true;
                return;
            }
            if (local == "row") {
                // SPEC "Cells": a row whose number is missing, 0 or not
                // after the one before rejects the file (a row dropped or
                // read twice would go unnoticed otherwise).
                const char* ref = XmlStream::attr(attrs, "", "r");
                auto n = ref ? parse_index(ref) : std::nullopt;
                if (!ref) return bad_row(fmt::format("{}: the row after row {} has no row number (r)", r.name, line));
                if (!n || *n == 0 || *n > 1'048'576)
                    return bad_row(fmt::format("{}: the row after row {} has the row number r=\"{}\"", r.name, line,
                                               text::shorten(ref, 20)));
                if (*n <= line)
                    return bad_row(fmt::format("{}: row {} comes after row {} (rows out of order)", r.name, *n, line));
                line = *n;
                row_bytes = 0;
                in_row = true;
                next_col = 0;
                cells.clear();
            } else if (local == "c" && in_row) {
                const char* ref = XmlStream::attr(attrs, "", "r");
                auto c = ref ? column_of(ref) : std::nullopt;
                col = c ? *c : next_col;
                const char* t = XmlStream::attr(attrs, "", "t");
                type = t ? t : "n";
                const char* s = XmlStream::attr(attrs, "", "s");
                auto si = s ? parse_index(s) : std::nullopt;
                style = si ? *si : 0;
                value.clear();
                in_c = true;
            } else if (in_c && local == "v") {
                in_v = true;
            } else if (in_c && local == "is") {
                in_is = true;
            } else if (in_is && local == "t") {
                in_t = phonetic == 0;
            } else if (in_is && local == "rPh") {
                ++phonetic;
            }
        }

        void end(std::string_view, std::string_view local) override {
            if (!in_data || failed) return;
            if (local == "v") {
                in_v = false;
            } else if (local == "t") {
                in_t = false;
            } else if (local == "rPh") {
                --phonetic;
            } else if (local == "is") {
                in_is = false;
            } else if (local == "c" && in_c) {
                in_c = false;
                finish_cell();
            } else if (local == "row" && in_row) {
                in_row = false;
                if (line > r.opts.skip && detail::trim_row(cells)) {
                    r.ready.push_back(SourceRow{line, std::move(cells)});
                    cells = {};
                    stream->pause();
                }
            } else if (local == "sheetData") {
                in_data = false;
                stream->finish();
            }
        }

        void text(std::string_view s) override {
            if (!(in_v || in_t) || failed) return;
            value.append(s);
            if (value.size() > kMaxCell) {
                failed = true;
                stream->fail(fmt::format("{}:{}: column {}: a cell longer than {} KiB", r.name, line, col + 1,
                                         kMaxCell >> 10));
            }
        }

        bool failed = false;
        std::size_t row_bytes = 0;
        void bad_row(std::string message) {
            failed = true;
            stream->fail(std::move(message));
        }

        void finish_cell() {
            next_col = col + 1;
            std::string out = cell_text();
            if (out.empty()) return;
            if (col >= kMaxColumns) {
                stream->fail(fmt::format("{}:{}: a cell lies beyond the last column (XFD)", r.name, line));
                return;
            }
            row_bytes += out.size() + sizeof(std::string);
            if (out.size() > kMaxCell || row_bytes > kMaxRowBytes) {
                stream->fail(fmt::format("{}:{}: column {}: {}", r.name, line, col + 1,
                                         out.size() > kMaxCell ? "a cell longer than 64 KiB"
                                                               : "the row's cells hold more than 16 MiB"));
                return;
            }
            if (cells.size() <= col) cells.resize(col + 1);
            cells[col] = std::move(out);
        }

        std::string cell_text() {
            if (type == "s") {
                auto i = parse_index(value);
                if (!i) return {};
                if (*i >= r.shared_count()) {
                    stream->fail(fmt::format("{}:{}: a cell refers to shared string {}, which the file lacks",
                                             r.name, line, *i));
                    return {};
                }
                return std::string(r.shared(*i));
            }
            if (type == "inlineStr" || type == "str" || type == "e") {
                decode_ooxml_escapes(value);
                return value;
            }
            if (type == "b") {
                auto v = text::trim(value);
                return v == "1" || v == "true" ? "TRUE" : "FALSE";
            }
            if (type == "d") {  // ISO 8601 (strict OOXML): keep the date
                auto v = text::trim(value);
                if (v.size() >= 10 && parse_iso_date(v.substr(0, 10))) return std::string(v.substr(0, 10));
                return std::string(v);
            }
            if (text::trim(value).empty()) return {};
            auto num = parse_double(value);
            if (!num) return value;
            NumberKind kind = style < r.style_kinds.size() ? r.style_kinds[style] : NumberKind::number;
            if (kind == NumberKind::date) {
                auto d = detail::excel_serial_date(*num, r.date1904);
                if (!d.empty()) return d;
            } else if (kind == NumberKind::time || kind == NumberKind::elapsed) {
                auto t = time_text(*num, kind == NumberKind::elapsed);
                if (!t.empty()) return t;
            }
            return detail::number_text(*num, r.opts.decimal_mark);
        }
    };

    void open() {
        std::string wb = workbook_part();
        if (!zip.has(wb)) zip.corrupt(fmt::format("it has no {}", wb));
        auto rels = rels_of(wb);
        auto doc = load(wb);
        auto root = doc.document_element();
        if (auto pr = first_child(root, "workbookPr")) {
            const char* v = attr_local(pr, "date1904");
            date1904 = v && (std::string_view(v) == "1" || std::string_view(v) == "true");
        }
        for_children(first_child(root, "sheets"), "sheet", [&](const pugi::xml_node& s) {
            const char* nm = attr_local(s, "name");
            const char* rid = attr_local(s, "id", true);
            if (!nm || !rid) return;
            for (auto& [id, rel] : rels)
                if (id == rid && ends_with(rel.type, "/worksheet")) {
                    sheet_names.emplace_back(nm);
                    sheet_parts.push_back(rel.target);
                }
        });
        if (sheet_names.empty()) zip.corrupt("it has no worksheets");

        std::size_t chosen = opts.sheet.empty() ? 0 : detail::choose_sheet(name, sheet_names, opts.sheet);
        sheet_name = sheet_names[chosen];

        std::string styles_part, strings_part;
        for (auto& [id, rel] : rels) {
            if (ends_with(rel.type, "/styles")) styles_part = rel.target;
            if (ends_with(rel.type, "/sharedStrings")) strings_part = rel.target;
        }
        if (styles_part.empty() && zip.has("xl/styles.xml")) styles_part = "xl/styles.xml";
        if (strings_part.empty() && zip.has("xl/sharedStrings.xml")) strings_part = "xl/sharedStrings.xml";
        if (!styles_part.empty() && zip.has(styles_part)) read_styles(styles_part);
        if (!strings_part.empty() && zip.has(strings_part)) read_shared_strings(strings_part);

        handler = std::make_unique<SheetHandler>(*this);
        stream = std::make_unique<XmlStream>(zip.open(sheet_parts[chosen]), *handler, zip);
        handler->stream = stream.get();
    }
};

XlsxReader::XlsxReader(const std::string& path, const ReadOptions& opts)
    : impl_(std::make_unique<Impl>(path, opts)) {
    impl_->open();
}

XlsxReader::~XlsxReader() = default;

bool XlsxReader::next(SourceRow& row) {
    auto& r = *impl_;
    while (r.ready.empty())
        if (!r.stream->resume() && r.ready.empty()) return false;
    row.line = r.ready.front().line;
    row.cells.swap(r.ready.front().cells);
    r.ready.pop_front();
    return true;
}

const std::string& XlsxReader::name() const { return impl_->name; }

const std::vector<std::string>& XlsxReader::sheet_names() const { return impl_->sheet_names; }

}  // namespace tb::io
