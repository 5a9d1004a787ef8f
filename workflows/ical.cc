#include "workflows/ical.h"

#include <cstdio>

#include "engine/date.h"
#include "workflows/notice_text.h"

namespace govassess::workflows {
namespace {

constexpr size_t kMaxOctets = 75;  // per physical line, CRLF not counted

// TEXT escaping (RFC 5545 §3.3.11). CR is dropped so CRLF and LF both become "\n".
std::string EscapeText(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;  // CR, other CTLs
        if (c == 0x7f) break;
        out += c;
    }
  }
  return out;
}

// Folds one content line into physical lines of at most 75 octets, each ended by CRLF;
// a continuation starts with one space. Never splits a UTF-8 sequence.
std::string Fold(const std::string& line) {
  std::string out;
  size_t pos = 0;
  size_t limit = kMaxOctets;
  while (line.size() - pos > limit) {
    size_t cut = pos + limit;
    // Back up to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx).
    while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    if (cut == pos) cut = pos + limit;  // not UTF-8: cut anyway rather than loop
    out.append(line, pos, cut - pos);
    out += "\r\n ";
    pos = cut;
    limit = kMaxOctets - 1;  // the leading space counts
  }
  out.append(line, pos, std::string::npos);
  out += "\r\n";
  return out;
}

std::string DateValue(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year(), d.month(), d.day());
  return buf;
}

// A signed duration in minutes as RFC 5545 dur-value: -2175 → "-P1DT12H15M".
std::string Duration(int64_t minutes) {
  if (minutes == 0) return "PT0S";
  std::string s = minutes < 0 ? "-P" : "P";
  const int64_t m = minutes < 0 ? -minutes : minutes;
  const int64_t days = m / 1440, hours = m % 1440 / 60, mins = m % 60;
  if (days > 0) s += std::to_string(days) + "D";
  if (hours > 0 || mins > 0) s += "T";
  if (hours > 0) s += std::to_string(hours) + "H";
  if (mins > 0) s += std::to_string(mins) + "M";
  return s;
}

constexpr int64_t kAlarmMinuteOfDay = 9 * 60;  // 09:00 local

// The VALARM of `e`, whose last day is `last` and which spans several days if `multi`.
std::string Alarm(const CalendarEvent& e, Date last, bool multi) {
  auto alarm_day = Date::Parse(e.alarm_date);
  const Date day = alarm_day.ok() ? *alarm_day : last.AddDays(-e.alarm_working_days_before);
  int64_t k = last.DaysSinceEpoch() - day.DaysSinceEpoch();  // days before the last day
  if (k < 0) k = 0;
  std::string out = Fold("BEGIN:VALARM") + Fold("ACTION:DISPLAY") +
                    Fold("DESCRIPTION:" + EscapeText(e.summary));
  if (multi) {
    // Relative to DTEND, i.e. 00:00 of the day after the last day.
    out += Fold("TRIGGER;RELATED=END:" + Duration(-(k + 1) * 1440 + kAlarmMinuteOfDay));
  } else {
    out += Fold("TRIGGER:" + Duration(-k * 1440 + kAlarmMinuteOfDay));
  }
  return out + Fold("END:VALARM");
}

bool HasControl(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// The statuses the summary shows: nothing is left to do, or it is late.
bool Marked(const std::string& status) {
  return status == "done" || status == "overdue" || status == "closed";
}

std::string StatusWord(const std::string& status, bool en) {
  if (status == "done") return en ? "done" : "已完成";
  if (status == "overdue") return en ? "overdue" : "已逾期";
  if (status == "open") return en ? "open" : "未完成";
  if (status == "pending") return en ? "not yet done" : "尚未完成";
  if (status == "closed") return en ? "closed" : "已截止";
  return "";
}

// Who acts, as the reader of somebody else's step names them: in a calendar of many
// units, the units' own steps are every assessed unit's.
std::string DoerName(const std::string& doer, bool en) {
  if (doer == "unit") return en ? "the assessed units" : "各被考评单位";
  return internal::DoerName(doer, en);
}

// A deadline of somebody else's, as its title says it: who does what by then.
struct InfoTitle {
  const char* step;
  const char* zh;
  const char* en;
};
// clang-format off
const InfoTitle kInfoTitles[] = {
  {"plan_due",                "各单位绩效计划报送截止",       "Units' performance plans due"},
  {"self_assessment_due",     "各单位自查自评报送截止",       "Units' self-assessment reports due"},
  {"lead_scoring_due",        "主考单位评分截止",             "Lead assessors' scoring due"},
  {"onsite_verification_due", "绩效办察访核验截止",           "Performance office's on-site verification due"},
  {"external_scores_due",     "社会评价和创新评估结果报送截止", "Social evaluation and innovation review scores due"},
  {"results_due",             "绩效办形成考评结果截止",       "Performance office's results due"},
  {"ratification_due",        "考评领导小组审定考评结果截止", "Committee's ratification of results due"},
};
// clang-format on

// The title of a deadline that is not the reader's; windows keep their label.
std::string InfoSummary(const Deadline& d, const std::string& label, bool window, bool en) {
  if (!window) {
    for (const InfoTitle& t : kInfoTitles) {
      if (d.step == t.step) return en ? t.en : t.zh;
    }
  }
  return label + (window ? "" : en ? " deadline" : "截止");
}

// What the reader of somebody else's deadline is told instead of an action.
std::string InfoLine(const Deadline& d, bool en) {
  const bool unit = d.reader == "unit";
  if (en) {
    return "Done by " + DoerName(d.doer, true) +
           (unit ? ": nothing for your unit to do; shown so you know what happens when."
                 : ": for information.");
  }
  return "办理单位：" + DoerName(d.doer, false) +
         (unit ? "（本单位无需办理，仅供了解考评进度）" : "（仅供了解考评进度）");
}

}  // namespace

std::string ICalUtc(int64_t utc_ms) {
  // internal::IsoUtc gives "2026-04-23T01:00:00.000Z".
  const std::string iso = internal::IsoUtc(utc_ms);
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2) + "T" + iso.substr(11, 2) +
         iso.substr(14, 2) + iso.substr(17, 2) + "Z";
}

std::string RenderICalendar(const std::string& calendar_name,
                            const std::vector<CalendarEvent>& events, int64_t now_ms) {
  std::string out = Fold("BEGIN:VCALENDAR") + Fold("VERSION:2.0") +
                    Fold("PRODID:-//GovAssess//Deadlines//ZH") + Fold("CALSCALE:GREGORIAN") +
                    Fold("METHOD:PUBLISH") + Fold("X-WR-CALNAME:" + EscapeText(calendar_name)) +
                    Fold("X-WR-TIMEZONE:Asia/Shanghai") +
                    Fold("REFRESH-INTERVAL;VALUE=DURATION:PT12H") + Fold("X-PUBLISHED-TTL:PT12H");
  const std::string stamp = ICalUtc(now_ms);
  for (const CalendarEvent& e : events) {
    auto first = Date::Parse(e.date);
    if (!first.ok()) continue;
    Date last = *first;
    if (auto end = Date::Parse(e.end_date); end.ok() && *end > *first) last = *end;
    const bool multi = last != *first;
    out += Fold("BEGIN:VEVENT");
    out += Fold("UID:" + EscapeText(e.uid));
    out += Fold("DTSTAMP:" + stamp);
    out += Fold("DTSTART;VALUE=DATE:" + DateValue(*first));
    out += Fold("DTEND;VALUE=DATE:" + DateValue(last.AddDays(1)));
    out += Fold("SUMMARY:" + EscapeText(e.summary));
    if (!e.description.empty()) out += Fold("DESCRIPTION:" + EscapeText(e.description));
    if (!e.url.empty() && !HasControl(e.url)) out += Fold("URL:" + e.url);
    if (!e.categories.empty()) {
      std::string cats;
      for (const std::string& c : e.categories) cats += (cats.empty() ? "" : ",") + EscapeText(c);
      out += Fold("CATEGORIES:" + cats);
    }
    out += Fold("TRANSP:TRANSPARENT");
    if (e.alarm_working_days_before > 0) out += Alarm(e, last, multi);
    out += Fold("END:VEVENT");
  }
  return out + Fold("END:VCALENDAR");
}

CalendarEvent EventFor(const Deadline& d, const std::string& unit_name, const std::string& lang,
                       const std::string& link) {
  const bool en = internal::IsEnglish(lang);
  const std::string step_label = StepLabel(d.step, lang);
  // A rectification item is one of several of its kind: its id tells them apart.
  const std::string label = d.step == "rectification" && !d.ref.empty()
                                ? step_label + (en ? " " + d.ref : "（" + d.ref + "）")
                                : step_label;
  CalendarEvent e;
  const std::string base = !d.lifecycle_id.empty() ? d.lifecycle_id
                           : !d.cycle_id.empty()   ? d.cycle_id
                                                   : "deadline";
  e.uid = base + "/" + d.step + (d.ref.empty() ? "" : "/" + d.ref) + "@govassess";
  const bool window = !d.start.empty() && d.start != d.date;
  e.date = window ? d.start : d.date;
  e.end_date = window ? d.date : "";

  // Somebody else's step (the lead assessors' scoring in a unit's calendar; every step
  // in the cycle-wide calendar, which has no reader): what happens when and who acts,
  // never the doer's action as if it were the reader's.
  const bool info = !d.doer.empty() && d.doer != d.reader;
  const std::string status = StatusWord(d.status, en);
  const bool closed = d.status == "closed";  // a window that passed: no action left
  const std::string title = info ? InfoSummary(d, label, window, en)
                                 : label + (window ? "" : en ? " deadline" : "截止");
  if (en) {
    e.summary = (unit_name.empty() ? "" : unit_name + ": ") + title;
    if (Marked(d.status)) e.summary += " (" + status + ")";
    e.description = window ? "Window: " + internal::LongDate(d.start, lang) + " to " +
                                 internal::LongDate(d.date, lang)
                           : "Deadline: " + internal::LongDate(d.date, lang);
    if (!status.empty()) e.description += "\nStatus: " + status;
    const std::string action = closed ? "The window has closed: nothing can be filed in it."
                               : info ? InfoLine(d, true)
                                      : StepAction(d.step, lang);
    e.description += "\n" + action;
    if (!link.empty()) e.description += "\nOpen in GovAssess: " + link;
    e.categories = {"GovAssess", step_label};
  } else {
    e.summary = (unit_name.empty() ? "" : unit_name + "：") + title;
    if (Marked(d.status)) e.summary += "（" + status + "）";
    e.description = window ? "期限：" + internal::LongDate(d.start, lang) + "至" +
                                 internal::LongDate(d.date, lang)
                           : "截止日期：" + internal::LongDate(d.date, lang);
    if (!status.empty()) e.description += "\n状态：" + status;
    const std::string action = closed ? "期限已过，不能再办理。"
                               : info ? InfoLine(d, false)
                                      : StepAction(d.step, lang);
    e.description += "\n" + action;
    if (!link.empty()) e.description += "\n办理入口：" + link;
    e.categories = {"绩效考评", step_label};
  }
  e.url = link;
  return e;
}

void SetAlarm(CalendarEvent* event, int working_days, const WorkingDayCalendar& calendar) {
  event->alarm_date.clear();
  if (working_days <= 0) {
    event->alarm_working_days_before = 0;
    return;
  }
  event->alarm_working_days_before = working_days;
  auto last = Date::Parse(event->end_date.empty() ? event->date : event->end_date);
  if (!last.ok()) return;
  auto day = calendar.AddWorkingDays(*last, -working_days);
  if (day.ok()) event->alarm_date = day->ToString();
}

}  // namespace govassess::workflows
