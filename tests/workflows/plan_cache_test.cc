#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "engine/instance_cache.h"
#include "tests/workflows/data_files.h"
#include "workflows/cycle_config.h"
#include "workflows/indicator_tree.h"
#include "workflows/lifecycle_workflow.h"

namespace govassess::workflows {
namespace {

using testing::LoadJson;

// The sample Nanning plan issued as version 1: a real history (159 indicators).
PlanVersions SampleVersions() {
  Result<CycleConfig> city = ParseCycleConfig(LoadJson("cycle-2026-city.json"));
  REQUIRE(city.ok());
  Result<IndicatorTree> plan = ParseIndicatorTree(LoadJson("sample-plan-nanning-2026.json"));
  REQUIRE(plan.ok());
  Result<PlanVersions> versions =
      PlanVersions::Issue(*plan, *city, {"自治区分管领导", "审定印发", "2026-04-28", ""});
  REQUIRE(versions.ok());
  return std::move(*versions);
}

nlohmann::json SampleHistory() { return PlanVersionsToJson(SampleVersions()); }

// Plan histories by id, and how often a decision had to load one.
struct Histories {
  std::map<std::string, std::shared_ptr<const Instance>> by_id;
  int loads = 0;

  void Put(const std::string& id, int64_t version, nlohmann::json data) {
    auto i = std::make_shared<Instance>();
    i->id = id;
    i->type = "plan";
    i->version = version;
    i->data = std::move(data);
    by_id[id] = std::move(i);
  }
  DecideContext Context() {
    DecideContext ctx;
    ctx.version_of = [this](const std::string& id) -> Result<int64_t> {
      auto it = by_id.find(id);
      return it == by_id.end() ? 0 : it->second->version;
    };
    ctx.load_shared = [this](const std::string& id) -> Result<std::shared_ptr<const Instance>> {
      ++loads;
      auto it = by_id.find(id);
      if (it == by_id.end()) return Status::NotFound("no instance \"" + id + "\"");
      return it->second;
    };
    return ctx;
  }
};

TEST_CASE("the plan cache answers a known version without loading the history", "[plan_cache]") {
  Histories h;
  h.Put("plan/a", 1, SampleHistory());
  PlanCache cache;
  const DecideContext ctx = h.Context();

  auto first = cache.Load(ctx, "plan/a");
  REQUIRE(first.ok());
  CHECK(first->second == 1);
  CHECK(first->first->Latest().number == 1);
  CHECK(h.loads == 1);
  auto again = cache.Load(ctx, "plan/a");
  REQUIRE(again.ok());
  CHECK(again->first == first->first);  // the same parsed history, not a copy
  CHECK(h.loads == 1);

  // Another version is another content: loaded and parsed again.
  h.Put("plan/a", 2, SampleHistory());
  auto moved = cache.Load(ctx, "plan/a");
  REQUIRE(moved.ok());
  CHECK(moved->second == 2);
  CHECK(moved->first != first->first);
  CHECK(h.loads == 2);
  CHECK(cache.size() == 1);

  // Absent and damaged histories are errors, and nothing is kept for them.
  CHECK(cache.Load(ctx, "plan/none").status().code() == Code::kNotFound);
  h.Put("plan/damaged", 1, {{"versions", nlohmann::json::array()}});
  auto damaged = cache.Load(ctx, "plan/damaged");
  CHECK_FALSE(damaged.ok());
  CHECK(cache.size() == 1);
}

TEST_CASE("the plan cache is bounded by the size of the histories as well as by count",
          "[plan_cache]") {
  const nlohmann::json history = SampleHistory();
  const size_t one = ApproxTextBytes(history);
  REQUIRE(one > 10000);  // a real plan: tens of kilobytes
  Histories h;
  for (const char* id : {"plan/a", "plan/b", "plan/c", "plan/d", "plan/e"}) h.Put(id, 1, history);
  const DecideContext ctx = h.Context();

  SECTION("by size: room for two and a half histories keeps two") {
    PlanCache cache(/*capacity=*/100, /*text_bytes=*/one * 5 / 2);
    for (const char* id : {"plan/a", "plan/b", "plan/c", "plan/d", "plan/e"}) {
      REQUIRE(cache.Load(ctx, id).ok());
      CHECK(cache.text_bytes() <= one * 5 / 2);
    }
    CHECK(cache.size() == 2);
    CHECK(cache.text_bytes() == 2 * one);
    // The one just loaded is among them: a hit.
    const int loads = h.loads;
    REQUIRE(cache.Load(ctx, "plan/e").ok());
    CHECK(h.loads == loads);
  }
  SECTION("a history larger than the whole bound is kept, alone") {
    PlanCache cache(/*capacity=*/100, /*text_bytes=*/one / 2);
    REQUIRE(cache.Load(ctx, "plan/a").ok());
    REQUIRE(cache.Load(ctx, "plan/b").ok());
    CHECK(cache.size() == 1);
    CHECK(cache.text_bytes() == one);
    const int loads = h.loads;
    REQUIRE(cache.Load(ctx, "plan/b").ok());
    CHECK(h.loads == loads);
  }
  SECTION("by count") {
    PlanCache cache(/*capacity=*/3);
    for (const char* id : {"plan/a", "plan/b", "plan/c", "plan/d", "plan/e"}) {
      REQUIRE(cache.Load(ctx, id).ok());
    }
    CHECK(cache.size() == 3);
    CHECK(cache.text_bytes() == 3 * one);
  }
  SECTION("a newer version replaces the entry's size, not adds to it") {
    PlanCache cache;
    REQUIRE(cache.Load(ctx, "plan/a").ok());
    h.Put("plan/a", 2, history);
    REQUIRE(cache.Load(ctx, "plan/a").ok());
    CHECK(cache.size() == 1);
    CHECK(cache.text_bytes() == one);
  }
}

TEST_CASE("a committed history seeded in the plan cache is read without a load or a parse",
          "[plan_cache]") {
  auto seeded = std::make_shared<const PlanVersions>(SampleVersions());
  const nlohmann::json text = PlanVersionsToJson(*seeded);

  // What is seeded is what a reader would have parsed from the history written.
  Result<PlanVersions> parsed = ParsePlanVersions(text);
  REQUIRE(parsed.ok());
  CHECK(PlanVersionsToJson(*parsed) == PlanVersionsToJson(*seeded));

  Histories h;
  h.Put("plan/a", 1, text);
  const DecideContext ctx = h.Context();
  PlanCache cache;
  cache.Seed("plan/a", 1, seeded, ApproxTextBytes(text));
  CHECK(cache.text_bytes() == ApproxTextBytes(text));
  auto hit = cache.Load(ctx, "plan/a");
  REQUIRE(hit.ok());
  CHECK(hit->first == seeded);
  CHECK(h.loads == 0);

  // A seed never replaces a newer version, and a stale one is not answered for another.
  cache.Seed("plan/a", 0, std::make_shared<const PlanVersions>(*parsed), 1);
  CHECK(cache.Load(ctx, "plan/a")->first == seeded);
  h.Put("plan/a", 2, text);
  auto moved = cache.Load(ctx, "plan/a");
  REQUIRE(moved.ok());
  CHECK(moved->second == 2);
  CHECK(moved->first != seeded);
  CHECK(h.loads == 1);
}

}  // namespace
}  // namespace govassess::workflows
