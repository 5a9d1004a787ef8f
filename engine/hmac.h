// HMAC-SHA-256 (RFC 2104) over the engine's own SHA-256, and a constant-time compare.
//
// Used to sign webhook deliveries and to check such signatures. Pure code with no
// dependencies, like sha256.h. Both functions keep no state and are thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace govassess {

// Lower-case hex (64 characters) HMAC-SHA-256 of `message` under `key`. Any key length
// is fine: keys longer than the 64-byte block are hashed first, as RFC 2104 says.
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// Whether `a` and `b` are equal, in time that depends only on their lengths (not on
// where they first differ) — for comparing signatures and tokens. Different lengths
// are simply unequal; the length is not treated as a secret.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace govassess
