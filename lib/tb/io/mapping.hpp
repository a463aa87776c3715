#pragma once
// Matching a spreadsheet's header row to our fields (SPEC "Imports"):
// aliases compared case- and space-insensitively, groups of columns joined
// with a space, `ignore`, constants.
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <string>
#include <vector>

#include "tb/model/config.hpp"

namespace tb::io {

class HeaderMap {
public:
    // `fields` are the fields this import knows; their own names always
    // match. Throws Rejected naming FILE:LINE and each unknown column.
    HeaderMap(const ImportMapping& mapping, const std::vector<std::string>& fields,
              const std::vector<std::string>& header, const std::string& file, std::size_t line);

    bool has(const std::string& field) const;
    // The field's text in a row: its column(s) trimmed and joined with a
    // space, else the constant, else nullopt. Cells past the row's end count
    // as empty. With `keep_spaces`, a field from one column that is not
    // blank keeps its spaces as they are (a note, which export writes as
    // stored and which the import must match exactly).
    std::optional<std::string> get(const std::string& field, const std::vector<std::string>& cells,
                                   bool keep_spaces = false) const;
    // Cells of the row's mapped columns that hold a NUL or another control
    // character (tab, newline and carriage return aside in a note), as
    // (column, problem): such a row is rejected, never imported.
    std::vector<std::pair<std::string, std::string>> cell_problems(const std::vector<std::string>& cells) const;
    // The header text a field came from, for messages ("First name + Surname").
    std::string column_name(const std::string& field) const;
    // Whether the field comes from one column headed with the field's own
    // name (case, spaces and '_' aside), not from an alias or a constant.
    bool under_own_name(const std::string& field) const;
    std::size_t width() const { return width_; }
    // A value after [values.FIELD]: the mapped value of the answer, or the
    // answer itself when the table does not name it.
    std::string answer(const std::string& field, const std::string& value) const;

private:
    struct Source {
        std::string field;
        std::vector<std::size_t> columns;
        std::string label;
    };
    std::vector<Source> sources_;
    std::vector<std::pair<std::string, std::string>> constants_;
    std::map<std::string, std::map<std::string, std::string>> values_;
    std::size_t width_ = 0;
    const Source* find(const std::string& field) const;
};

// Splits a list cell (offers, wants, tags, checks) at `separator` (the
// mapping's list_separator, ";" by default); items trimmed, empty ones dropped.
std::vector<std::string> split_list(std::string_view value, std::string_view separator);

}  // namespace tb::io
