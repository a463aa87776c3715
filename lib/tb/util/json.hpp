#pragma once
// The one JSON value type of the project and the two number conversions every
// json output shares. io::write_json lays a document out; this header only
// holds the values, so the model (typed config values) can use it too.
#include <string>

#include <nlohmann/json.hpp>

#include "tb/util/duration.hpp"

namespace tb {

// nlohmann::json, keys in the order they are added. Every json and jsonl
// output is built as a Json value and written by json_dump / io::write_json,
// never assembled from strings.
using Json = nlohmann::ordered_json;
// Hours as a JSON number with only the digits needed (90 minutes -> 1.5,
// 120 -> 2, 20 -> 0.333333).
Json hours_json(Minutes m);
// A plain number: whole numbers as integers, others to six decimals; NaN and
// infinity (no JSON form) as null.
Json number_json(double d);
// Compact JSON text; invalid UTF-8 in a string becomes U+FFFD.
std::string json_dump(const Json& j);

}  // namespace tb
