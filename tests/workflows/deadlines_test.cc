// Deadlines of a cycle and of one unit: the shipped cycle files, the appeal window across
// National Day and a new-task window computed from data a real lifecycle wrote.
#include "workflows/deadlines.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "tests/workflows/lifecycle_fixture.h"
#include "workflows/lifecycle_workflow.h"

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

TEST_CASE("a window whose last day passed is closed, given today", "[deadlines]") {
  const CycleConfig config = City2025();
  const std::string id = "lifecycle/2025/city/gx-nanning";
  const std::string last = config.milestones.adjustment_window.to;
  const Date last_day = *Date::Parse(last);
  Json data{{"unit", "gx-nanning"}};
  auto status = [&](const Json& d, const std::string& state, std::optional<Date> today,
                    const std::string& step) {
    auto v = UnitDeadlines(config, RealCalendar(), id, d, state, today);
    REQUIRE(v.ok());
    const Deadline* found = Find(*v, step);
    REQUIRE(found != nullptr);
    return found->status;
  };
  // In execution, the adjustment window is open through its last day, closed after it.
  CHECK(status(data, "in_execution", last_day, "adjustment_window") == "open");
  CHECK(status(data, "in_execution", last_day.AddDays(1), "adjustment_window") == "closed");
  // Without today nothing is closed (the state alone says open); once the lifecycle has
  // moved past the window it is done, whatever the date.
  CHECK(status(data, "in_execution", std::nullopt, "adjustment_window") == "open");
  CHECK(status(data, "self_assessing", last_day.AddDays(1), "adjustment_window") == "done");
  // A duty is never "closed": self_assessment_due stays open (or overdue) after its day.
  const Date sa = *Date::Parse(config.milestones.self_assessment_due);
  CHECK(status(data, "self_assessing", sa.AddDays(3), "self_assessment_due") == "open");

  // The appeal window from 2025-09-30 (5 working days across National Day: 10-14).
  data["appeal_window"] = {
      {"received", "2025-09-30"}, {"closes", "2025-10-14"}, {"working_days", 5}};
  CHECK(status(data, "published", *Date::Parse("2025-10-14"), "appeal_window") == "open");
  CHECK(status(data, "published", *Date::Parse("2025-10-15"), "appeal_window") == "closed");
  data["appeal"] = {{"filed_on", "2025-10-14"}};
  CHECK(status(data, "appealed", *Date::Parse("2025-10-15"), "appeal_window") == "done");
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
  // The committee's step, not Nanning's: information in its calendar, no alarm.
  CHECK(Find(*v, "ratification_due")->status == "pending");
  CHECK(Find(*v, "ratification_due")->doer == "committee");
  h.At("2025-10-15");
  h.Fire();
  inst = h.Get(nanning);
  REQUIRE(inst.state == "ready_for_ratification");
  v = UnitDeadlines(config, RealCalendar(), nanning, inst.data, inst.state);
  CHECK(Find(*v, "appeal_window")->status == "done");

  // A new major task received 2025-09-01: the 30th working day after is 2025-10-17.
  const std::string liuzhou = LifecycleHarness::Id("gx-liuzhou");
  h.ToExecution("gx-liuzhou");
  const Json add = testing::NewTaskChange();
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

TEST_CASE("each deadline is seen from its reader: the doer's open, everybody else's pending", "[deadlines]") {
  const CycleConfig config = City2025();
  const std::string id = "lifecycle/2025/city/gx-nanning";
  const Json data{{"unit", "gx-nanning"}, {"overdue", Json::array()}};
  struct Case {
    std::string state, step, reader, status;
  };
  const std::vector<Case> cases = {
      // The audit: the lead assessors' and the office's, not the unit's.
      {"auditing", "lead_scoring_due", "unit", "pending"},
      {"auditing", "lead_scoring_due", "lead_assessor", "open"},
      {"auditing", "lead_scoring_due", "office", "pending"},
      {"auditing", "onsite_verification_due", "unit", "pending"},
      {"auditing", "onsite_verification_due", "office", "open"},
      {"auditing", "self_assessment_due", "unit", "done"},
      {"scored", "lead_scoring_due", "lead_assessor", "done"},
      {"scored", "results_due", "unit", "pending"},
      {"scored", "results_due", "office", "open"},
      {"published", "results_due", "office", "done"},
      {"ready_for_ratification", "ratification_due", "unit", "pending"},
      {"ready_for_ratification", "ratification_due", "committee", "open"},
      {"ratified", "ratification_due", "committee", "done"},
      // Still ahead: the unit's own steps are open (an alarm in time), the others' not.
      {"in_execution", "self_assessment_due", "unit", "open"},
      {"in_execution", "lead_scoring_due", "unit", "pending"},
      {"in_execution", "lead_scoring_due", "lead_assessor", "open"},
      {"in_execution", "external_scores_due", "unit", "pending"},
      {"in_execution", "external_scores_due", "office", "open"},
      {"in_execution", "midyear_check", "unit", "open"},
      {"self_assessing", "midyear_check", "unit", "done"},
  };
  for (const Case& c : cases) {
    INFO(c.state << " " << c.step << " read by " << c.reader);
    auto v = DeadlinesFor(config, RealCalendar(), id, data, c.state, c.reader);
    REQUIRE(v.ok());
    const Deadline* d = Find(*v, c.step);
    REQUIRE(d != nullptr);
    CHECK(d->reader == c.reader);
    CHECK(d->status == c.status);
  }
  // UnitDeadlines is the unit's view.
  auto unit = UnitDeadlines(config, RealCalendar(), id, data, "auditing");
  auto as_unit = DeadlinesFor(config, RealCalendar(), id, data, "auditing", "unit");
  REQUIRE(unit.ok());
  REQUIRE(as_unit.ok());
  REQUIRE(unit->size() == as_unit->size());
  for (size_t i = 0; i < unit->size(); ++i) {
    CHECK((*unit)[i].reader == "unit");
    CHECK((*unit)[i].status == (*as_unit)[i].status);
  }
  // Overdue is overdue whoever reads it.
  const Json late{{"unit", "gx-nanning"}, {"overdue", {"lead_scoring_due"}}};
  CHECK(Find(*UnitDeadlines(config, RealCalendar(), id, late, "auditing"), "lead_scoring_due")->status ==
        "overdue");
  CHECK(Find(*DeadlinesFor(config, RealCalendar(), id, late, "auditing", "lead_assessor"), "lead_scoring_due")
            ->status == "overdue");
}

TEST_CASE("the feed's open states and doers are the lifecycle's (StepOpenStates, StepDoer)", "[deadlines]") {
  const CycleConfig config = City2025();
  const std::string id = "lifecycle/2025/city/gx-nanning";
  const Json data{{"unit", "gx-nanning"}, {"overdue", Json::array()}};
  for (const std::string& state : LifecycleWorkflow::States()) {
    for (const std::string& step : DeadlineSteps()) {
      INFO(state << " " << step);
      auto v = DeadlinesFor(config, RealCalendar(), id, data, state, StepDoer(step));
      REQUIRE(v.ok());
      const Deadline* d = Find(*v, step);
      REQUIRE(d != nullptr);
      CHECK(d->doer == StepDoer(step));
      // Open for its doer in every state in which the lifecycle reminds of it.
      if (StepOpenStates(step).count(state) > 0) CHECK(d->status == "open");
      // Anybody else is never asked to act on it.
      for (const std::string reader : {"unit", "lead_assessor", "office", "committee"}) {
        if (reader == StepDoer(step)) continue;
        INFO("read by " << reader);
        CHECK(Find(*DeadlinesFor(config, RealCalendar(), id, data, state, reader), step)->status != "open");
      }
    }
  }
}

TEST_CASE("the audit's deadlines wait while items are sent back", "[deadlines]") {
  const CycleConfig config = City2025();
  const std::string id = "lifecycle/2025/city/gx-nanning";
  const Json first{{"unit", "gx-nanning"}, {"overdue", Json::array()}};
  Json back = first;
  back["sent_back"] = Json::array({{{"on", "2026-01-12"}, {"items", {"functional.1.1.1.1"}}}});
  // Before the first submission the scoring is still ahead for the lead assessors; once
  // the audit has sent items back, the unit holds the report and nobody can score.
  CHECK(Find(*DeadlinesFor(config, RealCalendar(), id, first, "self_assessing", "lead_assessor"),
             "lead_scoring_due")->status == "open");
  CHECK(Find(*DeadlinesFor(config, RealCalendar(), id, back, "self_assessing", "lead_assessor"),
             "lead_scoring_due")->status == "pending");
  CHECK(Find(*DeadlinesFor(config, RealCalendar(), id, back, "self_assessing", "office"),
             "onsite_verification_due")->status == "pending");
  CHECK(Find(*UnitDeadlines(config, RealCalendar(), id, back, "self_assessing"), "self_assessment_due")->status ==
        "open");
  CHECK(Find(*DeadlinesFor(config, RealCalendar(), id, back, "auditing", "lead_assessor"),
             "lead_scoring_due")->status == "open");
}

}  // namespace govassess::workflows

namespace govassess::workflows {
namespace {

std::vector<std::string> Steps(const std::vector<Deadline>& v) {
  std::vector<std::string> out;
  for (const Deadline& d : v) out.push_back(d.step + ":" + d.status);
  return out;
}

TEST_CASE("a doer's feed lists its own steps of the assessments it acts on", "[deadlines]") {
  LifecycleHarness h;
  h.SetUpCycle();
  const CycleConfig config = City2025();
  const std::string nanning = LifecycleHarness::Id("gx-nanning");
  h.ToExecution("gx-nanning");  // the plan names gx-statistics as lead assessor
  const Instance inst = h.Get(nanning);
  const Instance history = h.Get(PlanHistoryId(nanning));
  auto plan = ParsePlanVersions(history.data);
  REQUIRE(plan.ok());
  CHECK(LeadAssessorUnits(*plan) == std::set<std::string>{"gx-statistics"});

  auto doer = [&](const std::string& role, const PlanVersions* p, const std::string& unit) {
    auto v = DoerDeadlines(config, RealCalendar(), nanning, inst.data, inst.state, role, p, unit);
    REQUIRE(v.ok());
    return Steps(*v);
  };
  // In execution, every doer's step is still to be done: open, with an alarm in the feed.
  CHECK(doer("lead_assessor", &*plan, "gx-statistics") ==
        std::vector<std::string>{"lead_scoring_due:open"});
  // Another department's lead assessors do not score this plan; before approval nobody does.
  CHECK(doer("lead_assessor", &*plan, "gx-finance").empty());
  CHECK(doer("lead_assessor", nullptr, "gx-statistics").empty());
  CHECK(doer("lead_assessor", &*plan, "").empty());
  CHECK(doer("office", nullptr, "") ==
        std::vector<std::string>{"onsite_verification_due:open", "external_scores_due:open",
                                 "results_due:open"});
  CHECK(doer("committee", nullptr, "") == std::vector<std::string>{"ratification_due:open"});
  // The unit's feed is UnitDeadlines; a leader, an auditor or an admin acts on none.
  for (const std::string role : {"unit", "leader", "auditor", "admin"}) {
    INFO(role);
    CHECK(doer(role, &*plan, "gx-statistics").empty());
  }
}

}  // namespace
}  // namespace govassess::workflows
