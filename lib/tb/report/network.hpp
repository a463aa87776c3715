#pragma once
// The exchange graph of a period: members are nodes, an exchange joins its
// two members. Hubs have the most distinct partners; connected groups are
// the graph's components; reciprocity is the share of members who took part
// and both gave and received.
#include <cstdint>
#include <ostream>
#include <vector>

#include "tb/report/figures.hpp"
#include "tb/report/tables.hpp"

namespace tb::report {

struct NetworkMember {
    std::size_t member = 0;  // index in the Directory
    std::int64_t partners = 0;
    std::int64_t exchanges = 0;
    Minutes given = 0, received = 0;
    int group = 0;  // 1 = the largest connected group
    bool gave_and_received() const { return given > 0 && received > 0; }
};

struct NetworkGroup {
    int group = 0;
    std::int64_t members = 0, exchanges = 0;
    Minutes minutes = 0;
};

struct Network {
    Period period;
    std::vector<NetworkMember> took_part;  // most partners first, then by ID
    std::vector<std::size_t> no_partner;   // active members without an exchange in the period
    std::vector<NetworkGroup> groups;      // largest first
    std::int64_t gave_and_received = 0;
    double reciprocity_pct = 0;  // of the members who took part, one decimal
};

Network analyse_network(store::Store& s, const Directory& dir, Period p);

// One row per member (those who took part, then those with no partner), for
// csv, tsv and jsonl.
ReportTable network_table(const Network& n, const Directory& dir, const ReportContext& ctx);
// For people: the figures, the hubs, the groups and who has no partner.
void network_text(const Network& n, const Directory& dir, std::ostream& out);
// One json object with all of it.
void network_json(const Network& n, const Directory& dir, std::ostream& out);

}  // namespace tb::report
