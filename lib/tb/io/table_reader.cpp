#include "tb/io/table_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "tb/io/csv_reader.hpp"
#include "tb/io/ods_reader.hpp"
#include "tb/io/xlsx_reader.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::io {

std::string display_name(const std::string& path) { return path == "-" ? "stdin" : path; }

std::unique_ptr<RowSource> open_table(const std::string& path, const ReadOptions& opts) {
    if (path == "-") return std::make_unique<CsvReader>(path, opts, ',');
    auto slash = path.find_last_of('/');
    auto base = slash == std::string::npos ? path : path.substr(slash + 1);
    auto dot = base.find_last_of('.');
    std::string ext = dot == std::string::npos || dot == 0 ? "" : text::lower(base.substr(dot));
    if (ext == ".csv" || ext == ".txt") return std::make_unique<CsvReader>(path, opts, ',');
    if (ext == ".tsv") return std::make_unique<CsvReader>(path, opts, '\t');
    if (ext == ".xlsx") return std::make_unique<XlsxReader>(path, opts);
    if (ext == ".ods") return std::make_unique<OdsReader>(path, opts);
    std::string hint;
    if (ext == ".xls" || ext == ".xlsm" || ext == ".xlsb" || ext == ".numbers")
        hint = "; save it as .xlsx or as CSV UTF-8";
    std::string what = ext.empty() ? "the file name has no extension" : "unknown file type " + ext;
    throw UsageError(fmt::format(
        "cannot read {}: {} (use .csv, .tsv, .txt, .xlsx or .ods, or - for CSV on stdin){}", path,
        what, hint));
}

namespace detail {

std::string number_text(double v, char decimal_mark) {
    if (!std::isfinite(v)) return std::isnan(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity");
    if (v == 0) return "0";
    double a = std::fabs(v);
    char buf[400];
    std::to_chars_result res;
    if (a >= 1e15 || a < 1e-9) {
        // Huge or tiny: 15 significant digits, with an exponent if need be.
        res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 15);
    } else {
        int exponent = static_cast<int>(std::floor(std::log10(a)));
        int decimals = std::max(0, 14 - exponent);
        res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    }
    std::string s(buf, res.ptr);
    auto e = s.find_first_of("eE");
    std::string mantissa = s.substr(0, e), exp = e == std::string::npos ? "" : s.substr(e);
    if (mantissa.find('.') != std::string::npos) {
        while (mantissa.back() == '0') mantissa.pop_back();
        if (mantissa.back() == '.') mantissa.pop_back();
    }
    if (mantissa == "-0") mantissa = "0";
    if (decimal_mark != '.')
        for (auto& c : mantissa)
            if (c == '.') c = decimal_mark;
    return mantissa + exp;
}

bool trim_row(std::vector<std::string>& cells) {
    while (!cells.empty() && cells.back().empty()) cells.pop_back();
    return !cells.empty();
}

std::size_t choose_sheet(const std::string& file, const std::vector<std::string>& names, const std::string& wanted) {
    auto it = std::find(names.begin(), names.end(), wanted);
    if (it == names.end())
        it = std::find_if(names.begin(), names.end(),
                          [&](const std::string& n) { return text::lower(n) == text::lower(wanted); });
    if (it == names.end()) {
        std::vector<std::string> quoted;
        for (auto& n : names) quoted.push_back(fmt::format("\"{}\"", n));
        throw UsageError(fmt::format("{}: there is no sheet named \"{}\"; its sheets are {}", file, wanted,
                                     text::join(quoted, ", ")));
    }
    return static_cast<std::size_t>(it - names.begin());
}

}  // namespace detail

}  // namespace tb::io
