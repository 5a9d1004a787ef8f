// LifecycleWorkflow ("lifecycle"): the yearly assessment lifecycle of one assessed unit
// in one cycle, as a Boost.MSM state machine (the machine lives only in
// lifecycle_workflow.cc; docs/lifecycle.md describes states, commands, guards and
// timers).
//
// Instance ids are "lifecycle/<year>/<scheme>/<unit>", e.g.
// "lifecycle/2026/city/gx-nanning"; the cycle instance "cycle/<year>/<scheme>" and its
// unit directory must exist when the lifecycle is created.
//
//   drafting → submitted ⇄ returned → reviewed → approved (plan v1 issued) →
//   in_execution → self_assessing ⇄ auditing → scored → published →
//   [appealed → decided → published again] → ready_for_ratification → ratified → archived
//
// Every command is checked for role, unit (a unit acts only on its own instance:
// Forbidden otherwise), order (no_transition: "cannot <command> while <state>; allowed
// now: …"), deadlines (cycle dates in Beijing time with the working-day calendar) and
// content; refusals carry the rule that failed and are journaled by the engine.
//
// Thread-safe: Decide builds a fresh machine per call; the calendar is read-only.
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/calendar.h"
#include "engine/calendar_in_force.h"
#include "engine/workflow.h"
#include "workflows/cycle_config.h"
#include "workflows/cycle_workflow.h"
#include "workflows/indicator_tree.h"

namespace govassess::workflows {

// "lifecycle/2026/city/gx-nanning".
std::string LifecycleId(int year, Scheme scheme, const std::string& unit_id);

// The id of an instance that belongs to a lifecycle, named after it: "<kind>/" and the
// lifecycle's id after "lifecycle/" (CompanionId("plan", "lifecycle/2026/city/gx-nanning")
// is "plan/2026/city/gx-nanning"); an id without that prefix is kept whole.
std::string CompanionId(const std::string& kind, const std::string& lifecycle_id);

// The plan history of a lifecycle: "plan/2026/city/gx-nanning", type "plan", data =
// PlanVersionsToJson (every version, each readable). Written in the same commit as
// the lifecycle transition that issues or adjusts the plan, and never otherwise.
std::string PlanHistoryId(const std::string& lifecycle_id);

// Type "plan": refuses every command; plan histories change through their lifecycle.
class PlanHistoryWorkflow final : public Workflow {
 public:
  std::string type() const override { return "plan"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;
};

// The self-assessment record of a lifecycle: "self_assessment/2026/city/gx-nanning",
// type "self_assessment", data {lifecycle, unit, submissions: [{n, report, submitted_on,
// by}]} — every submission, the first after a send_back too, each readable. Written in
// the same commit as submit_self_assessment, and never otherwise. The report lives here
// rather than in the lifecycle's own data, which every later command copies, compares
// and writes again: a report of a few hundred indicators with their evidence would
// otherwise cost every one of them.
std::string SelfAssessmentRecordId(const std::string& lifecycle_id);

// Type "self_assessment": refuses every command; records change through their lifecycle.
class SelfAssessmentRecordWorkflow final : public Workflow {
 public:
  std::string type() const override { return "self_assessment"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;
};

// Parsed plan histories by (instance id, version), so that the guards that read the
// plan (scores, totals, adjustments) do not re-parse and re-validate it per command.
// A version names one content (versions are checked at commit), so an entry is right
// for as long as the instance is at that version. Thread-safe.
//
// Bounded by count and by size (the histories' data as text: a real plan is tens of
// kilobytes, and parsed it takes several times that). Past either bound arbitrary other
// entries go; a history larger than the whole size bound is still kept, alone.
class PlanCache {
 public:
  explicit PlanCache(size_t capacity = 4096, size_t text_bytes = kDefaultTextBytes);
  static constexpr size_t kDefaultTextBytes = size_t{32} << 20;

  // The plan history `id` and the version it was read at, version-checked at commit:
  // ctx.version_of first, so that a hit neither loads nor parses the instance (its data
  // is tens of kilobytes for a real plan); ctx.load_shared on a miss. NotFound when
  // there is none; the parser's error when it is damaged (nothing is kept for it).
  Result<std::pair<std::shared_ptr<const PlanVersions>, int64_t>> Load(
      const DecideContext& context, const std::string& id) const;

  // Keeps `plans` as the history `id` at `version`, as a parse of it would, unless as
  // new a version is cached; others are dropped while over the bounds. For what Load
  // parsed, and for the version a committed decision wrote (Decision::after_commit), so
  // that its first reader does not parse it back. `text_bytes`: its data's size as text
  // (ApproxTextBytes).
  void Seed(const std::string& id, int64_t version, std::shared_ptr<const PlanVersions> plans,
            size_t text_bytes) const;

  // What the cache holds now: entries and their size as text.
  size_t size() const;
  size_t text_bytes() const;

 private:
  // The entry for `id` at `version`; null when there is none.
  std::shared_ptr<const PlanVersions> Find(const std::string& id, int64_t version) const;

  struct Entry {
    int64_t version = 0;
    std::shared_ptr<const PlanVersions> plans;
    size_t bytes = 0;  // the history's data as text
  };
  const size_t capacity_;
  const size_t text_bytes_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Entry> entries_;
  mutable size_t bytes_ = 0;  // the entries' sum; guarded by mu_
};

class LifecycleWorkflow final : public Workflow {
 public:
  // `calendar` is not owned and must outlive the workflow. Each decision counts with
  // the calendar in force when it starts (an admin may load next year's meanwhile).
  explicit LifecycleWorkflow(const CalendarInForce* calendar);
  ~LifecycleWorkflow() override;

  std::string type() const override { return "lifecycle"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;

  // The states, in lifecycle order, and the command names the machine knows
  // (besides "create" and the timer command "mark_overdue").
  static const std::vector<std::string>& States();
  static const std::vector<std::string>& Commands();
  // The commands that have a transition from `state` (whatever their guards say).
  static std::vector<std::string> AllowedIn(const std::string& state);

 private:
  const CalendarInForce* const calendar_;  // not owned
  CycleCache cycles_;
  PlanCache plans_;
};

// ---------------------------------------------------------------------------------
// Which steps are open when: the one answer the deadline timers ("mark_overdue"), the
// reminders ("remind" on the unit's notices, notices_workflow.h) and the command
// catalogue share. A step is open — somebody's to act on — only in some states:
//
//   plan_due                  drafting, returned (submitted, reviewed: with the office)
//   plan_review               submitted, reviewed (the office's review of the plan)
//   adjustment_window         in_execution, until the end of its last day
//   self_assessment_due       self_assessing (again when the audit sends items back)
//   lead_scoring_due,
//   onsite_verification_due   auditing (items sent back are the unit's: the audit waits)
//   results_due               scored
//   appeal_window             published, until the end of its last day, unless appealed
//   ratification_due          ready_for_ratification
//
// A timer of a step that is not open — left by older code, planned under an older
// reminder policy (cancellation names the ids of the cycle's current one), or fired
// late after the step was done or the window closed — is refused: journaled, consumed,
// nothing marked or sent.

// The lifecycle states in which `step` is open; empty for a step the lifecycle lacks.
const std::set<std::string>& StepOpenStates(const std::string& step);

// Who acts on `step`, and so receives its reminders (notices_workflow.h):
//   "unit"           plan_due, self_assessment_due, adjustment_window, appeal_window
//                    (the unit's users; escalations also its superior and the office)
//   "lead_assessor"  lead_scoring_due (the lead assessors named in the unit's plan;
//                    escalated to the office)
//   "office"         plan_review, onsite_verification_due, results_due (the office)
//   "committee"      ratification_due (the committee; escalated to the office)
//   and of the cycle's milestones the lifecycle does not track: midyear_check and
//   new_task_window the unit's, external_scores_due the office's.
// "unit" for an unknown step. The one answer: notice texts and calendar feeds read it.
const std::string& StepDoer(const std::string& step);

// The steps with a deadline timer ("mark_overdue"), in lifecycle order: the duties
// above — not plan_review (the office is reminded against plan_due) nor the windows
// (rights, not duties: a window that passes is not a fault).
const std::vector<std::string>& DeadlineSteps();

// Whether a reminder of `step` — `kind` "before", "due" or "escalation", planned
// against `deadline` (YYYY-MM-DD) — may still go out at `now_ms` to `lifecycle` as it
// is. OK, or Refused saying that the step is done or closed and the lifecycle's state.
// A duty is reminded and escalated while it is open, late or not (a unit that has not
// filed still has to). A window's reminders go out while it is open and before the end
// of its last day — never "closes today" after it closed, whichever of the reminder
// and close_appeal_window fires first after a down time; its escalation (only when the
// cycle asks for one: it says the window closed) only if the window went unused.
Status CheckReminderDue(const Instance& lifecycle, const std::string& step,
                        const std::string& kind, const std::string& deadline, int64_t now_ms);

// The assessment's workflows: "calendar" (the years an admin loads put in force in
// `calendar`), "units", "cycle", "lifecycle", "plan", "self_assessment" and "notices".
// `calendar` is not owned and must outlive the workflows.
std::vector<std::unique_ptr<Workflow>> MakeAssessmentWorkflows(CalendarInForce* calendar);

}  // namespace govassess::workflows
