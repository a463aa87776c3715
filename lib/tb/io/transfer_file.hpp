#pragma once
// The transfer file one bank sends another for a trade between their
// members (tb-exchange transfer out / in): a JSON object whose `sha256` is
// the SHA-256 of the rest of it (its keys sorted, no spaces).
#include <string>

#include "tb/model/model.hpp"

namespace tb::io {

inline constexpr const char* kTransferFormat = "tb-transfer/1";

struct TransferFile {
    std::string id;                 // the transfer ID (a UUID)
    std::string from_bank, to_bank; // each bank's [timebank] name
    std::string remote_member;      // the member in the receiving bank
    std::string remote_role;        // "recipient" (they received and pay) or "provider" (they gave and earn)
    Minutes minutes = 0;
    Date date;
    std::string category;
    bool has_note = true;           // false: only note_sha256 is sent
    std::string note, note_sha256;
    std::string sha256;             // of the content; set by to_json, checked by parse
};

// The file's text (pretty-printed, one trailing newline), with `sha256` filled in.
std::string transfer_to_json(TransferFile& t);
// Reads a transfer file's text; throws Rejected (exit 3) naming `name` when
// it is not one, or when its sha256 does not match its content.
TransferFile parse_transfer(const std::string& text, const std::string& name);

}  // namespace tb::io
