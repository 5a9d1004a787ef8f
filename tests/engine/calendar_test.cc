#include "engine/calendar.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/calendar_format.h"

namespace govassess {
namespace {

Date D(const std::string& text) {
  auto d = Date::Parse(text);
  INFO(text);
  REQUIRE(d.ok());
  return *d;
}

// The 2024 and 2025 arrangements as published by the State Council, in our format.
constexpr const char* kCalendar2024And2025 = R"json({
  "format": "govassess-calendar/1",
  "region": "cn",
  "weekend": ["sat", "sun"],
  "years": [
    {
      "year": 2024,
      "source": "国务院办公厅关于2024年部分节假日安排的通知",
      "holidays": [
        {"name": "元旦", "off": ["2024-01-01"]},
        {"name": "春节", "off": ["2024-02-10..2024-02-17"], "work": ["2024-02-04", "2024-02-18"]},
        {"name": "清明节", "off": ["2024-04-04..2024-04-06"], "work": ["2024-04-07"]},
        {"name": "劳动节", "off": ["2024-05-01..2024-05-05"], "work": ["2024-04-28", "2024-05-11"]},
        {"name": "端午节", "off": ["2024-06-10"]},
        {"name": "中秋节", "off": ["2024-09-15..2024-09-17"], "work": ["2024-09-14"]},
        {"name": "国庆节", "off": ["2024-10-01..2024-10-07"], "work": ["2024-09-29", "2024-10-12"]}
      ]
    },
    {
      "year": 2025,
      "source": "国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号)",
      "holidays": [
        {"name": "元旦", "off": ["2025-01-01"]},
        {"name": "春节", "off": ["2025-01-28..2025-02-04"], "work": ["2025-01-26", "2025-02-08"]},
        {"name": "清明节", "off": ["2025-04-04..2025-04-06"]},
        {"name": "劳动节", "off": ["2025-05-01..2025-05-05"], "work": ["2025-04-27"]},
        {"name": "端午节", "off": ["2025-05-31..2025-06-02"]},
        {"name": "国庆节、中秋节", "off": ["2025-10-01..2025-10-08"], "work": ["2025-09-28", "2025-10-11"]}
      ]
    }
  ]
})json";

WorkingDayCalendar Calendar2024And2025() {
  auto calendar = ParseCalendar(kCalendar2024And2025);
  INFO(calendar.status().ToString());
  REQUIRE(calendar.ok());
  return *calendar;
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_CASE("IsWorkingDay: weekends, holidays and make-up working days", "[calendar]") {
  const WorkingDayCalendar calendar = Calendar2024And2025();
  struct Case {
    const char* date;
    bool working;
    const char* why;
  };
  const std::vector<Case> cases = {
      {"2024-10-12", true, "Saturday make-up working day after National Day"},
      {"2024-10-13", false, "ordinary Sunday"},
      {"2024-10-07", false, "National Day holiday (Monday)"},
      {"2024-10-08", true, "first working day after National Day"},
      {"2025-10-11", true, "Saturday make-up working day"},
      {"2025-09-28", true, "Sunday make-up working day"},
      {"2025-10-08", false, "Wednesday inside the holiday"},
      {"2025-10-09", true, "Thursday after the holiday"},
      {"2025-01-01", false, "New Year's Day"},
      {"2025-01-26", true, "Sunday make-up working day before Spring Festival"},
      {"2025-02-08", true, "Saturday make-up working day after Spring Festival"},
      {"2025-03-12", true, "ordinary Wednesday"},
      {"2025-03-15", false, "ordinary Saturday"},
      {"2025-06-02", false, "Dragon Boat Festival (Monday)"},
  };
  for (const Case& c : cases) {
    INFO(c.date << ": " << c.why);
    auto working = calendar.IsWorkingDay(D(c.date));
    REQUIRE(working.ok());
    CHECK(*working == c.working);
  }
}

TEST_CASE("AddWorkingDays counts forward and backward", "[calendar]") {
  const WorkingDayCalendar calendar = Calendar2024And2025();
  struct Case {
    const char* from;
    int n;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"2025-09-30", 5, "2025-10-14"},  // Oct 1-8 off, Sat Oct 11 works
      {"2025-09-30", 1, "2025-10-09"},
      {"2025-09-30", 3, "2025-10-11"},  // the make-up Saturday counts
      {"2025-09-26", 1, "2025-09-28"},  // Friday -> make-up Sunday
      {"2025-09-30", 0, "2025-09-30"},
      {"2025-10-01", 0, "2025-10-01"},  // n = 0 returns `from` even on a day off
      {"2025-10-03", 1, "2025-10-09"},  // `from` may be a day off
      {"2025-10-14", -5, "2025-09-30"},
      {"2025-10-09", -1, "2025-09-30"},
      {"2025-10-13", -1, "2025-10-11"},
      {"2025-01-27", 1, "2025-02-05"},  // across Spring Festival
      {"2025-02-05", -1, "2025-01-27"},
      {"2024-12-31", 1, "2025-01-02"},  // across the year boundary
      {"2025-01-02", -1, "2024-12-31"},
      {"2024-09-30", 1, "2024-10-08"},
      {"2024-10-11", 1, "2024-10-12"},
      {"2025-03-03", 5, "2025-03-10"},  // ordinary week
  };
  for (const Case& c : cases) {
    INFO(c.from << " + " << c.n);
    auto result = calendar.AddWorkingDays(D(c.from), c.n);
    REQUIRE(result.ok());
    CHECK(result->ToString() == c.expected);
  }
}

TEST_CASE("Spring Festival 2025: the whole span is off", "[calendar]") {
  const WorkingDayCalendar calendar = Calendar2024And2025();
  for (Date d = D("2025-01-28"); d <= D("2025-02-04"); d = d.AddDays(1)) {
    INFO(d.ToString());
    CHECK(calendar.IsWorkingDay(d).value() == false);
  }
  // Jan 26 (Sun, make-up), Jan 27, Feb 5-7, Feb 8 (Sat, make-up), Feb 10.
  CHECK(calendar.WorkingDaysBetween(D("2025-01-24"), D("2025-02-10")).value() == 7);
  CHECK(calendar.WorkingDaysBetween(D("2025-02-10"), D("2025-01-24")).value() == -7);
  // Five working days to appeal, starting from a result received on 2025-01-27.
  CHECK(calendar.AddWorkingDays(D("2025-01-27"), 5).value() == D("2025-02-10"));
}

TEST_CASE("WorkingDaysBetween: convention and consistency with AddWorkingDays", "[calendar]") {
  const WorkingDayCalendar calendar = Calendar2024And2025();
  SECTION("fixed cases") {
    struct Case {
      const char* a;
      const char* b;
      int expected;
    };
    const std::vector<Case> cases = {
        {"2025-09-30", "2025-10-14", 5},   {"2025-10-14", "2025-09-30", -5},
        {"2025-09-30", "2025-09-30", 0},   {"2025-10-01", "2025-10-08", 0},
        {"2025-10-08", "2025-10-01", 0},   {"2025-10-10", "2025-10-11", 1},
        {"2025-10-12", "2025-10-11", -1},  {"2024-01-01", "2024-12-31", 251},
        {"2024-12-31", "2025-12-31", 248},
    };
    for (const Case& c : cases) {
      INFO(c.a << " -> " << c.b);
      auto between = calendar.WorkingDaysBetween(D(c.a), D(c.b));
      REQUIRE(between.ok());
      CHECK(*between == c.expected);
    }
  }
  SECTION("AddWorkingDays(a, n) == b implies WorkingDaysBetween(a, b) == n") {
    int checked = 0;
    int failures = 0;
    for (Date a = D("2024-03-01"); a <= D("2025-11-15"); a = a.AddDays(3)) {
      for (int n = -25; n <= 25; ++n) {
        auto b = calendar.AddWorkingDays(a, n);
        REQUIRE(b.ok());
        auto between = calendar.WorkingDaysBetween(a, *b);
        REQUIRE(between.ok());
        if (*between != n) ++failures;
        if (n != 0 && !calendar.IsWorkingDay(*b).value()) ++failures;
        ++checked;
      }
    }
    CHECK(checked > 10000);
    CHECK(failures == 0);
  }
  SECTION("agrees with counting IsWorkingDay day by day") {
    int failures = 0;
    const Date a = D("2024-06-01");
    int expected = 0;
    for (Date b = a.AddDays(1); b <= D("2025-12-31"); b = b.AddDays(1)) {
      expected += calendar.IsWorkingDay(b).value() ? 1 : 0;
      if (calendar.WorkingDaysBetween(a, b).value() != expected) ++failures;
    }
    CHECK(failures == 0);
  }
}

TEST_CASE("Uncovered years are OutOfRange, never guessed", "[calendar]") {
  const WorkingDayCalendar calendar = Calendar2024And2025();
  const std::string expected_2026 =
      "the calendar \"cn\" does not cover 2026; load the State Council arrangement for 2026 "
      "(covered: 2024\u20132025)";

  SECTION("the date itself") {
    auto r = calendar.IsWorkingDay(D("2026-01-05"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kOutOfRange);
    CHECK(r.status().message() == expected_2026);
    CHECK(calendar.IsWorkingDay(D("2023-12-29")).status().code() == Code::kOutOfRange);
  }
  SECTION("a walk forward into an uncovered year") {
    auto r = calendar.AddWorkingDays(D("2025-12-20"), 30);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kOutOfRange);
    CHECK(r.status().message() == expected_2026);
    // Still inside 2025: fine.
    CHECK(calendar.AddWorkingDays(D("2025-12-20"), 8).value() == D("2025-12-31"));
  }
  SECTION("a walk backward into an uncovered year") {
    auto r = calendar.AddWorkingDays(D("2024-01-05"), -10);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kOutOfRange);
    CHECK(r.status().message().find("does not cover 2023") != std::string::npos);
  }
  SECTION("counting across an uncovered year") {
    auto r = calendar.WorkingDaysBetween(D("2025-12-01"), D("2026-01-10"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kOutOfRange);
    CHECK(calendar.WorkingDaysBetween(D("2023-12-01"), D("2024-03-01")).status().code() ==
          Code::kOutOfRange);
  }
  SECTION("a gap between covered years") {
    WorkingDayCalendar gap = Calendar2024And2025();
    auto y2024 = gap.Year(2024);
    REQUIRE(y2024.ok());
    CalendarYear y2027 = *y2024;
    y2027.year = 2027;
    y2027.holidays = {Holiday{"元旦", {D("2027-01-01")}, {}}};
    REQUIRE(gap.AddYear(y2027).ok());
    CHECK(gap.CoveredYearsText() == "2024\u20132025, 2027");
    CHECK(gap.IsWorkingDay(D("2027-01-01")).value() == false);
    auto r = gap.AddWorkingDays(D("2025-12-30"), 5);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() ==
          "the calendar \"cn\" does not cover 2026; load the State Council arrangement for "
          "2026 (covered: 2024\u20132025, 2027)");
  }
  SECTION("an empty calendar") {
    WorkingDayCalendar empty("cn");
    CHECK(empty.CoveredYears().empty());
    CHECK(empty.IsWorkingDay(D("2025-01-02")).status().message() ==
          "the calendar \"cn\" does not cover 2025; load the State Council arrangement for "
          "2025 (covered: none)");
    CHECK(empty.AddWorkingDays(D("2025-01-02"), 1).status().code() == Code::kOutOfRange);
    CHECK(empty.AddWorkingDays(D("2025-01-02"), 0).value() == D("2025-01-02"));
    CHECK(empty.WorkingDaysBetween(D("2025-01-02"), D("2025-01-03")).status().code() ==
          Code::kOutOfRange);
  }
}

TEST_CASE("A December date is amended by the next year's notice", "[calendar]") {
  // The 2019 notice makes Saturday 2018-12-29 a working day and 2018-12-30/31 days off.
  CalendarYear y2018{2018, "2018 notice", {Holiday{"元旦", {D("2018-01-01")}, {}}}};
  CalendarYear y2019{
      2019,
      "2019 notice",
      {Holiday{"元旦", {D("2018-12-30"), D("2018-12-31"), D("2019-01-01")}, {D("2018-12-29")}}}};
  WorkingDayCalendar calendar("cn");
  REQUIRE(calendar.AddYear(y2019).ok());
  // 2018 is not covered: its December dates are not answered although listed.
  CHECK(calendar.IsWorkingDay(D("2018-12-29")).status().code() == Code::kOutOfRange);
  CHECK_FALSE(calendar.Covers(2018));

  REQUIRE(calendar.AddYear(y2018).ok());
  CHECK(calendar.IsWorkingDay(D("2018-12-29")).value() == true);   // Saturday, works
  CHECK(calendar.IsWorkingDay(D("2018-12-31")).value() == false);  // Monday, off
  CHECK(calendar.IsWorkingDay(D("2018-12-28")).value() == true);
  CHECK(calendar.AddWorkingDays(D("2018-12-28"), 1).value() == D("2018-12-29"));
  CHECK(calendar.AddWorkingDays(D("2018-12-29"), 1).value() == D("2019-01-02"));

  // Without 2019, December 2018 follows only the weekly rule.
  WorkingDayCalendar only_2018("cn");
  REQUIRE(only_2018.AddYear(y2018).ok());
  CHECK(only_2018.IsWorkingDay(D("2018-12-29")).value() == false);
  CHECK(only_2018.IsWorkingDay(D("2018-12-31")).value() == true);
}

TEST_CASE("AddYear validates and replaces", "[calendar]") {
  struct Case {
    const char* what;
    CalendarYear year;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"off and work on the same date",
       {2025,
        "s",
        {Holiday{"国庆节", {D("2025-10-01"), D("2025-10-11")}, {}},
         Holiday{"调休", {}, {D("2025-10-11")}}}},
       "the arrangement for 2025: 2025-10-11 is listed both as a day off (国庆节) and as a "
       "working day (调休)"},
      {"date after year+1",
       {2025, "s", {Holiday{"元旦", {D("2027-01-01")}, {}}}},
       "the arrangement for 2025: holiday \"元旦\" lists 2027-01-01, outside 2024..2026"},
      {"date before year-1",
       {2025, "s", {Holiday{"元旦", {D("2025-01-01")}, {D("2023-12-30")}}}},
       "the arrangement for 2025: holiday \"元旦\" lists 2023-12-30, outside 2024..2026"},
      {"no holidays",
       {2027, "placeholder", {}},
       "the arrangement for 2027: lists no holidays (an empty placeholder is not an "
       "arrangement; wait for the State Council notice)"},
      {"empty name",
       {2025, "s", {Holiday{"", {D("2025-01-01")}, {}}}},
       "the arrangement for 2025: a holiday has an empty name"},
      {"holiday without dates",
       {2025, "s", {Holiday{"元旦", {}, {}}}},
       "the arrangement for 2025: holiday \"元旦\" lists no dates"},
      {"no day off",
       {2025, "s", {Holiday{"调休", {}, {D("2025-01-04")}}}},
       "the arrangement for 2025: lists no day off"},
      {"year out of range",
       {0, "s", {Holiday{"元旦", {D("0001-01-01")}, {}}}},
       "the arrangement's year 0 is outside 1..9999"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    WorkingDayCalendar calendar = Calendar2024And2025();
    Status s = calendar.AddYear(c.year);
    CHECK(s.code() == Code::kInvalidArgument);
    CHECK(s.message() == c.message);
    // Nothing changed.
    CHECK(calendar.CoveredYears() == std::vector<int>{2024, 2025});
    CHECK(calendar.IsWorkingDay(D("2025-10-11")).value() == true);
  }

  SECTION("replacing a year replaces all its overrides") {
    WorkingDayCalendar calendar = Calendar2024And2025();
    CalendarYear replacement{2025, "amended", {Holiday{"元旦", {D("2025-01-01")}, {}}}};
    REQUIRE(calendar.AddYear(replacement).ok());
    CHECK(calendar.IsWorkingDay(D("2025-10-11")).value() == false);  // plain Saturday now
    CHECK(calendar.IsWorkingDay(D("2025-10-02")).value() == true);
    CHECK(calendar.Year(2025)->source == "amended");
  }
  SECTION("the same date off in two holidays, and duplicates, are fine") {
    WorkingDayCalendar calendar("cn");
    CalendarYear y{2025,
                   "s",
                   {Holiday{"国庆节", {D("2025-10-02"), D("2025-10-01"), D("2025-10-01")}, {}},
                    Holiday{"中秋节", {D("2025-10-01")}, {}}}};
    REQUIRE(calendar.AddYear(y).ok());
    // Dates are stored sorted and unique; holiday order is kept.
    auto holidays = calendar.Holidays(2025);
    REQUIRE(holidays.ok());
    REQUIRE(holidays->size() == 2);
    CHECK((*holidays)[0].name == "国庆节");
    CHECK((*holidays)[0].off == std::vector<Date>{D("2025-10-01"), D("2025-10-02")});
  }
}

TEST_CASE("Listing years and holidays", "[calendar]") {
  const WorkingDayCalendar calendar = Calendar2024And2025();
  CHECK(calendar.region() == "cn");
  CHECK(calendar.weekend() == WeekdaySet::SaturdaySunday());
  CHECK(calendar.Covers(2024));
  CHECK(calendar.Covers(2025));
  CHECK_FALSE(calendar.Covers(2026));
  CHECK(calendar.CoveredYears() == std::vector<int>{2024, 2025});
  CHECK(calendar.CoveredYearsText() == "2024\u20132025");
  auto holidays = calendar.Holidays(2025);
  REQUIRE(holidays.ok());
  REQUIRE(holidays->size() == 6);
  CHECK(holidays->at(1).name == "春节");
  CHECK(holidays->at(1).off.size() == 8);
  CHECK(holidays->at(1).work == std::vector<Date>{D("2025-01-26"), D("2025-02-08")});
  CHECK(calendar.Holidays(2026).status().code() == Code::kOutOfRange);
  CHECK(calendar.Year(2025)->source.find("国办发明电〔2024〕12号") != std::string::npos);
  CHECK(calendar.Years().size() == 2);
}

TEST_CASE("A custom weekend", "[calendar]") {
  // Friday and Saturday off, as in some regions.
  WorkingDayCalendar calendar("xx", WeekdaySet().With(Date::kFriday).With(Date::kSaturday));
  REQUIRE(calendar.AddYear({2025, "s", {Holiday{"new year", {D("2025-01-01")}, {}}}}).ok());
  CHECK(calendar.IsWorkingDay(D("2025-01-03")).value() == false);  // Friday
  CHECK(calendar.IsWorkingDay(D("2025-01-05")).value() == true);   // Sunday
  auto text = SerialiseCalendar(calendar);
  CHECK(text.find("\"weekend\": [\"fri\", \"sat\"]") != std::string::npos);
  auto back = ParseCalendar(text);
  REQUIRE(back.ok());
  CHECK(back->weekend() == calendar.weekend());
  CHECK(back->region() == "xx");
}

TEST_CASE("Calendar format: parse errors name the field", "[calendar][format]") {
  const std::string head =
      R"({"format": "govassess-calendar/1", "region": "cn", "weekend": ["sat", "sun"], )";
  auto with_years = [&](const std::string& years) { return head + "\"years\": " + years + "}"; };
  const std::string ok_year =
      R"({"year": 2024, "source": "s", "holidays": [{"name": "元旦", "off": ["2024-01-01"]}]})";
  struct Case {
    std::string what;
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"bad date deep inside",
       with_years("[" + ok_year + R"(, {"year": 2025, "source": "s", "holidays": [
          {"name": "元旦", "off": ["2025-01-01"]},
          {"name": "春节", "off": ["2025-13-01"]}]}])"),
       "years[1].holidays[1].off[0]: \"2025-13-01\" is not a valid date: month must be 01..12"},
      {"bad day in a range",
       with_years(
           R"([{"year": 2025, "source": "s", "holidays": [{"name": "x", "off": ["2025-02-27..2025-02-30"]}]}])"),
       "years[0].holidays[0].off[0] (range end): \"2025-02-30\" is not a valid date: February "
       "2025 has 28 days"},
      {"reversed range",
       with_years(
           R"([{"year": 2025, "source": "s", "holidays": [{"name": "x", "off": ["2025-02-04..2025-01-28"]}]}])"),
       "years[0].holidays[0].off[0]: \"2025-02-04..2025-01-28\": the range ends before it starts"},
      {"unknown field in a holiday",
       with_years(
           R"([{"year": 2025, "source": "s", "holidays": [{"name": "x", "off": [], "of": []}]}])"),
       "years[0].holidays[0]: unknown field \"of\" (expected name, off, work)"},
      {"unknown top-level field", head + R"("years": [], "comment": "x"})",
       "unknown field \"comment\" (expected format, region, weekend, years)"},
      {"missing off", with_years(R"([{"year": 2025, "source": "s", "holidays": [{"name": "x"}]}])"),
       "years[0].holidays[0]: missing field \"off\""},
      {"work not an array",
       with_years(
           R"([{"year": 2025, "source": "s", "holidays": [{"name": "x", "off": ["2025-01-01"], "work": "2025-01-04"}]}])"),
       "years[0].holidays[0].work: expected an array of dates, got string"},
      {"date not a string",
       with_years(
           R"([{"year": 2025, "source": "s", "holidays": [{"name": "x", "off": [20250101]}]}])"),
       "years[0].holidays[0].off[0]: expected a date string, got number"},
      {"year not an integer", with_years(R"([{"year": "2025", "source": "s", "holidays": []}])"),
       "years[0].year: expected an integer, got string"},
      {"empty source", with_years(R"([{"year": 2025, "source": "", "holidays": []}])"),
       "years[0].source: must not be empty"},
      {"a year twice", with_years("[" + ok_year + ", " + ok_year + "]"),
       "years[1].year: 2024 appears twice (also in years[0])"},
      {"AddYear validation carries the path",
       with_years(
           R"([{"year": 2025, "source": "s", "holidays": [{"name": "x", "off": ["2025-10-11"], "work": ["2025-10-11"]}]}])"),
       "years[0]: the arrangement for 2025: 2025-10-11 is listed both as a day off (x) and as "
       "a working day (x)"},
      {"empty year (placeholder)", with_years(R"([{"year": 2027, "source": "s", "holidays": []}])"),
       "years[0]: the arrangement for 2027: lists no holidays (an empty placeholder is not an "
       "arrangement; wait for the State Council notice)"},
      {"wrong format version",
       R"({"format": "govassess-calendar/2", "region": "cn", "weekend": [], "years": []})",
       "format: \"govassess-calendar/2\" is not supported (expected \"govassess-calendar/1\")"},
      {"missing format", R"({"region": "cn", "weekend": [], "years": []})",
       "missing field \"format\""},
      {"bad weekday",
       R"({"format": "govassess-calendar/1", "region": "cn", "weekend": ["sat", "sunday"], "years": []})",
       "weekend[1]: \"sunday\" is not a weekday (expected mon, tue, wed, thu, fri, sat or sun)"},
      {"empty region",
       R"({"format": "govassess-calendar/1", "region": "", "weekend": [], "years": []})",
       "region: must not be empty"},
      {"not an object", "[1, 2]", "a calendar must be a JSON object, got array"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    auto calendar = ParseCalendar(c.text);
    REQUIRE_FALSE(calendar.ok());
    CHECK(calendar.status().code() == Code::kInvalidArgument);
    CHECK(calendar.status().message() == c.message);
  }

  SECTION("JSON syntax errors give line and column") {
    auto calendar =
        ParseCalendar("{\n  \"format\": \"govassess-calendar/1\",\n  \"region\" \"cn\"\n}");
    REQUIRE_FALSE(calendar.ok());
    CHECK(calendar.status().message().rfind("invalid JSON: ", 0) == 0);
    CHECK(calendar.status().message().find("line 3") != std::string::npos);
  }
}

TEST_CASE("Calendar format: serialise and parse round-trip", "[calendar][format]") {
  const WorkingDayCalendar calendar = Calendar2024And2025();
  const std::string text = SerialiseCalendar(calendar);
  auto back = ParseCalendar(text);
  INFO(text);
  REQUIRE(back.ok());
  CHECK(back->Years() == calendar.Years());
  CHECK(back->region() == calendar.region());
  CHECK(back->weekend() == calendar.weekend());
  CHECK(SerialiseCalendar(*back) == text);
  // Compact: runs of 3+ days are ranges, pairs are written as two dates.
  CHECK(
      text.find(
          R"({"name": "春节", "off": ["2025-01-28..2025-02-04"], "work": ["2025-01-26", "2025-02-08"]})") !=
      std::string::npos);
  CHECK(text.find(R"({"name": "元旦", "off": ["2025-01-01"]})") != std::string::npos);

  SECTION("ParseCalendarYears returns one or many years") {
    auto years = ParseCalendarYears(text);
    REQUIRE(years.ok());
    REQUIRE(years->size() == 2);
    CHECK((*years)[0].year == 2024);
    CalendarDocument one{"cn", WeekdaySet::SaturdaySunday(), {(*years)[1]}};
    auto single = ParseCalendarYears(SerialiseCalendarDocument(one));
    REQUIRE(single.ok());
    REQUIRE(single->size() == 1);
    CHECK((*single)[0] == (*years)[1]);
  }
  SECTION("an empty calendar round-trips") {
    WorkingDayCalendar empty("cn");
    auto back_empty = ParseCalendar(SerialiseCalendar(empty));
    REQUIRE(back_empty.ok());
    CHECK(back_empty->CoveredYears().empty());
  }
  SECTION("names with quotes and backslashes are escaped") {
    WorkingDayCalendar odd("cn");
    REQUIRE(odd.AddYear(
                   {2025, "a \"quoted\" \\ source\nline", {Holiday{"x\"y", {D("2025-01-01")}, {}}}})
                .ok());
    auto back_odd = ParseCalendar(SerialiseCalendar(odd));
    REQUIRE(back_odd.ok());
    CHECK(back_odd->Years() == odd.Years());
  }
}

TEST_CASE("holiday-cn format", "[calendar][format]") {
  const std::string file = R"({
    "$schema": "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json",
    "year": 2019,
    "papers": ["http://www.gov.cn/a.htm", "http://www.gov.cn/b.htm"],
    "days": [
      {"name": "元旦", "date": "2018-12-29", "isOffDay": false},
      {"name": "元旦", "date": "2018-12-30", "isOffDay": true},
      {"name": "元旦", "date": "2018-12-31", "isOffDay": true},
      {"name": "元旦", "date": "2019-01-01", "isOffDay": true},
      {"name": "春节", "date": "2019-02-02", "isOffDay": false},
      {"name": "春节", "date": "2019-02-04", "isOffDay": true}
    ]
  })";
  auto year = ParseHolidayCn(file);
  INFO(year.status().ToString());
  REQUIRE(year.ok());
  CHECK(year->year == 2019);
  CHECK(year->source ==
        "http://www.gov.cn/a.htm http://www.gov.cn/b.htm (converted from holiday-cn 2019.json)");
  REQUIRE(year->holidays.size() == 2);
  CHECK(year->holidays[0].name == "元旦");
  CHECK(year->holidays[0].off ==
        std::vector<Date>{D("2018-12-30"), D("2018-12-31"), D("2019-01-01")});
  CHECK(year->holidays[0].work == std::vector<Date>{D("2018-12-29")});
  CHECK(year->holidays[1].name == "春节");

  struct Case {
    std::string what;
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"placeholder", R"({"year": 2027, "papers": [], "days": []})",
       "days: is empty: holiday-cn publishes an empty placeholder for a year whose State "
       "Council notice has not appeared; it is not an arrangement"},
      {"bad date",
       R"({"year": 2025, "papers": [], "days": [{"name": "a", "date": "2025-01-01", "isOffDay": true}, {"name": "a", "date": "2025-02-29", "isOffDay": true}]})",
       "days[1].date: \"2025-02-29\" is not a valid date: February 2025 has 28 days"},
      {"isOffDay not boolean",
       R"({"year": 2025, "papers": [], "days": [{"name": "a", "date": "2025-01-01", "isOffDay": "true"}]})",
       "days[0].isOffDay: expected a boolean, got string"},
      {"missing year", R"({"papers": [], "days": []})", "missing field \"year\""},
      {"conflict",
       R"({"year": 2025, "papers": [], "days": [{"name": "a", "date": "2025-01-01", "isOffDay": true}, {"name": "b", "date": "2025-01-01", "isOffDay": false}]})",
       "the arrangement for 2025: 2025-01-01 is listed both as a day off (a) and as a working "
       "day (b)"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    auto r = ParseHolidayCn(c.text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK(r.status().message() == c.message);
  }
}

// ---------------------------------------------------------------------------------
// The shipped calendar, checked day by day against the reference dataset.

constexpr const char* kShippedCalendar = GOVASSESS_SOURCE_DIR "/calendars/cn.json";

WorkingDayCalendar LoadShipped() {
  const std::string text = ReadFileOrEmpty(kShippedCalendar);
  INFO(kShippedCalendar);
  REQUIRE_FALSE(text.empty());
  auto calendar = ParseCalendar(text);
  INFO(calendar.status().ToString());
  REQUIRE(calendar.ok());
  return *calendar;
}

TEST_CASE("The shipped calendar calendars/cn.json", "[calendar][shipped]") {
  const WorkingDayCalendar calendar = LoadShipped();
  CHECK(calendar.region() == "cn");
  for (int y = 2018; y <= 2026; ++y) {
    INFO(y);
    CHECK(calendar.Covers(y));
    auto year = calendar.Year(y);
    REQUIRE(year.ok());
    CHECK_FALSE(year->source.empty());
    CHECK(year->source.find("gov.cn") != std::string::npos);
  }
  CHECK(calendar.AddWorkingDays(D("2025-09-30"), 5).value() == D("2025-10-14"));
  CHECK(calendar.IsWorkingDay(D("2024-10-12")).value() == true);
  CHECK(calendar.IsWorkingDay(D("2018-12-29")).value() == true);   // from the 2019 notice
  CHECK(calendar.IsWorkingDay(D("2020-02-03")).value() == true);   // after the COVID extension
  CHECK(calendar.IsWorkingDay(D("2020-02-01")).value() == false);  // make-up day cancelled
  CHECK(calendar.IsWorkingDay(D("2026-02-23")).value() == false);  // 9-day Spring Festival
  CHECK(calendar.IsWorkingDay(D("2027-01-04")).status().code() == Code::kOutOfRange);
  // The file is in canonical form: serialising it reproduces it byte for byte.
  CHECK(SerialiseCalendar(calendar) == ReadFileOrEmpty(kShippedCalendar));
}

#ifdef GOVASSESS_REFERENCE_DIR
constexpr const char* kReferenceDir = GOVASSESS_REFERENCE_DIR "/holiday-cn";
#else
constexpr const char* kReferenceDir = "";
#endif

TEST_CASE("The shipped calendar agrees with holiday-cn on every day", "[calendar][shipped]") {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (std::string(kReferenceDir).empty() || !fs::is_directory(kReferenceDir, ec)) {
    WARN("reference data " << kReferenceDir << " is absent: comparison skipped");
    return;
  }
  // The reference rule: listed isOffDay true -> off, false -> working, unlisted ->
  // Monday-Friday working. All files go into one date map.
  std::map<Date, bool> listed;  // date -> working
  std::vector<int> reference_years;
  WorkingDayCalendar converted("cn");
  for (const auto& entry : fs::directory_iterator(kReferenceDir)) {
    if (entry.path().extension() != ".json") continue;
    const std::string text = ReadFileOrEmpty(entry.path().string());
    const nlohmann::json file = nlohmann::json::parse(text);
    reference_years.push_back(file.at("year").get<int>());
    for (const auto& day : file.at("days")) {
      const Date d = D(day.at("date").get<std::string>());
      const bool working = !day.at("isOffDay").get<bool>();
      auto [it, inserted] = listed.emplace(d, working);
      INFO("conflicting reference entries for " << d.ToString());
      CHECK((inserted || it->second == working));
    }
    auto year = ParseHolidayCn(text);
    INFO(entry.path().string() << ": " << year.status().ToString());
    REQUIRE(year.ok());
    REQUIRE(converted.AddYear(*year).ok());
  }
  std::sort(reference_years.begin(), reference_years.end());
  REQUIRE_FALSE(reference_years.empty());

  const WorkingDayCalendar shipped = LoadShipped();
  int compared_years = 0;
  int compared_days = 0;
  std::vector<std::string> mismatches;
  for (int y : reference_years) {
    if (!shipped.Covers(y)) continue;
    ++compared_years;
    for (Date d(y, 1, 1); d.year() == y; d = d.AddDays(1)) {
      auto it = listed.find(d);
      const bool expected = it != listed.end() ? it->second : d.Weekday() < Date::kSaturday;
      auto ours = shipped.IsWorkingDay(d);
      auto theirs = converted.IsWorkingDay(d);
      REQUIRE(ours.ok());
      REQUIRE(theirs.ok());
      if (*ours != expected) mismatches.push_back("shipped " + d.ToString());
      if (*theirs != expected) mismatches.push_back("converted " + d.ToString());
      ++compared_days;
    }
  }
  std::string first_mismatches;
  for (size_t i = 0; i < mismatches.size() && i < 10; ++i) first_mismatches += " " + mismatches[i];
  INFO(mismatches.size() << " mismatching days; first:" << first_mismatches);
  CHECK(mismatches.empty());
  // 2018-2026 must have been compared.
  CHECK(compared_years >= 9);
  CHECK(compared_days >= 9 * 365);
  for (int y = 2018; y <= 2026; ++y) {
    INFO(y);
    CHECK(std::find(reference_years.begin(), reference_years.end(), y) != reference_years.end());
  }
}

}  // namespace
}  // namespace govassess
