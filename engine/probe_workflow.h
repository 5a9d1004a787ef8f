// ProbeWorkflow ("probe"): the smallest complete Workflow, used by the engine tests,
// the journal benchmark and the crash test, and a worked example of the interface.
//
// Commands:
//   create              — creates the instance in state "open" with {"count": 0}
//   step                — count += 1 (payload {"note": …} is stored as "last_note");
//                         payload {"refuse": true} makes it refuse (journaled refusal);
//                         payload {"timer": {"id", "due_ms"}} sets a timer that fires "ring"
//   cancel              — cancels timer payload.id
//   close               — state "closed"; later steps are refused
//   ring                — (sent by a timer) rings += 1; refused once closed
// Thread-safe (stateless).
#pragma once

#include "engine/workflow.h"

namespace govassess {

class ProbeWorkflow final : public Workflow {
 public:
  std::string type() const override { return "probe"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;
};

}  // namespace govassess
