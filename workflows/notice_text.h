// Notice texts: what a reminder, an escalation or an event notice says, in zh-CN and en.
//
// The lifecycle plans reminders (reminder_policy.h) and announces what happens to an
// assessment (a plan returned, a result published, …); the notices workflow records
// both (notices_workflow.h). This file turns one recorded notice — its NoticeFacts —
// into the subject and body a civil servant reads in a mail or the in-app inbox, into
// a daily digest of several notices, and into the JSON body a webhook receives.
// Nothing here sends anything.
//
// Languages: "zh-CN" and "en". Any other language tag renders zh-CN (the working
// language of the offices); "zh", "zh-Hans" and the like are therefore zh-CN too.
//
// Step ids are those the lifecycle uses for deadlines and reminders ("plan_due",
// "self_assessment_due", …), the office's own "plan_review" (a submitted plan waits
// for its review; reminders go to the office and name the unit) plus the windows
// ("adjustment_window", "new_task_window", "appeal_window", "midyear_check"). The
// optional ones (IsOptionalStep) are opportunities, not duties: their reminders say
// when the window closes (en "closes", zh "将于…截止"), and an "escalation" only says
// that it closed. An unknown step renders
// with its id as label and a generic action; that is not an error.
//
// Events (kind "event") are what happened to a unit's assessment, told at once: see
// EventLabel for the list. An event notice says what happened, when and by whom, the
// reason given, the facts (total, grade, plan version, items to correct, …) and what
// to do next and by when. An unknown event renders a generic text; not an error.
//
// Thread safety: pure functions over values; safe from any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace govassess::workflows {

// The human name of a deadline kind, e.g. plan_due → "绩效计划报送" (zh-CN) /
// "Performance plan filing" (en). Unknown step → the step id itself.
std::string StepLabel(const std::string& step, const std::string& lang);

// What the recipient must do about it, as one sentence, e.g. plan_due →
// "请于截止日前在系统中提交绩效计划并报绩效办审核。". Unknown step → a generic sentence.
std::string StepAction(const std::string& step, const std::string& lang);

// True for steps that are an opportunity, not a duty (adjustment_window,
// new_task_window, appeal_window): letting one pass is not a fault, so its
// "escalation" says that the window has closed rather than asking for follow-up.
bool IsOptionalStep(const std::string& step);

// The facts of one notice, as the notices workflow records them (see the "remind"
// command) plus what the sender knows about the unit and the link.
struct NoticeFacts {
  std::string unit_id;    // "gx-nanning"
  std::string unit_name;  // "南宁市"
  std::string year;       // "2026"
  std::string scheme;     // "city" | "department"
  std::string step;       // "plan_due", "appeal_window", …
  std::string reminder;   // "before-5" | "due" | "escalation-1"
  std::string kind;       // "before" | "due" | "escalation"
  // before: working days left until the deadline; escalation: working days since it;
  // due: 0. Rendered as given (a late reminder keeps its planned count).
  int working_days = 0;
  std::string deadline;  // "YYYY-MM-DD", the last day
  bool late = false;     // delivered after its planned instant (the system was down)
  std::string audience;  // "unit" | "superior" | "office"
  std::string link;      // absolute URL of the step in the web UI, or empty

  // Only for kind "event" (step is then the event too; reminder is empty, working_days
  // 0, and deadline is the day by which the reader must act — the appeal deadline of
  // a published result, plan_due of a returned plan — or empty when there is none).
  std::string event;       // "returned", "published", … (EventLabel)
  std::string reason;      // the reason the actor gave; may be empty
  std::string actor_role;  // who acted: "office", "leader", "committee", "unit", …
  std::string on;          // "YYYY-MM-DD": the Beijing day it happened
  // What the event is about, by event: plan_version; adjustment; items (to correct);
  // total, previous_total, grade ("first" … "fail"); appeal_deadline, received,
  // appeal_working_days; adjustment_from/adjustment_to (the filing window); evidence
  // (how many pieces); overdue (true: deadline has passed). Missing ones are left out.
  nlohmann::json details = nlohmann::json::object();
};

// The facts as the notices workflow stores them in an inbox item or a delivery
// ("facts": {unit_id, unit_name, year, scheme, step, reminder, kind, working_days,
// deadline, late, audience} and, for an event, {event, reason, actor_role, on,
// details}); missing fields stay empty, audience defaults to "unit".
NoticeFacts NoticeFactsFromJson(const nlohmann::json& facts, const std::string& link = "");

// The human name of an event, e.g. "published" → "考评结果公布" (zh-CN) / "Result
// published" (en). The events: returned, plan_approved, plan_issued,
// adjustment_approved, adjustment_filed, adjustment_rejected, sent_back, published,
// appeal_lodged, appeal_upheld, appeal_rejected, republished, ratified,
// midyear_findings, rectification_reported, rectification_closed,
// rectification_reopened, rectification_overdue. Unknown event → its id.
std::string EventLabel(const std::string& event, const std::string& lang);

// True for the events listed at EventLabel.
bool IsKnownEvent(const std::string& event);

// How pressing an event notice is: "urgent" when the reader must act soon (returned,
// sent_back, published — the appeal window runs —, appeal_lodged, midyear_findings,
// rectification_reopened, rectification_overdue), "upcoming" for the
// others and for unknown events (for information).
std::string EventUrgency(const std::string& event);

struct NoticeText {
  std::string subject;  // one line, no newline
  std::string body;     // plain text, lines separated by "\n"
};

// The subject and body of one notice in `lang`. Subjects start with "【绩效考评提醒】"
// / "[GovAssess reminder]", escalations of a duty with "【逾期督办】" / "[Overdue]",
// events with "【绩效考评通知】" / "[GovAssess notice]" (e.g. "【绩效考评通知】考评结果已公布：
// 总分912.5分；如有异议，请于2026年3月20日前提出复核申请").
// The body names the deadline (label and date; in zh with the weekday, e.g.
// "2026年4月30日（星期四）"), the working days left / that it is today / how many
// working days ago it was missed and by which unit, what to do, the link if any, and a
// line about late delivery when facts.late. A deadline that is not a valid date is
// printed as given. An event's body says what happened, on which day and by whom, the
// reason given (on its own line), its facts, and what to do next and by when.
NoticeText RenderNotice(const NoticeFacts& facts, const std::string& lang);

// "【绩效考评提醒】2026年4月30日待办事项（共3项）" / "[GovAssess reminder] 3 items on
// Thursday, 30 April 2026". `date` is "YYYY-MM-DD" (printed as given if invalid).
std::string DigestSubject(const std::string& lang, size_t count, const std::string& date);

// One daily mail listing `notices`, most urgent first (SortByUrgency). The subject is
// DigestSubject(lang, notices.size(), date). An empty list renders a body saying there
// is nothing to do (callers normally send no digest then).
NoticeText RenderDigest(const std::vector<NoticeFacts>& notices, const std::string& lang,
                        const std::string& date);

// How pressing a reminder is: "overdue" (escalation), "due_today" (due), "urgent"
// (before, ≤ 1 working day left), "upcoming" (before, more; also any unknown kind).
std::string Urgency(const std::string& kind, int working_days);

// The urgency of any notice: EventUrgency(event) for an event, else Urgency(kind,
// working_days).
std::string NoticeUrgency(const NoticeFacts& facts);

// Sort key of an urgency: overdue 0, due_today 1, urgent 2, upcoming 3, unknown 4.
int UrgencyRank(const std::string& urgency);

// Stable sort, most urgent first: by UrgencyRank (of NoticeUrgency); escalations by
// most working days overdue, reminders before a deadline by fewest working days left,
// events after the reminders of their urgency; then by deadline, unit and step so the
// order does not depend on the input order.
void SortByUrgency(std::vector<NoticeFacts>* notices);

// The JSON a webhook receives for one notice:
//   {"type": "govassess.reminder", "id": delivery_id, "unit", "unit_name", "year",
//    "scheme", "step", "step_label": {"zh-CN", "en"}, "reminder", "kind", "urgency",
//    "working_days", "deadline", "late", "audience", "sent_at", "link"}
// sent_at is ISO 8601 UTC with milliseconds, e.g. "2026-04-23T01:00:00.000Z"; link is
// null when empty. `delivery_id` identifies this delivery (receivers deduplicate on it).
// An event has the same fields ("type": "govassess.event", step and step_label the
// event's, reminder "", kind "event", deadline "" when there is none) and also
// "event", "reason", "actor_role", "on" and "details" (NoticeFacts).
nlohmann::json WebhookBody(const NoticeFacts& facts, const std::string& delivery_id,
                           int64_t sent_ms);

// Text helpers shared with ical.cc and the tests.
namespace internal {
// True when `lang` selects English ("en", "en-US", …); anything else is zh-CN.
bool IsEnglish(const std::string& lang);
// "2026年4月30日（星期四）" / "Thursday, 30 April 2026"; an invalid date as given.
std::string LongDate(const std::string& date, const std::string& lang);
// "2026-04-23T01:00:00.000Z".
std::string IsoUtc(int64_t utc_ms);
// A step's doer (StepDoer) as a third party names it: "the lead assessors" / "主考单位",
// "the performance office", "the assessment committee"; "the unit" / "该单位" otherwise.
std::string DoerName(const std::string& doer, bool en);
}  // namespace internal

}  // namespace govassess::workflows
