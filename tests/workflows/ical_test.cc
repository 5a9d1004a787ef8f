// The iCalendar feed: folding, escaping, CRLF, exclusive DTEND, stable UIDs, alarms,
// and a small independent validator that every rendered feed must pass.
#include "workflows/ical.h"
#include "workflows/notice_text.h"

#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "tests/workflows/lifecycle_fixture.h"

namespace govassess::workflows {
namespace {

using Catch::Contains;
using testing::RealCalendar;

constexpr int64_t kNow = 1'776'906'000'000;  // 2026-04-23T01:00:00Z

// Physical lines (CRLF removed). REQUIRES: text ends with CRLF.
std::vector<std::string> PhysicalLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  for (size_t eol; (eol = text.find("\r\n", pos)) != std::string::npos; pos = eol + 2) {
    lines.push_back(text.substr(pos, eol - pos));
  }
  return lines;
}

// Content lines: continuation lines (leading space) joined to the line before.
std::vector<std::string> Unfold(const std::string& text) {
  std::vector<std::string> out;
  for (const std::string& l : PhysicalLines(text)) {
    if (!l.empty() && l[0] == ' ' && !out.empty()) {
      out.back() += l.substr(1);
    } else {
      out.push_back(l);
    }
  }
  return out;
}

bool ValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

// An independent, line-based check of what RFC 5545 requires of our feeds. Returns ""
// when valid, else the first problem.
std::string Validate(const std::string& text) {
  if (text.size() < 2 || text.compare(text.size() - 2, 2, "\r\n") != 0) return "no final CRLF";
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return "bare LF at " + std::to_string(i);
    if (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')) return "bare CR";
  }
  for (const std::string& l : PhysicalLines(text)) {
    if (l.size() > 75) return "line over 75 octets: " + l;
    if (!ValidUtf8(l.substr(l.empty() || l[0] != ' ' ? 0 : 1))) return "split UTF-8: " + l;
  }
  static const std::regex kLine("^([A-Z][A-Z0-9-]*)((;[A-Z-]+=[^;:]*)*):(.*)$");
  static const std::map<std::string, std::vector<std::string>> kRequired = {
      {"VCALENDAR", {"VERSION", "PRODID"}},
      {"VEVENT", {"UID", "DTSTAMP", "DTSTART"}},
      {"VALARM", {"ACTION", "TRIGGER", "DESCRIPTION"}}};
  std::vector<std::pair<std::string, std::map<std::string, int>>> stack;
  int calendars = 0;
  for (const std::string& l : Unfold(text)) {
    std::smatch m;
    if (!std::regex_match(l, m, kLine)) return "not a content line: " + l;
    const std::string name = m[1], value = m[4];
    if (name == "BEGIN") {
      if (stack.empty() && value != "VCALENDAR") return "outside VCALENDAR: " + value;
      calendars += value == "VCALENDAR";
      stack.push_back({value, {}});
      continue;
    }
    if (stack.empty()) return "property outside any component: " + l;
    if (name == "END") {
      if (stack.back().first != value) return "END:" + value + " closes " + stack.back().first;
      auto req = kRequired.find(value);
      if (req != kRequired.end()) {
        for (const std::string& p : req->second) {
          if (stack.back().second[p] != 1) return value + " needs exactly one " + p;
        }
      }
      stack.pop_back();
      continue;
    }
    stack.back().second[name]++;
    if (name == "DTSTAMP" && !std::regex_match(value, std::regex("^\\d{8}T\\d{6}Z$"))) {
      return "DTSTAMP not UTC: " + value;
    }
    if ((name == "DTSTART" || name == "DTEND") && !std::regex_match(value, std::regex("^\\d{8}$"))) {
      return name + " not a DATE: " + value;
    }
  }
  if (!stack.empty()) return "unclosed " + stack.back().first;
  return calendars == 1 ? "" : "expected one VCALENDAR";
}

std::vector<std::string> LinesStarting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  for (const std::string& l : Unfold(text)) {
    if (l.rfind(prefix, 0) == 0) out.push_back(l);
  }
  return out;
}

CalendarEvent Simple(const std::string& date, const std::string& end = "") {
  CalendarEvent e;
  e.uid = "lifecycle/2026/city/gx-nanning/plan_due@govassess";
  e.date = date;
  e.end_date = end;
  e.summary = "南宁市：绩效计划报送截止";
  return e;
}

Deadline PlanDue() {
  Deadline d;
  d.step = "plan_due";
  d.date = "2026-04-30";
  d.unit_id = "gx-nanning";
  d.lifecycle_id = "lifecycle/2026/city/gx-nanning";
  d.cycle_id = "cycle/2026/city";
  return d;
}

}  // namespace

TEST_CASE("the calendar header and CRLF everywhere", "[ical]") {
  const std::string text = RenderICalendar("南宁市绩效考评截止日", {Simple("2026-04-30")}, kNow);
  CHECK(Validate(text).empty());
  CHECK(text.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//GovAssess//Deadlines//ZH\r\n", 0) == 0);
  for (const char* line : {"CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:南宁市绩效考评截止日",
                           "X-WR-TIMEZONE:Asia/Shanghai", "DTSTAMP:20260423T010000Z",
                           "DTSTART;VALUE=DATE:20260430", "DTEND;VALUE=DATE:20260501",
                           "TRANSP:TRANSPARENT", "END:VCALENDAR"}) {
    CHECK_THAT(text, Contains(std::string("\r\n") + line + "\r\n"));
  }
  CHECK(ICalUtc(0) == "19700101T000000Z");
}

TEST_CASE("DTEND is the day after the last day", "[ical]") {
  struct Case {
    std::string date, end, dtstart, dtend;
  };
  const std::vector<Case> cases = {
      {"2026-04-30", "", "20260430", "20260501"},
      {"2026-12-31", "", "20261231", "20270101"},
      {"2028-02-28", "", "20280228", "20280229"},
      {"2026-11-20", "2026-11-30", "20261120", "20261201"},
      {"2026-11-20", "2026-11-19", "20261120", "20261121"},  // end before start: one day
      {"2026-11-20", "bad", "20261120", "20261121"},
  };
  for (const Case& c : cases) {
    INFO(c.date << ".." << c.end);
    const std::string text = RenderICalendar("x", {Simple(c.date, c.end)}, kNow);
    CHECK(Validate(text).empty());
    CHECK(LinesStarting(text, "DTSTART") == std::vector<std::string>{"DTSTART;VALUE=DATE:" + c.dtstart});
    CHECK(LinesStarting(text, "DTEND") == std::vector<std::string>{"DTEND;VALUE=DATE:" + c.dtend});
  }
  // An event without a valid date is left out.
  const std::string none = RenderICalendar("x", {Simple("2026-02-30")}, kNow);
  CHECK(Validate(none).empty());
  CHECK_THAT(none, !Contains("BEGIN:VEVENT"));
}

TEST_CASE("long Chinese lines fold at 75 octets and unfold to the same text", "[ical]") {
  CalendarEvent e = Simple("2026-04-30");
  e.summary.clear();
  for (int i = 0; i < 12; ++i) e.summary += "南宁市绩效计划报送截止";  // 11 × 3 octets each
  e.summary += "a";  // shift the alignment so a naive cut would split a character
  e.description = std::string(200, 'x');
  const std::string text = RenderICalendar("x", {e}, kNow);
  INFO(text);
  CHECK(Validate(text).empty());
  int continuations = 0;
  for (const std::string& l : PhysicalLines(text)) {
    CHECK(l.size() <= 75);
    continuations += !l.empty() && l[0] == ' ';
    CHECK(ValidUtf8(l.substr(!l.empty() && l[0] == ' ' ? 1 : 0)));
  }
  CHECK(continuations >= 5);
  CHECK(LinesStarting(text, "SUMMARY:") == std::vector<std::string>{"SUMMARY:" + e.summary});
  CHECK(LinesStarting(text, "DESCRIPTION:") == std::vector<std::string>{"DESCRIPTION:" + e.description});
}

TEST_CASE("TEXT values are escaped", "[ical]") {
  CalendarEvent e = Simple("2026-04-30");
  e.summary = "a,b;c\\d\ne";
  e.description = "line 1\r\nline 2\x01";
  e.categories = {"绩效考评", "x,y"};
  const std::string text = RenderICalendar("name; with, specials", {e}, kNow);
  CHECK(Validate(text).empty());
  CHECK(LinesStarting(text, "SUMMARY:") == std::vector<std::string>{"SUMMARY:a\\,b\\;c\\\\d\\ne"});
  CHECK(LinesStarting(text, "DESCRIPTION:") == std::vector<std::string>{"DESCRIPTION:line 1\\nline 2"});
  CHECK(LinesStarting(text, "CATEGORIES:") == std::vector<std::string>{"CATEGORIES:绩效考评,x\\,y"});
  CHECK(LinesStarting(text, "X-WR-CALNAME:") ==
        std::vector<std::string>{"X-WR-CALNAME:name\\; with\\, specials"});
}

TEST_CASE("an alarm only when asked, 09:00 on the alarm day", "[ical]") {
  struct Case {
    std::string name;
    std::string date, end;
    int working_days;
    std::string alarm_date;  // expected after SetAlarm
    std::string trigger;     // expected TRIGGER line, empty: no alarm
  };
  // clang-format off
  const std::vector<Case> cases = {
    {"none",                   "2026-04-30", "",           0, "",           ""},
    {"day before",             "2026-04-30", "",           1, "2026-04-29", "TRIGGER:-PT15H"},
    {"across National Day",    "2025-10-09", "",           1, "2025-09-30", "TRIGGER:-P8DT15H"},
    {"three working days",     "2026-04-30", "",           3, "2026-04-27", "TRIGGER:-P2DT15H"},
    {"window, from its end",   "2026-11-20", "2026-11-30", 1, "2026-11-27", "TRIGGER;RELATED=END:-P3DT15H"},
    {"uncovered: calendar days", "2027-01-10", "",         2, "",           "TRIGGER:-P1DT15H"},
  };
  // clang-format on
  for (const Case& c : cases) {
    INFO(c.name);
    CalendarEvent e = Simple(c.date, c.end);
    SetAlarm(&e, c.working_days, RealCalendar());
    CHECK(e.alarm_date == c.alarm_date);
    CHECK(e.alarm_working_days_before == c.working_days);
    const std::string text = RenderICalendar("x", {e}, kNow);
    CHECK(Validate(text).empty());
    if (c.trigger.empty()) {
      CHECK_THAT(text, !Contains("VALARM"));
    } else {
      CHECK(LinesStarting(text, "BEGIN:VALARM").size() == 1);
      CHECK(LinesStarting(text, "TRIGGER") == std::vector<std::string>{c.trigger});
      CHECK_THAT(text, Contains("ACTION:DISPLAY"));
    }
  }
}

TEST_CASE("events of deadlines: words, link and a UID stable across renders", "[ical]") {
  const std::string link = "https://govassess.example.gov.cn/lifecycle/2026/city/gx-nanning";
  CalendarEvent zh = EventFor(PlanDue(), "南宁市", "zh-CN", link);
  CHECK(zh.uid == "lifecycle/2026/city/gx-nanning/plan_due@govassess");
  CHECK(zh.date == "2026-04-30");
  CHECK(zh.end_date.empty());
  CHECK(zh.summary == "南宁市：绩效计划报送截止");
  CHECK_THAT(zh.description, Contains("2026年4月30日（星期四）") &&
                                 Contains("请于截止日前在系统中提交绩效计划并报绩效办审核") &&
                                 Contains(link));
  CHECK(zh.categories == std::vector<std::string>{"绩效考评", "绩效计划报送"});
  CHECK(zh.alarm_working_days_before == 0);
  CalendarEvent en = EventFor(PlanDue(), "南宁市", "en", "");
  CHECK(en.uid == zh.uid);
  CHECK(en.summary == "南宁市: Performance plan filing deadline");
  CHECK_THAT(en.description, Contains("Thursday, 30 April 2026"));

  // Same UID whatever the render time; other steps, units and refs differ.
  const std::string a = RenderICalendar("x", {zh}, kNow);
  const std::string b = RenderICalendar("x", {EventFor(PlanDue(), "南宁市", "zh-CN", link)}, kNow + 86'400'000);
  CHECK(LinesStarting(a, "UID:") == LinesStarting(b, "UID:"));
  CHECK(LinesStarting(a, "DTSTAMP:") != LinesStarting(b, "DTSTAMP:"));
  CHECK(LinesStarting(a, "URL:") == std::vector<std::string>{"URL:" + link});
  CHECK(LinesStarting(RenderICalendar("x", {en}, kNow), "URL").empty());
  Deadline other = PlanDue();
  other.lifecycle_id = "lifecycle/2026/city/gx-liuzhou";
  CHECK(EventFor(other, "", "zh-CN", "").uid != zh.uid);
  Deadline task = PlanDue();
  task.step = "new_task_window";
  task.start = "2026-09-01";
  task.date = "2026-10-20";
  task.ref = "adj-2";
  CalendarEvent t = EventFor(task, "", "zh-CN", "");
  CHECK(t.uid == "lifecycle/2026/city/gx-nanning/new_task_window/adj-2@govassess");
  CHECK(t.date == "2026-09-01");
  CHECK(t.end_date == "2026-10-20");
  CHECK(t.summary == "新增重大任务申报");
  // Rectification items: one deadline each, told apart by the item's id.
  Deadline item = PlanDue();
  item.step = "rectification";
  item.date = "2026-08-15";
  item.ref = "rect-2";
  item.status = "overdue";
  const CalendarEvent rect = EventFor(item, "南宁市", "zh-CN", "");
  CHECK(rect.uid == "lifecycle/2026/city/gx-nanning/rectification/rect-2@govassess");
  CHECK(rect.date == "2026-08-15");
  CHECK(rect.summary == "南宁市：中期核验问题整改（rect-2）截止（已逾期）");
  CHECK(rect.categories == std::vector<std::string>{"绩效考评", "中期核验问题整改"});
  CHECK_THAT(rect.description, Contains(StepAction("rectification", "zh-CN")));
  CHECK(EventFor(item, "", "en", "").summary ==
        "Mid-year finding rectification rect-2 deadline (overdue)");
  Deadline cyclewide = PlanDue();
  cyclewide.lifecycle_id.clear();
  CHECK(EventFor(cyclewide, "", "en", "").uid == "cycle/2026/city/plan_due@govassess");

  Deadline done = PlanDue();
  done.status = "done";
  CHECK(EventFor(done, "南宁市", "zh-CN", "").summary == "南宁市：绩效计划报送截止（已完成）");
  done.status = "overdue";
  CHECK(EventFor(done, "南宁市", "en", "").summary == "南宁市: Performance plan filing deadline (overdue)");

  // A window that passed unused: marked closed, and no action is asked any more.
  Deadline window = task;
  window.status = "closed";
  const CalendarEvent closed_zh = EventFor(window, "柳州市", "zh-CN", "");
  CHECK(closed_zh.summary == "柳州市：新增重大任务申报（已截止）");
  CHECK_THAT(closed_zh.description, Contains("状态：已截止"));
  CHECK_THAT(closed_zh.description, Contains("期限已过，不能再办理。"));
  CHECK_THAT(closed_zh.description, !Contains(StepAction("new_task_window", "zh-CN")));
  const CalendarEvent closed_en = EventFor(window, "Liuzhou", "en", "");
  CHECK_THAT(closed_en.summary, Catch::EndsWith(" (closed)"));
  CHECK_THAT(closed_en.description, Contains("nothing can be filed in it"));
}

TEST_CASE("a unit's whole feed validates", "[ical]") {
  const Json file = Json::parse(
      testing::ReadText(GOVASSESS_SOURCE_DIR "/workflows/data/cycle-2026-city.json"));
  auto config = ParseCycleConfig(file);
  REQUIRE(config.ok());
  const Json data{{"unit", "gx-nanning"},
                  {"appeal_window", {{"received", "2026-03-16"}, {"closes", "2026-03-23"}}}};
  auto deadlines = UnitDeadlines(*config, RealCalendar(), "lifecycle/2026/city/gx-nanning", data,
                                 "published");
  REQUIRE(deadlines.ok());
  for (const std::string lang : {"zh-CN", "en"}) {
    std::vector<CalendarEvent> events;
    for (const Deadline& d : *deadlines) {
      events.push_back(EventFor(d, "南宁市", lang, "https://govassess.example.gov.cn/x?a=1&b=2"));
      if (d.status != "done") SetAlarm(&events.back(), 3, RealCalendar());
    }
    const std::string text = RenderICalendar("南宁市 2026", events, kNow);
    INFO(text);
    CHECK(Validate(text).empty());
    CHECK(LinesStarting(text, "BEGIN:VEVENT").size() == deadlines->size());
    CHECK(LinesStarting(text, "BEGIN:VALARM").size() < deadlines->size());
  }
  // The validator itself rejects what it should.
  CHECK_FALSE(Validate("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n").empty());
  CHECK_FALSE(Validate("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nEND:VCALENDAR\n").empty());
  CHECK_FALSE(
      Validate("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
          .empty());
}

namespace {

// The VEVENT block of the event whose UID starts with `uid`, or "".
std::string EventBlock(const std::string& text, const std::string& uid) {
  const size_t at = text.find("UID:" + uid);
  if (at == std::string::npos) return "";
  const size_t begin = text.rfind("BEGIN:VEVENT", at);
  const size_t end = text.find("END:VEVENT", at);
  return text.substr(begin, end - begin);
}

}  // namespace

TEST_CASE("a submitted plan shows no open plan_due alarm in the unit's feed", "[ical]") {
  auto config = ParseCycleConfig(Json::parse(
      testing::ReadText(GOVASSESS_SOURCE_DIR "/workflows/data/cycle-2026-city.json")));
  REQUIRE(config.ok());
  const std::string id = "lifecycle/2026/city/gx-nanning";
  struct Case {
    std::string state;
    Json data;
    bool alarm;
    std::string summary;
  };
  const std::vector<Case> cases = {
      {"drafting", {{"overdue", Json::array()}}, true, "南宁市：绩效计划报送截止"},
      {"submitted", {{"overdue", Json::array()}}, false, "南宁市：绩效计划报送截止（已完成）"},
      {"reviewed", {{"overdue", Json::array()}}, false, "南宁市：绩效计划报送截止（已完成）"},
      {"returned", {{"overdue", Json::array()}}, true, "南宁市：绩效计划报送截止"},
      {"returned", {{"overdue", {"plan_due"}}}, false, "南宁市：绩效计划报送截止（已逾期）"},
  };
  for (const Case& c : cases) {
    INFO(c.state << " " << c.data.dump());
    auto deadlines = UnitDeadlines(*config, RealCalendar(), id, c.data, c.state);
    REQUIRE(deadlines.ok());
    std::vector<CalendarEvent> events;
    for (const Deadline& d : *deadlines) {
      events.push_back(EventFor(d, "南宁市", "zh-CN", ""));
      // As the feed route does: an alarm one working day before an open deadline.
      if (d.status == "open") SetAlarm(&events.back(), 1, RealCalendar());
    }
    const std::string block = EventBlock(RenderICalendar("南宁市", events, kNow), id + "/plan_due@");
    REQUIRE_FALSE(block.empty());
    CHECK((block.find("BEGIN:VALARM") != std::string::npos) == c.alarm);
    CHECK(block.find("SUMMARY:" + c.summary + "\r\n") != std::string::npos);
  }
}

namespace {

// The feed's events of `deadlines` as the feed route builds them: each deadline's event,
// with an alarm one working day before when it is open.
std::string RenderAsTheRouteDoes(const std::vector<Deadline>& deadlines, const std::string& unit_name,
                                 const std::string& lang) {
  std::vector<CalendarEvent> events;
  for (const Deadline& d : deadlines) {
    events.push_back(EventFor(d, unit_name, lang, ""));
    if (d.status == "open") SetAlarm(&events.back(), 1, RealCalendar());
  }
  return RenderICalendar("x", events, kNow);
}

std::string Line(const std::string& block, const std::string& prefix) {
  const size_t at = block.find("\r\n" + prefix);
  if (at == std::string::npos) return "";
  const size_t end = block.find("\r\n", at + 2);
  return block.substr(at + 2 + prefix.size(), end - at - 2 - prefix.size());
}

// Unfolds RFC 5545 continuation lines.
std::string Unfolded(std::string text) {
  for (size_t p = text.find("\r\n "); p != std::string::npos; p = text.find("\r\n ", p)) text.erase(p, 3);
  return text;
}

CycleConfig City2026() {
  auto config = ParseCycleConfig(Json::parse(
      testing::ReadText(GOVASSESS_SOURCE_DIR "/workflows/data/cycle-2026-city.json")));
  REQUIRE(config.ok());
  return *config;
}

}  // namespace

TEST_CASE("a unit's feed shows other people's steps as information, without an alarm", "[ical]") {
  const CycleConfig config = City2026();
  const std::string id = "lifecycle/2026/city/gx-nanning";
  const Json data{{"unit", "gx-nanning"}, {"overdue", Json::array()}};
  // Nanning's report is with the audit: the scoring and the verification run.
  auto deadlines = UnitDeadlines(config, RealCalendar(), id, data, "auditing");
  REQUIRE(deadlines.ok());
  const std::string zh = Unfolded(RenderAsTheRouteDoes(*deadlines, "南宁市", "zh-CN"));
  const std::string en = Unfolded(RenderAsTheRouteDoes(*deadlines, "南宁市", "en"));
  INFO(zh);
  struct Case {
    std::string step, zh_summary, en_summary, zh_who, en_who;
  };
  const std::vector<Case> cases = {
      {"lead_scoring_due", "南宁市：主考单位评分截止", "南宁市: Lead assessors' scoring due",
       "办理单位：主考单位（本单位无需办理", "Done by the lead assessors: nothing for your unit to do"},
      {"onsite_verification_due", "南宁市：绩效办察访核验截止",
       "南宁市: Performance office's on-site verification due", "办理单位：绩效办",
       "Done by the performance office"},
      {"external_scores_due", "南宁市：社会评价和创新评估结果报送截止",
       "南宁市: Social evaluation and innovation review scores due", "办理单位：绩效办",
       "Done by the performance office"},
      {"results_due", "南宁市：绩效办形成考评结果截止", "南宁市: Performance office's results due",
       "办理单位：绩效办", "Done by the performance office"},
      {"ratification_due", "南宁市：考评领导小组审定考评结果截止",
       "南宁市: Committee's ratification of results due", "办理单位：考评领导小组",
       "Done by the assessment committee"},
  };
  for (const Case& c : cases) {
    INFO(c.step);
    const std::string z = EventBlock(zh, id + "/" + c.step + "@");
    const std::string e = EventBlock(en, id + "/" + c.step + "@");
    REQUIRE_FALSE(z.empty());
    REQUIRE_FALSE(e.empty());
    CHECK(z.find("BEGIN:VALARM") == std::string::npos);
    CHECK(e.find("BEGIN:VALARM") == std::string::npos);
    CHECK(Line(z, "SUMMARY:") == c.zh_summary);
    CHECK(Line(e, "SUMMARY:") == c.en_summary);
    CHECK_THAT(Line(z, "DESCRIPTION:"), Contains(c.zh_who) && !Contains("请于截止日前") && !Contains("请主考单位"));
    CHECK_THAT(Line(e, "DESCRIPTION:"), Contains(c.en_who) && !Contains("before the deadline"));
  }
  // Never the committee's action as if it were the unit's.
  CHECK_THAT(en, !Contains("Deliberate on the unit's results"));
  CHECK_THAT(zh, !Contains("由考评领导小组审议、常委会审定该单位的考评结果"));

  // Its own steps still ahead are actions with an alarm; those behind it are done.
  const std::string self = EventBlock(zh, id + "/self_assessment_due@");
  CHECK(Line(self, "SUMMARY:") == "南宁市：自查自评报送截止（已完成）");
  CHECK(self.find("BEGIN:VALARM") == std::string::npos);
  auto drafting = UnitDeadlines(config, RealCalendar(), id, data, "in_execution");
  REQUIRE(drafting.ok());
  const std::string ahead = Unfolded(RenderAsTheRouteDoes(*drafting, "南宁市", "zh-CN"));
  const std::string own = EventBlock(ahead, id + "/self_assessment_due@");
  CHECK(own.find("BEGIN:VALARM") != std::string::npos);
  CHECK_THAT(Line(own, "DESCRIPTION:"), Contains("请于截止日前在系统中逐项填报指标完成情况"));
  CHECK(EventBlock(ahead, id + "/lead_scoring_due@").find("BEGIN:VALARM") == std::string::npos);
  CHECK(EventBlock(ahead, id + "/ratification_due@").find("BEGIN:VALARM") == std::string::npos);
}

TEST_CASE("a doer's view of its own step is an action with an alarm while it is open", "[ical]") {
  const CycleConfig config = City2026();
  const std::string id = "lifecycle/2026/city/gx-nanning";
  const Json data{{"unit", "gx-nanning"}, {"overdue", Json::array()}};
  struct Case {
    std::string state, reader, step, action;
  };
  const std::vector<Case> cases = {
      {"auditing", "lead_assessor", "lead_scoring_due", "请主考单位于截止日前在系统中完成所负责指标的审核评分"},
      {"auditing", "office", "onsite_verification_due", "请于截止日前完成察访核验"},
      {"scored", "office", "results_due", "请于截止日前汇总形成考评结果"},
      {"ready_for_ratification", "committee", "ratification_due", "请于截止日前由考评领导小组审议"},
  };
  for (const Case& c : cases) {
    INFO(c.reader << " " << c.step << " while " << c.state);
    auto v = DeadlinesFor(config, RealCalendar(), id, data, c.state, c.reader);
    REQUIRE(v.ok());
    const std::string block = EventBlock(Unfolded(RenderAsTheRouteDoes(*v, "南宁市", "zh-CN")), id + "/" + c.step + "@");
    CHECK(block.find("BEGIN:VALARM") != std::string::npos);
    CHECK_THAT(Line(block, "DESCRIPTION:"), Contains(c.action));
    // Done: no alarm any more.
    auto done = DeadlinesFor(config, RealCalendar(), id, data, "ratified", c.reader);
    REQUIRE(done.ok());
    const std::string after = EventBlock(RenderAsTheRouteDoes(*done, "南宁市", "zh-CN"), id + "/" + c.step + "@");
    CHECK(after.find("BEGIN:VALARM") == std::string::npos);
  }
}

TEST_CASE("the cycle-wide feed says who acts on each milestone", "[ical]") {
  auto deadlines = CycleDeadlines(City2026(), RealCalendar());
  REQUIRE(deadlines.ok());
  const std::string en = Unfolded(RenderAsTheRouteDoes(*deadlines, "", "en"));
  INFO(en);
  CHECK(LinesStarting(en, "BEGIN:VALARM").empty());
  const std::string ratification = EventBlock(en, "cycle/2026/city/ratification_due@");
  CHECK(Line(ratification, "SUMMARY:") == "Committee's ratification of results due");
  CHECK_THAT(Line(ratification, "DESCRIPTION:"),
             Contains("Done by the assessment committee: for information.") && !Contains("Deliberate"));
  const std::string plan = EventBlock(en, "cycle/2026/city/plan_due@");
  CHECK(Line(plan, "SUMMARY:") == "Units' performance plans due");
  CHECK_THAT(Line(plan, "DESCRIPTION:"), Contains("Done by the assessed units"));
}

}  // namespace govassess::workflows
