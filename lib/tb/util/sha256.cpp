#include "tb/util/sha256.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <vector>

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

std::string sha256_hex(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
        throw SystemError("SHA-256 failed");
    return to_hex(md, len);
}

std::string random_hex(std::size_t nbytes) {
    std::vector<unsigned char> buf(nbytes);
    if (RAND_bytes(buf.data(), static_cast<int>(nbytes)) != 1)
        throw SystemError("no random bytes available");
    return to_hex(buf.data(), nbytes);
}

}  // namespace tb
