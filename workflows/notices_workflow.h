// NoticesWorkflow ("notices"): the reminders and escalations one assessed unit has been
// sent about the deadlines of its lifecycle — its in-app inbox.
//
// One instance per lifecycle, id "notices/<year>/<scheme>/<unit>", created in the same
// commit as the lifecycle. The lifecycle sets a reminder timer on it for every planned
// reminder of a deadline (reminder_policy.h) and cancels them when the step is done;
// a firing timer sends "remind", which appends the notice. Exactly once, like every
// timer; a notice that fires after its instant (the server was down) is marked late.
//
// Commands:
//   remind     (timers only)                     appends {step, reminder, kind, deadline,
//                                                 due_ms, sent_ms, late, escalate_to}
//   mark_read  [upto: number of entries]          the unit's users, the office, an admin
// Thread-safe (stateless).
#pragma once

#include <string>

#include "engine/workflow.h"

namespace govassess::workflows {

// "lifecycle/2026/city/gx-nanning" → "notices/2026/city/gx-nanning".
std::string NoticesId(const std::string& lifecycle_id);

class NoticesWorkflow final : public Workflow {
 public:
  std::string type() const override { return "notices"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;
};

}  // namespace govassess::workflows
