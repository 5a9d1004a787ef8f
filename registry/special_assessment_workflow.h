// The special-assessment registry as workflows (BRIEF: "Special assessments (专项考核)
// and the registry"; docs/registry.md has the states, commands and roles).
//
// SpecialAssessmentWorkflow ("special_assessment"), one instance per item,
// "registry/item/<id>":
//
//   draft ──submit──▶ submitted ──approve──▶ approved ──license──▶ licensed ──retire──▶ retired
//     ▲  revise         │  ▲ │ return            (quota)   (committee)    │ ▲  renew / file /
//     │                 │  │ ▼                                           │ │  evaluate
//     │                 │ returned ──revise/submit                        ▼ │
//     │                 │                                            expired (validity passed)
//   withdraw (draft, submitted, returned) → withdrawn;  reject → rejected;
//   merge (on the survivor) closes the absorbed applications as merged (merged_into).
//
// RegistryBookWorkflow ("registry_book"), one instance per year, "registry/book/<year>"
// (registry/registry_book.h): configure (quota, licence format), import (licensed
// items an office already runs, all in one commit) and approve_plan (the committee
// approves the yearly plan: every approved item of the year is licensed at once).
//
// Items write their book in the same commit (Decision::other_writes), so the quota
// holds under concurrent approvals, and a merge closes every absorbed item and fixes
// the book in one commit. Duplicate review is computed outside Decide (it needs every
// item) by RegistryService and attached to the submit payload as "review"; approving
// an application whose review has a likely_duplicate match needs an override_reason.
//
// Both workflows are stateless apart from their configuration: thread-safe.
#pragma once

#include <memory>

#include "engine/engine.h"
#include "engine/workflow.h"
#include "registry/registry_book.h"
#include "registry/text_normalizer.h"

namespace govassess::registry {

class SpecialAssessmentWorkflow final : public Workflow {
 public:
  explicit SpecialAssessmentWorkflow(RegistryConfig config = {});
  std::string type() const override { return kItemType; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;

 private:
  RegistryConfig config_;
  TextNormalizer normalizer_;
};

class RegistryBookWorkflow final : public Workflow {
 public:
  explicit RegistryBookWorkflow(RegistryConfig config = {});
  std::string type() const override { return kBookType; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;

 private:
  Decision DecideBook(const Instance& current, const Command& command,
                      const DecideContext& context) const;

  RegistryConfig config_;
};

// Registers both workflows. REQUIRES: before the engine executes anything.
void RegisterRegistryWorkflows(Engine* engine, const RegistryConfig& config = {});

// Checks the objects of an import (a JSON array of {"name", "lead", "indicators":
// [strings], optional "id", "co_leads", "assessed_units", "basis", "scoring_rules",
// "licence_number", "valid_from", "valid_to"}). InvalidArgument naming the array
// index and the field, e.g. `item [3]: "indicators" must be an array of strings`.
Status ValidateImportItems(const Json& items);

}  // namespace govassess::registry
