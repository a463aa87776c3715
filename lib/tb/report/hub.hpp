#pragma once
// tb hub: the reports of several banks' stores side by side and in total,
// and the reconciliation of the transfers between them. Each store is opened
// read-only, on a connection of its own; members are never merged across
// banks (the hub sees figures, not people).
#include <memory>
#include <string>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/core/hub_file.hpp"
#include "tb/report/figures.hpp"
#include "tb/report/tables.hpp"
#include "tb/store/store.hpp"

namespace tb::report {

struct HubBankStore {
    HubBank bank;
    Config config;
    std::unique_ptr<store::Store> store;
};

struct Hub {
    std::vector<HubBankStore> banks;   // in the hub file's order
    std::vector<std::string> left_out;  // "bank NAME: why", for stderr
};

// How a hub checks each bank's store before using it: not at all, with
// tb check --quick (the default: its cost does not grow with the ledgers,
// so a hub of many banks stays near the cost of its reports), or with the
// full tb check.
enum class HubCheck { none, quick, full };
HubCheck parse_hub_check(std::string_view s);

// Opens every bank's store read-only with its own config. A bank whose store
// is missing, cannot be opened, or fails the check is left out and named in
// left_out; a bank whose config cannot be read likewise.
Hub open_hub(const HubFile& f, HubCheck check);

enum class HubReport { summary, activity, categories, network, social_value, onboarding };
// Throws UsageError naming the reports there are.
HubReport parse_hub_report(std::string_view s);

struct HubOptions {
    std::string period = "this-year";  // resolved in each bank by its own week start
    bool by_bank = false;
    Bucket bucket = Bucket::month;  // activity
    Date today;
    bool for_people = true;
};

// The report over every bank: the totals, and with by_bank a row (or group)
// per bank. Figures are each bank's own report's, summed.
ReportTable hub_report(Hub& hub, HubReport r, const HubOptions& o);

// One disagreement between the banks' records of their transfers.
struct Disagreement {
    // balances, received_twice, sent_twice, not_received, not_sent, mismatch
    std::string problem;
    std::string transfer;            // the transfer ID; empty for balances
    std::vector<std::string> banks;  // the banks concerned, by name
    std::string message;             // the sentence tb hub reconcile prints
};
// Every disagreement: the clearing balances of each pair that are not
// opposite, and each transfer not found on both sides (or found more than
// once). Empty when all agree.
std::vector<Disagreement> reconcile(Hub& hub);
// As rows: problem, transfer, banks, message (csv, json).
io::Table disagreements_table(const std::vector<Disagreement>& d);

}  // namespace tb::report
