#include "engine/hmac.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace govassess;

namespace {

std::string Bytes(size_t n, char c) { return std::string(n, c); }

}  // namespace

TEST_CASE("HMAC-SHA-256 matches the RFC 4231 test vectors") {
  struct Case {
    const char* name;
    std::string key;
    std::string data;
    const char* mac;  // hex; test case 5 gives only the first 128 bits
  };
  std::string key4;
  for (int i = 1; i <= 25; ++i) key4.push_back(char(i));
  const std::vector<Case> cases = {
      {"1: 20-byte key", Bytes(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"2: key shorter than the output", "Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"3: combined length above one block", Bytes(20, '\xaa'), Bytes(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"4: 25-byte key", key4, Bytes(50, '\xcd'),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {"5: truncated output", Bytes(20, '\x0c'), "Test With Truncation",
       "a3b6167473100ee06e0c796c2955552b"},
      {"6: key larger than a block", Bytes(131, '\xaa'),
       "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"7: key and data larger than a block", Bytes(131, '\xaa'),
       "This is a test using a larger than block-size key and a larger than block-size data. "
       "The key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (const auto& c : cases) {
    INFO("RFC 4231 test case " << c.name);
    const std::string mac = HmacSha256Hex(c.key, c.data);
    CHECK(mac.size() == 64);
    CHECK(mac.substr(0, std::string(c.mac).size()) == c.mac);
  }
}

TEST_CASE("HMAC-SHA-256: a 64-byte key is used as is, the empty key and message work") {
  // Known values (computed with Python's hmac module).
  CHECK(HmacSha256Hex("", "") ==
        "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  CHECK(HmacSha256Hex(std::string(64, 'k'), "x") != HmacSha256Hex(std::string(65, 'k'), "x"));
  CHECK(HmacSha256Hex("key", "message") != HmacSha256Hex("key", "messagf"));
}

TEST_CASE("ConstantTimeEquals compares contents and lengths") {
  struct Case {
    std::string a, b;
    bool equal;
  };
  const std::vector<Case> cases = {
      {"", "", true},
      {"abc", "abc", true},
      {"abc", "abd", false},
      {"abc", "Abc", false},
      {"abc", "ab", false},
      {"ab", "abc", false},
      {std::string("a\0b", 3), std::string("a\0c", 3), false},
      {std::string(1000, 'x'), std::string(1000, 'x'), true},
  };
  for (const auto& c : cases) {
    INFO("'" << c.a << "' vs '" << c.b << "'");
    CHECK(ConstantTimeEquals(c.a, c.b) == c.equal);
  }
}
