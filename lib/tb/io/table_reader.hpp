#pragma once
// Row sources for imports: CSV/TSV (also from stdin), .xlsx and .ods, all
// read as rows of UTF-8 text cells, streamed so that memory does not grow
// with the number of rows. No layer here prints; errors are tb/util/error.hpp.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tb::io {

struct SourceRow {
    // The row number as a spreadsheet user sees it (1-based; the header row,
    // skipped and empty rows count). For CSV a record with a quoted newline
    // is still one row.
    std::size_t line = 0;
    // UTF-8 text of each cell, trailing empty cells trimmed (never all empty).
    std::vector<std::string> cells;
};

struct ReadOptions {
    // CSV: default detected from the header line: ',' ';' or '\t', whichever
    // is most frequent outside quotes (ties: ',' then ';' then tab; none at
    // all: ',' — or tab for a .tsv file).
    std::optional<char> separator;
    std::string sheet;        // xlsx/ods sheet name; empty = first sheet
    char decimal_mark = '.';  // for formatting numeric cells of xlsx/ods as text
    // Rows before the header (a mapping file's `skip`): rows whose line is
    // <= skip are not returned, and the CSV separator is detected from the
    // row after them. Default 0: every row is returned.
    std::size_t skip = 0;
    // xlsx: the most the shared string table may hold in memory (its text
    // plus 8 bytes a string); SPEC "Cells": 256 MiB. Tests set it lower.
    std::size_t max_shared_strings = 256u << 20;
};

class RowSource {
public:
    virtual ~RowSource() = default;
    // Next non-empty row (rows whose cells are all empty are skipped); false
    // at end. Throws Rejected for malformed input (naming FILE:LINE).
    // Reusing the same SourceRow across calls avoids allocations.
    virtual bool next(SourceRow& row) = 0;
    // File name for messages ("-" shows as "stdin").
    virtual const std::string& name() const = 0;
};

// By extension (case-insensitive): .csv .tsv .txt (and "-" = CSV from
// stdin) -> CSV; .xlsx; .ods. Unknown extension -> UsageError.
// Missing/unreadable file -> SystemError (exit 1) naming it. A file that is
// not what its extension says (corrupt zip, no sheet) -> Rejected naming it.
// An unknown --sheet -> UsageError listing the sheet names.
std::unique_ptr<RowSource> open_table(const std::string& path, const ReadOptions& opts);

// The name used in messages for a path: "stdin" for "-", else the path.
std::string display_name(const std::string& path);

namespace detail {
// A spreadsheet number as text: at most 15 significant digits (as a
// spreadsheet shows it, so 0.1+0.2 stored as 0.30000000000000004 gives
// "0.3"), no exponent for ordinary magnitudes, no trailing zeros, "-0" as
// "0", and `decimal_mark` instead of '.'.
std::string number_text(double v, char decimal_mark);
// Trims trailing empty cells; true if any cell is left.
bool trim_row(std::vector<std::string>& cells);
// The index in `names` of the sheet a --sheet value names: the first named
// exactly, else the first named so ignoring case. None -> UsageError
// "FILE: there is no sheet named "X"; its sheets are "A", "B"". The one
// lookup of a sheet by name for .xlsx and .ods.
std::size_t choose_sheet(const std::string& file, const std::vector<std::string>& names, const std::string& wanted);
}  // namespace detail

}  // namespace tb::io
