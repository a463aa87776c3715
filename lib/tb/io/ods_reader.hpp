#pragma once
// OpenDocument spreadsheets (.ods): one table's rows, streamed from
// content.xml.
#include <memory>
#include <string>
#include <vector>

#include "tb/io/table_reader.hpp"

namespace tb::io {

class OdsReader : public RowSource {
public:
    // Positions on the chosen table (opts.sheet; the first when empty).
    // Throws SystemError (cannot open), Rejected (not a valid .ods) or
    // UsageError (no such sheet; the message lists the sheet names).
    OdsReader(const std::string& path, const ReadOptions& opts);
    ~OdsReader() override;

    bool next(SourceRow& row) override;
    const std::string& name() const override;

    // The largest number of rows a sheet has (LibreOffice, Excel): a repeat
    // of a non-empty row is cut there.
    static constexpr std::size_t max_rows = 1u << 20;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace tb::io
