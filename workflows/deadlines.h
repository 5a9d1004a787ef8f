// Deadlines: every date a cycle or one unit's lifecycle must meet, as a flat list —
// what a unit's calendar feed (ical.h), a "what is due" page or a digest lists.
//
// Two sources:
//   - the cycle (CycleConfig milestones, the same for every unit of the cycle): plan
//     filing, the adjustment filing window, the mid-year check, self-assessment,
//     scoring, on-site verification, external scores, results and ratification;
//   - the unit's lifecycle data (lifecycle_workflow.cc), for what only happens to that
//     unit: the appeal window that opens when it receives its result (data
//     "appeal_window": {"received", "closes", "working_days"}) and the new-major-task
//     windows of its new_task adjustment requests (data "adjustments"[]: kind
//     "new_task", "document_received").
// The lifecycle records no moved deadlines: a cycle date changes for every unit only
// when the cycle is replaced. Nothing here reads the reminder timers.
//
// Thread safety: pure functions over values; safe from any number of threads.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/calendar.h"
#include "engine/status.h"
#include "workflows/cycle_config.h"

namespace govassess::workflows {

struct Deadline {
  std::string step;   // "plan_due", "adjustment_window", "appeal_window", …
  std::string date;   // "YYYY-MM-DD": the last day (the deadline ends at 24:00 Beijing)
  std::string start;  // windows: the first day; empty for a single deadline
  std::string unit_id;       // empty for a cycle-wide deadline
  std::string lifecycle_id;  // "lifecycle/2026/city/gx-nanning"; empty for a cycle-wide one
  std::string cycle_id;      // "cycle/2026/city"
  // Tells apart several deadlines of one step of one lifecycle (the adjustment id,
  // e.g. "adj-2", for a new-task window); empty otherwise.
  std::string ref;
  // Where the lifecycle stands on this step, when UnitDeadlines is given its state:
  //   "open"    still to be done (or, for a window, still usable);
  //   "overdue" marked overdue by the lifecycle and not yet done;
  //   "done"    done, or a window the lifecycle has moved past (plan_due is done
  //             while the submitted plan is with the office, open again once returned);
  //   ""        not known (CycleDeadlines, or no state given).
  std::string status;
};

// Every milestone of the cycle, sorted by last day (then by step): plan_due,
// adjustment_window (window), midyear_check (window), self_assessment_due,
// lead_scoring_due, onsite_verification_due, external_scores_due, results_due,
// ratification_due. unit_id, lifecycle_id and status are empty.
// The appeal window and new-task windows are relative to events of one unit and are
// not cycle milestones. `calendar` is not consulted for these fixed dates (they are
// dates, not working-day counts); it is taken for symmetry with UnitDeadlines.
// Fails with InvalidArgument naming the milestone when a date is not "YYYY-MM-DD"
// (a config from ParseCycleConfig never fails).
Result<std::vector<Deadline>> CycleDeadlines(const CycleConfig& config,
                                             const WorkingDayCalendar& calendar);

// The cycle's deadlines for one unit plus those of its own lifecycle, sorted by last
// day. `lifecycle_data` and `lifecycle_state` are the lifecycle instance's data and
// state; an empty state leaves every status empty.
//   - appeal_window: from "received" to "closes" as recorded; when "closes" is absent,
//     the last day is computed as `working_days` (default: the cycle's) working days
//     after "received" with `calendar` (received 2025-09-30, 5 → 2025-10-14 across
//     National Day).
//   - new_task_window, one per new_task adjustment (ref = its id): from
//     "document_received" to the cycle's new_task_window_working_days working days
//     later. Always "done" when a state is given: the request is the application.
// A lifecycle deadline whose days the calendar does not cover is left out (it is not
// an error: the feed shows it once the year's arrangement is loaded). Malformed
// entries in the data are skipped.
// Fails like CycleDeadlines; InvalidArgument when lifecycle_id is not
// "lifecycle/<year>/<scheme>/<unit>".
Result<std::vector<Deadline>> UnitDeadlines(const CycleConfig& config,
                                            const WorkingDayCalendar& calendar,
                                            const std::string& lifecycle_id,
                                            const nlohmann::json& lifecycle_data,
                                            const std::string& lifecycle_state);

}  // namespace govassess::workflows
