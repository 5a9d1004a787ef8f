// InboxItemWorkflow ("inbox_item"): one notice in one user's in-app inbox.
//
// Created "unread" by the notices workflow when a reminder or escalation fires, id
// "inbox/<user>/<year>/<scheme>/<unit>/<n>-<step>-<reminder>", data {user, audience,
// urgency, notice, sent_ms, facts: {unit_id, unit_name, year, scheme, step, reminder,
// kind, working_days, deadline, late, audience}}. Urgency is "overdue", "due_today",
// "urgent" or "upcoming" (notice_text.h).
//
// Commands: mark_read → "read", mark_unread → "unread"; only by the user it was sent to.
// Thread-safe (stateless).
#pragma once

#include <string>

#include "engine/workflow.h"

namespace govassess::workflows {

// "inbox/<username>/": every item of one user's inbox starts with this.
std::string InboxPrefix(const std::string& username);

class InboxItemWorkflow final : public Workflow {
 public:
  std::string type() const override { return "inbox_item"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;
};

}  // namespace govassess::workflows
