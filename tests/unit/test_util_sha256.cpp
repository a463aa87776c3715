// SHA-256 and random salts (OpenSSL underneath; these pin what we build on it).
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <thread>

#include "tb/util/sha256.hpp"

TEST_CASE("sha256_hex matches the FIPS 180-2 test vectors, call after call") {
    for (int i = 0; i < 3; ++i) {
        CHECK(tb::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        CHECK(tb::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        CHECK(tb::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
}

TEST_CASE("sha256_hex gives the same digests on another thread") {
    std::string there;
    std::thread t([&] { there = tb::sha256_hex("abc"); });
    t.join();
    CHECK(there == tb::sha256_hex("abc"));
}

TEST_CASE("random_hex: lower-case hex of the length asked, never repeating across pool refills") {
    std::set<std::string> seen;
    // 16-byte salts, well past several 4 KiB refills of the pool.
    for (int i = 0; i < 2000; ++i) {
        auto s = tb::random_hex(16);
        REQUIRE(s.size() == 32);
        CHECK(s.find_first_not_of("0123456789abcdef") == std::string::npos);
        seen.insert(s);
    }
    CHECK(seen.size() == 2000);
    // Requests larger than the pool are served whole.
    auto big = tb::random_hex(10000);
    CHECK(big.size() == 20000);
    CHECK(big.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(tb::random_hex(0).empty());
}
