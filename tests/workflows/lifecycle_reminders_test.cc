// Which reminders a lifecycle plans and cancels, step by step: the plan is the unit's
// duty only until it is submitted (and again once returned), the office is reminded of
// its review, late work stays on record, and the appeal and adjustment windows remind
// without escalating. Engine on a MemoryStore with the real calendar; what is pending is
// read from the store (TimersOf), what was sent from the notices instance.
//
// 2025 city cycle (lifecycle_fixture.h): plan_due Wednesday 2025-04-30; May Day
// 05-01..05 off; Sunday 04-27 a make-up working day. The unit's plan_due reminders:
// before-5 04-23, before-3 04-27, before-1 04-29, due 04-30, escalation-1 05-06.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "tests/workflows/lifecycle_fixture.h"
#include "workflows/cycle_config.h"
#include "workflows/notices_workflow.h"
#include "workflows/reminder_policy.h"

namespace govassess {
namespace {

using testing::LifecycleHarness;
using Names = std::set<std::string>;

const std::string kUnit = "gx-nanning";

std::vector<Timer> TimersOf(LifecycleHarness& h, const std::string& instance) {
  auto timers = h.store().TimersOf(instance);
  REQUIRE(timers.ok());
  return std::move(timers).value();
}

// The pending reminder timers of `instance` by name (the part after '#'), those
// starting with `prefix` only. Event notices ("event/<version>-<event>", due at once
// when a transition happens) are left out: this file is about reminders, and
// lifecycle_events_test.cc is about events.
Names Pending(LifecycleHarness& h, const std::string& instance, const std::string& prefix = "") {
  Names out;
  for (const Timer& t : TimersOf(h, instance)) {
    const std::string name = t.id.substr(t.id.find('#') + 1);
    if (name.rfind("event/", 0) == 0) continue;
    if (name.rfind(prefix, 0) == 0) out.insert(name);
  }
  return out;
}

std::string Notices() { return workflows::NoticesId(LifecycleHarness::Id(kUnit)); }

// "<step>/<reminder>" of every reminder sent to the unit so far, in order (event
// notices left out, as in Pending).
std::vector<std::string> Sent(LifecycleHarness& h, const std::string& unit = kUnit) {
  std::vector<std::string> out;
  const Instance n = h.Get(workflows::NoticesId(LifecycleHarness::Id(unit)));
  for (const Json& e : n.data["entries"]) {
    if (e.value("kind", "") == "event") continue;
    out.push_back(e["step"].get<std::string>() + "/" + e["reminder"].get<std::string>());
  }
  return out;
}

size_t CountStep(const std::vector<std::string>& sent, const std::string& step) {
  size_t n = 0;
  for (const std::string& s : sent) n += s.rfind(step + "/", 0) == 0;
  return n;
}

const Names kPlanDueReminders = {"plan_due/before-5", "plan_due/before-3", "plan_due/before-1",
                                 "plan_due/due", "plan_due/escalation-1"};

// Creates the assessment on 2025-03-03 and submits the plan at `date` 10:00.
void CreateAndSubmit(LifecycleHarness& h, const std::string& date, const std::string& unit = kUnit) {
  const std::string id = LifecycleHarness::Id(unit);
  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
  h.At(date);
  h.Fire();  // a running server fires what is due first
  auto r = h.Run("unit", unit, id, "submit", {{"plan", testing::MinimalCityPlan(unit)}});
  INFO(r.refusal.ToString());
  REQUIRE(r.accepted);
}

TEST_CASE("submitting the plan cancels its plan_due reminders and overdue timer") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
  CHECK(Pending(h, id) == Names{"plan_due"});
  CHECK(Pending(h, Notices()) == kPlanDueReminders);

  h.At("2025-04-10");
  REQUIRE(h.Run("unit", kUnit, id, "submit", {{"plan", testing::MinimalCityPlan(kUnit)}}).accepted);
  CHECK(Pending(h, id).empty());
  CHECK(Pending(h, Notices(), "plan_due/").empty());
  CHECK(h.Get(id).data["submitted_on"] == "2025-04-10");

  // Past the deadline and its escalation with the plan still with the office: the unit
  // is never reminded, never escalated, never marked overdue.
  h.At("2025-05-07");
  h.Fire();
  CHECK(CountStep(Sent(h), "plan_due") == 0);
  const Instance lc = h.Get(id);
  CHECK(lc.state == "submitted");
  CHECK(lc.data["overdue"] == Json::array());
  CHECK_FALSE(lc.data.contains("late_steps"));
  CHECK_FALSE(lc.data.contains("overdue_since"));
}

TEST_CASE("the office is reminded of a submitted plan's review against plan_due, and only the office") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  CreateAndSubmit(h, "2025-04-10");
  CHECK(Pending(h, Notices()) ==
        Names{"plan_review/before-3", "plan_review/before-1", "plan_review/due"});
  for (const Timer& t : TimersOf(h, Notices())) {
    CHECK(t.payload["audience"] == "office");  // the notices workflow sends it to the office
    CHECK(t.payload["deadline"] == "2025-04-30");
  }
  // office_agree leaves them (the leader's approval is still to come) ...
  h.At("2025-04-28");
  h.Fire();
  REQUIRE(h.Run("office", "", id, "office_agree").accepted);
  CHECK(Pending(h, Notices()).size() == 2);  // before-3 fired on the make-up Sunday
  // ... approval ends them.
  REQUIRE(h.Run("leader", "", id, "approve", {}, "同意").accepted);
  CHECK(Pending(h, Notices()).empty());
  CHECK(Pending(h, id).empty());
  CHECK(Sent(h) == std::vector<std::string>{"plan_review/before-3"});
  CHECK(h.Get(Notices()).data["entries"][0]["audience"] == "office");
}

TEST_CASE("a plan submitted after plan_due plans no review reminder") {
  LifecycleHarness h;
  h.SetUpCycle();
  CreateAndSubmit(h, "2025-05-07");
  CHECK(Pending(h, Notices()).empty());
}

TEST_CASE("a plan returned before plan_due gets its reminders again, only those still ahead") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  CreateAndSubmit(h, "2025-04-10");
  h.At("2025-04-24");  // before-5 (04-23) has passed
  REQUIRE(h.Run("office", "", id, "return", {}, "重点任务缺失").accepted);
  CHECK(Pending(h, id) == Names{"plan_due"});
  CHECK(Pending(h, Notices()) == Names{"plan_due/before-3", "plan_due/before-1", "plan_due/due",
                                       "plan_due/escalation-1"});
  // Not resubmitted: the reminders, the mark and the escalation all come.
  h.At("2025-05-06");
  h.Fire();
  CHECK(Sent(h) == std::vector<std::string>{"plan_due/before-3", "plan_due/before-1",
                                            "plan_due/due", "plan_due/escalation-1"});
  CHECK(h.Get(id).data["overdue"] == Json::array({"plan_due"}));
}

TEST_CASE("a return cancels the office's review reminders") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  CreateAndSubmit(h, "2025-04-10");
  h.At("2025-04-24");
  REQUIRE(h.Run("office", "", id, "return", {}, "重点任务缺失").accepted);
  CHECK(Pending(h, Notices(), "plan_review/").empty());
  h.At("2025-05-07");
  h.Fire();
  CHECK(CountStep(Sent(h), "plan_review") == 0);
  CHECK(CountStep(Sent(h), "plan_due") == 4);
}

TEST_CASE("a plan returned after plan_due is overdue at once, escalated only if its escalation is still ahead") {
  struct Case {
    std::string returned_on;
    Names reminders;  // pending on the notices after the return
  };
  // 05-02 is inside the May Day holiday: escalation-1 (05-06) is still ahead. 05-07: gone.
  const std::vector<Case> cases = {{"2025-05-02", {"plan_due/escalation-1"}}, {"2025-05-07", {}}};
  for (const Case& c : cases) {
    INFO(c.returned_on);
    LifecycleHarness h;
    h.SetUpCycle();
    const std::string id = LifecycleHarness::Id(kUnit);
    CreateAndSubmit(h, "2025-04-25");
    h.At(c.returned_on);
    h.Fire();
    REQUIRE(h.Run("office", "", id, "return", {}, "指标权重不符合要求").accepted);
    const Instance lc = h.Get(id);
    CHECK(lc.data["overdue"] == Json::array({"plan_due"}));
    CHECK(lc.data["overdue_since"]["plan_due"] == c.returned_on);
    CHECK(Pending(h, id).empty());  // no overdue timer: it is overdue already
    CHECK(Pending(h, Notices()) == c.reminders);
    // Resubmitting records the lateness and clears the overdue mark.
    h.At("2025-05-08");
    REQUIRE(h.Run("unit", kUnit, id, "submit").accepted);
    const Json late = h.Get(id).data["late_steps"];
    REQUIRE(late.size() == 1);
    CHECK(late[0]["overdue_since"] == c.returned_on);
    CHECK(late[0]["done_on"] == "2025-05-08");
    CHECK(h.Get(id).data["overdue"] == Json::array());
  }
}

TEST_CASE("a late submission keeps the record that it was late") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
  h.At("2025-05-01", 1);
  h.Fire();  // the overdue mark, at 00:00 on 05-01
  CHECK(h.Get(id).data["overdue"] == Json::array({"plan_due"}));
  h.At("2025-05-07");
  h.Fire();
  REQUIRE(h.Run("unit", kUnit, id, "submit", {{"plan", testing::MinimalCityPlan(kUnit)}}).accepted);
  Instance lc = h.Get(id);
  CHECK(lc.data["overdue"] == Json::array());  // no longer overdue: the office has it
  CHECK(lc.data["late_steps"] ==
        Json::parse(R"([{"step": "plan_due", "deadline": "2025-04-30", "done_on": "2025-05-07",
                         "working_days_late": 2, "overdue_since": "2025-05-01"}])"));
  CHECK(lc.data["overdue_since"]["plan_due"] == "2025-05-01");
  // Returned and resubmitted late again: a second record; approval keeps both.
  h.At("2025-05-08");
  REQUIRE(h.Run("office", "", id, "return", {}, "再改").accepted);
  h.At("2025-05-09");
  REQUIRE(h.Run("unit", kUnit, id, "submit").accepted);
  REQUIRE(h.Run("office", "", id, "office_agree").accepted);
  REQUIRE(h.Run("leader", "", id, "approve", {}, "同意").accepted);
  lc = h.Get(id);
  REQUIRE(lc.data["late_steps"].size() == 2);
  CHECK(lc.data["late_steps"][1]["done_on"] == "2025-05-09");
  CHECK(lc.data["late_steps"][1]["overdue_since"] == "2025-05-08");
  CHECK(lc.data["late_steps"][1]["working_days_late"] == 4);
}

TEST_CASE("a late submission is on record even when the overdue mark has not fired yet") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
  h.At("2025-05-06");  // no Fire(): the server was down
  REQUIRE(h.Run("unit", kUnit, id, "submit", {{"plan", testing::MinimalCityPlan(kUnit)}}).accepted);
  const Json late = h.Get(id).data["late_steps"];
  REQUIRE(late.size() == 1);
  CHECK(late[0]["working_days_late"] == 1);
  CHECK_FALSE(late[0].contains("overdue_since"));
  // The mark and the reminders that were due meanwhile went with the submission.
  CHECK(Pending(h, id).empty());
  CHECK(Pending(h, Notices(), "plan_due/").empty());
  h.Fire();
  CHECK(h.Get(id).data["overdue"] == Json::array());
}

TEST_CASE("a submission on the deadline day is on time") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
  h.At("2025-04-30", 23);
  h.Fire();
  REQUIRE(h.Run("unit", kUnit, id, "submit", {{"plan", testing::MinimalCityPlan(kUnit)}}).accepted);
  CHECK_FALSE(h.Get(id).data.contains("late_steps"));
}

// ---------------------------------------------------------------------------------
// The appeal window (published 2025-09-26, closes 2025-10-10 across National Day).

TEST_CASE("appeal-window reminders are set on publish and cancelled on appeal") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  h.ToExecution(kUnit);
  h.ToPublished(kUnit, "2025-09-26");
  // 2 working days before 10-10 is 09-30 (the holiday in between); on the day; no
  // escalation: an appeal is a right.
  CHECK(Pending(h, Notices(), "appeal_window/") ==
        Names{"appeal_window/before-2", "appeal_window/due"});
  h.At("2025-09-30", 10);
  h.Fire();
  CHECK(CountStep(Sent(h), "appeal_window") == 1);
  REQUIRE(h.Run("unit", kUnit, id, "appeal", {{"evidence", {"统计公报"}}}, "GDP miscounted").accepted);
  CHECK(Pending(h, Notices(), "appeal_window/").empty());
  CHECK(Pending(h, id, "appeal_window").empty());
  // Decided and republished: the right is used, no reminder comes back.
  REQUIRE(h.Run("office", "", id, "reject_appeal", {}, "核实无误").accepted);
  REQUIRE(h.Run("office", "", id, "republish").accepted);
  CHECK(Pending(h, Notices(), "appeal_window/").empty());
  h.At("2025-10-20");
  h.Fire();
  CHECK(CountStep(Sent(h), "appeal_window") == 1);
}

TEST_CASE("a unit that does not appeal is reminded, never escalated, and the window closes") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  h.ToExecution(kUnit);
  h.ToPublished(kUnit, "2025-09-26");
  // A running server fires the reminders on the window's last day, before it closes.
  // (Fired only after the close, they would race with close_appeal_window, which
  // cancels them: whichever commits first wins.)
  h.At("2025-10-10");
  h.Fire();
  h.At("2025-10-20");
  h.Fire();
  CHECK(h.Get(id).state == "ready_for_ratification");
  std::vector<std::string> appeal;
  for (const std::string& s : Sent(h)) {
    if (s.rfind("appeal_window/", 0) == 0) appeal.push_back(s);
  }
  CHECK(appeal == std::vector<std::string>{"appeal_window/before-2", "appeal_window/due"});
  CHECK(Pending(h, Notices(), "appeal_window/").empty());
  const Instance n = h.Get(Notices());
  for (const Json& e : n.data["entries"]) {
    if (e.value("step", "") == "appeal_window") {
      CHECK(e["deadline"] == "2025-10-10");
      CHECK_FALSE(e.contains("escalate_to"));
    }
  }
}

// ---------------------------------------------------------------------------------
// The indicator adjustment filing window (cities: 2025-11-20..11-30; 11-30 a Sunday).

TEST_CASE("adjustment-window reminders remind units in execution and go when self-assessment opens") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  h.ToExecution(kUnit);
  // 5 working days before 11-30 is 11-24; 1 before and "on the day" (a Sunday, so the
  // Friday before) both fall on 11-28: sent once, as the more urgent. No escalation.
  CHECK(Pending(h, Notices(), "adjustment_window/") ==
        Names{"adjustment_window/before-5", "adjustment_window/due"});
  for (const Timer& t : TimersOf(h, Notices())) {
    if (t.payload["step"] == "adjustment_window") CHECK(t.payload["deadline"] == "2025-11-30");
  }
  h.At("2025-11-25");
  h.Fire();
  CHECK(CountStep(Sent(h), "adjustment_window") == 1);
  // Leaving in_execution ends them.
  REQUIRE(h.Run("office", "", id, "open_self_assessment").accepted);
  CHECK(Pending(h, Notices(), "adjustment_window/").empty());
  h.At("2025-12-05");
  h.Fire();
  CHECK(CountStep(Sent(h), "adjustment_window") == 1);
}

TEST_CASE("an adjustment window that closes without requests sends no escalation") {
  LifecycleHarness h;
  h.SetUpCycle();
  h.ToExecution(kUnit);
  h.At("2025-12-10");
  h.Fire();
  std::vector<std::string> sent;
  for (const std::string& s : Sent(h)) {
    if (s.rfind("adjustment_window/", 0) == 0) sent.push_back(s);
  }
  CHECK(sent == std::vector<std::string>{"adjustment_window/before-5", "adjustment_window/due"});
  CHECK(h.Get(LifecycleHarness::Id(kUnit)).data["overdue"] == Json::array());
}

// ---------------------------------------------------------------------------------
// Policies from the cycle.

// The 2025 city cycle with `reminders` added.
Json CycleWith(Json reminders) {
  Json c = testing::CityCycle2025();
  c["reminders"] = std::move(reminders);
  return c;
}

void SetUpCycleWith(LifecycleHarness& h, Json reminders) {
  Json units = Json::parse(testing::ReadText(GOVASSESS_SOURCE_DIR "/workflows/data/units-guangxi.json"));
  REQUIRE(h.Run("admin", "", "units/guangxi", "create", {{"directory", units}}, "", "units").accepted);
  auto c = h.Run("office", "", "cycle/2025/city", "create",
                 {{"config", CycleWith(std::move(reminders))}, {"units", "units/guangxi"}}, "", "cycle");
  INFO(c.refusal.ToString());
  REQUIRE(c.accepted);
}

TEST_CASE("by default appeals, adjustments and the office's review are never escalated") {
  // Even when the cycle's default escalates twice.
  auto p = workflows::ParseReminderPolicies(
      Json::parse(R"({"default": {"before_working_days": [4], "escalate_after_working_days": [1, 2],
                                  "send_at": "08:30"}})"));
  REQUIRE(p.ok());
  for (const std::string kind : {"appeal_window", "adjustment_window", "plan_review"}) {
    INFO(kind);
    CHECK(p->For(kind).escalate_after_working_days.empty());
    CHECK(p->For(kind).on_the_day);
    CHECK(p->For(kind).send_at_minutes == 8 * 60 + 30);  // the cycle's time of day still applies
  }
  CHECK(p->For("appeal_window").before_working_days == std::vector<int>{2});
  CHECK(p->For("adjustment_window").before_working_days == std::vector<int>{1, 5});
  CHECK(p->For("plan_review").before_working_days == std::vector<int>{1, 3});
  // Duties keep the cycle's default.
  CHECK(p->For("plan_due").escalate_after_working_days == std::vector<int>{1, 2});
  CHECK(p->For("plan_due").before_working_days == std::vector<int>{4});
  // Without any policy: the same built-in defaults.
  const workflows::ReminderPolicies none;
  CHECK(none.For("appeal_window").escalate_after_working_days.empty());
  CHECK(none.For("self_assessment_due").escalate_after_working_days == std::vector<int>{1});
}

TEST_CASE("a cycle may override a kind's reminders, escalations included") {
  LifecycleHarness h;
  h.At("2025-01-02");
  SetUpCycleWith(h, Json::parse(R"({"kinds": {
      "appeal_window": {"before_working_days": [3, 1], "escalate_after_working_days": [1]},
      "plan_review": {"before_working_days": [], "on_the_day": false}}})"));
  CreateAndSubmit(h, "2025-04-10");
  CHECK(Pending(h, Notices()).empty());  // the office's review reminders are turned off
  h.At("2025-04-11");
  const std::string id = LifecycleHarness::Id(kUnit);
  REQUIRE(h.Run("office", "", id, "office_agree").accepted);
  REQUIRE(h.Run("leader", "", id, "approve", {}, "ok").accepted);
  REQUIRE(h.Run("office", "", id, "issue").accepted);
  h.ToPublished(kUnit, "2025-09-26");
  CHECK(Pending(h, Notices(), "appeal_window/") ==
        Names{"appeal_window/before-3", "appeal_window/before-1", "appeal_window/due",
              "appeal_window/escalation-1"});
  // The window closes with no appeal: the escalation the cycle asked for says so. (The
  // reminders before it fire on the last day, as on a running server: see above.)
  h.At("2025-10-10");
  h.Fire();
  h.At("2025-10-13");
  h.Fire();
  CHECK(h.Get(id).state == "ready_for_ratification");
  CHECK(CountStep(Sent(h), "appeal_window") == 4);
}

TEST_CASE("reminder overrides in the cycle are validated, naming the field") {
  struct Bad {
    const char* reminders;
    const char* field;  // the message starts with it
  };
  const std::vector<Bad> cases = {
      {R"({"kinds": {"apeal_window": {}}})", "reminders.kinds.apeal_window: unknown kind"},
      {R"({"kinds": {"appeal_window": {"before_working_days": [2, 5]}}})",
       "reminders.kinds.appeal_window.before_working_days[1]: 5 working days"},
      {R"({"kinds": {"appeal_window": {"before_working_days": [9]}}})",
       "reminders.kinds.appeal_window.before_working_days[0]"},
      {R"({"kinds": {"adjustment_window": {"escalate_after_working_days": [0]}}})",
       "reminders.kinds.adjustment_window.escalate_after_working_days[0]"},
      {R"({"kinds": {"plan_review": {"on_the_day": "no"}}})", "reminders.kinds.plan_review.on_the_day"},
      {R"({"kinds": {"appeal_window": {"send_at": "9:00"}}})", "reminders.kinds.appeal_window.send_at"},
  };
  for (const Bad& b : cases) {
    INFO(b.reminders);
    auto r = workflows::ParseCycleConfig(CycleWith(Json::parse(b.reminders)));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::StartsWith(b.field));
  }
  // A shorter appeal window bounds the reminders before its end.
  Json shorter = CycleWith(Json::parse(R"({"kinds": {"appeal_window": {"before_working_days": [3]}}})"));
  shorter["milestones"]["appeal_window_working_days"] = 3;
  auto r = workflows::ParseCycleConfig(shorter);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("use 1 to 2"));
  // Good overrides parse and round-trip.
  Json good = CycleWith(Json::parse(
      R"({"default": {"send_at": "08:30"}, "kinds": {"appeal_window": {"before_working_days": [4, 1]},
          "adjustment_window": {"before_working_days": [10]}}})"));
  auto ok = workflows::ParseCycleConfig(good);
  INFO(ok.status().ToString());
  REQUIRE(ok.ok());
  CHECK(ok->reminders.For("appeal_window").before_working_days == std::vector<int>{1, 4});
  CHECK(ok->reminders.For("appeal_window").escalate_after_working_days.empty());
  CHECK(workflows::CycleConfigToJson(*ok)["reminders"] == good["reminders"]);
}

TEST_CASE("a cycle refused for its reminders names the field through the command") {
  LifecycleHarness h;
  Json units = Json::parse(testing::ReadText(GOVASSESS_SOURCE_DIR "/workflows/data/units-guangxi.json"));
  REQUIRE(h.Run("admin", "", "units/guangxi", "create", {{"directory", units}}, "", "units").accepted);
  auto c = h.Run("office", "", "cycle/2025/city", "create",
                 {{"config", CycleWith(Json::parse(R"({"kinds": {"appeal": {}}})"))},
                  {"units", "units/guangxi"}},
                 "", "cycle");
  CHECK_FALSE(c.accepted);
  CHECK_THAT(c.refusal.message(), Catch::Contains("reminders.kinds.appeal: unknown kind"));
}

TEST_CASE("reminders of the adjustment window never fall before it opens") {
  LifecycleHarness h;
  h.At("2025-01-02");
  // 10 working days before 11-30 is 11-17, before the window opens on 11-20.
  SetUpCycleWith(h, Json::parse(R"({"kinds": {"adjustment_window": {"before_working_days": [10, 3]}}})"));
  h.ToExecution(kUnit);
  CHECK(Pending(h, Notices(), "adjustment_window/") ==
        Names{"adjustment_window/before-3", "adjustment_window/due"});
}

TEST_CASE("a plan issued after the adjustment window closed plans no window reminders") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  CreateAndSubmit(h, "2025-04-10");
  h.At("2025-12-02");
  REQUIRE(h.Run("office", "", id, "office_agree").accepted);
  REQUIRE(h.Run("leader", "", id, "approve", {}, "ok").accepted);
  REQUIRE(h.Run("office", "", id, "issue").accepted);
  CHECK(Pending(h, Notices()).empty());
}

}  // namespace
}  // namespace govassess
