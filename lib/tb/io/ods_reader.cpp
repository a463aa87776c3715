// .ods: content.xml streamed through expat, one table row at a time. With
// --sheet a first quick pass over content.xml finds the table (and the
// names of all tables, for the message when there is none of that name).
#include "tb/io/ods_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <deque>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "tb/io/zip_archive.hpp"
#include "tb/util/date.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::io {

namespace {

constexpr std::string_view kTableNs = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
constexpr std::string_view kOfficeNs = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
constexpr std::string_view kTextNs = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
constexpr std::string_view kCalcextNs = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0";
constexpr std::size_t kMaxColumns = 16384;
constexpr std::size_t kMaxCell = 64u << 10;      // SPEC "Cells": a cell over 64 KiB rejects the file
constexpr std::size_t kMaxRowBytes = 16u << 20;  // one row's cells together (repeated cells count)

std::size_t parse_count(const char* s) {
    if (!s) return 1;
    std::string_view v = text::trim(s);
    std::size_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc{} || p != v.data() + v.size() || n == 0) return 1;
    return n;
}

std::optional<double> parse_double(std::string_view s) {
    s = text::trim(s);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// An ISO 8601 duration as office:time-value holds it (PT01H30M00S) as H:MM,
// with :SS when there are seconds; empty if it is not one.
std::string duration_text(std::string_view v) {
    v = text::trim(v);
    bool negative = !v.empty() && v.front() == '-';
    if (negative) v.remove_prefix(1);
    if (v.size() < 2 || v[0] != 'P') return {};
    v.remove_prefix(1);
    double seconds = 0;
    bool in_time = false;
    while (!v.empty()) {
        if (v.front() == 'T') {
            in_time = true;
            v.remove_prefix(1);
            continue;
        }
        std::size_t i = 0;
        while (i < v.size() && (std::isdigit(static_cast<unsigned char>(v[i])) || v[i] == '.')) ++i;
        if (i == 0 || i == v.size()) return {};
        auto num = parse_double(v.substr(0, i));
        if (!num) return {};
        char unit = v[i];
        v.remove_prefix(i + 1);
        if (!in_time && unit == 'D') seconds += *num * 86400;
        else if (in_time && unit == 'H') seconds += *num * 3600;
        else if (in_time && unit == 'M') seconds += *num * 60;
        else if (in_time && unit == 'S') seconds += *num;
        else return {};
    }
    auto total = std::llround(seconds);
    std::string out = fmt::format("{}{}:{:02}", negative ? "-" : "", total / 3600, (total / 60) % 60);
    if (total % 60) out += fmt::format(":{:02}", total % 60);
    return out;
}

// Finds the top-level tables' names; stops at `wanted` when it is seen.
struct TableNames : XmlStream::Handler {
    XmlStream* stream = nullptr;
    std::string wanted;
    std::vector<std::string> names;
    int spreadsheet = 0;
    int depth_in_table = 0;  // elements open inside a top-level table

    void start(std::string_view ns, std::string_view local, const char** attrs) override {
        if (ns == kOfficeNs && local == "spreadsheet") ++spreadsheet;
        if (!spreadsheet) return;
        if (depth_in_table) {
            ++depth_in_table;
            return;
        }
        if (ns == kTableNs && local == "table") {
            const char* n = XmlStream::attr(attrs, kTableNs, "name");
            names.emplace_back(n ? n : "");
            if (!wanted.empty() && names.back() == wanted) stream->finish();
            depth_in_table = 1;
        }
    }
    void end(std::string_view ns, std::string_view local) override {
        if (depth_in_table) {
            --depth_in_table;
            return;
        }
        if (ns == kOfficeNs && local == "spreadsheet") --spreadsheet;
    }
    void text(std::string_view) override {}
};

}  // namespace

struct OdsReader::Impl {
    ZipArchive zip;
    std::string name;
    ReadOptions opts;
    std::size_t target = 0;  // which top-level table, in document order

    struct Pending {
        SourceRow row;
        std::size_t copies;
    };
    std::deque<Pending> ready;

    struct Handler;
    std::unique_ptr<Handler> handler;
    std::unique_ptr<XmlStream> stream;

    Impl(const std::string& path, const ReadOptions& o)
        : zip(path, display_name(path), ".ods"), name(display_name(path)), opts(o) {}

    struct Handler : XmlStream::Handler {
        Impl& r;
        XmlStream* stream = nullptr;
        int spreadsheet = 0;
        std::size_t tables_seen = 0;
        bool in_target = false;
        int nested = 0;      // a table inside a cell of ours: ignored whole
        int annotation = 0;  // a comment on a cell: not its text
        bool in_row = false, in_cell = false;
        int in_p = 0;
        std::size_t line = 0;  // rows of the table so far
        std::size_t row_repeat = 1;
        std::size_t col = 0, col_repeat = 1;
        std::vector<std::string> cells;
        std::string value_type, value;
        std::string text_buf;
        std::size_t paragraphs = 0;
        bool last_space = false;

        explicit Handler(Impl& impl) : r(impl) {}

        void start(std::string_view ns, std::string_view local, const char** attrs) override {
            if (failed) return;
            if (ns == kOfficeNs && local == "spreadsheet") {
                ++spreadsheet;
                return;
            }
            if (!spreadsheet) return;
            bool is_table = ns == kTableNs && local == "table";
            if (!in_target) {
                if (is_table) {
                    if (nested == 0 && tables_seen++ == r.target) in_target = true;
                    else ++nested;  // another table: skip it whole
                }
                return;
            }
            if (nested || is_table) {
                if (is_table) ++nested;
                return;
            }
            if (ns == kOfficeNs && local == "annotation") {
                ++annotation;
                return;
            }
            if (annotation) return;
            if (ns == kTableNs && local == "table-row") {
                in_row = true;
                row_repeat = parse_count(XmlStream::attr(attrs, kTableNs, "number-rows-repeated"));
                col = 0;
                row_bytes = 0;
                cells.clear();
            } else if (ns == kTableNs && in_row &&
                       (local == "table-cell" || local == "covered-table-cell")) {
                in_cell = true;
                col_repeat = parse_count(XmlStream::attr(attrs, kTableNs, "number-columns-repeated"));
                const char* vt = XmlStream::attr(attrs, kOfficeNs, "value-type");
                value_type = vt ? vt : "";
                // LibreOffice marks a formula error (shown as #DIV/0!) as a
                // float 0: the shown text is what the user sees.
                const char* calc = XmlStream::attr(attrs, kCalcextNs, "value-type");
                if (calc && std::string_view(calc) == "error") value_type = "error";
                const char* v = nullptr;
                if (value_type == "float" || value_type == "percentage" || value_type == "currency")
                    v = XmlStream::attr(attrs, kOfficeNs, "value");
                else if (value_type == "date")
                    v = XmlStream::attr(attrs, kOfficeNs, "date-value");
                else if (value_type == "time")
                    v = XmlStream::attr(attrs, kOfficeNs, "time-value");
                else if (value_type == "boolean")
                    v = XmlStream::attr(attrs, kOfficeNs, "boolean-value");
                else if (value_type == "string")
                    v = XmlStream::attr(attrs, kOfficeNs, "string-value");
                value = v ? v : "";
                has_value = v != nullptr;
                text_buf.clear();
                paragraphs = 0;
                check_cell();
            } else if (in_cell && ns == kTextNs) {
                if (local == "p" || local == "h") {
                    if (paragraphs++) text_buf += '\n';
                    ++in_p;
                    last_space = true;  // leading white space is not content
                } else if (!in_p) {
                    return;
                } else if (local == "s") {
                    auto n = parse_count(XmlStream::attr(attrs, kTextNs, "c"));
                    if (n > kMaxCell) n = kMaxCell + 1;  // <text:s c="1000000000"/>: no need to make them all
                    text_buf.append(n, ' ');
                    check_cell();
                    last_space = false;
                } else if (local == "tab") {
                    text_buf += '\t';
                    last_space = false;
                } else if (local == "line-break") {
                    text_buf += '\n';
                    last_space = true;
                }
            }
        }

        bool has_value = false;

        void end(std::string_view ns, std::string_view local) override {
            if (failed) return;
            if (ns == kOfficeNs && local == "spreadsheet") {
                --spreadsheet;
                return;
            }
            if (!in_target) {
                if (ns == kTableNs && local == "table" && nested) --nested;
                return;
            }
            bool is_table = ns == kTableNs && local == "table";
            if (nested) {
                if (is_table) --nested;
                return;
            }
            if (is_table) {  // the end of our table: nothing more to read
                in_target = false;
                stream->finish();
                return;
            }
            if (ns == kOfficeNs && local == "annotation") {
                --annotation;
                return;
            }
            if (annotation) return;
            if (ns == kTextNs && (local == "p" || local == "h") && in_p) {
                --in_p;
            } else if (ns == kTableNs && in_cell &&
                       (local == "table-cell" || local == "covered-table-cell")) {
                in_cell = false;
                finish_cell();
            } else if (ns == kTableNs && local == "table-row" && in_row) {
                in_row = false;
                finish_row();
            }
        }

        void text(std::string_view s) override {
            if (failed || !in_cell || !in_p || annotation || nested) return;
            // ODF collapses runs of white space in a paragraph; <text:s/>
            // stands for the spaces that are meant.
            for (char c : s) {
                if (c == '\t' || c == '\n' || c == '\r') c = ' ';
                if (c == ' ') {
                    if (last_space) continue;
                    last_space = true;
                } else {
                    last_space = false;
                }
                text_buf += c;
            }
            check_cell();
        }

        bool failed = false;
        std::size_t row_bytes = 0;
        void check_cell() {
            if (failed || (text_buf.size() <= kMaxCell && value.size() <= kMaxCell)) return;
            failed = true;
            stream->fail(fmt::format("{}:{}: column {}: a cell longer than {} KiB", r.name, line + 1, col + 1,
                                     kMaxCell >> 10));
        }

        std::string cell_text() {
            if (value_type == "float" || value_type == "percentage" || value_type == "currency") {
                if (auto v = parse_double(value)) return detail::number_text(*v, r.opts.decimal_mark);
            } else if (value_type == "date") {
                auto v = text::trim(value);
                if (v.size() >= 10 && parse_iso_date(v.substr(0, 10))) return std::string(v.substr(0, 10));
                if (!v.empty()) return std::string(v);
            } else if (value_type == "time") {
                auto t = duration_text(value);
                if (!t.empty()) return t;
            } else if (value_type == "boolean") {
                auto v = text::lower(text::trim(value));
                if (v == "true" || v == "1") return "TRUE";
                if (v == "false" || v == "0") return "FALSE";
            } else if (value_type == "string" && has_value) {
                return value;
            }
            // Strings, and anything whose value is missing: the shown text.
            if (!text_buf.empty() && text_buf.back() == ' ' && last_space) text_buf.pop_back();
            return text_buf;
        }

        void finish_cell() {
            std::string out = cell_text();
            std::size_t first = col;
            col = std::min(col + col_repeat, kMaxColumns * 64);
            if (out.empty() || first >= kMaxColumns) return;
            std::size_t last = std::min(col, kMaxColumns);
            row_bytes += (last - first) * (out.size() + sizeof(std::string));
            if (row_bytes > kMaxRowBytes) {
                failed = true;
                stream->fail(fmt::format("{}:{}: the row's cells hold more than {} MiB", r.name, line + 1,
                                         kMaxRowBytes >> 20));
                return;
            }
            if (cells.size() < last) cells.resize(last);
            for (std::size_t i = first; i < last; ++i) cells[i] = out;
        }

        void finish_row() {
            std::size_t first = line + 1;
            line = std::min(line + row_repeat, OdsReader::max_rows + 1);
            if (!detail::trim_row(cells)) return;
            first = std::max(first, r.opts.skip + 1);
            std::size_t last = std::min(line, OdsReader::max_rows);
            if (first > last) return;
            r.ready.push_back(Pending{SourceRow{first, std::move(cells)}, last - first + 1});
            cells = {};
            stream->pause();
        }
    };

    void open() {
        if (!zip.has("content.xml")) zip.corrupt("it has no content.xml");
        if (!opts.sheet.empty()) {
            TableNames scan;
            scan.wanted = opts.sheet;
            {
                XmlStream xs(zip.open("content.xml"), scan, zip);
                scan.stream = &xs;
                while (xs.resume()) {
                }
            }
            // The scan stops at the first table named exactly: it is the
            // last name read; without one, every name has been read.
            target = detail::choose_sheet(name, scan.names, opts.sheet);
        }
        handler = std::make_unique<Handler>(*this);
        stream = std::make_unique<XmlStream>(zip.open("content.xml"), *handler, zip);
        handler->stream = stream.get();
    }
};

OdsReader::OdsReader(const std::string& path, const ReadOptions& opts)
    : impl_(std::make_unique<Impl>(path, opts)) {
    impl_->open();
}

OdsReader::~OdsReader() = default;

bool OdsReader::next(SourceRow& row) {
    auto& r = *impl_;
    while (r.ready.empty())
        if (!r.stream->resume() && r.ready.empty()) return false;
    auto& p = r.ready.front();
    row.line = p.row.line;
    if (p.copies > 1) {  // a repeated row: the same cells on consecutive rows
        row.cells = p.row.cells;
        ++p.row.line;
        --p.copies;
    } else {
        row.cells.swap(p.row.cells);
        r.ready.pop_front();
    }
    return true;
}

const std::string& OdsReader::name() const { return impl_->name; }

}  // namespace tb::io
