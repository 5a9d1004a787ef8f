#include "engine/hmac.h"

#include <array>
#include <cstdint>

#include "engine/sha256.h"

namespace govassess {

namespace {

constexpr size_t kBlockSize = 64;  // SHA-256's block size in bytes

}  // namespace

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  std::array<uint8_t, kBlockSize> block{};  // the key, zero-padded to one block
  if (key.size() > kBlockSize) {
    Sha256 h;
    h.Update(key);
    const auto digest = h.Finish();
    for (size_t i = 0; i < digest.size(); ++i) block[i] = digest[i];
  } else {
    for (size_t i = 0; i < key.size(); ++i) block[i] = static_cast<uint8_t>(key[i]);
  }
  std::string inner_pad(kBlockSize, '\0'), outer_pad(kBlockSize, '\0');
  for (size_t i = 0; i < kBlockSize; ++i) {
    inner_pad[i] = static_cast<char>(block[i] ^ 0x36);
    outer_pad[i] = static_cast<char>(block[i] ^ 0x5c);
  }
  Sha256 inner;
  inner.Update(inner_pad);
  inner.Update(message);
  const auto inner_digest = inner.Finish();

  Sha256 outer;
  outer.Update(outer_pad);
  outer.Update(
      std::string_view(reinterpret_cast<const char*>(inner_digest.data()), inner_digest.size()));
  const auto mac = outer.Finish();
  return ToHex(mac.data(), mac.size());
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  volatile uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = diff | static_cast<uint8_t>(static_cast<uint8_t>(a[i]) ^ static_cast<uint8_t>(b[i]));
  }
  return diff == 0;
}

}  // namespace govassess
