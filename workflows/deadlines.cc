#include "workflows/deadlines.h"

#include <algorithm>
#include <set>

#include "engine/canonical_json.h"
#include "engine/date.h"
#include "workflows/cycle_workflow.h"
#include "workflows/lifecycle_workflow.h"

namespace govassess::workflows {
namespace {

using Json = nlohmann::json;

// The cycle milestones the lifecycle does not track (StepOpenStates has none for
// them): the state from which each is behind the assessment. Who acts on every step,
// these too, and the other steps' open states come from lifecycle_workflow.h.
struct Milestone {
  const char* step;
  const char* done_from;  // nullptr: always done once recorded (the request is the application)
};
// clang-format off
const Milestone kMilestones[] = {
  {"midyear_check",       "self_assessing"},
  {"external_scores_due", "scored"},
  {"new_task_window",     nullptr},
};
// clang-format on

const Milestone* FindMilestone(const std::string& step) {
  for (const Milestone& m : kMilestones) {
    if (step == m.step) return &m;
  }
  return nullptr;
}


// Index of `state` in the lifecycle's state order, or -1.
int StateIndex(const std::string& state) {
  const auto& states = LifecycleWorkflow::States();
  auto it = std::find(states.begin(), states.end(), state);
  return it == states.end() ? -1 : static_cast<int>(it - states.begin());
}

bool Contains(const Json& list, const std::string& value) {
  if (!list.is_array()) return false;
  return std::find(list.begin(), list.end(), Json(value)) != list.end();
}

std::string StringField(const Json& object, const char* field) {
  if (!object.is_object()) return "";
  auto it = object.find(field);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// Whether `step` is behind the lifecycle in `state`, and whether it is open in it now.
struct Standing {
  bool done = false;
  bool open_now = false;
};

Standing StandingOf(const std::string& step, const Json& data, const std::string& state) {
  Standing out;
  const int now = StateIndex(state);
  if (step == "appeal_window" && data.is_object() &&
      (data.contains("appeal") || data.value("appeal_used", Json()) == Json(true))) {
    out.done = true;
    return out;
  }
  if (const Milestone* m = FindMilestone(step)) {
    out.done = m->done_from == nullptr || (now >= 0 && now >= StateIndex(m->done_from));
    return out;
  }
  const std::set<std::string>& open = StepOpenStates(step);
  if (open.count(state) > 0) {
    out.open_now = true;
    return out;
  }
  // Past the first state in which it is open and in none of them now: done (plan_due
  // while the submitted plan is with the office; a window the lifecycle moved past).
  int first = -1;
  for (const std::string& s : open) {
    const int i = StateIndex(s);
    if (i >= 0 && (first < 0 || i < first)) first = i;
  }
  out.done = first >= 0 && now > first;
  return out;
}

// Items sent back: the lifecycle is self_assessing again after the audit started.
bool SentBack(const Json& data, const std::string& state) {
  if (state != "self_assessing" || !data.is_object()) return false;
  const Json& sent = Member(data, "sent_back");
  return sent.is_array() && !sent.empty();
}

std::string StatusOf(const Deadline& d, const Json& data, const std::string& state,
                     const std::optional<Date>& today) {
  if (state.empty()) return "";
  const Standing standing = StandingOf(d.step, data, state);
  if (standing.done) return "done";
  // A window (it has a first day) whose last day has passed: nothing can be done in it.
  if (today && !d.start.empty()) {
    auto last = Date::Parse(d.date);
    if (last.ok() && *last < *today) return "closed";
  }
  if (Contains(Member(data, "overdue"), d.step)) return "overdue";
  if (d.doer != d.reader) return "pending";
  // The reader's own step, open now or still ahead. An audit step (open only while
  // auditing) waits while the items sent back are with the unit: nobody can act on it.
  const std::set<std::string>& open = StepOpenStates(d.step);
  if (!standing.open_now && SentBack(data, state) && open.count("auditing") > 0) return "pending";
  return "open";
}

void SortByDate(std::vector<Deadline>* v) {
  std::stable_sort(v->begin(), v->end(), [](const Deadline& a, const Deadline& b) {
    if (a.date != b.date) return a.date < b.date;
    return a.start < b.start;
  });
}

}  // namespace

namespace {

// The cycle's milestones by step, in the cycle's order: a window's first day (null for a
// deadline) and last day. The one table CycleDeadlines lists and CycleMilestone finds.
struct MilestoneRow {
  const char* step;
  const std::string* start;
  const std::string* date;
};
std::vector<MilestoneRow> MilestoneRows(const Milestones& m) {
  // clang-format off
  return {
    {"plan_due",                nullptr,                   &m.plan_due},
    {"adjustment_window",       &m.adjustment_window.from, &m.adjustment_window.to},
    {"midyear_check",           &m.midyear_check.from,     &m.midyear_check.to},
    {"self_assessment_due",     nullptr,                   &m.self_assessment_due},
    {"lead_scoring_due",        nullptr,                   &m.lead_scoring_due},
    {"onsite_verification_due", nullptr,                   &m.onsite_verification_due},
    {"external_scores_due",     nullptr,                   &m.external_scores_due},
    {"results_due",             nullptr,                   &m.results_due},
    {"ratification_due",        nullptr,                   &m.ratification_due},
  };
  // clang-format on
}

}  // namespace

std::optional<MilestoneDays> CycleMilestone(const Milestones& m, const std::string& step) {
  for (const MilestoneRow& r : MilestoneRows(m)) {
    if (step == r.step) return MilestoneDays{r.start != nullptr ? *r.start : "", *r.date};
  }
  return std::nullopt;
}

Result<std::vector<Deadline>> CycleDeadlines(const CycleConfig& config,
                                             const WorkingDayCalendar& /*calendar*/) {
  const std::string cycle_id = CycleId(config.year, config.scheme);
  const std::vector<MilestoneRow> rows = MilestoneRows(config.milestones);
  std::vector<Deadline> out;
  for (const MilestoneRow& r : rows) {
    for (const std::string* text : {r.start, r.date}) {
      if (text != nullptr && !Date::Parse(*text).ok()) {
        return Status::InvalidArgument("milestones." + std::string(r.step) + ": \"" + *text +
                                       "\" is not a valid date (YYYY-MM-DD)");
      }
    }
    Deadline d;
    d.step = r.step;
    d.date = *r.date;
    d.start = r.start != nullptr ? *r.start : "";
    d.cycle_id = cycle_id;
    d.doer = StepDoer(d.step);
    out.push_back(std::move(d));
  }
  SortByDate(&out);
  return out;
}

Result<std::vector<Deadline>> UnitDeadlines(const CycleConfig& config,
                                            const WorkingDayCalendar& calendar,
                                            const std::string& lifecycle_id,
                                            const nlohmann::json& data,
                                            const std::string& state,
                                            std::optional<Date> today) {
  return DeadlinesFor(config, calendar, lifecycle_id, data, state, "unit", today);
}

Result<std::vector<Deadline>> DeadlinesFor(const CycleConfig& config,
                                           const WorkingDayCalendar& calendar,
                                           const std::string& lifecycle_id,
                                           const nlohmann::json& data,
                                           const std::string& state,
                                           const std::string& reader,
                                           std::optional<Date> today) {
  // "lifecycle/<year>/<scheme>/<unit>": the unit is the last part.
  const std::string prefix = "lifecycle/";
  const size_t slash = lifecycle_id.rfind('/');
  if (lifecycle_id.rfind(prefix, 0) != 0 || slash == std::string::npos ||
      slash + 1 >= lifecycle_id.size() ||
      std::count(lifecycle_id.begin(), lifecycle_id.end(), '/') != 3) {
    return Status::InvalidArgument("\"" + lifecycle_id +
                                   "\" is not a lifecycle id (lifecycle/<year>/<scheme>/<unit>)");
  }
  auto cycle = CycleDeadlines(config, calendar);
  if (!cycle.ok()) return cycle.status();
  std::vector<Deadline> out = std::move(*cycle);
  const std::string unit = lifecycle_id.substr(slash + 1);
  const std::string cycle_id = CycleId(config.year, config.scheme);

  // New major tasks: within N working days of receiving the assigning document.
  const Json& adjustments = Member(data, "adjustments");
  if (adjustments.is_array()) {
    for (const Json& a : adjustments) {
      if (StringField(a, "kind") != "new_task") continue;
      auto received = Date::Parse(StringField(a, "document_received"));
      if (!received.ok()) continue;
      auto last = calendar.AddWorkingDays(*received, config.milestones.new_task_window_working_days);
      if (!last.ok()) continue;
      Deadline d;
      d.step = "new_task_window";
      d.start = received->ToString();
      d.date = last->ToString();
      d.ref = StringField(a, "id");
      out.push_back(std::move(d));
    }
  }

  // Mid-year findings to rectify, each by its own day (doer: the unit): open while the
  // unit has it (overdue once marked), pending while the office checks a report, done
  // once closed. Their status is the item's, not a state's.
  const Json& items = Member(data, "rectifications");
  if (items.is_array()) {
    for (const Json& item : items) {
      const std::string due = StringField(item, "rectify_by");
      if (!Date::Parse(due).ok()) continue;
      Deadline d;
      d.step = "rectification";
      d.date = due;
      d.ref = StringField(item, "id");
      if (!state.empty()) {
        const std::string status = StringField(item, "status");
        d.status = status == "closed"               ? "done"
                   : status != "open"               ? "pending"
                   : item.contains("overdue_since") ? "overdue"
                   : reader == "unit"               ? "open"
                                                    : "pending";
      }
      out.push_back(std::move(d));
    }
  }

  // The appeal window, open from the day the result was received.
  const Json& window = Member(data, "appeal_window");
  if (auto received = Date::Parse(StringField(window, "received")); received.ok()) {
    auto closes = Date::Parse(StringField(window, "closes"));
    if (!closes.ok()) {
      const Json& n = Member(window, "working_days");
      closes = calendar.AddWorkingDays(
          *received, n.is_number_integer() ? n.get<int>() : config.milestones.appeal_window_working_days);
    }
    if (closes.ok()) {
      Deadline d;
      d.step = "appeal_window";
      d.start = received->ToString();
      d.date = closes->ToString();
      out.push_back(std::move(d));
    }
  }

  for (Deadline& d : out) {
    d.unit_id = unit;
    d.lifecycle_id = lifecycle_id;
    d.cycle_id = cycle_id;
    d.doer = StepDoer(d.step);
    d.reader = reader;
    if (d.step != "rectification") d.status = StatusOf(d, data, state, today);  // else the item's
  }
  SortByDate(&out);
  return out;
}

Result<std::vector<Deadline>> DoerDeadlines(const CycleConfig& config,
                                            const WorkingDayCalendar& calendar,
                                            const std::string& lifecycle_id,
                                            const nlohmann::json& lifecycle_data,
                                            const std::string& lifecycle_state,
                                            const std::string& role, const PlanVersions* plan,
                                            const std::string& doer_unit,
                                            std::optional<Date> today) {
  std::vector<Deadline> own;
  if (role != "lead_assessor" && role != "office" && role != "committee") return own;
  if (role == "lead_assessor" &&
      (plan == nullptr || doer_unit.empty() || LeadAssessorUnits(*plan).count(doer_unit) == 0)) {
    return own;
  }
  auto all =
      DeadlinesFor(config, calendar, lifecycle_id, lifecycle_data, lifecycle_state, role, today);
  if (!all.ok()) return all.status();
  for (Deadline& d : *all) {
    if (d.doer == role) own.push_back(std::move(d));
  }
  return own;
}

}  // namespace govassess::workflows
