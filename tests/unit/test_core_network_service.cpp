// Trade between banks: the category of a transfer is ruled through the
// taxonomy's one resolver going out, and spelled as ours coming in.
#include <doctest/doctest.h>

#include <string>

#include "report_fixture.hpp"
#include "tb/core/network_service.hpp"
#include "tb/store/ledger.hpp"
#include "tb/util/error.hpp"

using namespace tb;
using tb::test::d;

namespace {

Config newsome() {
    Config c;
    c.name = "Newsome";
    c.categories = {{"Gardening", {"weeding"}, {}, {}}, {"Transport & lifts", {}, {}, {}}};
    return c;
}

TransferOut out_of(const std::string& category) {
    TransferOut t;
    t.bank = "bank-isl";
    t.provider = "ann";
    t.remote_member = "IS041";
    t.minutes = 90;
    t.date = d("2026-11-20");
    t.category = category;
    return t;
}

}  // namespace

TEST_CASE("transfer out: the category resolved as for any exchange (prefix, skill, case), else refused") {
    tb::test::ReportBank bank;
    bank.member("ann", "Ann");
    bank.member("bank-isl", "Islington", "2026-01-01", MemberKind::bank);
    auto c = newsome();

    auto r = transfer_out(bank.store(), c, d("2026-11-27"), out_of(" garden "), "tester");
    CHECK(r.exchange.category == "Gardening");
    CHECK(r.file.category == "Gardening");
    CHECK(r.exchange.provider == "ann");
    CHECK(r.exchange.recipient == "bank-isl");
    CHECK(r.file.remote_role == "recipient");
    CHECK(r.file.from_bank == "Newsome");
    CHECK(r.file.to_bank == "Islington");

    CHECK(transfer_out(bank.store(), c, d("2026-11-27"), out_of("weeding"), "tester").file.category == "Gardening");
    CHECK(transfer_out(bank.store(), c, d("2026-11-27"), out_of("TRANSPORT & LIFTS"), "tester").exchange.category ==
          "Transport & lifts");
    CHECK_THROWS_WITH_AS(transfer_out(bank.store(), c, d("2026-11-27"), out_of("Plumbing"), "tester"),
                         "category 'Plumbing' is not in the taxonomy; the categories are listed by `tb config`",
                         Rejected);
    c.strict_categories = false;
    CHECK(transfer_out(bank.store(), c, d("2026-11-27"), out_of("Plumbing "), "tester").file.category == "Plumbing");
}

TEST_CASE("transfer in: another bank's category takes our spelling when it names one of ours, else is kept") {
    tb::test::ReportBank bank;
    bank.member("ann", "Ann");
    bank.member("bank-isl", "Islington", "2026-01-01", MemberKind::bank);
    auto c = newsome();
    auto file = [](const char* id, const char* category) {
        io::TransferFile f;
        f.id = id;
        f.from_bank = "Islington";
        f.to_bank = "newsome";
        f.remote_member = "ann";
        f.remote_role = "recipient";
        f.minutes = 60;
        f.date = d("2026-11-20");
        f.category = category;
        return f;
    };
    auto mine = transfer_in(bank.store(), c, d("2026-11-27"), file("t-1", "gardening"), "tester");
    CHECK(mine.exchange.category == "Gardening");
    CHECK(mine.exchange.provider == "bank-isl");
    CHECK(mine.exchange.recipient == "ann");
    CHECK_FALSE(mine.already);
    // Not a prefix match: another bank's names are not guessed at.
    CHECK(transfer_in(bank.store(), c, d("2026-11-27"), file("t-2", "Garden"), "tester").exchange.category ==
          "Garden");
    CHECK(transfer_in(bank.store(), c, d("2026-11-27"), file("t-3", "Plumbing"), "tester").exchange.category ==
          "Plumbing");
    auto again = transfer_in(bank.store(), c, d("2026-11-27"), file("t-1", "gardening"), "tester");
    CHECK(again.already);
    CHECK(again.exchange.number == mine.exchange.number);
}
