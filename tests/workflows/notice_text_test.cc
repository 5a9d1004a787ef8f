// Notice texts: labels, each kind and audience in both languages, late delivery, the
// digest order, urgency and the webhook body.
#include "workflows/notice_text.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace govassess::workflows {
namespace {

using Catch::Contains;

NoticeFacts Facts(const std::string& kind, int days, const std::string& audience = "unit") {
  NoticeFacts f;
  f.unit_id = "gx-nanning";
  f.unit_name = "南宁市";
  f.year = "2026";
  f.scheme = "city";
  f.step = "plan_due";
  f.kind = kind;
  f.reminder = kind == "before" ? "before-" + std::to_string(days)
               : kind == "due"  ? "due"
                                : "escalation-" + std::to_string(days);
  f.working_days = days;
  f.deadline = "2026-04-30";  // a Thursday
  f.audience = audience;
  return f;
}

const std::vector<std::string> kLifecycleSteps = {
    "plan_due",          "plan_review",             "adjustment_window",
    "new_task_window",   "midyear_check",
    "self_assessment_due", "lead_scoring_due",      "onsite_verification_due",
    "external_scores_due", "results_due",           "appeal_window",      "ratification_due"};

}  // namespace

TEST_CASE("every deadline kind has a label and an action in both languages", "[notice_text]") {
  CHECK(StepLabel("plan_due", "zh-CN") == "绩效计划报送");
  CHECK(StepLabel("plan_due", "en") == "Performance plan filing");
  CHECK(StepAction("plan_due", "zh-CN") == "请于截止日前在系统中提交绩效计划并报绩效办审核。");
  for (const std::string& step : kLifecycleSteps) {
    INFO(step);
    CHECK(StepLabel(step, "zh-CN") != step);
    CHECK(StepLabel(step, "en") != step);
    CHECK(StepLabel(step, "zh-CN") != StepLabel(step, "en"));
    CHECK_FALSE(StepAction(step, "zh-CN").empty());
    CHECK_FALSE(StepAction(step, "en").empty());
  }
  // Unknown step: its id and a generic action. Unknown language: zh-CN.
  CHECK(StepLabel("budget_due", "zh-CN") == "budget_due");
  CHECK(StepLabel("budget_due", "en") == "budget_due");
  CHECK_THAT(StepAction("budget_due", "zh-CN"), Contains("截止日前"));
  CHECK(StepLabel("plan_due", "fr") == "绩效计划报送");
  CHECK(StepLabel("plan_due", "en-GB") == "Performance plan filing");
  CHECK(IsOptionalStep("appeal_window"));
  CHECK_FALSE(IsOptionalStep("plan_due"));
}

TEST_CASE("dates are written the way each language writes them", "[notice_text]") {
  CHECK(internal::LongDate("2026-04-30", "zh-CN") == "2026年4月30日（星期四）");
  CHECK(internal::LongDate("2025-10-14", "zh-CN") == "2025年10月14日（星期二）");
  CHECK(internal::LongDate("2026-04-30", "en") == "Thursday, 30 April 2026");
  CHECK(internal::LongDate("not a date", "en") == "not a date");
  CHECK(internal::IsoUtc(0) == "1970-01-01T00:00:00.000Z");
  CHECK(internal::IsoUtc(1'776'906'000'123) == "2026-04-23T01:00:00.123Z");
  CHECK(internal::IsoUtc(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("each kind and audience names the deadline, the date and the days", "[notice_text]") {
  struct Case {
    std::string kind;
    int days;
    std::string audience;
    std::string lang;
    std::vector<std::string> subject;  // substrings
    std::vector<std::string> body;     // substrings
  };
  // clang-format off
  const std::vector<Case> cases = {
    {"before", 5, "unit", "zh-CN",
     {"【绩效考评提醒】", "绩效计划报送", "2026年4月30日", "5个工作日"},
     {"南宁市：", "您单位2026年度设区市绩效考评", "“绩效计划报送”", "2026年4月30日（星期四）",
      "还有5个工作日", "请于截止日前在系统中提交绩效计划并报绩效办审核。"}},
    {"before", 1, "unit", "en",
     {"[GovAssess reminder]", "Performance plan filing", "30 April 2026", "1 working day left"},
     {"Dear colleagues of 南宁市", "\"Performance plan filing\"", "Thursday, 30 April 2026",
      "1 working day left", "2026 performance assessment of cities", "Submit the performance plan"}},
    {"due", 0, "unit", "zh-CN",
     {"【绩效考评提醒】", "今天是", "绩效计划报送", "2026年4月30日"},
     {"今天是2026年4月30日（星期四），为您单位", "“绩效计划报送”的截止日期", "请于截止日前"}},
    {"due", 0, "unit", "en",
     {"[GovAssess reminder]", "due today", "30 April 2026"},
     {"Today, Thursday, 30 April 2026, is the deadline for \"Performance plan filing\""}},
    {"before", 3, "superior", "zh-CN",
     {"南宁市绩效计划报送", "3个工作日"},
     {"您好：", "南宁市2026年度", "还有3个工作日", "督促", "应办事项："}},
    {"escalation", 2, "superior", "zh-CN",
     {"【逾期督办】南宁市绩效计划报送已逾期2个工作日"},
     {"南宁市（gx-nanning）", "已于2026年4月30日（星期四）截止", "已逾期2个工作日",
      "请督促该单位尽快在系统中提交绩效计划并报绩效办审核。"}},
    {"escalation", 1, "office", "zh-CN",
     {"【逾期督办】", "南宁市", "1个工作日"},
     {"绩效办：", "南宁市（gx-nanning）", "已逾期1个工作日"}},
    {"escalation", 1, "office", "en",
     {"[Overdue] 南宁市: Performance plan filing 1 working day overdue"},
     {"南宁市 (gx-nanning) missed the deadline for \"Performance plan filing\"",
      "Thursday, 30 April 2026", "1 working day overdue", "Please ask the unit to submit"}},
    {"escalation", 3, "unit", "en",
     {"[Overdue]", "3 working days overdue"},
     {"has not been met and is now 3 working days overdue", "as soon as possible"}},
  };
  // clang-format on
  for (const Case& c : cases) {
    INFO(c.kind << " " << c.days << " " << c.audience << " " << c.lang);
    NoticeText t = RenderNotice(Facts(c.kind, c.days, c.audience), c.lang);
    INFO(t.subject << "\n" << t.body);
    for (const std::string& s : c.subject) CHECK_THAT(t.subject, Contains(s));
    for (const std::string& s : c.body) CHECK_THAT(t.body, Contains(s));
    CHECK(t.subject.find('\n') == std::string::npos);
    CHECK(t.subject.size() < 150);
    // No late line, no link line unless asked.
    CHECK_THAT(t.body, !Contains("延迟送达") && !Contains("delivered late"));
    CHECK_THAT(t.body, !Contains("办理入口") && !Contains("Open in GovAssess"));
  }
}

TEST_CASE("the late line and the link appear only when given", "[notice_text]") {
  for (const std::string lang : {"zh-CN", "en"}) {
    NoticeFacts f = Facts("before", 3);
    f.late = true;
    f.link = "https://govassess.example.gov.cn/lifecycle/2026/city/gx-nanning";
    NoticeText t = RenderNotice(f, lang);
    CHECK_THAT(t.body, Contains(f.link));
    CHECK_THAT(t.body, Contains(lang == "en" ? "delivered late because the system was unavailable"
                                             : "因系统在原定发送时间不可用，本提醒延迟送达"));
  }
  // Unknown language renders zh-CN.
  CHECK(RenderNotice(Facts("due", 0), "de").body == RenderNotice(Facts("due", 0), "zh-CN").body);
}

TEST_CASE("a missed window is not an overdue duty", "[notice_text]") {
  NoticeFacts f = Facts("escalation", 1, "superior");
  f.step = "appeal_window";
  f.deadline = "2025-10-14";
  NoticeText zh = RenderNotice(f, "zh-CN");
  CHECK_THAT(zh.subject, Contains("【绩效考评提醒】") && Contains("已于2025年10月14日截止"));
  CHECK_THAT(zh.subject, !Contains("逾期督办"));
  CHECK_THAT(zh.body, Contains("仅供知悉"));
  NoticeText en = RenderNotice(f, "en");
  CHECK_THAT(en.subject, Contains("closed on 14 October 2025"));
  CHECK_THAT(en.subject, !Contains("[Overdue]"));
}

TEST_CASE("urgency of each kind", "[notice_text]") {
  struct Case {
    std::string kind;
    int days;
    std::string urgency;
    int rank;
  };
  const std::vector<Case> cases = {{"escalation", 1, "overdue", 0},  {"escalation", 9, "overdue", 0},
                                   {"due", 0, "due_today", 1},       {"before", 1, "urgent", 2},
                                   {"before", 0, "urgent", 2},       {"before", 2, "upcoming", 3},
                                   {"before", 5, "upcoming", 3},     {"whatever", 0, "upcoming", 3}};
  for (const Case& c : cases) {
    INFO(c.kind << " " << c.days);
    CHECK(Urgency(c.kind, c.days) == c.urgency);
    CHECK(UrgencyRank(Urgency(c.kind, c.days)) == c.rank);
  }
  CHECK(UrgencyRank("nonsense") == 4);
}

TEST_CASE("the digest lists the most urgent first", "[notice_text]") {
  NoticeFacts b5 = Facts("before", 5);
  NoticeFacts b1 = Facts("before", 1);
  b1.step = "self_assessment_due";
  NoticeFacts due = Facts("due", 0);
  due.step = "results_due";
  NoticeFacts esc1 = Facts("escalation", 1, "office");
  esc1.unit_id = "gx-liuzhou";
  esc1.unit_name = "柳州市";
  NoticeFacts esc3 = Facts("escalation", 3, "office");
  esc3.unit_id = "gx-guilin";
  esc3.unit_name = "桂林市";
  esc3.late = true;

  std::vector<NoticeFacts> list = {b5, due, esc1, b1, esc3};
  SortByUrgency(&list);
  std::vector<std::string> order;
  for (const NoticeFacts& f : list) order.push_back(f.reminder + " " + f.unit_id);
  CHECK(order == std::vector<std::string>{"escalation-3 gx-guilin", "escalation-1 gx-liuzhou",
                                          "due gx-nanning", "before-1 gx-nanning",
                                          "before-5 gx-nanning"});

  NoticeText zh = RenderDigest({b5, due, esc1, b1, esc3}, "zh-CN", "2026-04-30");
  CHECK(zh.subject == DigestSubject("zh-CN", 5, "2026-04-30"));
  CHECK(zh.subject == "【绩效考评提醒】2026年4月30日待办事项（共5项）");
  const size_t p_esc = zh.body.find("桂林市");
  const size_t p_due = zh.body.find("形成考评结果");
  const size_t p_b1 = zh.body.find("自查自评报送");
  const size_t p_b5 = zh.body.find("还剩5个工作日");
  REQUIRE(p_esc != std::string::npos);
  REQUIRE(p_b5 != std::string::npos);
  CHECK(p_esc < zh.body.find("柳州市"));
  CHECK(zh.body.find("柳州市") < p_due);
  CHECK(p_due < p_b1);
  CHECK(p_b1 < p_b5);
  CHECK_THAT(zh.body, Contains("1. 【已逾期】桂林市") && Contains("（延迟送达）"));
  CHECK_THAT(zh.body, Contains("2026年4月30日（星期四）"));

  NoticeText en = RenderDigest({b5}, "en", "2026-04-30");
  CHECK(en.subject == "[GovAssess reminder] 1 item on Thursday, 30 April 2026");
  CHECK_THAT(en.body, Contains("[Upcoming] 南宁市 | Performance plan filing") &&
                          Contains("5 working days left"));
  CHECK_THAT(en.body, !Contains("delivered late"));
  CHECK(DigestSubject("en", 3, "2026-04-30") == "[GovAssess reminder] 3 items on Thursday, 30 April 2026");
  CHECK_THAT(RenderDigest({}, "zh-CN", "2026-04-30").body, Contains("没有需要关注"));
}

TEST_CASE("the windows and the office's review have their own labels in both languages", "[notice_text]") {
  struct Case {
    std::string step, zh, en;
    bool optional;
  };
  const std::vector<Case> cases = {
      {"appeal_window", "考评结果复核申请期", "Appeal window", true},
      {"adjustment_window", "指标调整申报期", "Indicator adjustment filing window", true},
      {"plan_review", "绩效计划审核", "Performance plan review", false},
  };
  for (const Case& c : cases) {
    INFO(c.step);
    CHECK(StepLabel(c.step, "zh-CN") == c.zh);
    CHECK(StepLabel(c.step, "en") == c.en);
    CHECK(IsOptionalStep(c.step) == c.optional);
  }
  CHECK(WebhookBody(Facts("before", 2), "d", 0)["step_label"]["zh-CN"] == "绩效计划报送");
  NoticeFacts appeal = Facts("before", 2);
  appeal.step = "appeal_window";
  CHECK(WebhookBody(appeal, "d", 0)["step_label"] ==
        nlohmann::json({{"zh-CN", "考评结果复核申请期"}, {"en", "Appeal window"}}));
}

TEST_CASE("a window's reminders say when it closes, not that something is due", "[notice_text]") {
  struct Case {
    std::string step, kind;
    int days;
    std::string lang;
    std::vector<std::string> subject, body;
  };
  // clang-format off
  const std::vector<Case> cases = {
    {"appeal_window", "before", 2, "zh-CN",
     {"【绩效考评提醒】考评结果复核申请期将于2025年10月14日截止，还剩2个工作日"},
     {"南宁市：", "您单位2026年度设区市绩效考评的“考评结果复核申请期”将于2025年10月14日（星期二）截止，距截止还有2个工作日。",
      "如对考评结果有异议", "视为对考评结果无异议"}},
    {"appeal_window", "before", 2, "en",
     {"[GovAssess reminder] Appeal window closes 14 October 2025 - 2 working days left"},
     {"The \"Appeal window\" in the 2026 performance assessment of cities closes on Tuesday, 14 October 2025: 2 working days left.",
      "apply for a review"}},
    {"appeal_window", "due", 0, "zh-CN",
     {"今天是考评结果复核申请期截止日（2025年10月14日）"},
     {"今天是2025年10月14日（星期二），为您单位2026年度设区市绩效考评“考评结果复核申请期”的最后一天。"}},
    {"appeal_window", "due", 0, "en",
     {"[GovAssess reminder] Appeal window closes today (14 October 2025)"},
     {"Today, Tuesday, 14 October 2025, is the last day of the \"Appeal window\""}},
    {"adjustment_window", "before", 5, "zh-CN",
     {"指标调整申报期将于2025年10月14日截止，还剩5个工作日"},
     {"“指标调整申报期”将于", "提交指标调整申请"}},
    {"adjustment_window", "before", 5, "en",
     {"Indicator adjustment filing window closes 14 October 2025 - 5 working days left"},
     {"To change an approved indicator"}},
  };
  // clang-format on
  for (const Case& c : cases) {
    NoticeFacts f = Facts(c.kind, c.days);
    f.step = c.step;
    f.deadline = "2025-10-14";
    NoticeText t = RenderNotice(f, c.lang);
    INFO(c.step << " " << c.kind << " " << c.lang << "\n" << t.subject << "\n" << t.body);
    for (const std::string& s : c.subject) CHECK_THAT(t.subject, Contains(s));
    for (const std::string& s : c.body) CHECK_THAT(t.body, Contains(s));
    CHECK_THAT(t.subject + t.body, !Contains("逾期督办") && !Contains("overdue") && !Contains(" due "));
  }
}

TEST_CASE("the office's review reminder names the unit and tells the office what to do", "[notice_text]") {
  NoticeFacts f = Facts("before", 3, "office");
  f.step = "plan_review";
  NoticeText zh = RenderNotice(f, "zh-CN");
  INFO(zh.subject << "\n" << zh.body);
  CHECK(zh.subject == "【绩效考评提醒】南宁市绩效计划审核将于2026年4月30日截止，还剩3个工作日");
  CHECK_THAT(zh.body, Contains("绩效办：") &&
                          Contains("南宁市2026年度设区市绩效考评的“绩效计划审核”截止日期为2026年4月30日（星期四），距截止还有3个工作日。") &&
                          Contains("请于截止日前审核该单位报送的绩效计划"));
  // The office is the doer: no "please urge" as to a bystander, no "您单位".
  CHECK_THAT(zh.body, !Contains("督促") && !Contains("您单位") && !Contains("应办事项"));
  NoticeText en = RenderNotice(f, "en");
  INFO(en.subject << "\n" << en.body);
  CHECK(en.subject == "[GovAssess reminder] 南宁市: Performance plan review due 30 April 2026 - 3 working days left");
  CHECK_THAT(en.body, Contains("The deadline for \"Performance plan review\" of 南宁市 in the 2026 performance "
                               "assessment of cities is Thursday, 30 April 2026: 3 working days left.") &&
                          Contains("Review the plan the unit submitted"));
  CHECK_THAT(en.body, !Contains("Please make sure it is met"));
  // An escalation, if a cycle asks for one, is addressed to the office as the doer.
  NoticeFacts late = Facts("escalation", 1, "office");
  late.step = "plan_review";
  NoticeText esc = RenderNotice(late, "zh-CN");
  CHECK_THAT(esc.subject, Contains("【逾期督办】南宁市绩效计划审核已逾期1个工作日"));
  CHECK_THAT(esc.body, Contains("请尽快审核该单位报送的绩效计划并报分管领导审定。") && !Contains("与绩效办联系"));
}

TEST_CASE("a step of the lead assessors or the committee speaks to them as its doers — the office follows them up", "[notice_text]") {
  NoticeFacts f = Facts("before", 3, "lead_assessor");
  f.step = "lead_scoring_due";
  f.deadline = "2026-01-20";  // a Tuesday
  const NoticeText zh = RenderNotice(f, "zh-CN");
  INFO(zh.subject << "\n" << zh.body);
  CHECK(zh.subject == "【绩效考评提醒】南宁市主考单位考核评分将于2026年1月20日截止，还剩3个工作日");
  CHECK_THAT(zh.body, Contains("主考单位：") &&
                          Contains("您负责的南宁市2026年度设区市绩效考评“主考单位考核评分”截止日期为2026年1月20日（星期二），距截止还有3个工作日。") &&
                          Contains("请主考单位于截止日前在系统中完成所负责指标的审核评分。"));
  CHECK_THAT(zh.body, !Contains("您单位") && !Contains("督促") && !Contains("应办事项"));
  const NoticeText en = RenderNotice(f, "en");
  INFO(en.subject << "\n" << en.body);
  CHECK(en.subject == "[GovAssess reminder] 南宁市: Scoring by lead assessors due 20 January 2026 - 3 working days left");
  CHECK_THAT(en.body, Contains("Dear colleague,") &&
                          Contains("Your scoring of 南宁市 in the 2026 performance assessment of cities is due on "
                                   "Tuesday, 20 January 2026: 3 working days left."));
  CHECK_THAT(en.body, !Contains("make sure it is met") && !Contains("What the unit must do"));

  NoticeFacts late = f;
  late.kind = "escalation";
  late.reminder = "escalation-1";
  late.working_days = 1;
  const NoticeText own = RenderNotice(late, "en");
  CHECK_THAT(own.body, Contains("Your scoring of 南宁市 in the 2026 performance assessment of cities was due on "
                                "Tuesday, 20 January 2026. It has not been done and is now 1 working day overdue.") &&
                           Contains("Please score the indicators you lead as soon as possible"));
  late.audience = "office";
  const NoticeText office_zh = RenderNotice(late, "zh-CN");
  INFO(office_zh.body);
  CHECK(office_zh.subject == "【逾期督办】南宁市主考单位考核评分已逾期1个工作日");
  CHECK_THAT(office_zh.body, Contains("绩效办：") && Contains("主考单位至今未完成，已逾期1个工作日") &&
                                 Contains("请督促主考单位尽快完成所负责指标的审核评分。") && !Contains("该单位"));
  const NoticeText office_en = RenderNotice(late, "en");
  CHECK_THAT(office_en.body, Contains("for the lead assessors to meet, was Tuesday, 20 January 2026") &&
                                 Contains("Please ask the lead assessors to score the indicators they lead without delay."));

  NoticeFacts r = Facts("due", 0, "committee");
  r.step = "ratification_due";
  r.deadline = "2026-04-15";
  const NoticeText committee = RenderNotice(r, "en");
  INFO(committee.body);
  CHECK_THAT(committee.body, Contains("Your ratification of the results of 南宁市 in the 2026 performance assessment "
                                      "of cities is due today, Wednesday, 15 April 2026.") &&
                                 Contains("Deliberate on the unit's results"));
  CHECK_THAT(RenderNotice(r, "zh-CN").body, Contains("考评领导小组：") && Contains("今天是2026年4月15日（星期三），为您负责的南宁市"));
  // The office's own steps name the unit to the office, as its review does.
  NoticeFacts v = Facts("before", 1, "office");
  v.step = "onsite_verification_due";
  CHECK_THAT(RenderNotice(v, "zh-CN").body, Contains("绩效办：") && Contains("南宁市2026年度设区市绩效考评的“察访核验”") &&
                                                !Contains("督促") && !Contains("您单位"));
}

TEST_CASE("the webhook body carries every field", "[notice_text]") {
  NoticeFacts f = Facts("before", 1);
  f.link = "https://govassess.example.gov.cn/x";
  const int64_t sent = 1'776'906'000'000;  // 2026-04-23 09:00 Beijing
  nlohmann::json j = WebhookBody(f, "delivery-42", sent);
  CHECK(j["type"] == "govassess.reminder");
  CHECK(j["id"] == "delivery-42");
  CHECK(j["unit"] == "gx-nanning");
  CHECK(j["unit_name"] == "南宁市");
  CHECK(j["year"] == "2026");
  CHECK(j["scheme"] == "city");
  CHECK(j["step"] == "plan_due");
  CHECK(j["step_label"]["zh-CN"] == "绩效计划报送");
  CHECK(j["step_label"]["en"] == "Performance plan filing");
  CHECK(j["reminder"] == "before-1");
  CHECK(j["kind"] == "before");
  CHECK(j["urgency"] == "urgent");
  CHECK(j["working_days"] == 1);
  CHECK(j["deadline"] == "2026-04-30");
  CHECK(j["late"] == false);
  CHECK(j["audience"] == "unit");
  CHECK(j["sent_at"] == "2026-04-23T01:00:00.000Z");
  CHECK(j["link"] == f.link);
  f.link.clear();
  CHECK(WebhookBody(f, "d", sent)["link"].is_null());
}

}  // namespace govassess::workflows
