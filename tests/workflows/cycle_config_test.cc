#include "workflows/cycle_config.h"

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "tests/workflows/data_files.h"

namespace govassess::workflows {
namespace {

using testing::LoadJson;

TEST_CASE("shipped city cycle parses and follows seed 001", "[cycle_config]") {
  Result<CycleConfig> c = ParseCycleConfig(LoadJson("cycle-2026-city.json"));
  INFO(c.status().ToString());
  REQUIRE(c.ok());
  CHECK(c->year == 2026);
  CHECK(c->scheme == Scheme::kCity);
  REQUIRE(c->target_types.size() == 4);
  CHECK(c->FindTargetType("functional")->weight == 70);
  CHECK(c->FindTargetType("special")->weight == 6);
  CHECK(c->FindTargetType("innovation")->weight == 9);
  CHECK(c->FindTargetType("satisfaction")->weight == 15);
  REQUIRE(c->categories.size() == 1);
  const Milestones& m = c->milestones;
  CHECK(m.plan_due == "2026-04-30");
  CHECK(m.adjustment_window.from == "2026-11-20");
  CHECK(m.adjustment_window.to == "2026-11-30");
  CHECK(m.new_task_window_working_days == 30);
  CHECK(m.self_assessment_due == "2027-01-10");
  CHECK(m.lead_scoring_due == "2027-01-20");
  CHECK(m.appeal_window_working_days == 5);
  CHECK(c->grade_rules.first_share == 0.4);
  CHECK(c->grade_rules.second_share == 0.4);
  CHECK(c->grade_rules.fail_below == 800);
  CHECK(c->grade_rules.max_score == 1000);
  CHECK(c->grade_rules.downgrade_areas.size() == 4);
  CHECK(c->MaxPointsFor("cities", "functional").value() == 700);
  CHECK(c->MaxPointsFor("cities", "satisfaction").value() == 150);
}

TEST_CASE("shipped department cycle parses, with category overrides", "[cycle_config]") {
  Result<CycleConfig> c = ParseCycleConfig(LoadJson("cycle-2026-department.json"));
  INFO(c.status().ToString());
  REQUIRE(c.ok());
  CHECK(c->scheme == Scheme::kDepartment);
  CHECK(c->categories.size() == 7);
  CHECK(c->milestones.self_assessment_due == "2027-01-06");
  CHECK(c->milestones.lead_scoring_due == "2027-01-18");
  CHECK(c->milestones.adjustment_window.to == "2026-11-30");

  struct Case {
    const char* category;
    std::map<std::string, double> weights;
  };
  const std::vector<Case> cases = {
      {"party_mass",
       {{"functional", 70},
        {"common", 9},
        {"innovation", 6},
        {"satisfaction", 12},
        {"leader_evaluation", 3}}},
      {"economic",
       {{"functional", 70},
        {"common", 9},
        {"innovation", 6},
        {"satisfaction", 12},
        {"leader_evaluation", 3}}},
      {"government_affairs",
       {{"functional", 60},
        {"common", 9},
        {"innovation", 6},
        {"satisfaction", 25},
        {"leader_evaluation", 0}}},
      {"supervision_enforcement",
       {{"functional", 60},
        {"common", 9},
        {"innovation", 6},
        {"satisfaction", 25},
        {"leader_evaluation", 0}}},
      {"state_security",
       {{"functional", 91},
        {"common", 9},
        {"innovation", 0},
        {"satisfaction", 0},
        {"leader_evaluation", 0}}},
  };
  for (const Case& k : cases) {
    INFO(k.category);
    Result<std::map<std::string, double>> w = c->WeightsFor(k.category);
    REQUIRE(w.ok());
    CHECK(*w == k.weights);
  }
  CHECK(c->MaxPointsFor("government_affairs", "satisfaction").value() == 250);
  CHECK(c->WeightsFor("nowhere").status().code() == Code::kNotFound);
  CHECK(c->MaxPointsFor("economic", "nowhere").status().code() == Code::kNotFound);
}

TEST_CASE("config round-trips through JSON", "[cycle_config]") {
  for (const char* file : {"cycle-2026-city.json", "cycle-2026-department.json"}) {
    INFO(file);
    Result<CycleConfig> c = ParseCycleConfig(LoadJson(file));
    REQUIRE(c.ok());
    nlohmann::json j = CycleConfigToJson(*c);
    Result<CycleConfig> again = ParseCycleConfig(j);
    INFO(again.status().ToString());
    REQUIRE(again.ok());
    CHECK(CycleConfigToJson(*again) == j);
  }
}

TEST_CASE("decimal weights summing to 100 are accepted", "[cycle_config]") {
  nlohmann::json j = LoadJson("cycle-2026-city.json");
  j["target_types"][0]["weight"] = 69.5;
  j["target_types"][1]["weight"] = 6.5;
  Result<CycleConfig> c = ParseCycleConfig(j);
  INFO(c.status().ToString());
  CHECK(c.ok());
}

struct BadCase {
  const char* what;
  std::function<void(nlohmann::json&)> mutate;
  const char* message;  // the error must contain this
};

TEST_CASE("each bad field gives an error naming the field", "[cycle_config]") {
  const std::vector<BadCase> cases = {
      {"not an object", [](nlohmann::json& j) { j = nlohmann::json::array(); },
       "document: expected an object"},
      {"unknown top-level field", [](nlohmann::json& j) { j["colour"] = "red"; },
       "colour: unknown field"},
      {"year as string", [](nlohmann::json& j) { j["year"] = "2026"; },
       "year: expected an integer, got string"},
      {"year decimal", [](nlohmann::json& j) { j["year"] = 2026.5; },
       "year: expected an integer, got a decimal"},
      {"year out of range", [](nlohmann::json& j) { j["year"] = 1999; },
       "year: must be between 2000 and 2100"},
      {"year missing", [](nlohmann::json& j) { j.erase("year"); },
       "year: required field is missing"},
      {"scheme unknown", [](nlohmann::json& j) { j["scheme"] = "county"; },
       "scheme: must be \"city\" or \"department\", got \"county\""},
      {"name missing", [](nlohmann::json& j) { j.erase("name"); },
       "name: required field is missing"},
      {"name blank", [](nlohmann::json& j) { j["name"] = "  "; }, "name: must not be empty"},
      {"weights sum to 97", [](nlohmann::json& j) { j["target_types"][1]["weight"] = 3; },
       "target_types[3].weight: weights must sum to 100, got 97"},
      {"weights sum to 100.5", [](nlohmann::json& j) { j["target_types"][3]["weight"] = 15.5; },
       "target_types[3].weight: weights must sum to 100, got 100.5"},
      {"weight negative", [](nlohmann::json& j) { j["target_types"][2]["weight"] = -9; },
       "target_types[2].weight: must be more than 0 and at most 100"},
      {"weight string", [](nlohmann::json& j) { j["target_types"][2]["weight"] = "9"; },
       "target_types[2].weight: expected a number, got string"},
      {"weight missing", [](nlohmann::json& j) { j["target_types"][0].erase("weight"); },
       "target_types[0].weight: required field is missing"},
      {"duplicate target type",
       [](nlohmann::json& j) { j["target_types"][1]["id"] = "functional"; },
       "target_types[1].id: duplicate id \"functional\" (also target_types[0])"},
      {"bad target type id",
       [](nlohmann::json& j) { j["target_types"][1]["id"] = "Special Target"; },
       "target_types[1].id: \"Special Target\" is not a valid id"},
      {"unknown field in target type", [](nlohmann::json& j) { j["target_types"][0]["share"] = 1; },
       "target_types[0].share: unknown field"},
      {"no target types", [](nlohmann::json& j) { j["target_types"] = nlohmann::json::array(); },
       "target_types: at least one target type is required"},
      {"no categories", [](nlohmann::json& j) { j["categories"] = nlohmann::json::array(); },
       "categories: at least one category is required"},
      {"duplicate category",
       [](nlohmann::json& j) {
         j["categories"].push_back({{"id", "cities"}, {"name", "again"}});
       },
       "categories[1].id: duplicate id \"cities\" (also categories[0])"},
      {"override names unknown target type",
       [](nlohmann::json& j) {
         j["categories"][0]["target_type_weights"] = {{"functional", 70}, {"common", 30}};
       },
       "categories[0].target_type_weights.common: unknown target type \"common\""},
      {"override does not sum",
       [](nlohmann::json& j) {
         j["categories"][0]["target_type_weights"] = {
             {"functional", 60}, {"special", 6}, {"innovation", 9}, {"satisfaction", 20}};
       },
       "categories[0].target_type_weights: weights must sum to 100, got 95"},
      {"override weight not a number",
       [](nlohmann::json& j) {
         j["categories"][0]["target_type_weights"] = {{"functional", "all"}};
       },
       "categories[0].target_type_weights.functional: expected a number, got string"},
      {"plan_due not a date", [](nlohmann::json& j) { j["milestones"]["plan_due"] = "2026-04-31"; },
       "milestones.plan_due: \"2026-04-31\" is not a valid date"},
      {"adjustment window from 30 November + 1",
       [](nlohmann::json& j) { j["milestones"]["adjustment_window"]["from"] = "2026-11-31"; },
       "milestones.adjustment_window.from: \"2026-11-31\" is not a valid date"},
      {"date with short month",
       [](nlohmann::json& j) { j["milestones"]["plan_due"] = "2026-4-30"; },
       "milestones.plan_due: \"2026-4-30\" is not a valid date"},
      {"29 February in a common year",
       [](nlohmann::json& j) { j["milestones"]["external_scores_due"] = "2027-02-29"; },
       "milestones.external_scores_due: \"2027-02-29\" is not a valid date"},
      {"date as number", [](nlohmann::json& j) { j["milestones"]["results_due"] = 20270320; },
       "milestones.results_due: expected a date string \"YYYY-MM-DD\", got number"},
      {"window reversed",
       [](nlohmann::json& j) {
         j["milestones"]["adjustment_window"] = {{"from", "2026-11-30"}, {"to", "2026-11-20"}};
       },
       "milestones.adjustment_window.to: \"2026-11-20\" is before from \"2026-11-30\""},
      {"window unknown field",
       [](nlohmann::json& j) { j["milestones"]["adjustment_window"]["until"] = "2026-11-30"; },
       "milestones.adjustment_window.until: unknown field"},
      {"plan due in another year",
       [](nlohmann::json& j) { j["milestones"]["plan_due"] = "2025-04-30"; },
       "milestones.plan_due: \"2025-04-30\" must fall in 2026"},
      {"adjustment window before the plan",
       [](nlohmann::json& j) { j["milestones"]["adjustment_window"]["from"] = "2026-03-01"; },
       "milestones.adjustment_window.from: \"2026-03-01\" is before milestones.plan_due"},
      {"self-assessment in the cycle year",
       [](nlohmann::json& j) { j["milestones"]["self_assessment_due"] = "2026-12-31"; },
       "milestones.self_assessment_due: \"2026-12-31\" must fall in 2027"},
      {"lead scoring before self-assessment",
       [](nlohmann::json& j) { j["milestones"]["lead_scoring_due"] = "2027-01-05"; },
       "milestones.lead_scoring_due: \"2027-01-05\" is before milestones.self_assessment_due"},
      {"results before external scores",
       [](nlohmann::json& j) { j["milestones"]["results_due"] = "2027-02-20"; },
       "milestones.results_due: \"2027-02-20\" is before milestones.external_scores_due"},
      {"ratification before results",
       [](nlohmann::json& j) { j["milestones"]["ratification_due"] = "2027-03-01"; },
       "milestones.ratification_due: \"2027-03-01\" is before milestones.results_due"},
      {"appeal window zero",
       [](nlohmann::json& j) { j["milestones"]["appeal_window_working_days"] = 0; },
       "milestones.appeal_window_working_days: must be between 1 and 30 working days, got 0"},
      {"appeal window string",
       [](nlohmann::json& j) { j["milestones"]["appeal_window_working_days"] = "5"; },
       "milestones.appeal_window_working_days: expected an integer, got string"},
      {"new-task window missing",
       [](nlohmann::json& j) { j["milestones"].erase("new_task_window_working_days"); },
       "milestones.new_task_window_working_days: required field is missing"},
      {"unknown milestone", [](nlohmann::json& j) { j["milestones"]["party_due"] = "2026-12-31"; },
       "milestones.party_due: unknown field"},
      {"milestones not an object", [](nlohmann::json& j) { j["milestones"] = "soon"; },
       "milestones: expected an object, got string"},
      {"shares over 1", [](nlohmann::json& j) { j["grade_rules"]["first_share"] = 0.7; },
       "grade_rules.second_share: first_share + second_share must be at most 1, got 1.1"},
      {"first share zero", [](nlohmann::json& j) { j["grade_rules"]["first_share"] = 0; },
       "grade_rules.first_share: must be more than 0 and at most 1, got 0"},
      {"fail line above max", [](nlohmann::json& j) { j["grade_rules"]["fail_below"] = 1200; },
       "grade_rules.fail_below: must be between 0 and max_score 1000, got 1200"},
      {"duplicate downgrade area",
       [](nlohmann::json& j) { j["grade_rules"]["downgrade_areas"].push_back("安全生产"); },
       "grade_rules.downgrade_areas[4]: duplicate area \"安全生产\""},
      {"blank downgrade area",
       [](nlohmann::json& j) { j["grade_rules"]["downgrade_areas"][1] = ""; },
       "grade_rules.downgrade_areas[1]: must not be empty"},
      {"affirmation flag not bool",
       [](nlohmann::json& j) { j["grade_rules"]["affirmation_lifts_fail"] = "no"; },
       "grade_rules.affirmation_lifts_fail: expected true or false, got string"},
      {"unknown grade rule", [](nlohmann::json& j) { j["grade_rules"]["third_share"] = 0.2; },
       "grade_rules.third_share: unknown field"},
  };
  const nlohmann::json good = LoadJson("cycle-2026-city.json");
  REQUIRE(ParseCycleConfig(good).ok());
  for (const BadCase& k : cases) {
    nlohmann::json j = good;
    k.mutate(j);
    Result<CycleConfig> c = ParseCycleConfig(j);
    INFO(k.what << " → " << c.status().ToString());
    REQUIRE_FALSE(c.ok());
    CHECK(c.status().code() == Code::kInvalidArgument);
    CHECK_THAT(c.status().message(), Catch::Contains(k.message));
  }
}

TEST_CASE("date validator knows the calendar", "[cycle_config]") {
  struct Case {
    const char* text;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"2026-01-01", true},  {"2026-12-31", true},  {"2028-02-29", true},   {"2000-02-29", true},
      {"2100-02-29", false}, {"2027-02-29", false}, {"2026-11-31", false},  {"2026-13-01", false},
      {"2026-00-10", false}, {"2026-01-00", false}, {"2026-1-01", false},   {"2026/01/01", false},
      {"20260101", false},   {"", false},           {"2026-01-01 ", false}, {"２026-01-01", false},
  };
  for (const Case& k : cases) {
    INFO(k.text);
    CHECK(internal::IsValidDate(k.text) == k.valid);
  }
}

}  // namespace
}  // namespace govassess::workflows
