// libFuzzer target: the .xlsx reader (any bytes as a workbook). Rows must
// come in increasing order with cells within the limits; a tb::Error is a
// fine answer.
#include <cstdint>
#include <cstdlib>

#include "fuzz_input.hpp"
#include "tb/io/xlsx_reader.hpp"
#include "tb/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto path = tb::fuzz::as_file(data, size);
    tb::io::ReadOptions o;
    o.max_shared_strings = 64u << 20;  // the limit's logic, without 256 MiB runs
    try {
        tb::io::XlsxReader r(path, o);
        tb::io::SourceRow row;
        std::size_t last = 0, rows = 0;
        while (r.next(row) && ++rows < 100000) {
            if (row.line <= last || row.cells.empty()) std::abort();
            last = row.line;
            for (auto& c : row.cells)
                if (c.size() > (64u << 10)) std::abort();
        }
    } catch (const tb::Error&) {
    }
    return 0;
}
