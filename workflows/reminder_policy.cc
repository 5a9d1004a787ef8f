#include "workflows/reminder_policy.h"

#include <algorithm>

#include "workflows/china_time.h"

namespace govassess::workflows {
namespace {

using Json = nlohmann::json;

Result<std::vector<int>> ParseDays(const Json& j, const std::string& where) {
  if (!j.is_array()) return Status::InvalidArgument(where + ": a list of working-day counts");
  std::vector<int> out;
  for (size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_number_integer() || j[i].get<int64_t>() < 1 || j[i].get<int64_t>() > 60) {
      return Status::InvalidArgument(where + "[" + std::to_string(i) +
                                     "]: a whole number of working days from 1 to 60");
    }
    out.push_back(j[i].get<int>());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<ReminderPolicy> ParsePolicy(const Json& j, const std::string& where, ReminderPolicy p) {
  if (!j.is_object()) return Status::InvalidArgument(where + ": an object");
  for (const auto& [key, value] : j.items()) {
    const std::string at = where + "." + key;
    if (key == "before_working_days" || key == "escalate_after_working_days") {
      auto days = ParseDays(value, at);
      if (!days.ok()) return days.status();
      (key == "before_working_days" ? p.before_working_days : p.escalate_after_working_days) =
          *days;
    } else if (key == "on_the_day" || key == "non_working_days") {
      if (!value.is_boolean()) return Status::InvalidArgument(at + ": true or false");
      (key == "on_the_day" ? p.on_the_day : p.non_working_days) = value.get<bool>();
    } else if (key == "send_at") {
      const std::string t = value.is_string() ? value.get<std::string>() : "";
      if (t.size() != 5 || t[2] != ':' || !isdigit(t[0]) || !isdigit(t[1]) || !isdigit(t[3]) ||
          !isdigit(t[4]) || std::stoi(t.substr(0, 2)) > 23 || std::stoi(t.substr(3)) > 59) {
        return Status::InvalidArgument(at + ": a Beijing time of day like \"09:00\"");
      }
      p.send_at_minutes = std::stoi(t.substr(0, 2)) * 60 + std::stoi(t.substr(3));
    } else {
      return Status::InvalidArgument(at + ": unknown field");
    }
  }
  return p;
}

int Rank(ReminderKind k) { return k == ReminderKind::kEscalation ? 2 : k == ReminderKind::kOnTheDay ? 1 : 0; }

}  // namespace

const std::vector<std::string>& ReminderKinds() {
  static const std::vector<std::string> kKinds = {
      "plan_due",         "plan_review",          "adjustment_window",
      "self_assessment_due", "lead_scoring_due",  "onsite_verification_due",
      "results_due",      "appeal_window",        "ratification_due"};
  return kKinds;
}

ReminderPolicy KindDefaults(const std::string& kind, ReminderPolicy base) {
  // Only the fields that differ by nature; send_at and non_working_days stay the
  // cycle's. No escalation: an appeal and an adjustment are rights, not duties, and the
  // office's review has nobody to be escalated to.
  if (kind == "appeal_window") {
    base.before_working_days = {2};  // the window is 5 working days from the result
    base.on_the_day = true;
    base.escalate_after_working_days = {};
  } else if (kind == "adjustment_window") {
    base.before_working_days = {1, 5};
    base.on_the_day = true;
    base.escalate_after_working_days = {};
  } else if (kind == "plan_review") {
    base.before_working_days = {1, 3};
    base.on_the_day = true;
    base.escalate_after_working_days = {};
  }
  return base;
}

ReminderPolicies ReminderPolicies::Resolve(ReminderPolicy fallback,
                                           std::map<std::string, ReminderPolicy> given) {
  ReminderPolicies out{std::move(fallback), {}};
  for (const std::string& kind : ReminderKinds()) {
    auto it = given.find(kind);
    out.by_kind.emplace(kind, it != given.end() ? std::move(it->second)
                                                : KindDefaults(kind, out.fallback));
  }
  return out;
}

const ReminderPolicy& ReminderPolicies::For(const std::string& kind) const {
  auto it = by_kind.find(kind);
  return it == by_kind.end() ? fallback : it->second;
}

Result<ReminderPolicies> ParseReminderPolicies(const Json& j) {
  if (!j.is_object()) return Status::InvalidArgument("reminders: an object");
  ReminderPolicy fallback;
  std::map<std::string, ReminderPolicy> given;
  for (const auto& [key, value] : j.items()) {
    if (key == "default") {
      auto p = ParsePolicy(value, "reminders.default", ReminderPolicy{});
      if (!p.ok()) return p.status();
      fallback = *p;
    } else if (key != "kinds") {
      return Status::InvalidArgument("reminders." + key + ": unknown field");
    }
  }
  if (j.contains("kinds")) {
    if (!j["kinds"].is_object()) return Status::InvalidArgument("reminders.kinds: an object");
    const std::vector<std::string>& known = ReminderKinds();
    for (const auto& [kind, value] : j["kinds"].items()) {
      if (std::find(known.begin(), known.end(), kind) == known.end()) {
        std::string list;
        for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
        return Status::InvalidArgument("reminders.kinds." + kind + ": unknown kind (known: " +
                                       list + ")");
      }
      // A kind's policy starts from the default with the kind's own defaults over it,
      // and overrides what it names.
      auto p = ParsePolicy(value, "reminders.kinds." + kind, KindDefaults(kind, fallback));
      if (!p.ok()) return p.status();
      given[kind] = *p;
    }
  }
  return ReminderPolicies::Resolve(std::move(fallback), std::move(given));
}

const char* ReminderKindName(ReminderKind kind) {
  switch (kind) {
    case ReminderKind::kBefore: return "before";
    case ReminderKind::kOnTheDay: return "due";
    case ReminderKind::kEscalation: return "escalation";
  }
  return "before";
}

std::string ReminderName(ReminderKind kind, int working_days) {
  if (kind == ReminderKind::kOnTheDay) return "due";
  return std::string(ReminderKindName(kind)) + "-" + std::to_string(working_days);
}

std::string PlannedReminder::Name() const { return ReminderName(kind, working_days); }

Result<std::vector<PlannedReminder>> PlanReminders(Date deadline, const ReminderPolicy& policy,
                                                   const WorkingDayCalendar& calendar) {
  std::vector<PlannedReminder> plan;
  auto add = [&](ReminderKind kind, int n, Date day) {
    plan.push_back(PlannedReminder{kind, n, day, BeijingTimeMs(day, policy.send_at_minutes)});
  };
  for (int n : policy.before_working_days) {
    auto day = calendar.AddWorkingDays(deadline, -n);
    if (!day.ok()) return day.status();
    add(ReminderKind::kBefore, n, *day);
  }
  if (policy.on_the_day) {
    Date day = deadline;
    if (!policy.non_working_days) {
      auto working = calendar.IsWorkingDay(deadline);
      if (!working.ok()) return working.status();
      if (!*working) {
        // A deadline on a holiday is announced on the last working day before it.
        auto before = calendar.AddWorkingDays(deadline, -1);
        if (!before.ok()) return before.status();
        day = *before;
      }
    }
    add(ReminderKind::kOnTheDay, 0, day);
  }
  for (int n : policy.escalate_after_working_days) {
    auto day = calendar.AddWorkingDays(deadline, n);
    if (!day.ok()) return day.status();
    add(ReminderKind::kEscalation, n, *day);
  }
  // One reminder per day: the more urgent one wins.
  std::stable_sort(plan.begin(), plan.end(), [](const PlannedReminder& a, const PlannedReminder& b) {
    return a.date != b.date ? a.date < b.date : Rank(a.kind) > Rank(b.kind);
  });
  plan.erase(std::unique(plan.begin(), plan.end(),
                         [](const PlannedReminder& a, const PlannedReminder& b) {
                           return a.date == b.date;
                         }),
             plan.end());
  return plan;
}

}  // namespace govassess::workflows
