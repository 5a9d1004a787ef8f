// The working-day calendar's loaded years as a durable instance.
//
// CalendarWorkflow ("calendar", instance "calendar/<region>", e.g. "calendar/cn"): the
// State Council arrangements an admin loaded on top of the years shipped with the
// product (calendars/cn.json) — next year's, published late in the year, or a
// corrected or supplementary notice for a year already covered.
//
//   load      [admin]  payload: a calendar document (calendars/README.md: "format",
//             "region", "weekend", "years" — one year or several) → "active". Creates
//             the instance on first use. Each year is added, or replaces the one in force
//             (shipped or loaded before): replacing needs a reason, since deadlines
//             already counted were counted with the old one. The region and weekend must
//             be the shipped calendar's. A document that changes nothing is refused.
//   withdraw  [admin]  reason required; payload {"year": 2027}: takes back a loaded
//             year (a shipped year is corrected by loading, never withdrawn); the
//             shipped arrangement of that year, if any, is in force again.
//
// data: {"region": "cn", "years": [the loaded years as the calendar format writes
// them, ascending], "loaded": {"2027": {"by": user, "at": "…Z"}}}.
//
// The moment a load or withdrawal is durable the calendar in force changes
// (CalendarInForce::Put, in the decision's after_commit): every deadline counted after
// it — a window, a reminder, an appeal's five working days — counts with it. Timers
// already set keep their instants. A server puts the stored years in force when it
// starts (PutStoredCalendar) and again every second while it runs, so that a load sent
// through another process on the same database (a second server, `govassess calendar
// load`) counts in it within a second.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/calendar_in_force.h"
#include "engine/engine.h"
#include "engine/workflow.h"

namespace govassess::workflows {

// "calendar/cn".
std::string CalendarId(const std::string& region);

class CalendarWorkflow final : public Workflow {
 public:
  // `calendar` is not owned and must outlive the workflow.
  explicit CalendarWorkflow(CalendarInForce* calendar) : calendar_(calendar) {}
  std::string type() const override { return "calendar"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;

  // What an instance holds: the loaded years by year, and who loaded each
  // ({"2027": {"by": user, "at": "…Z"}}).
  struct Loaded {
    std::map<int, CalendarYear> years;
    Json by = Json::object();
  };

 private:
  Decision Load(const Instance& current, const Command& command, const std::string& now,
                Loaded loaded) const;
  Decision Withdraw(const Instance& current, const Command& command, Loaded loaded) const;

  CalendarInForce* const calendar_;  // not owned
};

// The years a calendar instance holds (its data.years), validated as the calendar
// format is. InvalidArgument naming the field when the data is damaged.
Result<std::vector<CalendarYear>> StoredYears(const Instance& calendar_instance);

// Puts the years stored in `engine`'s calendar instance of `calendar`'s region in
// force, when that instance is newer than the calendar in force; nothing when there is
// none. For a server starting, and every second while it runs. Unavailable when the
// store cannot be read; InvalidArgument when the stored years do not load.
Status PutStoredCalendar(Engine* engine, CalendarInForce* calendar);

}  // namespace govassess::workflows
