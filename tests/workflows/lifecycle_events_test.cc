// Event notices: what happens to an assessment is told at once, exactly once, through
// the reminders' channels. A transition sets, in its own commit, a timer due now on the
// unit's notices ("event/<lifecycle version>-<event>"); the engine fires it, and
// "announce" records the notice and fans it out (inbox items, mails, webhooks). Domain
// level: MemoryStore, manual clock, the real calendar, a recording notifier.
//
// 2025 city cycle (lifecycle_fixture.h): plan_due Wednesday 2025-04-30. National Day
// 2025: 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 make-up working days — a
// result received Monday 09-29 may be appealed until Monday 10-13 (09-30, 10-09, 10-10,
// 10-11, 10-13).
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/workflows/notify_harness.h"
#include "workflows/china_time.h"
#include "workflows/deadlines.h"
#include "workflows/delivery_dispatcher.h"
#include "workflows/notice_text.h"
#include "workflows/notices_workflow.h"

namespace govassess {
namespace {

using testing::LifecycleHarness;
using testing::NotifyHarness;
using testing::StandardUsers;
using Map = std::map<std::string, std::string>;

const std::string kUnit = "gx-nanning";
const std::string kId = LifecycleHarness::Id(kUnit);
const std::string kNotices = workflows::NoticesId(kId);

// The pending event timers on the notices (event/… only; reminders are left out).
std::vector<Timer> EventTimers(LifecycleHarness& h) {
  auto timers = h.store().TimersOf(kNotices);
  REQUIRE(timers.ok());
  std::vector<Timer> out;
  for (const Timer& t : *timers) {
    if (t.id.find("#event/") != std::string::npos) out.push_back(t);
  }
  return out;
}

// The event notices recorded so far, in order: "<event>" each.
std::vector<std::string> Announced(LifecycleHarness& h) {
  std::vector<std::string> out;
  const Instance notices = h.Get(kNotices);
  for (const Json& e : notices.data["entries"]) {
    if (e.value("kind", "") == "event") out.push_back(e["event"].get<std::string>());
  }
  return out;
}

// The last recorded notice.
Json LastEntry(LifecycleHarness& h) { return h.Get(kNotices).data["entries"].back(); }

workflows::NoticeText Render(const Instance& item, const std::string& lang) {
  return workflows::RenderNotice(workflows::NoticeFactsFromJson(item.data["facts"]), lang);
}

// Creates Nanning's assessment on 2025-03-03 and submits its plan on 2025-04-10.
void CreateAndSubmit(LifecycleHarness& h) {
  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", kId, "create", {}, "", "lifecycle").accepted);
  h.At("2025-04-10");
  REQUIRE(h.Run("unit", kUnit, kId, "submit", {{"plan", testing::MinimalCityPlan(kUnit)}}).accepted);
}

// Mail on, the webhook "oa" for Nanning, the standard users.
void SetUpNotify(NotifyHarness& h) {
  StandardUsers(h);
  h.Configure({{"email", true}, {"webhooks", {{{"name", "oa"}, {"units", {kUnit}}}}}});
}

TEST_CASE("returning a plan sets exactly one announce timer, due at once, in the same commit") {
  LifecycleHarness h;
  h.SetUpCycle();
  CreateAndSubmit(h);
  CHECK(EventTimers(h).empty());  // creating and submitting announce nothing
  h.At("2025-04-22");
  auto r = h.Run("office", "", kId, "return", {}, "重点任务指标缺失");
  REQUIRE(r.accepted);
  const std::vector<Timer> timers = EventTimers(h);
  REQUIRE(timers.size() == 1);
  const Timer& t = timers[0];
  // The lifecycle's new version names it: no other transition has that version.
  CHECK(r.instance().version == 3);
  CHECK(t.id == kNotices + "#event/3-returned");
  CHECK(t.instance_id == kNotices);
  CHECK(t.command == "announce");
  CHECK(t.due_ms == h.clock().NowMs());
  CHECK(t.payload["event"] == "returned");
  CHECK(t.payload["lifecycle"] == kId);
  CHECK(t.payload["lifecycle_version"] == 3);
  CHECK(t.payload["actor_role"] == "office");
  CHECK(t.payload["reason"] == "重点任务指标缺失");
  CHECK(t.payload["on"] == "2025-04-22");
  CHECK(t.payload["audience"] == "unit");
  CHECK(t.payload["deadline"] == "2025-04-30");
  CHECK(t.payload["details"] == Json{{"plan_due", "2025-04-30"}, {"overdue", false}});
}

TEST_CASE("a returned plan reaches each of the unit's users with the reason, by mail where there is an address") {
  NotifyHarness h;
  SetUpNotify(h);
  CreateAndSubmit(h);
  h.At("2025-04-22");
  REQUIRE(h.Run("office", "", kId, "return", {}, "重点任务指标缺失").accepted);
  CHECK(h.Fire() == 1);
  // Nothing was sent to Nanning before: the return is notice 0.
  const std::string suffix = "/2025/city/gx-nanning/0-event-returned";
  CHECK(h.States("inbox_item") ==
        Map{{"inbox/nn-clerk" + suffix, "unread"}, {"inbox/nn-deputy" + suffix, "unread"}});
  // nn-deputy has no address: no mail; the webhook covers Nanning.
  CHECK(h.States("delivery") ==
        Map{{"delivery/email/nn-clerk" + suffix, "pending"}, {"delivery/webhook/oa" + suffix, "pending"}});
  const Instance item = h.Get("inbox/nn-clerk" + suffix);
  CHECK(item.data["urgency"] == "urgent");
  CHECK(item.data["audience"] == "unit");
  CHECK(item.data["notice"] == kNotices + "#0");
  CHECK(item.data["facts"]["kind"] == "event");
  CHECK(item.data["facts"]["event"] == "returned");
  CHECK(item.data["facts"]["reason"] == "重点任务指标缺失");
  CHECK(item.data["facts"]["deadline"] == "2025-04-30");
  CHECK(item.data["facts"]["unit_name"] == "南宁市");
  const Json entry = LastEntry(h);
  CHECK(entry["kind"] == "event");
  CHECK(entry["event"] == "returned");
  CHECK(entry["late"] == false);
  CHECK(entry["recipients"] == Json::array({"nn-clerk", "nn-deputy"}));

  // What the clerk reads in the inbox, in either language.
  const workflows::NoticeText zh = Render(item, "zh-CN");
  INFO(zh.subject << "\n" << zh.body);
  CHECK(zh.subject == "【绩效考评通知】绩效计划已退回修改，请于2025年4月30日前重新报送");
  CHECK_THAT(zh.body, Catch::Contains("南宁市：") &&
                          Catch::Contains("您单位2025年度设区市绩效考评的绩效计划已于2025年4月22日（星期二）被绩效办退回修改。") &&
                          Catch::Contains("退回理由：重点任务指标缺失") &&
                          Catch::Contains("于2025年4月30日（星期三）前在系统中重新报送绩效计划"));
  const workflows::NoticeText en = Render(item, "en");
  INFO(en.subject << "\n" << en.body);
  CHECK(en.subject == "[GovAssess notice] Performance plan returned for revision - resubmit by 30 April 2025");
  CHECK_THAT(en.body, Catch::Contains("The performance office returned your performance plan") &&
                          Catch::Contains("Reason given: 重点任务指标缺失") &&
                          Catch::Contains("by Wednesday, 30 April 2025"));

  // The dispatcher sends the mail and the webhook once.
  workflows::DeliveryDispatcher dispatcher(&h.engine(), &h.notifier, "https://jx.gxzf.gov.cn");
  REQUIRE(dispatcher.RunOnce().ok());
  REQUIRE(h.notifier.emails.size() == 1);
  CHECK(h.notifier.emails[0].to == std::vector<std::string>{"nn-clerk@nanning.gov.cn"});
  CHECK(h.notifier.emails[0].subject == zh.subject);
  CHECK_THAT(h.notifier.emails[0].text, Catch::Contains("重点任务指标缺失") &&
                                            Catch::Contains("https://jx.gxzf.gov.cn/inbox"));
  REQUIRE(h.notifier.hooks.size() == 1);
  const Json body = Json::parse(h.notifier.hooks[0].body);
  CHECK(body["type"] == "govassess.event");
  CHECK(body["event"] == "returned");
  CHECK(body["reason"] == "重点任务指标缺失");
  CHECK(body["deadline"] == "2025-04-30");
  CHECK(body["urgency"] == "urgent");
  REQUIRE(dispatcher.RunOnce().ok());
  CHECK(h.notifier.emails.size() == 1);
  CHECK(h.notifier.hooks.size() == 1);
}

TEST_CASE("a plan returned after plan_due asks for it as soon as possible") {
  NotifyHarness h;
  SetUpNotify(h);
  CreateAndSubmit(h);
  h.At("2025-05-07");
  h.Fire();
  REQUIRE(h.Run("office", "", kId, "return", {}, "指标权重不符合要求").accepted);
  h.Fire();
  CHECK(LastEntry(h)["details"]["overdue"] == true);
  const Instance item = h.Get("inbox/nn-clerk/2025/city/gx-nanning/" +
                              std::to_string(LastEntry(h)["n"].get<int>()) + "-event-returned");
  const workflows::NoticeText zh = Render(item, "zh-CN");
  CHECK(zh.subject == "【绩效考评通知】绩效计划已退回修改，请尽快重新报送");
  CHECK_THAT(zh.body, Catch::Contains("绩效计划报送截止日期（2025年4月30日（星期三））已过"));
  CHECK_THAT(Render(item, "en").body, Catch::Contains("has passed"));
}

TEST_CASE("publishing announces the total and the appeal deadline counted across National Day") {
  NotifyHarness h;
  SetUpNotify(h);
  h.ToExecution(kUnit);
  h.ToPublished(kUnit, "2025-09-29", 92.5);  // Monday; total 647.5 + 81 + 135 + 54
  REQUIRE(h.Get(kId).state == "published");
  REQUIRE(h.Get(kId).data["appeal_window"]["closes"] == "2025-10-13");
  std::vector<std::string> pending;
  for (const Timer& t : EventTimers(h)) pending.push_back(t.payload["event"]);
  // Not fired yet (nothing ran the timers since spring): listed by id, so version 10's
  // publication sorts before versions 4 and 5.
  CHECK(pending == std::vector<std::string>{"published", "plan_approved", "plan_issued"});
  h.Fire();
  const Json entry = LastEntry(h);
  REQUIRE(entry["event"] == "published");
  CHECK(entry["deadline"] == "2025-10-13");
  CHECK(entry["details"]["appeal_deadline"] == "2025-10-13");
  CHECK(entry["details"]["received"] == "2025-09-29");
  CHECK(entry["details"]["appeal_working_days"] == 5);
  CHECK(entry["details"]["total"].get<double>() == Approx(917.5));
  CHECK_FALSE(entry["details"].contains("grade"));  // not graded yet
  const std::string n = std::to_string(entry["n"].get<int>());
  const Instance item = h.Get("inbox/nn-clerk/2025/city/gx-nanning/" + n + "-event-published");
  CHECK(item.data["urgency"] == "urgent");
  const workflows::NoticeText zh = Render(item, "zh-CN");
  INFO(zh.subject << "\n" << zh.body);
  CHECK(zh.subject == "【绩效考评通知】考评结果已公布：总分917.5分；如有异议，请于2025年10月13日前提出复核申请");
  CHECK_THAT(zh.body, Catch::Contains("您单位2025年度设区市绩效考评结果已于2025年9月29日（星期一）公布：总分917.5分。") &&
                          Catch::Contains("如有异议，请于2025年10月13日（星期一）前在系统中提出复核申请（自收到结果之日起5个工作日内）"));
  const workflows::NoticeText en = Render(item, "en");
  INFO(en.subject << "\n" << en.body);
  CHECK(en.subject == "[GovAssess notice] Result published: total 917.5 - appeal by 13 October 2025 if you disagree");
  CHECK_THAT(en.body, Catch::Contains("total score 917.5") &&
                          Catch::Contains("apply for a review in the system by Monday, 13 October 2025 (within 5 working days"));
  // The date announced is the date the guard holds to: an appeal on it is accepted.
  h.At("2025-10-13", 16);
  h.Fire();
  CHECK(h.Run("unit", kUnit, kId, "appeal", {{"evidence", {"统计公报"}}}, "GDP miscounted").accepted);
}

TEST_CASE("an appeal is announced to the office, which must decide it, and not to the unit") {
  NotifyHarness h;
  SetUpNotify(h);
  h.ToExecution(kUnit);
  h.ToPublished(kUnit, "2025-09-29");
  h.At("2025-10-09");
  h.Fire();
  const auto before = h.States("inbox_item", "inbox/nn-clerk/").size();
  REQUIRE(h.Run("unit", kUnit, kId, "appeal", {{"evidence", {"统计公报", "说明"}}}, "GDP按初步核算数计分有误")
              .accepted);
  CHECK(h.Fire() == 1);
  const Json entry = LastEntry(h);
  CHECK(entry["event"] == "appeal_lodged");
  CHECK(entry["audience"] == "office");
  CHECK(entry["recipients"] == Json::array({"office-1"}));
  CHECK(h.States("inbox_item", "inbox/nn-clerk/").size() == before);
  const std::string n = std::to_string(entry["n"].get<int>());
  const Instance item = h.Get("inbox/office-1/2025/city/gx-nanning/" + n + "-event-appeal_lodged");
  CHECK(item.data["urgency"] == "urgent");
  CHECK(item.data["audience"] == "office");
  const workflows::NoticeText en = Render(item, "en");  // office-1 reads English
  INFO(en.body);
  CHECK(en.subject == "[GovAssess notice] 南宁市 appeals its result");
  CHECK_THAT(en.body, Catch::Contains("南宁市 (gx-nanning) applied on Thursday, 9 October 2025") &&
                          Catch::Contains("with 2 piece(s) of evidence") &&
                          Catch::Contains("Reason given: GDP按初步核算数计分有误") &&
                          Catch::Contains("decide"));
  const workflows::NoticeText zh = Render(item, "zh-CN");
  CHECK_THAT(zh.body, Catch::StartsWith("绩效办：") && Catch::Contains("申请理由：GDP按初步核算数计分有误"));
  // The appeal is the office's to decide: no webhook of Nanning's (SetUpNotify's "oa"
  // covers only Nanning) carries it.
  CHECK(h.States("delivery", "delivery/webhook/").count("delivery/webhook/oa/2025/city/gx-nanning/" + n +
                                                        "-event-appeal_lodged") == 0);
}

TEST_CASE("event webhooks are routed like reminders: the office's to the office's webhooks, the unit's to the unit's") {
  NotifyHarness h;
  StandardUsers(h);
  // Nanning's OA, the performance office's own system, and one covering every unit.
  h.Configure({{"webhooks",
                {{{"name", "oa"}, {"units", {kUnit}}},
                 {{"name", "pmo"}, {"units", {"gx-performance-office"}}},
                 {{"name", "all"}}}}});
  h.ToExecution(kUnit);
  h.ToPublished(kUnit, "2025-09-29");
  h.At("2025-10-09");
  h.Fire();
  // The webhooks with a delivery of `event`: ids are delivery/webhook/<name>/<…>-<event>.
  const auto webhooks_of = [&](const std::string& event) {
    const std::string prefix = "delivery/webhook/";
    std::set<std::string> names;
    for (const auto& [id, state] : h.States("delivery", prefix)) {
      const std::string tail = "-" + event;
      if (id.size() < tail.size() || id.compare(id.size() - tail.size(), tail.size(), tail) != 0) continue;
      names.insert(id.substr(prefix.size(), id.find('/', prefix.size()) - prefix.size()));
    }
    return names;
  };
  // The unit's own event: the unit's webhooks and the one covering everything.
  CHECK(webhooks_of("event-published") == std::set<std::string>{"all", "oa"});
  REQUIRE(h.Run("unit", kUnit, kId, "appeal", {{"evidence", {"统计公报"}}}, "GDP按初步核算数计分有误").accepted);
  CHECK(h.Fire() == 1);
  // Addressed to the office: the office's webhooks, not Nanning's.
  CHECK(webhooks_of("event-appeal_lodged") == std::set<std::string>{"all", "pmo"});
  const std::string n = std::to_string(LastEntry(h)["n"].get<int>());
  const Instance pmo = h.Get("delivery/webhook/pmo/2025/city/gx-nanning/" + n + "-event-appeal_lodged");
  CHECK(pmo.data["facts"]["audience"] == "office");
  CHECK(pmo.data["facts"]["event"] == "appeal_lodged");
  // The decision is the unit's to hear again: back on the unit's webhooks.
  h.At("2025-10-10");
  REQUIRE(h.Run("office", "", kId, "reject_appeal", {}, "核算口径符合考评办法").accepted);
  CHECK(h.Fire() == 1);
  CHECK(webhooks_of("event-appeal_rejected") == std::set<std::string>{"all", "oa"});
}

TEST_CASE("an appeal decision is announced to the unit with its outcome and reasons") {
  struct Case {
    std::string command;
    Json payload;
    std::string event;
    std::string zh;  // in the body
    std::string en;
  };
  const std::vector<Case> cases = {
      {"uphold_appeal", {{"target_types", {{{"target_type", "functional"}, {"raw_score", 95}}}}}, "appeal_upheld",
       "审核予以采纳，重新计分后总分由900分调整为935分。", "the total changes from 900 to 935"},
      {"reject_appeal", Json::object(), "appeal_rejected", "审核未予采纳，维持原考评结果（总分900分）。",
       "the result stands (total score 900)"}};
  for (const Case& c : cases) {
    INFO(c.command);
    NotifyHarness h;
    SetUpNotify(h);
    h.ToExecution(kUnit);
    h.ToPublished(kUnit, "2025-09-29");
    h.At("2025-10-09");
    REQUIRE(h.Run("unit", kUnit, kId, "appeal", {{"evidence", {"统计公报"}}}, "GDP miscounted").accepted);
    h.At("2025-10-10");
    REQUIRE(h.Run("office", "", kId, c.command, c.payload, "经核实").accepted);
    h.Fire();
    const Json entry = LastEntry(h);
    REQUIRE(entry["event"] == c.event);
    CHECK(entry["audience"] == "unit");
    CHECK(entry["reason"] == "经核实");
    CHECK(entry["recipients"] == Json::array({"nn-clerk", "nn-deputy"}));
    const Instance item = h.Get("inbox/nn-clerk/2025/city/gx-nanning/" +
                                std::to_string(entry["n"].get<int>()) + "-event-" + c.event);
    CHECK(item.data["urgency"] == "upcoming");
    const workflows::NoticeText zh = Render(item, "zh-CN");
    INFO(zh.body);
    CHECK_THAT(zh.body, Catch::Contains(c.zh) && Catch::Contains("理由：经核实") &&
                            Catch::Contains("复核申请以一次为限"));
    CHECK_THAT(Render(item, "en").body, Catch::Contains(c.en) && Catch::Contains("Reason given: 经核实"));
    // Republished: the unit hears of that too.
    REQUIRE(h.Run("office", "", kId, "republish").accepted);
    h.Fire();
    CHECK(LastEntry(h)["event"] == "republished");
  }
}

TEST_CASE("a refused command announces nothing") {
  NotifyHarness h;
  SetUpNotify(h);
  CreateAndSubmit(h);
  h.At("2025-04-22");
  CHECK_FALSE(h.Run("office", "", kId, "return").accepted);                       // no reason
  CHECK_FALSE(h.Run("unit", kUnit, kId, "return", {}, "x").accepted);             // wrong role
  CHECK_FALSE(h.Run("leader", "", kId, "approve", {}, "ok").accepted);            // out of order
  CHECK_FALSE(h.Run("unit", "gx-liuzhou", kId, "submit").accepted);               // another unit
  CHECK(EventTimers(h).empty());
  h.Fire();
  CHECK(Announced(h).empty());
  CHECK(h.States("inbox_item").empty());
  CHECK(h.States("delivery").empty());
}

TEST_CASE("an event notice is sent once: its firing consumes the timer, a restart or a second firing sends nothing") {
  NotifyHarness h;
  SetUpNotify(h);
  CreateAndSubmit(h);
  h.At("2025-04-22");
  REQUIRE(h.Run("office", "", kId, "return", {}, "重点任务指标缺失").accepted);
  const Timer timer = EventTimers(h).at(0);
  CHECK(h.Fire() == 1);
  CHECK(EventTimers(h).empty());
  CHECK(h.Fire() == 0);
  // A restart: another engine on the same store finds nothing to fire.
  Engine restarted(&h.store(), &h.clock());
  for (auto& w : workflows::MakeAssessmentWorkflows(testing::RealCalendarInForce()))
    restarted.Register(std::move(w));
  restarted.Register(std::make_unique<workflows::UserWorkflow>());
  for (auto& w : workflows::MakeNotificationWorkflows()) restarted.Register(std::move(w));
  CHECK(*restarted.FireDueTimers(h.clock().NowMs()) == 0);
  // A second process that had read the timer before it was consumed: its firing conflicts.
  auto r = restarted.Execute(TimerCommand(timer));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().IsConflict());
  CHECK(Announced(h) == std::vector<std::string>{"returned"});
  CHECK(h.States("inbox_item").size() == 2);
  CHECK(h.States("delivery").size() == 2);
  // Nobody but the timer announces.
  auto forged = h.As("office-1", "office", "", kNotices, "announce", {{"event", "published"}});
  CHECK(forged.refusal.code() == Code::kForbidden);
}

TEST_CASE("a notice fired more than an hour late says so") {
  NotifyHarness h;
  SetUpNotify(h);
  CreateAndSubmit(h);
  h.At("2025-04-22", 10);
  REQUIRE(h.Run("office", "", kId, "return", {}, "重点任务指标缺失").accepted);
  h.At("2025-04-22", 12);  // the server was down in between
  h.Fire();
  CHECK(LastEntry(h)["late"] == true);
  const Instance item = h.Get("inbox/nn-clerk/2025/city/gx-nanning/0-event-returned");
  CHECK_THAT(Render(item, "zh-CN").body, Catch::Contains("本通知延迟送达"));
  CHECK_THAT(Render(item, "en").body, Catch::Contains("delivered late"));
}

// The pending timer of a rectification item, if any.
std::optional<Timer> ItemTimer(LifecycleHarness& h, const std::string& item) {
  auto timers = h.store().TimersOf(kId);
  REQUIRE(timers.ok());
  for (const Timer& t : *timers) {
    if (t.id == kId + "#rectification/" + item) return t;
  }
  return std::nullopt;
}

int64_t EndOf(const std::string& day) {
  auto d = Date::Parse(day);
  REQUIRE(d.ok());
  return workflows::EndOfBeijingDayMs(*d);
}

TEST_CASE(
    "a rectification item's day is a timer: overdue marked and told once, stopped by "
    "the report, timed again when reopened") {
  LifecycleHarness h;
  h.SetUpCycle();
  h.ToExecution(kUnit);
  h.At("2025-07-10");
  const Json findings = {{{"finding", "进度偏慢"}, {"rectify_by", "2025-08-15"}},
                         {{"finding", "台账不全"}, {"rectify_by", "2025-09-30"}}};
  REQUIRE(h.Run("office", "", kId, "record_midyear", {{"findings", findings}}).accepted);
  for (const auto& [item, day] : Map{{"rect-1", "2025-08-15"}, {"rect-2", "2025-09-30"}}) {
    INFO(item);
    const auto t = ItemTimer(h, item);
    REQUIRE(t.has_value());
    CHECK(t->command == "mark_overdue");
    CHECK(t->due_ms == EndOf(day));
    CHECK(t->payload == Json{{"item", item}, {"step", "rectification"}});
  }

  // Reported in time: the item's clock stops, nothing late on record.
  h.At("2025-08-01");
  const Json ev = {"整改台账"};
  REQUIRE(h.Run("unit", kUnit, kId, "report_rectification", {{"item", "rect-2"}, {"evidence", ev}},
                "已补齐")
              .accepted);
  CHECK_FALSE(ItemTimer(h, "rect-2").has_value());
  CHECK_FALSE(h.Get(kId).data["rectifications"][1]["steps"][0].contains("working_days_late"));

  // rect-1's day passes open: marked overdue from the next day, the unit told once.
  h.Fire();  // the announcements so far
  const size_t told = Announced(h).size();
  h.LiveUntil("2025-08-18");
  Instance lc = h.Get(kId);
  CHECK(lc.data["rectifications"][0]["overdue_since"] == "2025-08-16");
  CHECK(lc.data["rectifications"][0]["status"] == "open");
  CHECK_FALSE(ItemTimer(h, "rect-1").has_value());
  REQUIRE(Announced(h).size() == told + 1);
  CHECK(Announced(h).back() == "rectification_overdue");
  const Json entry = LastEntry(h);
  CHECK(entry["details"]["item"] == "rect-1");
  CHECK(entry["details"]["finding"] == "进度偏慢");
  CHECK(entry["deadline"] == "2025-08-15");

  // A second firing (another process, a replay) and wrong items change nothing.
  const int64_t version = lc.version;
  struct Bad {
    std::string role, item, why;
  };
  for (const Bad& b : std::vector<Bad>{
           {"system", "rect-1",
            "not marked overdue: rectification rect-1 has been overdue since 2025-08-16"},
           {"system", "rect-2", "not marked overdue: rectification rect-2 is reported"},
           {"system", "rect-9", "not marked overdue: no rectification item \"rect-9\" on " + kId},
           {"office", "rect-1", "only the timer marks steps overdue"}}) {
    INFO(b.role << " " << b.item);
    auto r = h.Run(b.role, "", kId, "mark_overdue", {{"step", "rectification"}, {"item", b.item}});
    CHECK_FALSE(r.accepted);
    CHECK(r.refusal.message() == b.why);
  }
  CHECK(h.Get(kId).version == version);
  CHECK(Announced(h).size() == told + 1);

  // Reported late: the report's step keeps since when and how many working days late
  // (Mon 18 .. Wed 20 August after Friday the 15th).
  h.At("2025-08-20");
  REQUIRE(h.Run("unit", kUnit, kId, "report_rectification", {{"item", "rect-1"}, {"evidence", ev}},
                "已整改")
              .accepted);
  lc = h.Get(kId);
  CHECK_FALSE(lc.data["rectifications"][0].contains("overdue_since"));
  const Json& late = lc.data["rectifications"][0]["steps"].back();
  CHECK(late["overdue_since"] == "2025-08-16");
  CHECK(late["working_days_late"] == 3);

  // Reopened after its day: overdue at once, no timer. Before its day: timed again.
  h.At("2025-08-21");
  REQUIRE(
      h.Run("office", "", kId, "reopen_rectification", {{"item", "rect-1"}}, "佐证不足").accepted);
  REQUIRE(
      h.Run("office", "", kId, "reopen_rectification", {{"item", "rect-2"}}, "台账仍缺").accepted);
  lc = h.Get(kId);
  CHECK(lc.data["rectifications"][0]["overdue_since"] == "2025-08-21");
  CHECK_FALSE(ItemTimer(h, "rect-1").has_value());
  CHECK_FALSE(lc.data["rectifications"][1].contains("overdue_since"));
  const auto again = ItemTimer(h, "rect-2");
  REQUIRE(again.has_value());
  CHECK(again->due_ms == EndOf("2025-09-30"));

  // The unit's deadlines list each item by its day, as the item stands.
  auto cycle = h.Get("cycle/2025/city");
  auto config = workflows::ParseCycleConfig(cycle.data["config"]);
  REQUIRE(config.ok());
  auto deadlines = workflows::UnitDeadlines(*config, testing::RealCalendar(), kId, lc.data,
                                            lc.state, *Date::Parse("2025-08-21"));
  REQUIRE(deadlines.ok());
  Map status;
  for (const workflows::Deadline& d : *deadlines) {
    if (d.step == "rectification") status[d.ref + " " + d.date] = d.status + " " + d.doer;
  }
  CHECK(status == Map{{"rect-1 2025-08-15", "overdue unit"}, {"rect-2 2025-09-30", "open unit"}});
}

TEST_CASE("each announcing transition sets its own event, and the others none") {
  LifecycleHarness h;
  h.SetUpCycle();
  struct Step {
    std::string date;
    std::string role;
    std::string command;
    Json payload;
    std::string reason;
    std::string event;  // announced, or empty
  };
  const Json change = {{"operations", {{{"op", "modify"}, {"id", "functional.1.1.1.1"}, {"target", "增速7%"}}}}};
  Json change2 = change;
  change2["operations"][0]["target"] = "增速7.5%";
  const Json adj1 = {{"adjustment", "adj-1"}};
  const Json adj2 = {{"adjustment", "adj-2"}};
  const Json scores = {{"target_types",
                        {{{"target_type", "functional"}, {"raw_score", 90}, {"raw_max", 100}},
                         {{"target_type", "innovation"}, {"raw_score", 90}, {"raw_max", 100}},
                         {{"target_type", "satisfaction"}, {"raw_score", 90}, {"raw_max", 100}},
                         {{"target_type", "special"}, {"registry_item", testing::kSpecialItem},
                          {"indicators", {{{"indicator_id", "special.1.1.1.1"}, {"points", 54}}}}}}}};
  const Json report = {{"report", testing::MinimalReport(kUnit)}};
  const Json rect1 = {{"item", "rect-1"}};
  const Json rect1ev = {{"item", "rect-1"}, {"evidence", {"8月进度月报"}}};
  const std::vector<Step> steps = {
      {"2025-04-10", "unit", "submit", {{"plan", testing::MinimalCityPlan(kUnit)}}, "", ""},
      {"2025-04-11", "office", "return", {}, "重点任务缺失", "returned"},
      {"2025-04-14", "unit", "submit", {}, "", ""},
      {"2025-04-15", "office", "office_agree", {}, "", ""},
      {"2025-04-16", "leader", "approve", {}, "同意", "plan_approved"},
      {"2025-04-17", "office", "issue", {}, "", "plan_issued"},
      {"2025-07-10", "office", "record_midyear", {{"findings", Json::array()}}, "未发现问题", ""},
      {"2025-07-11",
       "office",
       "record_midyear",
       {{"findings", {"进度偏慢"}}},
       "",
       "midyear_findings"},
      {"2025-08-01", "unit", "report_rectification", rect1ev, "已加快进度",
       "rectification_reported"},
      {"2025-08-04", "office", "reopen_rectification", rect1, "佐证不足", "rectification_reopened"},
      {"2025-08-11", "unit", "report_rectification", rect1ev, "补充月报", "rectification_reported"},
      {"2025-08-12", "office", "close_rectification", rect1, "", "rectification_closed"},
      {"2025-11-20", "unit", "request_adjustment", {{"change", change}}, "new target", ""},
      {"2025-11-20", "lead_assessor", "review_adjustment", adj1, "", ""},
      {"2025-11-21", "office", "agree_adjustment", adj1, "", ""},
      {"2025-11-21", "leader", "approve_adjustment", adj1, "", "adjustment_approved"},
      {"2025-11-24", "office", "file_adjustment", adj1, "", "adjustment_filed"},
      {"2025-11-24", "unit", "request_adjustment", {{"change", change2}}, "again", ""},
      {"2025-11-25", "office", "reject_adjustment", adj2, "no need", "adjustment_rejected"},
      {"2025-12-20", "office", "open_self_assessment", {}, "", ""},
      {"2026-01-08", "unit", "submit_self_assessment", report, "", ""},
      {"2026-01-09",
       "office",
       "send_back",
       {{"items", {"functional.1.1.1.1"}}},
       "缺佐证材料",
       "sent_back"},
      {"2026-01-09", "unit", "submit_self_assessment", report, "", ""},
      {"2026-01-12", "office", "record_scores", scores, "", ""},
      {"2026-03-10", "office", "finish_audit", {}, "", ""},
      {"2026-03-16", "office", "publish", {}, "", "published"},
      {"2026-03-17", "unit", "appeal", {{"evidence", {"x"}}}, "why", "appeal_lodged"},
      {"2026-03-18", "office", "reject_appeal", {}, "核实无误", "appeal_rejected"},
      {"2026-03-18", "office", "republish", {}, "", "republished"},
  };
  h.At("2025-03-03");
  REQUIRE(h.Run("office", "", kId, "create", {}, "", "lifecycle").accepted);
  CHECK(EventTimers(h).empty());
  for (const Step& s : steps) {
    INFO(s.command << " on " << s.date);
    h.At(s.date);
    h.Fire();
    const std::string unit = s.role == "unit" ? kUnit : s.role == "lead_assessor" ? "gx-statistics" : "";
    auto r = h.Run(s.role, unit, kId, s.command, s.payload, s.reason);
    INFO(r.refusal.ToString());
    REQUIRE(r.accepted);
    const std::vector<Timer> pending = EventTimers(h);
    if (s.event.empty()) {
      CHECK(pending.empty());
      continue;
    }
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].id == kNotices + "#event/" + std::to_string(r.instance().version) + "-" + s.event);
    CHECK(pending[0].payload["actor_role"] == s.role);
    CHECK(workflows::IsKnownEvent(s.event));
  }
  h.Fire();
  CHECK(Announced(h) == std::vector<std::string>{
                            "returned", "plan_approved", "plan_issued", "midyear_findings",
                            "rectification_reported", "rectification_reopened",
                            "rectification_reported", "rectification_closed", "adjustment_approved",
                            "adjustment_filed", "adjustment_rejected", "sent_back", "published",
                            "appeal_lodged", "appeal_rejected", "republished"});
  // The facts each needs.
  std::map<std::string, Json> details;
  const Instance notices = h.Get(kNotices);
  for (const Json& e : notices.data["entries"]) {
    if (e.value("kind", "") == "event") details[e["event"]] = e["details"];
  }
  CHECK(details["plan_approved"]["plan_version"] == 1);
  CHECK(details["plan_issued"]["adjustment_from"] == "2025-11-20");
  CHECK(details["plan_issued"]["adjustment_to"] == "2025-11-30");
  CHECK(details["adjustment_filed"]["plan_version"] == 2);
  CHECK(details["adjustment_filed"]["adjustment"] == "adj-1");
  CHECK(details["adjustment_rejected"]["adjustment"] == "adj-2");
  CHECK(details["sent_back"]["items"] == Json::array({"functional.1.1.1.1"}));
  CHECK(details["sent_back"]["self_assessment_due"] == "2026-01-10");
  CHECK(details["sent_back"]["overdue"] == false);
  CHECK(details["appeal_lodged"]["evidence"] == 1);
  CHECK(details["appeal_rejected"]["total"].get<double>() == Approx(900));
  // Rectification: the findings and the day, by default the self-assessment's deadline.
  CHECK(details["midyear_findings"]["items"] == Json::array({"进度偏慢"}));
  CHECK(details["midyear_findings"]["rectify_by"] == "2026-01-10");
  CHECK(details["rectification_closed"]["item"] == "rect-1");
  CHECK(details["rectification_closed"]["finding"] == "进度偏慢");
  const Instance lc = h.Get(kId);
  REQUIRE(lc.data["rectifications"].size() == 1);
  CHECK(lc.data["rectifications"][0]["status"] == "closed");
  CHECK(lc.data["rectifications"][0]["steps"].size() == 4);
  CHECK(lc.data["rectifications"][0]["steps"][2]["evidence"] == Json::array({"8月进度月报"}));
  REQUIRE(lc.data["midyear_findings"].size() == 2);
  CHECK(lc.data["midyear_findings"][0]["items"].empty());
  CHECK(lc.data["midyear_findings"][0]["note"] == "未发现问题");
  CHECK(lc.data["midyear_findings"][1]["items"] == Json::array({"rect-1"}));
}

TEST_CASE("ratified results are announced with the grade") {
  LifecycleHarness h;
  h.SetUpCycle();
  std::vector<std::string> cities;
  const Json dir = Json::parse(testing::ReadText(GOVASSESS_SOURCE_DIR "/workflows/data/units-guangxi.json"));
  for (const Json& u : dir["units"]) {
    if (u.value("category_id", "") == "cities") cities.push_back(u["id"]);
  }
  for (size_t i = 0; i < cities.size(); ++i) {
    h.ToExecution(cities[i]);
    // Nanning (the first city) scores highest.
    h.ToPublished(cities[i], "2026-03-16", 98 - static_cast<double>(i) * 2);
  }
  h.At("2026-03-30");
  h.Fire();
  REQUIRE(h.Run("office", "", "cycle/2025/city", "grade", {{"category", "cities"}}).accepted);
  REQUIRE(cities[0] == kUnit);
  REQUIRE(h.Run("committee", "", kId, "ratify").accepted);
  h.Fire();
  const Json entry = LastEntry(h);
  REQUIRE(entry["event"] == "ratified");
  CHECK(entry["actor_role"] == "committee");
  CHECK(entry["details"]["grade"] == "first");
  workflows::NoticeFacts f = workflows::NoticeFactsFromJson(
      {{"unit_id", kUnit}, {"unit_name", "南宁市"}, {"year", "2025"}, {"scheme", "city"},
       {"kind", "event"}, {"event", "ratified"}, {"actor_role", "committee"}, {"on", entry["on"]},
       {"details", entry["details"]}});
  const workflows::NoticeText zh = workflows::RenderNotice(f, "zh-CN");
  INFO(zh.subject << "\n" << zh.body);
  CHECK(zh.subject == "【绩效考评通知】考评结果已审定：一等，总分956分");
  CHECK_THAT(zh.body, Catch::Contains("经考评领导小组审定：总分956分，等次为一等。"));
  CHECK_THAT(workflows::RenderNotice(f, "en").body, Catch::Contains("total score 956, first grade"));
}

// The sent_back notice, like a returned plan's, says by when to resubmit: the
// self-assessment deadline, or that it has passed and the step is overdue now.
TEST_CASE("the sent_back notice tells the unit the self-assessment deadline, and that it is overdue once passed") {
  testing::NotifyHarness h;
  h.ToExecution(kUnit);
  const Json report = {{"report", testing::MinimalReport(kUnit)}};
  h.At("2025-12-20");
  REQUIRE(h.Run("office", "", kId, "open_self_assessment").accepted);
  h.At("2026-01-08");
  REQUIRE(h.Run("unit", kUnit, kId, "submit_self_assessment", report).accepted);
  auto last_sent_back = [&] {
    Json found;
    const Instance notices = h.Get(kNotices);
    for (const Json& e : notices.data["entries"]) {
      if (e.value("event", "") == "sent_back") found = e;
    }
    return found;
  };
  auto facts = [](const Json& e) {
    return workflows::NoticeFactsFromJson(
        {{"unit_id", kUnit}, {"unit_name", "南宁市"}, {"year", "2025"}, {"scheme", "city"},
         {"kind", "event"}, {"event", "sent_back"}, {"actor_role", e["actor_role"]},
         {"reason", e["reason"]}, {"on", e["on"]}, {"deadline", e["deadline"]},
         {"details", e["details"]}});
  };

  // Before self_assessment_due (Saturday 2026-01-10): resubmit by then.
  h.At("2026-01-09");
  REQUIRE(h.Run("office", "", kId, "send_back", {{"items", {"functional.1.1.1.1"}}}, "缺佐证材料").accepted);
  h.At("2026-01-09", 11);
  h.Fire();
  Json e = last_sent_back();
  REQUIRE(e.is_object());
  CHECK(e["deadline"] == "2026-01-10");
  CHECK(e["details"]["self_assessment_due"] == "2026-01-10");
  CHECK(e["details"]["overdue"] == false);
  workflows::NoticeText zh = workflows::RenderNotice(facts(e), "zh-CN");
  INFO(zh.subject << "\n" << zh.body);
  CHECK(zh.subject == "【绩效考评通知】自查自评材料退回补正（1项），请于2026年1月10日前重新提交");
  CHECK_THAT(zh.body, Catch::Contains("请按退回意见补正，并于2026年1月10日（星期六）（自查自评报送截止日期）前"
                                      "在系统中重新提交自查自评报告。"));
  workflows::NoticeText en = workflows::RenderNotice(facts(e), "en");
  INFO(en.subject << "\n" << en.body);
  CHECK(en.subject ==
        "[GovAssess notice] Self-assessment sent back for correction (1 item) - resubmit by 10 January 2026");
  CHECK_THAT(en.body, Catch::Contains("submit the self-assessment report again in the system by Saturday, "
                                      "10 January 2026 (the self-assessment deadline)."));

  // Resubmitted, and sent back again after the deadline: overdue now.
  REQUIRE(h.Run("unit", kUnit, kId, "submit_self_assessment", report).accepted);
  h.At("2026-01-15");
  REQUIRE(h.Run("office", "", kId, "send_back", {{"items", {"functional.1.1.1.1"}}}, "仍缺材料").accepted);
  h.At("2026-01-15", 11);
  h.Fire();
  e = last_sent_back();
  CHECK(e["reason"] == "仍缺材料");
  CHECK(e["deadline"] == "2026-01-10");
  CHECK(e["details"]["overdue"] == true);
  CHECK(h.Get(kId).data["overdue"] == Json::array({"self_assessment_due"}));
  zh = workflows::RenderNotice(facts(e), "zh-CN");
  INFO(zh.subject << "\n" << zh.body);
  CHECK(zh.subject == "【绩效考评通知】自查自评材料退回补正（1项），请尽快重新提交");
  CHECK_THAT(zh.body, Catch::Contains("自查自评报送截止日期（2026年1月10日（星期六））已过，现已逾期") &&
                          Catch::Contains("退回理由：仍缺材料"));
  en = workflows::RenderNotice(facts(e), "en");
  INFO(en.subject << "\n" << en.body);
  CHECK(en.subject ==
        "[GovAssess notice] Self-assessment sent back for correction (1 item) - resubmit as soon as possible");
  CHECK_THAT(en.body, Catch::Contains("The self-assessment deadline (Saturday, 10 January 2026) has passed, "
                                      "so the self-assessment is now overdue"));
}

// A mid-year check's findings reach the unit with the day to rectify by; an item sent
// back says why and by when to report again.
TEST_CASE("the rectification notices name the findings, the item and the day") {
  auto facts = [](const std::string& event, const std::string& role, Json details,
                  const std::string& deadline, const std::string& reason) {
    return workflows::NoticeFactsFromJson({{"unit_id", kUnit},
                                           {"unit_name", "南宁市"},
                                           {"year", "2025"},
                                           {"scheme", "city"},
                                           {"kind", "event"},
                                           {"event", event},
                                           {"actor_role", role},
                                           {"on", "2025-07-15"},
                                           {"deadline", deadline},
                                           {"reason", reason},
                                           {"details", std::move(details)}});
  };
  const auto found = facts("midyear_findings", "office",
                           {{"items", {"进度偏慢", "台账不全"}}, {"rectify_by", "2025-09-30"}},
                           "2025-09-30", "7月中期核验");
  const workflows::NoticeText zh = workflows::RenderNotice(found, "zh-CN");
  INFO(zh.subject << "\n" << zh.body);
  CHECK(zh.subject == "【绩效考评通知】中期核验发现问题需整改（2项），请于2025年9月30日前整改到位");
  CHECK_THAT(zh.body, Catch::Contains("需整改的问题：进度偏慢、台账不全"));
  CHECK_THAT(zh.body, Catch::Contains("说明：7月中期核验"));
  CHECK_THAT(zh.body, Catch::Contains("2025年9月30日（星期二）前在系统中报告整改情况"));
  const workflows::NoticeText en = workflows::RenderNotice(found, "en");
  CHECK_THAT(en.subject, Catch::Contains("Mid-year check: 2 findings to rectify by"));
  CHECK(workflows::EventUrgency("midyear_findings") == "urgent");

  const auto reopened =
      facts("rectification_reopened", "office",
            {{"item", "rect-2"}, {"finding", "台账不全"}, {"rectify_by", "2025-09-30"}},
            "2025-09-30", "缺6月数据");
  const workflows::NoticeText back = workflows::RenderNotice(reopened, "zh-CN");
  INFO(back.subject << "\n" << back.body);
  CHECK(back.subject ==
        "【绩效考评通知】整改未通过，请继续整改（rect-2），于2025年9月30日前重新报告");
  CHECK_THAT(back.body, Catch::Contains("中期核验问题“台账不全”的整改情况经绩效办"));
  CHECK_THAT(back.body, Catch::Contains("理由：缺6月数据"));
  CHECK_THAT(back.body, Catch::Contains("在整改期限2025年9月30日（星期二）前在系统中重新报告"));
  CHECK(workflows::EventUrgency("rectification_reopened") == "urgent");

  const auto reported = facts("rectification_reported", "unit",
                              {{"item", "rect-2"}, {"finding", "台账不全"}}, "", "已补齐");
  const workflows::NoticeText office = workflows::RenderNotice(reported, "zh-CN");
  CHECK(office.subject == "【绩效考评通知】南宁市报告整改情况（rect-2）");
  CHECK_THAT(office.body, Catch::Contains("整改情况：已补齐"));
  CHECK(workflows::EventLabel("rectification_closed", "zh-CN") == "整改事项销号");

  const auto overdue =
      facts("rectification_overdue", "system",
            {{"item", "rect-1"}, {"finding", "进度偏慢"}, {"rectify_by", "2025-08-15"}},
            "2025-08-15", "");
  const workflows::NoticeText late = workflows::RenderNotice(overdue, "zh-CN");
  INFO(late.subject << "\n" << late.body);
  CHECK(late.subject == "【绩效考评通知】整改逾期（rect-1），整改期限2025年8月15日已过");
  CHECK_THAT(late.body,
             Catch::Contains(
                 "中期核验问题“进度偏慢”的整改期限为2025年8月15日（星期五），至今未报告整改情况"));
  CHECK_THAT(late.body, Catch::Contains("请尽快在系统中报告整改情况并附佐证材料"));
  const workflows::NoticeText late_en = workflows::RenderNotice(overdue, "en");
  CHECK_THAT(late_en.subject, Catch::Contains("Rectification overdue: rect-1 was due"));
  CHECK(workflows::EventUrgency("rectification_overdue") == "urgent");
}

}  // namespace
}  // namespace govassess
