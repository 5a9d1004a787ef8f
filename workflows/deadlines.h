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
//     "new_task", "document_received"), and the day each mid-year finding must be
//     rectified by (data "rectifications"[]: "rectify_by", ref the item's id).
// The lifecycle records no moved deadlines: a cycle date changes for every unit only
// when the cycle is replaced. Nothing here reads the reminder timers.
//
// Thread safety: pure functions over values; safe from any number of threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/calendar.h"
#include "engine/status.h"
#include "workflows/cycle_config.h"
#include "workflows/indicator_tree.h"

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
  // Who acts on this step (StepDoer, lifecycle_workflow.h): "unit", "lead_assessor",
  // "office" or "committee". The cycle milestones the lifecycle does not track have
  // their own: midyear_check and new_task_window the unit's, external_scores_due the
  // office's (it collects the external scores).
  std::string doer;
  // Whose calendar the deadline is listed for: "unit" (UnitDeadlines), the doer's role
  // (DeadlinesFor), or "" (CycleDeadlines: everybody's, information only).
  std::string reader;
  // Where the step stands for the reader, when the lifecycle's state is given:
  //   "open"    the reader's own step, still to be done (or, for a window, still
  //             usable): the feed gives it an alarm;
  //   "pending" somebody else's step, not yet done: information only, no alarm (the
  //             lead assessors' scoring in the unit's calendar); also the reader's own
  //             audit step while items are sent back (the unit holds the report);
  //   "overdue" marked overdue by the lifecycle and not yet done;
  //   "done"    done, or a window the lifecycle has moved past (plan_due is done
  //             while the submitted plan is with the office, open again once returned);
  //   "closed"  a window whose last day is before `today` (when given) and that the
  //             lifecycle has not moved past yet: it passed unused, nothing is left
  //             to do in it (the appeal window between its last day and the timer
  //             that closes it; the adjustment window from December on);
  //   ""        not known (CycleDeadlines, or no state given).
  // Done, open and overdue come from StepOpenStates (lifecycle_workflow.h), the table
  // the reminders and deadline timers use: a step is done once the lifecycle is past
  // the first state in which it is open and not in one of them any more.
  std::string status;
};

// A cycle milestone by its step name (those CycleDeadlines lists): its first day for a
// window, empty for a deadline, and its last day, as the cycle writes them (YYYY-MM-DD).
// nullopt for any other name — the appeal and new-task windows are a unit's, not the
// cycle's.
struct MilestoneDays {
  std::string start;
  std::string last;
};
std::optional<MilestoneDays> CycleMilestone(const Milestones& milestones, const std::string& step);

// Every milestone of the cycle, sorted by last day (then by step): plan_due,
// adjustment_window (window), midyear_check (window), self_assessment_due,
// lead_scoring_due, onsite_verification_due, external_scores_due, results_due,
// ratification_due. unit_id, lifecycle_id, reader and status are empty; doer is set.
// The appeal window and new-task windows are relative to events of one unit and are
// not cycle milestones. `calendar` is not consulted for these fixed dates (they are
// dates, not working-day counts); it is taken for symmetry with UnitDeadlines.
// Fails with InvalidArgument naming the milestone when a date is not "YYYY-MM-DD"
// (a config from ParseCycleConfig never fails).
Result<std::vector<Deadline>> CycleDeadlines(const CycleConfig& config,
                                             const WorkingDayCalendar& calendar);

// The cycle's deadlines for one unit plus those of its own lifecycle, sorted by last
// day, as the unit sees them (reader "unit"): its own steps "open" while still to be
// done, the lead assessors', the office's and the committee's "pending" (what happens
// when, for information: the feed gives them no alarm and says who acts).
// `lifecycle_data` and `lifecycle_state` are the lifecycle instance's data and state;
// an empty state leaves every status empty; `today` (Beijing) tells windows that passed
// ("closed") from those still open, and without it no window is closed.
//   - appeal_window: from "received" to "closes" as recorded; when "closes" is absent,
//     the last day is computed as `working_days` (default: the cycle's) working days
//     after "received" with `calendar` (received 2025-09-30, 5 → 2025-10-14 across
//     National Day).
//   - new_task_window, one per new_task adjustment (ref = its id): from
//     "document_received" to the cycle's new_task_window_working_days working days
//     later. Always "done" when a state is given: the request is the application.
//   - rectification, one per mid-year finding (ref = its item id, doer the unit), due
//     on its "rectify_by"; its status is the item's: "open" (to the unit; "pending" to
//     anyone else) while open, "overdue" once marked, "pending" while the office checks
//     a report, "done" once closed.
// A lifecycle deadline whose days the calendar does not cover is left out (it is not
// an error: the feed shows it once the year's arrangement is loaded). Malformed
// entries in the data are skipped.
// Fails like CycleDeadlines; InvalidArgument when lifecycle_id is not
// "lifecycle/<year>/<scheme>/<unit>".
Result<std::vector<Deadline>> UnitDeadlines(const CycleConfig& config,
                                            const WorkingDayCalendar& calendar,
                                            const std::string& lifecycle_id,
                                            const nlohmann::json& lifecycle_data,
                                            const std::string& lifecycle_state,
                                            std::optional<Date> today = std::nullopt);

// The same deadlines of one lifecycle as `reader` sees them: "unit" (= UnitDeadlines),
// or the doer of other steps — "lead_assessor", "office", "committee". The reader's own
// steps are "open" while still to be done, everybody else's "pending". A doer's feed
// lists those with doer == reader of each assessment it acts on (a lead assessor: the
// lifecycles whose plan names its unit as lead_assessor of an indicator) with an alarm
// when "open"; docs/notifications.md, "Calendar feeds". Fails like UnitDeadlines.
Result<std::vector<Deadline>> DeadlinesFor(const CycleConfig& config,
                                           const WorkingDayCalendar& calendar,
                                           const std::string& lifecycle_id,
                                           const nlohmann::json& lifecycle_data,
                                           const std::string& lifecycle_state,
                                           const std::string& reader,
                                           std::optional<Date> today = std::nullopt);

// A doer's own deadlines in one assessment, as its user-scoped feed lists them: those of
// DeadlinesFor(…, role) whose doer is `role` ("lead_assessor", "office", "committee";
// any other role has none). A lead assessor acts only on the assessments whose plan —
// `plan`, the newest version; null before the plan is approved — names `doer_unit` as
// lead_assessor of an indicator (LeadAssessorUnits). Fails like DeadlinesFor.
Result<std::vector<Deadline>> DoerDeadlines(const CycleConfig& config,
                                            const WorkingDayCalendar& calendar,
                                            const std::string& lifecycle_id,
                                            const nlohmann::json& lifecycle_data,
                                            const std::string& lifecycle_state,
                                            const std::string& role, const PlanVersions* plan,
                                            const std::string& doer_unit,
                                            std::optional<Date> today = std::nullopt);

}  // namespace govassess::workflows
