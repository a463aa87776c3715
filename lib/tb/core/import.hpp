#pragma once
// Spreadsheet imports of members and exchanges, all or nothing (SPEC "Imports").
#include <functional>
#include <string>
#include <vector>

#include "tb/model/config.hpp"
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
};

struct ImportCounts {
    std::int64_t added = 0, updated = 0, unchanged = 0, differ = 0, rejected = 0;
    std::int64_t duplicates = 0;  // member rows passed over by duplicates = "first" / "last"
    std::vector<std::string> warnings;  // accepted, but worth a look (printed on stderr)
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

}  // namespace tb
