// libFuzzer target: the CSV/TSV reader (any bytes as a .csv file), with and
// without a given separator and skipped rows. Every row it gives must be
// valid UTF-8 with no cell over the limit; a tb::Error is a fine answer.
#include <cstdint>
#include <cstdlib>

#include "fuzz_input.hpp"
#include "tb/io/csv_reader.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    // The first byte picks the options, the rest is the file.
    tb::io::ReadOptions o;
    std::uint8_t pick = data[0];
    if (pick & 1) o.separator = (pick & 2) ? ';' : '\t';
    o.skip = (pick >> 2) & 3;
    auto path = tb::fuzz::as_file(data + 1, size - 1);
    try {
        tb::io::CsvReader r(path, o, (pick & 16) ? '\t' : ',');
        tb::io::SourceRow row;
        std::size_t last = 0;
        while (r.next(row)) {
            if (row.line <= last || row.cells.empty()) std::abort();
            last = row.line;
            for (auto& c : row.cells)
                if (c.size() > tb::io::CsvReader::max_field_bytes || !tb::text::is_valid_utf8(c)) std::abort();
        }
    } catch (const tb::Error&) {
    }
    return 0;
}
