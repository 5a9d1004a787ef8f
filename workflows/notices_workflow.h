// NoticesWorkflow ("notices"): the reminders, escalations and event notices one assessed
// unit has been sent about its lifecycle — the unit's record of them.
//
// One instance per lifecycle, id "notices/<year>/<scheme>/<unit>", created in the same
// commit as the lifecycle. The lifecycle sets one reminder timer on it per deadline, a
// chain: "<notices id>#<step>/<reminder>" for the first reminder planned
// (reminder_policy.h), whose payload lists the rest ("then"), and cancels the links that
// can be pending when the step is done (the first, and each whose predecessor is due
// already). A firing timer sends "remind", which reads the lifecycle first and refuses
// — journaled, the timer consumed, nothing sent, the chain ended — when the step is no
// longer open there (CheckReminderDue in lifecycle_workflow.h: done, with someone else,
// or a window that closed or was used); sent, it sets the timer of the chain's next
// reminder in the same commit. A reminder is passed over — accepted, sending nothing,
// result {sent: false, reason, next: the timer set}, each reminder passed over recorded
// in data.skipped — when a later one of its chain is due too (after a down time only
// the latest due goes out), and when it cannot go out but a later one still may (a
// window's escalation after its last reminders fired late): so that the chain goes on
// where a refusal would end it.
//
// When something happens to the assessment (a plan returned, a result published, …:
// docs/notifications.md) the lifecycle sets, in the same commit, a timer due at once,
// "<notices id>#event/<lifecycle version>-<event>", that sends "announce". Exactly
// once, like every timer; a notice that fires more than an hour after its instant (the
// server was down) is marked late.
//
// "remind" and "announce" append the notice and, in the same commit, hand it to every
// channel (the notification directory, notify_directory.h, says who and how):
//   - an inbox item per recipient user (inbox_workflow.h). A reminder goes to the doers
//     of its step (StepDoer, lifecycle_workflow.h), resolved when it fires: the unit's
//     own users for the unit's steps (plan_due, self_assessment_due, the windows), for
//     an escalation also the users of the unit's superior (its superior_id, else its
//     parent) and the office; the office's users alone for the office's steps
//     (plan_review, onsite_verification_due, results_due); for lead_scoring_due the
//     users with role lead_assessor of the units the plan's indicators name as lead
//     assessor (the plan history, read version-checked; none known: the office),
//     escalated to the office; for ratification_due the users with role committee,
//     escalated to the office. The entry is recorded on the unit's notices all the
//     same, with "audience" the doer, but the unit's users get nothing for it;
//     an event notice goes to the unit's users, or (payload "audience": "office", e.g.
//     an appeal the office must decide) to the office's users only;
//   - a delivery per recipient with an e-mail address when mail is configured (held
//     for the daily digest when the user chose one), and one per webhook that covers
//     the unit — for a reminder of somebody else's step, one that covers the unit of
//     one of its recipients (a lead assessor's, the office's) instead; a webhook
//     without units covers all (delivery_workflow.h). The delivery dispatcher sends
//     them.
// Ids are "<channel>/<recipient>/<year>/<scheme>/<unit>/<n>-<step>-<reminder>" (an
// event: "<n>-event-<event>"), n the notice's index in this instance, so a notice and
// its deliveries are unique.
//
// Commands:
//   remind     (timers only; refused when its     appends {n, step, reminder, kind,
//              step is not open in the            working_days, deadline, due_ms, sent_ms,
//              lifecycle)                         late, escalate_to, superior_unit,
//                                                 audience (the doer, if not the unit),
//                                                 lead_assessor_units, recipients}
//   announce   (timers only) {event, lifecycle,   appends {n, kind: "event", event,
//              lifecycle_version, actor_role,     lifecycle_version, actor_role, reason,
//              reason?, on, deadline?, details,   on, deadline, details, audience,
//              audience?}                         due_ms, sent_ms, late, recipients}
//   mark_read  [upto: number of entries]          the unit's users, the office, an admin
// Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/workflow.h"
#include "workflows/cycle_workflow.h"
#include "workflows/lifecycle_workflow.h"
#include "workflows/notify_directory.h"

namespace govassess::workflows {

// "lifecycle/2026/city/gx-nanning" → "notices/2026/city/gx-nanning".
std::string NoticesId(const std::string& lifecycle_id);

// A reminder's timer on a notices instance: "<notices id>#<step>/<reminder>", e.g.
// "notices/2026/city/gx-nanning#plan_due/before-5". The chain's, the cancellations' and
// the next link's ids are all this one.
std::string ReminderTimerId(const std::string& notices_id, const std::string& step,
                            const std::string& reminder);

// One reminder of a deadline's chain.
struct ChainedReminder {
  int64_t due_ms = 0;
  std::string kind;      // "before", "due", "escalation"
  std::string reminder;  // "before-5", "due", "escalation-1"
};

// The reminders a "remind" timer's payload stands for, in due order: its own (due_ms,
// kind, reminder) and those it lists after it ("then"); a timer planned by older code
// stands for its own only. The list ends at the first malformed link: the chain ends
// there rather than guess. Empty when the payload names no reminder.
std::vector<ChainedReminder> ChainOf(const nlohmann::json& payload);

// A link of a chain's "then" as ChainOf reads it: {"due_ms", "kind", "reminder"}.
nlohmann::json ChainLinkJson(const ChainedReminder& link);

class NoticesWorkflow final : public Workflow {
 public:
  std::string type() const override { return "notices"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;

 private:
  // Where a notices instance sits: its cycle, its unit, the unit's name and the unit
  // its escalations go to (empty when unknown).
  struct NoticeScope {
    std::string year, scheme, unit, unit_name, superior;
  };
  // The scope of `current`, names and superior from the cycle's unit tree (a missing
  // tree only loses them); nullopt when the id is not notices/<year>/<scheme>/<unit>.
  std::optional<NoticeScope> Scope(const Instance& current, const DecideContext& context) const;

  Decision Remind(const Instance& current, const Command& command,
                  const DecideContext& context) const;
  Decision Announce(const Instance& current, const Command& command,
                    const DecideContext& context) const;

  // The directory parsed once per version, not per reminder (it holds every user).
  std::shared_ptr<const NotifyDirectory> Directory(const DecideContext& context) const;

  CycleCache cycles_;  // the unit tree, for names and superiors
  PlanCache plans_;    // the plan histories, for the lead assessors of lead_scoring_due
  mutable std::mutex mu_;
  mutable int64_t directory_version_ = -1;
  mutable std::shared_ptr<const NotifyDirectory> directory_;
};

}  // namespace govassess::workflows
