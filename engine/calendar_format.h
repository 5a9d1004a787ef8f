// Calendar file formats: reading and writing working-day calendars as JSON text.
//
// Our format, "govassess-calendar/1" (documented field by field in
// calendars/README.md):
//
//   {
//     "format": "govassess-calendar/1",
//     "region": "cn",
//     "weekend": ["sat", "sun"],
//     "years": [
//       {
//         "year": 2025,
//         "source": "国务院办公厅关于2025年部分节假日安排的通知 https://www.gov.cn/...",
//         "holidays": [
//           {"name": "元旦", "off": ["2025-01-01"]},
//           {"name": "春节", "off": ["2025-01-28..2025-02-04"],
//            "work": ["2025-01-26", "2025-02-08"]}
//         ]
//       }
//     ]
//   }
//
// "off" and "work" hold dates "YYYY-MM-DD" or inclusive ranges "YYYY-MM-DD..YYYY-MM-DD";
// "work" may be omitted. Unknown fields are errors. One file may hold one or many
// years; a file holding just next year's arrangement is merged into the shipped
// calendar (see adapters/cli/calendar_command.h).
//
// Also read: the per-year files of the public holiday-cn dataset
// (github.com/NateScarlet/holiday-cn): {"year", "papers", "days": [{"name", "date",
// "isOffDay"}]}.
//
// Everything here works on strings; reading and writing files is the caller's job.
// Thread-safety: all functions are pure and may be called concurrently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/calendar.h"
#include "engine/status.h"

namespace govassess {

// The value of the "format" field this code reads and writes.
inline constexpr const char* kCalendarFormat = "govassess-calendar/1";

// The contents of one file in our format.
struct CalendarDocument {
  std::string region;
  WeekdaySet weekend;
  std::vector<CalendarYear> years;  // in file order
};

// Parses and validates a document in our format. Each year is validated as
// WorkingDayCalendar::AddYear() would; a year may appear only once.
// On failure returns InvalidArgument whose message starts with the JSON path of the
// offending value, e.g.
//   years[3].holidays[1].off[0]: "2025-13-01" is not a valid date: month must be 01..12
// or with the line and column of a JSON syntax error.
Result<CalendarDocument> ParseCalendarDocument(std::string_view json_text);

// Parses a document and loads all its years into a calendar for its region and
// weekend. Errors as ParseCalendarDocument().
Result<WorkingDayCalendar> ParseCalendar(std::string_view json_text);

// Parses a document and returns just its years (one or many), e.g. to merge next
// year's arrangement into a calendar with AddYear(). Errors as ParseCalendarDocument().
Result<std::vector<CalendarYear>> ParseCalendarYears(std::string_view json_text);

// Writes `calendar` in our format: years ascending, one holiday per line, runs of
// runs of three or more consecutive dates written as ranges. ParseCalendar(SerialiseCalendar(c))
// gives back the same years, region and weekend. Never fails.
std::string SerialiseCalendar(const WorkingDayCalendar& calendar);

// Writes a document with the given region, weekend and years (in the given order).
// REQUIRES: each year is valid for AddYear() (else the output will not parse back).
std::string SerialiseCalendarDocument(const CalendarDocument& document);

// Parses one holiday-cn year file. Days are grouped into holidays by name, in order
// of first appearance; "isOffDay": true goes to off, false to work. The source names
// the file's papers (notice URLs). Unknown fields are ignored (it is not our format).
// Returns InvalidArgument naming the field on malformed input, on a file without
// days (holiday-cn's placeholder for a year not yet published), or when the year is
// not valid for AddYear().
Result<CalendarYear> ParseHolidayCn(std::string_view json_text);

// The compact written form of sorted, unique dates, as SerialiseCalendar writes
// them: runs of three or more consecutive days as "first..last", other dates one by
// one, e.g. {"2025-01-26", "2025-01-28..2025-02-04", "2025-02-08"}.
// REQUIRES: `dates` sorted and unique.
std::vector<std::string> DateRangeStrings(const std::vector<Date>& dates);

// "mon" .. "sun" for weekday 0 .. 6 (as used in the "weekend" field).
// REQUIRES: 0 <= weekday <= 6.
const char* WeekdayKey(int weekday);

}  // namespace govassess
