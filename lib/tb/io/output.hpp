#pragma once
// One place that renders rows as table, csv, tsv, json or jsonl.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tb/util/duration.hpp"
#include "tb/util/json.hpp"

namespace tb::io {

enum class Format { table, csv, tsv, json, jsonl, text, markdown, html };

// Parses a --format value; throws UsageError naming it and the allowed set.
Format parse_format(std::string_view name, const std::vector<Format>& allowed);
std::string format_name(Format f);
// From an -o file name's extension (.csv .tsv .json .jsonl .md .html .txt).
// A file name's extension in lower case, without the dot ("" when none).
std::string extension_of(std::string_view path);
std::optional<Format> format_from_extension(std::string_view path);

struct Hours {
    Minutes minutes;
};
using List = std::vector<std::string>;

// The one JSON writer of the project: the values are tb::Json
// (util/json.hpp); documents are written by json_dump / write_json.
using tb::Json;
using tb::hours_json;
using tb::number_json;
using tb::json_dump;
// A whole json document and a newline: an object one member per line, an
// array one element per line, and inside either an array of objects one
// element per line (unless `expand` is false); everything deeper compact.
void write_json(std::ostream& out, const Json& doc, bool expand = true);

// A value with a text form of its own (csv, tsv, table) and a JSON form of its
// own (objects, arrays of objects): data in json, never display text.
struct Structured {
    std::string text;
    Json json;
};
// A cell: empty, text, integer, decimal hours, a plain number, a list, a flag, structured.
using Cell = std::variant<std::monostate, std::string, std::int64_t, Hours, double, List, bool, Structured>;

struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<Cell>> rows;
    void add(std::vector<Cell> row) { rows.push_back(std::move(row)); }
};

struct RenderOptions {
    Format format = Format::table;
    bool header = true;
    // json and jsonl: a time is given in minutes as well as hours.
    bool json() const { return format == Format::json || format == Format::jsonl; }
};

// The widths and alignment of an aligned table's columns, from every row.
struct AlignedLayout {
    std::vector<std::size_t> width;
    std::vector<char> right;  // not vector<bool>: read for every cell of every line
    AlignedLayout(const std::vector<std::string>& columns, bool header);
    // The row's cells as the table prints them.
    std::vector<std::string> texts(const std::vector<Cell>& row) const;
    // The same, widening the columns to fit them.
    std::vector<std::string> measure(const std::vector<Cell>& row);
    // The same, appended to `out` with `separator` between the cells.
    void measure_into(const std::vector<Cell>& row, std::string& out, char separator);
    // One printed line of cells measured before.
    std::string line(const std::vector<std::string>& cells) const;
    // The same, appended to `out` (without its newline).
    void append_line(std::string& out, const std::vector<std::string_view>& cells) const;
    // The same, of cells whose display widths are known.
    void append_line(std::string& out, const std::vector<std::string_view>& cells,
                     const std::vector<std::size_t>& widths) const;
};

// An aligned table of more rows than memory should hold, from rows that
// are given once: each row is measured and its texts kept, each with its
// length and display width, in blocks held in memory up to `memory_cap`
// bytes and in a temporary file beyond it; then printed from them.
class AlignedSpool {
public:
    static constexpr std::size_t kMemoryCap = std::size_t{48} << 20;
    AlignedSpool(const std::vector<std::string>& columns, bool header, std::size_t memory_cap = kMemoryCap);
    ~AlignedSpool();
    AlignedSpool(const AlignedSpool&) = delete;
    AlignedSpool& operator=(const AlignedSpool&) = delete;
    void add(const std::vector<Cell>& row);
    // The header (when asked for) and every row added.
    void print(std::ostream& out);
    // Whether rows went to the temporary file (past the memory cap).
    bool spilled() const { return file_ != nullptr; }

private:
    void end_block();
    void print_block(std::string_view block, std::string& out, std::ostream& os);
    AlignedLayout layout_;
    std::vector<std::string> header_;
    std::size_t memory_cap_, in_memory_ = 0;
    std::vector<std::string> blocks_;  // in memory, in order, before those of the file
    std::string block_;                // the rows being added: used_ bytes of it
    std::size_t used_ = 0;
    std::FILE* file_ = nullptr;        // each block as its size (8 bytes) and its bytes
};

// Writes rows as they come (csv, tsv, jsonl and json stream; the aligned
// table keeps its rows to measure the columns). finish() ends the output.
// csv and tsv rows go out 64 KiB at a time (a quarter of a million rows
// written one by one cost more than making them); whatever is pending is
// written by finish(), or when the writer is dropped unfinished.
//
// Rows too many to keep: the aligned table needs every row's width before
// its first line. A caller that can produce its rows twice gives each to
// measure() first and then to row() in the same order, and nothing is kept;
// measures() says whether the format needs the first pass (table, text).
// A caller whose rows come once asks for `spool`: the aligned table keeps
// their texts in an AlignedSpool (compact, past a cap in a temporary file).
class RowWriter {
public:
    RowWriter(std::ostream& out, RenderOptions o, std::vector<std::string> columns, bool spool = false);
    ~RowWriter();
    bool measures() const;
    void measure(const std::vector<Cell>& cells);
    void row(const std::vector<Cell>& cells);
    void finish();

private:
    void print_measured(const std::vector<Cell>* cells);
    std::ostream& out_;
    RenderOptions o_;
    Table buffered_;  // columns, plus rows for the aligned table
    std::optional<AlignedLayout> layout_;  // after measure(): rows print as they come
    std::unique_ptr<AlignedSpool> spool_;  // rows given once, too many to keep
    void flush();
    static constexpr std::size_t kFlushAt = std::size_t{64} << 10;
    std::string line_;  // csv or tsv rows as they are written, pending_ bytes of them not yet out
    std::size_t pending_ = 0;
    std::size_t count_ = 0;
    bool finished_ = false;
};

// A list of records: json is one array, jsonl one object per line.
void render_table(const Table& t, const RenderOptions& o, std::ostream& out);
// A single record (table must have one row): json is one object; table
// prints "field: value" lines.
void render_record(const Table& t, const RenderOptions& o, std::ostream& out);

std::string csv_field(std::string_view s, char delimiter);
// Spreadsheet safety (SPEC "Common options"): a text cell that begins with
// = + - @ tab or CR, after any leading apostrophes, and is not a plain
// number ("-3.50"), gets one more leading apostrophe, so a spreadsheet
// shows it as text instead of running it as a formula. Imports undo it
// with spreadsheet_unguard; the pair is exact: unguard(guard(s)) == s for
// every s, and unguard leaves any text guard would not produce alone.
bool spreadsheet_needs_guard(std::string_view s);
std::string spreadsheet_guard(std::string_view s);
std::string spreadsheet_unguard(std::string_view s);
// The cell as plain text (hours as 1.50, lists ;-joined).
std::string cell_text(const Cell& c);
// The cell as a JSON value: empty as null, hours and numbers as numbers,
// lists as arrays, a Structured cell as its own json.
Json cell_value(const Cell& c);

}  // namespace tb::io
