// ReminderPolicy: when people are reminded of a deadline, counted in working days.
//
// For each kind of deadline (plan_due, adjustment_window, self_assessment_due,
// appeal_window, …) a policy says: remind N working days before (default 5, 3, 1),
// on the day, and escalate M working days after (default 1: to the unit's superior
// and the office). Reminders fall on working days only unless the policy allows
// otherwise: a deadline on a holiday is announced on the last working day before it.
// Two reminders that land on the same day are sent once, as the more urgent one.
//
// Some kinds differ from that default by nature, and have built-in defaults
// (KindDefaults) that the cycle may still override kind by kind:
//   appeal_window      2 working days before the window closes and on its last day, no
//                      escalation: the window is only 5 working days long (so "5
//                      before" is the day the result arrives) and an appeal is a right,
//                      not a duty — letting it pass is not a fault.
//   adjustment_window  5 and 1 working days before the filing window closes and on its
//                      last day, no escalation: an adjustment is optional too.
//   plan_review        (the office's side of plan_due: a submitted plan waits for its
//                      review) 3 and 1 working days before and on the day, to the office,
//                      no escalation (there is nobody above the office to escalate to in
//                      the assessment; the leader approves after the office).
//
// PlanReminders is pure: it turns one deadline into dated reminder instants (Beijing
// time `send_at`, e.g. 09:00) that the lifecycle stores as engine timers.
// Thread-safe (values and pure functions).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/calendar.h"
#include "engine/date.h"
#include "engine/status.h"

namespace govassess::workflows {

struct ReminderPolicy {
  std::vector<int> before_working_days = {5, 3, 1};  // each ≥ 1
  bool on_the_day = true;
  std::vector<int> escalate_after_working_days = {1};  // each ≥ 1
  bool non_working_days = false;  // true: send on the calendar day even if it is a holiday
  int send_at_minutes = 9 * 60;   // Beijing time of day, minutes after midnight
};

// The kinds of deadline that have reminders, in lifecycle order: plan_due,
// plan_review, adjustment_window, self_assessment_due, lead_scoring_due,
// onsite_verification_due, results_due, appeal_window, ratification_due.
const std::vector<std::string>& ReminderKinds();

// `base` with the built-in defaults of `kind` applied (see the top of this file);
// `base` itself for a kind without any.
ReminderPolicy KindDefaults(const std::string& kind, ReminderPolicy base);

// Per kind of deadline, with a default for kinds not named.
struct ReminderPolicies {
  // `fallback` as the default, and every ReminderKinds() kind's policy: `given`'s when
  // it names the kind, else KindDefaults over `fallback`.
  static ReminderPolicies Resolve(ReminderPolicy fallback,
                                  std::map<std::string, ReminderPolicy> given = {});

  ReminderPolicy fallback;
  // Every ReminderKinds() kind's policy, resolved; by default KindDefaults over the
  // default policy.
  std::map<std::string, ReminderPolicy> by_kind = Resolve(ReminderPolicy{}).by_kind;
  // The kind's policy (by_kind), `fallback` for a kind that is not a ReminderKinds()
  // one. A reference: it is asked for on every transition.
  const ReminderPolicy& For(const std::string& kind) const;
};

// {"default": {...}, "kinds": {"appeal_window": {...}}} where a policy object has
// before_working_days, on_the_day, escalate_after_working_days, non_working_days and
// send_at ("HH:MM"); every field optional. A kind's policy starts from the default
// with the kind's built-in defaults over it (KindDefaults), then takes what it names:
// a "default" of before [3, 1] does not give the appeal window an escalation. Kinds
// must be ReminderKinds(). InvalidArgument names the bad field, e.g.
// "reminders.kinds.apeal_window: unknown kind (known: plan_due, …)".
Result<ReminderPolicies> ParseReminderPolicies(const nlohmann::json& json);

enum class ReminderKind { kBefore, kOnTheDay, kEscalation };
const char* ReminderKindName(ReminderKind kind);  // "before", "due", "escalation"
// The stable name of a reminder, which its timer's id ends with: "before-5" (5 working
// days before), "due", "escalation-1" (1 working day after).
std::string ReminderName(ReminderKind kind, int working_days);

struct PlannedReminder {
  ReminderKind kind;
  int working_days = 0;  // before: N working days before; escalation: N after; due: 0
  Date date;             // the day it is sent (Beijing)
  int64_t at_ms = 0;     // the instant it is sent (UTC ms)
  // ReminderName(kind, working_days).
  std::string Name() const;
};

// The reminders of `deadline` in date order. OutOfRange when a reminder day falls in
// a year the calendar does not cover. An empty list is not an error (a policy may ask
// for nothing).
Result<std::vector<PlannedReminder>> PlanReminders(Date deadline, const ReminderPolicy& policy,
                                                   const WorkingDayCalendar& calendar);

}  // namespace govassess::workflows
