#include "workflows/command_catalog.h"

#include <string>
#include <utility>
#include <vector>

#include "engine/command_schema.h"
#include "workflows/lifecycle_workflow.h"
#include "workflows/user_workflow.h"

namespace govassess::workflows {
namespace {

using namespace catalog;  // NOLINT: the catalogue reads as a table of these pieces

Json WorkflowEntry(const std::string& type, const std::string& summary,
                   const std::string& instance_id, const Names& states,
                   std::vector<Json> commands) {
  return {{"type", type},
          {"summary", summary},
          {"instance_id", instance_id},
          {"states", states},
          {"commands", commands}};
}

// ---- Shared payload shapes ------------------------------------------------------------

// One node of a plan's indicator tree at `level` (0 target type … 4 indicator), the
// form ParseIndicatorTree reads (workflows/indicator_tree.h). Spelled out level by
// level: the depth is fixed, and a schema without $ref stays valid wherever it is put.
Json PlanNode(int level) {
  static const char* const kLevels[] = {"target type (a target type id of the cycle)", "level-1",
                                        "level-2", "level-3", "indicator"};
  Json props{{"id", NonEmptyStr("unique in the plan: A-Z a-z 0-9 . _ -, at most 64")},
             {"name", NonEmptyStr()}};
  if (level < 4) {
    props["weight"] = Num("optional declared total of the indicators below (points)");
    props["children"] = List(PlanNode(level + 1), "", 1);
    return Obj(props, {"id", "name", "children"}, true, std::string(kLevels[level]) + " node");
  }
  props["weight"] = Num("points of the 1000-point total, > 0");
  props["target"] = NonEmptyStr("the target or requirement (目标值/指标要求)");
  props["lead_assessor"] = NonEmptyStr("unit id of the lead assessor (牵头考核单位)");
  props["data_provider"] = Str("unit id of the data provider");
  props["scoring_rule"] = Str("how it is scored (评分标准)");
  return Obj(props, {"id", "name", "weight", "target", "lead_assessor"}, true,
             "an indicator (leaf)");
}

Json PlanSchema() {
  return Obj({{"year", Int("the cycle's year")},
              {"unit_id", NonEmptyStr("the assessed unit: the lifecycle's unit")},
              {"category_id", NonEmptyStr("the unit's category in the cycle")},
              {"name", Str("optional title, e.g. 南宁市2026年度绩效计划")},
              {"target_types", List(PlanNode(0), "", 1)}},
             {"year", "unit_id", "category_id", "target_types"}, true,
             "the performance plan: an indicator tree of fixed depth (workflows/indicator_tree.h); "
             "each target type's indicators sum to its points in the unit's category");
}

Json ScoreEntries(const std::string& description) {
  const Json entry = Obj(
      {{"target_type", NonEmptyStr("a target type id of the cycle")},
       {"raw_score", Num("a whole target type's score, scaled by raw_max")},
       {"raw_max", Num("the scale of raw_score (default 100)")},
       {"indicators",
        List(Obj({{"indicator_id", NonEmptyStr()},
                  {"points", Num()},
                  {"registry_item", Str("registry/item/<id>: the special assessment these "
                                        "points come from (default: the entry's)")}},
                 {"indicator_id", "points"}),
             "points per indicator of the plan")},
       {"registry_item",
        Str("registry/item/<id>: the licensed special assessment the score comes from (no "
            "licence, no assessment); every score of the target type \"special\" names one, "
            "here or on each indicator, and a lead assessor names only items it leads or "
            "co-leads")}},
      {"target_type"}, false, "raw_score (with raw_max) or indicators");
  return List(entry, description, 1);
}

Json AdjustmentRef() {
  return Obj({{"adjustment", Described({{"type", "string"}, {"pattern", "^adj-[0-9]+$"}},
                                       "the request, as request_adjustment answered (adj-1, …)")}},
             {"adjustment"});
}

Json RectificationRef() {
  return Described({{"type", "string"}, {"pattern", "^rect-[0-9]+$"}},
                   "the item, as record_midyear answered (rect-1, …)");
}

const Names kHumanRoles = {"unit",      "lead_assessor", "office", "leader",
                           "committee", "auditor",       "admin"};

// ---- The workflows ----------------------------------------------------------------------

// The states in which some deadline step is open (StepOpenStates), or a mid-year
// finding's rectification item may be (from in_execution on), in lifecycle order: where
// mark_overdue may mark one.
Names OverdueStates() {
  Names out;
  bool items = false;
  for (const std::string& state : LifecycleWorkflow::States()) {
    items = items || state == "in_execution";
    if (items) {
      out.push_back(state);
      continue;
    }
    for (const std::string& step : DeadlineSteps()) {
      if (StepOpenStates(step).count(state) != 0) {
        out.push_back(state);
        break;
      }
    }
  }
  return out;
}

// What mark_overdue marks: a deadline step, or a rectification item (payload.item).
Names OverdueSteps() {
  Names out = DeadlineSteps();
  out.push_back("rectification");
  return out;
}

Json Lifecycle() {
  const std::string own = "a unit acts only on its own assessment";
  return WorkflowEntry(
      "lifecycle",
      "The yearly assessment lifecycle of one assessed unit in one cycle (docs/lifecycle.md)",
      "lifecycle/<year>/<scheme>/<unit>", LifecycleWorkflow::States(),
      {Cmd("create",
           "Start a unit's assessment in a cycle (the cycle and its unit directory must "
           "exist); plans the plan_due deadline and creates the unit's notices")
           .Roles({"office", "admin"})
           .Creates(),
       Cmd("submit", "File the performance plan (payload.plan), or re-file it after a return")
           .Roles({"unit"})
           .Who(own)
           .States({"drafting", "returned"})
           .Payload(Obj({{"plan", PlanSchema()}}, {}, false,
                        "plan is required on the first submit; left out, the stored plan is "
                        "submitted again")),
       Cmd("return", "Return the plan for revision; the reason is shown to the unit")
           .Roles({"office", "leader"})
           .States({"submitted", "reviewed"})
           .Reason(),
       Cmd("office_agree", "The office agrees to the submitted plan (the leader approves next)")
           .Roles({"office"})
           .States({"submitted"}),
       Cmd("approve",
           "Approve the plan: it is issued as version 1 of the plan history "
           "plan/<year>/<scheme>/<unit>; the reason, if any, is the approval note")
           .Roles({"leader"})
           .States({"reviewed"}),
       Cmd("issue", "Issue (印发) the approved plan: execution starts")
           .Roles({"office"})
           .States({"approved"}),
       Cmd("request_adjustment",
           "Ask for an indicator adjustment (指标调整) inside the cycle's filing window, or for a "
           "new major task within N working days of the assigning document")
           .Roles({"unit", "lead_assessor"})
           .Who(own + "; a lead assessor asks only about indicators it leads, and its request "
                      "starts first-reviewed")
           .States({"in_execution"})
           .Reason()
           .Payload(Obj(
               {{"change",
                 Obj({{"operations",
                       List(Obj({{"op", OneOf({"modify", "add", "remove"})},
                                 {"id", Str("modify, remove: the node")},
                                 {"parent_id", Str("add: the node to add under")},
                                 {"node", Any("add: the new subtree, as in the plan")},
                                 {"name", Str("modify")},
                                 {"weight", Num("modify: points (an indicator) or the "
                                                "declared total (an inner node)")},
                                 {"target", Str("modify")},
                                 {"lead_assessor", Str("modify")},
                                 {"data_provider", Str("modify")},
                                 {"scoring_rule", Str("modify")}},
                                {"op"}),
                            "applied in order, atomically; every target type keeps its "
                            "total (docs/cycle-config.md)",
                            1)}},
                     {"operations"}, false, "the change, dry-run against the latest plan version")},
                {"kind", OneOf({"adjust", "new_task"}, "default adjust")},
                {"document_received",
                 Day("new_task: the day the assigning document was received")}},
               {"change"})),
       Cmd("review_adjustment",
           "A lead assessor first-reviews a unit's request (requested → "
           "first_reviewed); the reason, if any, is recorded")
           .Roles({"lead_assessor"})
           .Who("a lead assessor of an indicator the request touches")
           .States({"in_execution"})
           .Payload(AdjustmentRef()),
       Cmd("agree_adjustment", "The office agrees to an adjustment (first_reviewed → agreed)")
           .Roles({"office"})
           .States({"in_execution"})
           .Payload(AdjustmentRef()),
       Cmd("approve_adjustment", "The leader approves an adjustment (agreed → approved)")
           .Roles({"leader"})
           .States({"in_execution"})
           .Payload(AdjustmentRef()),
       Cmd("file_adjustment",
           "The office files an approved adjustment inside the window: a new "
           "plan version (approved → filed)")
           .Roles({"office"})
           .States({"in_execution"})
           .Payload(AdjustmentRef()),
       Cmd("reject_adjustment", "Reject an open adjustment request")
           .Roles({"lead_assessor", "office", "leader"})
           .Who("a lead assessor only a request touching an indicator it leads")
           .States({"in_execution"})
           .Reason()
           .Payload(AdjustmentRef()),
       Cmd("record_midyear",
           "Record the mid-year check's (中期核验) findings, from the check's first day: each "
           "becomes a rectification item (整改) the unit must put right by its rectify_by "
           "(default: the self-assessment's deadline); the reason is the note")
           .Roles({"office"})
           .States({"in_execution"})
           .Payload(Obj({{"findings",
                          List(Any("a finding: its text, or {\"finding\": text, \"indicator\"?: "
                                   "an indicator id of the plan, \"rectify_by\"?: YYYY-MM-DD, from "
                                   "today to the self-assessment's deadline}"),
                               "default []: the check found nothing to rectify")}})),
       Cmd("report_rectification",
           "The unit reports an open rectification item put right, with evidence; the reason "
           "says what was done (open → reported)")
           .Roles({"unit"})
           .Who(own)
           .States({"in_execution", "self_assessing"})
           .Reason()
           .Payload(Obj({{"item", RectificationRef()},
                         {"evidence", List(NonEmptyStr(), "what shows it was put right", 1)}},
                        {"item", "evidence"})),
       Cmd("close_rectification",
           "The office accepts a reported rectification and closes the item (reported → closed)")
           .Roles({"office"})
           .States({"in_execution", "self_assessing", "auditing"})
           .Payload(Obj({{"item", RectificationRef()}}, {"item"})),
       Cmd("reopen_rectification",
           "The office does not accept a reported rectification: the item is open again, the "
           "reason is shown to the unit (reported → open)")
           .Roles({"office"})
           .States({"in_execution", "self_assessing", "auditing"})
           .Reason()
           .Payload(Obj({{"item", RectificationRef()}}, {"item"})),
       Cmd("open_self_assessment", "Open the self-assessment (自查自评); plans its deadline")
           .Roles({"office"})
           .States({"in_execution"}),
       Cmd("submit_self_assessment",
           "Report completion per indicator with evidence; plans the audit deadlines (again "
           "after a send_back)")
           .Roles({"unit"})
           .Who(own)
           .States({"self_assessing"})
           .Payload(Obj(
               {{"report",
                 Json{{"type", "object"},
                      {"minProperties", 1},
                      {"additionalProperties",
                       Obj({{"completed", Bool()},
                            {"evidence", List(NonEmptyStr(), "at least one when completed")},
                            {"note", Str("why not, when not completed")}},
                           {"completed"})},
                      {"description",
                       "an entry for every indicator of the plan in force, keyed by its id, "
                       "and nothing else: {\"<indicator id>\": {\"completed\": true, "
                       "\"evidence\": [\"…\"]}} or {\"completed\": false, \"note\": \"why\"}"}}}},
               {"report"})),
       Cmd("send_back",
           "Send indicators back to the unit for correction: the self-assessment is the "
           "unit's again against its deadline, the audit deadlines wait for it")
           .Roles({"office", "lead_assessor"})
           .Who("a lead assessor only the indicators it leads")
           .States({"auditing"})
           .Reason()
           .Payload(Obj({{"items", List(Any("an indicator id of the plan, or {\"indicator_id\", "
                                            "\"note\"}"),
                                        "", 1)}},
                        {"items"})),
       Cmd("record_scores", "Record scores per target type (merged into the score card)")
           .Roles({"office", "lead_assessor"})
           .Who("a lead assessor scores only the indicators (or target types) it leads")
           .States({"auditing"})
           .Payload(Obj({{"target_types", ScoreEntries("")}}, {"target_types"})),
       Cmd("finish_audit", "Close the audit: the score card must be complete; computes the total")
           .Roles({"office"})
           .States({"auditing"}),
       Cmd("publish",
           "Publish the result to the unit: the appeal window of the cycle's working "
           "days opens")
           .Roles({"office"})
           .States({"scored"}),
       Cmd("appeal",
           "Apply for review (复核申请) inside the appeal window, once; the reason "
           "gives the grounds")
           .Roles({"unit"})
           .Who(own)
           .States({"published"})
           .Reason()
           .Payload(Obj({{"evidence", List(Any("a piece of evidence"), "", 1)}}, {"evidence"})),
       Cmd("close_appeal_window",
           "The appeal window ended: the result stands and ratification "
           "is due")
           .Roles({"system"})
           .States({"published"})
           .System()
           .Timer(),
       Cmd("uphold_appeal", "Uphold the appeal and re-score (payload.target_types): a new total")
           .Roles({"office"})
           .States({"appealed"})
           .Reason()
           .Payload(Obj({{"target_types", ScoreEntries("the new scores")}}, {"target_types"})),
       Cmd("reject_appeal", "Reject the appeal, with the reasons")
           .Roles({"office"})
           .States({"appealed"})
           .Reason(),
       Cmd("republish", "Publish the decided result again (the appeal right is used)")
           .Roles({"office"})
           .States({"decided"}),
       Cmd("ratify", "The committee ratifies the result (the category must have been graded)")
           .Roles({"committee"})
           .States({"ready_for_ratification"}),
       Cmd("archive", "Archive the ratified result")
           .Roles({"office", "admin"})
           .States({"ratified"}),
       Cmd("mark_overdue",
           "A deadline passed with its step still open: the step is marked overdue (refused "
           "when the step is done or with someone else); step \"rectification\" with item: "
           "a mid-year finding's item still open past its rectify_by")
           .Roles({"system"})
           .States(OverdueStates())
           .System()
           .Timer()
           .Payload(
               Obj({{"step", OneOf(OverdueSteps())}, {"item", RectificationRef()}}, {"step"}))});
}

Json Plan() {
  return WorkflowEntry(
      "plan",
      "The plan history of a lifecycle: every issued version, readable; it changes "
      "only through its lifecycle (approve, file_adjustment) and refuses every command",
      "plan/<year>/<scheme>/<unit>", {"issued"}, {});
}

Json SelfAssessmentRecord() {
  return WorkflowEntry(
      "self_assessment",
      "The self-assessment record of a lifecycle: every report the unit submitted (the "
      "first after a send_back too), readable; it changes only through its lifecycle "
      "(submit_self_assessment) and refuses every command",
      "self_assessment/<year>/<scheme>/<unit>", {"submitted"}, {});
}

Json UnitDirectorySchema() {
  return Obj({{"name", Str()},
              {"source", Str()},
              {"units", List(Obj({{"id", NonEmptyStr("1 to 64 characters")},
                                  {"name", Str()},
                                  {"short_name", Str()},
                                  {"kind", Str("province, city, department, …")},
                                  {"category_id", Str("the category it is assessed in")},
                                  {"parent_id", Str()},
                                  {"superior_id", Str("who its missed deadlines escalate to")}},
                                 {"id", "name", "kind"}, true))}},
             {"name", "units"}, true, "the unit tree (workflows/units.h)");
}

Json Calendar() {
  const Json dates = List(NonEmptyStr("YYYY-MM-DD, or a range YYYY-MM-DD..YYYY-MM-DD"));
  const Json holiday =
      Obj({{"name", NonEmptyStr("e.g. 春节, 国庆节、中秋节")},
           {"off",
            List(NonEmptyStr("YYYY-MM-DD, or a range YYYY-MM-DD..YYYY-MM-DD"), "its days off", 1)},
           {"work", Described(dates, "its make-up working days (调休上班)")}},
          {"name", "off"}, true);
  const Json year = Obj({{"year", Int("the year in the notice's title")},
                         {"source", NonEmptyStr("the notice's title, number and gov.cn address")},
                         {"holidays", List(holiday, "in the notice's order", 1)}},
                        {"year", "source", "holidays"}, true);
  return WorkflowEntry(
      "calendar",
      "The State Council arrangements an admin loaded on top of the shipped calendar; every "
      "deadline counts with them once loaded",
      "calendar/<region>, e.g. calendar/cn", {"active"},
      {Cmd("load",
           "Load next year's arrangement, or a corrected one (replacing a year needs a reason); "
           "in force for every deadline counted from then on")
           .Roles({"admin"})
           .Creates()
           .States({"active"})
           .Payload(Obj({{"format", OneOf({"govassess-calendar/1"})},
                         {"region", NonEmptyStr("the server's calendar region, e.g. cn")},
                         {"weekend", List(OneOf({"mon", "tue", "wed", "thu", "fri", "sat", "sun"}),
                                          "the server's weekend, e.g. [\"sat\", \"sun\"]")},
                         {"years", List(year, "one year or several", 1)}},
                        {"format", "region", "weekend", "years"}, true,
                        "a calendar document (calendars/README.md)")),
       Cmd("withdraw",
           "Take back a loaded year (the shipped arrangement, if any, is in force again)")
           .Roles({"admin"})
           .States({"active"})
           .Reason()
           .Payload(Obj({{"year", Int("a year an admin loaded")}}, {"year"}))});
}

Json Units() {
  return WorkflowEntry("units", "A unit directory: the tree of assessed units and their categories",
                       "units/<name>, e.g. units/guangxi", {"active"},
                       {Cmd("create", "Create the directory")
                            .Roles({"admin", "office"})
                            .Creates()
                            .Payload(Obj({{"directory", UnitDirectorySchema()}}, {"directory"})),
                        Cmd("replace", "Replace the whole directory")
                            .Roles({"admin"})
                            .States({"active"})
                            .Payload(Obj({{"directory", UnitDirectorySchema()}}, {"directory"}))});
}

Json Cycle() {
  return WorkflowEntry(
      "cycle",
      "The year's work plan of one scheme (city or department) and the category-level "
      "decisions: overrides and grading",
      "cycle/<year>/<scheme>, e.g. cycle/2026/city", {"open"},
      {Cmd("create", "Open the cycle from its configuration; the id must match its year and scheme")
           .Roles({"admin", "office"})
           .Creates()
           .Payload(
               Obj({{"config", Obj({{"year", Int()}, {"scheme", OneOf({"city", "department"})}},
                                   {"year", "scheme"}, false,
                                   "the cycle configuration (docs/cycle-config.md: target "
                                   "types, categories, milestones, grade rules, reminders); "
                                   "unknown fields are refused")},
                    {"units", NonEmptyStr("the unit directory instance, e.g. units/guangxi")}},
                   {"config", "units"})),
       Cmd("record_override",
           "Record an affirmation (一票肯定: first grade) or a downgrade "
           "(降等, in a listed area) for a unit")
           .Roles({"office", "committee"})
           .States({"open"})
           .Reason()
           .Payload(
               Obj({{"kind", OneOf({"affirmation", "downgrade"})},
                    {"unit", NonEmptyStr("a unit of the cycle's directory")},
                    {"area", Str("downgrade: one of the cycle's downgrade areas; an affirmation "
                                 "names none")},
                    {"approver", NonEmptyStr("who approved it")}},
                   {"kind", "unit", "approver"})),
       Cmd("grade",
           "Grade a category: every unit's lifecycle must be ready_for_ratification; "
           "writes each unit's grade into its lifecycle")
           .Roles({"office"})
           .States({"open"})
           .Payload(Obj({{"category", NonEmptyStr("a category of the cycle")}}, {"category"}))});
}

Json Notices() {
  return WorkflowEntry(
      "notices",
      "The reminders, escalations and event notices a unit was sent about its lifecycle; "
      "created with the lifecycle",
      "notices/<year>/<scheme>/<unit>", {"active"},
      {Cmd("remind",
           "Send a planned reminder or escalation: appended here and fanned out to "
           "inboxes, mails and webhooks in the same commit, with the timer of the next reminder "
           "of its deadline (the chain in payload.then); passed over, sending nothing but "
           "recording it in data.skipped and setting the later reminder's timer, when a later "
           "reminder of the chain is due too (after a down time only the latest goes out); "
           "refused, sending nothing, when its step is no longer open in the lifecycle")
           .Roles({"system"})
           .States({"active"})
           .System()
           .Timer()
           .Payload(
               Obj({{"lifecycle", Str()},
                    {"step", Str("e.g. plan_due")},
                    {"reminder", Str("before-<n>, due or escalation-<n>")},
                    {"kind", Str("before, due or escalation")},
                    {"deadline", Day()},
                    {"due_ms", Int("when it was planned, ms since the epoch")},
                    {"then", List(Obj({{"due_ms", Int()}, {"kind", Str()}, {"reminder", Str()}}),
                                  "the chain's reminders after this one, in due order")}},
                   {}, false,
                   "set by the lifecycle when it plans a deadline's reminders, then by "
                   "each reminder for the next")),
       Cmd("announce",
           "Tell what just happened to the assessment (a plan returned, a result published, an "
           "appeal lodged or decided, …): appended here and fanned out to inboxes, mails and "
           "webhooks in the same commit")
           .Roles({"system"})
           .States({"active"})
           .System()
           .Timer()
           .Payload(Obj(
               {{"event", OneOf({"returned", "plan_approved", "plan_issued", "adjustment_approved",
                                 "adjustment_filed", "adjustment_rejected", "sent_back",
                                 "published", "appeal_lodged", "appeal_upheld", "appeal_rejected",
                                 "republished", "ratified", "midyear_findings",
                                 "rectification_reported", "rectification_closed",
                                 "rectification_reopened", "rectification_overdue"})},
                {"lifecycle", Str()},
                {"lifecycle_version", Int("the lifecycle's version after the transition")},
                {"actor_role", Str("who acted: office, leader, committee, lead_assessor or unit")},
                {"reason", Str("the reason the actor gave, if any")},
                {"on", Day("the Beijing day it happened")},
                {"audience", OneOf({"unit", "office"}, "office: the office must act on it")},
                {"deadline", Day("the day by which the reader must act, if any")},
                {"details", Obj(Json::object(), {}, false,
                                "the event's facts: plan_version, adjustment, items, "
                                "total, previous_total, grade, received, "
                                "appeal_deadline, appeal_working_days, …")},
                {"due_ms", Int("when it was set (the transition's time), ms since the epoch")}},
               {"event"}, false, "set by the lifecycle in the transition's commit, due at once")),
       Cmd("mark_read", "Mark the unit's notices read up to a count")
           .Roles({"unit", "office", "admin"})
           .Who("a unit only its own notices")
           .States({"active"})
           .Payload(
               Obj({{"upto", Described({{"type", "integer"}, {"minimum", 0}},
                                       "notices read, at most their number (default all)")}}))});
}

Json UserFields(bool creating) {
  Json p{{"role", OneOf(Roles())},
         {"unit", Str("required for unit and lead_assessor users")},
         {"display_name", Str()},
         {"email", Str("a mail address; empty: none")},
         {"language", OneOf({"zh-CN", "en"})},
         {"digest", Bool("one daily mail instead of one per reminder (needs an email)")}};
  if (creating) {
    p["username"] = Described({{"type", "string"}, {"pattern", "^[a-z0-9][a-z0-9._-]{0,63}$"}},
                              "the id is user/<username>");
  }
  return p;
}

Json User() {
  const Names both = {"active", "disabled"};
  const std::string sign_in =
      "recorded by the sign-in service (POST/DELETE /api/v1/session, PUT "
      "/api/v1/me/password); refused from anyone else";
  const Json sign_in_payload =
      Obj({{"ok", Bool("false journals a refusal (e.g. a failed login)")},
           {"why", Str("why it failed")},
           {"by", Str()},
           {"from", Str("the origin")},
           {"one_time", Bool("set_password: the user must choose a new one after signing in")}});
  return WorkflowEntry(
      "user", "A person who uses GovAssess: role, unit, contact preferences, calendar feeds",
      "user/<username>", both,
      {Cmd("create", "Create a user (passwords are set by `govassess admin`, never here)")
           .Roles({"admin", "system"})
           .Creates()
           .Payload(Obj(UserFields(true), {"username", "role"}, true)),
       Cmd("update", "Change a user's role, unit, name or contact")
           .Roles({"admin", "system"})
           .States(both)
           .Payload(Obj(UserFields(false), {}, true)),
       Cmd("set_preferences",
           "Where reminders go, in which language, and whether as a daily "
           "digest (also PUT /api/v1/me/preferences)")
           .Roles(kHumanRoles)
           .Who("the user themself, or an admin for anyone")
           .States(both)
           .Payload(Described(Obj({{"email", Str("a mail address; empty removes it")},
                                   {"language", OneOf({"zh-CN", "en"})},
                                   {"digest", Bool("needs an email")}},
                                  {}, true),
                              "at least one field")),
       Cmd("add_feed",
           "Record a calendar feed; the sign-in service does, for POST /api/v1/feeds, which "
           "also issues its secret link")
           .Roles({"system"})
           .Who("the sign-in service, on behalf of the user themself")
           .States({"active"})
           .System()
           .Payload(Obj({{"id", Described({{"type", "string"}, {"minLength", 8}, {"maxLength", 64}},
                                          "the feed's public id")},
                         {"scope", OneOf({"user", "unit"}, "unit needs a user with a unit")}},
                        {"id", "scope"})),
       Cmd("revoke_feed",
           "Revoke a calendar feed; DELETE /api/v1/feeds/{id} does this and "
           "deletes its secret link")
           .Roles(kHumanRoles)
           .Who("the user themself, or an admin for anyone")
           .States(both)
           .Payload(Obj({{"id", Described({{"type", "string"}, {"minLength", 8}, {"maxLength", 64}},
                                          "the feed's id")}},
                        {"id"})),
       Cmd("disable", "Disable a user: signing in stops")
           .Roles({"admin", "system"})
           .States({"active"})
           .Reason(),
       Cmd("enable", "Enable a disabled user").Roles({"admin", "system"}).States({"disabled"}),
       Cmd("login", "A sign-in, or a failed one (" + sign_in + ")")
           .Roles({"system"})
           .States({"active"})
           .System()
           .Payload(sign_in_payload),
       Cmd("logout", "A sign-out (" + sign_in + ")")
           .Roles({"system"})
           .States(both)
           .System()
           .Payload(sign_in_payload),
       Cmd("set_password", "A password was set or changed, never the secret (" + sign_in + ")")
           .Roles({"system"})
           .States(both)
           .System()
           .Payload(sign_in_payload)});
}

Json Access() {
  return WorkflowEntry("access",
                       "The journal's record of requests the API refused before any workflow saw "
                       "them (e.g. a unit asking for the quota); every command is refused",
                       "access/<action>, e.g. access/read_quota", {}, {});
}

Json Directory() {
  return WorkflowEntry(
      "directory",
      "The notification directory: who hears about a deadline and how (users are kept by the "
      "user workflow; webhooks and mail settings by the server's --notify file)",
      "directory/notify", {"active"},
      {Cmd("configure",
           "Set the webhooks (by name), whether mail is configured, the digest time "
           "and the retry policy; the server does this at start")
           .Roles({"admin", "system"})
           .Creates()
           .States({"active"})
           .Payload(Obj(
               {{"webhooks",
                 List(Obj({{"name",
                            Described({{"type", "string"}, {"pattern", "^[a-z0-9-]{1,40}$"}}, "")},
                           {"units", List(NonEmptyStr(), "the units it covers; none: every unit")}},
                          {"name"}, true))},
                {"email", Bool("an SMTP server is configured")},
                {"digest_at",
                 Described({{"type", "string"}, {"pattern", "^[0-2][0-9]:[0-5][0-9]$"}},
                           "Beijing time of the daily digest, HH:MM")},
                {"retry",
                 Obj({{"max_attempts",
                       Described({{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}, "")},
                      {"first_delay_ms", Described({{"type", "integer"}, {"minimum", 1}}, "")},
                      {"max_delay_ms", Described({{"type", "integer"}, {"minimum", 1}}, "")}},
                     {}, true)}},
               {}, true))});
}

Json InboxItem() {
  const std::string who = "only the user it was sent to";
  return WorkflowEntry(
      "inbox_item", "One notice in one user's in-app inbox (GET /api/v1/inbox)",
      "inbox/<user>/<year>/<scheme>/<unit>/<n>-<step>-<reminder>", {"unread", "read"},
      {Cmd("mark_read", "Mark it read (POST /api/v1/inbox/read marks many)")
           .Roles(kHumanRoles)
           .Who(who)
           .States({"unread"}),
       Cmd("mark_unread", "Mark it unread again").Roles(kHumanRoles).Who(who).States({"read"})});
}

Json Delivery() {
  return WorkflowEntry(
      "delivery",
      "One notice on its way out by mail or webhook (at least once; the id is the "
      "receiver's idempotency key)",
      "delivery/<channel>/<recipient>/<year>/<scheme>/<unit>/<n>-<step>-<reminder>",
      {"pending", "held", "sent", "incident"},
      {Cmd("sent", "The dispatcher delivered it")
           .Roles({"system"})
           .States({"pending", "held"})
           .System()
           .Payload(Obj({{"detail", Str("e.g. the receiver's answer")}})),
       Cmd("failed",
           "An attempt failed: retried with back-off, or an incident after the last "
           "attempt or a permanent failure")
           .Roles({"system"})
           .States({"pending", "held"})
           .System()
           .Payload(Obj({{"error", NonEmptyStr("why it failed")},
                         {"permanent", Bool("no retry: an incident at once")}},
                        {"error"})),
       Cmd("retry",
           "Send an incident again (also POST /api/v1/deliveries/{id}/retry); the "
           "reason is recorded")
           .Roles({"office", "admin"})
           .States({"incident"})});
}

}  // namespace

const Json& CommandCatalog() {
  static const Json kCatalog = [] {
    Json all =
        Json::array({Access(), Calendar(), Cycle(), Delivery(), Directory(), InboxItem(),
                     Lifecycle(), Notices(), Plan(), SelfAssessmentRecord(), Units(), User()});
    return all;
  }();
  return kCatalog;
}

}  // namespace govassess::workflows
