// The hash chains' format, pinned: every stored chain was hashed from these
// texts, so a change to a field, its order or its separator would make tb
// check reject every existing store. The expected digests were computed
// independently (Python's hashlib over the documented text: the fields
// joined by the unit separator 0x1f), not by this code.
#include <doctest/doctest.h>

#include <string>

#include "tb/store/audit.hpp"
#include "tb/store/ledger.hpp"
#include "tb/util/date.hpp"
#include "tb/util/sha256.hpp"

using namespace tb;

namespace {

Exchange sample_exchange() {
    Exchange e;
    e.number = 1;
    e.date = from_ymd(2026, 11, 20);
    e.provider = "ann";
    e.recipient = "bob";
    e.minutes = 90;
    e.category = "Transport & lifts";
    e.note = "lift to the shops, 2 bags";
    e.ref = "REF-1";
    e.recorded_at = "2026-11-20T10:00:00Z";
    e.recorded_by = "coord";
    return e;
}

}  // namespace

TEST_CASE("note_digest: SHA-256 of salt, note and override reason joined by 0x1f") {
    CHECK(store::note_digest("s4lt", "lift to the shops, 2 bags", "") ==
          "38548597d22dfb6965828f17f2a4a9088653c43005456ccc7499531cdb8a0d75");
}

TEST_CASE("exchange chain: genesis, then a void chained to it") {
    auto e = sample_exchange();
    auto digest = store::note_digest("s4lt", e.note, e.override_reason);
    REQUIRE(store::kGenesisHash == std::string(64, '0'));
    auto text = store::exchange_chain_text(e, digest, store::kGenesisHash);
    CHECK(text == "exchange\x1f" + store::kGenesisHash +
                      "\x1f" "1\x1f" "2026-11-20\x1f" "ann\x1f" "bob\x1f" "90\x1f" "Transport & lifts\x1f"
                      "REF-1\x1f\x1f" "2026-11-20T10:00:00Z\x1f" "coord\x1f" + digest);
    auto first = sha256_hex(text);
    CHECK(first == "c52bdca723d9e2647997132a3f8375a718226a949d8afe2fc791154bfd0930e6");

    Exchange v;
    v.number = 2;
    v.date = from_ymd(2026, 11, 21);
    v.provider = "bob";
    v.recipient = "ann";
    v.minutes = 90;
    v.category = "Transport & lifts";
    v.reverses = 1;
    v.recorded_at = "2026-11-21T09:30:00Z";
    v.recorded_by = "coord";
    CHECK(sha256_hex(store::exchange_chain_text(v, store::note_digest("", "", ""), first)) ==
          "b27509fb2bb9ce39c4564dbd4fdab2c1102635fe0a5cf9ee925e80cc586ab495");
}

TEST_CASE("exchange chain: swapping two fields changes the hash") {
    auto e = sample_exchange();
    auto digest = store::note_digest("s4lt", e.note, "");
    auto swapped = e;
    std::swap(swapped.provider, swapped.recipient);
    CHECK(sha256_hex(store::exchange_chain_text(swapped, digest, store::kGenesisHash)) !=
          sha256_hex(store::exchange_chain_text(e, digest, store::kGenesisHash)));
    auto later = e;
    later.recorded_by = "someone else";
    CHECK(sha256_hex(store::exchange_chain_text(later, digest, store::kGenesisHash)) !=
          sha256_hex(store::exchange_chain_text(e, digest, store::kGenesisHash)));
}

TEST_CASE("opening chain text and hash") {
    Opening o;
    o.number = 1;
    o.member = "ann";
    o.minutes = -120;
    o.date = from_ymd(2026, 1, 1);
    o.recorded_at = "2026-01-01T00:00:00Z";
    o.recorded_by = "coord";
    auto digest = store::note_digest("s4lt", "lift to the shops, 2 bags", "");
    CHECK(sha256_hex(store::opening_chain_text(o, digest, store::kGenesisHash)) ==
          "95f4acd53cbc49818b6c4552e745cd619714a4a4f587f61fe31065c4bc476ec7");
}

TEST_CASE("audit chain text and hash") {
    auto text = store::audit_chain_text(1, "2026-11-20T10:00:00Z", "coord", "record", "1", "provider,recipient",
                                        store::kGenesisHash);
    CHECK(sha256_hex(text) == "afea6043601bdfbbe14ff7409dbf377c1c5c844fb20cef4334f24aa6df35359a");
}

TEST_CASE("exchange chain: a correction (schema version 7) adds amends=N after the digest, and only it") {
    auto first = std::string("c52bdca723d9e2647997132a3f8375a718226a949d8afe2fc791154bfd0930e6");  // above
    auto blank = store::note_digest("", "", "");
    Exchange v;  // the void of 1 that amend writes, dated as 1
    v.number = 2;
    v.date = from_ymd(2026, 11, 20);
    v.provider = "bob";
    v.recipient = "ann";
    v.minutes = 90;
    v.category = "Transport & lifts";
    v.reverses = 1;
    v.recorded_at = "2026-11-21T09:30:00Z";
    v.recorded_by = "coord";
    auto second = sha256_hex(store::exchange_chain_text(v, blank, first));
    CHECK(second == "90d95e39d1293acef1bbd346e29cda260f8bbfdf7d43c3a537f1ce97c9104971");
    Exchange c;  // the corrected exchange
    c.number = 3;
    c.date = from_ymd(2026, 11, 20);
    c.provider = "ann";
    c.recipient = "bob";
    c.minutes = 60;
    c.category = "Transport & lifts";
    c.amends = 1;
    c.recorded_at = "2026-11-21T09:30:00Z";
    c.recorded_by = "coord";
    CHECK(sha256_hex(store::exchange_chain_text(c, blank, second)) ==
          "d23e7a74f88f23db2010893fa3925ea4020414b5878b4c4b8fd838b3327e7f01");
    // Editing the link breaks the hash.
    c.amends = 2;
    CHECK(sha256_hex(store::exchange_chain_text(c, blank, second)) !=
          "d23e7a74f88f23db2010893fa3925ea4020414b5878b4c4b8fd838b3327e7f01");
}
