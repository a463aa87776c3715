// CSV/TSV reader: a small streaming RFC 4180 state machine of our own.
//
// Why not libcsv (Debian's libcsv-dev, which we considered): with CSV_STRICT off it
// cannot tell us that the file ended inside a quoted field (CSV_STRICT_FINI
// only works together with CSV_STRICT, which also rejects the stray quotes
// spreadsheets accept) short of reading its private parser states; it drops
// blank lines unless CSV_REPALL_NL, which then reports CRLF as two line ends,
// so spreadsheet row numbers need a pairing workaround; it trims spaces and
// tabs around unquoted fields and tests "space" before the delimiter, so
// empty tab-separated fields collapse unless a per-byte callback is
// installed; and its C callbacks cannot throw. Our machine is ~100 lines,
// counts records exactly as a spreadsheet numbers rows, reports errors where
// they happen, and scans unquoted runs (eight bytes at a time) and quoted
// runs (memchr) in bulk, appending whole spans to reused cell strings.
//
// Memory: one 64 KiB buffer plus the current record (a field is capped at
// max_field_bytes), whatever the size of the file.
#include "tb/io/csv_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::io {

namespace {

constexpr std::size_t kChunk = 64 * 1024;

bool all_ascii(const std::string& s) {
    const char* p = s.data();
    std::size_t n = s.size();
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        if (w & 0x8080808080808080ull) return false;
        p += 8;
        n -= 8;
    }
    while (n--)
        if (static_cast<unsigned char>(*p++) & 0x80) return false;
    return true;
}

// UTF-16 without a byte order mark: text of mostly ASCII characters has a
// NUL in every other byte (the high byte of each code unit). A NUL here
// and there is a bad cell, not an encoding.
bool looks_utf16(const char* b, std::size_t n) {
    n = std::min<std::size_t>(n, 4096) & ~std::size_t{1};
    if (n < 2) return false;
    std::size_t even = 0, odd = 0;
    for (std::size_t i = 0; i < n; i += 2) {
        even += b[i] == '\0';
        odd += b[i + 1] == '\0';
    }
    std::size_t units = n / 2;
    return (odd * 2 >= units && even * 8 < units) || (even * 2 >= units && odd * 8 < units);
}

}  // namespace

CsvReader::CsvReader(const std::string& path, const ReadOptions& opts, char default_separator)
    : path_(path), name_(display_name(path)), buf_(kChunk), skip_(opts.skip) {
    if (path == "-") {
        fd_ = STDIN_FILENO;
    } else {
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) throw SystemError(fmt::format("cannot open {}: {}", name_, std::strerror(errno)));
        own_fd_ = true;
    }
    // The first fill reads a whole chunk (or the whole input if smaller), so
    // that the BOM and the header line can be looked at.
    while (!eof_ && end_ < buf_.size()) {
        ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
        if (n < 0) {
            if (errno == EINTR) continue;
            read_failed();
        }
        if (n == 0) eof_ = true;
        end_ += static_cast<std::size_t>(n);
    }
    auto starts = [&](std::string_view bom) {
        return end_ >= bom.size() && std::memcmp(buf_.data(), bom.data(), bom.size()) == 0;
    };
    if (starts("\xEF\xBB\xBF")) {
        pos_ = 3;
    } else if (starts("\xFF\xFE") || starts("\xFE\xFF") || looks_utf16(buf_.data(), end_)) {
        throw Rejected(fmt::format("{}: UTF-16 text; save it as UTF-8 CSV (\"CSV UTF-8\" in Excel)", name_));
    }
    sep_ = opts.separator ? *opts.separator : detect_separator(default_separator);
    stop_[static_cast<unsigned char>(sep_)] = true;
    stop_['\r'] = true;
    stop_['\n'] = true;
}

CsvReader::~CsvReader() {
    if (own_fd_) ::close(fd_);
}

void CsvReader::read_failed() const {
    throw SystemError(fmt::format("cannot read {}: {}", name_, std::strerror(errno)));
}

bool CsvReader::fill() {
    pos_ = end_ = 0;
    while (!eof_) {
        ssize_t n = ::read(fd_, buf_.data(), buf_.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            read_failed();
        }
        if (n == 0) {
            eof_ = true;
            break;
        }
        end_ = static_cast<std::size_t>(n);
        return true;
    }
    return false;
}

// Counts , ; and tab outside quotes in the header line: the first record
// after `skip_` records that is not empty (as next() skips empty rows, blank
// lines and lines of bare separators above the header), as far as the first
// chunk holds it.
char CsvReader::detect_separator(char fallback) const {
    std::size_t i = pos_;
    std::size_t records = 0;
    bool quoted = false, content = false;
    std::size_t comma = 0, semi = 0, tab = 0;
    while (i < end_) {
        char c = buf_[i++];
        if (c == '"') {
            quoted = !quoted;  // a doubled quote toggles twice: no change
        } else if (quoted) {
            content = true;
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && i < end_ && buf_[i] == '\n') ++i;
            if (records++ >= skip_) {
                if (content) break;
                comma = semi = tab = 0;
            }
        } else if (records >= skip_) {
            if (c == ',') ++comma;
            else if (c == ';') ++semi;
            else if (c == '\t') ++tab;
            else content = true;
        }
    }
    if (comma == 0 && semi == 0 && tab == 0) return fallback;
    if (fallback == '\t' && tab >= comma && tab >= semi) return '\t';
    if (comma >= semi && comma >= tab) return ',';
    return semi >= tab ? ';' : '\t';
}

// The first separator, CR or LF in b[i, end), eight bytes at a time.
std::size_t CsvReader::find_stop(const char* b, std::size_t i, std::size_t end) const {
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const std::uint64_t sep = ones * static_cast<unsigned char>(sep_);
    const std::uint64_t cr = ones * '\r', lf = ones * '\n';
    auto zero_bytes = [&](std::uint64_t v) { return (v - ones) & ~v & highs; };
    for (; std::endian::native == std::endian::little && i + 8 <= end; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, b + i, 8);
        std::uint64_t m = zero_bytes(w ^ sep) | zero_bytes(w ^ cr) | zero_bytes(w ^ lf);
        // The lowest marked byte is exact (little-endian: borrows only run upwards).
        if (m) return i + static_cast<std::size_t>(__builtin_ctzll(m) / 8);
    }
    while (i < end && !stop_[static_cast<unsigned char>(b[i])]) ++i;
    return i;
}

bool CsvReader::read_record(std::vector<std::string>& cells) {
    enum class St { field_start, unquoted, quoted, quote_seen };
    St st = St::field_start;
    std::size_t n = 0;
    std::string* cell = nullptr;
    bool started = false;
    const char sep = sep_;
    auto begin_cell = [&]() -> std::string* {
        if (n < cells.size())
            cells[n].clear();
        else
            cells.emplace_back();
        return &cells[n++];
    };
    auto end_record = [&](char c) {
        ++pos_;
        if (c == '\r') skip_lf_ = true;
        cells.resize(n);
        return true;
    };
    auto check_size = [&] {
        if (cell->size() > max_field_bytes)
            throw Rejected(fmt::format(
                "{}:{}: column {}: a cell longer than {} KiB starts on this row (is a closing quote missing?)",
                name_, line_, n, max_field_bytes >> 10));
    };
    for (;;) {
        if (pos_ == end_ && !fill()) {
            if (!started) return false;
            if (st == St::quoted)
                throw Rejected(fmt::format(
                    "{}:{}: a quoted field that starts on this row has no closing quote", name_,
                    line_));
            cells.resize(n);
            return true;
        }
        const char* b = buf_.data();
        if (skip_lf_) {
            skip_lf_ = false;
            if (b[pos_] == '\n') {
                ++pos_;
                continue;
            }
        }
        if (!started) {
            started = true;
            ++line_;
        }
        switch (st) {
        case St::field_start: {
            cell = begin_cell();
            char c = b[pos_];
            if (c == '"') {
                ++pos_;
                st = St::quoted;
            } else if (c == sep) {
                ++pos_;  // an empty field; the next one starts here
            } else if (c == '\n' || c == '\r') {
                return end_record(c);
            } else {
                st = St::unquoted;
            }
            break;
        }
        case St::unquoted: {
            std::size_t i = find_stop(b, pos_, end_);
            cell->append(b + pos_, i - pos_);
            check_size();
            pos_ = i;
            if (i == end_) break;
            if (b[i] == sep) {
                ++pos_;
                st = St::field_start;
                break;
            }
            return end_record(b[i]);
        }
        case St::quoted: {
            const void* q = std::memchr(b + pos_, '"', end_ - pos_);
            std::size_t i = q ? static_cast<std::size_t>(static_cast<const char*>(q) - b) : end_;
            cell->append(b + pos_, i - pos_);
            check_size();
            pos_ = i;
            if (q) {
                ++pos_;
                st = St::quote_seen;
            }
            break;
        }
        case St::quote_seen: {
            char c = b[pos_];
            if (c == '"') {  // a doubled quote stands for one
                cell->push_back('"');
                ++pos_;
                st = St::quoted;
            } else if (c == sep) {
                ++pos_;
                st = St::field_start;
            } else if (c == '\n' || c == '\r') {
                return end_record(c);
            } else {
                st = St::unquoted;  // "abc"def reads as abcdef, as spreadsheets do
            }
            break;
        }
        }
    }
}

void CsvReader::check_utf8(const std::vector<std::string>& cells) const {
    for (std::size_t i = 0; i < cells.size(); ++i)
        if (!all_ascii(cells[i]) && !text::is_valid_utf8(cells[i]))
            throw Rejected(fmt::format(
                "{}:{}: column {}: invalid UTF-8 (the file may be Windows-1252; save it as UTF-8 / CSV UTF-8)",
                name_, line_, i + 1));
}

bool CsvReader::next(SourceRow& row) {
    while (read_record(row.cells)) {
        check_utf8(row.cells);
        if (line_ <= skip_ || !detail::trim_row(row.cells)) continue;
        row.line = line_;
        return true;
    }
    row.cells.clear();
    return false;
}

}  // namespace tb::io
