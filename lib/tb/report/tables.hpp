#pragma once
// The data reports as rows: one builder per report, one renderer for all.
// The table format is for people (a title line, no minute columns, changes
// as "+12.5%"); csv, tsv, json and jsonl are for programs (minutes next to
// every hours figure, plain numbers, no title).
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/io/output.hpp"
#include "tb/report/figures.hpp"

namespace tb::report {

struct ReportTable {
    std::string title;  // printed above the aligned table only
    io::Table table;
    std::vector<bool> for_programs;  // by column: left out of the aligned table
    std::vector<std::string> notes;  // printed below the aligned table only
    bool record = false;             // one row: "field: value" lines, a json object
};
void render(const ReportTable& t, const io::RenderOptions& o, std::ostream& out);

// A report written as its rows come: `head`'s title first (the aligned
// table only), each row (the aligned table leaves the for_programs columns
// out), then the notes. Not for a record. `spool`: rows too many to keep,
// the aligned table keeps their texts in a temporary file (io::RowWriter).
class ReportWriter {
public:
    ReportWriter(std::ostream& out, const io::RenderOptions& o, const ReportTable& head, bool spool);
    void row(const std::vector<io::Cell>& cells);
    void finish(const std::vector<std::string>& notes);

private:
    std::ostream& out_;
    io::RenderOptions o_;
    std::vector<std::size_t> keep_;  // the columns shown, all of them but in the aligned table
    std::vector<io::Cell> picked_;
    std::optional<io::RowWriter> w_;
};

// Everything a report needs to know besides the store.
struct ReportContext {
    const Config& config;
    Date today;
    bool for_people = true;  // the aligned table, not csv/json
};

std::string describe_period(Period p);

// The bank's name for report headings: the config's [timebank] name when a
// config file sets it, else the name given to tb init.
std::string bank_name(store::Store& s, const Config& c);

// summary: one row per group and measure, with the previous period.
ReportTable summary_table(const Summary& s, const ReportContext& ctx);

// A member's limits: their own, else the bank's; nullopt = none.
std::optional<Minutes> min_limit_of(const store::ReportMember& m, const Config& c);
std::optional<Minutes> max_limit_of(const store::ReportMember& m, const Config& c);

struct BalanceOptions {
    std::optional<Minutes> below, above;
    std::optional<Date> as_of;
};
ReportTable balances_table(store::Store& s, const Directory& dir, const BalanceOptions& o, const ReportContext& ctx);
// The same in parts, for a writer: the title and columns (no rows, no
// notes), then each member shown as a row of them, given to `row`; returns
// the note (how many, and their sum).
ReportTable balances_head(const BalanceOptions& o, const ReportContext& ctx);
std::string balances_rows(store::Store& s, const Directory& dir, const BalanceOptions& o, const ReportContext& ctx,
                          const std::function<void(const std::vector<io::Cell>&)>& row);

ReportTable activity_table(store::Store& s, const Directory& dir, Period p, Bucket by, const ReportContext& ctx);

struct MemberListOptions {
    std::optional<int> inactive_days;
    bool never_traded = false;
};
ReportTable members_table(store::Store& s, const Directory& dir, Period p, const MemberListOptions& o,
                          const ReportContext& ctx);

ReportTable categories_table(store::Store& s, const Directory& dir, Period p, const ReportContext& ctx);

struct SocialValueOptions {
    double rate = 0;
    std::string currency;
};
ReportTable social_value_table(store::Store& s, Period p, const SocialValueOptions& o, const ReportContext& ctx);

// The last activity of a member for outreach: their latest trade, else the
// day they joined. Inactive for N days means that is N or more days ago.
Date last_activity(const store::ReportMember& m);

// A category's name for display ("(none)" for an exchange without one).
std::string category_label(const std::string& c);

}  // namespace tb::report
