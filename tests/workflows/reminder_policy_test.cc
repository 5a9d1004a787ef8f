#include "workflows/reminder_policy.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "engine/calendar_format.h"
#include "engine/types.h"

using namespace govassess;
using namespace govassess::workflows;
using Json = nlohmann::json;

namespace {

const WorkingDayCalendar& Calendar() {
  static const WorkingDayCalendar cal = [] {
    std::ifstream in(GOVASSESS_SOURCE_DIR "/calendars/cn.json");
    std::stringstream text;
    text << in.rdbuf();
    return *ParseCalendar(text.str());
  }();
  return cal;
}

Date D(const char* s) { return *Date::Parse(s); }

std::vector<std::string> Plan(const char* deadline, const ReminderPolicy& p = {}) {
  auto plan = PlanReminders(D(deadline), p, Calendar());
  REQUIRE(plan.ok());
  std::vector<std::string> out;
  for (const auto& r : *plan) out.push_back(r.Name() + " " + r.date.ToString());
  return out;
}

}  // namespace

TEST_CASE("reminders are counted in working days across the National Day holiday") {
  // Appeal window closing Friday 2025-10-10: Oct 1–8 off, Sunday Sep 28 and Saturday
  // Oct 11 are make-up working days.
  CHECK(Plan("2025-10-10") == std::vector<std::string>{
                                  "before-5 2025-09-26", "before-3 2025-09-29",
                                  "before-1 2025-10-09", "due 2025-10-10",
                                  "escalation-1 2025-10-11"});
  // An ordinary week.
  CHECK(Plan("2025-11-28") == std::vector<std::string>{
                                  "before-5 2025-11-21", "before-3 2025-11-25",
                                  "before-1 2025-11-27", "due 2025-11-28",
                                  "escalation-1 2025-12-01"});
}

TEST_CASE("a deadline on a holiday is announced on the last working day before it, once") {
  // 2025-10-03 is inside the holiday: "due" moves to Sep 30, where "before-1" also
  // falls — one reminder, the more urgent. Sunday Sep 28 is a make-up working day, so
  // it is the 3rd working day before.
  CHECK(Plan("2025-10-03") == std::vector<std::string>{
                                  "before-5 2025-09-25", "before-3 2025-09-28",
                                  "due 2025-09-30", "escalation-1 2025-10-09"});
  ReminderPolicy on_the_calendar_day;
  on_the_calendar_day.non_working_days = true;
  CHECK(Plan("2025-10-03", on_the_calendar_day)[3] == "due 2025-10-03");
}

TEST_CASE("reminder instants are Beijing time of day") {
  ReminderPolicy p;
  p.before_working_days = {};
  p.escalate_after_working_days = {};
  p.send_at_minutes = 9 * 60 + 30;
  auto plan = PlanReminders(D("2025-11-28"), p, Calendar());
  REQUIRE(plan.ok());
  REQUIRE(plan->size() == 1);
  // 09:30 in Beijing is 01:30 UTC.
  CHECK(FormatUtcMillis((*plan)[0].at_ms) == "2025-11-28T01:30:00.000Z");
}

TEST_CASE("a reminder day in an uncovered year is an error, never a guess") {
  auto plan = PlanReminders(D("2026-12-31"), ReminderPolicy{}, Calendar());
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.status().code() == Code::kOutOfRange);
  CHECK(plan.status().message().find("2027") != std::string::npos);
}

TEST_CASE("reminder policies parse per kind over a default and name bad fields") {
  auto ok = ParseReminderPolicies(Json::parse(R"({
      "default": {"before_working_days": [3, 1], "send_at": "08:30"},
      "kinds": {"appeal_window": {"before_working_days": [2], "escalate_after_working_days": [1, 2]}}})"));
  REQUIRE(ok.ok());
  CHECK(ok->fallback.before_working_days == std::vector<int>{1, 3});
  CHECK(ok->For("plan_due").send_at_minutes == 8 * 60 + 30);
  CHECK(ok->For("appeal_window").before_working_days == std::vector<int>{2});
  CHECK(ok->For("appeal_window").send_at_minutes == 8 * 60 + 30);  // inherited
  CHECK(ok->For("appeal_window").escalate_after_working_days == std::vector<int>{1, 2});
  // Every kind not named is its built-in defaults over the default, resolved once; a
  // name that is not a kind gets the default itself. So it is without a document.
  const ReminderPolicies& parsed = *ok;
  const ReminderPolicies none;
  for (const ReminderPolicies* policies : {&parsed, &none}) {
    for (const std::string& kind : ReminderKinds()) {
      if (policies == &parsed && kind == "appeal_window") continue;
      INFO(kind);
      const ReminderPolicy expected = KindDefaults(kind, policies->fallback);
      const ReminderPolicy& got = policies->For(kind);
      CHECK(got.before_working_days == expected.before_working_days);
      CHECK(got.on_the_day == expected.on_the_day);
      CHECK(got.escalate_after_working_days == expected.escalate_after_working_days);
      CHECK(got.send_at_minutes == expected.send_at_minutes);
    }
    CHECK(policies->For("no_such_kind").before_working_days ==
          policies->fallback.before_working_days);
  }
  CHECK(none.For("adjustment_window").before_working_days == std::vector<int>{1, 5});
  CHECK(none.For("plan_due").escalate_after_working_days == std::vector<int>{1});
  struct Bad { const char* json; const char* names; };
  for (const Bad& b : std::vector<Bad>{
           {R"({"default": {"before_working_days": [0]}})", "reminders.default.before_working_days[0]"},
           {R"({"default": {"before_working_days": 5}})", "reminders.default.before_working_days"},
           {R"({"default": {"send_at": "25:00"}})", "reminders.default.send_at"},
           {R"({"default": {"on_the_day": "yes"}})", "reminders.default.on_the_day"},
           {R"({"default": {"loudly": true}})", "reminders.default.loudly"},
           {R"({"kinds": {"plan_due": {"escalate_after_working_days": ["1"]}}})", "reminders.kinds.plan_due.escalate_after_working_days[0]"},
           {R"({"kinds": []})", "reminders.kinds"},
           {R"({"often": 1})", "reminders.often"},
       }) {
    auto r = ParseReminderPolicies(Json::parse(b.json));
    INFO(b.json);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().rfind(b.names, 0) == 0);
  }
}
