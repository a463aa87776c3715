#include "tb/io/output.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::io {

static const std::pair<Format, const char*> kNames[] = {
    {Format::table, "table"}, {Format::csv, "csv"},           {Format::tsv, "tsv"},
    {Format::json, "json"},   {Format::jsonl, "jsonl"},       {Format::text, "text"},
    {Format::markdown, "markdown"}, {Format::html, "html"},
};

std::string format_name(Format f) {
    for (auto& [k, n] : kNames)
        if (k == f) return n;
    return "?";
}

Format parse_format(std::string_view name, const std::vector<Format>& allowed) {
    auto n = text::lower(text::trim(name));
    if (n == "md") n = "markdown";
    if (n == "txt") n = "text";
    for (auto f : allowed)
        if (format_name(f) == n) return f;
    std::vector<std::string> names;
    for (auto f : allowed) names.push_back(format_name(f));
    throw UsageError(fmt::format("unknown format '{}' (use {})", name, text::join(names, ", ")));
}

std::string extension_of(std::string_view path) {
    auto dot = path.rfind('.');
    return dot == std::string_view::npos ? std::string{} : text::lower(path.substr(dot + 1));
}

std::optional<Format> format_from_extension(std::string_view path) {
    auto ext = extension_of(path);
    if (ext.empty()) return std::nullopt;
    if (ext == "csv") return Format::csv;
    if (ext == "tsv" || ext == "tab") return Format::tsv;
    if (ext == "json") return Format::json;
    if (ext == "jsonl" || ext == "ndjson") return Format::jsonl;
    if (ext == "md" || ext == "markdown") return Format::markdown;
    if (ext == "html" || ext == "htm") return Format::html;
    if (ext == "txt") return Format::text;
    return std::nullopt;
}

std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20 || c == 0x7f) out += fmt::format("\\u{:04x}", c);
                else out += ch;
        }
    }
    out += '"';
    return out;
}

std::string csv_field(std::string_view s, char delimiter) {
    bool quote = s.find_first_of(std::string{delimiter, '"', '\n', '\r'}) != std::string_view::npos ||
                 (!s.empty() && (s.front() == ' ' || s.back() == ' '));
    if (!quote) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

static std::string format_number(double d) {
    auto s = fmt::format("{:.6f}", d);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

std::string cell_text(const Cell& c) {
    struct V {
        std::string operator()(std::monostate) const { return ""; }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(Hours h) const { return format_hours(h.minutes); }
        std::string operator()(double d) const { return format_number(d); }
        std::string operator()(const List& l) const { return text::join(l, ";"); }
        std::string operator()(bool b) const { return b ? "yes" : "no"; }
        std::string operator()(const Structured& s) const { return s.text; }
    };
    return std::visit(V{}, c);
}

std::string cell_json(const Cell& c) {
    struct V {
        std::string operator()(std::monostate) const { return "null"; }
        std::string operator()(const std::string& s) const { return json_string(s); }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(Hours h) const { return json_hours(h.minutes); }
        // JSON has no NaN or infinity: an undefined ratio is null.
        std::string operator()(double d) const { return std::isfinite(d) ? format_number(d) : "null"; }
        std::string operator()(const List& l) const {
            std::string out = "[";
            for (std::size_t i = 0; i < l.size(); ++i) {
                if (i) out += ",";
                out += json_string(l[i]);
            }
            return out + "]";
        }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(const Structured& s) const { return s.json; }
    };
    return std::visit(V{}, c);
}

static bool right_aligned(const Cell& c) {
    return std::holds_alternative<std::int64_t>(c) || std::holds_alternative<Hours>(c) ||
           std::holds_alternative<double>(c);
}

static std::string json_object(const Table& t, const std::vector<Cell>& row, bool pretty) {
    std::string out = pretty ? "{\n" : "{";
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (i) out += pretty ? ",\n" : ",";
        if (pretty) out += "  ";
        out += json_string(t.columns[i]);
        out += pretty ? ": " : ":";
        out += cell_json(i < row.size() ? row[i] : Cell{});
    }
    out += pretty ? "\n}" : "}";
    return out;
}

static void write_delimited(std::ostream& out, const std::vector<std::string>& cells, char d) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out << d;
        out << csv_field(cells[i], d);
    }
    out << '\n';
}

static std::vector<std::string> row_texts(const std::vector<Cell>& row, std::size_t n) {
    std::vector<std::string> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out.push_back(i < row.size() ? cell_text(row[i]) : std::string{});
    return out;
}

static void render_aligned(const Table& t, const RenderOptions& o, std::ostream& out) {
    std::vector<std::size_t> width(t.columns.size(), 0);
    std::vector<bool> right(t.columns.size(), false);
    std::vector<std::vector<std::string>> texts;
    texts.reserve(t.rows.size());
    if (o.header)
        for (std::size_t i = 0; i < t.columns.size(); ++i) width[i] = text::display_width(t.columns[i]);
    for (auto& row : t.rows) {
        auto& tr = texts.emplace_back(row_texts(row, t.columns.size()));
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
            auto& s = tr[i];
            // A table is for people: keep each record on one line.
            std::replace(s.begin(), s.end(), '\n', ' ');
            std::replace(s.begin(), s.end(), '\r', ' ');
            if (i < row.size() && right_aligned(row[i])) right[i] = true;
            width[i] = std::max(width[i], text::display_width(s));
        }
    }
    auto emit = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            std::size_t pad = width[i] - text::display_width(cells[i]);
            if (i) line += "  ";
            if (right[i]) line += std::string(pad, ' ') + cells[i];
            else line += cells[i] + std::string(pad, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
    };
    if (o.header) emit(t.columns);
    for (auto& tr : texts) emit(tr);
}

RowWriter::RowWriter(std::ostream& out, RenderOptions o, std::vector<std::string> columns)
    : out_(out), o_(o) {
    buffered_.columns = std::move(columns);
    if (o_.header && (o_.format == Format::csv || o_.format == Format::tsv))
        write_delimited(out_, buffered_.columns, o_.format == Format::csv ? ',' : '\t');
    if (o_.format == Format::json) out_ << "[";
}

void RowWriter::row(const std::vector<Cell>& cells) {
    switch (o_.format) {
        case Format::csv:
        case Format::tsv:
            write_delimited(out_, row_texts(cells, buffered_.columns.size()),
                            o_.format == Format::csv ? ',' : '\t');
            break;
        case Format::json:
            out_ << (count_ ? ",\n  " : "\n  ") << json_object(buffered_, cells, false);
            break;
        case Format::jsonl: out_ << json_object(buffered_, cells, false) << '\n'; break;
        default: buffered_.rows.push_back(cells);
    }
    ++count_;
}

void RowWriter::finish() {
    if (finished_) return;
    finished_ = true;
    switch (o_.format) {
        case Format::csv:
        case Format::tsv:
        case Format::jsonl: break;
        case Format::json: out_ << (count_ ? "\n]\n" : "]\n"); break;
        default: render_aligned(buffered_, o_, out_);
    }
}

void render_table(const Table& t, const RenderOptions& o, std::ostream& out) {
    RowWriter w(out, o, t.columns);
    for (auto& r : t.rows) w.row(r);
    w.finish();
}

void render_record(const Table& t, const RenderOptions& o, std::ostream& out) {
    if (t.rows.size() != 1 || (o.format != Format::table && o.format != Format::json &&
                               o.format != Format::text)) {
        render_table(t, o, out);
        return;
    }
    const auto& row = t.rows.front();
    if (o.format == Format::json) {
        out << json_object(t, row, true) << '\n';
        return;
    }
    std::size_t w = 0;
    for (auto& c : t.columns) w = std::max(w, text::display_width(c));
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        auto s = i < row.size() ? cell_text(row[i]) : std::string{};
        if (i < row.size() && std::holds_alternative<List>(row[i])) s = text::join(std::get<List>(row[i]), "; ");
        out << t.columns[i] << ':' << std::string(w - text::display_width(t.columns[i]) + 1, ' ') << s
            << '\n';
    }
}

}  // namespace tb::io
