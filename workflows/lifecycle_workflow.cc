// The lifecycle machine of one assessed unit (Boost.MSM, functor front-end).
//
// How a pure Decide() drives a state machine: every call builds a fresh back-end,
// restores the persisted state by writing its id into the back-end's active-state
// slot (MSM 1.74 keeps m_states private, but current_state() hands out a pointer to
// it; the array is not const, so writing through it is well-defined), processes the
// one event named by the command, and maps the outcome to a Decision. Guards record why
// they failed in the Context; no_transition records "cannot X while Y"; actions only
// change the Context's copy of the data and its timer lists. Nothing here touches
// storage.
#include "workflows/lifecycle_workflow.h"

#include "engine/canonical_json.h"
#include "engine/instance_cache.h"
#include "registry/licence.h"
#include "workflows/calendar_workflow.h"
#include "workflows/notices_workflow.h"
#include "workflows/reminder_policy.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>

// clang-format off
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
// clang-format on

#include "workflows/china_time.h"
#include "workflows/command_catalog.h"
#include "workflows/deadlines.h"
#include "workflows/indicator_tree.h"
#include "workflows/scoring.h"
#include "workflows/units.h"

namespace govassess::workflows {
namespace {

namespace msm = boost::msm;
using msm::front::none;
using msm::front::Row;

// ---------------------------------------------------------------------------------
// Reminders. The reminders of one deadline of lifecycle `lifecycle_id` are one chain
// of timers on its notices instance: one timer at a time, "notices/…#<step>/<reminder>"
// for the next reminder due, whose payload lists the reminders after it ("then"). When
// it fires, the notices workflow sends it and sets the timer of the next
// (notices_workflow.h). A deadline costs one timer instead of one per reminder; the ids
// are those of the reminders (ReminderTimerId), so cancelling the links that can be
// pending (PendingReminderIds) cancels the chain wherever it has got to.

struct ReminderOptions {
  // Windows: no reminder before the window opens (counted back from the last day of a
  // short filing window, "10 working days before" falls before its first day; nobody
  // can act on a reminder about a window that is not open yet).
  std::optional<Date> opens;
  // Escalations whose time has passed are planned (they fire at once) when the step is
  // the doer's own and late; not when the deadline passed while the step was with
  // someone else (a plan returned after plan_due) or for a right rather than a duty.
  bool past_escalations = true;
};

// The reminder chain of `step` due on `deadline`: the timer of its first reminder, the
// rest in its payload. Reminders before the deadline whose time has passed are not
// planned, nor those before options.opens; escalations as options.past_escalations
// says. Nothing when no reminder is left, or when the deadline is in a year the
// calendar does not cover yet.
std::optional<Timer> ReminderChain(const std::string& lifecycle_id, const std::string& step,
                                   Date deadline, const ReminderPolicies& policies,
                                   const WorkingDayCalendar& calendar, int64_t now_ms,
                                   const ReminderOptions& options = {}) {
  auto plan = PlanReminders(deadline, policies.For(step), calendar);
  if (!plan.ok()) return std::nullopt;
  const PlannedReminder* first = nullptr;
  Json then = Json::array();
  for (const PlannedReminder& r : *plan) {
    const bool escalation = r.kind == ReminderKind::kEscalation;
    if (r.at_ms < now_ms && (!escalation || !options.past_escalations)) continue;
    if (options.opens && r.date < *options.opens) continue;
    if (first == nullptr) {
      first = &r;
      continue;
    }
    then.push_back(ChainLinkJson({r.at_ms, ReminderKindName(r.kind), r.Name()}));
  }
  if (first == nullptr) return std::nullopt;
  const std::string notices = NoticesId(lifecycle_id);
  const std::string& doer = StepDoer(step);
  std::string name = first->Name();
  // {"audience"?, "deadline", "due_ms", "kind", "lifecycle", "reminder", "step",
  // "then"?}. "audience" names the doer of a step that is not the unit's (StepDoer:
  // "office", "lead_assessor", "committee"), for the record: the notices workflow
  // decides the recipients from the step when the reminder fires.
  Json payload = Json::object();
  auto& p = payload.get_ref<Json::object_t&>();
  if (doer != "unit") p.emplace_hint(p.end(), "audience", doer);
  p.emplace_hint(p.end(), "deadline", deadline.ToString());
  p.emplace_hint(p.end(), "due_ms", first->at_ms);
  p.emplace_hint(p.end(), "kind", ReminderKindName(first->kind));
  p.emplace_hint(p.end(), "lifecycle", lifecycle_id);
  p.emplace_hint(p.end(), "reminder", name);
  p.emplace_hint(p.end(), "step", step);
  if (!then.empty()) p.emplace_hint(p.end(), "then", std::move(then));
  return Timer{ReminderTimerId(notices, step, name), notices, "remind", first->at_ms,
               std::move(payload)};
}

// Every reminder timer id a step can have under `policy`: cancelling them all cancels
// its chain, and the per-reminder timers that older code planned.
std::vector<std::string> ReminderTimerIds(const std::string& lifecycle_id, const std::string& step,
                                          const ReminderPolicy& policy) {
  const std::string notices = NoticesId(lifecycle_id);
  std::vector<std::string> ids;
  for (int n : policy.before_working_days) {
    ids.push_back(ReminderTimerId(notices, step, ReminderName(ReminderKind::kBefore, n)));
  }
  if (policy.on_the_day) {
    ids.push_back(ReminderTimerId(notices, step, ReminderName(ReminderKind::kOnTheDay, 0)));
  }
  for (int n : policy.escalate_after_working_days) {
    ids.push_back(ReminderTimerId(notices, step, ReminderName(ReminderKind::kEscalation, n)));
  }
  return ids;
}

// The reminder timer ids of `step`'s chain that can be pending at `now_ms`, its chain
// planned against `deadline` with no reminder before `opens`: the first link a chain
// can start with (the first reminder on or after `opens`), and every later link whose
// predecessor's instant has passed — a link is set only when the one before it fires
// (or, after a down time, is passed over), never before that one is due. The links a
// chain skipped when it was set (already past) are covered too: each follows one that
// was past. The rest cannot exist yet, and a cancellation that names them would only
// make the journal and the timers table delete what was never there.
//
// Planned against the deadline and the calendar as they are now: after a change that
// put a reminder later than it was planned, a link may be left pending; it is refused
// when it fires, the step being done (CheckReminderDue). Every id of the policy when
// the deadline cannot be planned.
std::vector<std::string> PendingReminderIds(const std::string& lifecycle_id,
                                            const std::string& step, Date deadline,
                                            std::optional<Date> opens,
                                            const ReminderPolicy& policy,
                                            const WorkingDayCalendar& calendar, int64_t now_ms) {
  auto plan = PlanReminders(deadline, policy, calendar);
  if (!plan.ok()) return ReminderTimerIds(lifecycle_id, step, policy);
  const std::string notices = NoticesId(lifecycle_id);
  std::vector<std::string> ids;
  bool first_seen = false;
  for (size_t k = 0; k < plan->size(); ++k) {
    const PlannedReminder& r = (*plan)[k];
    const bool first = !first_seen && (!opens || !(r.date < *opens));
    first_seen = first_seen || first;
    if (first || (k > 0 && (*plan)[k - 1].at_ms <= now_ms)) {
      ids.push_back(ReminderTimerId(notices, step, r.Name()));
    }
  }
  return ids;
}

// Marks `step` overdue in lifecycle data (the mark_overdue timer, or a plan returned
// after its deadline): data.overdue lists the steps overdue now, data.overdue_since
// the day each became so.
void MarkOverdue(Json& data, const std::string& step, Date today) {
  if (!data["overdue"].is_array()) data["overdue"] = Json::array();
  Json& overdue = data["overdue"];
  if (std::find(overdue.begin(), overdue.end(), Json(step)) == overdue.end()) {
    overdue.push_back(step);
  }
  data["overdue_since"][step] = today.ToString();
}

// ---------------------------------------------------------------------------------
// The context of one Decide call: inputs, the working copy of the data, and outputs.
struct Context {
  Context(const Instance& cur, const Command& cmd, const DecideContext& dc,
          const WorkingDayCalendar& cal, const LoadedCycle& cyc, Date day, Json copy)
      : current(cur), command(cmd), decide(dc), calendar(cal), cycle(cyc), today(day),
        data(std::move(copy)) {}

  const Instance& current;
  const Command& command;
  const DecideContext& decide;
  const WorkingDayCalendar& calendar;
  const LoadedCycle& cycle;
  Date today;
  Json data;
  const PlanCache* plans = nullptr;  // not owned
  bool probe = false;  // AllowedIn(): guards answer false without side effects

  bool refused = false;
  Code code = Code::kRefused;
  std::string reason;
  std::vector<Timer> timers_set;
  std::vector<std::string> timers_cancelled;
  Json result = Json::object();
  // Computed by a guard for its action.
  std::optional<ScoredUnit> scored;
  std::shared_ptr<const PlanVersions> new_versions;  // the plan history to write
  int64_t plan_history_version = 0;
  // The plan history lives in its own instance (PlanHistoryId), written only when a
  // version is added, so the lifecycle's own row stays small.
  std::vector<InstanceWrite> other_writes;
  std::function<void()> after_commit;  // Decision::after_commit

  std::string PlanId() const { return PlanHistoryId(current.id); }
  // The stored plan history (parsed once per version) and the version it was read at.
  Result<std::pair<std::shared_ptr<const PlanVersions>, int64_t>> LoadPlanVersions() const {
    return plans->Load(decide, PlanId());
  }
  // Writes `versions` as the plan history, expecting it at `expected_version`; they are
  // kept in the plan cache once the write is committed (Decision::after_commit), so
  // that the first reader need not parse them back.
  void StorePlanVersions(std::shared_ptr<const PlanVersions> versions, int64_t expected_version) {
    Json versions_json = PlanVersionsToJson(*versions);
    if (plans != nullptr) {
      after_commit = [cache = plans, id = PlanId(), version = expected_version + 1,
                      versions = std::move(versions), bytes = ApproxTextBytes(versions_json)] {
        cache->Seed(id, version, versions, bytes);
      };
    }
    InstanceWrite w;
    w.after.id = PlanId();
    w.after.type = "plan";
    w.after.state = "issued";
    w.after.data = std::move(versions_json);
    w.expected_version = expected_version;
    other_writes.push_back(std::move(w));
  }

  bool Refuse(std::string why) {
    if (!refused) {
      refused = true;
      reason = std::move(why);
    }
    return false;
  }
  bool Forbid(std::string why) {
    if (!refused) code = Code::kForbidden;
    return Refuse(std::move(why));
  }
  const Json& payload() const { return command.payload; }
  std::string TimerId(const std::string& step) const { return current.id + "#" + step; }
  // A duty's deadline: the mark_overdue timer at the end of the day and its reminders.
  void SetDeadlineTimer(const std::string& step, const std::string& date_text,
                        const ReminderOptions& options = {}) {
    auto d = Date::Parse(date_text);
    if (!d.ok()) return;  // the cycle was validated; cannot happen
    timers_set.push_back(Timer{TimerId(step), current.id, "mark_overdue",
                               EndOfBeijingDayMs(*d), Json{{"step", step}}});
    SetReminders(step, *d, options);
  }
  // Reminders alone: windows (a right, nothing to mark overdue) and the office's steps.
  void SetReminders(const std::string& step, Date deadline, const ReminderOptions& options) {
    if (auto chain = ReminderChain(current.id, step, deadline, cycle.config.reminders, calendar,
                                   decide.now_ms, options)) {
      timers_set.push_back(std::move(*chain));
    }
  }
  // `step` is its doer's (again) from now on, against its unchanged deadline: with the
  // deadline ahead, its overdue timer and the reminders still ahead are set; with the
  // deadline passed, the step is overdue at once (data.overdue, overdue_since today) and
  // only escalations still ahead are planned. The time it passed in was someone else's —
  // the office held the plan, the unit held the self-assessment — so nothing is
  // escalated for it: whoever handed the step over knows.
  void HandOver(const std::string& step, const std::string& deadline_text) {
    auto d = Date::Parse(deadline_text);
    if (!d.ok()) return;  // the cycle was validated; cannot happen
    ReminderOptions options;
    options.past_escalations = false;
    if (decide.now_ms < EndOfBeijingDayMs(*d)) {
      SetDeadlineTimer(step, deadline_text, options);
      return;
    }
    MarkOverdue(data, step, today);
    SetReminders(step, *d, options);
  }
  // Cancels the links of `step`'s reminder chain that can be pending now
  // (PendingReminderIds), against the deadline and first day it was planned with.
  void CancelReminders(const std::string& step) {
    const ReminderPolicy& policy = cycle.config.reminders.For(step);
    std::optional<Date> deadline, opens;
    auto date = [](const std::string& text) -> std::optional<Date> {
      auto d = Date::Parse(text);
      return d.ok() ? std::optional<Date>(*d) : std::nullopt;
    };
    if (step == "appeal_window") {  // the unit's own, from receiving its result
      const auto w = data.find("appeal_window");
      if (w != data.end() && w->is_object()) {
        deadline = date(w->value("closes", ""));
        opens = date(w->value("received", ""));
      }
    } else if (auto days = CycleMilestone(cycle.config.milestones,  // review: by plan_due
                                          step == "plan_review" ? "plan_due" : step)) {
      deadline = date(days->last);
      if (!days->start.empty()) opens = date(days->start);
    }
    std::vector<std::string> ids =
        deadline ? PendingReminderIds(current.id, step, *deadline, opens, policy, calendar,
                                      decide.now_ms)
                 : ReminderTimerIds(current.id, step, policy);
    for (std::string& id : ids) timers_cancelled.push_back(std::move(id));
  }
  // The step is no longer anyone's open duty: its deadline timer and reminders go and it
  // leaves data.overdue (data.late_steps keeps the record, see Complete). A step in
  // data.overdue has no deadline timer left to cancel: the timer's firing is what marked
  // it, or HandOver found the deadline passed and set none.
  void Cancel(const std::string& step) {
    bool overdue = false;
    if (auto o = data.find("overdue"); o != data.end() && o->is_array()) {
      const auto marked = std::remove(o->begin(), o->end(), Json(step));
      overdue = marked != o->end();
      o->erase(marked, o->end());
    }
    if (!overdue) timers_cancelled.push_back(TimerId(step));
    CancelReminders(step);
  }
  // The doer did the step: Cancel, and when it was done after its deadline — whether or
  // not the timer had marked it yet — append the evidence to data.late_steps, which
  // nothing ever removes: {step, deadline, done_on, working_days_late, overdue_since?}.
  void Complete(const std::string& step, const std::string& deadline_text) {
    auto deadline = Date::Parse(deadline_text);
    bool marked = false;
    if (auto o = data.find("overdue"); o != data.end() && o->is_array()) {
      for (const Json& s : o->get_ref<const Json::array_t&>()) {
        marked = marked || (s.is_string() && s.get_ref<const std::string&>() == step);
      }
    }
    if (deadline.ok() && (marked || decide.now_ms >= EndOfBeijingDayMs(*deadline))) {
      Json late{{"step", step}, {"deadline", deadline_text}, {"done_on", today.ToString()}};
      if (auto n = calendar.WorkingDaysBetween(*deadline, today); n.ok()) {
        late["working_days_late"] = *n;
      }
      const Json& since = data.contains("overdue_since") ? data["overdue_since"] : Json();
      if (marked && since.is_object()) late["overdue_since"] = since.value(step, "");
      data["late_steps"].push_back(std::move(late));
    }
    Cancel(step);
  }
  std::string CycleText() const {
    return "cycle " + std::to_string(cycle.config.year) + " " + SchemeName(cycle.config.scheme);
  }
  // Tells whom it concerns what this transition did, exactly once: a timer due now on
  // the notices instance, set in this commit, makes it "announce" the event there (an
  // entry, inbox items, mails, webhooks: notices_workflow.h) on the engine's next round
  // — also after a crash, and never twice, since the firing consumes the timer. Its id
  // names the lifecycle's new version, which no other transition has. `audience`
  // "office" when the office must act on it, else the unit; `deadline` the day by which
  // the reader must act, if any; `details` the facts the texts need (notice_text.h).
  void Announce(const char* event, Json details, const char* audience = "unit",
                const std::string& deadline = "") {
    const std::string notices = NoticesId(current.id);
    const int64_t version = current.version + 1;
    // {"actor_role", "audience", "deadline"?, "details", "event", "lifecycle",
    // "lifecycle_version", "on", "reason"?}, built in key order (each at the end).
    Json payload = Json::object();
    auto& p = payload.get_ref<Json::object_t&>();
    p.emplace_hint(p.end(), "actor_role", command.actor.role);
    p.emplace_hint(p.end(), "audience", audience);
    if (!deadline.empty()) p.emplace_hint(p.end(), "deadline", deadline);
    p.emplace_hint(p.end(), "details", std::move(details));
    p.emplace_hint(p.end(), "event", event);
    p.emplace_hint(p.end(), "lifecycle", current.id);
    p.emplace_hint(p.end(), "lifecycle_version", version);
    p.emplace_hint(p.end(), "on", today.ToString());
    if (!command.reason.empty()) p.emplace_hint(p.end(), "reason", command.reason);
    timers_set.push_back(Timer{notices + "#event/" + std::to_string(version) + "-" + event, notices,
                               "announce", decide.now_ms, std::move(payload)});
  }
};

// ---------------------------------------------------------------------------------
// States. Each knows its persisted name.
struct NamedState {
  virtual ~NamedState() = default;
  virtual const char* name() const { return "machine"; }
};

#define GOVASSESS_STATE(Type, text)                           \
  struct Type : msm::front::state<NamedState> {               \
    const char* name() const override { return text; }       \
  }
GOVASSESS_STATE(Drafting, "drafting");
GOVASSESS_STATE(Submitted, "submitted");
GOVASSESS_STATE(Returned, "returned");
GOVASSESS_STATE(Reviewed, "reviewed");
GOVASSESS_STATE(Approved, "approved");
GOVASSESS_STATE(InExecution, "in_execution");
GOVASSESS_STATE(SelfAssessing, "self_assessing");
GOVASSESS_STATE(Auditing, "auditing");
GOVASSESS_STATE(Scored, "scored");
GOVASSESS_STATE(Published, "published");
GOVASSESS_STATE(Appealed, "appealed");
GOVASSESS_STATE(Decided, "decided");
GOVASSESS_STATE(ReadyForRatification, "ready_for_ratification");
GOVASSESS_STATE(Ratified, "ratified");
GOVASSESS_STATE(Archived, "archived");
#undef GOVASSESS_STATE

const std::vector<std::string> kStates = {
    "drafting",  "submitted", "returned",  "reviewed",  "approved",
    "in_execution", "self_assessing", "auditing", "scored", "published",
    "appealed",  "decided",   "ready_for_ratification", "ratified", "archived"};

// ---------------------------------------------------------------------------------
// Events: one per command name.
#define GOVASSESS_EVENT(Type, text) \
  struct Type {                     \
    static constexpr const char* kName = text; \
  }
GOVASSESS_EVENT(submit, "submit");
GOVASSESS_EVENT(return_plan, "return");
GOVASSESS_EVENT(office_agree, "office_agree");
GOVASSESS_EVENT(approve, "approve");
GOVASSESS_EVENT(issue, "issue");
GOVASSESS_EVENT(request_adjustment, "request_adjustment");
GOVASSESS_EVENT(review_adjustment, "review_adjustment");
GOVASSESS_EVENT(agree_adjustment, "agree_adjustment");
GOVASSESS_EVENT(approve_adjustment, "approve_adjustment");
GOVASSESS_EVENT(file_adjustment, "file_adjustment");
GOVASSESS_EVENT(reject_adjustment, "reject_adjustment");
GOVASSESS_EVENT(record_midyear, "record_midyear");
GOVASSESS_EVENT(report_rectification, "report_rectification");
GOVASSESS_EVENT(close_rectification, "close_rectification");
GOVASSESS_EVENT(reopen_rectification, "reopen_rectification");
GOVASSESS_EVENT(open_self_assessment, "open_self_assessment");
GOVASSESS_EVENT(submit_self_assessment, "submit_self_assessment");
GOVASSESS_EVENT(send_back, "send_back");
GOVASSESS_EVENT(record_scores, "record_scores");
GOVASSESS_EVENT(finish_audit, "finish_audit");
GOVASSESS_EVENT(publish, "publish");
GOVASSESS_EVENT(appeal, "appeal");
GOVASSESS_EVENT(close_appeal_window, "close_appeal_window");
GOVASSESS_EVENT(uphold_appeal, "uphold_appeal");
GOVASSESS_EVENT(reject_appeal, "reject_appeal");
GOVASSESS_EVENT(republish, "republish");
GOVASSESS_EVENT(ratify, "ratify");
GOVASSESS_EVENT(archive, "archive");
#undef GOVASSESS_EVENT

// ---------------------------------------------------------------------------------
// Guard and action plumbing: a guard is a struct with static bool Check(Context&),
// an action one with static void Run(Context&).
template <class Derived>
struct Guard {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event&, Fsm& fsm, Source&, Target&) const {
    Context& c = *fsm.context;
    if (c.probe) return false;
    return Derived::Check(c);
  }
};

template <class... Gs>
struct All : Guard<All<Gs...>> {
  static bool Check(Context& c) { return (Gs::Check(c) && ...); }
};

template <class Derived>
struct Action {
  template <class Event, class Fsm, class Source, class Target>
  void operator()(const Event&, Fsm& fsm, Source&, Target&) const {
    Derived::Run(*fsm.context);
  }
};

template <class... As>
struct Do : Action<Do<As...>> {
  static void Run(Context& c) { (As::Run(c), ...); }
};

// ---------------------------------------------------------------------------------
// Roles.
enum RoleBit : unsigned {
  kUnit = 1,
  kLeadAssessor = 2,
  kOffice = 4,
  kLeader = 8,
  kCommittee = 16,
  kAdmin = 64,
  kSystem = 128,
};

unsigned RoleBitOf(const std::string& role) {
  static const std::map<std::string, unsigned> kBits = {
      {"unit", kUnit},     {"lead_assessor", kLeadAssessor}, {"office", kOffice},
      {"leader", kLeader}, {"committee", kCommittee},        {"auditor", 0},
      {"admin", kAdmin},   {"system", kSystem}};
  auto it = kBits.find(role);
  return it == kBits.end() ? 0 : it->second;
}

std::string RolesText(unsigned mask) {
  static const std::vector<std::pair<unsigned, const char*>> kNames = {
      {kUnit, "the assessed unit"}, {kLeadAssessor, "a lead assessor"}, {kOffice, "the office"},
      {kLeader, "the leader in charge"}, {kCommittee, "the committee"}, {kAdmin, "an admin"},
      {kSystem, "the timer"}};
  std::vector<std::string> names;
  for (const auto& [bit, name] : kNames) {
    if ((mask & bit) != 0) names.push_back(name);
  }
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) s += i + 1 == names.size() ? " or " : ", ";
    s += names[i];
  }
  return s;
}

template <unsigned Mask>
struct HasRole : Guard<HasRole<Mask>> {
  static bool Check(Context& c) {
    const Actor& a = c.command.actor;
    if ((RoleBitOf(a.role) & Mask) == 0) {
      return c.Forbid("only " + RolesText(Mask) + " may " + c.command.name + "; " + a.user +
                      " acts as " + a.role);
    }
    if (a.role == "unit" && a.unit != c.data.value("unit", "")) {
      return c.Forbid("unit " + a.unit + " may act only on its own assessment");
    }
    return true;
  }
};

struct HasReason : Guard<HasReason> {
  static bool Check(Context& c) {
    if (c.command.reason.empty()) {
      return c.Refuse(c.command.name + " needs a reason (it is shown to the unit)");
    }
    return true;
  }
};

// ---------------------------------------------------------------------------------
// Plan filing and approval.
struct PlanIsValid : Guard<PlanIsValid> {
  static bool Check(Context& c) {
    const Json& plan = c.payload().contains("plan") ? c.payload()["plan"] : c.data["plan"];
    if (plan.is_null()) return c.Refuse("submit needs the plan (payload.plan)");
    auto tree = ParseIndicatorTree(plan);
    if (!tree.ok()) return c.Refuse("the plan is not valid: plan." + tree.status().message());
    if (tree->unit_id != c.data.value("unit", "")) {
      return c.Refuse("the plan is for unit " + tree->unit_id + ", not " +
                      c.data.value("unit", ""));
    }
    Status s = ValidateIndicatorTree(*tree, c.cycle.config);
    if (!s.ok()) return c.Refuse("the plan does not fit the " + c.CycleText() + ": " + s.message());
    return true;
  }
};

struct StorePlan : Action<StorePlan> {
  static void Run(Context& c) {
    if (c.payload().contains("plan")) c.data["plan"] = c.payload()["plan"];
    c.data["submissions"] = c.data.value("submissions", 0) + 1;
  }
};

// The plan is with the office now: the unit's plan_due is done (its reminders and
// overdue timer go; a late submission is recorded in data.late_steps), and the office
// is reminded of its review against the same date — seed 001 has the plan stage end
// with the plan approved and issued by plan_due ("4月底前…报自治区分管领导审定后印发执行");
// there is no separate review deadline.
struct HandInPlan : Action<HandInPlan> {
  static void Run(Context& c) {
    c.data["submitted_on"] = c.today.ToString();
    const std::string& due = c.cycle.config.milestones.plan_due;
    c.Complete("plan_due", due);
    auto d = Date::Parse(due);
    if (!d.ok()) return;  // the cycle was validated; cannot happen
    ReminderOptions office;  // the office's (StepDoer): its reminders go to the office
    office.past_escalations = false;
    c.SetReminders("plan_review", *d, office);
  }
};

struct RecordReturn : Action<RecordReturn> {
  static void Run(Context& c) {
    c.data["returns"].push_back({{"by", c.command.actor.user},
                                 {"role", c.command.actor.role},
                                 {"on", c.today.ToString()},
                                 {"reason", c.command.reason}});
  }
};

// The plan is the unit's duty again, against plan_due (the cycle has no resubmission
// deadline): the office's review reminders go, and plan_due is handed back to the unit
// (Context::HandOver: set again if ahead; overdue at once if passed, with no escalation
// for the time the plan was with the office).
struct BackToUnit : Action<BackToUnit> {
  static void Run(Context& c) {
    c.CancelReminders("plan_review");
    c.HandOver("plan_due", c.cycle.config.milestones.plan_due);
  }
};

struct RecordOfficeAgreement : Action<RecordOfficeAgreement> {
  static void Run(Context& c) {
    c.data["plan_review"] = {{"agreed_by", c.command.actor.user}, {"on", c.today.ToString()}};
  }
};

struct CanIssuePlan : Guard<CanIssuePlan> {
  static bool Check(Context& c) {
    auto tree = ParseIndicatorTree(c.data["plan"]);
    if (!tree.ok()) return c.Refuse("the stored plan is not valid: " + tree.status().message());
    Approval approval{c.command.actor.user, c.command.reason.empty() ? "plan approved" : c.command.reason,
                      c.today.ToString(), c.data.value("unit", "")};
    auto versions = PlanVersions::Issue(std::move(*tree), c.cycle.config, approval);
    if (!versions.ok()) return c.Refuse("the plan cannot be issued: " + versions.status().message());
    c.new_versions = std::make_shared<const PlanVersions>(std::move(*versions));
    return true;
  }
};

struct IssuePlanV1 : Action<IssuePlanV1> {
  static void Run(Context& c) {
    c.StorePlanVersions(std::move(c.new_versions), 0);
    c.data.erase("plan");  // the draft is version 1 now, in the plan history
    c.data["plan_version"] = 1;
    c.data["approved_on"] = c.today.ToString();
    // plan_due went at submission (Complete). A plan_due timer that older code left
    // pending is refused when it fires: the step is not open in approved.
    c.CancelReminders("plan_review");
    c.result["plan_version"] = 1;
  }
};

// In execution the unit may ask to adjust indicators inside the filing window: it is
// reminded before the window closes (never before it opens, never escalated — an
// adjustment is a right). The reminders go when it leaves in_execution.
struct StartExecution : Action<StartExecution> {
  static void Run(Context& c) {
    c.data["issued_on"] = c.today.ToString();
    const DateWindow& w = c.cycle.config.milestones.adjustment_window;
    auto from = Date::Parse(w.from);
    auto to = Date::Parse(w.to);
    if (!from.ok() || !to.ok()) return;  // the cycle was validated; cannot happen
    ReminderOptions window;
    window.opens = *from;
    window.past_escalations = false;
    c.SetReminders("adjustment_window", *to, window);
  }
};

// A list of texts, none empty (evidence as people list it); an empty list passes.
bool IsTextList(const Json& v) {
  if (!v.is_array()) return false;
  for (const Json& piece : v) {
    if (!piece.is_string() || piece.get_ref<const std::string&>().empty()) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------
// Items that move through statuses while the assessment stays in its state (an
// indicator adjustment, a mid-year finding's rectification): a list in the data, each
// {"id", "status", "steps": [{status, by, role, on, reason, evidence?}], …}, the one a
// command acts on named by a payload member.
struct ItemList {
  const char* list;     // the data's member: "adjustments"
  const char* field;    // the payload's member naming the item: "adjustment"
  const char* noun;     // as refusals name an item: "adjustment 'adj-1' is …"
  const char* missing;  // a missing item's refusal, around its id: no adjustment "…" on…
  const char* where;
  bool evidence;  // a step keeps payload.evidence
};
constexpr ItemList kAdjustments{
    "adjustments", "adjustment", "adjustment", "no adjustment", "on this plan (payload.adjustment)",
    false};
constexpr ItemList kRectifications{"rectifications",
                                   "item",
                                   "rectification",
                                   "no rectification item",
                                   "on this assessment (payload.item)",
                                   true};

Json* FindItem(Context& c, const ItemList& l) {
  const std::string id = c.payload().value(l.field, "");
  const auto items = c.data.find(l.list);
  if (items == c.data.end() || !items->is_array()) return nullptr;
  for (Json& item : *items) {
    if (item.value("id", "") == id) return &item;
  }
  return nullptr;
}

bool RefuseMissingItem(Context& c, const ItemList& l) {
  return c.Refuse(std::string(l.missing) + " \"" + c.payload().value(l.field, "") + "\" " +
                  l.where);
}

// The item the command names must be in status From.
template <const ItemList* L, const char* const* From>
struct ItemIs : Guard<ItemIs<L, From>> {
  static bool Check(Context& c) {
    const Json* item = FindItem(c, *L);
    if (item == nullptr) return RefuseMissingItem(c, *L);
    const std::string status = item->value("status", "");
    if (status != *From) {
      return c.Refuse(std::string(L->noun) + " " + item->value("id", "") + " is " + status + "; " +
                      c.command.name + " needs it " + *From);
    }
    return true;
  }
};

// The item the command names moves to status To, the step on record.
template <const ItemList* L, const char* const* To>
struct MoveItem : Action<MoveItem<L, To>> {
  static void Run(Context& c) {
    Json* item = FindItem(c, *L);
    (*item)["status"] = *To;
    Json step{{"status", *To},
              {"by", c.command.actor.user},
              {"role", c.command.actor.role},
              {"on", c.today.ToString()},
              {"reason", c.command.reason}};
    if (L->evidence && c.payload().contains("evidence")) step["evidence"] = c.payload()["evidence"];
    (*item)["steps"].push_back(std::move(step));
  }
};

// ---------------------------------------------------------------------------------
// Indicator adjustments (指标调整), internal to in_execution. data.adjustments[] holds
// each request: requested → first_reviewed → agreed → approved → filed (or rejected).
Json* FindAdjustment(Context& c) { return FindItem(c, kAdjustments); }

// Inside the filing window? For a new major task: within N working days of receiving
// the assigning document.
bool InAdjustmentWindow(Context& c, const Json& adjustment) {
  const Milestones& m = c.cycle.config.milestones;
  if (adjustment.value("kind", "adjust") == "new_task") {
    auto received = Date::Parse(adjustment.value("document_received", ""));
    if (!received.ok()) {
      return c.Refuse("a new major task needs payload.document_received (YYYY-MM-DD), the day "
                      "the assigning document was received");
    }
    auto issued = Date::Parse(c.data.value("issued_on", ""));
    if (issued.ok() && *received < *issued) {
      return c.Refuse("the document was received on " + received->ToString() +
                      ", before the plan was issued on " + issued->ToString() +
                      "; file it as an ordinary adjustment in the window " +
                      m.adjustment_window.from + ".." + m.adjustment_window.to);
    }
    const int n = m.new_task_window_working_days;
    auto last = c.calendar.AddWorkingDays(*received, n);
    if (!last.ok()) {
      return c.Refuse("cannot count working days: " + last.status().message());
    }
    if (c.today > *last) {
      auto met = c.calendar.WorkingDaysBetween(*received, c.today);
      return c.Refuse("a new major task must be applied for within " + std::to_string(n) +
                      " working days of receiving the document (received " +
                      received->ToString() + ", last day " + last->ToString() + "); today is " +
                      c.today.ToString() +
                      (met.ok() ? " (working day " + std::to_string(*met) + ")" : ""));
    }
    return true;
  }
  const std::string today = c.today.ToString();
  if (today < m.adjustment_window.from || today > m.adjustment_window.to) {
    return c.Refuse("adjustments are filed " + m.adjustment_window.from + ".." +
                    m.adjustment_window.to + " (" + c.CycleText() + "); today is " + today);
  }
  return true;
}

// The lead assessors of the indicators under `node`.
void CollectLeads(const IndicatorNode& node, std::set<std::string>* leads) {
  if (node.children.empty()) {
    leads->insert(node.lead_assessor);
    return;
  }
  for (const IndicatorNode& child : node.children) CollectLeads(child, leads);
}

// The lead assessors of the indicators a change touches: those under each node it
// modifies or removes (in `tree`, the plan it would change), and those it adds.
void CollectLeadsOfNode(const Json& node, std::set<std::string>* leads) {
  const Json& children = Member(node, "children");
  if (!children.is_array() || children.empty()) {
    const Json& lead = Member(node, "lead_assessor");
    if (lead.is_string()) leads->insert(lead.get<std::string>());
    return;
  }
  for (const Json& child : children) CollectLeadsOfNode(child, leads);
}

std::set<std::string> LeadsTouched(const IndicatorTree& tree, const Json& change) {
  std::set<std::string> leads;
  for (const Json& op : Member(change, "operations")) {
    if (Member(op, "op") == "add") {
      CollectLeadsOfNode(Member(op, "node"), &leads);
      continue;
    }
    const Json& id = Member(op, "id");
    const IndicatorNode* node = id.is_string() ? FindIndicatorNode(tree, id.get<std::string>()) : nullptr;
    if (node != nullptr) CollectLeads(*node, &leads);
    const Json& new_lead = Member(op, "lead_assessor");
    if (new_lead.is_string()) leads.insert(new_lead.get<std::string>());
  }
  return leads;
}

// "a, b, c" for messages ("nothing" when there is none), from any list of strings.
template <typename Strings>
std::string Join(const Strings& items) {
  std::string s;
  for (const std::string& x : items) s += (s.empty() ? "" : ", ") + x;
  return s.empty() ? "nothing" : s;
}

// A lead assessor acts on an adjustment only within its duty: it asks to change only
// indicators it leads (and adds only indicators it will lead), and it first-reviews or
// rejects only a request that touches an indicator it leads. The unit, the office and
// the leader are not restricted here.
bool LeadActsOnOwnIndicators(Context& c, const Json& change, bool all) {
  if (c.command.actor.role != "lead_assessor") return true;
  auto versions = c.LoadPlanVersions();
  if (!versions.ok()) return c.Refuse("the plan history is damaged: " + versions.status().message());
  const std::set<std::string> leads = LeadsTouched(versions->first->Latest().tree, change);
  const std::string& unit = c.command.actor.unit;
  if (all ? (leads.size() == 1 && leads.count(unit) == 1) : leads.count(unit) == 1) return true;
  return c.Forbid(std::string(all ? "a lead assessor asks to adjust only indicators it leads"
                                  : "a lead assessor reviews only requests touching indicators it leads") +
                  ": the change touches indicators led by " + (leads.empty() ? "nobody" : Join(leads)) +
                  ", not " + (all ? "only " : "") + "by " + unit);
}

struct CanRequestAdjustment : Guard<CanRequestAdjustment> {
  static bool Check(Context& c) {
    const Json& change = Member(c.payload(), "change");
    if (!change.is_object()) {
      return c.Refuse("request_adjustment needs payload.change {\"operations\": [...]}");
    }
    if (c.command.reason.empty()) return c.Refuse("request_adjustment needs a reason");
    Json adj{{"kind", c.payload().value("kind", "adjust")},
             {"document_received", c.payload().value("document_received", "")}};
    if (adj["kind"] != "adjust" && adj["kind"] != "new_task") {
      return c.Refuse("payload.kind must be \"adjust\" or \"new_task\"");
    }
    if (!InAdjustmentWindow(c, adj)) return false;
    if (!LeadActsOnOwnIndicators(c, change, /*all=*/true)) return false;
    // Dry run against the latest version so a broken change is refused now.
    auto versions = c.LoadPlanVersions();
    if (!versions.ok()) return c.Refuse("the plan history is damaged: " + versions.status().message());
    Json trial = change;
    trial["reason"] = c.command.reason;
    trial["approved_by"] = "pending";
    auto tree = ApplyAdjustment(versions->first->Latest().tree, trial);
    if (!tree.ok()) return c.Refuse("the change cannot apply: change." + tree.status().message());
    return true;
  }
};

struct RecordAdjustmentRequest : Action<RecordAdjustmentRequest> {
  static void Run(Context& c) {
    Json& list = c.data["adjustments"];
    if (!list.is_array()) list = Json::array();
    const std::string id = "adj-" + std::to_string(list.size() + 1);
    const bool by_lead = c.command.actor.role == "lead_assessor";
    Json change = c.payload()["change"];
    list.push_back({{"id", id},
                    {"kind", c.payload().value("kind", "adjust")},
                    {"document_received", c.payload().value("document_received", "")},
                    {"status", by_lead ? "first_reviewed" : "requested"},
                    {"requested_by", c.command.actor.user},
                    {"requested_role", c.command.actor.role},
                    {"requested_unit", c.command.actor.unit},
                    {"requested_on", c.today.ToString()},
                    {"reason", c.command.reason},
                    {"change", change},
                    {"steps", Json::array()}});
    c.result["adjustment"] = id;
  }
};

// The adjustment named by payload.adjustment must be in status From.
template <const char* const* From>
using AdjustmentIs = ItemIs<&kAdjustments, From>;
const char* const kRequested = "requested";
const char* const kFirstReviewed = "first_reviewed";
const char* const kAgreed = "agreed";
const char* const kApprovedStatus = "approved";

// The adjustment named by payload.adjustment touches an indicator the lead assessor
// sending the command leads (LeadActsOnOwnIndicators); others pass.
struct LeadOfAdjustment : Guard<LeadOfAdjustment> {
  static bool Check(Context& c) {
    Json* a = FindAdjustment(c);
    if (a == nullptr) return true;  // the status guard names the missing adjustment
    return LeadActsOnOwnIndicators(c, Member(*a, "change"), /*all=*/false);
  }
};

struct AdjustmentOpen : Guard<AdjustmentOpen> {
  static bool Check(Context& c) {
    Json* a = FindAdjustment(c);
    if (a == nullptr) return RefuseMissingItem(c, kAdjustments);
    const std::string status = a->value("status", "");
    if (status == "filed" || status == "rejected") {
      return c.Refuse("adjustment " + a->value("id", "") + " is already " + status);
    }
    return true;
  }
};

template <const char* const* To>
using MoveAdjustment = MoveItem<&kAdjustments, To>;

// The leader who approved it, for the plan version it becomes.
struct RecordApprover : Action<RecordApprover> {
  static void Run(Context& c) { (*FindAdjustment(c))["approved_by"] = c.command.actor.user; }
};
const char* const kRejected = "rejected";

struct CanFileAdjustment : Guard<CanFileAdjustment> {
  static bool Check(Context& c) {
    Json* a = FindAdjustment(c);
    if (!InAdjustmentWindow(c, *a)) return false;
    auto loaded = c.LoadPlanVersions();
    if (!loaded.ok()) return c.Refuse("the plan history is damaged: " + loaded.status().message());
    PlanVersions copy = *loaded->first;  // the cached one is shared and stays as it is
    PlanVersions* versions = &copy;
    c.plan_history_version = loaded->second;
    Json change = (*a)["change"];
    change["reason"] = a->value("reason", "");
    change["approved_by"] = a->value("approved_by", "");
    change["approved_on"] = c.today.ToString();
    if (!a->value("requested_unit", "").empty()) change["requested_by"] = (*a)["requested_unit"];
    auto added = versions->Adjust(change);
    if (!added.ok()) return c.Refuse("the change cannot apply: change." + added.status().message());
    c.new_versions = std::make_shared<const PlanVersions>(std::move(copy));
    return true;
  }
};

const char* const kFiled = "filed";
struct FileNewVersion : Action<FileNewVersion> {
  static void Run(Context& c) {
    const int n = c.new_versions->size();
    c.StorePlanVersions(std::move(c.new_versions), c.plan_history_version);
    c.data["plan_version"] = n;
    FindAdjustment(c)->operator[]("plan_version") = n;
    c.result["plan_version"] = n;
  }
};

// ---------------------------------------------------------------------------------
// Mid-year check (中期核验) and rectification (整改). The office records what the check
// found; each finding becomes a rectification item in data.rectifications[] that the
// unit must put right by a day: open → reported (the unit, with what it did and the
// evidence) → closed (the office accepts it) or open again (the office does not, with a
// reason). data.midyear_findings[] keeps each check as recorded, naming its items.

// Each open item's day is a deadline like a step's: a mark_overdue timer at its end
// ({"step": "rectification", "item": id}, id "<lifecycle>#rectification/<item>"), set
// when the item is opened (recorded, or reopened before its day) and cancelled when the
// unit reports it. Firing, it marks the item overdue (item.overdue_since) and tells the
// unit; an item reopened after its day is overdue at once, without a timer. So an open
// item has a pending timer exactly when it has no overdue_since.
const char* const kRectificationStep = "rectification";

std::string RectificationTimerId(const Context& c, const std::string& item) {
  return c.TimerId(std::string(kRectificationStep) + "/" + item);
}

void SetRectificationTimer(Context& c, const std::string& item, const std::string& due) {
  auto d = Date::Parse(due);
  if (!d.ok()) return;  // checked when recorded
  c.timers_set.push_back(Timer{RectificationTimerId(c, item), c.current.id, "mark_overdue",
                               EndOfBeijingDayMs(*d),
                               Json{{"item", item}, {"step", kRectificationStep}}});
}

// payload.findings[k] as {finding, indicator?, rectify_by?}: a text alone is a finding
// with neither.
Json FindingObject(const Json& f) { return f.is_string() ? Json{{"finding", f}} : f; }

// The day a finding must be put right by: its own, or by default the self-assessment's
// deadline (the unit reports its rectification with its year at the latest).
std::string RectifyBy(const Context& c, const Json& finding) {
  const Json& by = Member(finding, "rectify_by");
  return by.is_string() ? by.get<std::string>() : c.cycle.config.milestones.self_assessment_due;
}

struct CanRecordMidyear : Guard<CanRecordMidyear> {
  static bool Check(Context& c) {
    const DateWindow& w = c.cycle.config.milestones.midyear_check;
    if (c.today.ToString() < w.from) {
      return c.Refuse("the mid-year check runs " + w.from + ".." + w.to + " (" + c.CycleText() +
                      "); today is " + c.today.ToString() + ": nothing to record before it starts");
    }
    const Json& findings = Member(c.payload(), "findings");
    if (!findings.is_null() && !findings.is_array()) {
      return c.Refuse(
          "payload.findings must list the findings (an empty list: the check found "
          "nothing to rectify)");
    }
    if (!findings.is_array() || findings.empty()) return true;
    auto versions = c.LoadPlanVersions();
    if (!versions.ok())
      return c.Refuse("the plan history is damaged: " + versions.status().message());
    const IndicatorTree& tree = versions->first->Latest().tree;
    const std::string last = c.cycle.config.milestones.self_assessment_due;
    for (size_t k = 0; k < findings.size(); ++k) {
      const std::string at = "payload.findings[" + std::to_string(k) + "]";
      const Json f = FindingObject(findings[k]);
      const Json& text = Member(f, "finding");
      if (!text.is_string() || text.get_ref<const std::string&>().empty()) {
        return c.Refuse(at +
                        " must be what the check found, as a text or {\"finding\": \"…\", "
                        "\"indicator\"?: \"<indicator id>\", \"rectify_by\"?: \"YYYY-MM-DD\"}");
      }
      const Json& indicator = Member(f, "indicator");
      if (!indicator.is_null()) {
        if (!indicator.is_string() ||
            FindIndicatorNode(tree, indicator.get<std::string>()) == nullptr) {
          return c.Refuse(at + ".indicator: the plan (version " +
                          std::to_string(versions->first->Latest().number) + ") has no indicator " +
                          indicator.dump());
        }
      }
      const Json& by = Member(f, "rectify_by");
      if (!by.is_null() && (!by.is_string() || !Date::Parse(by.get<std::string>()).ok())) {
        return c.Refuse(at + ".rectify_by must be a day, YYYY-MM-DD");
      }
      const std::string day = RectifyBy(c, f);
      if (day < c.today.ToString()) {
        return c.Refuse(
            at + ": the rectification cannot be due " + day + ", before today (" +
            c.today.ToString() + ")" +
            (by.is_null() ? "; give payload.findings[" + std::to_string(k) + "].rectify_by" : ""));
      }
      if (day > last) {
        return c.Refuse(at + ": the rectification must be due by " + last +
                        ", the self-assessment's deadline (" + c.CycleText() + "), not " + day);
      }
    }
    return true;
  }
};

struct RecordMidyear : Action<RecordMidyear> {
  static void Run(Context& c) {
    const Json& findings = Member(c.payload(), "findings");
    Json& items = c.data["rectifications"];
    if (!items.is_array()) items = Json::array();
    Json ids = Json::array();
    Json texts = Json::array();
    std::string first_due;
    for (const Json& raw : findings.is_array() ? findings : Json::array()) {
      const Json f = FindingObject(raw);
      const std::string id = "rect-" + std::to_string(items.size() + 1);
      const std::string due = RectifyBy(c, f);
      Json item{{"id", id},
                {"finding", f["finding"]},
                {"found_on", c.today.ToString()},
                {"found_by", c.command.actor.user},
                {"rectify_by", due},
                {"status", "open"},
                {"steps", Json::array()}};
      if (f.contains("indicator")) item["indicator"] = f["indicator"];
      items.push_back(std::move(item));
      SetRectificationTimer(c, id, due);
      ids.push_back(id);
      texts.push_back(f["finding"]);
      if (first_due.empty() || due < first_due) first_due = due;
    }
    c.data["midyear_findings"].push_back({{"on", c.today.ToString()},
                                          {"by", c.command.actor.user},
                                          {"items", ids},
                                          {"note", c.command.reason}});
    c.result["items"] = ids;
    if (!ids.empty()) {
      c.Announce("midyear_findings", {{"items", texts}, {"rectify_by", first_due}}, "unit",
                 first_due);
    }
  }
};

Json* FindRectification(Context& c) { return FindItem(c, kRectifications); }

// The rectification item named by payload.item must be in status From.
template <const char* const* From>
using RectificationIs = ItemIs<&kRectifications, From>;
const char* const kOpen = "open";
const char* const kReported = "reported";
const char* const kClosed = "closed";

struct HasRectificationEvidence : Guard<HasRectificationEvidence> {
  static bool Check(Context& c) {
    const Json& evidence = Member(c.payload(), "evidence");
    if (!IsTextList(evidence) || evidence.empty()) {
      return c.Refuse(
          "report_rectification needs payload.evidence: what shows the finding was "
          "put right, as texts");
    }
    return true;
  }
};

template <const char* const* To>
using MoveRectification = MoveItem<&kRectifications, To>;

// The unit reported the item: its clock stops. The timer goes unless it has fired (the
// item was overdue: the report's step keeps since when); a report after the item's day
// says how many working days late it came.
struct StopRectificationClock : Action<StopRectificationClock> {
  static void Run(Context& c) {
    Json& item = *FindRectification(c);
    Json& step = item["steps"].back();
    if (auto since = item.find("overdue_since"); since != item.end()) {
      step["overdue_since"] = *since;
      item.erase(since);
    } else {
      c.timers_cancelled.push_back(RectificationTimerId(c, item.value("id", "")));
    }
    auto due = Date::Parse(item.value("rectify_by", ""));
    if (due.ok() && c.today > *due) {
      if (auto n = c.calendar.WorkingDaysBetween(*due, c.today); n.ok()) {
        step["working_days_late"] = *n;
      }
    }
  }
};

// The office reopened the item: it is the unit's again against its own day — timed
// while the day is ahead, overdue at once when it has passed.
struct RestartRectificationClock : Action<RestartRectificationClock> {
  static void Run(Context& c) {
    Json& item = *FindRectification(c);
    const std::string due = item.value("rectify_by", "");
    auto d = Date::Parse(due);
    if (d.ok() && c.today > *d) {  // its day has passed, as for a late report
      item["overdue_since"] = c.today.ToString();
    } else {
      SetRectificationTimer(c, item.value("id", ""), due);
    }
  }
};

// What became of a rectification item, told to whom acts next: the office when the
// unit reports, the unit when the office closes or reopens it — then with the item's
// day as the notice's deadline, the item being the unit's again.
struct RectificationEvent {
  const char* event;
  const char* audience;
  bool deadline;
};
constexpr RectificationEvent kRectificationReported{"rectification_reported", "office", false};
constexpr RectificationEvent kRectificationClosed{"rectification_closed", "unit", false};
constexpr RectificationEvent kRectificationReopened{"rectification_reopened", "unit", true};

template <const RectificationEvent* E>
struct AnnounceRectification : Action<AnnounceRectification<E>> {
  static void Run(Context& c) {
    const Json* r = FindRectification(c);
    const std::string due = r->value("rectify_by", "");
    Json details{
        {"item", r->value("id", "")}, {"finding", r->value("finding", "")}, {"rectify_by", due}};
    c.Announce(E->event, std::move(details), E->audience, E->deadline ? due : std::string());
  }
};

// A rectification item's timer fired: the item, still open, is overdue from today, and
// the unit is told while it can still report (in execution or self-assessing). An item
// reported, closed or already marked in the meantime is refused: journaled, the timer
// consumed, nothing changed. The state stays as it is.
bool MarkRectificationOverdue(Context& c) {
  Json* item = FindRectification(c);
  const std::string id = c.payload().value("item", "");
  if (item == nullptr) {
    return c.Refuse("not marked overdue: no rectification item \"" + id + "\" on " + c.current.id);
  }
  const std::string status = item->value("status", "");
  if (status != kOpen) return c.Refuse("not marked overdue: rectification " + id + " is " + status);
  if (item->contains("overdue_since")) {
    return c.Refuse("not marked overdue: rectification " + id + " has been overdue since " +
                    item->value("overdue_since", ""));
  }
  (*item)["overdue_since"] = c.today.ToString();
  const std::string due = item->value("rectify_by", "");
  if (c.current.state == "in_execution" || c.current.state == "self_assessing") {
    c.Announce("rectification_overdue",
               {{"item", id}, {"finding", item->value("finding", "")}, {"rectify_by", due}}, "unit",
               due);
  }
  c.result = {{"overdue", kRectificationStep}, {"item", id}};
  return true;
}

// What a Context decided: its refusal, or `state` with its data, timers, other writes
// and result.
Decision DecisionOf(Context& c, std::string state) {
  if (c.refused) {
    Decision d = Decision::Refuse(c.reason.empty() ? c.command.name + " was refused" : c.reason);
    d.refusal_code = c.code;
    return d;
  }
  Decision d = Decision::Accept(std::move(state), std::move(c.data));
  d.timers_set = std::move(c.timers_set);
  d.timers_cancelled = std::move(c.timers_cancelled);
  d.other_writes = std::move(c.other_writes);
  d.after_commit = std::move(c.after_commit);
  d.result = std::move(c.result);
  return d;
}

// ---------------------------------------------------------------------------------
// Self-assessment and audit.

struct OpenSelfAssessment : Action<OpenSelfAssessment> {
  static void Run(Context& c) {
    c.CancelReminders("adjustment_window");  // no more adjustments once self-assessing
    c.SetDeadlineTimer("self_assessment_due", c.cycle.config.milestones.self_assessment_due);
  }
};

// The self-assessment reports completion per indicator with evidence (自查自评): an
// entry for every indicator of the plan in force, keyed by its id —
// {"completed": true, "evidence": ["…", …], "note"?: "…"} with at least one piece of
// evidence, or {"completed": false, "note": "why not", "evidence"?: […]} — and nothing
// else. The audit then has something to verify for each indicator it scores.
struct HasReport : Guard<HasReport> {
  static bool Check(Context& c) {
    const Json& r = Member(c.payload(), "report");
    if (!r.is_object() || r.empty()) {
      return c.Refuse(
          "the self-assessment needs payload.report: completion per indicator of the "
          "plan with evidence, {\"<indicator id>\": {\"completed\": true, \"evidence\": "
          "[\"…\"]}, …}");
    }
    auto versions = c.LoadPlanVersions();
    if (!versions.ok())
      return c.Refuse("the plan history is damaged: " + versions.status().message());
    const IndicatorTree& tree = versions->first->Latest().tree;
    for (const auto& [id, entry] : r.items()) {
      const std::string at = "payload.report[\"" + id + "\"]";
      const IndicatorNode* node = FindIndicatorNode(tree, id);
      if (node == nullptr || !node->children.empty()) {
        return c.Refuse(at + ": the plan (version " +
                        std::to_string(versions->first->Latest().number) + ") has no indicator \"" +
                        id + "\"");
      }
      const Json& completed = Member(entry, "completed");
      const Json& evidence = Member(entry, "evidence");
      const Json& note = Member(entry, "note");
      if (!entry.is_object() || !completed.is_boolean()) {
        return c.Refuse(at +
                        " must be {\"completed\": true or false, \"evidence\": [\"…\"], "
                        "\"note\": \"…\"}");
      }
      if (!evidence.is_null() && !IsTextList(evidence))
        return c.Refuse(at + ".evidence must list the evidence as texts");
      if (!note.is_null() && !note.is_string()) return c.Refuse(at + ".note must be a text");
      if (completed.get<bool>() && evidence.empty()) {
        return c.Refuse(at + ": " + node->name + " is reported completed without evidence");
      }
      if (!completed.get<bool>() &&
          (!note.is_string() || note.get_ref<const std::string&>().empty())) {
        return c.Refuse(at + ": " + node->name + " is reported not completed: say why in its note");
      }
    }
    std::vector<std::string> missing;
    const std::vector<const IndicatorNode*> leaves = Leaves(tree);
    for (const IndicatorNode* leaf : leaves) {
      if (!r.contains(leaf->id)) missing.push_back(leaf->id);
    }
    if (!missing.empty()) {
      const size_t shown = std::min<size_t>(missing.size(), 5);
      return c.Refuse("the report lacks " + std::to_string(missing.size()) + " of the plan's " +
                      std::to_string(leaves.size()) + " indicators: " +
                      Join(std::vector<std::string>(missing.begin(), missing.begin() + shown)) +
                      (shown < missing.size() ? ", …" : ""));
    }
    return true;
  }
};

struct StoreSelfAssessment : Action<StoreSelfAssessment> {
  static void Run(Context& c) {
    // The report goes to the record (SelfAssessmentRecordId), read version-checked, one
    // submission more; the lifecycle keeps what its steps need.
    const std::string record_id = SelfAssessmentRecordId(c.current.id);
    InstanceWrite w;
    w.after.id = record_id;
    w.after.type = "self_assessment";
    w.after.state = "submitted";
    if (auto stored = c.decide.load_shared(record_id); stored.ok()) {
      w.after.data = (*stored)->data;
      w.expected_version = (*stored)->version;
    }
    if (!w.after.data.is_object()) w.after.data = Json::object();
    w.after.data["lifecycle"] = c.current.id;
    w.after.data["unit"] = c.data.value("unit", "");
    Json& submissions = w.after.data["submissions"];
    if (!submissions.is_array()) submissions = Json::array();
    // A report that older code kept in the lifecycle's own data is the record's first
    // submission, so that it stays readable when the lifecycle lets go of it below.
    const auto kept = c.data.find("self_assessment");
    if (submissions.empty() && kept != c.data.end() && kept->is_object() &&
        kept->contains("report")) {
      submissions.push_back({{"n", 1},
                             {"report", (*kept)["report"]},
                             {"submitted_on", kept->value("submitted_on", "")},
                             {"by", kept->value("by", "")}});
    }
    const size_t n = submissions.size() + 1;
    const Json& report = c.payload()["report"];
    const size_t items = report.size();
    submissions.push_back({{"n", n},
                           {"report", report},
                           {"submitted_on", c.today.ToString()},
                           {"by", c.command.actor.user}});
    c.other_writes.push_back(std::move(w));
    c.data["self_assessment"] = {{"record", record_id},
                                 {"submission", n},
                                 {"items", items},
                                 {"submitted_on", c.today.ToString()},
                                 {"by", c.command.actor.user}};
    const Milestones& m = c.cycle.config.milestones;
    c.Complete("self_assessment_due", m.self_assessment_due);
    // The audit's deadlines are the lead assessors' and the office's from now on — on
    // the first submission, and again on each after a send_back, which paused them.
    // Handed over like a returned plan: a deadline that passed while the unit held the
    // self-assessment makes the step overdue at once, escalated only from now on (the
    // unit's own lateness is on record under self_assessment_due).
    c.HandOver("lead_scoring_due", m.lead_scoring_due);
    c.HandOver("onsite_verification_due", m.onsite_verification_due);
    // Older code planned the audit's timers only once and marked that here; a send_back
    // now cancels them, so each submission plans them and the mark means nothing.
    c.data.erase("audit_timers_set");
  }
};

// The indicators sent back are the plan's (an id, or {"indicator_id", "note"}), and a
// lead assessor sends back only indicators it leads (every one under a level item).
struct HasItems : Guard<HasItems> {
  static bool Check(Context& c) {
    const Json& items = Member(c.payload(), "items");
    if (!items.is_array() || items.empty()) {
      return c.Refuse("send_back needs payload.items: the indicators to correct");
    }
    auto versions = c.LoadPlanVersions();
    if (!versions.ok()) return c.Refuse("the plan history is damaged: " + versions.status().message());
    const IndicatorTree& tree = versions->first->Latest().tree;
    const bool lead = c.command.actor.role == "lead_assessor";
    for (size_t k = 0; k < items.size(); ++k) {
      const std::string where = "payload.items[" + std::to_string(k) + "]";
      const Json& item = items[k];
      const Json& id = item.is_string() ? item : Member(item, "indicator_id");
      if (!id.is_string() || id.get_ref<const std::string&>().empty()) {
        return c.Refuse(where + " must be an indicator id of the plan, or {\"indicator_id\", \"note\"}");
      }
      const IndicatorNode* node = FindIndicatorNode(tree, id.get<std::string>());
      if (node == nullptr) {
        return c.Refuse(where + ": the plan has no indicator \"" + id.get<std::string>() + "\"");
      }
      if (!lead) continue;
      std::set<std::string> leads;
      CollectLeads(*node, &leads);
      if (leads.size() != 1 || leads.count(c.command.actor.unit) == 0) {
        return c.Forbid(where + ": " + node->id + " is led by " + Join(leads) + ", not by " +
                        c.command.actor.unit + "; a lead assessor sends back only what it leads");
      }
    }
    return true;
  }
};

struct RecordSendBack : Action<RecordSendBack> {
  static void Run(Context& c) {
    c.data["sent_back"].push_back({{"on", c.today.ToString()},
                                   {"by", c.command.actor.user},
                                   {"items", c.payload()["items"]},
                                   {"reason", c.command.reason}});
  }
};

// Items sent back make the self-assessment the unit's duty again, exactly as a returned
// plan is (Context::HandOver against self_assessment_due: set again if ahead, overdue at
// once if passed, no escalation for the time the audit held it). The audit waits for
// the resubmission: nobody can score while the unit holds the items (record_scores and
// finish_audit need auditing), so lead_scoring_due and onsite_verification_due are
// nobody's — their timers and reminders go, and they leave data.overdue — until
// submit_self_assessment hands them over again against the same dates.
struct ReopenSelfAssessment : Action<ReopenSelfAssessment> {
  static void Run(Context& c) {
    const Milestones& m = c.cycle.config.milestones;
    c.Cancel("lead_scoring_due");
    c.Cancel("onsite_verification_due");
    c.HandOver("self_assessment_due", m.self_assessment_due);
  }
};

// A special-assessment score must come from a licensed registry item: "no licence, no
// assessment". The item is the instance named by registry_item ("registry/item/<id>");
// it must be "licensed" and its licence valid on the last day of the assessed year: the
// special assessment ran through the year it assessed, whose results are formed only
// in the spring after (a licence to 31 December, the registry's default, covers its
// year's results). `where` names the score in the payload.
bool CheckLicence(Context& c, const std::string& item_id, const std::string& where) {
  if (item_id.rfind("registry/item/", 0) != 0) {
    return c.Refuse(where + ".registry_item: a special-assessment score must name a licensed "
                    "registry item \"registry/item/<id>\" (no licence, no assessment)");
  }
  // The registry's own enforcement point decides (registry/licence.h); an item that does
  // not exist is refused the same way.
  const std::string year_end = std::to_string(c.cycle.config.year) + "-12-31";
  auto item = c.decide.load_shared(item_id);
  Instance absent;
  absent.id = item_id;
  Status licensed = registry::CheckLicensedFor(item.ok() ? **item : absent, year_end);
  if (!licensed.ok()) {
    return c.Refuse(where + ": " + licensed.message() + " (" + year_end +
                    ", the last day of the year the " + c.CycleText() + " assesses)");
  }
  return true;
}

// The registry item a score names: its own registry_item, else its entry's ("" if none).
const std::string& ItemOf(const Json& score, const Json& entry) {
  static const std::string kNone;
  const Json& own = Member(score, "registry_item");
  if (own.is_string()) return own.get_ref<const std::string&>();
  const Json& of_entry = Member(entry, "registry_item");
  return of_entry.is_string() ? of_entry.get_ref<const std::string&>() : kNone;
}

// The special target type is the results of special assessments (专项目标: "根据…专项考核
// 结果折算"), so every score of it — a raw score, or each indicator's points — names the
// licensed item it comes from, the entry's registry_item or the indicator's own. Other
// target types need one only when they name one.
bool CheckLicences(Context& c, const Json& e, const std::string& where) {
  const bool special = e.value("target_type", "") == "special";
  std::set<std::string> checked;
  auto check = [&](const std::string& item, const std::string& at) {
    return checked.count(item) != 0 || (CheckLicence(c, item, at) && checked.insert(item).second);
  };
  if (e.contains("registry_item") || (special && !e.contains("indicators"))) {
    if (!check(ItemOf(e, e), where)) return false;
  }
  if (!special) return true;
  const Json& indicators = Member(e, "indicators");
  for (size_t k = 0; k < indicators.size(); ++k) {
    if (!check(ItemOf(indicators[k], e), where + ".indicators[" + std::to_string(k) + "]"))
      return false;
  }
  return true;
}

// A score fits the plan it scores, as the total will need it (ComputeTotal): a raw score
// within [0, raw_max], an indicator of the plan under its target type with 0 to its
// weight in points. Checked when recorded, so that a lead assessor hears of a slip then
// and not when the office finishes the audit.
bool ScoresFitThePlan(Context& c, const Json& e, const std::string& where) {
  const std::string tt = e.value("target_type", "");
  if (e.contains("raw_score")) {
    const double raw = e["raw_score"].get<double>();
    const Json& max_json = Member(e, "raw_max");
    if (!max_json.is_null() && !max_json.is_number()) return c.Refuse(where + ".raw_max must be a number");
    const double max = max_json.is_number() ? max_json.get<double>() : 100.0;
    if (!(max > 0) || !std::isfinite(max)) return c.Refuse(where + ".raw_max must be more than 0");
    if (!std::isfinite(raw) || raw < 0 || raw > max) {
      return c.Refuse(where + ".raw_score " + internal::FormatNumber(raw) + " is outside [0, " + internal::FormatNumber(max) +
                      "]");
    }
  }
  const Json& scores = Member(e, "indicators");
  if (scores.empty()) return true;
  auto versions = c.LoadPlanVersions();
  if (!versions.ok()) return c.Refuse("the plan history is damaged: " + versions.status().message());
  const IndicatorTree& tree = versions->first->Latest().tree;
  for (size_t k = 0; k < scores.size(); ++k) {
    const std::string at = where + ".indicators[" + std::to_string(k) + "]";
    const std::string id = scores[k]["indicator_id"].get<std::string>();
    const IndicatorNode* node = FindIndicatorNode(tree, id);
    const IndicatorNode* type = node != nullptr ? TargetTypeOf(tree, id) : nullptr;
    if (node == nullptr || !node->children.empty() || type == nullptr || type->id != tt) {
      return c.Refuse(at + ": the plan has no indicator \"" + id + "\" under " + tt);
    }
    const double points = scores[k]["points"].get<double>();
    const double weight = node->weight.value_or(0);
    if (!std::isfinite(points) || points < 0 || points > weight + 1e-9) {
      return c.Refuse(at + ": " + internal::FormatNumber(points) + " points for " + id + " (" + node->name +
                      "), whose weight is " + internal::FormatNumber(weight) + ": points are 0 to the weight");
    }
  }
  return true;
}

bool CheckScoreEntries(Context& c, const Json& entries) {
  if (!entries.is_array() || entries.empty()) {
    return c.Refuse("payload.target_types must list scores: [{\"target_type\", \"raw_score\", "
                    "\"raw_max\"} or {\"target_type\", \"indicators\": [...]}]");
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    const Json& e = entries[i];
    const std::string tt = e.is_object() ? e.value("target_type", "") : "";
    if (c.cycle.config.FindTargetType(tt) == nullptr) {
      return c.Refuse("payload.target_types[" + std::to_string(i) + "].target_type: \"" + tt +
                      "\" is not a target type of the " + c.CycleText());
    }
    const std::string where = "payload.target_types[" + std::to_string(i) + "]";
    if (e.contains("raw_score") && !e["raw_score"].is_number()) {
      return c.Refuse(where + ".raw_score must be a number");
    }
    if (e.contains("registry_item") && !e["registry_item"].is_string()) {
      return c.Refuse(where + ".registry_item must be \"registry/item/<id>\"");
    }
    if (e.contains("indicators")) {
      const Json& scores = e["indicators"];
      if (!scores.is_array()) return c.Refuse(where + ".indicators must be a list");
      for (size_t k = 0; k < scores.size(); ++k) {
        const Json& s = scores[k];
        if (!s.is_object() || !Member(s, "indicator_id").is_string() ||
            !Member(s, "points").is_number() ||
            (s.contains("registry_item") && !s["registry_item"].is_string())) {
          return c.Refuse(where + ".indicators[" + std::to_string(k) +
                          "] must be {\"indicator_id\": \"…\", \"points\": a number} (and "
                          "\"registry_item\": \"registry/item/<id>\" for a special assessment's "
                          "result)");
        }
      }
    }
    if (!ScoresFitThePlan(c, e, where)) return false;
    if (!CheckLicences(c, e, where)) return false;
  }
  return true;
}

// A lead assessor records the results only of the special assessments it leads or
// co-leads (the items' lead and co_leads are unit ids, as its account's unit is).
bool LeadsItsItems(Context& c, const Json& e, const std::string& where) {
  const std::string& unit = c.command.actor.unit;
  std::set<std::string> items;
  if (e.contains("registry_item")) items.insert(ItemOf(e, e));
  for (const Json& score : Member(e, "indicators")) {
    if (!ItemOf(score, e).empty()) items.insert(ItemOf(score, e));
  }
  for (const std::string& id : items) {
    auto item = c.decide.load_shared(id);
    if (!item.ok()) return c.Refuse(where + ": cannot read " + id + ": " + item.status().message());
    if (registry::LedBy(**item, unit)) continue;
    const Json& lead = Member((*item)->data, "lead");
    return c.Forbid(where + ": " + id + " is led by " +
                    (lead.is_string() ? lead.get<std::string>() : "?") + ", not by " + unit +
                    "; a lead assessor records only the results of the "
                    "special assessments it leads or co-leads");
  }
  return true;
}


// Every node of `nodes` and below by id, the first in document order when ids repeat
// (as FindIndicatorNode finds them).
void IndexNodes(const std::vector<IndicatorNode>& nodes,
                std::unordered_map<std::string_view, const IndicatorNode*>* by_id) {
  for (const IndicatorNode& n : nodes) {
    by_id->emplace(n.id, &n);
    IndexNodes(n.children, by_id);
  }
}

// A lead assessor scores only what it leads (牵头考核单位): an indicator whose
// lead_assessor is its unit, or a whole target type in which it leads at least one
// indicator. The office may record any score.
bool LeadsWhatItScores(Context& c, const Json& entries) {
  if (c.command.actor.role != "lead_assessor") return true;
  auto versions = c.LoadPlanVersions();
  if (!versions.ok()) return c.Refuse("the plan history is damaged: " + versions.status().message());
  const IndicatorTree& tree = versions->first->Latest().tree;
  const std::string& unit = c.command.actor.unit;
  // The plan's nodes by id, indexed at the first indicator scored: a sheet that scores
  // every indicator of a real plan (159) walked the tree once for each.
  std::unordered_map<std::string_view, const IndicatorNode*> by_id;
  auto find = [&](const std::string& id) -> const IndicatorNode* {
    if (by_id.empty()) IndexNodes(tree.target_types, &by_id);
    const auto it = by_id.find(id);
    return it != by_id.end() ? it->second : nullptr;
  };
  for (size_t i = 0; i < entries.size(); ++i) {
    const Json& e = entries[i];
    const std::string where = "payload.target_types[" + std::to_string(i) + "]";
    if (!LeadsItsItems(c, e, where)) return false;
    const std::string tt = e.value("target_type", "");
    for (const Json& ind : Member(e, "indicators")) {
      const std::string id = ind.value("indicator_id", "");
      const IndicatorNode* node = find(id);
      if (node == nullptr) return c.Refuse(where + ": the plan has no indicator \"" + id + "\"");
      if (node->lead_assessor != unit) {
        return c.Forbid(where + ": indicator " + id + " is led by " + node->lead_assessor +
                        ", not by " + unit + "; a lead assessor scores only what it leads");
      }
    }
    if (e.contains("raw_score")) {
      // A raw score scores every indicator of the target type: only a lead of them all
      // may give one, or it would overwrite the scores of the other leads' indicators.
      std::set<std::string> leads;
      for (const IndicatorNode& type : tree.target_types) {
        if (type.id == tt) CollectLeads(type, &leads);
      }
      if (leads.count(unit) == 0) {
        return c.Forbid(where + ": " + unit + " leads no indicator of the target type \"" + tt +
                        "\"; a lead assessor scores only what it leads");
      }
      if (leads.size() > 1) {
        leads.erase(unit);
        return c.Forbid(where + ": a raw score scores all of the target type \"" + tt +
                        "\", whose indicators are also led by " + Join(leads) + "; " + unit +
                        " scores the indicators it leads (payload.target_types[].indicators)");
      }
    }
  }
  return true;
}

struct CanRecordScores : Guard<CanRecordScores> {
  static bool Check(Context& c) {
    const Json& entries = Member(c.payload(), "target_types");
    return CheckScoreEntries(c, entries) && LeadsWhatItScores(c, entries);
  }
};

// Puts the indicator scores of `entry` into `kept` (the target type's indicators scored
// so far): one indicator scored again replaces its points, a new one is added. Each
// says who scored it.
void MergeIndicatorScores(const Json& entry, const std::string& user, Json* kept) {
  for (const Json& score : Member(entry, "indicators")) {
    Json stored = score;
    stored["recorded_by"] = user;
    // The special assessment the points come from, named by the entry for all of them.
    if (const std::string& item = ItemOf(score, entry); !item.empty())
      stored["registry_item"] = item;
    const Json& id = Member(score, "indicator_id");
    auto same = std::find_if(kept->begin(), kept->end(),
                             [&](const Json& k) { return Member(k, "indicator_id") == id; });
    if (same != kept->end()) {
      *same = std::move(stored);
    } else {
      kept->push_back(std::move(stored));
    }
  }
}

// Scores accumulate per target type: each lead assessor scores the indicators it leads
// (a real plan's functional indicators have fifty leads), so scores by indicator join
// those already recorded for the target type. A raw score, or a special assessment's
// result, scores the whole target type and replaces what was there; so do indicator
// scores that follow a raw score.
void MergeScores(Context& c, const Json& entries) {
  const std::string& user = c.command.actor.user;
  for (const Json& e : entries) {
    const std::string tt = e.value("target_type", "");
    // The entry without its indicators, which are merged below (a sheet's worth of them
    // would otherwise be copied only to be replaced).
    Json stored = Json::object();
    // An entry's registry_item goes with its indicators (each keeps the item it came
    // from, as several special assessments score one target type).
    const bool by_indicators_now = e.contains("indicators");
    for (const auto& [key, value] : e.items()) {
      if (key != "indicators" && !(by_indicators_now && key == "registry_item"))
        stored[key] = value;
    }
    stored["recorded_by"] = user;
    if (e.contains("indicators")) {
      const Json& before = Member(Member(c.data, "scores"), tt);
      const bool by_indicators = before.is_object() && before.contains("indicators") &&
                                 before["indicators"].is_array() &&
                                 !before.contains("raw_score");
      Json kept = by_indicators ? before["indicators"] : Json::array();
      MergeIndicatorScores(e, user, &kept);
      stored["indicators"] = std::move(kept);
    }
    c.data["scores"][tt] = std::move(stored);
  }
}

struct StoreScores : Action<StoreScores> {
  static void Run(Context& c) { MergeScores(c, c.payload()["target_types"]); }
};

// Builds the score card from data.scores and computes the total.
bool ComputeCard(Context& c) {
  ScoreCard card;
  card.unit_id = c.data.value("unit", "");
  card.category_id = c.data.value("category", "");
  const Json& scores = Member(c.data, "scores");
  for (const auto& [tt, e] : scores.items()) {
    TargetTypeScore s;
    s.target_type = tt;
    if (e.contains("raw_score")) {
      if (!e["raw_score"].is_number()) return c.Refuse("scores." + tt + ".raw_score is not a number");
      s.raw_score = e["raw_score"].get<double>();
      s.raw_max = e.value("raw_max", 100.0);
    }
    for (const Json& i : Member(e, "indicators")) {
      s.indicators.push_back({i.value("indicator_id", ""), i.value("points", 0.0)});
    }
    card.target_types.push_back(std::move(s));
  }
  auto versions = c.LoadPlanVersions();
  if (!versions.ok()) return c.Refuse("the plan history is damaged: " + versions.status().message());
  auto scored = ComputeTotal(card, c.cycle.config, &versions->first->Latest().tree);
  if (!scored.ok()) return c.Refuse("the scores are not complete: " + scored.status().message());
  c.scored = *scored;
  return true;
}

struct ScoresComplete : Guard<ScoresComplete> {
  static bool Check(Context& c) { return ComputeCard(c); }
};

void StoreTotalFrom(Context& c) {
  c.data["total"] = c.scored->total;
  c.data["target_type_points"] = c.scored->target_type_points;
  c.result["total"] = c.scored->total;
}

struct StoreTotal : Action<StoreTotal> {
  static void Run(Context& c) {
    StoreTotalFrom(c);
    c.Cancel("lead_scoring_due");
    c.Cancel("onsite_verification_due");
    c.SetDeadlineTimer("results_due", c.cycle.config.milestones.results_due);
  }
};

// ---------------------------------------------------------------------------------
// Publication and appeal (复核申请).
void SetAppealTimer(Context& c, int64_t due_ms) {
  c.timers_set.push_back(Timer{c.TimerId("appeal_window"), c.current.id, "close_appeal_window",
                               due_ms, Json::object()});
}

struct CanPublish : Guard<CanPublish> {
  static bool Check(Context& c) {
    const int n = c.cycle.config.milestones.appeal_window_working_days;
    auto closes = c.calendar.AddWorkingDays(c.today, n);
    if (!closes.ok()) {
      return c.Refuse("cannot open the appeal window of " + std::to_string(n) +
                      " working days: " + closes.status().message());
    }
    c.result["appeal_window_closes"] = closes->ToString();
    return true;
  }
};

struct PublishResult : Action<PublishResult> {
  static void Run(Context& c) {
    const int n = c.cycle.config.milestones.appeal_window_working_days;
    auto closes = c.calendar.AddWorkingDays(c.today, n);  // checked by CanPublish
    c.data["published_on"] = c.today.ToString();
    c.data["appeal_window"] = {{"received", c.today.ToString()},
                               {"closes", closes->ToString()},
                               {"working_days", n}};
    c.Complete("results_due", c.cycle.config.milestones.results_due);
    SetAppealTimer(c, EndOfBeijingDayMs(*closes));
    // Remind the unit before its window closes: from the day it received the result,
    // never escalated (an appeal is a right; without one the result stands).
    ReminderOptions window;
    window.opens = c.today;
    window.past_escalations = false;
    c.SetReminders("appeal_window", *closes, window);
  }
};

struct CanAppeal : Guard<CanAppeal> {
  static bool Check(Context& c) {
    if (c.data.value("appeal_used", false)) {
      return c.Refuse("the result was already appealed and decided; a result may be appealed once");
    }
    const Json& w = c.data["appeal_window"];
    auto received = Date::Parse(w.value("received", ""));
    auto closes = Date::Parse(w.value("closes", ""));
    if (!received.ok() || !closes.ok()) return c.Refuse("the result has no appeal window");
    if (c.today > *closes) {
      auto met = c.calendar.WorkingDaysBetween(*received, c.today);
      return c.Refuse("appeals are accepted within " + std::to_string(w.value("working_days", 5)) +
                      " working days of receiving the result (received " + received->ToString() +
                      ", last day " + closes->ToString() + "); today is " + c.today.ToString() +
                      (met.ok() ? " (working day " + std::to_string(*met) + ")" : ""));
    }
    if (c.command.reason.empty()) return c.Refuse("an appeal needs reasons (the command's reason)");
    const Json& evidence = Member(c.payload(), "evidence");
    if (!evidence.is_array() || evidence.empty()) {
      return c.Refuse("an appeal needs evidence (payload.evidence: a non-empty list)");
    }
    return true;
  }
};

struct RecordAppeal : Action<RecordAppeal> {
  static void Run(Context& c) {
    c.data["appeal"] = {{"filed_on", c.today.ToString()},
                        {"by", c.command.actor.user},
                        {"reasons", c.command.reason},
                        {"evidence", c.payload()["evidence"]}};
    c.timers_cancelled.push_back(c.TimerId("appeal_window"));
    c.CancelReminders("appeal_window");  // the right is used
  }
};

struct WindowHasClosed : Guard<WindowHasClosed> {
  static bool Check(Context& c) {
    auto closes = Date::Parse(c.data["appeal_window"].value("closes", ""));
    if (closes.ok() && c.decide.now_ms < EndOfBeijingDayMs(*closes) &&
        !c.data.value("appeal_used", false)) {
      return c.Refuse("the appeal window is open until " + closes->ToString() + " 24:00");
    }
    return true;
  }
};

struct CloseWindow : Action<CloseWindow> {
  static void Run(Context& c) {
    c.data["result_stands_on"] = c.today.ToString();
    // Reminders before the end are past by now (the window closes at 24:00 of its last
    // day): a chain still at one of them (late, after a down time) goes. Not when the
    // cycle asks for an escalation, which says the window closed and follows them in
    // the chain: the late links are refused by the clock as they fire and the chain
    // goes on to it (notices_workflow.h).
    if (c.cycle.config.reminders.For("appeal_window").escalate_after_working_days.empty()) {
      c.CancelReminders("appeal_window");
    }
    c.SetDeadlineTimer("ratification_due", c.cycle.config.milestones.ratification_due);
  }
};

struct CanUphold : Guard<CanUphold> {
  static bool Check(Context& c) {
    const Json& entries = Member(c.payload(), "target_types");
    if (entries.is_null()) return c.Refuse("upholding an appeal re-scores: payload.target_types");
    if (!CheckScoreEntries(c, entries)) return false;
    const Json saved = c.data["scores"];
    MergeScores(c, entries);
    const bool ok = ComputeCard(c);
    c.data["scores"] = saved;
    return ok;
  }
};

struct RecordUphold : Action<RecordUphold> {
  static void Run(Context& c) {
    c.data["appeal"]["previous_total"] = c.data["total"];
    MergeScores(c, c.payload()["target_types"]);
    StoreTotalFrom(c);
    c.data["appeal"]["decision"] = "upheld";
    c.data["appeal"]["decided_by"] = c.command.actor.user;
    c.data["appeal"]["decision_reason"] = c.command.reason;
    c.data["appeal_used"] = true;
  }
};

struct RecordReject : Action<RecordReject> {
  static void Run(Context& c) {
    c.data["appeal"]["decision"] = "rejected";
    c.data["appeal"]["decided_by"] = c.command.actor.user;
    c.data["appeal"]["decision_reason"] = c.command.reason;
    c.data["appeal_used"] = true;
  }
};

struct Republish : Action<Republish> {
  static void Run(Context& c) {
    c.data["republished_on"] = c.today.ToString();
    // The appeal right is used: the result moves on at the end of the original window,
    // or at once when that has passed.
    auto closes = Date::Parse(c.data["appeal_window"].value("closes", ""));
    int64_t due = closes.ok() ? EndOfBeijingDayMs(*closes) : c.decide.now_ms;
    SetAppealTimer(c, std::max(due, c.decide.now_ms));
  }
};

// ---------------------------------------------------------------------------------
// Ratification.
struct HasGrade : Guard<HasGrade> {
  static bool Check(Context& c) {
    if (!c.data.contains("grade")) {
      return c.Refuse("the category has not been graded yet (the office sends grade to " +
                      c.data.value("cycle", "") + ")");
    }
    return true;
  }
};

struct RecordRatification : Action<RecordRatification> {
  static void Run(Context& c) {
    c.data["ratified_on"] = c.today.ToString();
    c.data["ratified_by"] = c.command.actor.user;
    c.Complete("ratification_due", c.cycle.config.milestones.ratification_due);
  }
};

struct RecordArchive : Action<RecordArchive> {
  static void Run(Context& c) { c.data["archived_on"] = c.today.ToString(); }
};

// ---------------------------------------------------------------------------------
// Event notices: what a transition did, told at once to whom it concerns (Context::
// Announce; docs/notifications.md has the table). Each runs after the transition's own
// actions, so it reads the data as the transition left it.

// The result as the unit reads it: total, and the grade once the category is graded.
Json ResultDetails(const Context& c) {
  Json d{{"total", c.data.value("total", Json())}};
  const Json& grade = Member(c.data, "grade");
  if (grade.is_object()) d["grade"] = grade.value("grade", "");
  return d;
}

// The plan is the unit's again: the reason, and plan_due (overdue when it has passed).
struct AnnounceReturn : Action<AnnounceReturn> {
  static void Run(Context& c) {
    const std::string& due = c.cycle.config.milestones.plan_due;
    auto d = Date::Parse(due);
    const bool overdue = d.ok() && c.decide.now_ms >= EndOfBeijingDayMs(*d);
    c.Announce("returned", {{"plan_due", due}, {"overdue", overdue}}, "unit", due);
  }
};

struct AnnounceApproval : Action<AnnounceApproval> {
  static void Run(Context& c) {
    c.Announce("plan_approved", {{"plan_version", c.data.value("plan_version", 1)}});
  }
};

// Issued: in force, and when indicator adjustments may be filed.
struct AnnounceIssue : Action<AnnounceIssue> {
  static void Run(Context& c) {
    const DateWindow& w = c.cycle.config.milestones.adjustment_window;
    c.Announce("plan_issued", {{"plan_version", c.data.value("plan_version", 1)},
                               {"adjustment_from", w.from},
                               {"adjustment_to", w.to}});
  }
};

// An adjustment decided (approved, filed as a new plan version, rejected). Which one is
// payload.adjustment, found by the row's guard.
template <const char* const* Event>
struct AnnounceAdjustment : Action<AnnounceAdjustment<Event>> {
  static void Run(Context& c) {
    const Json* a = FindAdjustment(c);
    Json details{{"adjustment", a->value("id", "")},
                 {"kind", a->value("kind", "adjust")},
                 {"adjustment_to", c.cycle.config.milestones.adjustment_window.to}};
    if (a->contains("plan_version")) details["plan_version"] = (*a)["plan_version"];
    c.Announce(*Event, std::move(details));
  }
};
const char* const kAdjustmentApproved = "adjustment_approved";
const char* const kAdjustmentFiled = "adjustment_filed";
const char* const kAdjustmentRejected = "adjustment_rejected";

// The self-assessment is the unit's again: the items, and self_assessment_due (overdue
// when it has passed: ReopenSelfAssessment marked it so), like a returned plan.
struct AnnounceSendBack : Action<AnnounceSendBack> {
  static void Run(Context& c) {
    const std::string& due = c.cycle.config.milestones.self_assessment_due;
    auto d = Date::Parse(due);
    const bool overdue = d.ok() && c.decide.now_ms >= EndOfBeijingDayMs(*d);
    c.Announce("sent_back",
               {{"items", c.payload()["items"]}, {"self_assessment_due", due}, {"overdue", overdue}},
               "unit", due);
  }
};

// Published: the total and the appeal deadline — the unit has its result from today, and
// the working days of its appeal window run from now.
struct AnnouncePublication : Action<AnnouncePublication> {
  static void Run(Context& c) {
    const Json& w = c.data["appeal_window"];
    Json details = ResultDetails(c);
    details["received"] = w.value("received", "");
    details["appeal_deadline"] = w.value("closes", "");
    details["appeal_working_days"] = w.value("working_days", 5);
    c.Announce("published", std::move(details), "unit", w.value("closes", ""));
  }
};

// The unit appealed: the office decides (the command's reason is the unit's reasons).
struct AnnounceAppeal : Action<AnnounceAppeal> {
  static void Run(Context& c) {
    c.Announce("appeal_lodged", {{"evidence", c.payload()["evidence"].size()}}, "office");
  }
};

struct AnnounceUphold : Action<AnnounceUphold> {
  static void Run(Context& c) {
    Json details = ResultDetails(c);
    details["previous_total"] = c.data["appeal"].value("previous_total", Json());
    c.Announce("appeal_upheld", std::move(details));
  }
};

struct AnnounceAppealRejected : Action<AnnounceAppealRejected> {
  static void Run(Context& c) { c.Announce("appeal_rejected", ResultDetails(c)); }
};

struct AnnounceRepublication : Action<AnnounceRepublication> {
  static void Run(Context& c) { c.Announce("republished", ResultDetails(c)); }
};

struct AnnounceRatification : Action<AnnounceRatification> {
  static void Run(Context& c) { c.Announce("ratified", ResultDetails(c)); }
};

// ---------------------------------------------------------------------------------
// The machine.
using UnitOnly = HasRole<kUnit>;
using LeadOnly = HasRole<kLeadAssessor>;
using OfficeOnly = HasRole<kOffice>;
using LeaderOnly = HasRole<kLeader>;
using OfficeOrLeader = HasRole<kOffice | kLeader>;
using OfficeOrLead = HasRole<kOffice | kLeadAssessor>;
using UnitOrLead = HasRole<kUnit | kLeadAssessor>;
using Reviewers = HasRole<kLeadAssessor | kOffice | kLeader>;
using CommitteeOnly = HasRole<kCommittee>;
using TimerOnly = HasRole<kSystem>;
using OfficeOrAdmin = HasRole<kOffice | kAdmin>;

struct LifecycleMachine : msm::front::state_machine_def<LifecycleMachine, NamedState> {
  Context* context = nullptr;  // not owned; set before every event
  bool no_transition_seen = false;

  using initial_state = Drafting;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //    Source               , Event                  , Target               , Action                                                                                         , Guard
  Row < Drafting             , submit                 , Submitted            , Do<StorePlan, HandInPlan>                                                                                 , All<UnitOnly, PlanIsValid>                                                  >,
  Row < Returned             , submit                 , Submitted            , Do<StorePlan, HandInPlan>                                                                                 , All<UnitOnly, PlanIsValid>                                                  >,
  Row < Submitted            , return_plan            , Returned             , Do<RecordReturn, BackToUnit, AnnounceReturn>                                                              , All<OfficeOrLeader, HasReason>                                              >,
  Row < Reviewed             , return_plan            , Returned             , Do<RecordReturn, BackToUnit, AnnounceReturn>                                                              , All<OfficeOrLeader, HasReason>                                              >,
  Row < Submitted            , office_agree           , Reviewed             , RecordOfficeAgreement                                                                                     , OfficeOnly                                                                  >,
  Row < Reviewed             , approve                , Approved             , Do<IssuePlanV1, AnnounceApproval>                                                                         , All<LeaderOnly, CanIssuePlan>                                               >,
  Row < Approved             , issue                  , InExecution          , Do<StartExecution, AnnounceIssue>                                                                         , OfficeOnly                                                                  >,
  Row < InExecution          , request_adjustment     , none                 , RecordAdjustmentRequest                                                                                   , All<UnitOrLead, CanRequestAdjustment>                                       >,
  Row < InExecution          , review_adjustment      , none                 , MoveAdjustment<&kFirstReviewed>                                                                           , All<LeadOnly, AdjustmentIs<&kRequested>, LeadOfAdjustment>                  >,
  Row < InExecution          , agree_adjustment       , none                 , MoveAdjustment<&kAgreed>                                                                                  , All<OfficeOnly, AdjustmentIs<&kFirstReviewed>>                              >,
  Row < InExecution          , approve_adjustment     , none                 , Do<MoveAdjustment<&kApprovedStatus>, RecordApprover, AnnounceAdjustment<&kAdjustmentApproved>>            , All<LeaderOnly, AdjustmentIs<&kAgreed>>                                     >,
  Row < InExecution          , file_adjustment        , none                 , Do<FileNewVersion, MoveAdjustment<&kFiled>, AnnounceAdjustment<&kAdjustmentFiled>>                        , All<OfficeOnly, AdjustmentIs<&kApprovedStatus>, CanFileAdjustment>          >,
  Row < InExecution          , reject_adjustment      , none                 , Do<MoveAdjustment<&kRejected>, AnnounceAdjustment<&kAdjustmentRejected>>                                  , All<Reviewers, HasReason, AdjustmentOpen, LeadOfAdjustment>                 >,
  Row < InExecution          , record_midyear         , none                 , RecordMidyear                                                                                             , All<OfficeOnly, CanRecordMidyear>                                           >,
  Row < InExecution          , report_rectification   , none                 , Do<MoveRectification<&kReported>, StopRectificationClock, AnnounceRectification<&kRectificationReported>> , All<UnitOnly, HasReason, RectificationIs<&kOpen>, HasRectificationEvidence> >,
  Row < SelfAssessing        , report_rectification   , none                 , Do<MoveRectification<&kReported>, StopRectificationClock, AnnounceRectification<&kRectificationReported>> , All<UnitOnly, HasReason, RectificationIs<&kOpen>, HasRectificationEvidence> >,
  Row < InExecution          , close_rectification    , none                 , Do<MoveRectification<&kClosed>, AnnounceRectification<&kRectificationClosed>>                             , All<OfficeOnly, RectificationIs<&kReported>>                                >,
  Row < SelfAssessing        , close_rectification    , none                 , Do<MoveRectification<&kClosed>, AnnounceRectification<&kRectificationClosed>>                             , All<OfficeOnly, RectificationIs<&kReported>>                                >,
  Row < Auditing             , close_rectification    , none                 , Do<MoveRectification<&kClosed>, AnnounceRectification<&kRectificationClosed>>                             , All<OfficeOnly, RectificationIs<&kReported>>                                >,
  Row < InExecution          , reopen_rectification   , none                 , Do<MoveRectification<&kOpen>, RestartRectificationClock, AnnounceRectification<&kRectificationReopened>>  , All<OfficeOnly, HasReason, RectificationIs<&kReported>>                     >,
  Row < SelfAssessing        , reopen_rectification   , none                 , Do<MoveRectification<&kOpen>, RestartRectificationClock, AnnounceRectification<&kRectificationReopened>>  , All<OfficeOnly, HasReason, RectificationIs<&kReported>>                     >,
  Row < Auditing             , reopen_rectification   , none                 , Do<MoveRectification<&kOpen>, RestartRectificationClock, AnnounceRectification<&kRectificationReopened>>  , All<OfficeOnly, HasReason, RectificationIs<&kReported>>                     >,
  Row < InExecution          , open_self_assessment   , SelfAssessing        , OpenSelfAssessment                                                                                        , OfficeOnly                                                                  >,
  Row < SelfAssessing        , submit_self_assessment , Auditing             , StoreSelfAssessment                                                                                       , All<UnitOnly, HasReport>                                                    >,
  Row < Auditing             , send_back              , SelfAssessing        , Do<RecordSendBack, ReopenSelfAssessment, AnnounceSendBack>                                                , All<OfficeOrLead, HasReason, HasItems>                                      >,
  Row < Auditing             , record_scores          , none                 , StoreScores                                                                                               , All<OfficeOrLead, CanRecordScores>                                          >,
  Row < Auditing             , finish_audit           , Scored               , StoreTotal                                                                                                , All<OfficeOnly, ScoresComplete>                                             >,
  Row < Scored               , publish                , Published            , Do<PublishResult, AnnouncePublication>                                                                    , All<OfficeOnly, CanPublish>                                                 >,
  Row < Published            , appeal                 , Appealed             , Do<RecordAppeal, AnnounceAppeal>                                                                          , All<UnitOnly, CanAppeal>                                                    >,
  Row < Published            , close_appeal_window    , ReadyForRatification , CloseWindow                                                                                               , All<TimerOnly, WindowHasClosed>                                             >,
  Row < Appealed             , uphold_appeal          , Decided              , Do<RecordUphold, AnnounceUphold>                                                                          , All<OfficeOnly, HasReason, CanUphold>                                       >,
  Row < Appealed             , reject_appeal          , Decided              , Do<RecordReject, AnnounceAppealRejected>                                                                  , All<OfficeOnly, HasReason>                                                  >,
  Row < Decided              , republish              , Published            , Do<Republish, AnnounceRepublication>                                                                      , OfficeOnly                                                                  >,
  Row < ReadyForRatification , ratify                 , Ratified             , Do<RecordRatification, AnnounceRatification>                                                              , All<CommitteeOnly, HasGrade>                                                >,
  Row < Ratified             , archive                , Archived             , RecordArchive                                                                                             , OfficeOrAdmin                                                               >
  > {};
  // clang-format on

  template <class Fsm, class Event>
  void no_transition(const Event&, Fsm&, int) {
    no_transition_seen = true;
  }
  template <class Fsm, class Event>
  void exception_caught(const Event&, Fsm&, std::exception& e) {
    if (context != nullptr) context->Refuse(std::string("internal error: ") + e.what());
  }
};

using Machine = msm::back::state_machine<LifecycleMachine>;

// Event dispatch by command name.
using Dispatch = msm::back::HandledEnum (*)(Machine&);
template <class... Events>
std::map<std::string, Dispatch> MakeDispatch() {
  return {{Events::kName, [](Machine& m) { return m.process_event(Events{}); }}...};
}
const std::map<std::string, Dispatch>& Dispatcher() {
  static const std::map<std::string, Dispatch> kDispatch =
      MakeDispatch<submit, return_plan, office_agree, approve, issue, request_adjustment,
                   review_adjustment, agree_adjustment, approve_adjustment, file_adjustment,
                   reject_adjustment, record_midyear, report_rectification, close_rectification,
                   reopen_rectification, open_self_assessment, submit_self_assessment, send_back,
                   record_scores, finish_audit, publish, appeal, close_appeal_window, uphold_appeal,
                   reject_appeal, republish, ratify, archive>();
  return kDispatch;
}

// State name ↔ the back-end's state id.
struct StateIds {
  std::map<std::string, int> by_name;
  std::vector<std::string> by_id;
};
const StateIds& Ids() {
  static const StateIds kIds = [] {
    StateIds ids;
    Machine m;
    for (int id = 0; id < static_cast<int>(kStates.size()); ++id) {
      const NamedState* s = m.get_state_by_id(id);
      ids.by_id.push_back(s->name());
      ids.by_name[s->name()] = id;
    }
    return ids;
  }();
  return kIds;
}

void Restore(Machine& m, int state_id) {
  // See the top of this file: current_state() points at the back-end's m_states.
  const_cast<int*>(m.current_state())[0] = state_id;
}

// Which commands have a row from each state: probed once by running every event in
// probe mode (guards answer false, so a row shows as a guard rejection).
const std::map<std::string, std::vector<std::string>>& AllowedTable() {
  static const std::map<std::string, std::vector<std::string>> kTable = [] {
    std::map<std::string, std::vector<std::string>> table;
    Instance dummy;
    Command cmd;
    DecideContext dc;
    WorkingDayCalendar cal("cn");
    LoadedCycle cycle;
    for (const std::string& state : kStates) {
      std::vector<std::string>& allowed = table[state];
      for (const auto& [name, dispatch] : Dispatcher()) {
        Context c{dummy, cmd, dc, cal, cycle, Date(), Json::object()};
        c.probe = true;
        Machine m;
        m.context = &c;
        Restore(m, Ids().by_name.at(state));
        if (dispatch(m) == msm::back::HANDLED_GUARD_REJECT) allowed.push_back(name);
      }
    }
    return table;
  }();
  return kTable;
}

// The commands a state allows, each with who may send it — "open_self_assessment
// (office)", "close_appeal_window (timer)" — from the command catalogue, so that a
// refused clerk reads who can act now, not only what.
std::string JoinWithRoles(const std::vector<std::string>& commands) {
  static const std::map<std::string, std::string> kWho = [] {
    std::map<std::string, std::string> who;
    for (const Json& type : CommandCatalog()) {
      if (Member(type, "type") != "lifecycle") continue;
      for (const Json& c : Member(type, "commands")) {
        std::vector<std::string> roles;
        const bool timer = Member(c, "timer") == true;
        for (const Json& r : Member(c, "roles")) {
          roles.push_back(r == "system" && timer ? "timer" : r.get<std::string>());
        }
        who[c.value("name", "")] = Join(roles);
      }
    }
    return who;
  }();
  std::vector<std::string> named;
  for (const std::string& c : commands) {
    const auto it = kWho.find(c);
    named.push_back(it == kWho.end() ? c : c + " (" + it->second + ")");
  }
  return Join(named);
}

// Which steps are open when (lifecycle_workflow.h): one row per step that has a
// deadline timer or reminders. A finished stage cancels its timers; these rows guard
// the firings that cancellation cannot reach (a late firing, timers of older code or of
// an older reminder policy).
enum class StepNature {
  kDuty,    // a deadline timer marks it overdue; reminded and escalated while open
  kReview,  // the office's review of a plan: reminded against plan_due, no timer
  kWindow,  // a right with a last day: reminded before it ends, never marked overdue
};
struct StepRule {
  const char* step;
  StepNature nature;
  std::set<std::string> open;    // the states in which it is somebody's to act on
  std::set<std::string> lapsed;  // a window: the states after it closed unused, in which
                                 // the escalation a cycle may ask for still says so
  const char* doer;              // who acts on it, and so is reminded of it (StepDoer)
};
// clang-format off
const std::vector<StepRule>& StepRules() {
  static const std::vector<StepRule> kRules = {
    // Submitted and reviewed: the plan is with the office, the unit's part is done.
    {"plan_due",                StepNature::kDuty,   {"drafting", "returned"},   {}, "unit"},
    {"plan_review",             StepNature::kReview, {"submitted", "reviewed"},  {}, "office"},
    {"adjustment_window",       StepNature::kWindow, {"in_execution"},           {}, "unit"},
    // Self-assessing also after a send_back: the unit's duty again.
    {"self_assessment_due",     StepNature::kDuty,   {"self_assessing"},         {}, "unit"},
    // Not while items are sent back: nobody can score what the unit holds.
    {"lead_scoring_due",        StepNature::kDuty,   {"auditing"},               {}, "lead_assessor"},
    {"onsite_verification_due", StepNature::kDuty,   {"auditing"},               {}, "office"},
    {"results_due",             StepNature::kDuty,   {"scored"},                 {}, "office"},
    {"appeal_window",           StepNature::kWindow, {"published"},              {"ready_for_ratification"}, "unit"},
    {"ratification_due",        StepNature::kDuty,   {"ready_for_ratification"}, {}, "committee"},
  };
  return kRules;
}
// clang-format on

const StepRule* FindStepRule(const std::string& step) {
  for (const StepRule& r : StepRules()) {
    if (step == r.step) return &r;
  }
  return nullptr;
}

// "drafting or returned".
std::string OrList(const std::set<std::string>& states) {
  std::string s;
  size_t i = 0;
  for (const std::string& state : states) {
    if (i > 0) s += i + 1 == states.size() ? " or " : ", ";
    s += state;
    ++i;
  }
  return s;
}

// "plan_due is done or closed: lifecycle/… is submitted (plan_due is open only while
// drafting or returned)".
std::string NotOpenReason(const std::string& step, const Instance& lifecycle,
                          const std::set<std::string>& open) {
  return step + " is done or closed: " + lifecycle.id + " is " + lifecycle.state + " (" + step +
         " is open only while " + OrList(open) + ")";
}

// "lifecycle/<year>/<scheme>/<unit>" → its parts.
struct ParsedId {
  int year = 0;
  std::string scheme;
  std::string unit;
};
std::optional<ParsedId> ParseLifecycleId(const std::string& id) {
  const std::string prefix = "lifecycle/";
  if (id.rfind(prefix, 0) != 0) return std::nullopt;
  const size_t a = id.find('/', prefix.size());
  if (a == std::string::npos) return std::nullopt;
  const size_t b = id.find('/', a + 1);
  if (b == std::string::npos || b + 1 >= id.size()) return std::nullopt;
  ParsedId p;
  try {
    p.year = std::stoi(id.substr(prefix.size(), a - prefix.size()));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  p.scheme = id.substr(a + 1, b - a - 1);
  p.unit = id.substr(b + 1);
  if (p.unit.find('/') != std::string::npos) return std::nullopt;
  return p;
}

}  // namespace

const std::set<std::string>& StepOpenStates(const std::string& step) {
  static const std::set<std::string> kNone;
  const StepRule* rule = FindStepRule(step);
  return rule == nullptr ? kNone : rule->open;
}

const std::string& StepDoer(const std::string& step) {
  static const std::string kUnitDoer = "unit";
  static const std::map<std::string, std::string> kDoers = [] {
    std::map<std::string, std::string> m;
    for (const StepRule& r : StepRules()) m[r.step] = r.doer;
    // The cycle's milestones that have no step in the lifecycle (no timer, no state of
    // their own): who acts on them, for their texts and calendar entries.
    m["midyear_check"] = "unit";
    m["new_task_window"] = "unit";
    m["external_scores_due"] = "office";
    return m;
  }();
  const auto it = kDoers.find(step);
  return it == kDoers.end() ? kUnitDoer : it->second;
}

const std::vector<std::string>& DeadlineSteps() {
  static const std::vector<std::string> kSteps = [] {
    std::vector<std::string> v;
    for (const StepRule& r : StepRules()) {
      if (r.nature == StepNature::kDuty) v.push_back(r.step);
    }
    return v;
  }();
  return kSteps;
}

Status CheckReminderDue(const Instance& lifecycle, const std::string& step,
                        const std::string& kind, const std::string& deadline, int64_t now_ms) {
  const StepRule* rule = FindStepRule(step);
  if (rule == nullptr) return Status::Refused("the lifecycle has no step \"" + step + "\"");
  if (rule->nature != StepNature::kWindow) {
    if (rule->open.count(lifecycle.state) == 0) {
      return Status::Refused(NotOpenReason(step, lifecycle, rule->open));
    }
    return Status::Ok();
  }
  // A window. Used, it is closed for good (an appeal: one per result).
  if (step == "appeal_window" &&
      (lifecycle.data.contains("appeal") || lifecycle.data.value("appeal_used", false))) {
    return Status::Refused(step + " is closed: the result was appealed (" + lifecycle.id +
                           " is " + lifecycle.state + ")");
  }
  if (kind == "escalation") {
    if (rule->open.count(lifecycle.state) == 0 && rule->lapsed.count(lifecycle.state) == 0) {
      std::set<std::string> either = rule->open;
      either.insert(rule->lapsed.begin(), rule->lapsed.end());
      return Status::Refused(NotOpenReason(step, lifecycle, either));
    }
    return Status::Ok();
  }
  // By the clock first, not by the state: after a down time the window's end may have
  // passed before close_appeal_window has fired, and the answer must not depend on
  // which of the two timers fires first.
  auto last = Date::Parse(deadline);
  if (last.ok() && now_ms >= EndOfBeijingDayMs(*last)) {
    return Status::Refused(step + " closed at the end of " + last->ToString() + " (" +
                           lifecycle.id + " is " + lifecycle.state + ")");
  }
  if (rule->open.count(lifecycle.state) == 0) {
    return Status::Refused(NotOpenReason(step, lifecycle, rule->open));
  }
  return Status::Ok();
}

std::string LifecycleId(int year, Scheme scheme, const std::string& unit_id) {
  return "lifecycle/" + std::to_string(year) + "/" + SchemeName(scheme) + "/" + unit_id;
}

LifecycleWorkflow::LifecycleWorkflow(const CalendarInForce* calendar) : calendar_(calendar) {}
LifecycleWorkflow::~LifecycleWorkflow() = default;

const std::vector<std::string>& LifecycleWorkflow::States() { return kStates; }

const std::vector<std::string>& LifecycleWorkflow::Commands() {
  static const std::vector<std::string> kCommands = [] {
    std::vector<std::string> v;
    for (const auto& [name, d] : Dispatcher()) v.push_back(name);
    return v;
  }();
  return kCommands;
}

std::vector<std::string> LifecycleWorkflow::AllowedIn(const std::string& state) {
  auto it = AllowedTable().find(state);
  return it == AllowedTable().end() ? std::vector<std::string>{} : it->second;
}

Decision LifecycleWorkflow::Decide(const Instance& cur, const Command& cmd,
                                   const DecideContext& ctx) const {
  const Actor& actor = cmd.actor;
  if (RoleBitOf(actor.role) == 0 && actor.role != "auditor") {
    return Decision::Forbid("unknown role \"" + actor.role + "\"");
  }
  if (cmd.name == "create") {
    if (cur.exists()) return Decision::Refuse("the assessment " + cur.id + " already exists");
    if ((RoleBitOf(actor.role) & (kOffice | kAdmin)) == 0) {
      return Decision::Forbid("only the office or an admin may create an assessment; " +
                              actor.user + " acts as " + actor.role);
    }
    auto id = ParseLifecycleId(cmd.instance_id);
    if (!id) {
      return Decision::Refuse("an assessment id is lifecycle/<year>/<scheme>/<unit>, not \"" +
                              cmd.instance_id + "\"");
    }
    const std::string cycle_id = "cycle/" + std::to_string(id->year) + "/" + id->scheme;
    auto cycle = cycles_.Load(ctx, cycle_id);
    if (!cycle.ok()) return Decision::Refuse("no cycle " + cycle_id + ": " + cycle.status().message());
    auto units = cycles_.Units(ctx, (*cycle)->units_id);
    if (!units.ok()) {
      return Decision::Refuse(units.status().IsNotFound()
                                  ? "the cycle's unit directory " + (*cycle)->units_id + " is missing"
                                  : "the unit directory is damaged: " + units.status().message());
    }
    const Unit* unit = (*units)->Find(id->unit);
    if (unit == nullptr) {
      return Decision::Refuse("no unit \"" + id->unit + "\" in " + (*cycle)->units_id);
    }
    if ((*cycle)->config.FindCategory(unit->category_id) == nullptr) {
      return Decision::Refuse("unit " + id->unit + " is not assessed in the " + cycle_id +
                              " (its category \"" + unit->category_id + "\" is not one of the cycle's)");
    }
    Json data{{"cycle", cycle_id},
              {"unit", id->unit},
              {"unit_name", unit->name},
              {"category", unit->category_id},
              {"year", id->year},
              {"scheme", id->scheme},
              {"overdue", Json::array()},
              {"adjustments", Json::array()}};
    Decision d = Decision::Accept("drafting", std::move(data));
    auto due = Date::Parse((*cycle)->config.milestones.plan_due);
    if (due.ok()) {
      d.timers_set.push_back(Timer{cur.id.empty() ? cmd.instance_id + "#plan_due" : cur.id + "#plan_due",
                                   cmd.instance_id, "mark_overdue", EndOfBeijingDayMs(*due),
                                   Json{{"step", "plan_due"}}});
      if (auto chain = ReminderChain(cmd.instance_id, "plan_due", *due, (*cycle)->config.reminders,
                                     calendar_->Now(), ctx.now_ms)) {
        d.timers_set.push_back(std::move(*chain));
      }
    }
    // The unit's inbox of reminders, created with the assessment.
    InstanceWrite notices;
    notices.after.id = NoticesId(cmd.instance_id);
    notices.after.type = "notices";
    notices.after.state = "active";
    notices.after.data = {{"unit", id->unit}, {"lifecycle", cmd.instance_id},
                          {"entries", Json::array()}, {"read_upto", 0}};
    notices.expected_version = 0;
    d.other_writes.push_back(std::move(notices));
    return d;
  }
  if (!cur.exists()) return Decision::Refuse("no assessment " + cmd.instance_id);

  // Unit isolation: a unit acts only on its own assessment.
  const std::string owner = cur.data.value("unit", "");
  if (actor.role == "unit" && actor.unit != owner) {
    return Decision::Forbid("unit \"" + actor.unit + "\" may act only on its own assessment; " +
                            cur.id + " is " + owner + "'s");
  }
  if (actor.role == "auditor") {
    return Decision::Forbid("an auditor reads everything and changes nothing");
  }

  const Date today = BeijingDate(ctx.now_ms);
  if (cmd.name == "mark_overdue") {
    if (actor.role != "system") return Decision::Forbid("only the timer marks steps overdue");
    const std::string step = cmd.payload.value("step", "");
    if (step != kRectificationStep) {  // a rectification item: decided below, with its cycle
      const StepRule* rule = FindStepRule(step);
      if (rule == nullptr || rule->nature != StepNature::kDuty) {
        return Decision::Refuse("no deadline step \"" + step + "\"");
      }
      if (rule->open.count(cur.state) == 0) {
        return Decision::Refuse("not marked overdue: " + NotOpenReason(step, cur, rule->open));
      }
      Json data = cur.data;
      MarkOverdue(data, step, today);
      Decision d = Decision::Accept(cur.state, std::move(data));
      d.result = {{"overdue", step}};
      return d;
    }
  }

  auto dispatch = Dispatcher().find(cmd.name);
  if (dispatch == Dispatcher().end() && cmd.name != "mark_overdue") {
    return Decision::Refuse("the lifecycle has no command \"" + cmd.name + "\"; commands: " +
                            Join(Commands()));
  }
  auto state = Ids().by_name.find(cur.state);
  if (state == Ids().by_name.end()) {
    return Decision::Refuse("the assessment is in an unknown state \"" + cur.state + "\"");
  }
  auto cycle = cycles_.Load(ctx, cur.data.value("cycle", ""));
  if (!cycle.ok()) return Decision::Refuse("the assessment's cycle: " + cycle.status().message());

  Context c{cur, cmd, ctx, calendar_->Now(), **cycle, today, cur.data};
  c.plans = &plans_;
  if (cmd.name == "mark_overdue") {
    MarkRectificationOverdue(c);
    return DecisionOf(c, cur.state);
  }
  Machine m;
  m.context = &c;
  Restore(m, state->second);
  const msm::back::HandledEnum handled = dispatch->second(m);
  if (m.no_transition_seen || handled == msm::back::HANDLED_FALSE) {
    std::string why = "cannot " + cmd.name + " while " + cur.state + "; allowed now: " +
                      JoinWithRoles(AllowedIn(cur.state));
    if (cmd.name == "appeal" && cur.data.contains("appeal_window")) {
      const Json& w = cur.data["appeal_window"];
      why += " (the appeal window of " + std::to_string(w.value("working_days", 5)) +
             " working days ran from " + w.value("received", "") + " to " +
             w.value("closes", "") + "; today is " + today.ToString() + ")";
    }
    return Decision::Refuse(why);
  }
  if (handled != msm::back::HANDLED_TRUE && !c.refused) c.Refuse("");
  Decision d = DecisionOf(c, Ids().by_id.at(m.current_state()[0]));
  if (d.accepted) d.result["state"] = d.state;
  return d;
}

std::vector<std::unique_ptr<Workflow>> MakeAssessmentWorkflows(CalendarInForce* calendar) {
  std::vector<std::unique_ptr<Workflow>> v;
  v.push_back(std::make_unique<CalendarWorkflow>(calendar));
  v.push_back(std::make_unique<UnitsWorkflow>());
  v.push_back(std::make_unique<CycleWorkflow>());
  v.push_back(std::make_unique<LifecycleWorkflow>(calendar));
  v.push_back(std::make_unique<PlanHistoryWorkflow>());
  v.push_back(std::make_unique<SelfAssessmentRecordWorkflow>());
  v.push_back(std::make_unique<NoticesWorkflow>());
  return v;
}

std::string CompanionId(const std::string& kind, const std::string& lifecycle_id) {
  const std::string prefix = "lifecycle/";
  return kind + "/" + (lifecycle_id.compare(0, prefix.size(), prefix) == 0
                           ? lifecycle_id.substr(prefix.size())
                           : lifecycle_id);
}

std::string PlanHistoryId(const std::string& lifecycle_id) {
  return CompanionId("plan", lifecycle_id);
}

PlanCache::PlanCache(size_t capacity, size_t text_bytes)
    : capacity_(std::max<size_t>(capacity, 1)), text_bytes_(text_bytes) {}

size_t PlanCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

size_t PlanCache::text_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

std::shared_ptr<const PlanVersions> PlanCache::Find(const std::string& id,
                                                   int64_t version) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  return it != entries_.end() && it->second.version == version ? it->second.plans : nullptr;
}

void PlanCache::Seed(const std::string& id, int64_t version,
                     std::shared_ptr<const PlanVersions> plans, size_t bytes) const {
  // What the cache lets go of is destroyed after the lock is released.
  std::vector<std::shared_ptr<const PlanVersions>> dropped;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) {
    it = entries_.emplace(id, Entry{version, std::move(plans), bytes}).first;
  } else if (it->second.version < version) {
    dropped.push_back(std::exchange(it->second.plans, std::move(plans)));
    bytes_ -= it->second.bytes;
    it->second.version = version;
    it->second.bytes = bytes;
  } else {
    return;  // as new or newer is there already
  }
  bytes_ += bytes;
  // Over a bound: drop arbitrary other entries (as the engine's instance cache does)
  // until it fits or this one is alone.
  for (auto victim = entries_.begin();
       victim != entries_.end() && (entries_.size() > capacity_ || bytes_ > text_bytes_);) {
    if (victim == it) {
      ++victim;
      continue;
    }
    dropped.push_back(std::move(victim->second.plans));
    bytes_ -= victim->second.bytes;
    victim = entries_.erase(victim);
  }
}

Result<std::pair<std::shared_ptr<const PlanVersions>, int64_t>> PlanCache::Load(
    const DecideContext& ctx, const std::string& id) const {
  // The version alone first: a hit needs neither the instance nor a parse.
  if (ctx.version_of) {
    auto version = ctx.version_of(id);
    if (!version.ok()) return version.status();
    if (*version == 0) return Status::NotFound("no instance \"" + id + "\"");
    if (auto hit = Find(id, *version)) return std::make_pair(std::move(hit), *version);
  }
  auto inst = ctx.load_shared(id);
  if (!inst.ok()) return inst.status();
  const int64_t version = (*inst)->version;
  if (auto hit = Find(id, version)) return std::make_pair(std::move(hit), version);
  auto parsed = ParsePlanVersions((*inst)->data);
  if (!parsed.ok()) return parsed.status();
  auto shared = std::make_shared<const PlanVersions>(std::move(*parsed));
  Seed(id, version, shared, ApproxTextBytes((*inst)->data));
  return std::make_pair(std::move(shared), version);
}

std::string SelfAssessmentRecordId(const std::string& lifecycle_id) {
  return CompanionId("self_assessment", lifecycle_id);
}

Decision SelfAssessmentRecordWorkflow::Decide(const Instance& current, const Command&,
                                              const DecideContext&) const {
  return Decision::Refuse("a self-assessment record changes only through its assessment (" +
                          current.id + "): submit_self_assessment there");
}

Decision PlanHistoryWorkflow::Decide(const Instance& current, const Command&,
                                     const DecideContext&) const {
  return Decision::Refuse("a plan history changes only through its assessment (" +
                          current.id + "): file an adjustment there");
}

}  // namespace govassess::workflows
