#pragma once
// The weekly report that a cron job mails to the steering group: last
// week's figures against the week before, twelve weeks of hours, categories,
// balances beyond limits and under the warning level, inactive and new
// members (and how many have yet to make a first exchange), open requests
// nobody has been proposed for, proposals pending for more than
// follow_up_days, requests past their needed-by date, safeguarding checks
// expiring within 30 days. Built once, then written as text, markdown, html
// or json; every sentence it prints is true of the data.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/io/output.hpp"
#include "tb/report/figures.hpp"
#include "tb/store/check.hpp"

namespace tb::report {

struct WeekBar {
    Period week;
    std::string label;  // 2026-W47
    std::int64_t exchanges = 0;
    Minutes minutes = 0;
};

struct LimitRow {
    std::string member, name;
    Minutes balance = 0;
    Minutes limit = 0;
    bool below = true;  // under the minimum (or the warning level), else over the maximum
    // In under_warning: the minimum it is also beyond, if it is.
    std::optional<Minutes> beyond;
};

struct InactiveRow {
    std::string member, name;
    std::optional<Date> last_exchange;
    Date joined;
    int days = 0;  // since the last exchange, else since joining
};

struct NewMemberRow {
    std::string member, name;
    MemberKind kind = MemberKind::person;
    Date joined;
    std::optional<Date> first_exchange;  // none: yet to make one
};

struct RequestRow {
    store::OpenRequest request;
    std::string name;  // the requesting member's name
    int days_late = 0;  // past_needed_by: days since the needed-by date
};

// A proposal pending for more than follow_up_days: the broker should call.
struct ProposalRow {
    std::int64_t request = 0;
    std::string requester, requester_name, category;
    std::string member, name;  // proposed to
    Date proposed;
    int days = 0;  // since proposed
};

struct CheckRow {
    std::string member, name, check;
    Date expires;
    int days_left = 0;  // 0: expires today (valid through that day)
};

// Checks listed when they expire within this many days.
inline constexpr int kCheckWarningDays = 30;

struct Weekly {
    std::string bank;
    Date today;
    Period period;
    std::string period_label;  // "Week 2026-W47" or "2026-11-01 to 2026-11-30"
    std::optional<std::string> week;  // "2026-W47" when the period is one whole week
    std::optional<Period> previous;
    GroupFigures figures;
    PotFigures pot;
    std::vector<WeekBar> weeks;  // twelve, the period's last week last
    std::vector<CategoryFigure> categories;
    std::vector<LimitRow> beyond_limits;
    std::optional<Minutes> warn_below;
    std::vector<LimitRow> under_warning;  // under warn_below but within the limits
    int inactive_days = 0;
    std::vector<InactiveRow> inactive;  // longest inactive first
    std::vector<NewMemberRow> new_members;
    std::int64_t new_without_first_exchange = 0;
    std::int64_t open_request_count = 0;  // every open request
    std::vector<RequestRow> open_requests;  // those with no proposal pending or accepted
    int follow_up_days = 7;
    std::vector<ProposalRow> stale_proposals;  // pending for more than follow_up_days, oldest first
    std::vector<RequestRow> past_needed_by;    // open, longest overdue first
    std::vector<CheckRow> checks_expiring;     // of active members, within kCheckWarningDays, soonest first
    std::int64_t checks_expired = 0;           // of active members, already expired
    // The head of each hash chain, in the footer: `tb check --expect-head
    // REPORT` later proves the history it was made from was not rewritten.
    std::vector<store::ChainHead> heads;
};

Weekly build_weekly(store::Store& s, const Directory& dir, Period p, const Config& c, Date today);

// Lists longer than this are cut in text, markdown and html ("... and N more").
inline constexpr std::size_t kWeeklyListLimit = 20;

// The lists of the report as every format but json shows them: a heading
// with the count, the rows (cut to kWeeklyListLimit), the sentence said when
// there are none, and a note said after the rows (or the sentence).
struct WeeklyList {
    std::string heading;
    io::Table rows;
    std::size_t total = 0;
    std::string empty;
    std::string note;
};
std::vector<WeeklyList> weekly_lists(const Weekly& w);

void weekly_text(const Weekly& w, std::ostream& out);
void weekly_markdown(const Weekly& w, std::ostream& out);
void weekly_json(const Weekly& w, std::ostream& out);
// One standalone file: inline CSS and SVG charts, no external assets.
void weekly_html(const Weekly& w, std::ostream& out);

// Markdown for the other reports: a table, and a text escaped for one cell.
std::string markdown_table(const io::Table& t);
std::string markdown_escape(const std::string& s);

}  // namespace tb::report
