#include "tb/util/sha256.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <memory>
#include <string>

#include "tb/util/error.hpp"

namespace tb {

static std::string to_hex(const unsigned char* p, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out(n * 2, '0');
    for (std::size_t i = 0; i < n; ++i) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    return out;
}

namespace {

// OpenSSL 3 looks the algorithm up on every EVP_sha256() digest; an import
// hashes three times per row, so the implementation is fetched once and
// each thread keeps one digest context.
struct Sha256 {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Sha256() {
        EVP_MD_CTX_free(ctx);
        EVP_MD_free(md);
    }
};

// Random bytes drawn from OpenSSL's CSPRNG a few kilobytes at a time: one
// RAND_bytes call per salt cost more than the salt's hashing.
struct RandomPool {
    std::array<unsigned char, 4096> bytes{};
    std::size_t used = bytes.size();
    ~RandomPool() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

}  // namespace

std::string sha256_hex(std::string_view data) {
    thread_local Sha256 h;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!h.md || !h.ctx || EVP_DigestInit_ex(h.ctx, h.md, nullptr) != 1 ||
        EVP_DigestUpdate(h.ctx, data.data(), data.size()) != 1 || EVP_DigestFinal_ex(h.ctx, md, &len) != 1)
        throw SystemError("SHA-256 failed");
    return to_hex(md, len);
}

std::string random_hex(std::size_t nbytes) {
    thread_local RandomPool pool;
    std::string out;
    out.reserve(nbytes * 2);
    while (nbytes > 0) {
        if (pool.used == pool.bytes.size()) {
            if (RAND_bytes(pool.bytes.data(), static_cast<int>(pool.bytes.size())) != 1)
                throw SystemError("no random bytes available");
            pool.used = 0;
        }
        auto n = std::min(nbytes, pool.bytes.size() - pool.used);
        out += to_hex(pool.bytes.data() + pool.used, n);
        // Each byte is handed out once, then wiped from the pool.
        OPENSSL_cleanse(pool.bytes.data() + pool.used, n);
        pool.used += n;
        nbytes -= n;
    }
    return out;
}

std::string random_uuid() {
    auto h = random_hex(16);
    h[12] = '4';                                              // version 4
    h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) & 3];  // RFC 4122 variant
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

}  // namespace tb
