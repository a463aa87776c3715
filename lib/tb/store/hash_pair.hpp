#pragma once
// Two 64-bit hashes from one, for the sums tb check compares between two
// readings of the same rows (index entries against their table, monthly
// totals against the ledger): a difference that cancels in one sum does not
// in the other. Internal to store/.
#include <cstdint>

namespace tb::store {

struct HashPair {
    std::uint64_t a = 0, b = 0;
};

inline HashPair split_hash(std::uint64_t h) {
    auto mix = [](std::uint64_t x, std::uint64_t k) {
        x ^= x >> 33;
        x *= k;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53ull;
        return x ^ (x >> 33);
    };
    return {mix(h, 0xff51afd7ed558ccdull), mix(h ^ 0x9e3779b97f4a7c15ull, 0xd6e8feb86659fd93ull)};
}

}  // namespace tb::store
