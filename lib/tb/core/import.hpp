#pragma once
// Spreadsheet imports of members and exchanges, all or nothing (SPEC "Imports").
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "tb/core/policy.hpp"
#include "tb/core/taxonomy.hpp"
#include "tb/io/mapping.hpp"
#include "tb/io/table_reader.hpp"
#include "tb/model/config.hpp"
#include "tb/store/import_stage.hpp"
#include "tb/store/members.hpp"
#include "tb/store/store.hpp"

namespace tb {

struct ImportOptions {
    std::string file;        // path, or "-" for CSV on stdin
    std::string sheet;       // xlsx/ods sheet
    ImportMapping mapping;   // share/ aliases + config + --mapping, merged
    bool dry_run = false;
    bool update = false;     // members: change existing members that differ
    std::string who;
    Date today;
    // Exchanges: a file exported by tb imported as history (SPEC "Imports":
    // History): the reason is each row's override reason; empty = not history.
    std::string history_reason;
    // -v: each row to be added or updated (with its fields' old and new
    // values) and each likely correction is passed to `notice` by its line.
    bool verbose = false;
    std::function<void(const std::string&)> notice;
    // Exchanges: check every row in a pass of its own before taking the
    // write lock even into an empty ledger (which is otherwise checked as
    // it is written, in one pass: import_exchanges). For tests comparing both.
    bool check_first = false;
};

struct ImportCounts {
    std::int64_t added = 0, updated = 0, unchanged = 0, differ = 0, rejected = 0;
    std::int64_t duplicates = 0;  // member rows passed over by duplicates = "first" / "last"
    std::vector<std::string> warnings;  // accepted, but worth a look (printed on stderr)
    int passes = 0;  // exchanges: the passes over the file's rows in date order (1 or 2), for tests
    bool streamed = false;  // exchanges: checked and written as the file was read, not staged (for tests)
};
// "12 added, 3 updated, 40 unchanged" (and ", 2 differ (use --update)").
std::string describe(const ImportCounts& c);

// Both read and check the whole file before they take the store's write
// lock, and hold it only to write (SPEC "Imports": Locks).
// Each bad row is passed to `report` as "FILE:LINE: column: problem" as it is
// found; at the end, any bad row means nothing was written and Rejected is
// thrown. A dry run writes nothing and returns what would happen.
using ProblemSink = std::function<void(const std::string&)>;
ImportCounts import_members(store::Store& s, const Config& c, const ImportOptions& o, const ProblemSink& report);
ImportCounts import_exchanges(store::Store& s, const Config& c, const ImportOptions& o, const ProblemSink& report);

// The steps of an exchange import, for their tests: parse (a row to a
// decoded record), resolve (the names in it to members), apply the policy,
// write (LedgerPass in import.cpp, run by import_exchanges).
namespace import_step {

// Counts a file's problems and passes each on as "FILE:LINE: column: problem".
struct Problems {
    const ProblemSink& sink;
    std::string file;
    std::int64_t count = 0;
    std::set<std::int64_t> bad_lines;
    void add(std::int64_t line, const std::string& column, const std::string& problem);
};

// What each row of an exchange file is read with.
struct ExchangeFile {
    const io::HeaderMap& map;
    const Config& config;
    const ImportOptions& options;
    bool history = false;                      // --history: rows keep their recorded_at
    std::int64_t unresolved_categories = 0;  // accepted outside the taxonomy (not strict)
    // Each distinct category cell's ruling (ruled_category), so that a file
    // of a million rows and a dozen categories folds a dozen texts.
    std::unordered_map<std::string, CategoryRuling> categories = {};
    CategoryRuling uncached = {};  // past kMaxRuledCategories distinct texts
};

// The ruling on a category cell (rule_category), the same text ruled once
// per file; past kMaxRuledCategories distinct texts each is ruled afresh,
// so a file of all-different categories keeps memory flat.
inline constexpr std::size_t kMaxRuledCategories = 4096;
const CategoryRuling& ruled_category(ExchangeFile& f, const std::string& text);

// A row decoded, its members still as the file names them.
struct ExchangeRecord {
    store::StagedExchange e;  // provider and recipient blank until resolved
    std::string provider_key, recipient_key;
};

// Parse: the row's cells decoded into `out`, each problem reported. False
// for a row whose cells cannot be read at all (a NUL, an ESC...).
bool parse_exchange_row(ExchangeFile& f, const io::SourceRow& row, ExchangeRecord& out, Problems& problems);

struct MemberState {
    Member member;    // the row only: no skills, tags or checks
    Minutes balance;  // running, as the pass adds the file's rows
};

// Resolve: the members an exchange file names, looked up as it names them
// (one prepared statement per kind of lookup) and kept, so a file costs what
// its rows name, not the size of the bank. A cell names a member by ID, by
// email, by "Name (ID)" when the mapping says so, else as lookup_member does
// (a name only one member has, accents, case and spaces aside).
class FileMembers {
public:
    FileMembers(store::Store& s, bool ids_in_parentheses);
    // The member a provider or recipient cell names, or nullptr and why
    // ("no member 'X'", or the IDs an ambiguous name belongs to).
    MemberState* resolve(const std::string& key, std::string& problem);
    // The same as the member's slot (at()), or -1: rows are staged with
    // their members' slots, so that the passes over them look each member
    // up by number, not by hashing its ID for every row.
    int resolve_slot(const std::string& key, std::string& problem);
    // A member by ID, read the first time it is asked for; nullptr if none.
    MemberState* by_id(const std::string& id);
    // The member of a slot, read again after forget_read(); nullptr if none.
    MemberState* at(int slot);
    const std::string& id_of(int slot) const { return slots_[static_cast<std::size_t>(slot)].id; }
    // Forgets the members read and their running balances: they are read
    // again (under the write lock, others may have recorded meanwhile).
    // Their slots stay.
    void forget_read();

private:
    struct Slot {
        std::string id;
        std::optional<MemberState> state;  // none: no such member
        bool read = false;
    };
    std::optional<std::string> id_by_email(const std::string& key);
    int slot_of(const std::string& id);  // -1: no such member
    store::MemberQueries queries_;
    bool ids_in_parentheses_;
    std::deque<Slot> slots_;  // a deque: a member's state stays where it is as slots are added
    std::unordered_map<std::string, int> by_id_;  // ID -> slot
    std::unordered_map<std::string, std::pair<int, std::string>> cells_;  // cell -> (slot or -1, problem)
};

// Apply the policy: the violations an imported exchange is refused for. The
// category is left out (ruled on when the row was read: it is not ruled
// again for each row), and history waives
// the rules that held when the exchange was first recorded.
std::vector<Violation> exchange_violations(const LedgerPolicy& policy, const ExchangeDraft& d, const MemberState& p,
                                           const MemberState& r, bool blocked, bool history);
// The column a violation is reported against (RuleInfo::blames).
std::string blamed_column(const io::HeaderMap& map, const Violation& v, const Member& provider);

}  // namespace import_step

}  // namespace tb
