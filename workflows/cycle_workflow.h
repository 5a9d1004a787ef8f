// The cycle and the unit directory as durable instances, and grading of a category.
//
// UnitsWorkflow ("units", e.g. instance "units/guangxi"): holds one validated unit
// directory (workflows/units.h).
//   create  [admin, office]  payload {"directory": {...ParseUnits form...}}  → "active"
//   replace [admin]          payload {"directory": {...}}                    → "active"
//
// CycleWorkflow ("cycle", instance "cycle/<year>/<scheme>", e.g. "cycle/2026/city"):
// the year's work plan (workflows/cycle_config.h) and the category-level decisions.
//   create          [admin, office]  payload {"config": {...}, "units": "units/guangxi"}
//                   → "open". A bad config is refused with the field named; the id must
//                   match the config's year and scheme.
//   record_override [office, committee]  reason required; payload {"kind":
//                   "affirmation"|"downgrade", "unit", "area" (downgrade), "approver"}
//                   (一票肯定 / 降等, docs/scoring.md).
//   grade           [office]  payload {"category"}: reads every unit lifecycle of the
//                   category (ctx.load), which must all be ready_for_ratification with a
//                   total, assigns grades (AssignGrades) with the recorded overrides,
//                   writes each unit's grade into its lifecycle instance (other_writes,
//                   at the version read: a concurrent change is a Conflict, not a lost
//                   update) and keeps the table in data.grades[category].
//
// CycleCache: parsed cycle configurations by (instance id, version), so the lifecycle
// does not re-parse the cycle on every command. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "engine/workflow.h"
#include "workflows/cycle_config.h"
#include "workflows/units.h"

namespace govassess::workflows {

// "cycle/2026/city".
std::string CycleId(int year, Scheme scheme);

class UnitsWorkflow final : public Workflow {
 public:
  std::string type() const override { return "units"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;
};

// A cycle instance as the other workflows read it.
struct LoadedCycle {
  std::string id;
  int64_t version = 0;
  CycleConfig config;
  std::string units_id;  // the unit directory instance, e.g. "units/guangxi"
};

class CycleCache {
 public:
  // Loads the unit directory `id` through ctx.load_shared and parses it (cached by id
  // and version, so a large directory is parsed once, not per command).
  Result<std::shared_ptr<const UnitDirectory>> Units(const DecideContext& context,
                                                     const std::string& id) const;

  // Loads cycle `id` through ctx.load and parses it (cached by id and version).
  // NotFound when there is no such cycle; InvalidArgument when it is not a cycle.
  Result<std::shared_ptr<const LoadedCycle>> Load(const DecideContext& context,
                                                  const std::string& id) const;
  // The same for a cycle instance at hand (the cycle workflow's own instance).
  Result<std::shared_ptr<const LoadedCycle>> Parse(const Instance& cycle) const;

 private:
  mutable std::mutex mu_;
  mutable std::map<std::string, std::shared_ptr<const LoadedCycle>> cache_;
  mutable std::map<std::string, std::pair<int64_t, std::shared_ptr<const UnitDirectory>>> units_;
};

class CycleWorkflow final : public Workflow {
 public:
  std::string type() const override { return "cycle"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;

 private:
  CycleCache cycles_;  // its own configuration and unit directory, parsed once per version
};

}  // namespace govassess::workflows
