#pragma once
// HTML helpers for the reports (weekly_html itself is in weekly.hpp).
#include <ostream>
#include <string>
#include <string_view>

#include "tb/io/output.hpp"

namespace tb::report {

// Escapes & < > " ' so that any text is safe in an element or an attribute.
std::string html_escape(std::string_view s);
// At most max_chars code points, with "…" when cut.
std::string truncate_utf8(std::string_view s, std::size_t max_chars);

// The pieces of a standalone page in the weekly report's style (inline CSS,
// cards, no external assets), for the other html reports.
// `extra_css` is added after the shared style (a page's own rules).
void html_page_begin(std::ostream& out, const std::string& title, std::string_view extra_css = {});
void html_page_end(std::ostream& out, const std::string& footer);
std::string html_table(const io::Table& t);
// A change against a previous figure, as the weekly report's summary shows it.
std::string html_change(double now, double before, bool have_previous, const std::string& shown_before);

}  // namespace tb::report
