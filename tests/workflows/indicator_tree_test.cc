#include "workflows/indicator_tree.h"

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "tests/workflows/data_files.h"

namespace govassess::workflows {
namespace {

using testing::LoadJson;

CycleConfig CityCycle() {
  Result<CycleConfig> c = ParseCycleConfig(LoadJson("cycle-2026-city.json"));
  REQUIRE(c.ok());
  return std::move(c).value();
}

// A small two-type plan: functional 60 = a 10 + b 20 + c 30; special 40 = d 40.
const char* kSmallPlan = R"({
  "year": 2026, "unit_id": "gx-nanning", "category_id": "cities",
  "target_types": [
    {"id": "functional", "name": "职能目标", "children": [
      {"id": "f1", "name": "经济建设", "children": [
        {"id": "f1.1", "name": "经济增长", "children": [
          {"id": "f1.1.1", "name": "GDP增长", "children": [
            {"id": "a", "name": "地区生产总值", "weight": 10, "target": "增长6%", "lead_assessor": "gx-statistics"},
            {"id": "b", "name": "人均地区生产总值", "weight": 20, "target": "增长5%", "lead_assessor": "gx-statistics"}]},
          {"id": "f1.1.2", "name": "固定资产投资", "children": [
            {"id": "c", "name": "固定资产投资", "weight": 30, "target": "增长8%", "lead_assessor": "gx-statistics",
             "data_provider": "gx-development-reform", "scoring_rule": "按完成率计分"}]}]}]}]},
    {"id": "special", "name": "专项目标", "children": [
      {"id": "s1", "name": "专项考核", "children": [
        {"id": "s1.1", "name": "专项考核", "children": [
          {"id": "s1.1.1", "name": "优化营商环境专项考核", "children": [
            {"id": "d", "name": "优化营商环境专项考核", "weight": 40, "target": "按专项考核结果折算",
             "lead_assessor": "gx-development-reform"}]}]}]}]}
  ]})";

IndicatorTree SmallPlan() {
  Result<IndicatorTree> t = ParseIndicatorTree(nlohmann::json::parse(kSmallPlan));
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  return std::move(t).value();
}

nlohmann::json Change(nlohmann::json operations) {
  return {{"reason", "客观条件发生重大变化"},
          {"approved_by", "自治区分管领导"},
          {"approved_on", "2026-11-25"},
          {"requested_by", "gx-nanning"},
          {"operations", std::move(operations)}};
}

TEST_CASE("the sample Nanning plan parses and validates against the 2026 city cycle",
          "[indicator_tree]") {
  Result<IndicatorTree> t = ParseIndicatorTree(LoadJson("sample-plan-nanning-2026.json"));
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  const CycleConfig city = CityCycle();
  Status valid = ValidateIndicatorTree(*t, city);
  INFO(valid.ToString());
  CHECK(valid.ok());

  Result<UnitDirectory> units = ParseUnits(LoadJson("units-guangxi.json"));
  REQUIRE(units.ok());
  Status assessors = CheckPlanUnits(*t, *units);
  INFO(assessors.ToString());
  CHECK(assessors.ok());

  REQUIRE(t->target_types.size() == 4);
  CHECK(PointsOf(t->target_types[0]) == Approx(700));
  CHECK(PointsOf(t->target_types[1]) == Approx(60));
  CHECK(PointsOf(t->target_types[2]) == Approx(90));
  CHECK(PointsOf(t->target_types[3]) == Approx(150));
  const std::vector<const IndicatorNode*> leaves = Leaves(*t);
  CHECK(leaves.size() > 100);
  for (const IndicatorNode* leaf : leaves) {
    INFO(leaf->id);
    CHECK_FALSE(leaf->lead_assessor.empty());
    CHECK(leaf->weight.value_or(0) > 0);
  }
  IndicatorLevel level = IndicatorLevel::kTargetType;
  const IndicatorNode* gdp = FindIndicatorNode(*t, "functional.1.1.1.1", &level);
  REQUIRE(gdp != nullptr);
  CHECK(gdp->name == "地区生产总值");
  CHECK(level == IndicatorLevel::kIndicator);
  CHECK(TargetTypeOf(*t, "functional.1.1.1.1")->id == "functional");
  CHECK(FindIndicatorNode(*t, "nowhere") == nullptr);

  // Round trip.
  nlohmann::json j = IndicatorTreeToJson(*t);
  Result<IndicatorTree> again = ParseIndicatorTree(j);
  REQUIRE(again.ok());
  CHECK(IndicatorTreeToJson(*again) == j);
}

struct BadTree {
  const char* what;
  std::function<void(nlohmann::json&)> mutate;
  const char* message;
};

// Paths into the small plan.
nlohmann::json& LeafA(nlohmann::json& j) {
  return j["target_types"][0]["children"][0]["children"][0]["children"][0]["children"][0];
}
nlohmann::json& Level3(nlohmann::json& j) {
  return j["target_types"][0]["children"][0]["children"][0]["children"][0];
}
const char* kLeafAPath = "target_types[0].children[0].children[0].children[0].children[0]";

TEST_CASE("structural errors name the path", "[indicator_tree]") {
  const std::vector<BadTree> cases = {
      {"indicator without lead assessor",
       [](nlohmann::json& j) { LeafA(j).erase("lead_assessor"); },
       "children[0].lead_assessor: required for indicator \"a\" (every indicator has a lead "
       "assessor)"},
      {"indicator with blank target", [](nlohmann::json& j) { LeafA(j)["target"] = " "; },
       "children[0].target: required for indicator \"a\""},
      {"indicator without weight", [](nlohmann::json& j) { LeafA(j).erase("weight"); },
       "children[0].weight: required for indicator \"a\""},
      {"negative weight", [](nlohmann::json& j) { LeafA(j)["weight"] = -1; },
       "children[0].weight: must be more than 0 points, got -1"},
      {"weight as string", [](nlohmann::json& j) { LeafA(j)["weight"] = "10"; },
       "children[0].weight: expected a number, got string"},
      {"duplicate id", [](nlohmann::json& j) { LeafA(j)["id"] = "b"; }, "duplicate id \"b\" (also"},
      {"id reused across levels", [](nlohmann::json& j) { LeafA(j)["id"] = "f1"; },
       "duplicate id \"f1\""},
      {"bad id", [](nlohmann::json& j) { LeafA(j)["id"] = "地区生产总值"; }, "is not a valid id"},
      {"indicator with children (too deep)",
       [](nlohmann::json& j) {
         LeafA(j)["children"] = {{{"id", "a1"},
                                  {"name", "x"},
                                  {"weight", 10},
                                  {"target", "t"},
                                  {"lead_assessor", "u"}}};
       },
       "children[0].children: indicator \"a\" is an indicator and cannot have children"},
      {"level 3 carrying a lead assessor (too shallow)",
       [](nlohmann::json& j) { Level3(j)["lead_assessor"] = "gx-statistics"; },
       "children[0].lead_assessor: level 3 \"f1.1.1\" is not an indicator"},
      {"level 3 without children", [](nlohmann::json& j) { Level3(j).erase("children"); },
       "children[0].children: level 3 \"f1.1.1\" needs children"},
      {"level 3 with empty children",
       [](nlohmann::json& j) { Level3(j)["children"] = nlohmann::json::array(); },
       "children[0].children: level 3 \"f1.1.1\" needs children"},
      {"declared level-1 weight does not match",
       [](nlohmann::json& j) { j["target_types"][0]["children"][0]["weight"] = 50; },
       "target_types[0].children[0].weight: level 1 \"f1\" declares 50 points, its indicators sum "
       "to 60"},
      {"declared target-type weight does not match",
       [](nlohmann::json& j) { j["target_types"][1]["weight"] = 45.5; },
       "target_types[1].weight: target type \"special\" declares 45.5 points, its indicators sum "
       "to 40"},
      {"unknown field", [](nlohmann::json& j) { LeafA(j)["owner"] = "x"; },
       "children[0].owner: unknown field"},
      {"unknown top field", [](nlohmann::json& j) { j["version"] = 1; }, "version: unknown field"},
      {"missing unit", [](nlohmann::json& j) { j.erase("unit_id"); },
       "unit_id: required field is missing"},
      {"no target types", [](nlohmann::json& j) { j["target_types"] = nlohmann::json::array(); },
       "target_types: a plan needs at least one target type"},
  };
  const nlohmann::json good = nlohmann::json::parse(kSmallPlan);
  for (const BadTree& k : cases) {
    nlohmann::json j = good;
    k.mutate(j);
    Result<IndicatorTree> t = ParseIndicatorTree(j);
    INFO(k.what << " → " << t.status().ToString());
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().code() == Code::kInvalidArgument);
    CHECK_THAT(t.status().message(), Catch::Contains(k.message));
  }
  // The first case's full path, for the record.
  nlohmann::json j = good;
  LeafA(j).erase("lead_assessor");
  CHECK_THAT(ParseIndicatorTree(j).status().message(),
             Catch::StartsWith(std::string(kLeafAPath) + ".lead_assessor"));
}

TEST_CASE("weights that do not match the cycle are refused", "[indicator_tree]") {
  const CycleConfig city = CityCycle();
  const nlohmann::json sample = LoadJson("sample-plan-nanning-2026.json");
  const std::vector<BadTree> cases = {
      {"special indicators sum to 50",
       [](nlohmann::json& j) {
         auto& special = j["target_types"][1];
         special.erase("weight");
         special["children"][0].erase("weight");
         special["children"][0]["children"][0]["children"][0]["children"][0]["weight"] = 20;
       },
       "target_types[1] (special): indicators sum to 50 points, the 2026 city cycle gives special "
       "60 points "
       "in category \"cities\" (6% of 1000)"},
      {"unknown target type", [](nlohmann::json& j) { j["target_types"][1]["id"] = "common"; },
       "target_types[1].id: \"common\" is not a target type of the 2026 city cycle"},
      {"missing target type", [](nlohmann::json& j) { j["target_types"].erase(3); },
       "target_types: target type \"satisfaction\" is missing (150 points in category \"cities\")"},
      {"wrong year", [](nlohmann::json& j) { j["year"] = 2025; },
       "year: the plan is for 2025, the 2026 city cycle is for 2026"},
      {"unknown category", [](nlohmann::json& j) { j["category_id"] = "economic"; },
       "category_id: \"economic\" is not a category of the 2026 city cycle"},
  };
  for (const BadTree& k : cases) {
    nlohmann::json j = sample;
    k.mutate(j);
    Result<IndicatorTree> t = ParseIndicatorTree(j);
    INFO(k.what << " → " << t.status().ToString());
    REQUIRE(t.ok());
    Status s = ValidateIndicatorTree(*t, city);
    INFO(s.ToString());
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.message(), Catch::Contains(k.message));
  }
}

TEST_CASE("a target type not assessed in the category is refused", "[indicator_tree]") {
  Result<CycleConfig> dept = ParseCycleConfig(LoadJson("cycle-2026-department.json"));
  REQUIRE(dept.ok());
  auto leaf = [](const char* id, double w) {
    return nlohmann::json{{"id", id},
                          {"name", id},
                          {"weight", w},
                          {"target", "t"},
                          {"lead_assessor", "gx-performance-office"}};
  };
  auto type = [&](const char* id, double w) {
    const std::string p = id;
    return nlohmann::json{{"id", id},
                          {"name", id},
                          {"children",
                           {{{"id", p + ".1"},
                             {"name", "x"},
                             {"children",
                              {{{"id", p + ".1.1"},
                                {"name", "x"},
                                {"children",
                                 {{{"id", p + ".1.1.1"},
                                   {"name", "x"},
                                   {"children", {leaf((p + ".1.1.1.1").c_str(), w)}}}}}}}}}}}};
  };
  nlohmann::json j = {{"year", 2026},
                      {"unit_id", "gx-state-security"},
                      {"category_id", "state_security"},
                      {"target_types", {type("functional", 910), type("common", 90)}}};
  Result<IndicatorTree> t = ParseIndicatorTree(j);
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(ValidateIndicatorTree(*t, *dept).ok());
  j["target_types"].push_back(type("innovation", 60));
  t = ParseIndicatorTree(j);
  REQUIRE(t.ok());
  CHECK_THAT(
      ValidateIndicatorTree(*t, *dept).message(),
      Catch::Contains("target_types[2].id: target type \"innovation\" is not assessed in category "
                      "\"state_security\""));
}

TEST_CASE("plan units must exist", "[indicator_tree]") {
  Result<UnitDirectory> units = ParseUnits(LoadJson("units-guangxi.json"));
  REQUIRE(units.ok());
  CHECK(CheckPlanUnits(SmallPlan(), *units).ok());
  IndicatorTree t = SmallPlan();
  t.target_types[0].children[0].children[0].children[1].children[0].data_provider = "gx-nowhere";
  CHECK_THAT(
      CheckPlanUnits(t, *units).message(),
      Catch::Contains(
          "children[1].children[0].data_provider: unknown unit \"gx-nowhere\" (indicator \"c\")"));
  t = SmallPlan();
  t.target_types[1].children[0].children[0].children[0].children[0].lead_assessor = "统计局";
  CHECK_THAT(CheckPlanUnits(t, *units).message(),
             Catch::Contains("lead_assessor: unknown unit \"统计局\""));
  t = SmallPlan();
  t.unit_id = "gx-liuzhou-nowhere";
  CHECK_THAT(CheckPlanUnits(t, *units).message(), Catch::Contains("unit_id: unknown unit"));
  t = SmallPlan();
  t.unit_id = "gx-finance";
  CHECK_THAT(CheckPlanUnits(t, *units).message(),
             Catch::Contains("category_id: the plan says \"cities\" but unit \"gx-finance\" is in "
                             "category \"economic\""));
}

TEST_CASE("approved adjustments: modify, add, remove, with rebalancing", "[indicator_tree]") {
  struct Case {
    const char* what;
    nlohmann::json operations;
    std::vector<std::string> changes;  // "kind id: detail"
  };
  const std::vector<Case> cases = {
      {"move 5 points from a to b",
       {{{"op", "modify"}, {"id", "a"}, {"weight", 5}},
        {{"op", "modify"}, {"id", "b"}, {"weight", 25}}},
       {"modified a: weight 10 → 5", "modified b: weight 20 → 25"}},
      {"new target text only",
       {{{"op", "modify"}, {"id", "a"}, {"target", "增长5.5%"}}},
       {"modified a: target \"增长6%\" → \"增长5.5%\""}},
      {"new major task under f1.1.1, paid for by c",
       {{{"op", "add"},
         {"parent_id", "f1.1.1"},
         {"node",
          {{"id", "e"},
           {"name", "新增重大任务"},
           {"weight", 5},
           {"target", "年底前完成"},
           {"lead_assessor", "gx-development-reform"}}}},
        {{"op", "modify"}, {"id", "c"}, {"weight", 25}}},
       {"added e: added under \"f1.1.1\" with 5 points", "modified c: weight 30 → 25"}},
      {"drop a, give its points to b",
       {{{"op", "remove"}, {"id", "a"}}, {{"op", "modify"}, {"id", "b"}, {"weight", 30}}},
       {"modified b: weight 20 → 30", "removed a: removed from \"f1.1.1\" (was 10 points)"}},
      {"drop c, its level 3 goes with it",
       {{{"op", "remove"}, {"id", "c"}}, {{"op", "modify"}, {"id", "b"}, {"weight", 50}}},
       {"modified b: weight 20 → 50", "removed c: removed from \"f1.1.2\" (was 30 points)"}},
      {"add a whole level-3 item",
       {{{"op", "add"},
         {"parent_id", "f1.1"},
         {"node",
          {{"id", "f1.1.3"},
           {"name", "新增三级指标"},
           {"children",
            {{{"id", "g"},
              {"name", "新增具体指标"},
              {"weight", 10},
              {"target", "完成"},
              {"lead_assessor", "gx-statistics"}}}}}}},
        {{"op", "modify"}, {"id", "c"}, {"weight", 20}}},
       {"modified c: weight 30 → 20", "added g: added under \"f1.1.3\" with 10 points"}},
      {"new lead assessor and scoring rule",
       {{{"op", "modify"},
         {"id", "c"},
         {"lead_assessor", "gx-development-reform"},
         {"scoring_rule", ""}}},
       {"modified c: lead_assessor \"gx-statistics\" → \"gx-development-reform\"; scoring_rule "
        "\"按完成率计分\" → \"\""}},
  };
  const IndicatorTree before = SmallPlan();
  for (const Case& k : cases) {
    INFO(k.what);
    Result<IndicatorTree> after = ApplyAdjustment(before, Change(k.operations));
    INFO(after.status().ToString());
    REQUIRE(after.ok());
    CHECK(PointsOf(after->target_types[0]) == 60);
    CHECK(CheckIndicatorStructure(*after).ok());
    std::vector<std::string> got;
    for (const IndicatorChange& c : DiffIndicators(before, *after)) {
      got.push_back(std::string(ChangeKindName(c.kind)) + " " + c.indicator_id + ": " + c.detail);
    }
    CHECK(got == k.changes);
  }
  // Pruning: removing c removed f1.1.2 as well.
  Result<IndicatorTree> pruned = ApplyAdjustment(
      before,
      Change({{{"op", "remove"}, {"id", "c"}}, {{"op", "modify"}, {"id", "b"}, {"weight", 50}}}));
  REQUIRE(pruned.ok());
  CHECK(FindIndicatorNode(*pruned, "f1.1.2") == nullptr);
  CHECK(FindIndicatorNode(*pruned, "f1.1.1") != nullptr);
  // The input is never changed.
  CHECK(IndicatorTreeToJson(before) == IndicatorTreeToJson(SmallPlan()));
}

TEST_CASE("bad adjustments are refused with the field named", "[indicator_tree]") {
  struct Case {
    const char* what;
    nlohmann::json change;
    const char* message;
  };
  auto without = [](nlohmann::json j, const char* field) {
    j.erase(field);
    return j;
  };
  auto with = [](nlohmann::json j, const char* field, nlohmann::json value) {
    j[field] = std::move(value);
    return j;
  };
  const nlohmann::json ok_ops = {{{"op", "modify"}, {"id", "a"}, {"target", "x"}}};
  const std::vector<Case> cases = {
      {"no reason", without(Change(ok_ops), "reason"), "reason: required field is missing"},
      {"no approver", without(Change(ok_ops), "approved_by"),
       "approved_by: required field is missing"},
      {"bad approval date", with(Change(ok_ops), "approved_on", "2026-11-31"),
       "approved_on: \"2026-11-31\" is not a valid date"},
      {"unknown field", with(Change(ok_ops), "signed_by", "x"), "signed_by: unknown field"},
      {"no operations", Change(nlohmann::json::array()),
       "operations: an adjustment needs at least one operation"},
      {"unknown op", Change({{{"op", "rename"}, {"id", "a"}}}),
       "operations[0].op: unknown operation \"rename\" (known: modify, add, remove)"},
      {"misspelt field", Change({{{"op", "modify"}, {"id", "a"}, {"weigth", 5}}}),
       "operations[0].weigth: unknown field"},
      {"modify unknown id", Change({{{"op", "modify"}, {"id", "zz"}, {"weight", 5}}}),
       "operations[0].id: no node \"zz\" in the plan"},
      {"weight moved without rebalancing", Change({{{"op", "modify"}, {"id", "a"}, {"weight", 5}}}),
       "operations: target type \"functional\" would total 55 points, the plan has 60"},
      {"weights moved across target types",
       Change({{{"op", "modify"}, {"id", "a"}, {"weight", 5}},
               {{"op", "modify"}, {"id", "d"}, {"weight", 45}}}),
       "target type \"functional\" would total 55 points"},
      {"weight zero", Change({{{"op", "modify"}, {"id", "a"}, {"weight", 0}}}),
       "operations[0].weight: must be more than 0 points, got 0"},
      {"target on an inner node", Change({{{"op", "modify"}, {"id", "f1.1.1"}, {"target", "x"}}}),
       "operations[0].target: \"f1.1.1\" is level 3; only indicators have target"},
      {"modify a target type", Change({{{"op", "modify"}, {"id", "special"}, {"name", "x"}}}),
       "operations[0].id: \"special\" is a target type"},
      {"modify nothing", Change({{{"op", "modify"}, {"id", "a"}}}),
       "operations[0].id: modify needs at least one of"},
      {"add under an indicator",
       Change({{{"op", "add"}, {"parent_id", "a"}, {"node", {{"id", "e"}}}}}),
       "operations[0].parent_id: \"a\" is an indicator"},
      {"add under unknown parent",
       Change({{{"op", "add"}, {"parent_id", "f9"}, {"node", {{"id", "e"}}}}}),
       "operations[0].parent_id: no node \"f9\" in the plan"},
      {"add a duplicate id",
       Change({{{"op", "add"},
                {"parent_id", "f1.1.1"},
                {"node",
                 {{"id", "b"},
                  {"name", "x"},
                  {"weight", 1},
                  {"target", "t"},
                  {"lead_assessor", "u"}}}}}),
       "operations[0].node: id \"b\" is already in the plan"},
      {"add an indicator without lead assessor",
       Change({{{"op", "add"},
                {"parent_id", "f1.1.1"},
                {"node", {{"id", "e"}, {"name", "x"}, {"weight", 5}, {"target", "t"}}}},
               {{"op", "modify"}, {"id", "c"}, {"weight", 25}}}),
       "operations: the adjusted plan is not valid: "
       "target_types[0].children[0].children[0].children[0].children[2].lead_assessor: required"},
      {"add an indicator at level 3",
       Change({{{"op", "add"},
                {"parent_id", "f1.1"},
                {"node",
                 {{"id", "e"},
                  {"name", "x"},
                  {"weight", 5},
                  {"target", "t"},
                  {"lead_assessor", "u"}}}}}),
       "operations[0].node.target: level 3 \"e\" is not an indicator"},
      {"add without node", Change({{{"op", "add"}, {"parent_id", "f1.1.1"}}}),
       "operations[0].node: required field is missing"},
      {"remove a target type", Change({{{"op", "remove"}, {"id", "functional"}}}),
       "operations[0].id: \"functional\" is a target type"},
      {"remove unknown", Change({{{"op", "remove"}, {"id", "zz"}}}),
       "operations[0].id: no node \"zz\" in the plan"},
      {"remove the only indicator of a type", Change({{{"op", "remove"}, {"id", "d"}}}),
       "operations: the adjusted plan is not valid: target_types[1].children: target type "
       "\"special\" needs children"},
      {"no-op", Change({{{"op", "modify"}, {"id", "a"}, {"weight", 10}}}),
       "operations: the change leaves the plan as it is"},
  };
  const IndicatorTree before = SmallPlan();
  for (const Case& k : cases) {
    Result<IndicatorTree> after = ApplyAdjustment(before, k.change);
    INFO(k.what << " → " << after.status().ToString());
    REQUIRE_FALSE(after.ok());
    CHECK(after.status().code() == Code::kInvalidArgument);
    CHECK_THAT(after.status().message(), Catch::Contains(k.message));
  }
}

TEST_CASE("plan versions: each approved adjustment is a new version, old ones stay readable",
          "[indicator_tree]") {
  const CycleConfig city = CityCycle();
  Result<IndicatorTree> plan = ParseIndicatorTree(LoadJson("sample-plan-nanning-2026.json"));
  REQUIRE(plan.ok());
  const double gdp_v1 = *FindIndicatorNode(*plan, "functional.1.1.1.1")->weight;
  const double per_capita_v1 = *FindIndicatorNode(*plan, "functional.1.1.1.2")->weight;

  Result<PlanVersions> versions =
      PlanVersions::Issue(*plan, city, {"自治区分管领导", "审定印发", "2026-04-28", ""});
  INFO(versions.status().ToString());
  REQUIRE(versions.ok());
  CHECK(versions->size() == 1);
  CHECK(versions->Latest().number == 1);
  CHECK(versions->Latest().changes.empty());

  // Version 2: move 2 points from GDP per capita to GDP.
  Result<const PlanVersion*> v2 = versions->Adjust(
      Change({{{"op", "modify"}, {"id", "functional.1.1.1.1"}, {"weight", gdp_v1 + 2}},
              {{"op", "modify"}, {"id", "functional.1.1.1.2"}, {"weight", per_capita_v1 - 2}}}));
  INFO(v2.status().ToString());
  REQUIRE(v2.ok());
  CHECK((*v2)->number == 2);
  CHECK((*v2)->approval.approved_by == "自治区分管领导");
  CHECK((*v2)->approval.reason == "客观条件发生重大变化");
  CHECK((*v2)->approval.approved_on == "2026-11-25");
  REQUIRE((*v2)->changes.size() == 2);
  CHECK((*v2)->changes[0].kind == IndicatorChange::Kind::kModified);

  // Version 3: a new major task, paid for by the per-capita indicator.
  const nlohmann::json new_task = {
      {"reason", "自治区新部署的重大工作，收文之日起30个工作日内申请纳入"},
      {"approved_by", "自治区分管领导"},
      {"operations",
       {{{"op", "add"},
         {"parent_id", "functional.1.1.4"},
         {"node",
          {{"id", "functional.1.1.4.9"},
           {"name", "临时性重大项目攻坚"},
           {"weight", 1},
           {"target", "年底前开工"},
           {"lead_assessor", "gx-development-reform"}}}},
        {{"op", "modify"}, {"id", "functional.1.1.1.2"}, {"weight", per_capita_v1 - 3}}}}};
  Result<const PlanVersion*> v3 = versions->Adjust(new_task);
  INFO(v3.status().ToString());
  REQUIRE(v3.ok());
  CHECK(versions->size() == 3);
  REQUIRE((*v3)->changes.size() == 2);
  CHECK((*v3)->changes[1].kind == IndicatorChange::Kind::kAdded);
  CHECK((*v3)->changes[1].indicator_id == "functional.1.1.4.9");
  CHECK(ValidateIndicatorTree((*v3)->tree, city).ok());

  // A refused adjustment appends nothing.
  Result<const PlanVersion*> refused =
      versions->Adjust(Change({{{"op", "modify"}, {"id", "functional.1.1.1.1"}, {"weight", 1}}}));
  CHECK_FALSE(refused.ok());
  CHECK(versions->size() == 3);

  // Old versions are still there, unchanged, and earlier pointers stay valid.
  const PlanVersion* v1 = versions->Get(1).value();
  CHECK(*FindIndicatorNode(v1->tree, "functional.1.1.1.1")->weight == gdp_v1);
  CHECK(FindIndicatorNode(v1->tree, "functional.1.1.4.9") == nullptr);
  CHECK(*FindIndicatorNode((*v2)->tree, "functional.1.1.1.1")->weight == gdp_v1 + 2);
  CHECK(FindIndicatorNode((*v2)->tree, "functional.1.1.4.9") == nullptr);
  CHECK(FindIndicatorNode(versions->Latest().tree, "functional.1.1.4.9") != nullptr);
  CHECK(versions->Get(0).status().code() == Code::kNotFound);
  CHECK(versions->Get(4).status().code() == Code::kNotFound);
  CHECK_THAT(versions->Get(4).status().message(), Catch::Contains("plan version 4 does not exist"));

  // Round trip through JSON.
  nlohmann::json j = PlanVersionsToJson(*versions);
  Result<PlanVersions> again = ParsePlanVersions(j);
  INFO(again.status().ToString());
  REQUIRE(again.ok());
  CHECK(again->size() == 3);
  CHECK(PlanVersionsToJson(*again) == j);

  // Tampered histories are refused.
  nlohmann::json tampered = j;
  tampered["versions"][1]["changes"][0]["detail"] = "nothing to see";
  CHECK_THAT(
      ParsePlanVersions(tampered).status().message(),
      Catch::Contains("versions[1].changes: do not match the difference between versions 1 and 2"));
  tampered = j;
  tampered["versions"][2]["number"] = 4;
  CHECK_THAT(ParsePlanVersions(tampered).status().message(),
             Catch::Contains("versions[2].number: expected version 3, got 4"));
  tampered = j;
  tampered["versions"][1]["approval"].erase("reason");
  CHECK_THAT(ParsePlanVersions(tampered).status().message(),
             Catch::Contains("versions[1].approval.reason: required field is missing"));
}

TEST_CASE("issuing checks the plan and the approval", "[indicator_tree]") {
  const CycleConfig city = CityCycle();
  Result<IndicatorTree> plan = ParseIndicatorTree(LoadJson("sample-plan-nanning-2026.json"));
  REQUIRE(plan.ok());
  CHECK_THAT(PlanVersions::Issue(*plan, city, {"", "审定印发", "", ""}).status().message(),
             Catch::Contains("approval.approved_by: required"));
  CHECK_THAT(PlanVersions::Issue(*plan, city, {"自治区分管领导", "", "", ""}).status().message(),
             Catch::Contains("approval.reason: required"));
  CHECK_THAT(PlanVersions::Issue(*plan, city, {"自治区分管领导", "审定印发", "2026-02-30", ""})
                 .status()
                 .message(),
             Catch::Contains("approval.approved_on: \"2026-02-30\" is not a valid date"));
  CHECK_THAT(PlanVersions::Issue(SmallPlan(), city, {"自治区分管领导", "审定印发", "", ""})
                 .status()
                 .message(),
             Catch::Contains("indicators sum to 60 points"));
}

}  // namespace
}  // namespace govassess::workflows
