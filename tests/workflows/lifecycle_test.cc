// The lifecycle machine on the engine: order, roles, unit isolation, deadlines and the
// appeal window, with the real calendar.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "engine/replay.h"
#include "tests/workflows/lifecycle_fixture.h"
#include "tests/workflows/timer_driver.h"
#include "workflows/notices_workflow.h"
#include "workflows/indicator_tree.h"

namespace govassess {
namespace {

using testing::LifecycleHarness;

int Refusals(MemoryStore& store) {
  int n = 0;
  const auto events = *store.ReadJournal(0, 100000);
  for (const JournalEvent& e : events) n += e.outcome == "refused";
  return n;
}

TEST_CASE("a whole year: plan to archive, and replay equals the live state") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.ToExecution("gx-nanning");
  CHECK(h.Get(id).state == "in_execution");
  CHECK(h.Get(id).data["plan_version"] == 1);
  h.ToPublished("gx-nanning", "2026-03-16");
  CHECK(h.Get(id).state == "published");
  CHECK(h.Get(id).data["total"].get<double>() == Approx(630 + 81 + 135 + 54));
  h.At("2026-03-30");
  CHECK(h.Fire() >= 1);
  CHECK(h.Get(id).state == "ready_for_ratification");
  // The rest of the category is absent: grading is refused with the units named.
  auto g = h.Run("office", "", "cycle/2025/city", "grade", {{"category", "cities"}});
  CHECK_FALSE(g.accepted);
  CHECK_THAT(g.refusal.message(), Catch::Contains("gx-liuzhou"));
  auto r = h.Run("committee", "", id, "ratify");
  CHECK_FALSE(r.accepted);
  CHECK_THAT(r.refusal.message(), Catch::Contains("not been graded"));

  auto journal = *h.store().ReadJournal(0, 100000);
  auto replayed = Replay(journal);
  REQUIRE(replayed.ok());
  MemoryState live = h.store().Snapshot();
  // The special assessment's item was put into the store without a command to replay.
  REQUIRE(live.instances.erase(testing::kSpecialItem) == 1);
  CHECK(replayed->instances == live.instances);
  CHECK(replayed->timers == live.timers);
}

// The 14 cities published on 2026-03-16 and moved on when their windows closed, then
// graded (a tiny cycle of one category would need the directory changed). Returns them.
std::vector<std::string> GradedCities(LifecycleHarness& h) {
  std::vector<std::string> cities;
  const Json dir =
      Json::parse(testing::ReadText(GOVASSESS_SOURCE_DIR "/workflows/data/units-guangxi.json"));
  for (const Json& u : dir["units"]) {
    if (u.value("category_id", "") == "cities") cities.push_back(u["id"]);
  }
  REQUIRE(cities.size() == 14);
  for (size_t i = 0; i < cities.size(); ++i) {
    h.ToExecution(cities[i]);
    h.ToPublished(cities[i], "2026-03-16", 70 + static_cast<double>(i) * 2);
  }
  h.At("2026-03-30");
  h.Fire();
  auto g = h.Run("office", "", "cycle/2025/city", "grade", {{"category", "cities"}});
  REQUIRE(g.accepted);
  return cities;
}

TEST_CASE("grading a category writes grades into every lifecycle — ratify then archive") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::vector<std::string> cities = GradedCities(h);
  int first = 0;
  for (const std::string& c : cities) {
    Instance lc = h.Get(LifecycleHarness::Id(c));
    REQUIRE(lc.data.contains("grade"));
    first += lc.data["grade"]["grade"] == "first";
  }
  CHECK(first == 6);  // ⌊0.4 × 14 + 0.5⌋
  const std::string id = LifecycleHarness::Id(cities[0]);
  CHECK(h.Run("committee", "", id, "ratify").accepted);
  CHECK(h.Run("office", "", id, "archive").accepted);
  CHECK(h.Get(id).state == "archived");
}

TEST_CASE("timers of finished steps left pending are refused: ratification_due after ratify, results_due after publish") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id(GradedCities(h)[0]);
  const std::string notices = workflows::NoticesId(id);
  h.At("2026-04-01");
  REQUIRE(h.Run("committee", "", id, "ratify").accepted);
  testing::FireInOrder(h);  // the notice of the ratification, and anything else due
  const size_t journaled = h.store().ReadJournal(0, 1000000)->size();
  // ratify cancels ratification_due's timers under the cycle's current policy; those of
  // an older one, and a deadline timer older code kept, are still pending.
  testing::LegacyCode legacy(h);
  const int64_t now = h.clock().NowMs();
  legacy.Plant({Timer{id + "#ratification_due", id, "mark_overdue", now,
                      Json{{"step", "ratification_due"}}},
                Timer{id + "#results_due", id, "mark_overdue", now, Json{{"step", "results_due"}}},
                // approve no longer cancels plan_due's: submit did (older code did not).
                Timer{id + "#plan_due", id, "mark_overdue", now, Json{{"step", "plan_due"}}},
                testing::ReminderTimer(id, notices, "ratification_due", "before-10", "2026-04-15", now),
                testing::ReminderTimer(id, notices, "ratification_due", "escalation-2", "2026-04-15", now),
                testing::ReminderTimer(id, notices, "results_due", "escalation-3", "2026-03-20", now)});
  const Instance before = h.Get(id);
  const size_t entries = h.Get(notices).data["entries"].size();
  CHECK(testing::FireInOrder(h) == 6);
  const Instance after = h.Get(id);
  CHECK(after.version == before.version);  // nothing marked
  CHECK(after.data["overdue"] == before.data["overdue"]);
  CHECK(h.Get(notices).data["entries"].size() == entries);
  CHECK(h.store().TimersOf(id)->empty());
  std::map<std::string, std::string> refused;  // timer → reason
  const auto journal = *h.store().ReadJournal(0, 1000000);
  for (size_t i = journaled; i < journal.size(); ++i) {
    const JournalEvent& e = journal[i];
    if (e.outcome == "refused") refused[e.payload.value("timer", "")] = e.reason;
  }
  CHECK(refused.size() == 6);
  CHECK(refused[id + "#plan_due"] ==
        "not marked overdue: plan_due is done or closed: " + id +
            " is ratified (plan_due is open only while drafting or returned)");
  CHECK(refused[id + "#ratification_due"] ==
        "not marked overdue: ratification_due is done or closed: " + id +
            " is ratified (ratification_due is open only while ready_for_ratification)");
  CHECK(refused[notices + "#results_due/escalation-3"] ==
        "no reminder sent: results_due is done or closed: " + id +
            " is ratified (results_due is open only while scored)");
}

TEST_CASE("a command out of turn is told what may be sent now, and by whom") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string unit = "gx-nanning";
  const std::string id = LifecycleHarness::Id(unit);
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");
  h.Run("unit", unit, id, "submit", {{"plan", testing::MinimalCityPlan(unit)}});
  h.Run("office", "", id, "return", {}, "targets too low");
  auto r = h.Run("leader", "", id, "approve", {}, "ok");
  CHECK(r.refusal.message() == "cannot approve while returned; allowed now: submit (unit)");

  h.Run("unit", unit, id, "submit");
  h.Run("office", "", id, "office_agree");
  h.Run("leader", "", id, "approve", {}, "ok");
  h.Run("office", "", id, "issue");
  REQUIRE(h.Get(id).state == "in_execution");
  r = h.Run("unit", unit, id, "submit_self_assessment", {{"report", {{"all", "done"}}}});
  CHECK_FALSE(r.accepted);
  CHECK(r.refusal.message() ==
        "cannot submit_self_assessment while in_execution; allowed now: "
        "agree_adjustment (office), approve_adjustment (leader), close_rectification (office), "
        "file_adjustment (office), open_self_assessment (office), record_midyear (office), "
        "reject_adjustment (lead_assessor, office, leader), reopen_rectification (office), "
        "report_rectification (unit), request_adjustment (unit, lead_assessor), "
        "review_adjustment (lead_assessor)");
  CHECK(h.Get(id).state == "in_execution");
}

TEST_CASE("every command that is not allowed in a state is refused, with a reason, and journaled") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string unit = "gx-nanning";
  const std::string id = LifecycleHarness::Id(unit);
  std::set<std::string> visited;
  auto probe = [&] {
    const std::string state = h.Get(id).state;
    visited.insert(state);
    const auto allowed = workflows::LifecycleWorkflow::AllowedIn(state);
    for (const std::string& cmd : workflows::LifecycleWorkflow::Commands()) {
      if (std::find(allowed.begin(), allowed.end(), cmd) != allowed.end()) continue;
      const int before = Refusals(h.store());
      auto r = h.Run("office", "", id, cmd, {{"adjustment", "adj-1"}}, "why");
      INFO(state << " × " << cmd);
      CHECK_FALSE(r.accepted);
      CHECK_THAT(r.refusal.message(), Catch::Contains("cannot " + cmd + " while " + state));
      CHECK(Refusals(h.store()) == before + 1);
      CHECK(h.Get(id).state == state);
    }
  };
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");
  probe();  // drafting
  h.Run("unit", unit, id, "submit", {{"plan", testing::MinimalCityPlan(unit)}});
  probe();  // submitted
  h.Run("office", "", id, "return", {}, "targets too low");
  probe();  // returned
  h.Run("unit", unit, id, "submit");
  h.Run("office", "", id, "office_agree");
  probe();  // reviewed
  h.Run("leader", "", id, "approve", {}, "ok");
  probe();  // approved
  h.Run("office", "", id, "issue");
  probe();  // in_execution
  h.Run("office", "", id, "open_self_assessment");
  probe();  // self_assessing
  REQUIRE(
      h.Run("unit", unit, id, "submit_self_assessment", {{"report", h.ReportFor(unit)}}).accepted);
  probe();  // auditing
  h.ToPublished(unit, "2026-03-16");  // re-sends the self-assessment steps: refused, harmless
  REQUIRE(h.Get(id).state == "published");
  probe();  // published
  h.At("2026-03-17");
  h.Run("unit", unit, id, "appeal", {{"evidence", {"doc"}}}, "miscounted");
  probe();  // appealed
  h.Run("office", "", id, "reject_appeal", {}, "the count is right");
  probe();  // decided
  h.Run("office", "", id, "republish");
  h.At("2026-03-30");
  h.Fire();
  probe();  // ready_for_ratification
  CHECK(visited.size() == 12);
}

TEST_CASE("self-assessment reports are kept in their record, every submission, not in the lifecycle") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string unit = "gx-nanning";
  const std::string id = LifecycleHarness::Id(unit);
  const std::string record = workflows::SelfAssessmentRecordId(id);
  CHECK(record == "self_assessment/2025/city/gx-nanning");
  h.ToSelfAssessing(unit, "2026-01-05");
  Json first = testing::MinimalReport(unit);
  first["special.1.1.1.1"] = {{"completed", false}, {"note", "专项考核结果尚未公布"}};
  REQUIRE(h.Run("unit", unit, id, "submit_self_assessment", {{"report", first}}).accepted);
  Instance lc = h.Get(id);
  CHECK_FALSE(lc.data["self_assessment"].contains("report"));
  CHECK(lc.data["self_assessment"]["record"] == record);
  CHECK(lc.data["self_assessment"]["submission"] == 1);
  CHECK(lc.data["self_assessment"]["items"] == 4);
  CHECK(lc.data["self_assessment"]["submitted_on"] == "2026-01-05");
  Instance r = h.Get(record);
  CHECK(r.type == "self_assessment");
  CHECK(r.data["lifecycle"] == id);
  CHECK(r.data["unit"] == unit);
  REQUIRE(r.data["submissions"].size() == 1);
  CHECK(r.data["submissions"][0]["report"] == first);
  CHECK(r.data["submissions"][0]["by"] == "unit-user");

  // Sent back and submitted again: the record keeps both, the lifecycle points at the new.
  h.At("2026-01-08");
  REQUIRE(h.Run("office", "", id, "send_back", {{"items", {"functional.1.1.1.1"}}}, "缺佐证材料").accepted);
  Json second = first;
  second["functional.1.1.1.1"]["evidence"].push_back("补充说明");
  h.At("2026-01-09");
  REQUIRE(h.Run("unit", unit, id, "submit_self_assessment", {{"report", second}}).accepted);
  r = h.Get(record);
  REQUIRE(r.data["submissions"].size() == 2);
  CHECK(r.data["submissions"][0]["report"] == first);
  CHECK(r.data["submissions"][1]["report"] == second);
  CHECK(r.data["submissions"][1]["n"] == 2);
  CHECK(r.data["submissions"][1]["submitted_on"] == "2026-01-09");
  lc = h.Get(id);
  CHECK(lc.data["self_assessment"]["submission"] == 2);

  // Nobody changes a record but its lifecycle; the refusal is journaled and changes nothing.
  const int64_t version = r.version;
  auto direct = h.Run("office", "", record, "submit_self_assessment", {{"report", first}});
  CHECK_FALSE(direct.accepted);
  CHECK_THAT(direct.refusal.message(), Catch::Contains("only through its assessment"));
  CHECK(h.Get(record).version == version);
  // A refused submission writes no record.
  const std::string other = LifecycleHarness::Id("gx-liuzhou");
  h.ToExecution("gx-liuzhou");
  h.At("2026-01-05");
  REQUIRE(h.Run("office", "", other, "open_self_assessment").accepted);
  CHECK_FALSE(h.Run("unit", "gx-liuzhou", other, "submit_self_assessment",
                    {{"report", Json::object()}}).accepted);
  CHECK(h.store().Get(workflows::SelfAssessmentRecordId(other)).status().IsNotFound());
}

TEST_CASE(
    "a self-assessment reports on every indicator of the plan in force, with evidence, or is "
    "refused") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string unit = "gx-nanning";
  const std::string id = LifecycleHarness::Id(unit);
  h.ToSelfAssessing(unit, "2026-01-05");
  const int64_t version = h.Get(id).version;
  const auto refused = [&](const Json& report) {
    auto r = h.Run("unit", unit, id, "submit_self_assessment", {{"report", report}});
    CHECK_FALSE(r.accepted);
    CHECK(h.store().ReadJournal(0, 100000)->back().outcome == "refused");
    CHECK(h.Get(id).version == version);
    CHECK(h.Get(id).state == "self_assessing");
    return r.refusal.message();
  };
  const Json full = testing::MinimalReport(unit);

  CHECK_THAT(
      refused({{"all", "done"}}),
      Catch::Contains("payload.report[\"all\"]: the plan (version 1) has no indicator \"all\""));
  CHECK_THAT(refused(Json::array({full})), Catch::Contains("completion per indicator of the plan"));
  CHECK_THAT(refused(Json::object()), Catch::Contains("completion per indicator of the plan"));
  // A level item is not an indicator.
  Json level = full;
  level["functional.1.1.1"] = full["functional.1.1.1.1"];
  CHECK_THAT(refused(level), Catch::Contains("has no indicator \"functional.1.1.1\""));
  Json partial = full;
  partial.erase("special.1.1.1.1");
  partial.erase("innovation.1.1.1.1");
  CHECK(refused(partial) ==
        "the report lacks 2 of the plan's 4 indicators: special.1.1.1.1, innovation.1.1.1.1");
  Json bare = full;
  bare["functional.1.1.1.1"] = {{"completed", true}};
  CHECK_THAT(refused(bare),
             Catch::Contains("functional indicator is reported completed without evidence"));
  bare["functional.1.1.1.1"] = {{"completed", true}, {"evidence", {""}}};
  CHECK_THAT(refused(bare), Catch::Contains(".evidence must list the evidence as texts"));
  bare["functional.1.1.1.1"] = {{"completed", "yes"}, {"evidence", {"公报"}}};
  CHECK_THAT(refused(bare), Catch::Contains("must be {\"completed\": true or false"));
  bare["functional.1.1.1.1"] = "done";
  CHECK_THAT(refused(bare), Catch::Contains("must be {\"completed\": true or false"));
  bare["functional.1.1.1.1"] = {{"completed", false}};
  CHECK_THAT(refused(bare), Catch::Contains("is reported not completed: say why in its note"));

  // Not completed, with the reason: accepted.
  Json honest = full;
  honest["functional.1.1.1.1"] = {
      {"completed", false}, {"note", "受汛情影响，完成95%"}, {"evidence", {"水利厅灾情通报"}}};
  auto ok = h.Run("unit", unit, id, "submit_self_assessment", {{"report", honest}});
  INFO(ok.refusal.message());
  CHECK(ok.accepted);
  CHECK(h.Get(id).state == "auditing");
}

TEST_CASE("a report older code kept in the lifecycle becomes its record's first submission") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string unit = "gx-nanning";
  const std::string id = LifecycleHarness::Id(unit);
  h.ToSelfAssessing(unit, "2026-01-05");
  // As older code left an assessment whose report was sent back: the report in the
  // lifecycle's own data, and no record.
  Instance old = h.Get(id);
  const Json old_report{{"functional.1.1.1.1", {{"completed", false}}}};
  old.data["self_assessment"] = {{"report", old_report}, {"submitted_on", "2026-01-02"},
                                 {"by", "clerk"}};
  testing::LegacyCode(h).Rewrite(old);
  const std::string record = workflows::SelfAssessmentRecordId(id);
  REQUIRE(h.store().Get(record).status().IsNotFound());

  const Json report = testing::MinimalReport(unit);
  REQUIRE(h.Run("unit", unit, id, "submit_self_assessment", {{"report", report}}).accepted);
  const Instance r = h.Get(record);
  REQUIRE(r.data["submissions"].size() == 2);
  CHECK(r.data["submissions"][0]["report"] == old_report);
  CHECK(r.data["submissions"][0]["submitted_on"] == "2026-01-02");
  CHECK(r.data["submissions"][0]["by"] == "clerk");
  CHECK(r.data["submissions"][1]["report"] == report);
  const Instance lc = h.Get(id);
  CHECK(lc.data["self_assessment"]["submission"] == 2);
  CHECK_FALSE(lc.data["self_assessment"].contains("report"));
}

TEST_CASE("roles: only the named role may take a step — unknown roles and auditors are forbidden") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.At("2025-03-03");
  CHECK(h.Run("unit", "gx-nanning", id, "create", {}, "", "lifecycle").refusal.code() ==
        Code::kForbidden);
  REQUIRE(h.Run("office", "", id, "create", {}, "", "lifecycle").accepted);
  auto r = h.Run("office", "", id, "submit", {{"plan", testing::MinimalCityPlan("gx-nanning")}});
  CHECK(r.refusal.code() == Code::kForbidden);
  CHECK_THAT(r.refusal.message(), Catch::Contains("only the assessed unit may submit"));
  REQUIRE(h.Run("unit", "gx-nanning", id, "submit", {{"plan", testing::MinimalCityPlan("gx-nanning")}}).accepted);
  r = h.Run("leader", "", id, "office_agree");
  CHECK(r.refusal.code() == Code::kForbidden);
  REQUIRE(h.Run("office", "", id, "office_agree").accepted);
  r = h.Run("office", "", id, "approve");
  CHECK(r.refusal.code() == Code::kForbidden);
  CHECK_THAT(r.refusal.message(), Catch::Contains("only the leader in charge may approve"));
  CHECK(h.Run("auditor", "", id, "approve").refusal.code() == Code::kForbidden);
  CHECK(h.Run("janitor", "", id, "approve").refusal.code() == Code::kForbidden);
  CHECK(h.Run("leader", "", id, "approve", {}, "ok").accepted);
}

TEST_CASE("unit isolation: a unit acts only on its own assessment") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");
  auto r = h.Run("unit", "gx-liuzhou", id, "submit", {{"plan", testing::MinimalCityPlan("gx-nanning")}});
  CHECK(r.refusal.code() == Code::kForbidden);
  CHECK_THAT(r.refusal.message(), Catch::Contains("its own assessment"));
  CHECK(h.Get(id).state == "drafting");
  CHECK(Refusals(h.store()) == 1);
}

TEST_CASE("return for revision needs a reason — the unit resubmits") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");
  h.Run("unit", "gx-nanning", id, "submit", {{"plan", testing::MinimalCityPlan("gx-nanning")}});
  auto r = h.Run("office", "", id, "return");
  CHECK_FALSE(r.accepted);
  CHECK_THAT(r.refusal.message(), Catch::Contains("needs a reason"));
  CHECK(h.Run("office", "", id, "return", {}, "GDP target below the region's").accepted);
  CHECK(h.Get(id).state == "returned");
  CHECK(h.Get(id).data["returns"][0]["reason"] == "GDP target below the region's");
  CHECK(h.Run("unit", "gx-nanning", id, "submit").accepted);
  CHECK(h.Get(id).state == "submitted");
  // A plan that does not fit the cycle is refused with the path named.
  Json bad = testing::MinimalCityPlan("gx-nanning");
  bad["target_types"][0]["children"][0]["children"][0]["children"][0]["children"][0]["weight"] = 690;
  h.Run("office", "", id, "return", {}, "again");
  r = h.Run("unit", "gx-nanning", id, "submit", {{"plan", bad}});
  CHECK_FALSE(r.accepted);
  CHECK_THAT(r.refusal.message(), Catch::Contains("functional"));
}

Json ModifyTarget() {
  return {{"operations", {{{"op", "modify"}, {"id", "functional.1.1.1.1"}, {"target", "增速7%"}}}}};
}

TEST_CASE("adjustments: inside the window make a new plan version — outside are refused naming the window") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.ToExecution("gx-nanning");
  h.At("2025-11-19");
  auto r = h.Run("unit", "gx-nanning", id, "request_adjustment", {{"change", ModifyTarget()}}, "new target");
  CHECK_FALSE(r.accepted);
  CHECK(r.refusal.message() ==
        "adjustments are filed 2025-11-20..2025-11-30 (cycle 2025 city); today is 2025-11-19");
  h.At("2025-11-20");
  r = h.Run("unit", "gx-nanning", id, "request_adjustment", {{"change", ModifyTarget()}}, "new target");
  REQUIRE(r.accepted);
  CHECK(r.result["adjustment"] == "adj-1");
  // Out of order: the office cannot agree before the lead assessor's first review.
  r = h.Run("office", "", id, "agree_adjustment", {{"adjustment", "adj-1"}});
  CHECK_THAT(r.refusal.message(), Catch::Contains("is requested; agree_adjustment needs it first_reviewed"));
  CHECK(h.Run("lead_assessor", "gx-statistics", id, "review_adjustment", {{"adjustment", "adj-1"}}).accepted);
  CHECK(h.Run("office", "", id, "agree_adjustment", {{"adjustment", "adj-1"}}).accepted);
  CHECK(h.Run("leader", "", id, "approve_adjustment", {{"adjustment", "adj-1"}}).accepted);
  h.At("2025-12-01");
  r = h.Run("office", "", id, "file_adjustment", {{"adjustment", "adj-1"}});
  CHECK_FALSE(r.accepted);
  CHECK_THAT(r.refusal.message(), Catch::Contains("adjustments are filed 2025-11-20..2025-11-30"));
  h.At("2025-11-28");
  r = h.Run("office", "", id, "file_adjustment", {{"adjustment", "adj-1"}});
  REQUIRE(r.accepted);
  CHECK(r.result["plan_version"] == 2);
  // Both versions stay readable, in the plan history beside the lifecycle.
  CHECK_FALSE(h.Get(id).data.contains("plan_versions"));
  const Instance history = h.Get(workflows::PlanHistoryId(id));
  CHECK(history.type == "plan");
  CHECK(history.version == 2);  // issued, then adjusted once
  auto versions = workflows::ParsePlanVersions(history.data);
  REQUIRE(versions.ok());
  CHECK(versions->size() == 2);
  CHECK((*versions->Get(1))->tree.target_types[0].children[0].children[0].children[0].children[0].target ==
        "完成年度目标任务");
  CHECK((*versions->Get(2))->tree.target_types[0].children[0].children[0].children[0].children[0].target ==
        "增速7%");
  // A lead assessor's own request skips the first review.
  Json again = ModifyTarget();
  again["operations"][0]["target"] = "增速7.5%";
  r = h.Run("lead_assessor", "gx-statistics", id, "request_adjustment", {{"change", again}}, "x");
  INFO(r.refusal.message());
  REQUIRE(r.accepted);
  CHECK(h.Get(id).data["adjustments"][1]["status"] == "first_reviewed");
  CHECK(h.Run("office", "", id, "reject_adjustment", {{"adjustment", "adj-2"}}, "no need").accepted);
  CHECK(h.Get(id).data["adjustments"][1]["status"] == "rejected");
}

TEST_CASE("a lead assessor adjusts and first-reviews only indicators it leads — refusals are journaled") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  // GDP (functional.1.1.1.1) is led by the statistics bureau, a second indicator by the
  // finance department.
  Json plan = testing::MinimalCityPlan("gx-nanning");
  Json& l3 = plan["target_types"][0]["children"][0]["children"][0]["children"][0]["children"];
  l3[0]["weight"] = 600;
  l3.push_back({{"id", "functional.1.1.1.2"}, {"name", "税收收入"}, {"weight", 100}, {"target", "完成年度目标"},
                {"lead_assessor", "gx-finance"}});
  h.ToExecution("gx-nanning", plan);
  h.At("2025-11-20");
  auto forbidden = [&](const CommandResult& r, const std::string& says) {
    INFO(r.refusal.message());
    CHECK_FALSE(r.accepted);
    CHECK(r.refusal.code() == Code::kForbidden);
    CHECK_THAT(r.refusal.message(), Catch::Contains(says));
    CHECK(h.store().ReadJournal(0, 100000)->back().outcome == "refused");
  };
  // The finance department may not ask to change the bureau's indicator, nor hand its
  // own to another lead, nor add an indicator another unit would lead.
  forbidden(h.Run("lead_assessor", "gx-finance", id, "request_adjustment", {{"change", ModifyTarget()}}, "x"),
            "a lead assessor asks to adjust only indicators it leads: the change touches indicators led by "
            "gx-statistics, not only by gx-finance");
  const Json hand_over{{"operations", {{{"op", "modify"}, {"id", "functional.1.1.1.2"}, {"lead_assessor", "gx-statistics"}}}}};
  forbidden(h.Run("lead_assessor", "gx-finance", id, "request_adjustment", {{"change", hand_over}}, "x"),
            "led by gx-finance, gx-statistics");
  const Json own{{"operations", {{{"op", "modify"}, {"id", "functional.1.1.1.2"}, {"target", "增长5%"}}}}};
  auto r = h.Run("lead_assessor", "gx-finance", id, "request_adjustment", {{"change", own}}, "税源变化");
  REQUIRE(r.accepted);
  CHECK(h.Get(id).data["adjustments"][0]["status"] == "first_reviewed");

  // The unit asks to change the bureau's indicator: the finance department may neither
  // first-review nor reject it; the bureau first-reviews it.
  REQUIRE(h.Run("unit", "gx-nanning", id, "request_adjustment", {{"change", ModifyTarget()}}, "新目标").accepted);
  forbidden(h.Run("lead_assessor", "gx-finance", id, "review_adjustment", {{"adjustment", "adj-2"}}),
            "a lead assessor reviews only requests touching indicators it leads: the change touches indicators "
            "led by gx-statistics, not by gx-finance");
  forbidden(h.Run("lead_assessor", "gx-finance", id, "reject_adjustment", {{"adjustment", "adj-2"}}, "no"),
            "reviews only requests touching indicators it leads");
  CHECK(h.Get(id).data["adjustments"][1]["status"] == "requested");
  CHECK(h.Run("lead_assessor", "gx-statistics", id, "review_adjustment", {{"adjustment", "adj-2"}}).accepted);
  CHECK(h.Get(id).data["adjustments"][1]["status"] == "first_reviewed");
}

TEST_CASE("items sent back are the plan's indicators, and a lead assessor sends back only its own") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.ToAuditing("gx-nanning");  // every indicator of the minimal plan is the statistics bureau's
  const int64_t version = h.Get(id).version;
  auto unknown = h.Run("office", "", id, "send_back", {{"items", {"functional.9"}}}, "缺材料");
  CHECK_THAT(unknown.refusal.message(), Catch::Contains("payload.items[0]: the plan has no indicator \"functional.9\""));
  auto shapeless = h.Run("office", "", id, "send_back", {{"items", {7}}}, "缺材料");
  CHECK_THAT(shapeless.refusal.message(), Catch::Contains("payload.items[0] must be an indicator id of the plan"));
  auto other = h.Run("lead_assessor", "gx-finance", id, "send_back", {{"items", {"functional.1.1.1.1"}}}, "缺材料");
  CHECK(other.refusal.code() == Code::kForbidden);
  CHECK_THAT(other.refusal.message(),
             Catch::Contains("functional.1.1.1.1 is led by gx-statistics, not by gx-finance"));
  CHECK(h.store().ReadJournal(0, 100000)->back().outcome == "refused");
  CHECK(h.Get(id).version == version);
  auto own = h.Run("lead_assessor", "gx-statistics", id, "send_back",
                   {{"items", {"functional.1.1.1.1", {{"indicator_id", "special.1.1.1.1"}, {"note", "缺佐证"}}}}},
                   "缺佐证材料");
  INFO(own.refusal.message());
  CHECK(own.accepted);
  CHECK(h.Get(id).state == "self_assessing");
}

TEST_CASE("a new major task: within 30 working days of receiving the document") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.ToExecution("gx-nanning");  // issued 2025-04-10
  const Json add = testing::NewTaskChange();
  // Received 2025-09-01: the 30th working day after is 2025-10-17 (National Day in between).
  h.At("2025-10-20");
  auto r = h.Run("unit", "gx-nanning", id, "request_adjustment",
                 {{"change", add}, {"kind", "new_task"}, {"document_received", "2025-09-01"}}, "task");
  CHECK_FALSE(r.accepted);
  CHECK_THAT(r.refusal.message(), Catch::Contains("within 30 working days"));
  CHECK_THAT(r.refusal.message(), Catch::Contains("last day 2025-10-17"));
  h.At("2025-10-17");
  r = h.Run("unit", "gx-nanning", id, "request_adjustment",
            {{"change", add}, {"kind", "new_task"}, {"document_received", "2025-09-01"}}, "task");
  INFO(r.refusal.message());
  CHECK(r.accepted);
}

TEST_CASE("appeal: the 5th working day across National Day is accepted, the 6th refused") {
  for (const bool sixth : {false, true}) {
    LifecycleHarness h;
    h.SetUpCycle();
    const std::string id = LifecycleHarness::Id("gx-nanning");
    h.ToExecution("gx-nanning");
    h.ToPublished("gx-nanning", "2025-09-26");  // a Friday; 09-28 is a make-up working day
    CHECK(h.Get(id).data["appeal_window"]["closes"] == "2025-10-10");
    h.At(sixth ? "2025-10-11" : "2025-10-10", 9);
    h.Fire();  // a running server fires what is due first
    auto r = h.Run("unit", "gx-nanning", id, "appeal", {{"evidence", {"统计公报"}}}, "GDP miscounted");
    if (!sixth) {
      CHECK(r.accepted);
      CHECK(h.Get(id).state == "appealed");
      CHECK(h.Run("office", "", id, "uphold_appeal",
                  {{"target_types", {{{"target_type", "functional"}, {"raw_score", 95}}}}},
                  "recounted").accepted);
      CHECK(h.Get(id).data["total"].get<double>() == Approx(665 + 81 + 135 + 54));
      CHECK(h.Run("office", "", id, "republish").accepted);
      CHECK(h.Run("unit", "gx-nanning", id, "appeal", {{"evidence", {"x"}}}, "again").refusal.message() ==
            "the result was already appealed and decided; a result may be appealed once");
      h.At("2025-10-11");
      // The window's end moves the result on; the notices of the appeal, its decision
      // and the new publication (set at once, fired on the next round) go out with it.
      CHECK(h.Fire() == 1 + 3);
      CHECK(h.Get(id).state == "ready_for_ratification");
    } else {
      CHECK_FALSE(r.accepted);
      CHECK_THAT(r.refusal.message(), Catch::Contains("2025-10-10"));
      CHECK(h.Get(id).state == "ready_for_ratification");
    }
  }
}

TEST_CASE("appeal guard: the 6th working day is refused even before the timer has fired") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.ToExecution("gx-nanning");
  h.ToPublished("gx-nanning", "2025-09-26");
  h.At("2025-10-11");  // no Fire(): the server was slow
  auto r = h.Run("unit", "gx-nanning", id, "appeal", {{"evidence", {"x"}}}, "why");
  CHECK_FALSE(r.accepted);
  CHECK(r.refusal.message() ==
        "appeals are accepted within 5 working days of receiving the result (received "
        "2025-09-26, last day 2025-10-10); today is 2025-10-11 (working day 6)");
  // Without evidence, inside the window: refused.
  h.At("2025-10-09");
  r = h.Run("unit", "gx-nanning", id, "appeal", {}, "why");
  CHECK_THAT(r.refusal.message(), Catch::Contains("evidence"));
  // A manual close inside the window is refused; only the timer closes it.
  CHECK(h.Run("office", "", id, "close_appeal_window").refusal.code() == Code::kForbidden);
}

TEST_CASE("the appeal window closes by its timer exactly once") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.ToExecution("gx-nanning");
  h.ToPublished("gx-nanning", "2025-09-26");
  h.At("2025-10-10", 23);
  h.Fire();
  CHECK(h.Get(id).state == "published");
  const int64_t v = h.Get(id).version;
  h.At("2025-10-11", 0);
  CHECK(h.Fire() >= 1);
  CHECK(h.Get(id).state == "ready_for_ratification");
  CHECK(h.Get(id).version == v + 1);
  CHECK(h.Fire() == 0);
  h.At("2025-12-01");
  h.Fire();
  int closes = 0;
  const auto events = *h.store().ReadJournal(0, 100000);
  for (const JournalEvent& e : events) {
    closes += e.command == "close_appeal_window" && e.outcome == "accepted";
  }
  CHECK(closes == 1);
}

TEST_CASE("deadline timers mark overdue steps without moving the state") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");
  const int fired = h.LiveUntil("2025-05-06");  // a running server
  const Instance notices = h.Get(workflows::NoticesId(id));
  std::vector<std::string> sent;
  for (const Json& e : notices.data["entries"]) sent.push_back(e["reminder"].get<std::string>() + " " + e["deadline"].get<std::string>());
  INFO(notices.data.dump());
  // One overdue marker, and the plan_due reminders counted in working days, in order:
  // 5, 3 and 1 working days before (Sunday 2025-04-27 is a make-up working day), on the
  // day, and the escalation on the first working day after the May Day holiday
  // (2025-05-01..05 off), 2025-05-06. Each at its own instant, on time.
  CHECK(fired == 1 + int(sent.size()));
  CHECK(sent == std::vector<std::string>{"before-5 2025-04-30", "before-3 2025-04-30",
                                         "before-1 2025-04-30", "due 2025-04-30",
                                         "escalation-1 2025-04-30"});
  CHECK(FormatUtcMillis(notices.data["entries"][1]["due_ms"].get<int64_t>()) ==
        "2025-04-27T01:00:00.000Z");  // 09:00 in Beijing on the make-up Sunday
  CHECK(FormatUtcMillis(notices.data["entries"][4]["due_ms"].get<int64_t>()) ==
        "2025-05-06T01:00:00.000Z");
  for (const Json& e : notices.data["entries"]) CHECK(e["late"] == false);
  CHECK(notices.data["entries"][4]["escalate_to"] == Json::array({"superior", "office"}));
  Instance lc = h.Get(id);
  CHECK(lc.state == "drafting");
  CHECK(lc.data["overdue"] == Json::array({"plan_due"}));
  h.Run("unit", "gx-nanning", id, "submit", {{"plan", testing::MinimalCityPlan("gx-nanning")}});
  h.Run("office", "", id, "office_agree");
  h.Run("leader", "", id, "approve", {}, "ok");
  CHECK(h.Get(id).data["overdue"] == Json::array());
  CHECK(h.store().TimersOf(id)->empty());
  // The step is done: its escalation will not be sent. What is pending on the notices
  // is the approval's own notice to the unit (due at once).
  const auto timers = h.store().TimersOf(workflows::NoticesId(id));
  REQUIRE(timers.ok());
  std::vector<std::string> pending;
  for (const Timer& t : *timers) pending.push_back(t.command);
  CHECK(pending == std::vector<std::string>{"announce"});
}

TEST_CASE("special-assessment scores only from licensed registry items") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.ToAuditing("gx-nanning");
  auto score = [&](const std::string& item) {
    return h.Run("lead_assessor", "gx-statistics", id, "record_scores",
                 {{"target_types",
                   {{{"target_type", "special"}, {"raw_score", 90}, {"registry_item", item}}}}});
  };
  auto r = h.Run("lead_assessor", "gx-statistics", id, "record_scores",
                 {{"target_types", {{{"target_type", "special"}, {"raw_score", 90}}}}});
  CHECK_THAT(r.refusal.message(), Catch::Contains("no licence, no assessment"));
  CHECK_THAT(score("registry/item/party-building").refusal.message(), Catch::Contains("is not in the registry"));
  // Registry items as the registry will write them (state "licensed", data.licence).
  auto put = [&](const std::string& item_id, const std::string& state, const std::string& to) {
    h.PutRegistryItem(item_id, state, to, "gx-statistics");
  };
  put("registry/item/pending", "applied", "2026-12-31");
  put("registry/item/expired", "licensed", "2025-06-30");
  // A licence that ends with the assessed year covers its results, formed in 2026.
  put("registry/item/to-year-end", "licensed", "2025-12-31");
  put("registry/item/party-building", "licensed", "2026-12-31");
  CHECK_THAT(score("registry/item/pending").refusal.message(), Catch::Contains("state: applied"));
  CHECK_THAT(score("registry/item/expired").refusal.message(),
             Catch::Contains("valid from 2025-01-01 to 2025-06-30"));
  CHECK_THAT(score("registry/item/expired").refusal.message(),
             Catch::Contains("2025-12-31, the last day of the year the cycle 2025 city assesses"));
  CHECK(score("registry/item/to-year-end").accepted);
  CHECK_THAT(score("registry/item/expired").refusal.message(),
             Catch::Contains("no licence, no assessment"));
  CHECK(score("registry/item/party-building").accepted);
  // Scores of the special target type by indicator need a licence too: the entry's item
  // or each indicator's own.
  const Json unlicensed{{"target_types",
                         {{{"target_type", "special"},
                           {"indicators", {{{"indicator_id", "special.1.1.1.1"}, {"points", 50}}}}}}}};
  auto bare = h.Run("lead_assessor", "gx-statistics", id, "record_scores", unlicensed);
  CHECK_THAT(bare.refusal.message(), Catch::Contains("payload.target_types[0].indicators[0].registry_item"));
  CHECK_THAT(bare.refusal.message(), Catch::Contains("no licence, no assessment"));
  const Json expired{{"target_types",
                      {{{"target_type", "special"},
                        {"indicators",
                         {{{"indicator_id", "special.1.1.1.1"}, {"points", 50}, {"registry_item", "registry/item/expired"}}}}}}}};
  CHECK_THAT(h.Run("office", "", id, "record_scores", expired).refusal.message(),
             Catch::Contains("valid from 2025-01-01 to 2025-06-30"));
  CHECK(h.Get(id).data["scores"]["special"]["registry_item"] == "registry/item/party-building");
}

// The sample plan's 专项目标: one indicator per special assessment, each "根据…专项考核结果
// 折算" and led by the special assessment's lead department.
TEST_CASE("two special assessments score the special target type, each by its own lead") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  Json plan = testing::MinimalCityPlan("gx-nanning");
  Json& special = plan["target_types"][1]["children"][0]["children"][0]["children"][0]["children"];
  REQUIRE(special[0]["id"] == "special.1.1.1.1");
  special[0]["weight"] = 30;
  special.push_back({{"id", "special.1.1.1.2"}, {"name", "乡村振兴战略专项考核"}, {"weight", 30},
                     {"target", "完成年度重点任务"}, {"lead_assessor", "gx-rural-work-office"}});
  h.ToAuditing("gx-nanning", plan);
  const std::string business = testing::kSpecialItem, rural = "registry/item/2025-rural";
  h.PutRegistryItem(rural, "licensed", "2026-12-31", "gx-rural-work-office", {"gx-agriculture"});
  auto scores = [](const std::string& indicator, double points, const std::string& item) {
    return Json{{"target_types",
                 {{{"target_type", "special"},
                   {"indicators", {{{"indicator_id", indicator}, {"points", points}, {"registry_item", item}}}}}}}};
  };

  // A lead may not record another lead's special assessment, even for its own indicator;
  // the refusal is journaled.
  auto foreign = h.Run("lead_assessor", "gx-statistics", id, "record_scores", scores("special.1.1.1.1", 27, rural));
  CHECK(foreign.refusal.code() == Code::kForbidden);
  CHECK_THAT(foreign.refusal.message(),
             Catch::Contains("registry/item/2025-rural is led by gx-rural-work-office, not by gx-statistics"));
  CHECK(h.store().ReadJournal(0, 100000)->back().outcome == "refused");
  // Each lead records its own item's result for its own indicator. A co-lead of an item
  // passes the item's check but not the indicator's: the indicator has one lead.
  REQUIRE(h.Run("lead_assessor", "gx-statistics", id, "record_scores", scores("special.1.1.1.1", 27, business))
              .accepted);
  REQUIRE(h.Run("lead_assessor", "gx-rural-work-office", id, "record_scores",
                scores("special.1.1.1.2", 24, rural))
              .accepted);
  CHECK(h.Run("lead_assessor", "gx-agriculture", id, "record_scores", scores("special.1.1.1.2", 25, rural))
            .refusal.message()
            .find("indicator special.1.1.1.2 is led by gx-rural-work-office, not by gx-agriculture") !=
        std::string::npos);
  const Json held = h.Get(id).data["scores"]["special"]["indicators"];
  REQUIRE(held.size() == 2);
  CHECK(held[0]["registry_item"] == business);
  CHECK(held[0]["recorded_by"] == "lead_assessor-user");
  CHECK(held[1]["registry_item"] == rural);
  CHECK(held[1]["points"] == 24);

  // The office records the rest; the total has both special assessments in it.
  REQUIRE(h.Run("office", "", id, "record_scores",
                {{"target_types",
                  {{{"target_type", "functional"}, {"raw_score", 90}},
                   {{"target_type", "innovation"}, {"raw_score", 90}},
                   {{"target_type", "satisfaction"}, {"raw_score", 90}}}}})
              .accepted);
  auto finished = h.Run("office", "", id, "finish_audit");
  REQUIRE(finished.accepted);
  CHECK(h.Get(id).data["target_type_points"]["special"].get<double>() == Approx(51));
}

}  // namespace
}  // namespace govassess

namespace govassess {
namespace {

TEST_CASE("a lead assessor scores only the indicators it leads — the refusal is journaled") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.ToAuditing("gx-nanning");
  // Every indicator of the minimal plan is led by the statistics bureau.
  const Json by_indicator{{"target_types",
                           {{{"target_type", "special"}, {"registry_item", testing::kSpecialItem},
                             {"indicators", {{{"indicator_id", "special.1.1.1.1"}, {"points", 50}}}}}}}};
  const Json by_type{{"target_types", {{{"target_type", "functional"}, {"raw_score", 90}}}}};
  for (const Json& scores : {by_indicator, by_type}) {
    auto other = h.Run("lead_assessor", "gx-finance", id, "record_scores", scores);
    INFO(scores.dump());
    CHECK_FALSE(other.accepted);
    CHECK(other.refusal.code() == Code::kForbidden);
    // The special indicator's result comes from an item gx-finance does not lead either.
    CHECK_THAT(other.refusal.message(), Catch::Contains("a lead assessor records only the results of the special "
                                                        "assessments it leads") ||
                                            Catch::Contains("scores only what it leads"));
    auto events = *h.store().ReadJournal(0, 10000);
    CHECK(events.back().outcome == "refused");
    CHECK(events.back().actor.unit == "gx-finance");
  }
  auto type = h.Run("lead_assessor", "gx-finance", id, "record_scores", by_type);
  CHECK_THAT(type.refusal.message(),
             Catch::Contains("gx-finance leads no indicator of the target type \"functional\""));
  // An indicator the plan does not have is refused by name, before who leads it.
  const Json unknown{{"target_types",
                      {{{"target_type", "special"}, {"registry_item", testing::kSpecialItem},
                        {"indicators", {{{"indicator_id", "nope"}, {"points", 1}}}}}}}};
  auto missing = h.Run("lead_assessor", "gx-statistics", id, "record_scores", unknown);
  CHECK_FALSE(missing.accepted);
  CHECK_THAT(missing.refusal.message(), Catch::Contains("the plan has no indicator \"nope\""));
  // The lead itself, by indicator and by target type, and the office, may.
  CHECK(h.Run("lead_assessor", "gx-statistics", id, "record_scores", by_indicator).accepted);
  CHECK(h.Run("lead_assessor", "gx-statistics", id, "record_scores", by_type).accepted);
  CHECK(h.Run("office", "", id, "record_scores", by_type).accepted);
}

}  // namespace
}  // namespace govassess

namespace govassess {
namespace {

// A plan whose functional indicators have two lead assessors, as real plans do (the
// sample plan's functional target type has fifty).
Json PlanWithTwoLeads(const std::string& unit) {
  Json plan = testing::MinimalCityPlan(unit);
  Json& level3 = plan["target_types"][0]["children"][0]["children"][0]["children"][0];
  REQUIRE(level3["id"] == "functional.1.1.1");
  Json first = level3["children"][0];
  first["weight"] = 400;
  Json second = first;
  second["id"] = "functional.1.1.1.2";
  second["name"] = "functional indicator 2";
  second["weight"] = 300;
  second["lead_assessor"] = "gx-finance";
  level3["children"] = Json::array({first, second});
  return plan;
}

Json IndicatorScores(const std::string& target_type, const std::string& indicator, double points) {
  return {{"target_types",
           {{{"target_type", target_type},
             {"indicators", {{{"indicator_id", indicator}, {"points", points}}}}}}}};
}

TEST_CASE("lead assessors each score their own indicators of a target type and the scores add up") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.ToAuditing("gx-nanning", PlanWithTwoLeads("gx-nanning"));

  // Each lead scores what it leads; neither may score the other's.
  CHECK(h.Run("lead_assessor", "gx-statistics", id, "record_scores",
              IndicatorScores("functional", "functional.1.1.1.1", 380)).accepted);
  CHECK(h.Run("lead_assessor", "gx-finance", id, "record_scores",
              IndicatorScores("functional", "functional.1.1.1.2", 250)).accepted);
  CHECK_FALSE(h.Run("lead_assessor", "gx-finance", id, "record_scores",
                    IndicatorScores("functional", "functional.1.1.1.1", 1)).accepted);
  // A raw score would score the other lead's indicator too: only a lead of all may.
  const Json raw{{"target_types", {{{"target_type", "functional"}, {"raw_score", 90}}}}};
  const auto whole = h.Run("lead_assessor", "gx-statistics", id, "record_scores", raw);
  CHECK_FALSE(whole.accepted);
  CHECK(whole.refusal.code() == Code::kForbidden);
  CHECK_THAT(whole.refusal.message(), Catch::Contains("also led by gx-finance"));
  const Json special{{"target_types", {{{"target_type", "innovation"}, {"raw_score", 80}}}}};
  CHECK(h.Run("lead_assessor", "gx-statistics", id, "record_scores", special).accepted);
  Json functional = h.Get(id).data["scores"]["functional"];
  REQUIRE(functional["indicators"].size() == 2);
  CHECK(functional["indicators"][0]["indicator_id"] == "functional.1.1.1.1");
  CHECK(functional["indicators"][0]["points"] == 380);
  CHECK(functional["indicators"][0]["recorded_by"] == "lead_assessor-user");
  CHECK(functional["indicators"][1]["indicator_id"] == "functional.1.1.1.2");

  // Scoring an indicator again replaces its points and keeps the other lead's.
  CHECK(h.Run("lead_assessor", "gx-statistics", id, "record_scores",
              IndicatorScores("functional", "functional.1.1.1.1", 390)).accepted);
  functional = h.Get(id).data["scores"]["functional"];
  REQUIRE(functional["indicators"].size() == 2);
  CHECK(functional["indicators"][0]["points"] == 390);
  CHECK(functional["indicators"][1]["points"] == 250);

  h.Run("office", "", id, "record_scores",
        {{"target_types",
          {{{"target_type", "innovation"}, {"raw_score", 90}, {"raw_max", 100}},
           {{"target_type", "satisfaction"}, {"raw_score", 90}, {"raw_max", 100}},
           {{"target_type", "special"}, {"registry_item", testing::kSpecialItem},
            {"indicators", {{{"indicator_id", "special.1.1.1.1"}, {"points", 54}}}}}}}});
  const auto finished = h.Run("office", "", id, "finish_audit");
  INFO(finished.refusal.message());
  REQUIRE(finished.accepted);
  const Json data = h.Get(id).data;
  CHECK(data["target_type_points"]["functional"] == Approx(640));
  // 640 + 81 + 135 + 54
  CHECK(data["total"] == Approx(910));

}

}  // namespace
}  // namespace govassess

namespace govassess {
namespace {

TEST_CASE("scores that are not numbers or not indicator scores are refused by where they are") {
  LifecycleHarness h;
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.ToAuditing("gx-nanning");
  const Instance before = h.Get(id);
  const struct {
    Json entry;
    std::string says;
  } cases[] = {
      {{{"target_type", "functional"}, {"raw_score", "90"}}, "target_types[0].raw_score must be a number"},
      {{{"target_type", "special"}, {"indicators", 5}}, "target_types[0].indicators must be a list"},
      {{{"target_type", "special"}, {"indicators", {5}}}, "target_types[0].indicators[0] must be"},
      {{{"target_type", "special"}, {"registry_item", testing::kSpecialItem}, {"indicators", {{{"indicator_id", "special.1.1.1.1"}}}}},
       "indicators[0] must be {\"indicator_id\""},
      {{{"target_type", "special"},
        {"indicators", {{{"indicator_id", 7}, {"points", 1}}}}}, "indicators[0] must be"},
      // Scores that do not fit the plan are refused when recorded, not at finish_audit.
      {{{"target_type", "functional"}, {"raw_score", 120}}, "target_types[0].raw_score 120 is outside [0, 100]"},
      {{{"target_type", "functional"}, {"raw_score", 9}, {"raw_max", 0}}, "target_types[0].raw_max must be more than 0"},
      {{{"target_type", "functional"}, {"indicators", {{{"indicator_id", "functional.1.1.1.1"}, {"points", 701}}}}},
       "target_types[0].indicators[0]: 701 points for functional.1.1.1.1 (functional indicator), whose weight is 700"},
      {{{"target_type", "functional"}, {"indicators", {{{"indicator_id", "functional.1.1.1.1"}, {"points", -1}}}}},
       "points are 0 to the weight"},
      {{{"target_type", "innovation"}, {"indicators", {{{"indicator_id", "functional.1.1.1.1"}, {"points", 1}}}}},
       "target_types[0].indicators[0]: the plan has no indicator \"functional.1.1.1.1\" under innovation"},
      {{{"target_type", "functional"}, {"indicators", {{{"indicator_id", "functional.1.1"}, {"points", 1}}}}},
       "the plan has no indicator \"functional.1.1\" under functional"},
  };
  for (const auto& c : cases) {
    INFO(c.entry.dump());
    for (const std::string role : {"office", "lead_assessor"}) {
      const auto r = h.Run(role, role == "office" ? "" : "gx-statistics", id, "record_scores",
                           {{"target_types", Json::array({c.entry})}});
      CHECK_FALSE(r.accepted);
      CHECK_THAT(r.refusal.message(), Catch::Contains(c.says));
    }
  }
  CHECK(h.Get(id).version == before.version);
  CHECK(h.Get(id).data == before.data);
}

}  // namespace
}  // namespace govassess
