#include "tb/io/mapping.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::io {

HeaderMap::HeaderMap(const ImportMapping& mapping, const std::vector<std::string>& fields,
                     const std::vector<std::string>& header, const std::string& file, std::size_t line)
    : width_(header.size()) {
    std::vector<std::string> keys;
    for (auto& h : header) keys.push_back(text::fold_key(h));
    std::vector<bool> used(header.size(), false);
    auto column_of = [&](const std::string& name) -> std::optional<std::size_t> {
        auto k = text::fold_key(name);
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (!used[i] && !keys[i].empty() && keys[i] == k) return i;
        return std::nullopt;
    };
    std::vector<std::string> problems;
    // Columns to ignore are set aside first, even one named like a field.
    for (auto& ig : mapping.ignore)
        if (auto c = column_of(ig)) used[*c] = true;
    // A header that an explicit mapping names is that field's alone: no
    // built-in alias may claim it (note = ["zip"] keeps zip from postcode).
    std::vector<bool> reserved(header.size(), false);
    for (auto& [field, groups] : mapping.fields)
        for (auto& g : groups)
            for (auto& h : g) {
                auto k = text::fold_key(h);
                for (std::size_t i = 0; i < keys.size(); ++i)
                    if (keys[i] == k) reserved[i] = true;
            }
    auto take = [&](const std::string& field, const std::vector<std::vector<std::string>>& groups, bool builtin) {
        for (auto& g : groups) {
            std::vector<std::size_t> cols;
            for (auto& h : g) {
                auto c = column_of(h);
                if (!c || (builtin && reserved[*c])) break;
                cols.push_back(*c);
            }
            if (cols.size() != g.size() || cols.empty()) continue;
            std::vector<std::string> labels;
            for (auto c : cols) {
                used[c] = true;
                labels.push_back(header[c]);
            }
            sources_.push_back({field, cols, text::join(labels, " + ")});
            return true;
        }
        return false;
    };
    // Fields mapped explicitly first: their own headers, then their own name;
    // such a field takes no built-in alias column.
    for (auto& field : fields)
        if (auto it = mapping.fields.find(field); it != mapping.fields.end()) {
            auto groups = it->second;
            groups.push_back({field});
            take(field, groups, false);
        }
    // The others: their own name, then the built-in aliases in order.
    for (auto& field : fields) {
        if (mapping.fields.count(field)) continue;
        std::vector<std::vector<std::string>> groups = {{field}};
        if (auto it = mapping.aliases.find(field); it != mapping.aliases.end())
            groups.insert(groups.end(), it->second.begin(), it->second.end());
        take(field, groups, true);
    }
    values_ = mapping.values;
    for (auto& [field, value] : mapping.constants) {
        if (std::find(fields.begin(), fields.end(), field) == fields.end())
            problems.push_back(fmt::format("constant '{}': not a field (use {})", field, text::join(fields, ", ")));
        else if (!find(field))
            constants_.emplace_back(field, value);
    }
    for (auto& name : mapping.fields)
        if (std::find(fields.begin(), fields.end(), name.first) == fields.end() && name.first != "ignore")
            problems.push_back(fmt::format("mapping '{}': not a field (use {})", name.first, text::join(fields, ", ")));
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (used[i]) continue;
        if (text::trim(header[i]).empty()) {
            problems.push_back(fmt::format("column {}: has no header (name it, or delete the column)", i + 1));
            continue;
        }
        // A repeated header that matched already is as unknown as any other.
        problems.push_back(fmt::format("{}: unknown column (map it to a field or to ignore in a --mapping file)",
                                       header[i]));
    }
    if (!problems.empty()) {
        std::string msg;
        for (std::size_t i = 0; i < problems.size(); ++i)
            msg += fmt::format("{}{}:{}: {}", i ? "\n" : "", file, line, problems[i]);
        throw Rejected(msg);
    }
}

const HeaderMap::Source* HeaderMap::find(const std::string& field) const {
    for (auto& s : sources_)
        if (s.field == field) return &s;
    return nullptr;
}

bool HeaderMap::has(const std::string& field) const {
    if (find(field)) return true;
    for (auto& c : constants_)
        if (c.first == field) return true;
    return false;
}

std::optional<std::string> HeaderMap::get(const std::string& field, const std::vector<std::string>& cells,
                                           bool keep_spaces) const {
    if (auto* s = find(field)) {
        if (keep_spaces && s->columns.size() == 1) {
            auto c = s->columns[0];
            if (c < cells.size() && !text::trim(cells[c]).empty()) return cells[c];
        }
        std::string out;
        for (auto c : s->columns) {
            std::string_view v = c < cells.size() ? text::trim(cells[c]) : std::string_view{};
            if (v.empty()) continue;
            if (!out.empty()) out += ' ';
            out += v;
        }
        return answer(field, out);
    }
    for (auto& c : constants_)
        if (c.first == field) return answer(field, c.second);
    return std::nullopt;
}

std::string HeaderMap::answer(const std::string& field, const std::string& value) const {
    auto f = values_.find(field);
    if (f == values_.end()) return value;
    auto a = f->second.find(text::fold_key(value));
    return a == f->second.end() ? value : a->second;
}

std::vector<std::string> split_list(std::string_view value, std::string_view separator) {
    std::vector<std::string> out;
    if (separator.empty()) separator = ";";
    std::size_t start = 0;
    while (start <= value.size()) {
        auto end = value.find(separator, start);
        if (end == std::string_view::npos) end = value.size();
        auto item = text::trim(value.substr(start, end - start));
        if (!item.empty()) out.emplace_back(item);
        start = end + separator.size();
    }
    return out;
}

std::string HeaderMap::column_name(const std::string& field) const {
    if (auto* s = find(field)) return s->label;
    return field;
}

bool HeaderMap::under_own_name(const std::string& field) const {
    auto* s = find(field);
    return s && s->columns.size() == 1 && text::fold_key(s->label) == text::fold_key(field);
}

}  // namespace tb::io
