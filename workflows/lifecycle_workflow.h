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
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/calendar.h"
#include "engine/workflow.h"
#include "workflows/cycle_config.h"
#include "workflows/cycle_workflow.h"
#include "workflows/indicator_tree.h"

namespace govassess::workflows {

// "lifecycle/2026/city/gx-nanning".
std::string LifecycleId(int year, Scheme scheme, const std::string& unit_id);

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

// Parsed plan histories by (instance id, version), so that the guards that read the
// plan (scores, totals, adjustments) do not re-parse and re-validate it per command.
// A version names one content (versions are checked at commit), so an entry is right
// for as long as the instance is at that version. Bounded; thread-safe.
class PlanCache {
 public:
  // The plan history `id` through ctx.load_shared (so the read is version-checked at
  // commit) and the version it was read at. NotFound when there is none; the parser's
  // error when it is damaged.
  Result<std::pair<std::shared_ptr<const PlanVersions>, int64_t>> Load(
      const DecideContext& context, const std::string& id) const;

 private:
  static constexpr size_t kCapacity = 4096;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, std::pair<int64_t, std::shared_ptr<const PlanVersions>>>
      entries_;
};

class LifecycleWorkflow final : public Workflow {
 public:
  // `calendar` is not owned and must outlive the workflow.
  explicit LifecycleWorkflow(const WorkingDayCalendar* calendar);
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
  const WorkingDayCalendar* const calendar_;  // not owned
  CycleCache cycles_;
  PlanCache plans_;
};

// Registers the "units", "cycle" and "lifecycle" workflows on `engine`-like registries.
// `calendar` is not owned and must outlive the workflows.
std::vector<std::unique_ptr<Workflow>> MakeAssessmentWorkflows(const WorkingDayCalendar* calendar);

}  // namespace govassess::workflows
