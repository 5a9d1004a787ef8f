// The calendar workflow: an admin loads next year's State Council arrangement (or a
// corrected one) and every deadline counts with it from the moment it is durable.
// Played one year back: at the end of 2025, before the 2026 notice, with the shipped
// years up to 2025.
#include <catch2/catch.hpp>

#include "engine/calendar_format.h"
#include "tests/workflows/lifecycle_fixture.h"
#include "workflows/calendar_workflow.h"

using namespace govassess;
using namespace govassess::testing;

namespace {

// The shipped calendar as it stood before the 2026 notice: 2007–2025.
WorkingDayCalendar ShippedThrough2025() {
  WorkingDayCalendar cal(RealCalendar().region(), RealCalendar().weekend());
  for (const CalendarYear& year : RealCalendar().Years()) {
    if (year.year <= 2025) REQUIRE(cal.AddYear(year).ok());
  }
  return cal;
}

// A calendar document holding `years`, as an admin uploads it.
Json Document(const std::vector<CalendarYear>& years, const std::string& region = "cn") {
  CalendarDocument d{region, WeekdaySet::SaturdaySunday(), years};
  return Json::parse(SerialiseCalendarDocument(d));
}

CalendarYear Year(int y) { return *RealCalendar().Year(y); }

// A new major task received at the start of December: its 30 working days run into
// January of the next year.
Json NewTask() {
  return {{"change", testing::NewTaskChange()},
          {"kind", "new_task"},
          {"document_received", "2025-12-01"}};
}

const std::string kCalendar = "calendar/cn";

}  // namespace

TEST_CASE("calendar: next year's arrangement loaded by an admin counts deadlines at once") {
  CalendarInForce calendar(ShippedThrough2025());
  LifecycleHarness h(&calendar);
  h.SetUpCycle();
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.ToExecution("gx-nanning");
  h.At("2025-12-10");

  // Before the notice: the last day of the task's window lies in 2026, which nobody knows.
  auto early = h.Run("unit", "gx-nanning", id, "request_adjustment", NewTask(), "task");
  CHECK_FALSE(early.accepted);
  CHECK_THAT(early.refusal.message(), Catch::Contains("does not cover 2026"));

  // Only an admin loads a calendar; the refusal is journaled and changes nothing.
  auto by_office = h.Run("office", "", kCalendar, "load", Document({Year(2026)}), "", "calendar");
  CHECK(by_office.refusal.code() == Code::kForbidden);
  CHECK(h.store().ReadJournal(0, 100000)->back().outcome == "refused");
  CHECK_FALSE(calendar.Now().Covers(2026));

  auto loaded = h.Run("admin", "", kCalendar, "load", Document({Year(2026)}),
                      "国务院办公厅关于2026年部分节假日安排的通知", "calendar");
  INFO(loaded.refusal.message());
  REQUIRE(loaded.accepted);
  CHECK(loaded.result["added"] == Json::array({2026}));
  CHECK(loaded.result["covered"] == "2007–2026");
  CHECK(calendar.Now().Covers(2026));
  CHECK(calendar.version() == 1);
  CHECK(*calendar.Now().AddWorkingDays(Date::Parse("2025-12-01").value(), 30) ==
        Date::Parse("2026-01-13").value());  // 4 January is a make-up working day
  const Instance stored = h.Get(kCalendar);
  CHECK(stored.data["years"].size() == 1);
  CHECK(stored.data["loaded"]["2026"]["by"] == "admin-user");

  auto accepted = h.Run("unit", "gx-nanning", id, "request_adjustment", NewTask(), "task");
  INFO(accepted.refusal.message());
  CHECK(accepted.accepted);

  // A server starting over the same database puts the loaded years in force.
  CalendarInForce restarted(ShippedThrough2025());
  REQUIRE(workflows::PutStoredCalendar(&h.engine(), &restarted).ok());
  CHECK(restarted.Now().Covers(2026));
  CHECK(restarted.version() == stored.version);
  CHECK(restarted.Now().Years() == calendar.Now().Years());
}

TEST_CASE(
    "calendar: bad documents, loads that change nothing, and replacements are refused and change "
    "nothing") {
  CalendarInForce calendar(ShippedThrough2025());
  LifecycleHarness h(&calendar);
  REQUIRE(h.Run("admin", "", kCalendar, "load", Document({Year(2026)}), "", "calendar").accepted);
  const int64_t version = h.Get(kCalendar).version;
  const auto unchanged = [&] {
    CHECK(h.Get(kCalendar).version == version);
    CHECK(calendar.version() == version);
    CHECK(h.store().ReadJournal(0, 100000)->back().outcome == "refused");
  };
  auto load = [&](const Json& document, const std::string& reason = "") {
    return h.Run("admin", "", kCalendar, "load", document, reason, "calendar");
  };

  Json bad_date = Document({Year(2026)});
  bad_date["years"][0]["holidays"][1]["off"][0] = "2026-02-30";
  auto r = load(bad_date);
  CHECK_THAT(r.refusal.message(),
             Catch::StartsWith("payload.years[0].holidays[1].off[0]: \"2026-02-30\""));
  unchanged();

  Json unknown_field = Document({Year(2026)});
  unknown_field["years"][0]["wrok"] = Json::array();
  CHECK_THAT(load(unknown_field).refusal.message(), Catch::Contains("wrok"));
  unchanged();

  CHECK_THAT(load(Document({Year(2026)}, "hk")).refusal.message(),
             Catch::Contains("payload.region: \"hk\" is not this calendar's region \"cn\""));
  unchanged();

  Json sundays = Document({Year(2026)});
  sundays["weekend"] = Json::array({"sun"});
  CHECK_THAT(load(sundays).refusal.message(), Catch::Contains("payload.weekend"));
  unchanged();

  CHECK_THAT(h.Run("admin", "", "calendar/hk", "load", Document({Year(2026)}, "hk"), "", "calendar")
                 .refusal.message(),
             Catch::Contains("this server's calendar is calendar/cn"));

  // The same arrangement again, and a shipped year as shipped: nothing to load.
  CHECK_THAT(load(Document({Year(2026)})).refusal.message(),
             Catch::Contains("already holds the arrangement of 2026 as given"));
  unchanged();
  CHECK_THAT(load(Document({Year(2025)})).refusal.message(),
             Catch::Contains("already holds the arrangement of 2025"));
  unchanged();

  // A corrected arrangement of a year in force needs a reason: deadlines were counted
  // with the old one.
  CalendarYear corrected = Year(2025);
  corrected.holidays.push_back(Holiday{"补充", {Date::Parse("2025-12-31").value()}, {}});
  CHECK_THAT(
      load(Document({corrected})).refusal.message(),
      Catch::Contains("replacing the arrangement of 2025 changes deadlines already counted"));
  unchanged();
  CHECK(*calendar.Now().IsWorkingDay(Date::Parse("2025-12-31").value()) == true);
  auto replaced = load(Document({corrected}), "国务院办公厅补充通知");
  INFO(replaced.refusal.message());
  REQUIRE(replaced.accepted);
  CHECK(replaced.result["replaced"] == Json::array({2025}));
  CHECK(*calendar.Now().IsWorkingDay(Date::Parse("2025-12-31").value()) == false);

  // Withdrawing: a reason, and only a loaded year; the shipped 2025 is in force again.
  const int64_t before = h.Get(kCalendar).version;
  CHECK_THAT(
      h.Run("admin", "", kCalendar, "withdraw", {{"year", 2025}}, "", "calendar").refusal.message(),
      Catch::Contains("give a reason"));
  CHECK_THAT(h.Run("admin", "", kCalendar, "withdraw", {{"year", 2024}}, "错误", "calendar")
                 .refusal.message(),
             Catch::Contains("no arrangement of 2024 was loaded (loaded: 2025, 2026)"));
  CHECK(h.Get(kCalendar).version == before);
  auto withdrawn =
      h.Run("admin", "", kCalendar, "withdraw", {{"year", 2025}}, "补充通知有误", "calendar");
  REQUIRE(withdrawn.accepted);
  CHECK(withdrawn.result["shipped_again"] == true);
  CHECK(*calendar.Now().IsWorkingDay(Date::Parse("2025-12-31").value()) == true);
  REQUIRE(
      h.Run("admin", "", kCalendar, "withdraw", {{"year", 2026}}, "载入有误", "calendar").accepted);
  CHECK_FALSE(calendar.Now().Covers(2026));
  CHECK(calendar.Now().CoveredYearsText() == "2007–2025");
}
