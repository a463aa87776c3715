#include "tb/io/output.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

// An array whose elements are objects or arrays: one element per line.
static bool multiline(const Json& v) {
    return v.is_array() && !v.empty() && (v.front().is_object() || v.front().is_array());
}

static void write_lines(std::ostream& out, const Json& arr, const char* indent) {
    bool first = true;
    for (auto& e : arr) {
        out << (first ? "\n" : ",\n") << indent << json_dump(e);
        first = false;
    }
}

void write_json(std::ostream& out, const Json& doc, bool expand) {
    if (doc.is_object() && !doc.empty()) {
        out << '{';
        bool first = true;
        for (auto& [k, v] : doc.items()) {
            out << (first ? "\n  " : ",\n  ") << json_dump(Json(k)) << ": ";
            first = false;
            if (expand && multiline(v)) {
                out << '[';
                write_lines(out, v, "    ");
                out << "\n  ]";
            } else {
                out << json_dump(v);
            }
        }
        out << "\n}\n";
    } else if (doc.is_array() && !doc.empty()) {
        out << '[';
        write_lines(out, doc, "  ");
        out << "\n]\n";
    } else {
        out << json_dump(doc) << '\n';
    }
}

namespace {

// Eight bytes at a time: rows are written by the hundred thousand, and most
// of their texts hold nothing to quote, escape or count apart.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;

std::uint64_t load8(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

// Nonzero when one of the eight bytes of `w` is zero.
std::uint64_t has_zero(std::uint64_t w) { return (w - kOnes) & ~w & kHighs; }

// Nonzero when one of the eight bytes of `w` is `c`.
std::uint64_t has_byte(std::uint64_t w, char c) { return has_zero(w ^ (kOnes * static_cast<unsigned char>(c))); }

// Whether the eight bytes of `w` are all plain ASCII (0x20 to 0x7e).
bool plain_ascii(std::uint64_t w) {
    std::uint64_t below_space = (w - kOnes * 0x20) & ~w & kHighs;
    return !((w & kHighs) | below_space | has_byte(w, '\x7f'));
}

// Whether the `n` bytes at `p` hold the delimiter, a quote or a line
// break. The word that holds the last of them is read whole: `p` must have
// 8 bytes readable past the text's last full word (its bytes past `n` are
// masked off).
bool csv_special_in(const char* p, std::size_t n, char delimiter) {
    for (std::size_t i = 0; i < n; i += 8) {
        auto w = load8(p + i);
        auto hit = has_byte(w, delimiter) | has_byte(w, '"') | has_byte(w, '\n') | has_byte(w, '\r');
        // A byte's flag is set only by itself or a byte below it that
        // matched (has_zero's borrow runs upwards): the bytes past `n`
        // cannot flag one before it.
        if (n - i < 8) hit &= (std::uint64_t{1} << (8 * (n - i))) - 1;
        if (hit) return true;
    }
    return false;
}

}  // namespace

// The bytes write_csv_field may use for a text of `n` bytes: every
// character a quote, doubled, two quotes around, and the whole word read
// past the text's end.
constexpr std::size_t csv_room(std::size_t n) { return 2 * n + 2 + 8; }

// csv_field(s) written at `p`, which has csv_room(s.size()) bytes: returns
// its end. The text is copied first and looked at where it was copied (a
// whole word at a time); a text to quote is then written again over it,
// quoted, a run of characters at a time.
static char* write_csv_field(char* p, std::string_view s, char delimiter) {
    auto copy = [&p](std::string_view run) {
        if (!run.empty()) std::memcpy(p, run.data(), run.size());
        p += run.size();
    };
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    bool quoted = !s.empty() && (s.front() == ' ' || s.back() == ' ');
    if (!quoted && !csv_special_in(p, s.size(), delimiter)) return p + s.size();
    *p++ = '"';
    for (std::size_t at = 0;;) {
        auto q = s.find('"', at);
        copy(s.substr(at, q == std::string_view::npos ? q : q + 1 - at));
        if (q == std::string_view::npos) break;
        *p++ = '"';
        at = q + 1;
    }
    *p++ = '"';
    return p;
}

// csv_field(s), appended to `out`.
static void append_csv_field(std::string& out, std::string_view s, char delimiter) {
    auto start = out.size();
    out.resize(start + csv_room(s.size()));
    out.resize(static_cast<std::size_t>(write_csv_field(out.data() + start, s, delimiter) - out.data()));
}

std::string csv_field(std::string_view s, char delimiter) {
    std::string out;
    append_csv_field(out, s, delimiter);
    return out;
}

static bool plain_number(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t digits = 0, dots = 0;
    for (; i < s.size(); ++i) {
        if (s[i] >= '0' && s[i] <= '9') ++digits;
        else if ((s[i] == '.' || s[i] == ',') && dots++ == 0) continue;
        else return false;
    }
    return digits > 0;
}

bool spreadsheet_needs_guard(std::string_view s) {
    // Most texts start with a letter or a digit: nothing to look past.
    if (s.empty() || (s.front() != '\'' && s.front() > '@')) return false;
    auto r = s.substr(std::min(s.find_first_not_of('\''), s.size()));
    if (r.empty()) return false;
    switch (r.front()) {
        case '=': case '+': case '-': case '@': case '\t': case '\r': return !plain_number(r);
        default: return false;
    }
}

std::string spreadsheet_guard(std::string_view s) {
    return spreadsheet_needs_guard(s) ? "'" + std::string(s) : std::string(s);
}

std::string spreadsheet_unguard(std::string_view s) {
    if (!s.empty() && s.front() == '\'' && spreadsheet_needs_guard(s)) return std::string(s.substr(1));
    return std::string(s);
}

namespace {

// A cell's text as a view, without a copy: of the cell's own characters
// when it holds them, else of what is formatted into this object (valid
// until the next call). Rows are written by the hundred thousand: numbers
// and hours are formatted into a buffer, no string made for them.
class CellView {
public:
    std::string_view text(const Cell& c) { return std::visit(*this, c); }
    std::string_view operator()(std::monostate) { return {}; }
    std::string_view operator()(const std::string& s) { return s; }
    std::string_view operator()(std::int64_t i) {
        return {buf_, static_cast<std::size_t>(std::to_chars(buf_, buf_ + sizeof buf_, i).ptr - buf_)};
    }
    std::string_view operator()(Hours h) { return {buf_, format_hours_to(buf_, h.minutes)}; }
    std::string_view operator()(double d) { return scratch_ = text::format_number(d); }
    std::string_view operator()(const List& l) { return scratch_ = text::join(l, ";"); }
    std::string_view operator()(bool b) { return b ? "yes" : "no"; }
    std::string_view operator()(const Structured& s) { return s.text; }

private:
    static_assert(kHoursTextMax >= 20, "room for every int64");
    char buf_[kHoursTextMax];
    std::string scratch_;
};

}  // namespace

std::string cell_text(const Cell& c) {
    CellView v;
    return std::string(v.text(c));
}

Json cell_value(const Cell& c) {
    struct V {
        Json operator()(std::monostate) const { return Json(nullptr); }
        Json operator()(const std::string& s) const { return Json(s); }
        Json operator()(std::int64_t i) const { return Json(i); }
        Json operator()(Hours h) const { return hours_json(h.minutes); }
        // JSON has no NaN or infinity: an undefined ratio is null.
        Json operator()(double d) const { return number_json(d); }
        Json operator()(const List& l) const { return Json(l); }
        Json operator()(bool b) const { return Json(b); }
        Json operator()(const Structured& s) const { return s.json; }
    };
    return std::visit(V{}, c);
}

static bool right_aligned(const Cell& c) {
    return std::holds_alternative<std::int64_t>(c) || std::holds_alternative<Hours>(c) ||
           std::holds_alternative<double>(c);
}

static Json json_object(const Table& t, const std::vector<Cell>& row) {
    Json obj = Json::object();
    for (std::size_t i = 0; i < t.columns.size(); ++i) obj[t.columns[i]] = cell_value(i < row.size() ? row[i] : Cell{});
    return obj;
}

static void write_delimited(std::ostream& out, const std::vector<std::string>& cells, char d) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) line += d;
        append_csv_field(line, cells[i], d);
    }
    line += '\n';
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
}

// A csv/tsv row of `n` cells appended to `line` from byte `end` on
// (`line` is kept as large as it has needed to be: nothing is checked for
// every character); returns the row's end. Text and list cells are
// guarded for spreadsheets; numbers, hours, flags never (a negative
// balance stays -3.50).
static std::size_t write_delimited_row(std::string& line, std::size_t end, const std::vector<Cell>& row,
                                       std::size_t n, char d) {
    auto room = [&](std::size_t more) {
        if (line.size() < end + more) line.resize(std::max(2 * line.size(), end + more));
    };
    CellView v;
    std::string guarded;
    for (std::size_t i = 0; i < n; ++i) {
        room(1);
        if (i) line[end++] = d;
        if (i >= row.size()) continue;
        auto t = v.text(row[i]);
        bool text = std::holds_alternative<std::string>(row[i]) || std::holds_alternative<List>(row[i]);
        if (text && spreadsheet_needs_guard(t)) {
            guarded = '\'';
            guarded += t;
            t = guarded;
        }
        room(csv_room(t.size()));
        end = static_cast<std::size_t>(write_csv_field(line.data() + end, t, d) - line.data());
    }
    room(1);
    line[end++] = '\n';
    return end;
}

// Table output is for a terminal: a record on one line, control
// characters escaped (\x1b), never raw.
static std::string table_text(std::string s) {
    std::replace(s.begin(), s.end(), '\n', ' ');
    std::replace(s.begin(), s.end(), '\r', ' ');
    std::replace(s.begin(), s.end(), '\t', ' ');
    return text::escape_controls(s);
}

// The display width of `s` when table_text leaves it as it is (nothing to
// escape or replace); npos when it does not.
// The display width of the eight bytes of `w`, `len` of them counted (the
// others plain letters), if none may be a control character; npos if one may.
static std::size_t word_width(std::uint64_t w, std::size_t len) {
    if (plain_ascii(w)) return len;
    auto below_space = (w - kOnes * 0x20) & ~w & kHighs;
    if (below_space | has_byte(w, '\x7f') | has_byte(w, '\xc2')) return std::string_view::npos;
    // Less the continuation bytes (10xxxxxx): only their high bits are left,
    // summed into the top byte.
    return len - static_cast<std::size_t>((((w & ~(w << 1) & kHighs) >> 7) * kOnes) >> 56);
}

static std::size_t plain_width(std::string_view s) {
    // A word at a time: a word of plain ASCII is as wide as its bytes, a
    // word of UTF-8 without a control character as its bytes less its
    // continuation bytes. A text's last word is the eight bytes that end it,
    // those counted already made plain letters; a text under eight bytes
    // is one word filled up with plain letters. From a word that may hold a
    // control character (below a space, DEL, or the lead byte of a C1
    // control) on, byte by byte.
    const std::size_t size = s.size();
    std::size_t n = 0, i = 0;
    if (size < 8) {
        std::uint64_t w = kOnes * 'a';
        if (size) std::memcpy(&w, s.data(), size);
        if (auto width = word_width(w, size); width != std::string_view::npos) return width;
    } else {
        for (; i + 8 <= size; i += 8) {
            auto width = word_width(load8(s.data() + i), 8);
            if (width == std::string_view::npos) break;
            n += width;
        }
        if (i + 8 > size && i < size) {
            if constexpr (std::endian::native == std::endian::little) {
                auto w = load8(s.data() + size - 8);
                auto counted = (std::uint64_t{1} << (8 * (8 - (size - i)))) - 1;  // the low (first) bytes
                auto width = word_width((w & ~counted) | (kOnes * 'a' & counted), size - i);
                if (width != std::string_view::npos) return n + width;
            }
        }
    }
    for (; i < size; ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) return std::string_view::npos;
        if (c == 0xC2 && i + 1 < size && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(s[i + 1]) <= 0x9F)
            return std::string_view::npos;
        n += (c & 0xC0) != 0x80;
    }
    return n;
}

// Calls fn(i, text, width) for each of the first `n` cells of `row` as the
// table prints it: a view of the cell's own text unless it needs escaping.
template <class Fn>
static void for_each_table_text(const std::vector<Cell>& row, std::size_t n, Fn&& fn) {
    CellView v;
    std::string escaped;
    for (std::size_t i = 0; i < n; ++i) {
        std::string_view t = i < row.size() ? v.text(row[i]) : std::string_view{};
        // A number's or a time's text is ASCII digits, signs and a point.
        bool ascii = i < row.size() && (std::holds_alternative<std::int64_t>(row[i]) ||
                                        std::holds_alternative<Hours>(row[i]));
        auto w = ascii ? t.size() : plain_width(t);
        if (w == std::string_view::npos) {
            t = escaped = table_text(std::string(t));
            w = text::display_width(t);
        }
        fn(i, t, w);
    }
}

// Widens column `i` of `l` to a text `w` wide from `row`.
static void widen(AlignedLayout& l, const std::vector<Cell>& row, std::size_t i, std::size_t w) {
    if (i < row.size() && right_aligned(row[i])) l.right[i] = true;
    l.width[i] = std::max(l.width[i], w);
}

AlignedLayout::AlignedLayout(const std::vector<std::string>& columns, bool header)
    : width(columns.size(), 0), right(columns.size(), false) {
    if (header)
        for (std::size_t i = 0; i < columns.size(); ++i) width[i] = text::display_width(table_text(columns[i]));
}

std::vector<std::string> AlignedLayout::texts(const std::vector<Cell>& row) const {
    std::vector<std::string> out;
    out.reserve(width.size());
    for_each_table_text(row, width.size(), [&](std::size_t, std::string_view t, std::size_t) { out.emplace_back(t); });
    return out;
}

std::vector<std::string> AlignedLayout::measure(const std::vector<Cell>& row) {
    std::vector<std::string> out;
    out.reserve(width.size());
    for_each_table_text(row, width.size(), [&](std::size_t i, std::string_view t, std::size_t w) {
        widen(*this, row, i, w);
        out.emplace_back(t);
    });
    return out;
}

void AlignedLayout::measure_into(const std::vector<Cell>& row, std::string& out, char separator) {
    for_each_table_text(row, width.size(), [&](std::size_t i, std::string_view t, std::size_t w) {
        widen(*this, row, i, w);
        if (i) out += separator;
        out += t;
    });
}

std::string AlignedLayout::line(const std::vector<std::string>& cells) const {
    std::string out;
    append_line(out, std::vector<std::string_view>(cells.begin(), cells.end()));
    return out;
}

void AlignedLayout::append_line(std::string& out, const std::vector<std::string_view>& cells) const {
    std::vector<std::size_t> widths;
    widths.reserve(cells.size());
    for (auto c : cells) widths.push_back(text::display_width(c));
    append_line(out, cells, widths);
}

void AlignedLayout::append_line(std::string& out, const std::vector<std::string_view>& cells,
                                const std::vector<std::size_t>& widths) const {
    // The line's spaces at once, then each text copied to its place: a
    // cell is its text and its padding, two spaces apart from the next.
    auto start = out.size();
    std::size_t size = cells.empty() ? 0 : 2 * (cells.size() - 1);
    for (std::size_t i = 0; i < cells.size(); ++i) size += cells[i].size() + width[i] - widths[i];
    out.append(size, ' ');
    char* at = out.data() + start;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        std::size_t pad = width[i] - widths[i];
        if (i) at += 2;
        if (right[i]) at += pad;
        if (!cells[i].empty()) std::memcpy(at, cells[i].data(), cells[i].size());
        at += cells[i].size();
        if (!right[i]) at += pad;
    }
    auto end = out.find_last_not_of(' ');
    out.resize(end == std::string::npos || end < start ? start : end + 1);
}

static std::vector<std::string> header_texts(const std::vector<std::string>& columns) {
    std::vector<std::string> head;
    for (auto& c : columns) head.push_back(table_text(c));
    return head;
}

static void render_aligned(const Table& t, const RenderOptions& o, std::ostream& out) {
    AlignedLayout layout(t.columns, o.header);
    std::vector<std::vector<std::string>> texts;
    texts.reserve(t.rows.size());
    for (auto& row : t.rows) texts.push_back(layout.measure(row));
    if (o.header) out << layout.line(header_texts(t.columns)) << '\n';
    for (auto& tr : texts) out << layout.line(tr) << '\n';
}

namespace {

// A spooled cell: its length and display width in a byte each when the
// length is below 255 (the width is never more than the length), else 255
// and both in 4 bytes each; then its text.
constexpr std::size_t kLongCell = 255;
constexpr std::size_t kBlockSize = std::size_t{1} << 16;

void put_u32(char* out, std::size_t v) {
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

std::size_t get_u32(const char* p) {
    std::size_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::size_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    return v;
}

}  // namespace

AlignedSpool::AlignedSpool(const std::vector<std::string>& columns, bool header, std::size_t memory_cap)
    : layout_(columns, header), header_(header ? header_texts(columns) : std::vector<std::string>{}),
      memory_cap_(memory_cap) {}

AlignedSpool::~AlignedSpool() {
    if (file_) std::fclose(file_);
}

void AlignedSpool::add(const std::vector<Cell>& row) {
    // Each cell written in place at used_ (block_ is kept larger than what
    // it holds): its size and width (2 bytes, or 9 for a long one), then
    // its text.
    for_each_table_text(row, layout_.width.size(), [&](std::size_t i, std::string_view t, std::size_t w) {
        widen(layout_, row, i, w);
        if (block_.size() < used_ + 9 + t.size())
            block_.resize(std::max({2 * block_.size(), used_ + 9 + t.size(), kBlockSize + 1024}));
        char* p = block_.data() + used_;
        if (t.size() < kLongCell) {
            *p++ = static_cast<char>(t.size());
            *p++ = static_cast<char>(w);
        } else {
            *p++ = static_cast<char>(kLongCell);
            put_u32(p, t.size());
            put_u32(p + 4, w);
            p += 8;
        }
        if (!t.empty()) std::memcpy(p, t.data(), t.size());
        used_ = static_cast<std::size_t>(p - block_.data()) + t.size();
    });
    if (used_ >= kBlockSize) end_block();
}

// The rows added since the last block become one, kept in memory while
// they fit under the cap, else written to the temporary file.
void AlignedSpool::end_block() {
    block_.resize(used_);
    used_ = 0;
    if (block_.empty()) return;
    if (!file_ && in_memory_ + block_.size() <= memory_cap_) {
        in_memory_ += block_.size();
        blocks_.push_back(std::move(block_));
        block_ = std::string();
        return;
    }
    if (!file_) {
        file_ = std::tmpfile();
        if (!file_) throw SystemError("cannot make a temporary file for the table");
    }
    std::uint64_t size = block_.size();
    if (std::fwrite(&size, sizeof size, 1, file_) != 1 || std::fwrite(block_.data(), 1, block_.size(), file_) != size)
        throw SystemError("cannot write the table's temporary file");
    block_.clear();
}

// Prints a block's rows: appended to `out`, written to `os` a block at a time.
void AlignedSpool::print_block(std::string_view block, std::string& out, std::ostream& os) {
    const auto n = layout_.width.size();
    std::vector<std::string_view> texts(n);
    std::vector<std::size_t> widths(n);
    const char* p = block.data();
    const char* end = p + block.size();
    while (p < end) {
        for (std::size_t i = 0; i < n; ++i) {
            std::size_t size = static_cast<unsigned char>(*p++);
            if (size < kLongCell) {
                widths[i] = static_cast<unsigned char>(*p++);
            } else {
                size = get_u32(p);
                widths[i] = get_u32(p + 4);
                p += 8;
            }
            texts[i] = {p, size};
            p += size;
        }
        layout_.append_line(out, texts, widths);
        out += '\n';
        if (out.size() >= kBlockSize) {
            os.write(out.data(), static_cast<std::streamsize>(out.size()));
            out.clear();
        }
    }
}

void AlignedSpool::print(std::ostream& out) {
    end_block();
    if (!header_.empty()) out << layout_.line(header_) << '\n';
    std::string lines;
    for (auto& b : blocks_) print_block(b, lines, out);
    if (file_) {
        std::rewind(file_);
        std::uint64_t size = 0;
        while (std::fread(&size, sizeof size, 1, file_) == 1) {
            block_.resize(size);
            if (std::fread(block_.data(), 1, size, file_) != size)
                throw SystemError("cannot read the table's temporary file");
            print_block(block_, lines, out);
        }
    }
    out.write(lines.data(), static_cast<std::streamsize>(lines.size()));
}

RowWriter::RowWriter(std::ostream& out, RenderOptions o, std::vector<std::string> columns, bool spool)
    : out_(out), o_(o) {
    buffered_.columns = std::move(columns);
    if (spool && measures()) spool_ = std::make_unique<AlignedSpool>(buffered_.columns, o_.header);
    if (o_.header && (o_.format == Format::csv || o_.format == Format::tsv))
        write_delimited(out_, buffered_.columns, o_.format == Format::csv ? ',' : '\t');
    if (o_.format == Format::json) out_ << "[";
}

// Rows already given are written even when the command stops before
// finish() (as they were when each was written at once). A destructor
// never throws: a stream that would is left as it is.
RowWriter::~RowWriter() {
    try {
        flush();
    } catch (...) {
    }
}

void RowWriter::flush() {
    if (pending_) out_.write(line_.data(), static_cast<std::streamsize>(pending_));
    pending_ = 0;
}

bool RowWriter::measures() const { return o_.format == Format::table || o_.format == Format::text; }

void RowWriter::measure(const std::vector<Cell>& cells) {
    if (!measures() || spool_) return;
    if (!layout_) layout_.emplace(buffered_.columns, o_.header);
    layout_->measure(cells);
}

// The header before the first row (or alone), then each row as it comes.
void RowWriter::print_measured(const std::vector<Cell>* cells) {
    if (count_ == 0 && o_.header) out_ << layout_->line(header_texts(buffered_.columns)) << '\n';
    if (cells) out_ << layout_->line(layout_->texts(*cells)) << '\n';
}

void RowWriter::row(const std::vector<Cell>& cells) {
    if (spool_) {
        spool_->add(cells);
        ++count_;
        return;
    }
    if (layout_) {
        print_measured(&cells);
        ++count_;
        return;
    }
    switch (o_.format) {
        case Format::csv:
        case Format::tsv:
            // Rows are written 64 KiB at a time, not one by one.
            pending_ = write_delimited_row(line_, pending_, cells, buffered_.columns.size(),
                                           o_.format == Format::csv ? ',' : '\t');
            if (pending_ >= kFlushAt) flush();
            break;
        case Format::json:
            out_ << (count_ ? ",\n  " : "\n  ") << json_dump(json_object(buffered_, cells));
            break;
        case Format::jsonl: out_ << json_dump(json_object(buffered_, cells)) << '\n'; break;
        default: buffered_.rows.push_back(cells);
    }
    ++count_;
}

void RowWriter::finish() {
    if (finished_) return;
    finished_ = true;
    if (spool_) {
        spool_->print(out_);
        return;
    }
    if (layout_) {
        if (count_ == 0) print_measured(nullptr);
        return;
    }
    switch (o_.format) {
        case Format::csv:
        case Format::tsv: flush(); break;
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
        write_json(out, json_object(t, row), false);
        return;
    }
    std::size_t w = 0;
    for (auto& c : t.columns) w = std::max(w, text::display_width(c));
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        auto s = i < row.size() ? cell_text(row[i]) : std::string{};
        if (i < row.size() && std::holds_alternative<List>(row[i])) s = text::join(std::get<List>(row[i]), "; ");
        s = table_text(std::move(s));
        out << t.columns[i] << ':' << std::string(w - text::display_width(t.columns[i]) + 1, ' ') << s
            << '\n';
    }
}

}  // namespace tb::io
