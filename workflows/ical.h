// iCalendar (RFC 5545) feed of deadlines: one all-day VEVENT per deadline, so a unit
// can subscribe to its deadlines in Outlook, Apple Calendar, Thunderbird or a phone.
//
// What RenderICalendar writes (and why):
//   - CRLF line endings; lines folded at 75 octets (CRLF + one space), never inside a
//     UTF-8 sequence, so 3-octet Chinese characters stay whole (RFC 5545 §3.1).
//   - TEXT values escaped: backslash → "\\", ";" → "\;", "," → "\,", newline → "\n";
//     CR and other control characters except TAB are dropped (§3.3.11).
//   - VCALENDAR: VERSION:2.0, PRODID:-//GovAssess//Deadlines//ZH, CALSCALE:GREGORIAN,
//     METHOD:PUBLISH, X-WR-CALNAME, X-WR-TIMEZONE:Asia/Shanghai, and a refresh hint of
//     12 hours (REFRESH-INTERVAL, RFC 7986, and X-PUBLISHED-TTL).
//   - VEVENT: UID, DTSTAMP (UTC, from now_ms), DTSTART;VALUE=DATE, DTEND;VALUE=DATE
//     (exclusive: the day after the last day), SUMMARY, DESCRIPTION (if any), URL (if
//     any), CATEGORIES (if any), TRANSP:TRANSPARENT (a deadline does not make anyone
//     busy). All-day dates are floating, as the cycle's dates are China dates.
//   - VALARM only when alarm_working_days_before > 0: ACTION:DISPLAY, DESCRIPTION (the
//     summary) and a TRIGGER relative to the event that rings at 09:00 local time on
//     the alarm day. For a one-day event the trigger is relative to its start, e.g.
//     -PT15H for the day before; for a multi-day window it is relative to its end
//     (TRIGGER;RELATED=END), so it counts back from the window's last day. The alarm
//     day is `alarm_date` when set (SetAlarm computes it in working days); otherwise
//     alarm_working_days_before calendar days before the last day.
// Events whose date is not a valid "YYYY-MM-DD" are left out; an end_date that is
// invalid or before date is ignored (a one-day event).
//
// Thread safety: pure functions over values; safe from any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "workflows/deadlines.h"

namespace govassess::workflows {

struct CalendarEvent {
  std::string uid;       // stable across renders, so calendar apps update, not duplicate
  std::string date;      // "YYYY-MM-DD": the (first) day of the all-day event
  std::string end_date;  // optional "YYYY-MM-DD": the last day of a multi-day event
  std::string summary, description, url;
  std::vector<std::string> categories;
  int alarm_working_days_before = 0;  // 0: no alarm
  std::string alarm_date;  // optional "YYYY-MM-DD": the day the alarm rings (see above)
};

// The whole VCALENDAR text of `events` in the given order, named `calendar_name`.
std::string RenderICalendar(const std::string& calendar_name,
                            const std::vector<CalendarEvent>& events, int64_t now_ms);

// The event of one deadline for `unit_name` (may be empty) in `lang` ("en" or zh-CN):
//   uid          "<lifecycle_id or cycle_id>/<step>[/<ref>]@govassess"
//   date/end     start..date for a window, else the deadline date alone
//   summary      "南宁市：绩效计划报送截止" / "南宁市: Performance plan filing deadline",
//                with "（已完成）"/" (done)", "（已逾期）"/" (overdue)" or
//                "（已截止）"/" (closed)" by status
//   description  the deadline in words (zh with the weekday), StepAction (for a closed
//                window: that nothing can be filed in it any more), the link
// That is the doer's view (deadline.doer == deadline.reader, or no doer). A deadline of
// somebody else's — the lead assessors', the office's or the committee's step in a
// unit's calendar; every step of the cycle-wide calendar (no reader) — is information:
// its summary says who does what ("南宁市：主考单位评分截止" / "南宁市: Lead assessors'
// scoring due") and its description who acts ("办理单位：主考单位（本单位无需办理，…）"),
// never the doer's action. Its status is "pending" rather than "open", so a feed gives
// it no alarm.
//   url          `link` (may be empty); categories: product name and the step label.
// No alarm: use SetAlarm.
CalendarEvent EventFor(const Deadline& deadline, const std::string& unit_name,
                       const std::string& lang, const std::string& link);

// Asks for an alarm `working_days` working days before the event's last day, at 09:00.
// Sets alarm_working_days_before and, when `calendar` covers the days walked,
// alarm_date; when it does not, alarm_date stays empty and the render counts calendar
// days instead. working_days <= 0 removes the alarm.
void SetAlarm(CalendarEvent* event, int working_days, const WorkingDayCalendar& calendar);

// "20260423T010000Z", the UTC form of DTSTAMP.
std::string ICalUtc(int64_t utc_ms);

}  // namespace govassess::workflows
