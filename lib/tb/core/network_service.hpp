#pragma once
// The community pot (donations and grants) and trade between banks
// (transfers through clearing accounts): policy + store in one transaction,
// as in core/ledger_service.
#include <optional>
#include <string>

#include "tb/model/config.hpp"
#include "tb/model/model.hpp"
#include "tb/io/transfer_file.hpp"
#include "tb/store/store.hpp"

namespace tb {

// The pot: the member `pot` of kind pot. SystemError when the store has none.
Member require_pot(store::Store& s);

struct PotMove {
    Date date;
    std::string member;  // ID or email of the donor / the member granted to
    Minutes minutes = 0;
    std::string text;    // the donation's note, or the grant's reason (stored as its note)
};
// A member gives hours to the pot: the member pays, the pot earns. The
// member's own limits apply. Prints nothing; returns the exchange.
Exchange donate_to_pot(store::Store& s, const Config& c, Date today, const PotMove& m, const std::string& who);
// The pot gives hours to a member; never below [pot] min_balance.
Exchange grant_from_pot(store::Store& s, const Config& c, Date today, const PotMove& m, const std::string& who);

// A trade with a member of another bank, through that bank's clearing account.
struct TransferOut {
    std::string bank;           // the clearing account (ID or email), kind bank
    std::string provider;       // exactly one of provider / recipient: the member here
    std::string recipient;
    std::string remote_member;  // the member in the other bank
    Minutes minutes = 0;
    Date date;
    std::string category, note;
};
struct TransferOutResult {
    Exchange exchange;
    io::TransferFile file;
    std::string text;  // the file's content
};
// Records the member <-> clearing account exchange (ref = a new transfer ID)
// and returns the transfer file to send. `this_bank` is [timebank] name.
TransferOutResult transfer_out(store::Store& s, const Config& c, Date today, const TransferOut& t,
                               const std::string& who);

struct TransferInResult {
    Exchange exchange;
    bool already = false;  // received before: nothing recorded
};
// Records the mirror entry of a transfer file: this bank's clearing account
// for the sending bank <-> the member named in it. Rejected when it is
// addressed to another bank, or there is no clearing account for its sender.
TransferInResult transfer_in(store::Store& s, const Config& c, Date today, const io::TransferFile& f,
                             const std::string& who);

}  // namespace tb
