// SHA-256 (FIPS 180-4), used for the journal's hash chain and for fingerprints.
//
// Pure code with no dependencies so that the engine can hash without a crypto
// library. Sha256 objects are not thread-safe; the free functions are.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace govassess {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  // Returns the 32-byte digest. The object must not be updated afterwards.
  std::array<uint8_t, 32> Finish();

  // Whether blocks are compressed with the CPU's SHA extensions (detected at start).
  static bool HardwareAccelerated();
  // Turns the extensions off (or back on, if the CPU has them); returns the new state.
  // For tests that compare both paths. REQUIRES: no hashing runs concurrently.
  static bool SetHardwareAcceleration(bool on);

 private:
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_;
  size_t buffered_ = 0;
  uint64_t length_ = 0;
};

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Lower-case hex of arbitrary bytes.
std::string ToHex(const uint8_t* bytes, size_t n);

}  // namespace govassess
