// `govassess calendar`: the working-day calendar from the command line — deadline
// arithmetic in working days, and the admin's tools for loading next year's State
// Council arrangement into the shipped calendar file.
//
//   govassess calendar add-workdays --from 2025-09-30 --days 5    -> 2025-10-14
//   govassess calendar is-workday 2024-10-12                      -> yes
//   govassess calendar between --from 2025-09-30 --to 2025-10-14  -> 5
//   govassess calendar years
//   govassess calendar holidays 2025
//   govassess calendar convert --from-format holiday-cn 2027.json --out 2027-cn.json
//   govassess calendar merge calendars/cn.json 2027-cn.json --out calendars/cn.json
//
// The calendar file (format: engine/calendar_format.h, calendars/README.md) is
// --calendar FILE, else $GOVASSESS_CALENDAR, else calendars/cn.json in the directory
// above the executable's directory (an installation laid out as bin/ + calendars/),
// else calendars/cn.json in the source tree this binary was built from.
//
// This adapter reads and writes files; the calendar logic is in engine/calendar.h.
// Thread-safety: RunCalendarCommand keeps no state between calls, but reads the
// environment and the file system; call it from one thread at a time.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/status.h"

namespace govassess {

// Runs `govassess calendar <args...>`; `args` are the words after "calendar".
// On success writes the result to `out` and returns 0. On bad usage or bad input
// (malformed date or number, missing or unknown option, unknown sub-command, an
// unreadable or invalid calendar file, a date in a year the calendar does not
// cover) writes one line starting with "govassess calendar: " to `err`, nothing to
// `out`, and returns 2. Returns 1 when writing an --out file fails. `--help`
// prints the usage to `out` and returns 0.
int RunCalendarCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The calendar file to use when none is named (the order above). InvalidArgument,
// listing what was tried, when there is none.
Result<std::string> DefaultCalendarPath();

// Reads and parses a calendar file. InvalidArgument naming the file and the problem.
Result<WorkingDayCalendar> LoadCalendarFile(const std::string& path);

}  // namespace govassess
