#pragma once
// Requests for help (tb-match request ...).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tb/model/model.hpp"
#include "tb/store/store.hpp"

namespace tb::store {

// Stores a new open request; returns its number.
std::int64_t insert_request(Store& s, const Request& r);
std::optional<Request> find_request(Store& s, std::int64_t number);

struct RequestFilter {
    bool include_open = true;
    bool include_closed = false;
};
// In number order.
std::vector<Request> list_requests(Store& s, const RequestFilter& f);

// Marks the request closed now: `outcome` "met" (with the exchange that met
// it, if any) or "withdrawn", and the coordinator's reason (may be empty).
void close_request(Store& s, std::int64_t number, const std::string& outcome, std::optional<std::int64_t> exchange,
                   const std::string& reason);

}  // namespace tb::store
