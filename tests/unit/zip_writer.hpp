#pragma once
// Zip archives for the spreadsheet reader tests (.xlsx, .ods), written part
// by part with libzip.
#include <doctest/doctest.h>
#include <string>
#include <utility>
#include <vector>
#include <zip.h>

namespace tb::test {

// (name, content) of each part, in archive order.
using ZipParts = std::vector<std::pair<std::string, std::string>>;

// Zips the parts into a new file at `path`. With `first_stored`, the first
// part is stored uncompressed (an ODF file's mimetype must be).
inline void write_zip(const std::string& path, const ZipParts& parts, bool first_stored = false) {
    int err = 0;
    zip_t* za = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    REQUIRE(za != nullptr);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto& [name, content] = parts[i];
        zip_source_t* src = zip_source_buffer(za, content.data(), content.size(), 0);
        REQUIRE(src != nullptr);
        zip_int64_t idx = zip_file_add(za, name.c_str(), src, ZIP_FL_ENC_UTF_8);
        REQUIRE(idx >= 0);
        if (i == 0 && first_stored)
            REQUIRE(zip_set_file_compression(za, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0) == 0);
    }
    REQUIRE(zip_close(za) == 0);
}

}  // namespace tb::test
