#include "workflows/notice_text.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "engine/date.h"

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
  bool office_step;   // the office's own step about a unit; its reminders go to the office
};

// clang-format off
const StepText kSteps[] = {
  {"plan_due", "绩效计划报送", "Performance plan filing",
   "请于截止日前在系统中提交绩效计划并报绩效办审核。",
   "Submit the performance plan in the system for review by the performance office before the deadline.",
   "在系统中提交绩效计划并报绩效办审核",
   "submit the performance plan in the system for review by the performance office", false, false},
  {"plan_review", "绩效计划审核", "Performance plan review",
   "请于截止日前审核该单位报送的绩效计划：需修改的退回并写明理由，同意的报分管领导审定后印发。",
   "Review the plan the unit submitted before the deadline: return it with reasons if it needs changes, otherwise agree and pass it to the leader in charge for approval and issue.",
   "审核该单位报送的绩效计划并报分管领导审定",
   "review the unit's plan and pass it to the leader in charge for approval", false, true},
  {"adjustment_window", "指标调整申报期", "Indicator adjustment filing window",
   "如需调整已审定的绩效指标，请在备案期内在系统中提交指标调整申请（经主考单位初审、绩效办审核、分管领导审批后备案）；备案期结束后不再受理。",
   "To change an approved indicator, file a change request in the system within the window (first review by the lead assessor, agreement by the performance office, approval by the leader in charge, then filing); requests after the window are not accepted.",
   "提交指标调整申请", "file indicator change requests", true, false},
  {"new_task_window", "新增重大任务申报", "New major task application window",
   "如有新交办的重大任务需纳入绩效计划，请自收到交办文件之日起在规定的工作日内在系统中提出申请；逾期不再受理。",
   "To add a newly assigned major task to the performance plan, apply in the system within the set number of working days of receiving the assigning document; later applications are not accepted.",
   "申请将新增重大任务纳入绩效计划", "apply to add the new major task to the plan", true, false},
  {"midyear_check", "中期核验", "Mid-year check",
   "请按绩效办安排配合开展中期核验，如实提供指标进展情况，并对核验发现的问题及时整改。",
   "Take part in the mid-year check as arranged by the performance office, report indicator progress truthfully and rectify the findings promptly.",
   "配合完成中期核验", "complete the mid-year check", false, false},
  {"self_assessment_due", "自查自评报送", "Self-assessment report",
   "请于截止日前在系统中逐项填报指标完成情况、上传佐证材料，并提交自查自评报告。",
   "Report the completion of each indicator with evidence and submit the self-assessment report in the system before the deadline.",
   "填报指标完成情况并提交自查自评报告",
   "submit the self-assessment report with evidence for each indicator", false, false},
  {"lead_scoring_due", "主考单位考核评分", "Scoring by lead assessors",
   "请主考单位于截止日前在系统中完成所负责指标的审核评分。",
   "Lead assessors: score the indicators you are responsible for in the system before the deadline.",
   "完成所负责指标的审核评分", "score the indicators it is responsible for", false, false},
  {"onsite_verification_due", "察访核验", "On-site verification",
   "请于截止日前完成察访核验，并在系统中录入核验结果。",
   "Complete the on-site verification and record its findings in the system before the deadline.",
   "完成察访核验并录入核验结果", "complete the on-site verification and record its findings", false, false},
  {"external_scores_due", "社会评价和创新评估结果报送", "Social evaluation and innovation review scores",
   "请于截止日前报送社会评价和创新评估结果。",
   "Submit the social evaluation and innovation review scores before the deadline.",
   "报送社会评价和创新评估结果", "submit the social evaluation and innovation review scores", false, false},
  {"results_due", "形成考评结果", "Assessment results",
   "请于截止日前汇总形成考评结果，并反馈各考评单位。",
   "Aggregate the scores into results and publish them to each assessed unit before the deadline.",
   "汇总形成考评结果并反馈各考评单位", "aggregate the scores and publish the results", false, false},
  // Seed 001 calls an appeal 复核申请 ("可在5个工作日内提出复核申请"), not 申诉.
  {"appeal_window", "考评结果复核申请期", "Appeal window",
   "如对考评结果有异议，请于截止日前在系统中提交复核申请，写明理由并附佐证材料；逾期未申请的，视为对考评结果无异议。",
   "If you disagree with the result, apply for a review in the system before the deadline, with reasons and evidence; without an application by then, the result stands.",
   "提交复核申请", "apply for a review", true, false},
  {"ratification_due", "考评结果审定", "Ratification of results",
   "请于截止日前提请考评领导小组审议、常委会审定考评结果。",
   "Submit the results to the assessment leading group for deliberation and to the standing committee for ratification before the deadline.",
   "提请审议、审定考评结果", "bring the results to deliberation and ratification", false, false},
};
// clang-format on

const StepText* Find(const std::string& step) {
  for (const StepText& s : kSteps) {
    if (step == s.id) return &s;
  }
  return nullptr;
}

std::string Task(const std::string& step, bool en) {
  const StepText* s = Find(step);
  if (s == nullptr) return en ? "complete the required work" : "完成相关事项";
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

bool IsOfficeStep(const std::string& step) {
  const StepText* s = Find(step);
  return s != nullptr && s->office_step;
}

// Whether the reader is the one who must act: the unit for its own steps, the office
// for the office's steps. Others (a superior, the office about a unit's step) follow up.
bool ToDoer(const NoticeFacts& f) {
  return IsOfficeStep(f.step) ? f.audience == "office" : ToUnit(f);
}

bool IsDutyEscalation(const NoticeFacts& f) {
  return f.kind == "escalation" && !IsOptionalStep(f.step);
}

std::string Greeting(const NoticeFacts& f, bool en) {
  if (en) return ToUnit(f) ? "Dear colleagues of " + UnitName(f) + "," : "Dear colleague,";
  if (f.audience == "office") return "绩效办：";
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
  if (en) {
    const std::string of = name_unit ? " of " + UnitName(f) : "";
    const std::string what = "\"" + label + "\"" + of + " in " + Cycle(f, true);
    const std::string follow = self ? "" : " Please make sure it is met.";
    if (f.kind == "escalation") {
      if (!IsDutyEscalation(f)) return "The window for " + what + " closed on " + when + " (" + n + " ago).";
      if (self) return "The deadline for " + what + " was " + when + ". It has not been met and is now " + n + " overdue.";
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
           "截止，该单位至今未完成，已逾期" + n + "。";
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
  const std::string task = Task(f.step, en);
  const bool self = ToDoer(f);
  if (f.kind == "escalation") {
    if (!IsDutyEscalation(f)) {
      if (!self) return en ? "For your information only." : "本通知仅供知悉。";
      return en ? "The window has closed; if there are special circumstances, contact the performance office."
                : "该期限已过；如有特殊情况，请与绩效办联系。";
    }
    if (self && IsOfficeStep(f.step)) {
      return en ? "Please " + task + " as soon as possible." : "请尽快" + task + "。";
    }
    if (self) {
      return en ? "Please " + task + " as soon as possible; if there are special circumstances, contact the performance office."
                : "请尽快" + task + "；如有特殊情况，请及时与绩效办联系。";
    }
    return en ? "Please ask the unit to " + task + " without delay." : "请督促该单位尽快" + task + "。";
  }
  if (self) return StepAction(f.step, en ? "en" : "zh-CN");
  return en ? "What the unit must do: " + task + "." : "应办事项：" + task + "。";
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
    b += "\n" + std::to_string(i + 1) + ". " + (en ? "[" + urgency + "] " : "【" + urgency + "】") +
         UnitName(f) + sep + StepLabel(f.step, lang) + sep + (en ? "deadline " : "截止") +
         internal::LongDate(f.deadline, lang) + sep + StatusText(f, en);
    if (f.late) {
      b += en ? " (delivered late)" : "（延迟送达）";
      any_late = true;
    }
    b += "\n   " + ActionLine(f, en) + "\n";
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

int UrgencyRank(const std::string& urgency) {
  if (urgency == "overdue") return 0;
  if (urgency == "due_today") return 1;
  if (urgency == "urgent") return 2;
  if (urgency == "upcoming") return 3;
  return 4;
}

void SortByUrgency(std::vector<NoticeFacts>* notices) {
  auto key = [](const NoticeFacts& f) {
    const int rank = UrgencyRank(Urgency(f.kind, f.working_days));
    // Escalations: longest overdue first; before: fewest days left first.
    const int days = f.kind == "escalation" ? -f.working_days : f.working_days;
    return std::make_tuple(rank, days, f.deadline, f.unit_id, f.step);
  };
  std::stable_sort(notices->begin(), notices->end(),
                   [&](const NoticeFacts& a, const NoticeFacts& b) { return key(a) < key(b); });
}

nlohmann::json WebhookBody(const NoticeFacts& f, const std::string& delivery_id, int64_t sent_ms) {
  return {{"type", "govassess.reminder"},
          {"id", delivery_id},
          {"unit", f.unit_id},
          {"unit_name", f.unit_name},
          {"year", f.year},
          {"scheme", f.scheme},
          {"step", f.step},
          {"step_label", {{"zh-CN", StepLabel(f.step, "zh-CN")}, {"en", StepLabel(f.step, "en")}}},
          {"reminder", f.reminder},
          {"kind", f.kind},
          {"urgency", Urgency(f.kind, f.working_days)},
          {"working_days", f.working_days},
          {"deadline", f.deadline},
          {"late", f.late},
          {"audience", f.audience},
          {"sent_at", internal::IsoUtc(sent_ms)},
          {"link", f.link.empty() ? nlohmann::json() : nlohmann::json(f.link)}};
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
  return n;
}

}  // namespace govassess::workflows
