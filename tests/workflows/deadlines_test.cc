// Deadlines of a cycle and of one unit: the shipped cycle files, the appeal window across
// National Day and a new-task window computed from data a real lifecycle wrote.
#include "workflows/deadlines.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/workflows/lifecycle_fixture.h"

namespace govassess::workflows {
namespace {

using testing::LifecycleHarness;
using testing::RealCalendar;

CycleConfig Shipped(const std::string& file) {
  auto c = ParseCycleConfig(
      Json::parse(testing::ReadText(GOVASSESS_SOURCE_DIR "/workflows/data/" + file)));
  REQUIRE(c.ok());
  return *c;
}

CycleConfig City2025() {
  auto c = ParseCycleConfig(testing::CityCycle2025());
  REQUIRE(c.ok());
  return *c;
}

const Deadline* Find(const std::vector<Deadline>& v, const std::string& step) {
  for (const Deadline& d : v) {
    if (d.step == step) return &d;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("the cycle's milestones as deadlines, sorted by date", "[deadlines]") {
  auto v = CycleDeadlines(Shipped("cycle-2026-city.json"), RealCalendar());
  REQUIRE(v.ok());
  std::vector<std::string> rows;
  for (const Deadline& d : *v) {
    rows.push_back(d.step + " " + d.start + ".." + d.date);
    CHECK(d.cycle_id == "cycle/2026/city");
    CHECK(d.unit_id.empty());
    CHECK(d.status.empty());
  }
  CHECK(rows == std::vector<std::string>{
                    "plan_due ..2026-04-30",
                    "midyear_check 2026-07-01..2026-07-31",
                    "adjustment_window 2026-11-20..2026-11-30",
                    "self_assessment_due ..2027-01-10",
                    "lead_scoring_due ..2027-01-20",
                    "onsite_verification_due ..2027-01-25",
                    "external_scores_due ..2027-02-28",
                    "results_due ..2027-03-20",
                    "ratification_due ..2027-04-15",
                });

  auto dept = CycleDeadlines(Shipped("cycle-2026-department.json"), RealCalendar());
  REQUIRE(dept.ok());
  REQUIRE(dept->size() == 9);
  CHECK(Find(*dept, "plan_due")->date == Shipped("cycle-2026-department.json").milestones.plan_due);
  for (size_t i = 1; i < dept->size(); ++i) CHECK((*dept)[i - 1].date <= (*dept)[i].date);

  CycleConfig bad = Shipped("cycle-2026-city.json");
  bad.milestones.results_due = "2027-3-20";
  auto refused = CycleDeadlines(bad, RealCalendar());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Code::kInvalidArgument);
  CHECK_THAT(refused.status().message(), Catch::Contains("milestones.results_due"));
}

TEST_CASE("the appeal window of a unit is counted across National Day", "[deadlines]") {
  const CycleConfig config = City2025();
  const std::string id = "lifecycle/2025/city/gx-nanning";
  // Only "received" recorded: the last day is computed with the calendar.
  Json data{{"unit", "gx-nanning"}, {"appeal_window", {{"received", "2025-09-30"}, {"working_days", 5}}}};
  auto v = UnitDeadlines(config, RealCalendar(), id, data, "published");
  REQUIRE(v.ok());
  const Deadline* appeal = Find(*v, "appeal_window");
  REQUIRE(appeal != nullptr);
  CHECK(appeal->start == "2025-09-30");
  CHECK(appeal->date == "2025-10-14");
  CHECK(appeal->status == "open");
  CHECK(appeal->unit_id == "gx-nanning");
  CHECK(appeal->lifecycle_id == id);
  CHECK(v->size() == 10);
  for (size_t i = 1; i < v->size(); ++i) CHECK((*v)[i - 1].date <= (*v)[i].date);

  // The recorded last day wins; an appeal filed closes it; no state, no status.
  data["appeal_window"]["closes"] = "2025-10-13";
  CHECK(Find(*UnitDeadlines(config, RealCalendar(), id, data, "published"), "appeal_window")->date ==
        "2025-10-13");
  data["appeal"] = {{"filed_on", "2025-10-09"}};
  CHECK(Find(*UnitDeadlines(config, RealCalendar(), id, data, "appealed"), "appeal_window")->status ==
        "done");
  CHECK(Find(*UnitDeadlines(config, RealCalendar(), id, data, ""), "appeal_window")->status.empty());

  // A year the calendar does not cover: left out, not an error.
  Json later{{"appeal_window", {{"received", "2027-03-20"}}}};
  auto v2 = UnitDeadlines(config, RealCalendar(), id, later, "published");
  REQUIRE(v2.ok());
  CHECK(Find(*v2, "appeal_window") == nullptr);

  // Malformed data is skipped; a malformed id is an error.
  CHECK(UnitDeadlines(config, RealCalendar(), id, Json("garbage"), "drafting").ok());
  CHECK(UnitDeadlines(config, RealCalendar(), "cycle/2025/city", data, "").status().code() ==
        Code::kInvalidArgument);
}

TEST_CASE("deadlines from what a real lifecycle recorded", "[deadlines]") {
  LifecycleHarness h;
  h.SetUpCycle();
  const CycleConfig config = City2025();
  // Created and never filed: its plan_due timer fires with the others below.
  const std::string guilin = LifecycleHarness::Id("gx-guilin");
  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", guilin, "create", {}, "", "lifecycle").accepted);

  // Published on Tuesday 30 September 2025: five working days run to 14 October.
  const std::string nanning = LifecycleHarness::Id("gx-nanning");
  h.ToExecution("gx-nanning");
  h.ToPublished("gx-nanning", "2025-09-30");
  Instance inst = h.Get(nanning);
  REQUIRE(inst.state == "published");
  auto v = UnitDeadlines(config, RealCalendar(), nanning, inst.data, inst.state);
  REQUIRE(v.ok());
  REQUIRE(Find(*v, "appeal_window") != nullptr);
  CHECK(Find(*v, "appeal_window")->date == "2025-10-14");
  CHECK(Find(*v, "appeal_window")->status == "open");
  CHECK(Find(*v, "plan_due")->status == "done");
  CHECK(Find(*v, "self_assessment_due")->status == "done");
  CHECK(Find(*v, "results_due")->status == "done");
  CHECK(Find(*v, "ratification_due")->status == "open");
  h.At("2025-10-15");
  h.Fire();
  inst = h.Get(nanning);
  REQUIRE(inst.state == "ready_for_ratification");
  v = UnitDeadlines(config, RealCalendar(), nanning, inst.data, inst.state);
  CHECK(Find(*v, "appeal_window")->status == "done");

  // A new major task received 2025-09-01: the 30th working day after is 2025-10-17.
  const std::string liuzhou = LifecycleHarness::Id("gx-liuzhou");
  h.ToExecution("gx-liuzhou");
  Json add{{"operations",
            {{{"op", "modify"}, {"id", "functional.1.1.1.1"}, {"weight", 650}},
             {{"op", "add"},
              {"parent_id", "functional.1.1.1"},
              {"node",
               {{"id", "functional.1.1.1.2"},
                {"name", "新增重大任务"},
                {"weight", 50},
                {"target", "按期完成"},
                {"lead_assessor", "gx-statistics"}}}}}}};
  h.At("2025-10-10");
  auto r = h.Run("unit", "gx-liuzhou", liuzhou, "request_adjustment",
                 {{"change", add}, {"kind", "new_task"}, {"document_received", "2025-09-01"}},
                 "新增重大任务");
  INFO(r.refusal.ToString());
  REQUIRE(r.accepted);
  inst = h.Get(liuzhou);
  v = UnitDeadlines(config, RealCalendar(), liuzhou, inst.data, inst.state);
  REQUIRE(v.ok());
  const Deadline* task = Find(*v, "new_task_window");
  REQUIRE(task != nullptr);
  CHECK(task->start == "2025-09-01");
  CHECK(task->date == "2025-10-17");
  CHECK(task->ref == "adj-1");
  CHECK(task->status == "done");
  CHECK(Find(*v, "adjustment_window")->status == "open");
  CHECK(Find(*v, "appeal_window") == nullptr);

  // A plan never filed: the timer marked plan_due overdue.
  inst = h.Get(guilin);
  v = UnitDeadlines(config, RealCalendar(), guilin, inst.data, inst.state);
  CHECK(inst.state == "drafting");
  CHECK(Find(*v, "plan_due")->status == "overdue");
  CHECK(Find(*v, "self_assessment_due")->status == "open");
}

TEST_CASE("plan_due is done while the plan is with the office and open again once returned", "[deadlines]") {
  const CycleConfig config = City2025();
  const std::string id = "lifecycle/2025/city/gx-nanning";
  const Json data{{"unit", "gx-nanning"}, {"overdue", Json::array()}};
  const Json overdue{{"unit", "gx-nanning"}, {"overdue", {"plan_due"}}};
  struct Case {
    std::string state;
    Json data;
    std::string status;
  };
  const std::vector<Case> cases = {
      {"drafting", data, "open"},     {"submitted", data, "done"},
      {"reviewed", data, "done"},     {"returned", data, "open"},
      {"returned", overdue, "overdue"},  // returned after plan_due: overdue at once
      {"submitted", overdue, "done"},    // a lifecycle from before submission cleared it
      {"approved", data, "done"},     {"in_execution", data, "done"},
  };
  for (const Case& c : cases) {
    INFO(c.state << " " << c.data.dump());
    auto v = UnitDeadlines(config, RealCalendar(), id, c.data, c.state);
    REQUIRE(v.ok());
    CHECK(Find(*v, "plan_due")->status == c.status);
  }
}

TEST_CASE("deadlines follow a real plan through submission and return", "[deadlines]") {
  LifecycleHarness h;
  h.SetUpCycle();
  const CycleConfig config = City2025();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  auto status = [&] {
    const Instance lc = h.Get(id);
    auto v = UnitDeadlines(config, RealCalendar(), id, lc.data, lc.state);
    REQUIRE(v.ok());
    return Find(*v, "plan_due")->status;
  };
  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
  CHECK(status() == "open");
  h.At("2025-04-25");
  REQUIRE(h.Run("unit", "gx-nanning", id, "submit", {{"plan", testing::MinimalCityPlan("gx-nanning")}}).accepted);
  CHECK(status() == "done");  // a calendar feed shows no open plan_due alarm
  h.At("2025-05-07");
  h.Fire();
  CHECK(status() == "done");  // nothing marked it overdue while the office had it
  REQUIRE(h.Run("office", "", id, "return", {}, "指标权重不符合要求").accepted);
  CHECK(status() == "overdue");
  REQUIRE(h.Run("unit", "gx-nanning", id, "submit").accepted);
  CHECK(status() == "done");
}

}  // namespace govassess::workflows
