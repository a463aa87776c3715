#pragma once
#include <string>
#include <string_view>

namespace tb {

// Lower-case hex SHA-256 of the bytes (OpenSSL's EVP, never our own crypto).
std::string sha256_hex(std::string_view data);
// n random bytes as hex, from OpenSSL's CSPRNG.
std::string random_hex(std::size_t nbytes);
// A random (version 4) UUID, lower case: 8-4-4-4-12 hex digits.
std::string random_uuid();

}  // namespace tb
