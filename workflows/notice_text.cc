#include "workflows/notice_text.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <tuple>

#include "engine/date.h"
#include "workflows/lifecycle_workflow.h"

namespace govassess::workflows {
namespace {

// One kind of deadline: its label, the sentence telling the doer what to do before the
// deadline, and the bare task (a verb phrase) for follow-up after it was missed.
struct StepText {
  const char* id;
  const char* zh_label;
  const char* en_label;
  const char* zh_action;
  const char* en_action;
  const char* zh_task;
  const char* en_task;
  bool optional;      // a right, not a duty: letting it pass is not a fault
  // For a doer other than the unit or the office: what the step is, to the doer's face
  // ("Your scoring of 南宁市 … is due"), and the task as the doer does it; else null.
  const char* en_yours = nullptr;
  const char* en_task_self = nullptr;
};

// clang-format off
const StepText kSteps[] = {
  {"plan_due", "绩效计划报送", "Performance plan filing",
   "请于截止日前在系统中提交绩效计划并报绩效办审核。",
   "Submit the performance plan in the system for review by the performance office before the deadline.",
   "在系统中提交绩效计划并报绩效办审核",
   "submit the performance plan in the system for review by the performance office", false},
  {"plan_review", "绩效计划审核", "Performance plan review",
   "请于截止日前审核该单位报送的绩效计划：需修改的退回并写明理由，同意的报分管领导审定后印发。",
   "Review the plan the unit submitted before the deadline: return it with reasons if it needs changes, otherwise agree and pass it to the leader in charge for approval and issue.",
   "审核该单位报送的绩效计划并报分管领导审定",
   "review the unit's plan and pass it to the leader in charge for approval", false},
  {"adjustment_window", "指标调整申报期", "Indicator adjustment filing window",
   "如需调整已审定的绩效指标，请在备案期内在系统中提交指标调整申请（经主考单位初审、绩效办审核、分管领导审批后备案）；备案期结束后不再受理。",
   "To change an approved indicator, file a change request in the system within the window (first review by the lead assessor, agreement by the performance office, approval by the leader in charge, then filing); requests after the window are not accepted.",
   "提交指标调整申请", "file indicator change requests", true},
  {"new_task_window", "新增重大任务申报", "New major task application window",
   "如有新交办的重大任务需纳入绩效计划，请自收到交办文件之日起在规定的工作日内在系统中提出申请；逾期不再受理。",
   "To add a newly assigned major task to the performance plan, apply in the system within the set number of working days of receiving the assigning document; later applications are not accepted.",
   "申请将新增重大任务纳入绩效计划", "apply to add the new major task to the plan", true},
  {"midyear_check", "中期核验", "Mid-year check",
   "请按绩效办安排配合开展中期核验，如实提供指标进展情况，并对核验发现的问题及时整改。",
   "Take part in the mid-year check as arranged by the performance office, report indicator progress truthfully and rectify the findings promptly.",
   "配合完成中期核验", "complete the mid-year check", false},
  {"rectification", "中期核验问题整改", "Mid-year finding rectification",
   "请于整改期限前完成中期核验所发现问题的整改，并在系统中报告整改情况、附佐证材料。",
   "Put the mid-year check's finding right and report it in the system, with evidence, by its deadline.",
   "完成整改并报告整改情况", "rectify the finding and report it", false},
  {"self_assessment_due", "自查自评报送", "Self-assessment report",
   "请于截止日前在系统中逐项填报指标完成情况、上传佐证材料，并提交自查自评报告。",
   "Report the completion of each indicator with evidence and submit the self-assessment report in the system before the deadline.",
   "填报指标完成情况并提交自查自评报告",
   "submit the self-assessment report with evidence for each indicator", false},
  {"lead_scoring_due", "主考单位考核评分", "Scoring by lead assessors",
   "请主考单位于截止日前在系统中完成所负责指标的审核评分。",
   "Lead assessors: score the indicators you are responsible for in the system before the deadline.",
   "完成所负责指标的审核评分", "score the indicators they lead", false, "scoring of", "score the indicators you lead"},
  {"onsite_verification_due", "察访核验", "On-site verification",
   "请于截止日前完成察访核验，并在系统中录入核验结果。",
   "Complete the on-site verification and record its findings in the system before the deadline.",
   "完成察访核验并录入核验结果", "complete the on-site verification and record its findings", false},
  {"external_scores_due", "社会评价和创新评估结果报送", "Social evaluation and innovation review scores",
   "请于截止日前报送社会评价和创新评估结果。",
   "Submit the social evaluation and innovation review scores before the deadline.",
   "报送社会评价和创新评估结果", "submit the social evaluation and innovation review scores", false},
  {"results_due", "形成考评结果", "Assessment results",
   "请于截止日前汇总形成考评结果，并反馈各考评单位。",
   "Aggregate the scores into results and publish them to each assessed unit before the deadline.",
   "汇总形成考评结果并反馈各考评单位", "aggregate the scores and publish the results", false},
  // Seed 001 calls an appeal 复核申请 ("可在5个工作日内提出复核申请"), not 申诉.
  {"appeal_window", "考评结果复核申请期", "Appeal window",
   "如对考评结果有异议，请于截止日前在系统中提交复核申请，写明理由并附佐证材料；逾期未申请的，视为对考评结果无异议。",
   "If you disagree with the result, apply for a review in the system before the deadline, with reasons and evidence; without an application by then, the result stands.",
   "提交复核申请", "apply for a review", true},
  {"ratification_due", "考评结果审定", "Ratification of results",
   "请于截止日前由考评领导小组审议、常委会审定该单位的考评结果。",
   "Deliberate on the unit's results in the assessment leading group and ratify them in the standing committee before the deadline.",
   "审议、审定考评结果", "deliberate on and ratify the results", false, "ratification of the results of", "deliberate on and ratify the results"},
};
// clang-format on

const StepText* Find(const std::string& step) {
  for (const StepText& s : kSteps) {
    if (step == s.id) return &s;
  }
  return nullptr;
}

// The task; `self`: as its doer does it ("score the indicators you lead"), else as
// others see it done ("… they lead").
std::string Task(const std::string& step, bool en, bool self = false) {
  const StepText* s = Find(step);
  if (s == nullptr) return en ? "complete the required work" : "完成相关事项";
  if (en && self && s->en_task_self != nullptr) return s->en_task_self;
  return en ? s->en_task : s->zh_task;
}



const char* const kWeekdaysZh[] = {"星期一", "星期二", "星期三", "星期四",
                                   "星期五", "星期六", "星期日"};
const char* const kWeekdaysEn[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                   "Friday", "Saturday", "Sunday"};

// "2026年4月30日" / "30 April 2026" (no weekday), for subjects.
std::string ShortDate(const std::string& date, bool en) {
  auto d = Date::Parse(date);
  if (!d.ok()) return date;
  if (en) return std::to_string(d->day()) + " " + MonthName(d->month()) + " " + std::to_string(d->year());
  return std::to_string(d->year()) + "年" + std::to_string(d->month()) + "月" +
         std::to_string(d->day()) + "日";
}

std::string Days(int n, bool en) {
  if (en) return std::to_string(n) + (n == 1 ? " working day" : " working days");
  return std::to_string(n) + "个工作日";
}

// "2026年度设区市绩效考评" / "the 2026 performance assessment of cities".
std::string Cycle(const NoticeFacts& f, bool en) {
  if (en) {
    std::string s = "the " + (f.year.empty() ? "" : f.year + " ") + "performance assessment";
    if (f.scheme == "city") s += " of cities";
    if (f.scheme == "department") s += " of provincial departments";
    return s;
  }
  std::string s = f.year.empty() ? "" : f.year + "年度";
  if (f.scheme == "city") s += "设区市";
  if (f.scheme == "department") s += "区直部门";
  return s + "绩效考评";
}

std::string UnitName(const NoticeFacts& f) {
  return !f.unit_name.empty() ? f.unit_name : f.unit_id;
}

bool ToUnit(const NoticeFacts& f) { return f.audience.empty() || f.audience == "unit"; }

// A step about the unit that somebody else does (the office's review, the lead
// assessors' scoring, the committee's ratification, …).
bool IsOthersStep(const std::string& step) { return StepDoer(step) != "unit"; }

// Whether the reader is the one who must act: the unit for its own steps, the office,
// the lead assessors or the committee for theirs. Others (a superior, the office about
// a unit's or a lead assessor's step) follow up.
bool ToDoer(const NoticeFacts& f) {
  return IsOthersStep(f.step) ? f.audience == StepDoer(f.step) : ToUnit(f);
}

// The doer reads of its own step about a unit, in the second person ("Your scoring of
// 南宁市 …"): the lead assessors and the committee (the office's texts name the unit).
const StepText* YoursStep(const NoticeFacts& f) {
  const StepText* s = Find(f.step);
  return s != nullptr && s->en_yours != nullptr && ToDoer(f) ? s : nullptr;
}

bool IsDutyEscalation(const NoticeFacts& f) {
  return f.kind == "escalation" && !IsOptionalStep(f.step);
}

std::string Greeting(const NoticeFacts& f, bool en) {
  if (en) return ToUnit(f) ? "Dear colleagues of " + UnitName(f) + "," : "Dear colleague,";
  if (f.audience == "office") return "绩效办：";
  if (f.audience == "lead_assessor") return "主考单位：";
  if (f.audience == "committee") return "考评领导小组：";
  if (ToUnit(f) && !UnitName(f).empty()) return UnitName(f) + "：";
  return "您好：";
}

// The sentence naming the deadline and how close it is. A window (an optional step)
// "closes"; a duty has a "deadline".
std::string Situation(const NoticeFacts& f, bool en) {
  const std::string label = StepLabel(f.step, en ? "en" : "zh-CN");
  const std::string when = internal::LongDate(f.deadline, en ? "en" : "zh-CN");
  const std::string n = Days(f.working_days, en);
  const bool self = ToDoer(f);
  const bool window = IsOptionalStep(f.step);
  // The office's own step is about a unit: name the unit even to the office.
  const bool name_unit = !ToUnit(f);
  if (const StepText* yours = YoursStep(f)) {
    if (en) {
      const std::string what = "Your " + std::string(yours->en_yours) + " " + UnitName(f) + " in " +
                               Cycle(f, true);
      if (f.kind == "escalation") {
        return what + " was due on " + when + ". It has not been done and is now " + n + " overdue.";
      }
      if (f.kind == "due") return what + " is due today, " + when + ".";
      return what + " is due on " + when + ": " + n + " left.";
    }
    const std::string what = "您负责的" + UnitName(f) + Cycle(f, false) + "“" + label + "”";
    if (f.kind == "escalation") return what + "已于" + when + "截止，至今未完成，已逾期" + n + "。";
    if (f.kind == "due") return "今天是" + when + "，为" + what + "的截止日期。";
    return what + "截止日期为" + when + "，距截止还有" + n + "。";
  }
  if (en) {
    const std::string of = name_unit ? " of " + UnitName(f) : "";
    const std::string what = "\"" + label + "\"" + of + " in " + Cycle(f, true);
    const std::string follow = self ? "" : " Please make sure it is met.";
    if (f.kind == "escalation") {
      if (!IsDutyEscalation(f)) return "The window for " + what + " closed on " + when + " (" + n + " ago).";
      if (self) return "The deadline for " + what + " was " + when + ". It has not been met and is now " + n + " overdue.";
      if (IsOthersStep(f.step)) {
        return "The deadline for \"" + label + "\" of " + UnitName(f) + " (" + f.unit_id + ") in " +
               Cycle(f, true) + ", for " + internal::DoerName(StepDoer(f.step), true) + " to meet, was " + when +
               "; it has not been met and is now " + n + " overdue.";
      }
      return UnitName(f) + " (" + f.unit_id + ") missed the deadline for \"" + label + "\" in " +
             Cycle(f, true) + " on " + when + "; it is now " + n + " overdue.";
    }
    if (window) {
      if (f.kind == "due") return "Today, " + when + ", is the last day of the " + what + "." + follow;
      return "The " + what + " closes on " + when + ": " + n + " left." + follow;
    }
    if (f.kind == "due") return "Today, " + when + ", is the deadline for " + what + "." + follow;
    return "The deadline for " + what + " is " + when + ": " + n + " left." + follow;
  }
  const std::string who = name_unit ? UnitName(f) : "您单位";
  const std::string what = who + Cycle(f, false) + "的“" + label + "”";
  const std::string follow = self ? "" : "请关注并督促按时完成。";
  if (f.kind == "escalation") {
    if (!IsDutyEscalation(f)) return what + "已于" + when + "截止（" + n + "前）。";
    if (self) return what + "已于" + when + "截止，至今未完成，已逾期" + n + "。";
    return UnitName(f) + "（" + f.unit_id + "）" + Cycle(f, false) + "的“" + label + "”已于" + when +
           "截止，" + internal::DoerName(StepDoer(f.step), false) + "至今未完成，已逾期" + n + "。";
  }
  if (f.kind == "due") {
    return "今天是" + when + "，为" + who + Cycle(f, false) + "“" + label + "”的" +
           (window ? "最后一天。" : "截止日期。") + follow;
  }
  if (window) return what + "将于" + when + "截止，距截止还有" + n + "。" + follow;
  return what + "截止日期为" + when + "，距截止还有" + n + "。" + follow;
}

// What the reader should do.
std::string ActionLine(const NoticeFacts& f, bool en) {
  const bool self = ToDoer(f);
  const std::string task = Task(f.step, en, self);
  const std::string doer = StepDoer(f.step);
  if (f.kind == "escalation") {
    if (!IsDutyEscalation(f)) {
      if (!self) return en ? "For your information only." : "本通知仅供知悉。";
      return en ? "The window has closed; if there are special circumstances, contact the performance office."
                : "该期限已过；如有特殊情况，请与绩效办联系。";
    }
    if (self && doer == "office") {
      return en ? "Please " + task + " as soon as possible." : "请尽快" + task + "。";
    }
    if (self) {
      return en ? "Please " + task + " as soon as possible; if there are special circumstances, contact the performance office."
                : "请尽快" + task + "；如有特殊情况，请及时与绩效办联系。";
    }
    return en ? "Please ask " + internal::DoerName(doer, true) + " to " + task + " without delay."
              : "请督促" + internal::DoerName(doer, false) + "尽快" + task + "。";
  }
  if (self) return StepAction(f.step, en ? "en" : "zh-CN");
  return en ? "What " + internal::DoerName(doer, true) + " must do: " + task + "." : "应办事项：" + task + "。";
}

std::string LinkLine(const std::string& link, bool en) {
  return (en ? "Open in GovAssess: " : "办理入口：") + link;
}

std::string LateLine(bool en) {
  return en ? "Note: this reminder is delivered late because the system was unavailable at the "
              "scheduled time; the deadline above still applies."
            : "说明：因系统在原定发送时间不可用，本提醒延迟送达，请以上述截止日期为准。";
}

std::string Footer(bool en) {
  return en ? "This message was sent automatically by GovAssess; please do not reply."
            : "（本通知由绩效考评管理系统自动发送，请勿直接回复。）";
}

std::string Subject(const NoticeFacts& f, bool en) {
  const std::string label = StepLabel(f.step, en ? "en" : "zh-CN");
  const std::string date = ShortDate(f.deadline, en);
  const std::string n = Days(f.working_days, en);
  const bool self = ToUnit(f);
  if (en) {
    const std::string who = self ? "" : UnitName(f) + ": ";
    if (IsDutyEscalation(f)) return "[Overdue] " + UnitName(f) + ": " + label + " " + n + " overdue";
    if (f.kind == "escalation") return "[GovAssess reminder] " + who + label + " closed on " + date;
    // A window closes; a duty is due.
    const char* verb = IsOptionalStep(f.step) ? " closes" : " due";
    if (f.kind == "due") return "[GovAssess reminder] " + who + label + verb + " today (" + date + ")";
    return "[GovAssess reminder] " + who + label + verb + " " + date + " - " + n + " left";
  }
  const std::string who = self ? "" : UnitName(f);
  if (IsDutyEscalation(f)) return "【逾期督办】" + UnitName(f) + label + "已逾期" + n;
  if (f.kind == "escalation") return "【绩效考评提醒】" + who + label + "已于" + date + "截止";
  if (f.kind == "due") return "【绩效考评提醒】今天是" + who + label + "截止日（" + date + "）";
  return "【绩效考评提醒】" + who + label + "将于" + date + "截止，还剩" + n;
}

// "已逾期1个工作日" / "1 working day overdue", for digest lines.
std::string StatusText(const NoticeFacts& f, bool en) {
  const std::string n = Days(f.working_days, en);
  if (f.kind == "escalation") {
    if (!IsDutyEscalation(f)) return en ? "closed" : "已截止";
    return en ? n + " overdue" : "已逾期" + n;
  }
  if (f.kind == "due") return en ? "due today" : "今日截止";
  return en ? n + " left" : "还剩" + n;
}

std::string UrgencyText(const std::string& urgency, bool en) {
  if (urgency == "overdue") return en ? "Overdue" : "已逾期";
  if (urgency == "due_today") return en ? "Due today" : "今日截止";
  if (urgency == "urgent") return en ? "Urgent" : "即将截止";
  return en ? "Upcoming" : "临近截止";
}

// ---------------------------------------------------------------------------------
// Events: what happened to a unit's assessment. Each event has a label, whether the
// reader must act soon (its urgency), and three texts: the subject's headline, what
// happened (with the reason given, on its own line), and what to do next and by when.

using EventLine = std::string (*)(const NoticeFacts&, bool en);

struct EventText {
  const char* id;
  const char* zh_label;
  const char* en_label;
  bool needs_action;   // urgent: the reader must act soon
  EventLine headline;  // the subject after its prefix
  EventLine what;      // what happened
  EventLine next;      // what to do next, and by when
};

std::string Capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// Who acted, by role: "绩效办" / "the performance office".
std::string ActorName(const NoticeFacts& f, bool en) {
  const std::string& r = f.actor_role;
  if (r == "office") return en ? "the performance office" : "绩效办";
  if (r == "leader") return en ? "the leader in charge" : "分管领导";
  if (r == "committee") return en ? "the assessment committee" : "考评领导小组";
  if (r == "lead_assessor") return en ? "the lead assessor" : "主考单位";
  if (r == "unit") return UnitName(f);
  if (r == "admin") return en ? "an administrator" : "系统管理员";
  return en ? "the system" : "系统";
}

std::string Detail(const NoticeFacts& f, const char* key) {
  const nlohmann::json v =
      f.details.is_object() ? f.details.value(key, nlohmann::json()) : nlohmann::json();
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return "";
}

// A score as people write it: 912.5, 910, 899.99 (at most two decimals).
std::string Points(const NoticeFacts& f, const char* key) {
  const nlohmann::json v =
      f.details.is_object() ? f.details.value(key, nlohmann::json()) : nlohmann::json();
  if (!v.is_number()) return "?";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.2f", v.get<double>());
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// "一等" / "first grade"; empty when the result has no grade yet.
std::string GradeText(const NoticeFacts& f, bool en) {
  const std::string g = Detail(f, "grade");
  if (g == "first") return en ? "first grade" : "一等";
  if (g == "second") return en ? "second grade" : "二等";
  if (g == "third") return en ? "third grade" : "三等";
  if (g == "fail") return en ? "fail" : "不合格";
  return g;
}

// The indicators to correct: "a、b" / "a, b".
std::string Items(const NoticeFacts& f, bool en) {
  std::string out;
  const nlohmann::json items = f.details.is_object()
                                   ? f.details.value("items", nlohmann::json::array())
                                   : nlohmann::json::array();
  for (const nlohmann::json& i : items) {
    std::string one = i.is_string()                                 ? i.get<std::string>()
                      : i.is_object() && i.contains("indicator_id") ? i.value("indicator_id", "")
                                                                    : i.dump();
    out += (out.empty() ? "" : en ? ", " : "、") + one;
  }
  return out;
}

size_t ItemCount(const NoticeFacts& f) {
  return f.details.is_object() ? f.details.value("items", nlohmann::json::array()).size() : 0;
}

std::string ReasonLine(const NoticeFacts& f, bool en, const char* zh_label) {
  if (f.reason.empty()) return "";
  return "\n" + (en ? std::string("Reason given: ") : std::string(zh_label)) + f.reason;
}

std::string On(const NoticeFacts& f, bool en) {
  return internal::LongDate(f.on, en ? "en" : "zh-CN");
}

bool Overdue(const NoticeFacts& f) {
  return f.details.is_object() && f.details.value("overdue", false);
}

// Returned: the office's (or the leader's) reason, and plan_due.
std::string ReturnedHeadline(const NoticeFacts& f, bool en) {
  if (en) {
    return "Performance plan returned for revision - resubmit " +
           (Overdue(f) ? std::string("as soon as possible") : "by " + ShortDate(f.deadline, true));
  }
  return "绩效计划已退回修改，请" +
         (Overdue(f) ? std::string("尽快") : "于" + ShortDate(f.deadline, false) + "前") +
         "重新报送";
}
std::string ReturnedWhat(const NoticeFacts& f, bool en) {
  if (en) {
    return Capitalized(ActorName(f, true)) + " returned your performance plan in " +
           Cycle(f, true) + " for revision on " + On(f, true) + "." + ReasonLine(f, true, "");
  }
  return "您单位" + Cycle(f, false) + "的绩效计划已于" + On(f, false) + "被" + ActorName(f, false) +
         "退回修改。" + ReasonLine(f, false, "退回理由：");
}
std::string ReturnedNext(const NoticeFacts& f, bool en) {
  const std::string due = internal::LongDate(f.deadline, en ? "en" : "zh-CN");
  if (Overdue(f)) {
    return en ? "The plan filing deadline (" + due +
                    ") has passed: revise the plan as asked and submit it again in the system as "
                    "soon as possible."
              : "绩效计划报送截止日期（" + due +
                    "）已过，请按退回意见尽快修改，并在系统中重新报送。";
  }
  return en ? "Revise the plan as asked and submit it again in the system by " + due + "."
            : "请按退回意见修改，并于" + due + "前在系统中重新报送绩效计划。";
}

std::string ApprovedHeadline(const NoticeFacts& f, bool en) {
  const std::string v = Detail(f, "plan_version");
  return en ? "Performance plan approved (version " + v + ")" : "绩效计划已审定（第" + v + "版）";
}
std::string ApprovedWhat(const NoticeFacts& f, bool en) {
  const std::string v = Detail(f, "plan_version");
  if (en) {
    return "Your performance plan in " + Cycle(f, true) + " was approved by " + ActorName(f, true) +
           " on " + On(f, true) + " as version " + v + ".";
  }
  return "您单位" + Cycle(f, false) + "的绩效计划已于" + On(f, false) + "经" + ActorName(f, false) +
         "审定，形成第" + v + "版。";
}
std::string ApprovedNext(const NoticeFacts&, bool en) {
  return en ? "The performance office will issue it; nothing is needed from you now."
            : "绩效计划将由绩效办印发执行，目前无需操作。";
}

std::string IssuedHeadline(const NoticeFacts&, bool en) {
  return en ? "Performance plan issued" : "绩效计划已印发执行";
}
std::string IssuedWhat(const NoticeFacts& f, bool en) {
  const std::string v = Detail(f, "plan_version");
  if (en) {
    return "Your performance plan in " + Cycle(f, true) + " (version " + v + ") was issued on " +
           On(f, true) + " and is now in force.";
  }
  return "您单位" + Cycle(f, false) + "的绩效计划（第" + v + "版）已于" + On(f, false) +
         "印发执行。";
}
std::string IssuedNext(const NoticeFacts& f, bool en) {
  const std::string from = ShortDate(Detail(f, "adjustment_from"), en);
  const std::string to = ShortDate(Detail(f, "adjustment_to"), en);
  if (en) {
    return "Carry out the plan. To change an approved indicator, file a change request in the "
           "system within the adjustment filing window (" +
           from + " to " + to + ").";
  }
  return "请按计划组织实施。如需调整已审定的指标，请在指标调整备案期（" + from + "至" + to +
         "）内在系统中提出申请。";
}

std::string AdjApprovedHeadline(const NoticeFacts&, bool en) {
  return en ? "Indicator change request approved" : "指标调整申请已批准";
}
std::string AdjApprovedWhat(const NoticeFacts& f, bool en) {
  const std::string a = Detail(f, "adjustment");
  if (en) {
    return "The indicator change request " + a + " on your performance plan in " + Cycle(f, true) +
           " was approved by " + ActorName(f, true) + " on " + On(f, true) + ".";
  }
  return "您单位" + Cycle(f, false) + "的指标调整申请（" + a + "）已于" + On(f, false) + "经" +
         ActorName(f, false) + "批准。";
}
std::string AdjApprovedNext(const NoticeFacts&, bool en) {
  return en ? "It takes effect as a new plan version once the performance office files it; nothing "
              "is needed from you now."
            : "绩效办备案后形成新版绩效计划，目前无需操作。";
}

std::string AdjFiledHeadline(const NoticeFacts& f, bool en) {
  const std::string v = Detail(f, "plan_version");
  return en ? "Indicator change filed - plan version " + v
            : "指标调整已备案，绩效计划更新为第" + v + "版";
}
std::string AdjFiledWhat(const NoticeFacts& f, bool en) {
  const std::string a = Detail(f, "adjustment");
  const std::string v = Detail(f, "plan_version");
  if (en) {
    return "The indicator change " + a + " was filed by " + ActorName(f, true) + " on " +
           On(f, true) + ": your performance plan in " + Cycle(f, true) + " is now version " + v +
           ".";
  }
  return "您单位" + Cycle(f, false) + "的指标调整（" + a + "）已于" + On(f, false) + "由" +
         ActorName(f, false) + "备案，绩效计划更新为第" + v + "版。";
}
std::string AdjFiledNext(const NoticeFacts&, bool en) {
  return en ? "Carry out the new version of the plan; every earlier version stays readable in the "
              "system."
            : "请按新版绩效计划执行；历次版本可在系统中查阅。";
}

std::string AdjRejectedHeadline(const NoticeFacts&, bool en) {
  return en ? "Indicator change request rejected" : "指标调整申请未获通过";
}
std::string AdjRejectedWhat(const NoticeFacts& f, bool en) {
  const std::string a = Detail(f, "adjustment");
  if (en) {
    return Capitalized(ActorName(f, true)) + " rejected the indicator change request " + a +
           " on your performance plan in " + Cycle(f, true) + " on " + On(f, true) + "." +
           ReasonLine(f, true, "");
  }
  return "您单位" + Cycle(f, false) + "的指标调整申请（" + a + "）已于" + On(f, false) + "被" +
         ActorName(f, false) + "驳回。" + ReasonLine(f, false, "驳回理由：");
}
std::string AdjRejectedNext(const NoticeFacts& f, bool en) {
  const std::string to = Detail(f, "adjustment_to");
  if (en) {
    return "The plan stays as it is. If a change is still needed, file a new request that answers "
           "the reasons given" +
           (to.empty() ? std::string(".")
                       : " (the filing window closes " + ShortDate(to, true) + ").");
  }
  return "原绩效计划继续有效。如仍需调整，请按驳回意见重新提出申请" +
         (to.empty() ? std::string("。") : "（指标调整备案期至" + ShortDate(to, false) + "）。");
}

// Sent back: the items, the reason, and self_assessment_due (overdue when it has passed),
// like a returned plan. Without a deadline (an older notice) it says "as soon as
// possible".
std::string SentBackHeadline(const NoticeFacts& f, bool en) {
  const std::string n = std::to_string(ItemCount(f));
  const bool by = !f.deadline.empty() && !Overdue(f);
  if (en) {
    return "Self-assessment sent back for correction (" + n +
           (ItemCount(f) == 1 ? " item)" : " items)") +
           (f.deadline.empty() ? std::string()
            : by               ? " - resubmit by " + ShortDate(f.deadline, true)
                               : std::string(" - resubmit as soon as possible"));
  }
  return "自查自评材料退回补正（" + n + "项）" +
         (f.deadline.empty() ? std::string()
          : by               ? "，请于" + ShortDate(f.deadline, false) + "前重新提交"
                             : std::string("，请尽快重新提交"));
}
std::string SentBackWhat(const NoticeFacts& f, bool en) {
  if (en) {
    return Capitalized(ActorName(f, true)) + " sent your self-assessment in " + Cycle(f, true) +
           " back for correction on " + On(f, true) +
           ".\nIndicators to correct: " + Items(f, true) + ReasonLine(f, true, "");
  }
  return "您单位" + Cycle(f, false) + "的自查自评材料已于" + On(f, false) + "被" +
         ActorName(f, false) + "退回补正。\n需补正的指标：" + Items(f, false) +
         ReasonLine(f, false, "退回理由：");
}
std::string SentBackNext(const NoticeFacts& f, bool en) {
  if (f.deadline.empty()) {
    return en ? "Correct them as asked and submit the self-assessment report again in the system "
                "as soon as possible."
              : "请按退回意见补正，并尽快在系统中重新提交自查自评报告。";
  }
  const std::string due = internal::LongDate(f.deadline, en ? "en" : "zh-CN");
  if (Overdue(f)) {
    return en ? "The self-assessment deadline (" + due +
                    ") has passed, so the self-assessment is now overdue: correct them as asked and "
                    "submit the self-assessment report again in the system as soon as possible."
              : "自查自评报送截止日期（" + due +
                    "）已过，现已逾期，请按退回意见尽快补正，并在系统中重新提交自查自评报告。";
  }
  return en ? "Correct them as asked and submit the self-assessment report again in the system by " +
                  due + " (the self-assessment deadline)."
            : "请按退回意见补正，并于" + due + "（自查自评报送截止日期）前在系统中重新提交自查自评报告。";
}

// "总分912.5分，等次为一等" / "total score 912.5, first grade".
std::string TotalText(const NoticeFacts& f, bool en) {
  const std::string grade = GradeText(f, en);
  if (en) return "total score " + Points(f, "total") + (grade.empty() ? "" : ", " + grade);
  return "总分" + Points(f, "total") + "分" + (grade.empty() ? "" : "，等次为" + grade);
}

// Published: the total, the grade if any, and the appeal deadline (working days).
std::string PublishedHeadline(const NoticeFacts& f, bool en) {
  if (en) {
    return "Result published: total " + Points(f, "total") + " - appeal by " +
           ShortDate(f.deadline, true) + " if you disagree";
  }
  return "考评结果已公布：总分" + Points(f, "total") + "分；如有异议，请于" +
         ShortDate(f.deadline, false) + "前提出复核申请";
}
std::string PublishedWhat(const NoticeFacts& f, bool en) {
  if (en)
    return "Your result in " + Cycle(f, true) + " was published on " + On(f, true) + ": " +
           TotalText(f, true) + ".";
  return "您单位" + Cycle(f, false) + "结果已于" + On(f, false) + "公布：" + TotalText(f, false) +
         "。";
}
std::string PublishedNext(const NoticeFacts& f, bool en) {
  const std::string by = internal::LongDate(f.deadline, en ? "en" : "zh-CN");
  std::string n = Detail(f, "appeal_working_days");
  if (n.empty()) n = "5";
  if (en) {
    return "If you disagree, apply for a review in the system by " + by + " (within " + n +
           " working days of receiving the result), with reasons and evidence; without an "
           "application by then, the result stands.";
  }
  return "如有异议，请于" + by + "前在系统中提出复核申请（自收到结果之日起" + n +
         "个工作日内），写明理由并附佐证材料；逾期未申请的，视为对考评结果无异议。";
}

// Appeal lodged: to the office, which must decide it.
std::string LodgedHeadline(const NoticeFacts& f, bool en) {
  return en ? UnitName(f) + " appeals its result" : UnitName(f) + "对考评结果提出复核申请";
}
std::string LodgedWhat(const NoticeFacts& f, bool en) {
  const std::string evidence = Detail(f, "evidence");
  if (en) {
    return UnitName(f) + " (" + f.unit_id + ") applied on " + On(f, true) +
           " for a review of its result in " + Cycle(f, true) +
           (evidence.empty() ? "" : ", with " + evidence + " piece(s) of evidence") + "." +
           ReasonLine(f, true, "");
  }
  return UnitName(f) + "（" + f.unit_id + "）已于" + On(f, false) + "对" + Cycle(f, false) +
         "结果提出复核申请" + (evidence.empty() ? "" : "，附佐证材料" + evidence + "份") + "。" +
         ReasonLine(f, false, "申请理由：");
}
std::string LodgedNext(const NoticeFacts&, bool en) {
  return en ? "Please examine it promptly and decide - uphold it with new scores or reject it - "
              "giving reasons; then publish the result again."
            : "请尽快核实，作出予以采纳（重新计分）或不予采纳的决定并写明理由，决定后重新公布结果"
              "。";
}

std::string UpheldHeadline(const NoticeFacts& f, bool en) {
  return en ? "Appeal upheld: total now " + Points(f, "total")
            : "复核申请已采纳：总分调整为" + Points(f, "total") + "分";
}
std::string UpheldWhat(const NoticeFacts& f, bool en) {
  if (en) {
    return Capitalized(ActorName(f, true)) + " upheld your appeal against your result in " +
           Cycle(f, true) + " on " + On(f, true) + ": after re-scoring, the total changes from " +
           Points(f, "previous_total") + " to " + Points(f, "total") + "." +
           ReasonLine(f, true, "");
  }
  return "您单位对" + Cycle(f, false) + "结果提出的复核申请已于" + On(f, false) + "经" +
         ActorName(f, false) + "审核予以采纳，重新计分后总分由" + Points(f, "previous_total") +
         "分调整为" + Points(f, "total") + "分。" + ReasonLine(f, false, "理由：");
}
std::string RejectedHeadline(const NoticeFacts&, bool en) {
  return en ? "Appeal rejected: the result stands" : "复核申请未予采纳，维持原考评结果";
}
std::string RejectedWhat(const NoticeFacts& f, bool en) {
  if (en) {
    return Capitalized(ActorName(f, true)) + " rejected your appeal against your result in " +
           Cycle(f, true) + " on " + On(f, true) + "; the result stands (total score " +
           Points(f, "total") + ")." + ReasonLine(f, true, "");
  }
  return "您单位对" + Cycle(f, false) + "结果提出的复核申请已于" + On(f, false) + "经" +
         ActorName(f, false) + "审核未予采纳，维持原考评结果（总分" + Points(f, "total") +
         "分）。" + ReasonLine(f, false, "理由：");
}
std::string DecidedNext(const NoticeFacts&, bool en) {
  return en ? "The result will be published again; a result can be appealed only once."
            : "考评结果将重新公布；复核申请以一次为限。";
}

std::string RepublishedHeadline(const NoticeFacts& f, bool en) {
  return en ? "Result published again: total " + Points(f, "total")
            : "考评结果已重新公布：总分" + Points(f, "total") + "分";
}
std::string RepublishedWhat(const NoticeFacts& f, bool en) {
  if (en) {
    return "After the decision on your appeal, your result in " + Cycle(f, true) +
           " was published again on " + On(f, true) + ": " + TotalText(f, true) + ".";
  }
  return "您单位" + Cycle(f, false) + "结果已于" + On(f, false) + "复核后重新公布：" +
         TotalText(f, false) + "。";
}
std::string RepublishedNext(const NoticeFacts&, bool en) {
  return en ? "The appeal is closed; the result goes to the assessment committee for ratification."
            : "复核申请已办结，考评结果将提请考评领导小组审议、常委会审定。";
}

std::string RatifiedHeadline(const NoticeFacts& f, bool en) {
  const std::string grade = GradeText(f, en);
  if (en)
    return "Result ratified: " + (grade.empty() ? "" : grade + ", ") + "total " +
           Points(f, "total");
  return "考评结果已审定：" + (grade.empty() ? "" : grade + "，") + "总分" + Points(f, "total") +
         "分";
}
std::string RatifiedWhat(const NoticeFacts& f, bool en) {
  if (en) {
    return "Your result in " + Cycle(f, true) + " was ratified by " + ActorName(f, true) + " on " +
           On(f, true) + ": " + TotalText(f, true) + ".";
  }
  return "您单位" + Cycle(f, false) + "结果已于" + On(f, false) + "经" + ActorName(f, false) +
         "审定：" + TotalText(f, false) + "。";
}
std::string RatifiedNext(const NoticeFacts&, bool en) {
  return en ? "The ratified result is final." : "审定结果为最终结果，不再变更。";
}

// Mid-year check findings to rectify (整改), and what became of each item.
std::string Finding(const NoticeFacts& f) { return Detail(f, "finding"); }
std::string ItemId(const NoticeFacts& f) { return Detail(f, "item"); }

std::string MidyearHeadline(const NoticeFacts& f, bool en) {
  const std::string n = std::to_string(ItemCount(f));
  if (en) {
    return "Mid-year check: " + n + (ItemCount(f) == 1 ? " finding" : " findings") +
           " to rectify by " + ShortDate(f.deadline, true);
  }
  return "中期核验发现问题需整改（" + n + "项），请于" + ShortDate(f.deadline, false) +
         "前整改到位";
}
std::string MidyearWhat(const NoticeFacts& f, bool en) {
  if (en) {
    return Capitalized(ActorName(f, true)) + " recorded the mid-year check of your " +
           Cycle(f, true) + " on " + On(f, true) + ".\nFindings to rectify: " + Items(f, true) +
           ReasonLine(f, true, "");
  }
  return ActorName(f, false) + "已于" + On(f, false) + "记录您单位" + Cycle(f, false) +
         "中期核验情况。\n需整改的问题：" + Items(f, false) + ReasonLine(f, false, "说明：");
}
std::string MidyearNext(const NoticeFacts& f, bool en) {
  const std::string due = internal::LongDate(f.deadline, en ? "en" : "zh-CN");
  return en ? "Rectify each finding and report in the system, with evidence, by " + due +
                  " (each item's own deadline is shown on the assessment's page)."
            : "请逐项整改，并于" + due +
                  "前在系统中报告整改情况、附佐证材料（各事项的整改期限见考评页面）。";
}

std::string RectReportedHeadline(const NoticeFacts& f, bool en) {
  return en ? UnitName(f) + " reported rectification " + ItemId(f)
            : UnitName(f) + "报告整改情况（" + ItemId(f) + "）";
}
std::string RectReportedWhat(const NoticeFacts& f, bool en) {
  if (en) {
    return UnitName(f) + " reported on " + On(f, true) + " that the mid-year finding \"" +
           Finding(f) + "\" (" + Cycle(f, true) + ") was rectified." + ReasonLine(f, true, "");
  }
  return UnitName(f) + "已于" + On(f, false) + "报告" + Cycle(f, false) + "中期核验问题“" +
         Finding(f) + "”整改完成。" + ReasonLine(f, false, "整改情况：");
}
std::string RectReportedNext(const NoticeFacts&, bool en) {
  return en ? "Check the rectification and its evidence: accept it (close the item) or send it "
              "back with a reason."
            : "请核实整改情况及佐证材料：确认销号，或说明理由退回继续整改。";
}

std::string RectClosedHeadline(const NoticeFacts& f, bool en) {
  return en ? "Rectification accepted: " + ItemId(f) + " closed"
            : "整改事项已销号（" + ItemId(f) + "）";
}
std::string RectClosedWhat(const NoticeFacts& f, bool en) {
  if (en) {
    return "On " + On(f, true) + " " + ActorName(f, true) +
           " accepted your rectification of the mid-year finding \"" + Finding(f) + "\" (" +
           Cycle(f, true) + ") and closed the item." + ReasonLine(f, true, "");
  }
  return "您单位" + Cycle(f, false) + "中期核验问题“" + Finding(f) + "”的整改情况已于" +
         On(f, false) + "经" + ActorName(f, false) + "确认，予以销号。" +
         ReasonLine(f, false, "说明：");
}
std::string RectClosedNext(const NoticeFacts&, bool en) {
  return en ? "Nothing more is needed for this item." : "该事项已办结，无需再报。";
}

std::string RectReopenedHeadline(const NoticeFacts& f, bool en) {
  return en ? "Rectification not accepted: " + ItemId(f) + " - report again by " +
                  ShortDate(f.deadline, true)
            : "整改未通过，请继续整改（" + ItemId(f) + "），于" + ShortDate(f.deadline, false) +
                  "前重新报告";
}
std::string RectReopenedWhat(const NoticeFacts& f, bool en) {
  if (en) {
    return "On " + On(f, true) + " " + ActorName(f, true) +
           " did not accept your rectification of the mid-year finding \"" + Finding(f) + "\" (" +
           Cycle(f, true) + ")." + ReasonLine(f, true, "");
  }
  return "您单位" + Cycle(f, false) + "中期核验问题“" + Finding(f) + "”的整改情况经" +
         ActorName(f, false) + "于" + On(f, false) + "核实，未予通过。" +
         ReasonLine(f, false, "理由：");
}
std::string RectReopenedNext(const NoticeFacts& f, bool en) {
  const std::string due = internal::LongDate(f.deadline, en ? "en" : "zh-CN");
  return en ? "Continue the rectification as asked and report it again in the system by " + due +
                  " (its deadline), or as soon as possible if that has passed."
            : "请按意见继续整改，并在整改期限" + due +
                  "前在系统中重新报告；期限已过的，请尽快报告。";
}

std::string RectOverdueHeadline(const NoticeFacts& f, bool en) {
  return en ? "Rectification overdue: " + ItemId(f) + " was due " + ShortDate(f.deadline, true)
            : "整改逾期（" + ItemId(f) + "），整改期限" + ShortDate(f.deadline, false) + "已过";
}
std::string RectOverdueWhat(const NoticeFacts& f, bool en) {
  const std::string due = internal::LongDate(f.deadline, en ? "en" : "zh-CN");
  if (en) {
    return "The mid-year finding \"" + Finding(f) + "\" (" + Cycle(f, true) +
           ") was to be rectified by " + due + "; no rectification has been reported.";
  }
  return "您单位" + Cycle(f, false) + "中期核验问题“" + Finding(f) + "”的整改期限为" + due +
         "，至今未报告整改情况，已逾期。";
}
std::string RectOverdueNext(const NoticeFacts&, bool en) {
  return en ? "Report the rectification in the system, with evidence, as soon as possible; if "
              "there are special circumstances, contact the performance office."
            : "请尽快在系统中报告整改情况并附佐证材料；如有特殊情况，请及时与绩效办联系。";
}

// clang-format off
const EventText kEvents[] = {
  {"returned", "绩效计划退回修改", "Performance plan returned for revision", true,
   ReturnedHeadline, ReturnedWhat, ReturnedNext},
  {"plan_approved", "绩效计划审定", "Performance plan approved", false,
   ApprovedHeadline, ApprovedWhat, ApprovedNext},
  {"plan_issued", "绩效计划印发", "Performance plan issued", false,
   IssuedHeadline, IssuedWhat, IssuedNext},
  {"adjustment_approved", "指标调整申请批准", "Indicator change request approved", false,
   AdjApprovedHeadline, AdjApprovedWhat, AdjApprovedNext},
  {"adjustment_filed", "指标调整备案", "Indicator change filed", false,
   AdjFiledHeadline, AdjFiledWhat, AdjFiledNext},
  {"adjustment_rejected", "指标调整申请驳回", "Indicator change request rejected", false,
   AdjRejectedHeadline, AdjRejectedWhat, AdjRejectedNext},
  {"sent_back", "自查自评退回补正", "Self-assessment sent back for correction", true,
   SentBackHeadline, SentBackWhat, SentBackNext},
  {"published", "考评结果公布", "Result published", true,
   PublishedHeadline, PublishedWhat, PublishedNext},
  {"appeal_lodged", "考评结果复核申请", "Appeal lodged", true,
   LodgedHeadline, LodgedWhat, LodgedNext},
  {"appeal_upheld", "复核申请采纳", "Appeal upheld", false,
   UpheldHeadline, UpheldWhat, DecidedNext},
  {"appeal_rejected", "复核申请未予采纳", "Appeal rejected", false,
   RejectedHeadline, RejectedWhat, DecidedNext},
  {"republished", "考评结果重新公布", "Result published again", false,
   RepublishedHeadline, RepublishedWhat, RepublishedNext},
  {"ratified", "考评结果审定", "Result ratified", false,
   RatifiedHeadline, RatifiedWhat, RatifiedNext},
  {"midyear_findings", "中期核验问题整改", "Mid-year findings to rectify", true,
   MidyearHeadline, MidyearWhat, MidyearNext},
  {"rectification_reported", "整改情况报告", "Rectification reported", false,
   RectReportedHeadline, RectReportedWhat, RectReportedNext},
  {"rectification_closed", "整改事项销号", "Rectification accepted", false,
   RectClosedHeadline, RectClosedWhat, RectClosedNext},
  {"rectification_reopened", "整改退回", "Rectification not accepted", true,
   RectReopenedHeadline, RectReopenedWhat, RectReopenedNext},
  {"rectification_overdue", "整改逾期", "Rectification overdue", true,
   RectOverdueHeadline, RectOverdueWhat, RectOverdueNext},
};
// clang-format on

const EventText* FindEvent(const std::string& event) {
  for (const EventText& e : kEvents) {
    if (event == e.id) return &e;
  }
  return nullptr;
}

bool IsEvent(const NoticeFacts& f) { return f.kind == "event"; }

std::string EventHeadline(const NoticeFacts& f, bool en) {
  const EventText* e = FindEvent(f.event);
  if (e != nullptr) return e->headline(f, en);
  return EventLabel(f.event, en ? "en" : "zh-CN");
}

std::string EventWhat(const NoticeFacts& f, bool en) {
  const EventText* e = FindEvent(f.event);
  if (e != nullptr) return e->what(f, en);
  if (en)
    return "News of " + UnitName(f) + " in " + Cycle(f, true) + " on " + On(f, true) + ": " +
           f.event + "." + ReasonLine(f, true, "");
  return UnitName(f) + Cycle(f, false) + "有新的进展（" + f.event + "，" + On(f, false) + "）。" +
         ReasonLine(f, false, "说明：");
}

std::string EventNext(const NoticeFacts& f, bool en) {
  const EventText* e = FindEvent(f.event);
  if (e != nullptr) return e->next(f, en);
  return en ? "See the details in the system." : "详情请在系统中查看。";
}

std::string EventLateLine(bool en) {
  return en ? "Note: this notice is delivered late because the system was unavailable at the time; "
              "the dates above still apply."
            : "说明：因系统当时不可用，本通知延迟送达，请以上述日期为准。";
}

NoticeText RenderEvent(const NoticeFacts& f, bool en) {
  NoticeText out;
  out.subject = (en ? "[GovAssess notice] " : "【绩效考评通知】") + EventHeadline(f, en);
  std::string& b = out.body;
  b = Greeting(f, en) + "\n\n" + EventWhat(f, en) + "\n\n" + EventNext(f, en) + "\n";
  if (!f.link.empty()) b += "\n" + LinkLine(f.link, en) + "\n";
  if (f.late) b += "\n" + EventLateLine(en) + "\n";
  b += "\n" + Footer(en) + "\n";
  return out;
}

// One digest line of an event: "【需办理】南宁市｜绩效计划退回修改｜2025年4月22日（星期二）".
std::string EventDigestLine(const NoticeFacts& f, const std::string& lang, bool en) {
  const std::string sep = en ? " | " : "｜";
  const bool act = EventUrgency(f.event) == "urgent";
  const std::string tag =
      en ? (act ? "[Action needed] " : "[For information] ") : (act ? "【需办理】" : "【通知】");
  return tag + UnitName(f) + sep + EventLabel(f.event, lang) + sep + internal::LongDate(f.on, lang);
}

}  // namespace

namespace internal {

bool IsEnglish(const std::string& lang) {
  return lang == "en" || (lang.size() > 3 && lang.compare(0, 3, "en-") == 0);
}

std::string LongDate(const std::string& date, const std::string& lang) {
  auto d = Date::Parse(date);
  if (!d.ok()) return date;
  if (IsEnglish(lang)) return std::string(kWeekdaysEn[d->Weekday()]) + ", " + ShortDate(date, true);
  return ShortDate(date, false) + "（" + kWeekdaysZh[d->Weekday()] + "）";
}

std::string IsoUtc(int64_t utc_ms) {
  int64_t days = utc_ms / 86'400'000;
  int64_t rest = utc_ms % 86'400'000;
  if (rest < 0) {
    rest += 86'400'000;
    --days;
  }
  const Date d = Date::FromDays(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.year(), d.month(), d.day(),
                static_cast<int>(rest / 3'600'000), static_cast<int>(rest / 60'000 % 60),
                static_cast<int>(rest / 1000 % 60), static_cast<int>(rest % 1000));
  return buf;
}

std::string DoerName(const std::string& doer, bool en) {
  if (doer == "office") return en ? "the performance office" : "绩效办";
  if (doer == "lead_assessor") return en ? "the lead assessors" : "主考单位";
  if (doer == "committee") return en ? "the assessment committee" : "考评领导小组";
  return en ? "the unit" : "该单位";
}

}  // namespace internal

std::string StepLabel(const std::string& step, const std::string& lang) {
  const StepText* s = Find(step);
  if (s == nullptr) return step;
  return internal::IsEnglish(lang) ? s->en_label : s->zh_label;
}

std::string StepAction(const std::string& step, const std::string& lang) {
  const bool en = internal::IsEnglish(lang);
  const StepText* s = Find(step);
  if (s == nullptr) {
    return en ? "Complete the required work in the system before the deadline."
              : "请于截止日前在系统中完成相关事项。";
  }
  return en ? s->en_action : s->zh_action;
}

bool IsOptionalStep(const std::string& step) {
  const StepText* s = Find(step);
  return s != nullptr && s->optional;
}

NoticeText RenderNotice(const NoticeFacts& f, const std::string& lang) {
  const bool en = internal::IsEnglish(lang);
  if (IsEvent(f)) return RenderEvent(f, en);
  NoticeText out;
  out.subject = Subject(f, en);
  std::string& b = out.body;
  b = Greeting(f, en) + "\n\n" + Situation(f, en) + "\n\n" + ActionLine(f, en) + "\n";
  if (!f.link.empty()) b += "\n" + LinkLine(f.link, en) + "\n";
  if (f.late) b += "\n" + LateLine(en) + "\n";
  b += "\n" + Footer(en) + "\n";
  return out;
}

std::string DigestSubject(const std::string& lang, size_t count, const std::string& date) {
  if (internal::IsEnglish(lang)) {
    return "[GovAssess reminder] " + std::to_string(count) + (count == 1 ? " item" : " items") +
           " on " + internal::LongDate(date, "en");
  }
  return "【绩效考评提醒】" + ShortDate(date, false) + "待办事项（共" + std::to_string(count) + "项）";
}

NoticeText RenderDigest(const std::vector<NoticeFacts>& notices, const std::string& lang,
                        const std::string& date) {
  const bool en = internal::IsEnglish(lang);
  std::vector<NoticeFacts> sorted = notices;
  SortByUrgency(&sorted);
  NoticeText out;
  out.subject = DigestSubject(lang, sorted.size(), date);
  const std::string when = internal::LongDate(date, lang);
  std::string& b = out.body;
  if (sorted.empty()) {
    b = en ? "Nothing needs your attention on " + when + ".\n" : when + "没有需要关注的绩效考评事项。\n";
    b += "\n" + Footer(en) + "\n";
    return out;
  }
  const std::string n = std::to_string(sorted.size());
  b = en ? n + (sorted.size() == 1 ? " item needs" : " items need") + " your attention on " + when +
               ", most urgent first:\n"
         : "以下是" + when + "需要关注的" + n + "项绩效考评事项，已按紧急程度排列：\n";
  bool any_late = false;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const NoticeFacts& f = sorted[i];
    const std::string sep = en ? " | " : "｜";
    const std::string urgency = UrgencyText(Urgency(f.kind, f.working_days), en);
    b += "\n" + std::to_string(i + 1) + ". ";
    if (IsEvent(f)) {
      b += EventDigestLine(f, lang, en);
    } else {
      b += (en ? "[" + urgency + "] " : "【" + urgency + "】") + UnitName(f) + sep +
           StepLabel(f.step, lang) + sep + (en ? "deadline " : "截止") +
           internal::LongDate(f.deadline, lang) + sep + StatusText(f, en);
    }
    if (f.late) {
      b += en ? " (delivered late)" : "（延迟送达）";
      any_late = true;
    }
    b += "\n   " + (IsEvent(f) ? EventNext(f, en) : ActionLine(f, en)) + "\n";
    if (!f.link.empty()) b += "   " + LinkLine(f.link, en) + "\n";
  }
  if (any_late) {
    b += en ? "\nItems marked \"delivered late\" were due to be sent earlier, when the system was "
              "unavailable; their deadlines still apply.\n"
            : "\n注：标有“延迟送达”的事项因系统在原定发送时间不可用而延迟提醒，请以所列截止日期为准。\n";
  }
  b += "\n" + Footer(en) + "\n";
  return out;
}

std::string Urgency(const std::string& kind, int working_days) {
  if (kind == "escalation") return "overdue";
  if (kind == "due") return "due_today";
  if (kind == "before" && working_days <= 1) return "urgent";
  return "upcoming";
}

std::string NoticeUrgency(const NoticeFacts& f) {
  return IsEvent(f) ? EventUrgency(f.event) : Urgency(f.kind, f.working_days);
}

std::string EventLabel(const std::string& event, const std::string& lang) {
  const EventText* e = FindEvent(event);
  if (e == nullptr) return event;
  return internal::IsEnglish(lang) ? e->en_label : e->zh_label;
}

bool IsKnownEvent(const std::string& event) { return FindEvent(event) != nullptr; }

std::string EventUrgency(const std::string& event) {
  const EventText* e = FindEvent(event);
  return e != nullptr && e->needs_action ? "urgent" : "upcoming";
}

int UrgencyRank(const std::string& urgency) {
  if (urgency == "overdue") return 0;
  if (urgency == "due_today") return 1;
  if (urgency == "urgent") return 2;
  if (urgency == "upcoming") return 3;
  return 4;
}

void SortByUrgency(std::vector<NoticeFacts>* notices) {
  auto key = [](const NoticeFacts& f) {
    const int rank = UrgencyRank(NoticeUrgency(f));
    // Escalations: longest overdue first; before: fewest days left first; events after
    // the reminders of their urgency (a deadline close at hand comes first).
    const int days = IsEvent(f)                 ? std::numeric_limits<int>::max()
                     : f.kind == "escalation" ? -f.working_days
                                              : f.working_days;
    return std::make_tuple(rank, days, f.deadline, f.unit_id, f.step);
  };
  std::stable_sort(notices->begin(), notices->end(),
                   [&](const NoticeFacts& a, const NoticeFacts& b) { return key(a) < key(b); });
}

nlohmann::json WebhookBody(const NoticeFacts& f, const std::string& delivery_id, int64_t sent_ms) {
  // One shape for both: an event fills the reminder's fields as a notice without a
  // reminder would, and adds its own.
  const bool event = IsEvent(f);
  auto label = [&](const std::string& lang) {
    return event ? EventLabel(f.event, lang) : StepLabel(f.step, lang);
  };
  nlohmann::json body{{"type", event ? "govassess.event" : "govassess.reminder"},
                      {"id", delivery_id},
                      {"unit", f.unit_id},
                      {"unit_name", f.unit_name},
                      {"year", f.year},
                      {"scheme", f.scheme},
                      {"step", event ? f.event : f.step},
                      {"step_label", {{"zh-CN", label("zh-CN")}, {"en", label("en")}}},
                      {"reminder", event ? std::string() : f.reminder},
                      {"kind", event ? std::string("event") : f.kind},
                      {"urgency", NoticeUrgency(f)},
                      {"working_days", event ? 0 : f.working_days},
                      {"deadline", f.deadline},
                      {"late", f.late},
                      {"audience", f.audience},
                      {"sent_at", internal::IsoUtc(sent_ms)},
                      {"link", f.link.empty() ? nlohmann::json() : nlohmann::json(f.link)}};
  if (event) {
    body["event"] = f.event;
    body["reason"] = f.reason;
    body["actor_role"] = f.actor_role;
    body["on"] = f.on;
    body["details"] = f.details;
  }
  return body;
}

NoticeFacts NoticeFactsFromJson(const nlohmann::json& f, const std::string& link) {
  NoticeFacts n;
  n.unit_id = f.value("unit_id", "");
  n.unit_name = f.value("unit_name", "");
  n.year = f.value("year", "");
  n.scheme = f.value("scheme", "");
  n.step = f.value("step", "");
  n.reminder = f.value("reminder", "");
  n.kind = f.value("kind", "");
  n.working_days = f.value("working_days", 0);
  n.deadline = f.value("deadline", "");
  n.late = f.value("late", false);
  n.audience = f.value("audience", "unit");
  n.link = link;
  n.event = f.value("event", "");
  n.reason = f.value("reason", "");
  n.actor_role = f.value("actor_role", "");
  n.on = f.value("on", "");
  n.details = f.value("details", nlohmann::json::object());
  return n;
}

}  // namespace govassess::workflows
