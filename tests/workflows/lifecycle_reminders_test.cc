// Which reminders a lifecycle plans and cancels, step by step: the plan is the unit's
// duty only until it is submitted (and again once returned), the self-assessment only
// until it is submitted (and again once items are sent back, while the audit waits), the
// office is reminded of its review, late work stays on record, the appeal and adjustment
// windows remind without escalating, and a reminder whose step is no longer open is
// refused however it was left pending. Engine on a MemoryStore with the real calendar;
// what is pending is read from the store (TimersOf), what was sent from the notices
// instance. Timers that may fall due together with the lifecycle's own are fired in due
// order (timer_driver.h).
//
// 2025 city cycle (lifecycle_fixture.h): plan_due Wednesday 2025-04-30; May Day
// 05-01..05 off; Sunday 04-27 a make-up working day. The unit's plan_due reminders:
// before-5 04-24 (Thursday), before-3 04-27, before-1 04-29, due 04-30, escalation-1 05-06.
// self_assessment_due Saturday 2026-01-10 (escalation-1 Monday 01-12), lead_scoring_due
// Tuesday 01-20 (before-5 01-13, before-3 01-15, before-1 01-19, due 01-20,
// escalation-1 01-21), onsite_verification_due Sunday 01-25 (escalation-1 01-26).
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/workflows/lifecycle_fixture.h"
#include "tests/workflows/timer_driver.h"
#include "workflows/cycle_config.h"
#include "workflows/notices_workflow.h"
#include "workflows/reminder_policy.h"

namespace govassess {
namespace {

using testing::FireInOrder;
using testing::LifecycleHarness;
using Names = std::set<std::string>;

const std::string kUnit = "gx-nanning";

std::vector<Timer> TimersOf(LifecycleHarness& h, const std::string& instance) {
  auto timers = h.store().TimersOf(instance);
  REQUIRE(timers.ok());
  return std::move(timers).value();
}

// The reminders still planned on `instance` by name (the part of a timer id after
// '#'), those starting with `prefix` only: each pending timer and, for a reminder chain
// (one timer per deadline), the reminders it stands for after it (workflows::ChainOf),
// by the ids their timers will have. Event notices ("event/<version>-<event>", due at
// once when a transition happens) are left out: this file is about reminders, and
// lifecycle_events_test.cc is about events.
Names Pending(LifecycleHarness& h, const std::string& instance, const std::string& prefix = "") {
  Names out;
  for (const Timer& t : TimersOf(h, instance)) {
    const std::string name = t.id.substr(t.id.find('#') + 1);
    if (name.rfind("event/", 0) == 0) continue;
    if (name.rfind(prefix, 0) == 0) out.insert(name);
    const std::string step = name.substr(0, name.find('/') + 1);
    for (const workflows::ChainedReminder& r : workflows::ChainOf(t.payload)) {
      if ((step + r.reminder).rfind(prefix, 0) == 0) out.insert(step + r.reminder);
    }
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
  // One timer for the five: the chain's first reminder, the rest in its payload.
  const std::vector<Timer> chain = TimersOf(h, Notices());
  REQUIRE(chain.size() == 1);
  CHECK(chain[0].id == Notices() + "#plan_due/before-5");
  CHECK(chain[0].payload["then"].size() == 4);

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

// The timers the last event of `command` on `instance` cancelled, by name (after '#').
Names CancelledBy(LifecycleHarness& h, const std::string& instance, const std::string& command) {
  auto events = h.store().ReadJournal(0, 100000);
  REQUIRE(events.ok());
  Names out;
  for (const JournalEvent& e : *events) {
    if (e.entity != instance || e.command != command) continue;
    out.clear();
    for (const Json& id : e.change["timers"].value("cancel", Json::array())) {
      const std::string text = id.get<std::string>();
      out.insert(text.substr(text.find('#') + 1));
    }
  }
  return out;
}

TEST_CASE("a cancellation names only the links of a chain that can be pending, and leaves none") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  SECTION("before the first reminder: only the first link can be pending") {
    CreateAndSubmit(h, "2025-04-10");
    CHECK(CancelledBy(h, id, "submit") == Names{"plan_due", "plan_due/before-5"});
  }
  SECTION("after two reminders went out: the links up to the one after them") {
    // before-5 (04-24) and before-3 (04-27, the make-up Sunday) are past: fired on the
    // 28th, the first passed over, the second sent; before-1 is set.
    CreateAndSubmit(h, "2025-04-28");
    CHECK(Sent(h) == std::vector<std::string>{"plan_due/before-3"});
    CHECK(CancelledBy(h, id, "submit") ==
          Names{"plan_due", "plan_due/before-5", "plan_due/before-3", "plan_due/before-1"});
  }
  SECTION("after the deadline timer marked the step overdue: that timer is gone") {
    h.At("2025-03-03");
    REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
    h.LiveUntil("2025-05-01");  // the deadline (04-30) passed with the server running
    REQUIRE(h.Get(id).data["overdue"] == Json::array({"plan_due"}));
    REQUIRE(h.Run("unit", kUnit, id, "submit", {{"plan", testing::MinimalCityPlan(kUnit)}})
                .accepted);
    const Names cancelled = CancelledBy(h, id, "submit");
    CHECK(cancelled.count("plan_due") == 0);  // fired: it is what marked the step
    CHECK(cancelled.count("plan_due/escalation-1") == 1);  // the chain's next link
    CHECK(h.Get(id).data["overdue"] == Json::array());
    CHECK(h.Get(id).data["late_steps"][0]["step"] == "plan_due");
  }
  SECTION("after a down time past the deadline: every link may be pending") {
    h.At("2025-03-03");
    REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
    h.At("2025-05-07");  // nothing fired: the server was down
    REQUIRE(h.Run("unit", kUnit, id, "submit", {{"plan", testing::MinimalCityPlan(kUnit)}})
                .accepted);
    CHECK(CancelledBy(h, id, "submit") ==
          Names{"plan_due", "plan_due/before-5", "plan_due/before-3", "plan_due/before-1",
                "plan_due/due", "plan_due/escalation-1"});
  }
  CHECK(Pending(h, id).empty());
  CHECK(Pending(h, Notices(), "plan_due/").empty());
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
  h.At("2025-04-24");  // before-5 (04-24 09:00) has passed
  REQUIRE(h.Run("office", "", id, "return", {}, "重点任务缺失").accepted);
  CHECK(Pending(h, id) == Names{"plan_due"});
  CHECK(Pending(h, Notices()) == Names{"plan_due/before-3", "plan_due/before-1", "plan_due/due",
                                       "plan_due/escalation-1"});
  // Not resubmitted: the reminders, the mark and the escalation all come.
  h.LiveUntil("2025-05-06");
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
  h.LiveUntil("2025-05-07");
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
// Items sent back by the audit: the self-assessment is the unit's again (like a returned
// plan), and the audit's deadlines wait until it is resubmitted.

const Json kReport = testing::MinimalReport(kUnit);

// In execution since spring 2025; the self-assessment opened on 2025-12-22.
void ToSelfAssessing(LifecycleHarness& h) {
  h.ToExecution(kUnit);
  h.At("2025-12-22");
  FireInOrder(h);
  REQUIRE(h.Run("office", "", LifecycleHarness::Id(kUnit), "open_self_assessment").accepted);
}

// At `date` 10:00, after what a running server fired by then.
CommandResult RunAt(LifecycleHarness& h, const std::string& date, const std::string& role,
                    const std::string& unit, const std::string& name, Json payload,
                    const std::string& reason = "") {
  h.At(date);
  FireInOrder(h);
  return h.Run(role, unit, LifecycleHarness::Id(kUnit), name, std::move(payload), reason);
}

void SubmitSelfAssessment(LifecycleHarness& h, const std::string& date) {
  auto r = RunAt(h, date, "unit", kUnit, "submit_self_assessment", {{"report", kReport}});
  INFO(r.refusal.ToString());
  REQUIRE(r.accepted);
}

void SendBack(LifecycleHarness& h, const std::string& date) {
  auto r = RunAt(h, date, "office", "", "send_back", {{"items", {"functional.1.1.1.1"}}},
                 "佐证材料不全");
  INFO(r.refusal.ToString());
  REQUIRE(r.accepted);
  REQUIRE(r.instance().state == "self_assessing");
}

Names Union(const Names& a, const Names& b) {
  Names out = a;
  out.insert(b.begin(), b.end());
  return out;
}

Names AuditReminders(LifecycleHarness& h) {
  return Union(Pending(h, Notices(), "lead_scoring_due/"),
               Pending(h, Notices(), "onsite_verification_due/"));
}

const Names kAuditDeadlines = {"lead_scoring_due", "onsite_verification_due"};

TEST_CASE("items sent back before self_assessment_due: its deadline and reminders come back, the audit's wait") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  ToSelfAssessing(h);
  const Names unit_reminders = Pending(h, Notices(), "self_assessment_due/");
  REQUIRE(unit_reminders.size() == 4);  // before-5, before-3, due (= before-1), escalation-1
  SubmitSelfAssessment(h, "2025-12-23");
  CHECK(Pending(h, id) == kAuditDeadlines);
  const Names audit_reminders = AuditReminders(h);
  CHECK(audit_reminders.size() == 9);
  CHECK(Pending(h, Notices(), "self_assessment_due/").empty());

  // Sent back before any of its reminders was due: all of them are pending again, and
  // nothing of the audit is, since nobody can score what the unit holds.
  SendBack(h, "2025-12-29");
  CHECK(Pending(h, id) == Names{"self_assessment_due"});
  CHECK(Pending(h, Notices(), "self_assessment_due/") == unit_reminders);
  CHECK(AuditReminders(h).empty());
  CHECK(h.Get(id).data["overdue"] == Json::array());

  // Resubmitted in time: done again, not late; the audit's deadlines come back, once each.
  SubmitSelfAssessment(h, "2025-12-31");
  Instance lc = h.Get(id);
  CHECK(Pending(h, id) == kAuditDeadlines);
  CHECK(AuditReminders(h) == audit_reminders);
  CHECK(Pending(h, Notices(), "self_assessment_due/").empty());
  CHECK_FALSE(lc.data.contains("late_steps"));
  CHECK_FALSE(lc.data.contains("audit_timers_set"));

  // The audit ends: nothing of it or of the self-assessment is left to fire.
  auto scored = RunAt(h, "2026-01-06", "office", "", "record_scores",
                      {{"target_types",
                        {{{"target_type", "functional"}, {"raw_score", 90}, {"raw_max", 100}},
                         {{"target_type", "innovation"}, {"raw_score", 90}, {"raw_max", 100}},
                         {{"target_type", "satisfaction"}, {"raw_score", 90}, {"raw_max", 100}},
                         {{"target_type", "special"}, {"registry_item", testing::kSpecialItem},
                          {"indicators", {{{"indicator_id", "special.1.1.1.1"}, {"points", 54}}}}}}}});
  REQUIRE(scored.accepted);
  REQUIRE(h.Run("office", "", id, "finish_audit").accepted);
  CHECK(Pending(h, id) == Names{"results_due"});
  CHECK(AuditReminders(h).empty());
  h.At("2026-02-02");
  FireInOrder(h);
  for (const char* step : {"self_assessment_due", "lead_scoring_due", "onsite_verification_due"}) {
    INFO(step);
    CHECK(CountStep(Sent(h), step) == 0);
  }
}

TEST_CASE("items sent back after self_assessment_due: overdue at once, not escalated for the audit's time, resubmitted late on record") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  ToSelfAssessing(h);
  SubmitSelfAssessment(h, "2026-01-08");  // on time
  const size_t sent_before = CountStep(Sent(h), "self_assessment_due");
  SendBack(h, "2026-01-15");
  Instance lc = h.Get(id);
  CHECK(lc.data["overdue"] == Json::array({"self_assessment_due"}));
  CHECK(lc.data["overdue_since"]["self_assessment_due"] == "2026-01-15");
  CHECK(Pending(h, id).empty());  // overdue already; the audit's deadlines wait
  // Its escalation (01-12) fell while the audit held the report: not sent for that.
  CHECK(Pending(h, Notices(), "self_assessment_due/").empty());
  CHECK(AuditReminders(h).empty());

  SubmitSelfAssessment(h, "2026-01-16");
  lc = h.Get(id);
  CHECK(CountStep(Sent(h), "self_assessment_due") == sent_before);
  CHECK(lc.data["overdue"] == Json::array());
  CHECK(lc.data["late_steps"] ==
        Json::parse(R"([{"step": "self_assessment_due", "deadline": "2026-01-10",
                         "done_on": "2026-01-16", "working_days_late": 5,
                         "overdue_since": "2026-01-15"}])"));
  // The audit's deadlines are still ahead: set again, with the reminders still ahead.
  CHECK(Pending(h, id) == kAuditDeadlines);
  CHECK(Pending(h, Notices(), "lead_scoring_due/") ==
        Names{"lead_scoring_due/before-1", "lead_scoring_due/due", "lead_scoring_due/escalation-1"});
}

TEST_CASE("audit deadlines that pass while items are sent back: nothing fires for them, overdue at once on resubmission, no escalation for that time") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  ToSelfAssessing(h);
  SubmitSelfAssessment(h, "2026-01-08");
  h.LiveUntil("2026-01-15");
  const size_t scoring_sent = CountStep(Sent(h), "lead_scoring_due");
  CHECK(scoring_sent == 2);  // before-5 and before-3, while the audit held the report
  SendBack(h, "2026-01-15");

  // Both audit deadlines pass while the unit holds the items: no reminder, no mark, no
  // escalation — nobody could act on them.
  h.LiveUntil("2026-01-27", 9);
  CHECK(CountStep(Sent(h), "lead_scoring_due") == scoring_sent);
  CHECK(CountStep(Sent(h), "onsite_verification_due") == 0);
  CHECK(h.Get(id).data["overdue"] == Json::array({"self_assessment_due"}));

  SubmitSelfAssessment(h, "2026-01-27");
  const Instance lc = h.Get(id);
  CHECK(lc.data["overdue"] == Json::array({"lead_scoring_due", "onsite_verification_due"}));
  CHECK(lc.data["overdue_since"]["lead_scoring_due"] == "2026-01-27");
  CHECK(lc.data["overdue_since"]["onsite_verification_due"] == "2026-01-27");
  CHECK(Pending(h, id).empty());
  CHECK(AuditReminders(h).empty());  // both escalations (01-21, 01-26) have passed
  h.LiveUntil("2026-02-10");
  CHECK(CountStep(Sent(h), "lead_scoring_due") == scoring_sent);
  CHECK(CountStep(Sent(h), "onsite_verification_due") == 0);
}

TEST_CASE("audit timers that older code left running across a send_back are refused") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  ToSelfAssessing(h);
  SubmitSelfAssessment(h, "2026-01-08");
  SendBack(h, "2026-01-15");
  // Older code kept the audit's timers through a send_back.
  h.At("2026-01-21", 9);
  testing::LegacyCode legacy(h);
  legacy.Plant({Timer{id + "#lead_scoring_due", id, "mark_overdue", h.clock().NowMs(),
                      Json{{"step", "lead_scoring_due"}}},
                testing::ReminderTimer(id, Notices(), "lead_scoring_due", "escalation-1",
                                       "2026-01-20", h.clock().NowMs())});
  const size_t entries = h.Get(Notices()).data["entries"].size();
  auto mark = testing::FireTimer(h, id, id + "#lead_scoring_due");
  CHECK_FALSE(mark.accepted);
  CHECK(mark.refusal.message() ==
        "not marked overdue: lead_scoring_due is done or closed: " + id +
            " is self_assessing (lead_scoring_due is open only while auditing)");
  auto remind = testing::FireTimer(h, Notices(), Notices() + "#lead_scoring_due/escalation-1");
  CHECK_FALSE(remind.accepted);
  CHECK(remind.refusal.code() == Code::kRefused);
  CHECK(remind.refusal.message() ==
        "no reminder sent: lead_scoring_due is done or closed: " + id +
            " is self_assessing (lead_scoring_due is open only while auditing)");
  CHECK(Pending(h, id).empty());  // both consumed
  CHECK(AuditReminders(h).empty());
  CHECK(h.Get(Notices()).data["entries"].size() == entries);
  CHECK(h.Get(id).data["overdue"] == Json::array({"self_assessment_due"}));
}

// ---------------------------------------------------------------------------------
// A reminder whose step is no longer open is not sent, however it was left pending.

TEST_CASE("a reminder of a step that is done or closed is refused, journaled and consumed, and sends nothing") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  testing::LegacyCode legacy(h);
  int refusals = 0;
  // Plants step/reminder (deadline `deadline`) as older code or an older reminder policy
  // left it, fires it at once, and checks that it was refused naming the step and the
  // lifecycle's state, and that nothing was sent.
  auto stale = [&](const std::string& step, const std::string& reminder,
                   const std::string& deadline, const std::string& state) {
    INFO(step << "/" << reminder << " while " << state);
    REQUIRE(h.Get(id).state == state);
    const std::string timer = Notices() + "#" + step + "/" + reminder;
    legacy.Plant({testing::ReminderTimer(id, Notices(), step, reminder, deadline, h.clock().NowMs())});
    const size_t entries = h.Get(Notices()).data["entries"].size();
    auto r = testing::FireTimer(h, Notices(), timer);
    CHECK_FALSE(r.accepted);
    CHECK(r.refusal.code() == Code::kRefused);
    CHECK_THAT(r.refusal.message(), Catch::StartsWith("no reminder sent: " + step + " is "));
    CHECK_THAT(r.refusal.message(), Catch::Contains(id + " is " + state));
    CHECK(Pending(h, Notices(), step + "/" + reminder).empty());  // consumed
    CHECK(h.Get(Notices()).data["entries"].size() == entries);
    ++refusals;
    int journaled = 0;
    const auto journal = *h.store().ReadJournal(0, 100000);
    for (const JournalEvent& e : journal) {
      journaled += e.command == "remind" && e.outcome == "refused";
    }
    CHECK(journaled == refusals);
  };

  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
  h.At("2025-04-29");
  REQUIRE(h.Run("unit", kUnit, id, "submit", {{"plan", testing::MinimalCityPlan(kUnit)}}).accepted);
  // Older code did not cancel plan_due's reminders on submission.
  stale("plan_due", "before-1", "2025-04-30", "submitted");
  REQUIRE(h.Run("office", "", id, "office_agree").accepted);
  REQUIRE(h.Run("leader", "", id, "approve", {}, "同意").accepted);
  REQUIRE(h.Run("office", "", id, "issue").accepted);
  // An older policy reminded 5 working days before the review's end: the current one
  // cancels only before-3, before-1 and due.
  stale("plan_review", "before-5", "2025-04-30", "in_execution");
  stale("plan_due", "escalation-1", "2025-04-30", "in_execution");
  REQUIRE(h.Run("office", "", id, "open_self_assessment").accepted);
  stale("adjustment_window", "before-10", "2025-11-30", "self_assessing");
  REQUIRE(h.Run("unit", kUnit, id, "submit_self_assessment", {{"report", kReport}}).accepted);
  stale("self_assessment_due", "before-10", "2026-01-10", "auditing");
  h.ToPublished(kUnit, "2026-03-16");  // re-sends the self-assessment steps: refused, harmless
  REQUIRE(h.Get(id).state == "published");
  stale("results_due", "before-10", "2026-03-20", "published");
  stale("lead_scoring_due", "escalation-2", "2026-01-20", "published");
  h.At("2026-03-17");
  REQUIRE(h.Run("unit", kUnit, id, "appeal", {{"evidence", {"统计公报"}}}, "GDP miscounted").accepted);
  stale("appeal_window", "before-3", "2026-03-23", "appealed");
  REQUIRE(h.Run("office", "", id, "reject_appeal", {}, "核实无误").accepted);
  REQUIRE(h.Run("office", "", id, "republish").accepted);
  // Published again, inside the window's days, but the right is used.
  stale("appeal_window", "due", "2026-03-23", "published");
  stale("appeal_window", "escalation-1", "2026-03-23", "published");
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
  // A running server fires the window's reminders at their instants, before it closes.
  // (Fired only after the close they are refused, whichever timer fires first: see
  // "a server down across the end of the appeal window …".)
  h.LiveUntil("2025-10-20");
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

TEST_CASE("a window's reminder fired late but before the window ends still goes out, once") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  h.ToExecution(kUnit);
  h.ToPublished(kUnit, "2025-09-26");
  h.At("2025-09-30");
  FireInOrder(h);
  // Down from the evening of 10-09 to noon on the last day: late, but the window is open.
  h.At("2025-10-10", 12);
  FireInOrder(h);
  h.At("2025-10-13");
  FireInOrder(h);
  CHECK(h.Get(id).state == "ready_for_ratification");
  std::vector<std::string> appeal;
  for (const std::string& sent : Sent(h)) {
    if (sent.rfind("appeal_window/", 0) == 0) appeal.push_back(sent);
  }
  CHECK(appeal == std::vector<std::string>{"appeal_window/before-2", "appeal_window/due"});
  const Json last = h.Get(Notices()).data["entries"].back();
  CHECK(last["reminder"] == "due");
  CHECK(last["late"] == true);
}

TEST_CASE("after a down time only the latest due reminder of a deadline goes out, the others skipped on record") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
  // Down from before 04-24 until noon on 04-29: before-5 (04-24), before-3 (04-27) and
  // before-1 (04-29 09:00) are all due when the server is back.
  h.At("2025-04-29", 12);
  CHECK(h.Fire() == 2);  // the head, skipped to before-1; before-1, sent
  CHECK(Sent(h) == std::vector<std::string>{"plan_due/before-1"});
  const Instance n = h.Get(Notices());
  const Json& sent = n.data["entries"].back();
  CHECK(sent["late"] == true);
  CHECK(sent["working_days"] == 1);
  REQUIRE(n.data["skipped"].size() == 2);
  CHECK(n.data["skipped"][0]["reminder"] == "before-5");
  CHECK(n.data["skipped"][1]["reminder"] == "before-3");
  for (const Json& s : n.data["skipped"]) {
    CHECK(s["step"] == "plan_due");
    CHECK(s["next"] == "before-1");
    CHECK(s["skipped_ms"] == testing::BeijingMs("2025-04-29", 12));
    CHECK_THAT(s["reason"].get<std::string>(), Catch::Contains("superseded"));
  }
  // Nobody's inbox has the stale "5 working days left" or "3 left".
  CHECK(h.Get(Notices()).data["entries"].size() == 1);
  // The chain goes on from there, each reminder on time again.
  CHECK(Pending(h, Notices()) == Names{"plan_due/due", "plan_due/escalation-1"});
  h.LiveUntil("2025-05-07");
  CHECK(Sent(h) == std::vector<std::string>{"plan_due/before-1", "plan_due/due",
                                            "plan_due/escalation-1"});
  CHECK(h.Get(Notices()).data["entries"].back()["late"] == false);
  CHECK(h.Get(Notices()).data["skipped"].size() == 2);
  // The journal has each firing: the skip accepted, sending nothing.
  int skips = 0;
  const auto journal = h.store().ReadJournal(0, 100000);
  REQUIRE(journal.ok());
  for (const JournalEvent& e : *journal) {
    if (e.command == "remind" && e.entity == Notices() && e.outcome == "accepted" &&
        e.payload.value("reminder", "") == "before-5") {
      ++skips;
    }
  }
  CHECK(skips == 1);
}

TEST_CASE("a reminder fired late goes out when the next of its deadline is not due yet") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
  h.At("2025-04-25", 15);  // before-5 (04-24) late; before-3 (04-27) still ahead
  CHECK(h.Fire() == 1);
  CHECK(Sent(h) == std::vector<std::string>{"plan_due/before-5"});
  CHECK(h.Get(Notices()).data["entries"].back()["late"] == true);
  CHECK_FALSE(h.Get(Notices()).data.contains("skipped"));
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
  h.LiveUntil("2025-12-10");  // a running server sends the window's reminders while it is open
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
  h.PutRegistryItem(testing::kSpecialItem, "licensed", "2026-12-31", "gx-statistics");
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
  // reminders before it fire in time, as on a running server: see above.)
  h.LiveUntil("2025-10-13");
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

// The cycle asks for an escalation of the appeal window (it says the window closed). Its
// reminders are one chain — due, then escalation-1 — and the engine fires the notices'
// and the lifecycle's timers concurrently: every order in which the chain's links come
// after one another.
TEST_CASE("a server down across the end of the appeal window: whichever timer fires first, the closing notice is refused and the escalation sent") {
  const std::vector<std::vector<std::string>> orders = {
      {"close", "due", "escalation"}, {"due", "close", "escalation"}, {"due", "escalation", "close"}};
  for (const std::vector<std::string>& order : orders) {
    INFO(order[0] << ", " << order[1] << ", " << order[2]);
    LifecycleHarness h;
    h.At("2025-01-02");
    SetUpCycleWith(h, Json::parse(R"({"kinds": {"appeal_window": {"escalate_after_working_days": [1]}}})"));
    const std::string id = LifecycleHarness::Id(kUnit);
    h.ToExecution(kUnit);
    h.ToPublished(kUnit, "2025-09-26");
    h.At("2025-09-30");
    FireInOrder(h);  // before-2
    CHECK(Pending(h, Notices(), "appeal_window/") ==
          Names{"appeal_window/due", "appeal_window/escalation-1"});
    // Back on Monday 10-13: the last day's reminder (10-10), the close (10-10 24:00) and
    // the escalation (the make-up Saturday 10-11) are all due.
    h.At("2025-10-13");
    bool escalated = false;
    for (const std::string& t : order) {
      if (t == "close") {
        CHECK(testing::FireTimer(h, id, id + "#appeal_window").accepted);
        // The chain stays: the escalation after the last day's reminder is still to go.
        CHECK(Pending(h, Notices(), "appeal_window/").count("appeal_window/escalation-1") ==
              (escalated ? 0 : 1));
      } else if (t == "due") {
        // Too late to say "closes today": nothing sent, but the chain goes on to the
        // escalation (accepted so that its timer can be set; a refusal only consumes).
        auto r = testing::FireTimer(h, Notices(), Notices() + "#appeal_window/due");
        CHECK(r.accepted);
        CHECK(r.result["sent"] == false);
        CHECK_THAT(r.result["reason"].get<std::string>(),
                   Catch::Contains("closed at the end of 2025-10-10"));
        CHECK(r.result["next"] == Notices() + "#appeal_window/escalation-1");
      } else {
        CHECK(testing::FireTimer(h, Notices(), Notices() + "#appeal_window/escalation-1").accepted);
        escalated = true;
      }
    }
    CHECK(h.Get(id).state == "ready_for_ratification");
    std::vector<std::string> appeal;
    for (const std::string& sent : Sent(h)) {
      if (sent.rfind("appeal_window/", 0) == 0) appeal.push_back(sent);
    }
    CHECK(appeal == std::vector<std::string>{"appeal_window/before-2", "appeal_window/escalation-1"});
    CHECK(Pending(h, Notices(), "appeal_window/").empty());
  }
}

// A chain whose step is done ends at its next link: refused, sending nothing, and no
// later link is set (cancellation missed it: a timer of another process's making).
TEST_CASE("a reminder chain of a step no longer open ends, refused, with nothing set after it") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
  const std::vector<Timer> chain = TimersOf(h, Notices());
  REQUIRE(chain.size() == 1);
  h.At("2025-04-10");
  REQUIRE(h.Run("unit", kUnit, id, "submit", {{"plan", testing::MinimalCityPlan(kUnit)}}).accepted);
  REQUIRE(Pending(h, Notices(), "plan_due/").empty());
  // The chain's timer, as another process that missed the cancellation would still fire it.
  testing::LegacyCode(h).Plant({chain[0]});
  h.At("2025-04-24");
  auto r = testing::FireTimer(h, Notices(), chain[0].id);
  CHECK_FALSE(r.accepted);
  CHECK_THAT(r.refusal.message(), Catch::Contains("no reminder sent"));
  CHECK(Pending(h, Notices(), "plan_due/").empty());
  h.At("2025-05-07");
  h.Fire();
  CHECK(CountStep(Sent(h), "plan_due") == 0);
}

// Two processes' worth of engines on one store, both holding the same due link of a
// chain: the one that commits first sends it and sets the next link; the other finds
// its timer consumed and sends nothing — the next link has an id of its own, so it
// cannot be mistaken for the one fired.
TEST_CASE("a chain's link fired by two engines at once is sent once, and its next link set once") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(kUnit);
  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
  Engine other(&h.store(), &h.clock());
  for (auto& w : workflows::MakeAssessmentWorkflows(testing::RealCalendarInForce())) {
    other.Register(std::move(w));
  }
  h.At("2025-04-24");  // before-5 is due (09:00)
  auto due = h.store().DueTimers(h.clock().NowMs(), 10);
  REQUIRE(due.ok());
  REQUIRE(due->size() == 1);
  const Timer link = due->front();
  CHECK(link.id == Notices() + "#plan_due/before-5");

  auto first = h.engine().Execute(TimerCommand(link));
  REQUIRE(first.ok());
  CHECK(first->accepted);
  auto second = other.Execute(TimerCommand(link));  // the same firing, a moment late
  CHECK_FALSE(second.ok());
  CHECK(second.status().IsConflict());

  CHECK(Sent(h) == std::vector<std::string>{"plan_due/before-5"});
  const std::vector<Timer> pending = TimersOf(h, Notices());
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].id == Notices() + "#plan_due/before-3");
  CHECK(pending[0].payload["then"].size() == 3);
  CHECK(Pending(h, Notices()) == Names{"plan_due/before-3", "plan_due/before-1", "plan_due/due",
                                       "plan_due/escalation-1"});
}

TEST_CASE("ChainOf: a chain's own reminder and those after it, and older timers stand for their own") {
  using workflows::ChainOf;
  const Json chain = Json::parse(R"({"step": "plan_due", "reminder": "before-3", "kind": "before",
    "due_ms": 10, "then": [{"due_ms": 20, "kind": "due", "reminder": "due"},
                           {"due_ms": 30, "kind": "escalation", "reminder": "escalation-1"}]})");
  const auto all = ChainOf(chain);
  REQUIRE(all.size() == 3);
  CHECK(all[0].reminder == "before-3");
  CHECK(all[0].due_ms == 10);
  CHECK(all[1].kind == "due");
  CHECK(all[2].reminder == "escalation-1");
  CHECK(all[2].due_ms == 30);
  // A timer of older code: one reminder.
  Json older = chain;
  older.erase("then");
  CHECK(ChainOf(older).size() == 1);
  // A malformed link ends the chain there; a payload without a reminder stands for none.
  Json broken = chain;
  broken["then"][0].erase("due_ms");
  CHECK(ChainOf(broken).size() == 1);
  CHECK(ChainOf(Json::object()).empty());
  CHECK(ChainOf(Json::array()).empty());
}

}  // namespace
}  // namespace govassess
