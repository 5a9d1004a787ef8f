// The engine's instance cache: bounded by count and by the size of what it holds.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "engine/instance_cache.h"

using namespace govassess;

namespace {

std::shared_ptr<const Instance> Make(const std::string& id, int64_t version, size_t text = 10) {
  auto i = std::make_shared<Instance>();
  i->id = id;
  i->version = version;
  i->data = Json{{"text", std::string(text, 'x')}};
  return i;
}

}  // namespace

TEST_CASE("InstanceCache: ApproxTextBytes is near the compact text's length") {
  const Json small{{"unit", "gx-nanning"}, {"version", 3}, {"overdue", Json::array()}};
  Json large = Json::object();
  for (int k = 0; k < 200; ++k) {
    large["indicator." + std::to_string(k)] = {{"completed", true},
                                               {"evidence", {"统计公报", "会议纪要"}},
                                               {"points", 12.5}};
  }
  for (const Json& j : {small, large}) {
    const double text = static_cast<double>(j.dump().size());
    INFO(j.dump().substr(0, 80));
    CHECK(ApproxTextBytes(j) >= 0.7 * text);
    CHECK(ApproxTextBytes(j) <= 1.5 * text);
  }
}

TEST_CASE("InstanceCache: bounded by count, a newer version replaces, an older one does not") {
  InstanceCache cache(/*capacity=*/32, /*text_bytes=*/size_t{1} << 30);
  for (int i = 0; i < 200; ++i) cache.Put(Make("i/" + std::to_string(i), 1));
  CHECK(cache.size() <= 32);
  CHECK(cache.size() >= 16);
  const std::string kept = [&] {
    for (int i = 199; i >= 0; --i) {
      if (cache.Get("i/" + std::to_string(i)) != nullptr) return "i/" + std::to_string(i);
    }
    return std::string();
  }();
  REQUIRE_FALSE(kept.empty());
  cache.Put(Make(kept, 3));
  CHECK(cache.Get(kept)->version == 3);
  cache.Put(Make(kept, 2));
  CHECK(cache.Get(kept)->version == 3);
  cache.Erase(kept);
  CHECK(cache.Get(kept) == nullptr);
  CHECK(InstanceCache(0).Get(kept) == nullptr);
}

TEST_CASE("InstanceCache: bounded by the size of what it holds, a large instance kept alone") {
  // 16 shards of 64 KB each.
  InstanceCache cache(/*capacity=*/100000, /*text_bytes=*/size_t{1} << 20);
  for (int i = 0; i < 400; ++i) cache.Put(Make("r/" + std::to_string(i), 1, 20000), 20000);
  // At most three 20 KB records per 64 KB shard, whatever the count allows.
  CHECK(cache.size() <= 16 * 3);
  CHECK(cache.text_bytes() <= (size_t{1} << 20));
  CHECK(cache.text_bytes() == cache.size() * 20000);

  // Larger than its shard's share: cached anyway, alone in its shard.
  cache.Put(Make("directory", 1, 200000), 200000);
  REQUIRE(cache.Get("directory") != nullptr);
  CHECK(cache.text_bytes() <= (size_t{1} << 20) + 200000);

  // The estimate stands in when the caller has no size: a large record still counts.
  InstanceCache estimated(100000, size_t{1} << 20);
  for (int i = 0; i < 400; ++i) estimated.Put(Make("r/" + std::to_string(i), 1, 20000));
  CHECK(estimated.size() <= 16 * 3);
  CHECK(estimated.text_bytes() <= (size_t{1} << 20));

  // A cached instance that grows past its shard's share stays; the others in its shard go.
  InstanceCache growing(100000, 16 * 1000);  // 16 shards of 1,000 bytes: ten entries each
  for (int i = 0; i < 1000; ++i) growing.Put(Make("s/" + std::to_string(i), 1, 100), 100);
  REQUIRE(growing.text_bytes() == 16 * 1000);
  std::string member;
  for (int i = 999; i >= 0 && member.empty(); --i) {
    if (growing.Get("s/" + std::to_string(i)) != nullptr) member = "s/" + std::to_string(i);
  }
  growing.Put(Make(member, 2, 5000), 5000);
  REQUIRE(growing.Get(member) != nullptr);
  CHECK(growing.Get(member)->version == 2);
  CHECK(growing.text_bytes() == 5000 + 15 * 1000);
}

TEST_CASE("InstanceCache: a changed instance's size is carried over from the version before") {
  InstanceCache cache(100, size_t{1} << 20);
  auto v1 = Make("c/1", 1, 100);
  cache.Put(v1);
  const size_t walked = ApproxTextBytes(v1->data);
  REQUIRE(cache.text_bytes() == walked);

  // The next version: the entry's size plus the growth, without a walk (a growth that
  // no walk would give shows which was used).
  cache.PutNext(Make("c/1", 2, 100), 7);
  CHECK(cache.Get("c/1")->version == 2);
  CHECK(cache.text_bytes() == walked + 7);
  cache.PutNext(Make("c/1", 3, 100), -20);
  CHECK(cache.text_bytes() == walked - 13);

  // Not the version after the cached one (a version skipped, or nothing cached): walked.
  auto v5 = Make("c/1", 5, 300);
  cache.PutNext(v5, 7);
  CHECK(cache.Get("c/1")->version == 5);
  CHECK(cache.text_bytes() == ApproxTextBytes(v5->data));
  cache.Erase("c/1");
  cache.PutNext(Make("c/1", 6, 50), 1000);
  CHECK(cache.text_bytes() == ApproxTextBytes(Make("c/1", 6, 50)->data));

  // An older version than the cached one changes nothing.
  cache.PutNext(Make("c/1", 4, 50), 1000);
  CHECK(cache.Get("c/1")->version == 6);
  CHECK(cache.text_bytes() == ApproxTextBytes(Make("c/1", 6, 50)->data));
}
