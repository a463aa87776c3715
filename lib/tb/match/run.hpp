#pragma once
// tb-match run: plan the optimal assignment of the open requests and, unless
// it is a dry run, record it as proposals (core's propose), in one
// transaction with what is read for the call list.
#include <cstdint>
#include <map>
#include <string>

#include "tb/match/matcher.hpp"
#include "tb/model/config.hpp"
#include "tb/store/store.hpp"

namespace tb::match {

struct RunOptions {
    bool dry_run = false;  // plan only, under a read snapshot; nothing written
    bool contact = false;  // read both members' names and phones (the call list)
    std::string who;       // --recorded-by
};

struct Contact {
    std::string name, phone;  // empty for a member who is gone
};

struct RunResult {
    RunPlan plan;
    std::int64_t run = 0;  // the run number written; 0 for a dry run or no proposal
    // With contact: the requester and the member of every proposal, by ID.
    std::map<std::string, Contact> contacts;
};

// Plans and records under one write lock (a dry run: one read snapshot), so
// that the call list matches what was written.
RunResult run_matching(store::Store& s, const Config& c, Date today, const RunOptions& o);

}  // namespace tb::match
