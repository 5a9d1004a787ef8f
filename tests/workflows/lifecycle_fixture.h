// A small harness for the lifecycle tests: an engine on a MemoryStore with a manual
// clock, the real calendar (calendars/cn.json) and the assessment workflows, plus
// helpers to issue commands at Beijing times. Header-only (tests/CMakeLists.txt builds
// only *_test.cc). Not thread-safe.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/calendar_format.h"
#include "engine/calendar_in_force.h"
#include "engine/clock.h"
#include "engine/date.h"
#include "engine/engine.h"
#include "engine/memory_store.h"
#include "engine/timer_loop.h"
#include "workflows/china_time.h"
#include "workflows/lifecycle_workflow.h"

namespace govassess::testing {

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline const WorkingDayCalendar& RealCalendar() {
  static const WorkingDayCalendar kCal =
      *ParseCalendar(ReadText(GOVASSESS_SOURCE_DIR "/calendars/cn.json"));
  return kCal;
}

// The shipped calendar as the workflows take it, with no year loaded on top. Shared by
// the tests of a process: a test that loads years uses a CalendarInForce of its own.
inline CalendarInForce* RealCalendarInForce() {
  static CalendarInForce in_force(RealCalendar());
  return &in_force;
}

// The shipped 2026 city cycle moved one year back (2025, results in 2026), so that
// every date falls in a year the shipped calendar covers.
inline Json CityCycle2025() {
  std::string text = ReadText(GOVASSESS_SOURCE_DIR "/workflows/data/cycle-2026-city.json");
  for (auto [from, to] : {std::pair<std::string, std::string>{"2026", "2025"}, {"2027", "2026"}}) {
    for (size_t p = text.find(from); p != std::string::npos; p = text.find(from, p + 4)) {
      text.replace(p, 4, to);
    }
  }
  return Json::parse(text);
}

// A minimal valid plan: one indicator per target type carrying the type's points.
inline Json MinimalCityPlan(const std::string& unit, int year = 2025) {
  Json tts = Json::array();
  for (auto [id, points] : {std::pair<std::string, double>{"functional", 700}, {"special", 60},
                            {"innovation", 90}, {"satisfaction", 150}}) {
    tts.push_back({{"id", id},
                   {"name", id},
                   {"children",
                    {{{"id", id + ".1"},
                      {"name", id + " 1"},
                      {"children",
                       {{{"id", id + ".1.1"},
                         {"name", id + " 1.1"},
                         {"children",
                          {{{"id", id + ".1.1.1"},
                            {"name", id + " 1.1.1"},
                            {"children",
                             {{{"id", id + ".1.1.1.1"},
                               {"name", id + " indicator"},
                               {"weight", points},
                               {"target", "完成年度目标任务"},
                               {"lead_assessor", "gx-statistics"}}}}}}}}}}}}}});
  }
  return {{"year", year}, {"unit_id", unit}, {"category_id", "cities"}, {"target_types", tts}};
}

// An adjustment adding a new major task (functional.1.1.1.2, 50 points taken from
// functional.1.1.1.1) to MinimalCityPlan: the change of a new_task request.
inline Json NewTaskChange() {
  return {{"operations",
           {{{"op", "modify"}, {"id", "functional.1.1.1.1"}, {"weight", 650}},
            {{"op", "add"},
             {"parent_id", "functional.1.1.1"},
             {"node",
              {{"id", "functional.1.1.1.2"},
               {"name", "新增重大任务"},
               {"weight", 50},
               {"target", "按期完成"},
               {"lead_assessor", "gx-statistics"}}}}}}};
}

// A self-assessment report on every indicator of `plan` (a plan as submitted: leaves
// are the nodes without children), each completed with one piece of evidence.
inline Json ReportOn(const Json& plan, const std::string& evidence = "年度统计公报") {
  Json report = Json::object();
  std::vector<const Json*> nodes;
  for (const Json& t : plan["target_types"]) nodes.push_back(&t);
  while (!nodes.empty()) {
    const Json* n = nodes.back();
    nodes.pop_back();
    if (!n->contains("children") || (*n)["children"].empty()) {
      report[(*n)["id"].get<std::string>()] = {{"completed", true}, {"evidence", {evidence}}};
    }
    if (n->contains("children")) {
      for (const Json& c : (*n)["children"]) nodes.push_back(&c);
    }
  }
  return report;
}

// The report on MinimalCityPlan(unit).
inline Json MinimalReport(const std::string& unit) { return ReportOn(MinimalCityPlan(unit)); }

// The licensed special assessment whose results score the minimal plan's special
// indicator (led, like every indicator of that plan, by the statistics bureau).
inline constexpr const char* kSpecialItem = "registry/item/2025-business-environment";

// Milliseconds of a Beijing local time "YYYY-MM-DD HH:MM".
inline int64_t BeijingMs(const std::string& date, int hour = 10, int minute = 0) {
  Date d = *Date::Parse(date);
  return d.DaysSinceEpoch() * workflows::kMsPerDay + (hour * 60 + minute) * 60'000 -
         workflows::kBeijingOffsetMs;
}

class LifecycleHarness {
 public:
  // `calendar`: the shipped calendar by default; a test that loads years passes its own.
  explicit LifecycleHarness(CalendarInForce* calendar = RealCalendarInForce())
      : engine_(&store_, &clock_) {
    for (auto& w : workflows::MakeAssessmentWorkflows(calendar)) engine_.Register(std::move(w));
  }

  // Sets the clock, firing nothing: what falls due meanwhile waits for Fire(), late, as
  // after a down time.
  void At(const std::string& date, int hour = 10) { clock_.Set(BeijingMs(date, hour)); }
  // Fires what is due now, round after round until nothing is, as a running server's
  // timer loop does (a firing may set a timer that is due at once: a reminder chain's
  // next link after a down time); returns how many fired.
  int Fire() {
    auto fired = FireAllDue(&engine_, clock_.NowMs());
    REQUIRE(fired.ok());
    return *fired;
  }
  // Moves the clock to `date` `hour`:00 as a running server lives through the time in
  // between: every timer fires at its own instant, then what is due then. Returns how
  // many fired.
  int LiveUntil(const std::string& date, int hour = 10) {
    auto fired = govassess::LiveUntil(&engine_, &clock_, BeijingMs(date, hour));
    REQUIRE(fired.ok());
    return *fired;
  }

  CommandResult Run(const std::string& role, const std::string& unit, const std::string& instance,
                    const std::string& name, Json payload = Json::object(),
                    const std::string& reason = "", const std::string& type = "") {
    Command c;
    c.instance_id = instance;
    c.type = type;
    c.name = name;
    c.actor = Actor{role + "-user", role, unit, "test"};
    c.payload = payload.is_null() ? Json::object() : std::move(payload);
    c.reason = reason;
    auto r = engine_.Execute(c);
    if (!r.ok()) {
      CommandResult bad;
      bad.refusal = r.status();
      return bad;
    }
    return *r;
  }

  // Units, the 2025 city cycle.
  void SetUpCycle() {
    Json units = Json::parse(ReadText(GOVASSESS_SOURCE_DIR "/workflows/data/units-guangxi.json"));
    auto u = Run("admin", "", "units/guangxi", "create", {{"directory", units}}, "", "units");
    if (!u.accepted) throw std::runtime_error("units: " + u.refusal.ToString());
    auto c = Run("office", "", "cycle/2025/city", "create",
                 {{"config", CityCycle2025()}, {"units", "units/guangxi"}}, "", "cycle");
    if (!c.accepted) throw std::runtime_error("cycle: " + c.refusal.ToString());
    PutRegistryItem(kSpecialItem, "licensed", "2026-12-31", "gx-statistics");
  }

  // A registry item as the registry writes it (state, data.lead, data.licence), put into
  // the store directly: these tests register only the assessment workflows.
  void PutRegistryItem(const std::string& item_id, const std::string& state, const std::string& valid_to,
                       const std::string& lead, const Json& co_leads = Json::array()) {
    Instance it;
    it.id = item_id;
    it.type = "special_assessment";
    it.state = state;
    it.version = 1;
    it.data = {{"name", item_id.substr(item_id.rfind('/') + 1)},
               {"lead", lead},
               {"co_leads", co_leads},
               {"licence", {{"number", "GXJX-2025-001"}, {"valid_from", "2025-01-01"}, {"valid_to", valid_to}}}};
    WriteBatch b;
    InstanceWrite w;
    w.after = it;
    b.instances.push_back(w);
    b.event.command = "test_put";
    b.event.entity = item_id;
    b.event.outcome = "accepted";
    std::vector<CommitOutcome> out;
    REQUIRE(store_.ApplyGroup({&b}, &out).ok());
  }

  static std::string Id(const std::string& unit) { return "lifecycle/2025/city/" + unit; }

  // Takes `unit` from creation to in_execution (plan v1 issued) in spring 2025.
  void ToExecution(const std::string& unit) { ToExecution(unit, MinimalCityPlan(unit)); }
  void ToExecution(const std::string& unit, const Json& plan) {
    const std::string id = Id(unit);
    At("2025-03-03");
    Run("office", "", id, "create", {}, "", "lifecycle");
    At("2025-04-10");
    REQUIRE(Run("unit", unit, id, "submit", {{"plan", plan}}).accepted);
    Run("office", "", id, "office_agree");
    Run("leader", "", id, "approve", {}, "plan approved");
    Run("office", "", id, "issue");
  }

  // A self-assessment report on every indicator of the unit's plan in force, each
  // completed with one piece of evidence (`evidence`).
  Json ReportFor(const std::string& unit, const std::string& evidence = "年度统计公报") {
    auto versions = workflows::ParsePlanVersions(Get(workflows::PlanHistoryId(Id(unit))).data);
    REQUIRE(versions.ok());
    Json report = Json::object();
    for (const auto* leaf : workflows::Leaves(versions->Latest().tree)) {
      report[leaf->id] = {{"completed", true}, {"evidence", {evidence}}};
    }
    return report;
  }

  // In execution, then the self-assessment opened on `date`.
  void ToSelfAssessing(const std::string& unit, const std::string& date) {
    ToExecution(unit);
    At(date);
    REQUIRE(Run("office", "", Id(unit), "open_self_assessment").accepted);
  }

  // On to the audit: the self-assessment opened and submitted.
  void ToAuditing(const std::string& unit) { ToAuditing(unit, MinimalCityPlan(unit)); }
  void ToAuditing(const std::string& unit, const Json& plan) {
    ToExecution(unit, plan);
    Run("office", "", Id(unit), "open_self_assessment");
    REQUIRE(Run("unit", unit, Id(unit), "submit_self_assessment", {{"report", ReportFor(unit)}})
                .accepted);
  }

  // From in_execution to published on `publish_date`, with the given functional score.
  void ToPublished(const std::string& unit, const std::string& publish_date, double functional = 90) {
    const std::string id = Id(unit);
    Run("office", "", id, "open_self_assessment");
    Run("unit", unit, id, "submit_self_assessment", {{"report", ReportFor(unit)}});
    Run("office", "", id, "record_scores",
        {{"target_types",
          {{{"target_type", "functional"}, {"raw_score", functional}, {"raw_max", 100}},
           {{"target_type", "innovation"}, {"raw_score", 90}, {"raw_max", 100}},
           {{"target_type", "satisfaction"}, {"raw_score", 90}, {"raw_max", 100}},
           {{"target_type", "special"}, {"registry_item", kSpecialItem},
            {"indicators", {{{"indicator_id", "special.1.1.1.1"}, {"points", 54}}}}}}}});
    Run("office", "", id, "finish_audit");
    At(publish_date);
    Run("office", "", id, "publish");
  }

  Instance Get(const std::string& id) { return *store_.Get(id); }
  MemoryStore& store() { return store_; }
  Engine& engine() { return engine_; }
  ManualClock& clock() { return clock_; }

 private:
  MemoryStore store_;
  ManualClock clock_;
  Engine engine_;
};

}  // namespace govassess::testing
