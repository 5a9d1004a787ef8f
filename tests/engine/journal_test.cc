#include "engine/journal.h"

#include <catch2/catch.hpp>

#include "engine/memory_store.h"
#include "engine/sha256.h"
#include "tests/engine/store_contract.h"

using namespace govassess;
using govassess::testing::Cmd;
using govassess::testing::Rig;

TEST_CASE("SHA-256 matches the FIPS 180-4 test vectors") {
  struct Case { std::string input; const char* digest; };
  const std::vector<Case> cases = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {std::string(1000000, 'a'), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const auto& c : cases) {
    INFO(c.input.substr(0, 20));
    CHECK(Sha256Hex(c.input) == c.digest);
  }
  // Fed in odd pieces, the digest is the same.
  Sha256 h;
  const std::string s = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  for (size_t i = 0; i < s.size(); i += 7) h.Update(std::string_view(s).substr(i, 7));
  auto d = h.Finish();
  CHECK(ToHex(d.data(), d.size()) == cases[2].digest);
}

TEST_CASE("SHA-256 with and without the CPU's SHA extensions agree") {
  const bool had = Sha256::HardwareAccelerated();
  std::string data;
  uint32_t x = 12345;
  for (int i = 0; i < 5000; ++i) {
    x = x * 1103515245 + 12345;
    data.push_back(char(x >> 16));
  }
  for (size_t len : {0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000, 4999}) {
    Sha256::SetHardwareAcceleration(false);
    const std::string portable = Sha256Hex(data.substr(0, len));
    Sha256::SetHardwareAcceleration(true);
    const std::string fast = Sha256Hex(data.substr(0, len));
    INFO(len);
    CHECK(portable == fast);
  }
  Sha256::SetHardwareAcceleration(had);
  WARN("SHA extensions in use: " << (Sha256::HardwareAccelerated() ? "yes" : "no"));
}

TEST_CASE("events chain: each hash covers the previous hash and the canonical body") {
  JournalEvent e;
  e.ts_ms = 1'700'000'000'123;
  e.actor = Actor{"u", "office", "", "cli"};
  e.command = "approve";
  e.entity = "x";
  e.entity_type = "probe";
  e.outcome = "accepted";
  e.payload = {{"b", 1}, {"a", "中文"}};
  std::string body = SealEvent(&e, 1, kGenesisHash);
  CHECK(e.hash == ChainHash(kGenesisHash, body));
  CHECK(body.find("\"a\":\"中文\",\"b\":1") != std::string::npos);  // sorted, UTF-8, compact
  CHECK(body.find("\"ts\":\"2023-11-14T22:13:20.123Z\"") != std::string::npos);
  auto parsed = ParseEventBody(body);
  REQUIRE(parsed.ok());
  CHECK(CanonicalBody(*parsed) == body);
  CHECK(ParseEventBody("not json").status().code() == Code::kCorruption);
}

TEST_CASE("chain heads export and parse") {
  ChainHead h{42, std::string(64, 'a')};
  auto p = ChainHead::Parse(h.ToString());
  REQUIRE(p.ok());
  CHECK(p->seq == 42);
  CHECK(p->hash == h.hash);
  for (const char* bad : {"", "42", ":abc", "x:aaaa", "42:XYZ", "-1:0000"}) {
    INFO(bad);
    CHECK(ChainHead::Parse(bad).status().code() == Code::kInvalidArgument);
  }
}

namespace {

// Fills a memory-store journal with n accepted events.
void Fill(Rig& rig, int n) {
  rig.Run(Cmd("p", "create"));
  for (int i = 1; i < n; ++i) rig.Run(Cmd("p", "step", {{"i", i}}));
}

std::string FirstBad(Rig& rig) {
  auto r = rig.store->VerifyJournal(std::nullopt);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kCorruption);
  return r.status().message();
}

}  // namespace

TEST_CASE("the verifier names the first altered, removed or reordered event") {
  SECTION("intact") {
    Rig rig(std::make_unique<MemoryStore>());
    Fill(rig, 10);
    auto r = rig.store->VerifyJournal(std::nullopt);
    REQUIRE(r.ok());
    CHECK(r->seq == 10);
  }
  SECTION("altered body") {
    Rig rig(std::make_unique<MemoryStore>());
    Fill(rig, 10);
    auto& raw = static_cast<MemoryStore&>(*rig.store).RawJournalForTest();
    auto pos = raw[5].first.find("\"i\":5");
    REQUIRE(pos != std::string::npos);
    raw[5].first.replace(pos, 5, "\"i\":6");
    CHECK(FirstBad(rig).rfind("event 6 ", 0) == 0);
  }
  SECTION("removed event") {
    Rig rig(std::make_unique<MemoryStore>());
    Fill(rig, 10);
    auto& raw = static_cast<MemoryStore&>(*rig.store).RawJournalForTest();
    raw.erase(raw.begin() + 3);  // seq 4 gone; memory rows renumber, so 4 now holds 5
    CHECK(FirstBad(rig).rfind("event 4 ", 0) == 0);
  }
  SECTION("swapped events") {
    Rig rig(std::make_unique<MemoryStore>());
    Fill(rig, 10);
    auto& raw = static_cast<MemoryStore&>(*rig.store).RawJournalForTest();
    std::swap(raw[6], raw[7]);
    CHECK(FirstBad(rig).rfind("event 7 ", 0) == 0);
  }
  SECTION("a rewritten tail is caught by an exported head") {
    Rig rig(std::make_unique<MemoryStore>());
    Fill(rig, 10);
    ChainHead exported = *rig.store->Head();
    CHECK(rig.store->VerifyJournal(exported).ok());
    // Rewrite event 10 and recompute its hash: the chain alone is consistent again.
    auto& raw = static_cast<MemoryStore&>(*rig.store).RawJournalForTest();
    auto pos = raw[9].first.find("\"i\":9");
    REQUIRE(pos != std::string::npos);
    raw[9].first.replace(pos, 5, "\"i\":8");
    raw[9].second = ChainHash(raw[8].second, raw[9].first);
    CHECK(rig.store->VerifyJournal(std::nullopt).ok());
    auto r = rig.store->VerifyJournal(exported);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find("event 10") != std::string::npos);
    // Truncation behind an exported head is caught as well.
    raw.pop_back();
    auto t = rig.store->VerifyJournal(exported);
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().message().find("removed from the end") != std::string::npos);
  }
}

TEST_CASE("the canonical body is the sorted compact dump of the whole event") {
  JournalEvent e;
  e.ts_ms = 1'700'000'000'000;
  e.actor = Actor{"u", "office", "nanning", "http 127.0.0.1"};
  e.command = "approve";
  e.entity = "plan/2026/nanning";
  e.entity_type = "lifecycle";
  e.outcome = "refused";
  e.refusal_code = "forbidden";
  e.idempotency_key = "k";
  e.reason = "原因";
  // Keys that sort around "seq" inside nested objects must not confuse the split.
  e.payload = {{"seq", 5}, {"ts", "x"}, {"a", {{"seq", 1}}}};
  e.change = Json::object();
  for (int64_t seq : {1, 42, 1234567}) {
    e.body_head.clear();
    std::string body = SealEvent(&e, seq, kGenesisHash);
    CHECK(Json::parse(body).dump() == body);
    CHECK(Json::parse(body)["seq"] == seq);
    CHECK(CanonicalBody(e) == body);
  }
}
