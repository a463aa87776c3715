#pragma once
// One member's statement (tb-exchange statement): every exchange and opening
// balance with a running balance, like a bank statement, and its printable
// html page for members without email.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tb/model/model.hpp"
#include "tb/store/store.hpp"

namespace tb::report {

struct StatementLine {
    Date date;
    std::optional<std::int64_t> number;  // none for "brought forward"
    std::string type;                    // opening, gave, received, donated, granted, void of N, brought forward
    std::string provider, provider_name, recipient, recipient_name, category, note;
    std::optional<Minutes> change;       // none for "brought forward"
    Minutes balance = 0;                 // after this line
    std::optional<std::int64_t> amends, amended_by;
    std::optional<std::int64_t> reverses;  // a void: the exchange it voids
};

struct Statement {
    std::string member, name;
    std::optional<Date> since, until;
    Minutes opening_balance = 0;  // before the first line of the period
    Minutes closing_balance = 0;  // after the last
    // With a period that starts later than the first line, the first line is
    // "brought forward" (the balance at the end of the day before).
    std::vector<StatementLine> lines;
};

// The lines of member `id` (an existing member's ID) within [since, until].
Statement statement(store::Store& s, const std::string& id, std::optional<Date> since, std::optional<Date> until);

// One standalone page (inline CSS for screen and A4 print, no scripts, no
// external resources): the bank, the member, the period, the opening and
// closing balance, and each exchange with both sides' names.
void statement_html(const Statement& st, const std::string& bank, Date today, std::ostream& out);

}  // namespace tb::report
