#pragma once
// One member's statement (tb-exchange statement): every exchange and opening
// balance with a running balance, like a bank statement, and its printable
// html page for members without email.
#include <functional>
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

// What a statement shows before its lines.
struct StatementHead {
    std::string member, name;
    std::optional<Date> since, until;
    Minutes opening_balance = 0;  // before the first line of the period
};

// The head of member `id`'s (an existing member's ID) statement within
// [since, until]: the balance brought forward comes from the shorter side of
// the date (store::balance_as_of_kept).
StatementHead statement_head(store::Store& s, const std::string& id, std::optional<Date> since,
                             std::optional<Date> until);

// Calls `fn` for each line in order, as the ledger is read (nothing is held,
// however long the history): with a period that starts later than the
// first line, "brought forward" first (the balance at the end of the day
// before); then every opening balance and exchange in the period, an
// opening balance before the exchanges of its day. Returns the closing
// balance (after the last line).
Minutes for_each_statement_line(store::Store& s, const StatementHead& head,
                                const std::function<void(const StatementLine&)>& fn);

// The whole statement in memory (tests, short histories).
struct Statement {
    StatementHead head;
    Minutes closing_balance = 0;  // after the last line
    std::vector<StatementLine> lines;
};
Statement statement(store::Store& s, const std::string& id, std::optional<Date> since, std::optional<Date> until);

// One standalone page (inline CSS for screen and A4 print, no scripts, no
// external resources): the bank, the member, the period, the opening and
// closing balance, and each exchange with both sides' names. The lines are
// read twice (the closing balance comes first), never held.
void statement_html(store::Store& s, const StatementHead& head, const std::string& bank, Date today,
                    std::ostream& out);

}  // namespace tb::report
