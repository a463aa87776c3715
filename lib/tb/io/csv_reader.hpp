#pragma once
// CSV/TSV rows, streamed in fixed-size chunks (see csv_reader.cpp).
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "tb/io/table_reader.hpp"

namespace tb::io {

class CsvReader : public RowSource {
public:
    // Opens `path` ("-" = stdin). `default_separator` is used when the header
    // line holds none of , ; tab (',' for .csv/.txt, '\t' for .tsv).
    // Throws SystemError if the file cannot be opened or read.
    CsvReader(const std::string& path, const ReadOptions& opts, char default_separator = ',');
    ~CsvReader() override;
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    bool next(SourceRow& row) override;
    const std::string& name() const override { return name_; }
    // The separator in use (given or detected).
    char separator() const { return sep_; }

    // The largest cell accepted (SPEC "Cells": 64 KiB; a longer one is
    // almost always a missing closing quote swallowing the rest of the
    // file, or a file made to exhaust memory). It rejects the file.
    static constexpr std::size_t max_field_bytes = 64u << 10;

private:
    bool fill();                                       // false at end of input
    bool read_record(std::vector<std::string>& cells);  // false at end of input
    void check_utf8(const std::vector<std::string>& cells) const;
    char detect_separator(char fallback) const;
    std::size_t find_stop(const char* b, std::size_t i, std::size_t end) const;
    [[noreturn]] void read_failed() const;

    std::string path_;
    std::string name_;
    int fd_ = -1;
    bool own_fd_ = false;
    bool eof_ = false;
    std::vector<char> buf_;
    std::size_t pos_ = 0;
    std::size_t end_ = 0;
    char sep_ = ',';
    std::array<bool, 256> stop_{};  // bytes that end an unquoted field
    bool skip_lf_ = false;  // a record ended with CR: a following LF belongs to it
    std::size_t line_ = 0;  // records read so far
    std::size_t skip_ = 0;
};

}  // namespace tb::io
