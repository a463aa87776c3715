// libFuzzer target: a --mapping file (TOML) loaded, then used on a header
// row and a data row taken from the input's last two lines; the cells are
// checked and read as import would.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "tb/model/config.hpp"
#include "tb/io/mapping.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string all(reinterpret_cast<const char*>(data), size);
    // "TOML \x00 header,cells \x00 row,cells"
    auto cut1 = all.find('\0');
    std::string toml = all.substr(0, cut1);
    std::string header_line, row_line;
    if (cut1 != std::string::npos) {
        auto cut2 = all.find('\0', cut1 + 1);
        header_line = all.substr(cut1 + 1, cut2 == std::string::npos ? std::string::npos : cut2 - cut1 - 1);
        if (cut2 != std::string::npos) row_line = all.substr(cut2 + 1);
    }
    auto path = tb::fuzz::as_file(reinterpret_cast<const std::uint8_t*>(toml.data()), toml.size());
    try {
        auto m = tb::load_mapping_file(path);
        static const std::vector<std::string> fields = {"id", "name", "email", "note", "date", "provider",
                                                         "recipient", "hours", "category", "offers"};
        auto header = tb::text::split(header_line, ',', false, false);
        auto row = tb::text::split(row_line, ',', false, false);
        tb::io::HeaderMap map(m, fields, header, "f.csv", 1);
        (void)map.cell_problems(row);
        for (auto& f : fields)
            if (map.has(f)) (void)map.get(f, row, f == "note");
    } catch (const tb::Error&) {
    }
    return 0;
}
