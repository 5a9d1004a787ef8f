#include "workflows/scoring.h"

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "tests/workflows/data_files.h"

namespace govassess::workflows {
namespace {

using testing::LoadJson;

CycleConfig LoadCycle(const char* file) {
  Result<CycleConfig> c = ParseCycleConfig(LoadJson(file));
  REQUIRE(c.ok());
  return std::move(c).value();
}

GradeRules Rules() { return LoadCycle("cycle-2026-city.json").grade_rules; }

// Units "u01", "u02", ... in category `category` with the given totals.
std::vector<ScoredUnit> Units(const std::vector<double>& totals,
                              const std::string& category = "c") {
  std::vector<ScoredUnit> out;
  for (size_t i = 0; i < totals.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    out.push_back({(n.size() < 2 ? "u0" : "u") + n, category, totals[i], {}, ""});
  }
  return out;
}

// Final grades ("first", "second", ...) in result order.
std::vector<std::string> Finals(const std::vector<GradeResult>& results) {
  std::vector<std::string> out;
  for (const auto& r : results) out.push_back(GradeId(r.final_grade));
  return out;
}

std::vector<int> Ranks(const std::vector<GradeResult>& results) {
  std::vector<int> out;
  for (const auto& r : results) out.push_back(r.rank);
  return out;
}

const GradeResult& Of(const std::vector<GradeResult>& results, const std::string& unit) {
  for (const auto& r : results) {
    if (r.unit_id == unit) return r;
  }
  FAIL("no result for " << unit);
  return results.front();
}

TEST_CASE("places per grade by category size (rounding half up, cumulative)", "[scoring]") {
  struct Case {
    int n, first, second, third;
  };
  const std::vector<Case> cases = {
      {0, 0, 0, 0},  {1, 0, 1, 0},  {2, 1, 1, 0},    {3, 1, 1, 1},     {4, 2, 1, 1},
      {5, 2, 2, 1},  {6, 2, 3, 1},  {7, 3, 3, 1},    {10, 4, 4, 2},    {14, 6, 5, 3},
      {15, 6, 6, 3}, {19, 8, 7, 4}, {33, 13, 13, 7}, {99, 40, 39, 20}, {100, 40, 40, 20},
  };
  const GradeRules rules = Rules();
  for (const Case& k : cases) {
    INFO("n = " << k.n);
    const GradePlaces p = PlacesFor(k.n, rules);
    CHECK(p.first == k.first);
    CHECK(p.second == k.second);
    CHECK(p.third == k.third);
  }
}

TEST_CASE("grades by rank for category sizes 1, 2, 3, 5, 14, 33", "[scoring]") {
  struct Case {
    int n;
    std::vector<std::string> grades;  // best first
  };
  auto repeat = [](std::vector<std::string> out, const char* g, int times) {
    out.insert(out.end(), static_cast<size_t>(times), g);
    return out;
  };
  const std::vector<Case> cases = {
      {1, {"second"}},
      {2, {"first", "second"}},
      {3, {"first", "second", "third"}},
      {5, {"first", "first", "second", "second", "third"}},
      {14, repeat(repeat(repeat({}, "first", 6), "second", 5), "third", 3)},
      {33, repeat(repeat(repeat({}, "first", 13), "second", 13), "third", 7)},
  };
  for (const Case& k : cases) {
    INFO("n = " << k.n);
    std::vector<double> totals;
    for (int i = 0; i < k.n; ++i) totals.push_back(990 - 5 * i);  // 990 … 830, all pass
    Result<std::vector<GradeResult>> r = AssignGrades(Units(totals), Rules(), {});
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    CHECK(Finals(*r) == k.grades);
    for (const auto& g : *r) {
      CHECK(g.category_size == k.n);
      CHECK(g.grade_before_overrides == g.final_grade);
    }
  }
}

TEST_CASE("ties share a rank and the better grade", "[scoring]") {
  struct Case {
    const char* what;
    std::vector<double> totals;
    std::vector<int> ranks;
    std::vector<std::string> grades;
  };
  const std::vector<Case> cases = {
      {"tie across the first/second line",
       {900, 890, 890, 880, 870},
       {1, 2, 2, 4, 5},
       {"first", "first", "first", "second", "third"}},
      {"tie across the second/third line",
       {900, 890, 880, 870, 870},
       {1, 2, 3, 4, 4},
       {"first", "first", "second", "second", "second"}},
      {"three-way tie straddling both lines",
       {900, 880, 880, 880, 870},
       {1, 2, 2, 2, 5},
       {"first", "first", "first", "first", "third"}},
      {"everyone tied",
       {850, 850, 850, 850, 850},
       {1, 1, 1, 1, 1},
       {"first", "first", "first", "first", "first"}},
      {"totals equal once rounded to 0.01",
       {900.004, 900.001, 880, 870, 860},
       {1, 1, 3, 4, 5},
       {"first", "first", "second", "second", "third"}},
      {"0.01 apart is not a tie",
       {900.01, 900.00, 880, 870, 860},
       {1, 2, 3, 4, 5},
       {"first", "first", "second", "second", "third"}},
  };
  for (const Case& k : cases) {
    INFO(k.what);
    Result<std::vector<GradeResult>> r = AssignGrades(Units(k.totals), Rules(), {});
    REQUIRE(r.ok());
    CHECK(Ranks(*r) == k.ranks);
    CHECK(Finals(*r) == k.grades);
  }
  // Ties are listed by unit id.
  Result<std::vector<GradeResult>> r =
      AssignGrades({{"gx-wuzhou", "c", 880, {}, ""}, {"gx-beihai", "c", 880, {}, ""}}, Rules(), {});
  REQUIRE(r.ok());
  CHECK((*r)[0].unit_id == "gx-beihai");
  CHECK_THAT((*r)[0].reasons[0], Catch::Contains("与其他单位并列 880 分"));
}

TEST_CASE("a total under 800 fails whatever its rank", "[scoring]") {
  struct Case {
    const char* what;
    std::vector<double> totals;
    std::vector<std::string> grades;
  };
  const std::vector<Case> cases = {
      {"second-best of five is under 800",
       {850, 799.99, 799, 700, 600},
       {"first", "fail", "fail", "fail", "fail"}},
      {"the best is under 800",
       {795, 790, 785, 780, 700},
       {"fail", "fail", "fail", "fail", "fail"}},
      {"only the last is under 800",
       {950, 940, 930, 920, 780},
       {"first", "first", "second", "second", "fail"}},
      {"799.996 rounds to 800.00 and passes", {799.996, 700}, {"first", "fail"}},
      {"exactly 800 passes", {800}, {"second"}},
  };
  for (const Case& k : cases) {
    INFO(k.what);
    Result<std::vector<GradeResult>> r = AssignGrades(Units(k.totals), Rules(), {});
    REQUIRE(r.ok());
    CHECK(Finals(*r) == k.grades);
  }
  Result<std::vector<GradeResult>> r = AssignGrades(Units({850, 799.99}), Rules(), {});
  REQUIRE(r.ok());
  const GradeResult& second = (*r)[1];
  CHECK(second.rank == 2);
  CHECK(second.grade_before_overrides == Grade::kFail);
  CHECK_THAT(second.reasons[1], Catch::Contains("总分 799.99 低于 800 分 → 不合格"));
}

Override Affirm(const char* unit) {
  return {OverrideKind::kAffirmation, unit, "", "获总书记肯定批示，经专门程序认定",
          "自治区绩效考评领导小组"};
}
Override Downgrade(const char* unit, const char* area = "安全生产") {
  return {OverrideKind::kDowngrade, unit, area, "发生重大生产安全事故，造成严重后果",
          "自治区绩效考评领导小组"};
}

TEST_CASE("overrides: affirmation, downgrade, both", "[scoring]") {
  // Six units (places 2/3/1): u01, u02 first; u03, u04, u05 second; u06 under 800 fails.
  const std::vector<double> totals = {950, 940, 930, 920, 910, 790};
  struct Case {
    const char* what;
    std::vector<Override> overrides;
    const char* unit;
    Grade expected;
  };
  const std::vector<Case> cases = {
      {"affirmation does not lift a total under 800", {Affirm("u06")}, "u06", Grade::kFail},
      {"affirmation lifts second to first", {Affirm("u04")}, "u04", Grade::kFirst},
      {"affirmation of a first stays first", {Affirm("u01")}, "u01", Grade::kFirst},
      {"downgrade first → second", {Downgrade("u01")}, "u01", Grade::kSecond},
      {"downgrade second → third", {Downgrade("u03")}, "u03", Grade::kThird},
      {"downgrade fail stays fail", {Downgrade("u06")}, "u06", Grade::kFail},
      {"two downgrades still lower one grade",
       {Downgrade("u01"), Downgrade("u01", "党风廉政建设")},
       "u01",
       Grade::kSecond},
      {"affirmation and downgrade: first, then one lower",
       {Downgrade("u04"), Affirm("u04")},
       "u04",
       Grade::kSecond},
      {"affirmation and downgrade of a first",
       {Affirm("u01"), Downgrade("u01")},
       "u01",
       Grade::kSecond},
  };
  for (const Case& k : cases) {
    INFO(k.what);
    Result<std::vector<GradeResult>> r = AssignGrades(Units(totals), Rules(), k.overrides);
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    CHECK(Of(*r, k.unit).final_grade == k.expected);
  }

  SECTION("third downgraded fails (the four grades of seed 001, one step down)") {
    Result<std::vector<GradeResult>> r =
        AssignGrades(Units({950, 940, 930, 920, 910}), Rules(), {Downgrade("u05")});
    REQUIRE(r.ok());
    CHECK(Of(*r, "u05").grade_before_overrides == Grade::kThird);
    CHECK(Of(*r, "u05").final_grade == Grade::kFail);
    CHECK_THAT(Of(*r, "u05").reasons.back(),
               Catch::Contains("因安全生产方面的重大问题降等：三等 → 不合格"));
  }
  SECTION("affirmation of a third: first") {
    Result<std::vector<GradeResult>> r =
        AssignGrades(Units({950, 940, 930, 920, 910}), Rules(), {Affirm("u05")});
    REQUIRE(r.ok());
    CHECK(Of(*r, "u05").final_grade == Grade::kFirst);
    // Nobody else moves: overrides do not re-count places.
    CHECK(Finals(*r) == std::vector<std::string>{"first", "first", "second", "second", "first"});
  }
  SECTION("affirmation below 800 does not lift the fail, unless the cycle says so") {
    GradeRules rules = Rules();
    Result<std::vector<GradeResult>> r = AssignGrades(Units(totals), rules, {Affirm("u06")});
    REQUIRE(r.ok());
    CHECK(Of(*r, "u06").final_grade == Grade::kFail);
    CHECK_THAT(Of(*r, "u06").reasons.back(),
               Catch::Contains("一票肯定未适用：总分低于 800 分，仍为不合格"));
    rules.affirmation_lifts_fail = true;
    r = AssignGrades(Units(totals), rules, {Affirm("u06")});
    REQUIRE(r.ok());
    CHECK(Of(*r, "u06").final_grade == Grade::kFirst);
    r = AssignGrades(Units(totals), rules, {Affirm("u06"), Downgrade("u06")});
    REQUIRE(r.ok());
    CHECK(Of(*r, "u06").final_grade == Grade::kSecond);
  }
  SECTION("reasons record each rule with reason and approver") {
    Result<std::vector<GradeResult>> r =
        AssignGrades(Units(totals), Rules(), {Affirm("u04"), Downgrade("u04")});
    REQUIRE(r.ok());
    const GradeResult& g = Of(*r, "u04");
    REQUIRE(g.reasons.size() == 3);
    CHECK_THAT(g.reasons[0], Catch::Contains("类第 4 名（共 6 个）→ 二等"));
    CHECK_THAT(g.reasons[1],
               Catch::Contains("一票肯定 → 一等") && Catch::Contains("自治区绩效考评领导小组"));
    CHECK_THAT(g.reasons[2], Catch::Contains("一等 → 二等"));
    CHECK(g.grade_before_overrides == Grade::kSecond);
  }
}

TEST_CASE("bad overrides are refused, naming the override", "[scoring]") {
  struct Case {
    const char* what;
    Override o;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"no reason",
       {OverrideKind::kAffirmation, "u01", "", "", "领导小组"},
       "overrides[1] (affirmation of \"u01\"): reason is required"},
      {"blank reason",
       {OverrideKind::kDowngrade, "u02", "安全生产", "  ", "领导小组"},
       "overrides[1] (downgrade of \"u02\"): reason is required"},
      {"no approver",
       {OverrideKind::kDowngrade, "u02", "安全生产", "重大事故", ""},
       "overrides[1] (downgrade of \"u02\"): approver is required"},
      {"unknown unit",
       {OverrideKind::kAffirmation, "u99", "", "创新", "领导小组"},
       "overrides[1] (affirmation of \"u99\"): unit \"u99\" is not among the scored units"},
      {"area not listed",
       {OverrideKind::kDowngrade, "u02", "扶贫", "问题", "领导小组"},
       "overrides[1] (downgrade of \"u02\"): area \"扶贫\" is not a downgrade area of this cycle"},
      {"downgrade without area",
       {OverrideKind::kDowngrade, "u02", "", "问题", "领导小组"},
       "area \"\" is not a downgrade area"},
      {"affirmation with an area",
       {OverrideKind::kAffirmation, "u02", "安全生产", "创新", "领导小组"},
       "overrides[1] (affirmation of \"u02\"): an affirmation has no area"},
  };
  for (const Case& k : cases) {
    INFO(k.what);
    Result<std::vector<GradeResult>> r =
        AssignGrades(Units({900, 880, 860}), Rules(), {Affirm("u03"), k.o});
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains(k.message));
  }
}

TEST_CASE("bad units and rules are refused", "[scoring]") {
  struct Case {
    const char* what;
    std::vector<ScoredUnit> units;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"duplicate unit",
       {{"a", "c", 900, {}, ""}, {"a", "c", 800, {}, ""}},
       "units[1].unit_id: unit \"a\" is listed twice"},
      {"empty unit id", {{"", "c", 900, {}, ""}}, "units[0].unit_id: must not be empty"},
      {"empty category", {{"a", "", 900, {}, ""}}, "units[0].category_id: must not be empty"},
      {"total over 1000",
       {{"a", "c", 1000.5, {}, ""}},
       "units[0].total: 1000.5 is outside [0, 1000]"},
      {"negative total", {{"a", "c", -1, {}, ""}}, "units[0].total: -1 is outside [0, 1000]"},
  };
  for (const Case& k : cases) {
    INFO(k.what);
    Result<std::vector<GradeResult>> r = AssignGrades(k.units, Rules(), {});
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains(k.message));
  }
  GradeRules rules = Rules();
  rules.first_share = 0.7;
  CHECK_THAT(AssignGrades(Units({900}), rules, {}).status().message(),
             Catch::Contains("grade_rules.second_share"));
  CHECK(AssignGrades({}, Rules(), {}).ok());
}

TEST_CASE("categories are graded separately, in order of first appearance", "[scoring]") {
  std::vector<ScoredUnit> units = {{"e1", "economic", 900, {}, ""},
                                   {"p1", "party_mass", 950, {}, ""},
                                   {"e2", "economic", 920, {}, ""},
                                   {"p2", "party_mass", 850, {}, ""},
                                   {"s1", "state_security", 880, {}, ""}};
  Result<std::vector<GradeResult>> r = AssignGrades(units, Rules(), {});
  REQUIRE(r.ok());
  std::vector<std::string> order;
  for (const auto& g : *r) order.push_back(g.unit_id + ":" + GradeId(g.final_grade));
  CHECK(order ==
        std::vector<std::string>{"e2:first", "e1:second", "p1:first", "p2:second", "s1:second"});
}

TEST_CASE("the 14 cities, one year", "[scoring]") {
  const std::vector<ScoredUnit> cities = {
      {"gx-nanning", "cities", 956.32, {}, ""}, {"gx-liuzhou", "cities", 948.10, {}, ""},
      {"gx-guilin", "cities", 941.77, {}, ""},  {"gx-wuzhou", "cities", 918.40, {}, ""},
      {"gx-beihai", "cities", 935.05, {}, ""},  {"gx-fangchenggang", "cities", 921.63, {}, ""},
      {"gx-qinzhou", "cities", 929.88, {}, ""}, {"gx-guigang", "cities", 910.12, {}, ""},
      {"gx-yulin", "cities", 933.46, {}, ""},   {"gx-baise", "cities", 925.00, {}, ""},
      {"gx-hezhou", "cities", 905.71, {}, ""},  {"gx-hechi", "cities", 897.35, {}, ""},
      {"gx-laibin", "cities", 899.20, {}, ""},  {"gx-chongzuo", "cities", 925.00, {}, ""}};
  Result<std::vector<GradeResult>> r =
      AssignGrades(cities, Rules(), {Affirm("gx-hechi"), Downgrade("gx-yulin", "生态环境保护")});
  REQUIRE(r.ok());
  REQUIRE(r->size() == 14);
  // 6 first places (14 × 0.4 = 5.6 → 6), 5 second (11.2 → 11), 3 third.
  CHECK(Of(*r, "gx-nanning").rank == 1);
  CHECK(Of(*r, "gx-qinzhou").final_grade == Grade::kFirst);  // rank 6
  CHECK(Of(*r, "gx-baise").rank == 7);
  CHECK(Of(*r, "gx-chongzuo").rank == 7);
  CHECK(Of(*r, "gx-baise").final_grade == Grade::kSecond);
  CHECK(Of(*r, "gx-guigang").final_grade == Grade::kSecond);  // rank 11
  CHECK(Of(*r, "gx-hezhou").final_grade == Grade::kThird);    // rank 12
  CHECK(Of(*r, "gx-hechi").grade_before_overrides == Grade::kThird);
  CHECK(Of(*r, "gx-hechi").final_grade == Grade::kFirst);  // 一票肯定
  CHECK(Of(*r, "gx-yulin").grade_before_overrides == Grade::kFirst);
  CHECK(Of(*r, "gx-yulin").final_grade == Grade::kSecond);  // 降等
}

// ---- totals ----------------------------------------------------------------------

IndicatorTree SamplePlan() {
  Result<IndicatorTree> t = ParseIndicatorTree(LoadJson("sample-plan-nanning-2026.json"));
  REQUIRE(t.ok());
  return std::move(t).value();
}

// Scores every indicator under `type` at `fraction` of its weight.
TargetTypeScore ByIndicators(const IndicatorTree& plan, const std::string& type, double fraction) {
  TargetTypeScore s;
  s.target_type = type;
  for (const auto& t : plan.target_types) {
    if (t.id != type) continue;
    IndicatorTree one;
    one.target_types = {t};
    for (const IndicatorNode* leaf : Leaves(one))
      s.indicators.push_back({leaf->id, *leaf->weight * fraction});
  }
  return s;
}

TargetTypeScore Raw(const std::string& type, double score, double max = 100) {
  TargetTypeScore s;
  s.target_type = type;
  s.raw_score = score;
  s.raw_max = max;
  return s;
}

TEST_CASE("weighted 1000-point totals", "[scoring]") {
  const CycleConfig city = LoadCycle("cycle-2026-city.json");
  const IndicatorTree plan = SamplePlan();
  SECTION("indicator points and raw scores") {
    ScoreCard card{"gx-nanning",
                   "cities",
                   {ByIndicators(plan, "functional", 1.0), Raw("special", 100),
                    Raw("innovation", 50), Raw("satisfaction", 88.5)}};
    Result<ScoredUnit> s = ComputeTotal(card, city, &plan);
    INFO(s.status().ToString());
    REQUIRE(s.ok());
    // 700 + 60 + 45 + 132.75
    CHECK(s->total == Approx(937.75));
    CHECK(s->target_type_points.at("satisfaction") == Approx(132.75));
  }
  SECTION("all by raw score, no plan needed") {
    ScoreCard card{"gx-liuzhou",
                   "cities",
                   {Raw("functional", 91.3), Raw("special", 9, 10), Raw("innovation", 0),
                    Raw("satisfaction", 100)}};
    Result<ScoredUnit> s = ComputeTotal(card, city, nullptr);
    REQUIRE(s.ok());
    // 639.1 + 54 + 0 + 150
    CHECK(s->total == Approx(843.1));
  }
  SECTION("totals are rounded to 0.01") {
    ScoreCard card{"gx-liuzhou",
                   "cities",
                   {Raw("functional", 2, 3), Raw("special", 100), Raw("innovation", 100),
                    Raw("satisfaction", 100)}};
    Result<ScoredUnit> s = ComputeTotal(card, city, nullptr);
    REQUIRE(s.ok());
    CHECK(s->total == 766.67);
  }
  SECTION("department category weights 60/9/6/25") {
    const CycleConfig dept = LoadCycle("cycle-2026-department.json");
    ScoreCard card{"gx-education",
                   "government_affairs",
                   {Raw("functional", 90), Raw("common", 100), Raw("innovation", 50),
                    Raw("satisfaction", 80)}};
    Result<ScoredUnit> s = ComputeTotal(card, dept, nullptr);
    INFO(s.status().ToString());
    REQUIRE(s.ok());
    // 540 + 90 + 30 + 200
    CHECK(s->total == Approx(860));
    card.target_types.push_back(Raw("leader_evaluation", 100));
    CHECK_THAT(ComputeTotal(card, dept, nullptr).status().message(),
               Catch::Contains("target type \"leader_evaluation\" is not assessed in category "
                               "\"government_affairs\""));
  }
}

TEST_CASE("bad score cards are refused", "[scoring]") {
  const CycleConfig city = LoadCycle("cycle-2026-city.json");
  const IndicatorTree plan = SamplePlan();
  auto full = [&]() {
    return ScoreCard{"gx-nanning",
                     "cities",
                     {ByIndicators(plan, "functional", 0.9), Raw("special", 100),
                      Raw("innovation", 50), Raw("satisfaction", 88.5)}};
  };
  REQUIRE(ComputeTotal(full(), city, &plan).ok());
  struct Case {
    const char* what;
    std::function<void(ScoreCard&)> mutate;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"missing target type", [](ScoreCard& c) { c.target_types.pop_back(); },
       "target_types: target type \"satisfaction\" has no score (150 points in category "
       "\"cities\")"},
      {"target type twice", [](ScoreCard& c) { c.target_types.push_back(Raw("special", 1)); },
       "target_types[4] (special): target type \"special\" is scored twice"},
      {"unknown target type", [](ScoreCard& c) { c.target_types.push_back(Raw("common", 1)); },
       "target_types[4] (common): unknown target type \"common\""},
      {"both forms", [](ScoreCard& c) { c.target_types[0].raw_score = 90; },
       "target_types[0] (functional): give either indicator points or a raw score, not both"},
      {"neither form", [](ScoreCard& c) { c.target_types[1].raw_score.reset(); },
       "target_types[1] (special): give either indicator points or a raw score, got neither"},
      {"raw over max", [](ScoreCard& c) { c.target_types[3].raw_score = 101; },
       "target_types[3] (satisfaction): raw score 101 is outside [0, 100]"},
      {"raw max zero", [](ScoreCard& c) { c.target_types[3].raw_max = 0; },
       "target_types[3] (satisfaction): raw_max must be more than 0"},
      {"points over weight", [](ScoreCard& c) { c.target_types[0].indicators[0].points = 1000; },
       "target_types[0] (functional): indicator \"functional.1.1.1.1\" has 1000 points, more than "
       "its weight"},
      {"negative points", [](ScoreCard& c) { c.target_types[0].indicators[0].points = -1; },
       "indicator \"functional.1.1.1.1\" has -1 points; points must be 0 or more"},
      {"unknown indicator",
       [](ScoreCard& c) {
         c.target_types[0].indicators.push_back({"special.1.1.1.1", 1});
       },
       "indicator \"special.1.1.1.1\" is not in the plan under functional"},
      {"indicator twice",
       [](ScoreCard& c) {
         c.target_types[0].indicators.push_back(c.target_types[0].indicators[0]);
       },
       "indicator \"functional.1.1.1.1\" is scored twice"},
      {"indicator unscored", [](ScoreCard& c) { c.target_types[0].indicators.pop_back(); },
       "has no score"},
      {"unknown category", [](ScoreCard& c) { c.category_id = "economic"; },
       "category_id: \"economic\" is not a category of the 2026 city cycle"},
      {"plan of another unit", [](ScoreCard& c) { c.unit_id = "gx-liuzhou"; },
       "plan: it is the plan of \"gx-nanning\""},
  };
  for (const Case& k : cases) {
    INFO(k.what);
    ScoreCard card = full();
    k.mutate(card);
    Result<ScoredUnit> s = ComputeTotal(card, city, &plan);
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kInvalidArgument);
    CHECK_THAT(s.status().message(), Catch::Contains(k.message));
  }
  CHECK_THAT(
      ComputeTotal(full(), city, nullptr).status().message(),
      Catch::Contains("target_types[0] (functional): scored by indicators, but no plan was given"));
}

}  // namespace
}  // namespace govassess::workflows
