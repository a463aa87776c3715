#pragma once
// Office Open XML workbooks (.xlsx): one sheet's rows, streamed.
#include <memory>
#include <string>
#include <vector>

#include "tb/io/table_reader.hpp"

namespace tb::io {

class XlsxReader : public RowSource {
public:
    // Reads the workbook, styles and shared strings, and positions on the
    // chosen sheet (opts.sheet; the first sheet when empty). Throws
    // SystemError (cannot open), Rejected (not a valid .xlsx) or UsageError
    // (no such sheet; the message lists the sheet names).
    XlsxReader(const std::string& path, const ReadOptions& opts);
    ~XlsxReader() override;

    bool next(SourceRow& row) override;
    const std::string& name() const override;
    // Every sheet's name, in workbook order.
    const std::vector<std::string>& sheet_names() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

namespace detail {
// The text of an Excel date serial (1900 or 1904 date system) as
// YYYY-MM-DD; empty if the serial is not a date (negative, out of range).
std::string excel_serial_date(double serial, bool date1904);
// How a number format shows a number: as a number, a date, a time of day,
// or elapsed time ([h]:mm). `format_code` is a custom format; built-in
// formats are known by id.
enum class NumberKind { number, date, time, elapsed };
NumberKind number_format_kind(int id, const std::string& format_code);
}  // namespace detail

}  // namespace tb::io
