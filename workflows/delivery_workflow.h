// DeliveryWorkflow ("delivery"): one notice on its way out through one channel (e-mail
// or a webhook) to one recipient — the outbox of at-least-once delivery.
//
// Created by the notices workflow in the commit that records the notice, so no notice
// is lost between deciding and sending. Id "delivery/<channel>/<recipient>/<year>/
// <scheme>/<unit>/<n>-<step>-<reminder>"; the id is the delivery's idempotency key
// (the mail's Message-ID, the webhook's Idempotency-Key), so a receiver can drop the
// duplicate that at-least-once delivery may bring after a crash.
//
//   pending ──sent──▶ sent           held (for the daily digest) ──sent──▶ sent
//      │ failed: stays, next_at_ms = now + back-off (retry policy of the directory)
//      └─ the max_attempts-th failure in a row, or a permanent one ──▶ incident
//   incident ──retry (office, admin)──▶ pending (failures in a row start again)
//
// Data: {channel: "email"|"webhook", digest, to, user, language, notice, facts,
// next_at_ms, attempts, failures, retry: {max_attempts, first_delay_ms, max_delay_ms},
// last_error, sent_ms, incident_ms, history: [{at_ms, outcome, detail}]}.
//
// Commands:
//   sent    [detail?]              the dispatcher (role "system")
//   failed  [error, permanent?]    the dispatcher
//   retry                          office or admin: an incident goes out again
// Every send and every failure is a journaled command. Thread-safe (stateless).
#pragma once

#include <string>

#include "engine/workflow.h"

namespace govassess::workflows {

class DeliveryWorkflow final : public Workflow {
 public:
  std::string type() const override { return "delivery"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;
};

}  // namespace govassess::workflows
