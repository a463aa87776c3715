#include "tb/util/json.hpp"

#include <cmath>
#include <cstdint>

namespace tb {

Json hours_json(Minutes m) {
    std::int64_t micro = hours_micro(m);
    if (micro % 1'000'000 == 0) return Json(micro / 1'000'000);
    return Json(static_cast<double>(micro) / 1e6);
}

Json number_json(double d) {
    if (!std::isfinite(d)) return Json(nullptr);
    double r = std::round(d * 1e6) / 1e6;
    if (r == std::floor(r) && std::fabs(r) < 9e15) return Json(static_cast<std::int64_t>(r));
    return Json(r);
}

std::string json_dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace tb
