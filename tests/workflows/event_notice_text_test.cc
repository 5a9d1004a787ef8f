// Event notice texts (notice_text.h): every event in both languages says what happened,
// when, by whom and why, its facts, and what to do next by when; urgency, the digest
// and the webhook body of an event. The reminders' texts are notice_text_test.cc's.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "workflows/notice_text.h"

namespace govassess::workflows {
namespace {

using Catch::Contains;

NoticeFacts Event(const std::string& event, const std::string& actor_role, const std::string& reason,
                  nlohmann::json details, const std::string& deadline = "") {
  NoticeFacts f;
  f.unit_id = "gx-nanning";
  f.unit_name = "南宁市";
  f.year = "2025";
  f.scheme = "city";
  f.kind = "event";
  f.step = event;
  f.event = event;
  f.actor_role = actor_role;
  f.reason = reason;
  f.on = "2026-03-13";  // a Friday
  f.deadline = deadline;
  f.details = std::move(details);
  f.audience = event == "appeal_lodged" ? "office" : "unit";
  return f;
}

struct Case {
  NoticeFacts facts;
  std::string zh_subject;
  std::vector<std::string> zh_body;
  std::string en_subject;
  std::vector<std::string> en_body;
};

std::vector<Case> Cases() {
  return {
      {Event("returned", "leader", "重点任务缺失", {{"plan_due", "2025-04-30"}, {"overdue", false}}, "2025-04-30"),
       "【绩效考评通知】绩效计划已退回修改，请于2025年4月30日前重新报送",
       {"南宁市：", "您单位2025年度设区市绩效考评的绩效计划已于2026年3月13日（星期五）被分管领导退回修改。",
        "退回理由：重点任务缺失", "请按退回意见修改，并于2025年4月30日（星期三）前在系统中重新报送绩效计划。"},
       "[GovAssess notice] Performance plan returned for revision - resubmit by 30 April 2025",
       {"Dear colleagues of 南宁市,",
        "The leader in charge returned your performance plan in the 2025 performance assessment of cities "
        "for revision on Friday, 13 March 2026.",
        "Reason given: 重点任务缺失", "submit it again in the system by Wednesday, 30 April 2025."}},
      {Event("plan_approved", "leader", "同意", {{"plan_version", 1}}),
       "【绩效考评通知】绩效计划已审定（第1版）",
       {"经分管领导审定，形成第1版。", "目前无需操作"},
       "[GovAssess notice] Performance plan approved (version 1)",
       {"was approved by the leader in charge on Friday, 13 March 2026 as version 1.", "nothing is needed"}},
      {Event("plan_issued", "office", "",
             {{"plan_version", 1}, {"adjustment_from", "2025-11-20"}, {"adjustment_to", "2025-11-30"}}),
       "【绩效考评通知】绩效计划已印发执行",
       {"绩效计划（第1版）已于2026年3月13日（星期五）印发执行。", "指标调整备案期（2025年11月20日至2025年11月30日）"},
       "[GovAssess notice] Performance plan issued",
       {"(version 1) was issued on Friday, 13 March 2026", "(20 November 2025 to 30 November 2025)"}},
      {Event("adjustment_approved", "leader", "", {{"adjustment", "adj-1"}}),
       "【绩效考评通知】指标调整申请已批准",
       {"指标调整申请（adj-1）已于2026年3月13日（星期五）经分管领导批准。", "绩效办备案后形成新版绩效计划"},
       "[GovAssess notice] Indicator change request approved",
       {"The indicator change request adj-1", "approved by the leader in charge"}},
      {Event("adjustment_filed", "office", "", {{"adjustment", "adj-1"}, {"plan_version", 2}}),
       "【绩效考评通知】指标调整已备案，绩效计划更新为第2版",
       {"指标调整（adj-1）已于2026年3月13日（星期五）由绩效办备案，绩效计划更新为第2版。"},
       "[GovAssess notice] Indicator change filed - plan version 2",
       {"was filed by the performance office", "is now version 2."}},
      {Event("adjustment_rejected", "lead_assessor", "依据不足", {{"adjustment", "adj-2"}, {"adjustment_to", "2025-11-30"}}),
       "【绩效考评通知】指标调整申请未获通过",
       {"被主考单位驳回。", "驳回理由：依据不足", "原绩效计划继续有效", "指标调整备案期至2025年11月30日"},
       "[GovAssess notice] Indicator change request rejected",
       {"The lead assessor rejected the indicator change request adj-2", "Reason given: 依据不足",
        "closes 30 November 2025"}},
      {Event("sent_back", "office", "缺佐证材料", {{"items", {"functional.1.1.1.1", "special.1.1.1.1"}}}),
       "【绩效考评通知】自查自评材料退回补正（2项）",
       {"自查自评材料已于2026年3月13日（星期五）被绩效办退回补正。",
        "需补正的指标：functional.1.1.1.1、special.1.1.1.1", "退回理由：缺佐证材料", "重新提交自查自评报告"},
       "[GovAssess notice] Self-assessment sent back for correction (2 items)",
       {"The performance office sent your self-assessment", "Indicators to correct: functional.1.1.1.1, special.1.1.1.1",
        "Reason given: 缺佐证材料"}},
      {Event("published", "office", "",
             {{"total", 912.5}, {"received", "2026-03-13"}, {"appeal_deadline", "2026-03-20"},
              {"appeal_working_days", 5}},
             "2026-03-20"),
       "【绩效考评通知】考评结果已公布：总分912.5分；如有异议，请于2026年3月20日前提出复核申请",
       {"您单位2025年度设区市绩效考评结果已于2026年3月13日（星期五）公布：总分912.5分。",
        "如有异议，请于2026年3月20日（星期五）前在系统中提出复核申请（自收到结果之日起5个工作日内）",
        "逾期未申请的，视为对考评结果无异议"},
       "[GovAssess notice] Result published: total 912.5 - appeal by 20 March 2026 if you disagree",
       {"was published on Friday, 13 March 2026: total score 912.5.",
        "apply for a review in the system by Friday, 20 March 2026 (within 5 working days of receiving the result)"}},
      {Event("appeal_lodged", "unit", "GDP按初步核算数计分有误", {{"evidence", 3}}),
       "【绩效考评通知】南宁市对考评结果提出复核申请",
       {"绩效办：", "南宁市（gx-nanning）已于2026年3月13日（星期五）对2025年度设区市绩效考评结果提出复核申请，附佐证材料3份。",
        "申请理由：GDP按初步核算数计分有误", "请尽快核实"},
       "[GovAssess notice] 南宁市 appeals its result",
       {"Dear colleague,", "南宁市 (gx-nanning) applied on Friday, 13 March 2026", "3 piece(s) of evidence"}},
      {Event("appeal_upheld", "office", "按最终核算数重新计分", {{"total", 910}, {"previous_total", 880.25}}),
       "【绩效考评通知】复核申请已采纳：总分调整为910分",
       {"审核予以采纳，重新计分后总分由880.25分调整为910分。", "理由：按最终核算数重新计分"},
       "[GovAssess notice] Appeal upheld: total now 910",
       {"upheld your appeal", "the total changes from 880.25 to 910."}},
      {Event("appeal_rejected", "office", "核实无误", {{"total", 880}}),
       "【绩效考评通知】复核申请未予采纳，维持原考评结果",
       {"审核未予采纳，维持原考评结果（总分880分）。", "理由：核实无误"},
       "[GovAssess notice] Appeal rejected: the result stands",
       {"rejected your appeal", "the result stands (total score 880)."}},
      {Event("republished", "office", "", {{"total", 910}}),
       "【绩效考评通知】考评结果已重新公布：总分910分",
       {"复核后重新公布：总分910分。", "提请考评领导小组审议、常委会审定"},
       "[GovAssess notice] Result published again: total 910",
       {"was published again on Friday, 13 March 2026: total score 910."}},
      {Event("ratified", "committee", "", {{"total", 799.5}, {"grade", "fail"}}),
       "【绩效考评通知】考评结果已审定：不合格，总分799.5分",
       {"经考评领导小组审定：总分799.5分，等次为不合格。", "不再变更"},
       "[GovAssess notice] Result ratified: fail, total 799.5",
       {"was ratified by the assessment committee", "total score 799.5, fail."}},
  };
}

}  // namespace

TEST_CASE("every event reads in both languages: what, when, who, why, and what next by when", "[notice_text]") {
  for (const Case& c : Cases()) {
    INFO(c.facts.event);
    CHECK(IsKnownEvent(c.facts.event));
    CHECK(EventLabel(c.facts.event, "zh-CN") != c.facts.event);
    CHECK(EventLabel(c.facts.event, "en") != EventLabel(c.facts.event, "zh-CN"));
    const NoticeText zh = RenderNotice(c.facts, "zh-CN");
    INFO(zh.subject << "\n" << zh.body);
    CHECK(zh.subject == c.zh_subject);
    for (const std::string& part : c.zh_body) CHECK_THAT(zh.body, Contains(part));
    CHECK_THAT(zh.body, Contains("（本通知由绩效考评管理系统自动发送，请勿直接回复。）"));
    CHECK_THAT(zh.body, !Contains("延迟送达"));
    const NoticeText en = RenderNotice(c.facts, "en");
    INFO(en.subject << "\n" << en.body);
    CHECK(en.subject == c.en_subject);
    for (const std::string& part : c.en_body) CHECK_THAT(en.body, Contains(part));
    CHECK(en.subject.find('\n') == std::string::npos);
    CHECK(zh.subject.find('\n') == std::string::npos);
  }
}

TEST_CASE("an event's urgency: urgent when the reader must act soon, else for information", "[notice_text]") {
  for (const std::string e : {"returned", "sent_back", "published", "appeal_lodged"}) {
    INFO(e);
    CHECK(EventUrgency(e) == "urgent");
  }
  for (const std::string e : {"plan_approved", "plan_issued", "adjustment_approved", "adjustment_filed",
                              "adjustment_rejected", "appeal_upheld", "appeal_rejected", "republished",
                              "ratified", "no_such_event"}) {
    INFO(e);
    CHECK(EventUrgency(e) == "upcoming");
  }
  NoticeFacts published = Event("published", "office", "", {{"total", 900}}, "2026-03-20");
  CHECK(NoticeUrgency(published) == "urgent");
  NoticeFacts reminder;
  reminder.kind = "due";
  CHECK(NoticeUrgency(reminder) == "due_today");
}

TEST_CASE("an unknown event renders a generic notice, a late one says so, a link is shown", "[notice_text]") {
  NoticeFacts f = Event("budget_cut", "office", "预算调整", nlohmann::json::object());
  CHECK_FALSE(IsKnownEvent("budget_cut"));
  CHECK(EventLabel("budget_cut", "en") == "budget_cut");
  const NoticeText zh = RenderNotice(f, "zh-CN");
  CHECK(zh.subject == "【绩效考评通知】budget_cut");
  CHECK_THAT(zh.body, Contains("budget_cut") && Contains("说明：预算调整") && Contains("详情请在系统中查看"));
  f = Event("returned", "office", "x", {{"overdue", true}}, "2025-04-30");
  f.late = true;
  f.link = "https://jx.gxzf.gov.cn/inbox";
  const NoticeText late = RenderNotice(f, "zh-CN");
  CHECK_THAT(late.body, Contains("本通知延迟送达") && Contains("办理入口：https://jx.gxzf.gov.cn/inbox"));
  CHECK_THAT(RenderNotice(f, "en").body, Contains("this notice is delivered late"));
}

TEST_CASE("the digest lists events among reminders by urgency, with what to do next", "[notice_text]") {
  NoticeFacts reminder;
  reminder.unit_id = "gx-nanning";
  reminder.unit_name = "南宁市";
  reminder.year = "2026";
  reminder.scheme = "city";
  reminder.step = "plan_due";
  reminder.kind = "before";
  reminder.reminder = "before-5";
  reminder.working_days = 5;
  reminder.deadline = "2026-04-30";
  const NoticeFacts approved = Event("plan_approved", "leader", "", {{"plan_version", 1}});
  const NoticeFacts published = Event("published", "office", "", {{"total", 900}}, "2026-03-20");
  const NoticeText zh = RenderDigest({approved, reminder, published}, "zh-CN", "2026-03-13");
  INFO(zh.body);
  CHECK(zh.subject == "【绩效考评提醒】2026年3月13日待办事项（共3项）");
  // The published result (urgent) first, then the reminder and the approval (upcoming).
  CHECK_THAT(zh.body, Contains("1. 【需办理】南宁市｜考评结果公布｜2026年3月13日（星期五）"));
  CHECK_THAT(zh.body, Contains("3. 【通知】南宁市｜绩效计划审定｜2026年3月13日（星期五）"));
  CHECK_THAT(zh.body, Contains("如有异议，请于2026年3月20日（星期五）前在系统中提出复核申请"));
  CHECK(zh.body.find("【需办理】") < zh.body.find("【临近截止】"));
  const NoticeText en = RenderDigest({approved, published}, "en", "2026-03-13");
  CHECK_THAT(en.body, Contains("1. [Action needed] 南宁市 | Result published | Friday, 13 March 2026") &&
                          Contains("2. [For information] 南宁市 | Performance plan approved"));
}

TEST_CASE("an event's webhook body has the reminders' fields and the event's own", "[notice_text]") {
  NoticeFacts f = Event("published", "office", "",
                        {{"total", 912.5}, {"appeal_deadline", "2026-03-20"}, {"received", "2026-03-13"}},
                        "2026-03-20");
  const int64_t sent = 1'773'367'200'000;  // 2026-03-13 10:00 Beijing
  const nlohmann::json j = WebhookBody(f, "delivery/webhook/oa/2025/city/gx-nanning/7-event-published", sent);
  NoticeFacts reminder = f;
  reminder.kind = "before";
  reminder.event.clear();
  const nlohmann::json r = WebhookBody(reminder, "d", sent);
  for (const auto& [key, value] : r.items()) {
    INFO(key);
    CHECK(j.contains(key));
  }
  CHECK(j["type"] == "govassess.event");
  CHECK(j["event"] == "published");
  CHECK(j["step"] == "published");
  CHECK(j["step_label"]["zh-CN"] == "考评结果公布");
  CHECK(j["step_label"]["en"] == "Result published");
  CHECK(j["kind"] == "event");
  CHECK(j["reminder"] == "");
  CHECK(j["urgency"] == "urgent");
  CHECK(j["deadline"] == "2026-03-20");
  CHECK(j["details"]["total"] == 912.5);
  CHECK(j["details"]["appeal_deadline"] == "2026-03-20");
  CHECK(j["actor_role"] == "office");
  CHECK(j["on"] == "2026-03-13");
  CHECK(j["audience"] == "unit");
  CHECK(j["sent_at"] == "2026-03-13T02:00:00.000Z");
  CHECK(j["link"].is_null());
}

TEST_CASE("event facts survive the round trip through an inbox item's JSON", "[notice_text]") {
  const nlohmann::json stored = {
      {"unit_id", "gx-nanning"}, {"unit_name", "南宁市"}, {"year", "2025"},     {"scheme", "city"},
      {"step", "returned"},      {"reminder", ""},        {"kind", "event"},    {"working_days", 0},
      {"deadline", "2025-04-30"}, {"late", false},        {"audience", "unit"}, {"event", "returned"},
      {"reason", "重点任务缺失"}, {"actor_role", "office"}, {"on", "2025-04-22"},
      {"details", {{"plan_due", "2025-04-30"}, {"overdue", false}}}};
  const NoticeFacts f = NoticeFactsFromJson(stored, "https://x/inbox");
  CHECK(f.event == "returned");
  CHECK(f.reason == "重点任务缺失");
  CHECK(f.actor_role == "office");
  CHECK(f.on == "2025-04-22");
  CHECK(f.details["plan_due"] == "2025-04-30");
  CHECK(f.link == "https://x/inbox");
  CHECK(RenderNotice(f, "zh-CN").subject == "【绩效考评通知】绩效计划已退回修改，请于2025年4月30日前重新报送");
  // A reminder's facts have none of it.
  const NoticeFacts plain = NoticeFactsFromJson({{"kind", "due"}, {"step", "plan_due"}});
  CHECK(plain.event.empty());
  CHECK(plain.details == nlohmann::json::object());
}

}  // namespace govassess::workflows
