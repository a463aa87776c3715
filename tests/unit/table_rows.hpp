#pragma once
// Every row a table reader (CSV, .xlsx, .ods) gives back, with its line
// number, for the reader tests.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "tb/io/table_reader.hpp"

namespace tb::test {

using Rows = std::vector<std::pair<std::size_t, std::vector<std::string>>>;

inline Rows read_all(const std::string& path, const tb::io::ReadOptions& opts = {}) {
    auto src = tb::io::open_table(path, opts);
    Rows out;
    tb::io::SourceRow row;
    while (src->next(row)) out.emplace_back(row.line, row.cells);
    return out;
}

}  // namespace tb::test
