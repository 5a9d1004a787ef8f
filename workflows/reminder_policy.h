// ReminderPolicy: when people are reminded of a deadline, counted in working days.
//
// For each kind of deadline (plan_due, adjustment_window, self_assessment_due,
// appeal_window, …) a policy says: remind N working days before (default 5, 3, 1),
// on the day, and escalate M working days after (default 1: to the unit's superior
// and the office). Reminders fall on working days only unless the policy allows
// otherwise: a deadline on a holiday is announced on the last working day before it.
// Two reminders that land on the same day are sent once, as the more urgent one.
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

// Per kind of deadline, with a default for kinds not named.
struct ReminderPolicies {
  ReminderPolicy fallback;
  std::map<std::string, ReminderPolicy> by_kind;
  const ReminderPolicy& For(const std::string& kind) const;
};

// {"default": {...}, "kinds": {"appeal_window": {...}}} where a policy object has
// before_working_days, on_the_day, escalate_after_working_days, non_working_days and
// send_at ("HH:MM"); every field optional. InvalidArgument names the bad field.
Result<ReminderPolicies> ParseReminderPolicies(const nlohmann::json& json);

enum class ReminderKind { kBefore, kOnTheDay, kEscalation };
const char* ReminderKindName(ReminderKind kind);  // "before", "due", "escalation"

struct PlannedReminder {
  ReminderKind kind;
  int working_days = 0;  // before: N working days before; escalation: N after; due: 0
  Date date;             // the day it is sent (Beijing)
  int64_t at_ms = 0;     // the instant it is sent (UTC ms)
  // A stable name for the timer, e.g. "before-5", "due", "escalation-1".
  std::string Name() const;
};

// The reminders of `deadline` in date order. OutOfRange when a reminder day falls in
// a year the calendar does not cover.
Result<std::vector<PlannedReminder>> PlanReminders(Date deadline, const ReminderPolicy& policy,
                                                   const WorkingDayCalendar& calendar);

}  // namespace govassess::workflows
