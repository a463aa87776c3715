#include "tb/io/transfer_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tb/util/error.hpp"
#include "tb/util/sha256.hpp"

namespace tb::io {

using nlohmann::json;

namespace {

json content_of(const TransferFile& t) {
    json j;
    j["format"] = kTransferFormat;
    j["id"] = t.id;
    j["from_bank"] = t.from_bank;
    j["to_bank"] = t.to_bank;
    j["remote_member"] = t.remote_member;
    j["remote_role"] = t.remote_role;
    j["minutes"] = t.minutes;
    j["hours"] = static_cast<double>(t.minutes) / 60.0;
    j["date"] = to_string(t.date);
    j["category"] = t.category;
    if (t.has_note) j["note"] = t.note;
    else j["note_sha256"] = t.note_sha256;
    return j;
}

// nlohmann::json keeps object keys sorted: dump() is canonical.
std::string digest_of(const json& content) { return sha256_hex(content.dump()); }

}  // namespace

std::string transfer_to_json(TransferFile& t) {
    auto j = content_of(t);
    t.sha256 = digest_of(j);
    j["sha256"] = t.sha256;
    return j.dump(2) + "\n";
}

TransferFile parse_transfer(const std::string& text, const std::string& name) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        throw Rejected(fmt::format("{}: not a transfer file (not JSON: {})", name, e.what()));
    }
    if (!j.is_object() || !j.contains("format") || j["format"] != kTransferFormat)
        throw Rejected(fmt::format("{}: not a transfer file (no \"format\": \"{}\")", name, kTransferFormat));
    auto str = [&](const char* key) -> std::string {
        if (!j.contains(key) || !j[key].is_string())
            throw Rejected(fmt::format("{}: not a transfer file ({} missing or not text)", name, key));
        return j[key].get<std::string>();
    };
    TransferFile t;
    t.sha256 = str("sha256");
    auto content = j;
    content.erase("sha256");
    if (digest_of(content) != t.sha256)
        throw Rejected(fmt::format("{}: the transfer file was changed after it was written (its SHA-256 does not "
                                   "match its content)",
                                   name));
    t.id = str("id");
    t.from_bank = str("from_bank");
    t.to_bank = str("to_bank");
    t.remote_member = str("remote_member");
    t.remote_role = str("remote_role");
    if (t.remote_role != "recipient" && t.remote_role != "provider")
        throw Rejected(fmt::format("{}: remote_role must be recipient or provider, not '{}'", name, t.remote_role));
    if (!j.contains("minutes") || !j["minutes"].is_number_integer() || j["minutes"].get<std::int64_t>() <= 0)
        throw Rejected(fmt::format("{}: minutes must be a whole number above zero", name));
    t.minutes = j["minutes"].get<std::int64_t>();
    auto date = parse_iso_date(str("date"));
    if (!date) throw Rejected(fmt::format("{}: date '{}' is not YYYY-MM-DD", name, str("date")));
    t.date = *date;
    t.category = str("category");
    if (j.contains("note")) {
        t.note = str("note");
    } else {
        t.has_note = false;
        t.note_sha256 = str("note_sha256");
    }
    return t;
}

}  // namespace tb::io
