// The special-assessment registry workflow: application lifecycle, roles, quota (with
// concurrent approvals), duplicate review on submit, merge, licences, filings,
// evaluation, retirement, one-off applications, and replay.
#include "registry/special_assessment_workflow.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "engine/replay.h"
#include "registry/licence.h"
#include "tests/registry/registry_test_rig.h"

namespace govassess::registry {
namespace {

using testing::Admin;
using testing::Auditor;
using testing::Cmd;
using testing::Committee;
using testing::Lead;
using testing::MsOf;
using testing::Office;
using testing::RegistryRig;

const std::vector<std::string> kFood = {"食品抽检合格率", "食品安全风险监测", "校园食品安全",
                                        "食品安全党政同责落实"};
const std::vector<std::string> kRoads = {"农村公路列养率", "农村公路优良中等路率", "路面改造完成率"};
const std::vector<std::string> kRivers = {"河长巡河履职率", "河湖四乱问题清零", "水功能区水质达标率"};

TEST_CASE("an application goes draft → submitted → returned → revised → resubmitted → withdrawn") {
  RegistryRig rig;
  auto created = rig.Accept(Cmd("a1", "create", Lead("自治区交通运输厅"),
                                {{"name", "农村公路建设考核"}, {"indicators", kRoads}}));
  CHECK(created.instance().state == "draft");
  CHECK(created.instance().data["lead"] == "自治区交通运输厅");
  CHECK(created.instance().data["year"] == 2026);

  // Submitting without the basis is refused, naming what is missing.
  auto early = rig.Run(Cmd("a1", "submit", Lead("自治区交通运输厅")));
  CHECK_FALSE(early.accepted);
  CHECK_THAT(early.refusal.message(), Catch::Contains("basis"));

  rig.Accept(Cmd("a1", "revise", Lead("自治区交通运输厅"),
                 {{"basis", "《公路法》"}, {"frequency", "yearly"}, {"weight", 10},
                  {"period", {{"from", "2026-01-01"}, {"to", "2026-12-31"}}}}));
  auto submitted = rig.Accept(Cmd("a1", "submit", Lead("自治区交通运输厅")));
  CHECK(submitted.instance().state == "submitted");
  CHECK(submitted.instance().data["review"]["matches"].is_array());
  CHECK(rig.service.Quota(2026)->at("overall")["pending"] == 1);

  // Revising a submitted application is refused; returning needs reasons.
  CHECK_FALSE(rig.Run(Cmd("a1", "revise", Lead("自治区交通运输厅"), {{"weight", 5}})).accepted);
  auto no_reason = rig.Run(Cmd("a1", "return", Office()));
  CHECK_FALSE(no_reason.accepted);
  CHECK_THAT(no_reason.refusal.message(), Catch::Contains("reason"));
  CHECK(rig.Accept(Cmd("a1", "return", Office(), {}, "指标与综合考评重复，请修改")).instance().state ==
        "returned");
  rig.Accept(Cmd("a1", "revise", Lead("自治区交通运输厅"), {{"indicators", {"农村公路列养率"}}}));
  CHECK(rig.Accept(Cmd("a1", "submit", Lead("自治区交通运输厅"))).instance().state == "submitted");
  CHECK(rig.Accept(Cmd("a1", "withdraw", Lead("自治区交通运输厅"))).instance().state == "withdrawn");
  CHECK(rig.service.Quota(2026)->at("overall")["pending"] == 0);
  CHECK_FALSE(rig.Run(Cmd("a1", "submit", Lead("自治区交通运输厅"))).accepted);

  // Every decision is on the item, and fields the application does not have are refused.
  CHECK(rig.Get("a1").data["decisions"].size() == 5);  // create, submit, return, submit, withdraw
  auto bad = rig.Run(Cmd("a2", "create", Lead("自治区交通运输厅"), {{"name", "x"}, {"colour", "red"}}));
  CHECK_FALSE(bad.accepted);
  CHECK_THAT(bad.refusal.message(), Catch::Contains("colour"));
}

TEST_CASE("roles and ownership: refusals are forbidden and journaled") {
  RegistryRig rig;
  rig.Apply("a1", "自治区交通运输厅", "农村公路建设考核", kRoads);
  struct Case {
    const char* what;
    Command command;
  };
  const std::vector<Case> cases = {
      {"another department revises", Cmd("a1", "withdraw", Lead("自治区水利厅"))},
      {"a lead assessor approves", Cmd("a1", "approve", Lead("自治区交通运输厅"))},
      {"the office applies", Cmd("a9", "create", Office(), {{"name", "某考核"}})},
      {"a department applies for another", Cmd("a9", "create", Lead("自治区水利厅"),
                                                {{"name", "某考核"}, {"lead", "自治区交通运输厅"}})},
      {"the office licenses", Cmd("a1", "license", Office())},
      {"an auditor withdraws", Cmd("a1", "withdraw", Auditor())},
      {"an auditor approves", Cmd("a1", "approve", Auditor())},
      {"an auditor configures", Cmd("registry/book/2026", "configure", Auditor(), {{"quota", {{"per_lead", 9}}}})},
      {"a lead assessor imports", Cmd("registry/book/2026", "import", Lead("自治区水利厅"), {{"items", Json::array()}})},
      {"the office approves the plan", Cmd("registry/book/2026", "approve_plan", Office())},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const int64_t before = rig.store.Head()->seq;
    auto r = rig.Run(c.command);
    CHECK_FALSE(r.accepted);
    CHECK(r.refusal.code() == Code::kForbidden);
    CHECK(rig.store.Head()->seq == before + 1);
    JournalEvent e = rig.LastEvent();
    CHECK(e.outcome == "refused");
    CHECK(e.refusal_code == "forbidden");
    CHECK(e.reason == r.refusal.message());
  }
  CHECK(rig.Get("a1").state == "submitted");
}

TEST_CASE("quota: approving beyond the per-lead cap is refused with the numbers") {
  RegistryRig rig;
  rig.ApplyAndLicense("f1", "自治区市场监管局", "食品安全考核", kFood);
  rig.Apply("f2", "自治区市场监管局", "特种设备安全监管考核", {"特种设备定期检验率", "电梯困人救援"});
  auto refused = rig.Run(Cmd("f2", "approve", Office()));
  CHECK_FALSE(refused.accepted);
  CHECK(refused.refusal.code() == Code::kRefused);
  CHECK_THAT(refused.refusal.message(),
             Catch::Contains("quota for 自治区市场监管局 in 2026 is 1; 1 already approved or "
                             "licensed (专考〔2026〕1号); this application would make 2"));
  CHECK(rig.LastEvent().outcome == "refused");

  // The quota at a glance.
  Json q = *rig.service.Quota(2026);
  CHECK(q["overall"]["cap"] == 5);
  CHECK(q["overall"]["licensed"] == 1);
  CHECK(q["overall"]["pending"] == 1);
  CHECK(q["leads"]["自治区市场监管局"]["cap"] == 1);
  CHECK(q["leads"]["自治区市场监管局"]["licensed"] == 1);

  // Configuration, not code: the office raises this department's cap for 2026.
  rig.Accept(Cmd("registry/book/2026", "configure", Office(),
                 {{"quota", {{"per_lead_overrides", {{"自治区市场监管局", 2}}}}}}));
  CHECK(rig.Accept(Cmd("f2", "approve", Office())).instance().state == "approved");
  q = *rig.service.Quota(2026);
  CHECK(q["leads"]["自治区市场监管局"]["cap"] == 2);
  CHECK(q["leads"]["自治区市场监管局"]["approved"] == 1);

  // The overall cap.
  rig.Accept(Cmd("registry/book/2026", "configure", Admin(), {{"quota", {{"overall", 2}}}}));
  rig.Apply("r1", "自治区交通运输厅", "农村公路建设考核", kRoads);
  auto overall = rig.Run(Cmd("r1", "approve", Office()));
  CHECK_FALSE(overall.accepted);
  CHECK_THAT(overall.refusal.message(),
             Catch::Contains("overall quota for 2026 is 2; 2 already approved or licensed; this "
                             "application would make 3"));
  // A bad configuration is refused.
  CHECK_FALSE(rig.Run(Cmd("registry/book/2026", "configure", Admin(), {{"quota", {{"per_lead", -1}}}})).accepted);
}

TEST_CASE("quota: concurrent approvals never exceed the cap") {
  for (int round = 0; round < 3; ++round) {
    RegistryRig rig;
    // Per-lead cap 1: eight applications of one department; overall cap 5 across
    // eight departments.
    const int n = 8;
    for (int i = 0; i < n; ++i) {
      rig.Apply("s" + std::to_string(i), "自治区甲厅", "第" + std::to_string(i) + "项河湖考核" + std::to_string(i * 7919),
                {"指标" + std::to_string(i) + "甲", "指标" + std::to_string(i) + "乙"});
      rig.Apply("d" + std::to_string(i), "自治区部门" + std::to_string(i), "部门" + std::to_string(i) + "专项事务考核",
                {"事项" + std::to_string(i) + "办结率"});
    }
    std::atomic<int> same_lead_ok{0}, overall_ok{0}, errors{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        for (const std::string prefix : {"s", "d"}) {
          auto r = rig.service.Execute(Cmd(prefix + std::to_string(i), "approve", Office(),
                                           {{"override_reason", "test"}}));
          if (!r.ok()) {
            ++errors;  // a Conflict after the engine's retries: nothing written
          } else if (r->accepted) {
            ++(prefix == "s" ? same_lead_ok : overall_ok);
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    INFO("round " << round << " errors " << errors.load());
    CHECK(same_lead_ok.load() <= 1);
    CHECK(same_lead_ok.load() + overall_ok.load() <= 5);
    Json q = *rig.service.Quota(2026);
    CHECK(q["leads"]["自治区甲厅"]["approved"].get<int>() == same_lead_ok.load());
    CHECK(q["overall"]["approved"].get<int>() == same_lead_ok.load() + overall_ok.load());
    CHECK(same_lead_ok.load() + overall_ok.load() >= 1);
  }
}

TEST_CASE("duplicate review is attached on submit and must be acknowledged to approve") {
  RegistryRig rig;
  rig.ApplyAndLicense("f1", "自治区市场监管局", "食品安全工作考核", kFood);
  auto dup = rig.Apply("f2", "自治区卫生健康委", "2026年度食品安全专项考评",
                       {"食品抽检合格率", "食品安全风险监测", "学校食品安全"});
  REQUIRE(dup.accepted);
  const Json review = rig.Get("f2").data["review"];
  REQUIRE(review["matches"].size() >= 1);
  const Json top = review["matches"][0];
  CHECK(top["id"] == "f1");
  CHECK(top["level"] == "likely_duplicate");
  CHECK(top["score"].get<double>() >= 0.6);
  CHECK(top["kind"] == "licensed");
  CHECK(top["overlaps"].size() >= 2);
  // The journal records what the office saw.
  auto events = *rig.store.ReadJournal(0, 1000);
  bool journaled = false;
  for (const auto& e : events) {
    if (e.entity == "registry/item/f2" && e.command == "submit") {
      journaled = e.payload["review"]["matches"][0]["id"] == "f1";
    }
  }
  CHECK(journaled);

  auto refused = rig.Run(Cmd("f2", "approve", Office()));
  CHECK_FALSE(refused.accepted);
  CHECK_THAT(refused.refusal.message(), Catch::Contains("likely duplicate") && Catch::Contains("f1"));
  // A different lead, so the quota allows it once the office overrides.
  auto approved = rig.Accept(Cmd("f2", "approve", Office(), {{"override_reason", "不同监管对象"}}));
  CHECK(approved.instance().data["decisions"].back()["override_reason"] == "不同监管对象");

  // The index follows the items: a withdrawn application is no longer compared.
  rig.Apply("w1", "自治区水利厅", "河长制考核", kRivers);
  CHECK(rig.service.Check("河长制工作考核", kRivers)->at(0).id == "w1");
  rig.Accept(Cmd("w1", "withdraw", Lead("自治区水利厅")));
  auto after = rig.service.Check("河长制工作考核", kRivers);
  REQUIRE(after.ok());
  for (const auto& m : *after) CHECK(m.id != "w1");
  // Without a review (not submitted through the service) approval is refused.
  rig.Accept(Cmd("x1", "create", Lead("自治区林业局"),
                 {{"name", "森林督查考核"}, {"basis", "森林法"}, {"indicators", {"森林覆盖率"}}}));
  REQUIRE(rig.engine.Execute(Cmd("x1", "submit", Lead("自治区林业局"))).value().accepted);
  CHECK_THAT(rig.Run(Cmd("x1", "approve", Office())).refusal.message(),
             Catch::Contains("no duplicate review"));
}

TEST_CASE("merge: applications become one item with co-leads and the union of indicators") {
  RegistryRig rig;
  rig.Apply("m1", "自治区市场监管局", "食品安全考核", kFood);
  rig.Apply("m2", "自治区卫生健康委", "食品安全监管考评",
            {"食品抽检合格率。", "食品安全风险监测", "餐饮服务量化分级"},
            {{"co_leads", {"自治区教育厅"}}, {"assessed_units", {"南宁市"}}});
  rig.Apply("m3", "自治区农业农村厅", "农产品质量安全考核", {"农产品质量安全监测合格率", "食品抽检合格率"});
  CHECK(rig.service.Quota(2026)->at("overall")["pending"] == 3);

  // Only the office merges; drafts and unknown ids cannot be absorbed.
  CHECK(rig.Run(Cmd("m1", "merge", Lead("自治区市场监管局"), {{"absorb", {"m2"}}})).refusal.code() ==
        Code::kForbidden);
  CHECK_FALSE(rig.Run(Cmd("m1", "merge", Office(), {{"absorb", {"nosuch"}}})).accepted);
  CHECK_FALSE(rig.Run(Cmd("m1", "merge", Office(), {{"absorb", {"m1"}}})).accepted);

  auto merged = rig.Accept(Cmd("m1", "merge", Office(), {{"absorb", {"m2", "m3"}}}, "同一监管对象"));
  const Json data = merged.instance().data;
  CHECK(data["indicators"] == Json({"食品抽检合格率", "食品安全风险监测", "校园食品安全",
                                    "食品安全党政同责落实", "餐饮服务量化分级",
                                    "农产品质量安全监测合格率"}));
  CHECK(data["co_leads"] == Json({"自治区卫生健康委", "自治区教育厅", "自治区农业农村厅"}));
  CHECK(data["assessed_units"] == Json({"南宁市"}));
  CHECK(data["absorbed"] == Json({"m2", "m3"}));
  for (const char* id : {"m2", "m3"}) {
    Instance a = rig.Get(id);
    CHECK(a.state == "merged");
    CHECK(a.data["merged_into"] == "m1");
  }
  // The book counts only the survivor; the index no longer holds the absorbed ones.
  Json q = *rig.service.Quota(2026);
  CHECK(q["overall"]["pending"] == 1);
  CHECK_FALSE(q["leads"].contains("自治区卫生健康委"));
  CHECK(rig.service.Check("食品安全监管考评", {"餐饮服务量化分级"})->at(0).id == "m1");
  // All in one commit: one journal event wrote the survivor, the absorbed and the book.
  JournalEvent e = rig.LastEvent();
  CHECK(e.command == "merge");
  CHECK(e.change["instances"].size() == 4);
  // A merged item cannot be approved, merged again or licensed.
  auto approve = rig.Run(Cmd("m2", "approve", Office()));
  CHECK_FALSE(approve.accepted);
  CHECK_THAT(approve.refusal.message(), Catch::Contains("merged (into m1)"));
  CHECK_FALSE(rig.Run(Cmd("m1", "merge", Office(), {{"absorb", {"m2"}}})).accepted);

  // An application merged into a licensed item: a new filing version.
  rig.Accept(Cmd("m1", "approve", Office(), {{"override_reason", "merged"}}));
  rig.Accept(Cmd("m1", "license", Committee()));
  rig.Apply("m4", "自治区教育厅", "校园食品安全考核", {"校园食品安全", "学校食堂明厨亮灶"});
  auto into_licensed = rig.Accept(Cmd("m1", "merge", Office(), {{"absorb", {"m4"}}}));
  CHECK(into_licensed.instance().state == "licensed");
  CHECK(into_licensed.instance().data["filings"].size() == 2);
  CHECK(into_licensed.instance().data["filings"][1]["version"] == 2);
  CHECK(into_licensed.instance().data["indicators"].back() == "学校食堂明厨亮灶");
  CHECK(into_licensed.instance().data["licence"]["number"] == "专考〔2026〕1号");
  CHECK(rig.Get("m4").data["merged_into"] == "m1");
}

TEST_CASE("licences: numbers from the configured format, kept across renewal — the plan licenses") {
  RegistryRig rig;
  auto first = rig.ApplyAndLicense("l1", "自治区市场监管局", "食品安全考核", kFood);
  const Json licence = first.instance().data["licence"];
  CHECK(licence["number"] == "专考〔2026〕1号");
  CHECK(licence["valid_from"] == "2026-03-02");
  CHECK(licence["valid_to"] == "2026-12-31");
  CHECK(first.instance().data["filings"].size() == 1);
  auto timers = *rig.store.TimersOf("registry/item/l1");
  REQUIRE(timers.size() == 1);
  CHECK(timers[0].command == "expire");

  // The committee approves the yearly plan: every approved item is licensed at once.
  rig.Apply("l2", "自治区交通运输厅", "农村公路建设考核", kRoads);
  rig.Apply("l3", "自治区水利厅", "河长制考核", kRivers);
  rig.Accept(Cmd("l2", "approve", Office(), {{"override_reason", "x"}}));
  rig.Accept(Cmd("l3", "approve", Office(), {{"override_reason", "x"}}));
  CHECK(rig.Run(Cmd("registry/book/2026", "approve_plan", Office())).refusal.code() == Code::kForbidden);
  auto plan = rig.Accept(Cmd("registry/book/2026", "approve_plan", Committee()));
  CHECK(plan.result["licensed"].size() == 2);
  CHECK(rig.Get("l2").data["licence"]["number"] == "专考〔2026〕2号");
  CHECK(rig.Get("l3").data["licence"]["number"] == "专考〔2026〕3号");
  CHECK(rig.Get("l3").state == "licensed");
  CHECK_FALSE(rig.Run(Cmd("registry/book/2026", "approve_plan", Committee())).accepted);

  // Expiry: the timer fires the day after valid_to (China time).
  rig.clock.Set(MsOf(2027, 1, 1));
  CHECK(rig.engine.FireDueTimers(rig.clock.NowMs()).value() == 3);
  CHECK(rig.Get("l1").state == "expired");
  CHECK(CheckLicensedFor(rig.Get("l1"), "2026-12-31").IsRefused());

  // Renewal keeps the number and extends validity.
  CHECK_FALSE(rig.Run(Cmd("l1", "renew", Committee(), {{"valid_to", "2026-06-30"}})).accepted);
  auto renewed = rig.Accept(Cmd("l1", "renew", Committee(),
                                {{"valid_from", "2027-01-01"}, {"valid_to", "2027-12-31"}}));
  CHECK(renewed.instance().state == "licensed");
  CHECK(renewed.instance().data["licence"]["number"] == "专考〔2026〕1号");
  CHECK(renewed.instance().data["licence"]["renewals"] == 1);
  CHECK(renewed.instance().data["licence_history"].size() == 1);
  CHECK(CheckLicensedFor(renewed.instance(), "2027-06-01").ok());
  CHECK(rig.store.TimersOf("registry/item/l1")->at(0).due_ms > MsOf(2027, 12, 31));

  // A configured format.
  RegistryConfig config = testing::TestConfig();
  config.licence_format = "桂专考〔{year}〕第{seq}号";
  RegistryRig other(config);
  CHECK(other.ApplyAndLicense("k1", "自治区民宗委", "民族团结进步创建考核", {"民族团结进步示范单位创建"})
            .instance().data["licence"]["number"] == "桂专考〔2026〕第1号");
}

TEST_CASE("filings, yearly evaluation, retirement") {
  RegistryRig rig;
  rig.ApplyAndLicense("e1", "自治区水利厅", "河长制考核", kRivers);
  // The lead files a change of indicators and scoring rules: a new filing version.
  CHECK_FALSE(rig.Run(Cmd("e1", "file", Lead("自治区水利厅"), {{"indicators", {"河长巡河履职率"}}})).accepted);
  CHECK(rig.Run(Cmd("e1", "file", Lead("自治区交通运输厅"),
                    {{"indicators", {"河长巡河履职率"}}, {"scoring_rules", "x"}}))
            .refusal.code() == Code::kForbidden);
  auto filed = rig.Accept(Cmd("e1", "file", Lead("自治区水利厅"),
                              {{"indicators", {"河长巡河履职率", "幸福河湖建设"}},
                               {"scoring_rules", {{"河长巡河履职率", "每低1个百分点扣0.5分"}}}},
                              "增加幸福河湖"));
  CHECK(filed.result["filing_version"] == 2);
  const Json filings = filed.instance().data["filings"];
  CHECK(filings[0]["indicators"] == Json(kRivers));
  CHECK(filings[1]["indicators"] == Json({"河长巡河履职率", "幸福河湖建设"}));
  CHECK(filed.instance().data["indicators"] == filings[1]["indicators"]);

  // The yearly evaluation.
  CHECK_FALSE(rig.Run(Cmd("e1", "evaluate", Office(), {{"rating", "great"}})).accepted);
  rig.Accept(Cmd("e1", "evaluate", Office(),
                 {{"year", 2026}, {"rating", "ineffective"}, {"findings", "加重基层负担"}}));
  CHECK_FALSE(rig.Run(Cmd("e1", "evaluate", Office(), {{"year", 2026}, {"rating", "effective"}})).accepted);
  CHECK(rig.Get("e1").data["evaluations"][0]["rating"] == "ineffective");

  // Retirement needs a reason; a retired item has no licence.
  CHECK_FALSE(rig.Run(Cmd("e1", "retire", Office())).accepted);
  auto retired = rig.Accept(Cmd("e1", "retire", Office(), {}, "评估为无效，退出"));
  CHECK(retired.instance().state == "retired");
  CHECK(rig.store.TimersOf("registry/item/e1")->empty());
  CHECK_THAT(CheckLicensedFor(retired.instance(), "2026-06-01").message(),
             Catch::Contains("state: retired"));
  CHECK(rig.service.Check("河长制考核", kRivers)->empty());
}

TEST_CASE("one-off mid-year application (一事一报) needs a justification and the quota") {
  RegistryRig rig;
  rig.clock.Set(MsOf(2026, 7, 15));
  rig.Accept(Cmd("o1", "create", Lead("自治区应急管理厅"),
                 {{"name", "汛期地质灾害防治专项考核"},
                  {"kind", "one_off"},
                  {"basis", "自治区党委督办件"},
                  {"indicators", {"地质灾害隐患点巡查", "受威胁群众避险转移"}}}));
  auto refused = rig.Run(Cmd("o1", "submit", Lead("自治区应急管理厅")));
  CHECK_FALSE(refused.accepted);
  CHECK_THAT(refused.refusal.message(), Catch::Contains("justification"));
  rig.Accept(Cmd("o1", "revise", Lead("自治区应急管理厅"), {{"justification", "突发汛情，不能等到年度计划"}}));
  rig.Accept(Cmd("o1", "submit", Lead("自治区应急管理厅")));
  rig.Accept(Cmd("o1", "approve", Office()));
  auto licensed = rig.Accept(Cmd("o1", "license", Committee()));
  CHECK(licensed.instance().data["kind"] == "one_off");
  CHECK(licensed.instance().data["licence"]["valid_from"] == "2026-07-15");
  // The same department's next application is over quota, one-off or not.
  rig.Accept(Cmd("o2", "create", Lead("自治区应急管理厅"),
                 {{"name", "森林防灭火考核"}, {"kind", "one_off"}, {"justification", "x"},
                  {"basis", "y"}, {"indicators", {"森林火灾受害率"}}}));
  rig.Accept(Cmd("o2", "submit", Lead("自治区应急管理厅")));
  CHECK_THAT(rig.Run(Cmd("o2", "approve", Office())).refusal.message(),
             Catch::Contains("quota for 自治区应急管理厅 in 2026 is 1"));
}

TEST_CASE("CheckLicensedFor: licensed and valid, outside validity, not licensed, merged") {
  RegistryRig rig;
  Instance licensed = rig.ApplyAndLicense("c1", "自治区市场监管局", "食品安全考核", kFood).instance();
  rig.Apply("c2", "自治区交通运输厅", "农村公路建设考核", kRoads);
  rig.Apply("c3", "自治区卫生健康委", "食品安全评议考核", {"食品抽检合格率"});
  rig.Accept(Cmd("c2", "approve", Office(), {{"override_reason", "x"}}));
  rig.Accept(Cmd("c1", "merge", Office(), {{"absorb", {"c3"}}}));
  struct Case {
    std::string id;
    std::string date;
    bool ok;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"c1", "2026-06-30", true, ""},
      {"c1", "2026-03-02", true, ""},
      {"c1", "2026-12-31", true, ""},
      {"c1", "2026-03-01", false, "licence 专考〔2026〕1号 is valid from 2026-03-02 to 2026-12-31"},
      {"c1", "2027-03-15", false, "has no valid licence on 2027-03-15"},
      {"c2", "2026-06-30", false,
       "专项考核 \"农村公路建设考核\" has no valid licence on 2026-06-30 (state: approved): no "
       "licence, no assessment"},
      {"c3", "2026-06-30", false, "state: merged, merged into c1"},
      {"nosuch", "2026-06-30", false, "is not in the registry"},
  };
  for (const auto& c : cases) {
    INFO(c.id << " " << c.date);
    Instance item;
    auto got = rig.store.Get(ItemInstanceId(c.id));
    if (got.ok()) {
      item = *got;
    } else {
      item.id = ItemInstanceId(c.id);
    }
    Status s = CheckLicensedFor(item, c.date);
    CHECK(s.ok() == c.ok);
    if (!c.ok) {
      CHECK(s.code() == Code::kRefused);
      CHECK_THAT(s.message(), Catch::Contains(c.says));
    }
  }
  CHECK(CheckLicensedFor(licensed, "2026-13-01").code() == Code::kInvalidArgument);
}

TEST_CASE("import creates licensed items in one commit, or nothing") {
  RegistryRig rig;
  const Json items = Json::array(
      {{{"name", "食品安全考核"}, {"lead", "自治区市场监管局"}, {"indicators", kFood}},
       {{"id", "roads"}, {"name", "农村公路建设考核"}, {"lead", "自治区交通运输厅"},
        {"indicators", kRoads}, {"licence_number", "专考〔2025〕7号"}, {"valid_to", "2027-12-31"}}});
  auto bad = items;
  bad[1].erase("lead");
  auto refused = rig.Run(Cmd("registry/book/2026", "import", Admin(), {{"items", bad}}));
  CHECK_FALSE(refused.accepted);
  CHECK_THAT(refused.refusal.message(), Catch::Contains("item [1]: \"lead\" is missing"));
  CHECK(ListItems(&rig.store)->empty());

  auto imported = rig.Accept(Cmd("registry/book/2026", "import", Admin(), {{"items", items}}));
  CHECK(imported.result["imported"].size() == 2);
  CHECK(ListItems(&rig.store)->size() == 2);
  Instance roads = rig.Get("roads");
  CHECK(roads.state == "licensed");
  CHECK(roads.data["licence"]["number"] == "专考〔2025〕7号");
  CHECK(roads.data["licence"]["valid_to"] == "2027-12-31");
  Instance food = rig.Get(imported.result["imported"][0]["id"]);
  CHECK(food.data["licence"]["number"] == "专考〔2026〕1号");
  CHECK(CheckLicensedFor(food, "2026-06-01").ok());
  // The duplicate index sees them at once.
  CHECK(rig.service.Check("农村公路考核", kRoads)->at(0).id == "roads");
  // The quota counts them.
  CHECK(rig.service.Quota(2026)->at("overall")["licensed"] == 2);
  // Importing an id again refuses the whole import.
  CHECK_FALSE(rig.Run(Cmd("registry/book/2026", "import", Admin(), {{"items", items}})).accepted);
  CHECK(ListItems(&rig.store)->size() == 2);
}

// A unit directory as the lifecycle's plans and users know it (workflows' "units"
// instances), registered here only to be read by the import.
class TestUnits : public Workflow {
 public:
  std::string type() const override { return "units"; }
  int version() const override { return 1; }
  Decision Decide(const Instance&, const Command& c, const DecideContext&) const override {
    return Decision::Accept("active", c.payload.at("directory"));
  }
};

TEST_CASE("an import with a unit directory stores its leads as the directory's unit ids") {
  RegistryRig rig;
  rig.engine.Register(std::make_unique<TestUnits>());
  Command units;
  units.instance_id = "units/guangxi";
  units.type = "units";
  units.name = "create";
  units.actor = Admin();
  units.payload = {{"directory",
                    {{"name", "目录"},
                     {"units", Json::array({
                                   {{"id", "gx-statistics"}, {"name", "自治区统计局"}, {"short_name", "统计局"}},
                                   {{"id", "gx-water"}, {"name", "自治区水利厅"}, {"short_name", "水利厅"}},
                                   {{"id", "nn-water"}, {"name", "南宁市水利局"}, {"short_name", "水利局"}},
                                   {{"id", "gl-water"}, {"name", "桂林市水利局"}, {"short_name", "水利局"}},
                               })}}}};
  REQUIRE(rig.engine.Execute(units)->accepted);

  const Json items = Json::array(
      {{{"id", "stats"}, {"name", "统计数据质量考核"}, {"lead", "自治区统计局"},
        {"co_leads", {"水利厅", "水利局", "自治区国家保密局"}}, {"indicators", {"统计数据质量", "统计执法检查"}}},
       {{"id", "rivers"}, {"name", "河长制考核"}, {"lead", "gx-water"}, {"indicators", kRivers}},
       {{"id", "secrets"}, {"name", "保密工作考核"}, {"lead", "自治区国家保密局"}, {"indicators", {"保密检查"}}}});

  // A directory that does not exist, or a units that is not a name, imports nothing.
  for (const Json& bad : {Json("units/none"), Json(""), Json(7)}) {
    INFO(bad.dump());
    auto refused = rig.Run(Cmd("registry/book/2026", "import", Admin(), {{"items", items}, {"units", bad}}));
    CHECK_FALSE(refused.accepted);
    CHECK_THAT(refused.refusal.message(), Catch::Contains("nothing was imported"));
    CHECK(ListItems(&rig.store)->empty());
  }

  auto imported = rig.Accept(
      Cmd("registry/book/2026", "import", Admin(), {{"items", items}, {"units", "units/guangxi"}}));
  const Json& leads = imported.result["leads"];
  CHECK(leads["directory"] == "units/guangxi");
  CHECK(leads["resolved"] == Json({{"自治区统计局", "gx-statistics"}, {"水利厅", "gx-water"}}));
  // An unknown department and a short name two units share are kept as written.
  CHECK(leads["not_in_directory"] == Json({"水利局", "自治区国家保密局"}));
  CHECK(rig.Get("stats").data["lead"] == "gx-statistics");
  CHECK(rig.Get("stats").data["co_leads"] == Json({"gx-water", "水利局", "自治区国家保密局"}));
  CHECK(rig.Get("rivers").data["lead"] == "gx-water");
  CHECK(rig.Get("secrets").data["lead"] == "自治区国家保密局");

  // The statistics bureau's clerk (a user of unit gx-statistics) applies: the quota counts
  // its imported item and its application under one lead.
  REQUIRE(rig.Apply("stats-2", "gx-statistics", "统计基层基础建设考核", {"统计基础工作规范化"}).accepted);
  const Json quota = *rig.service.Quota(2026);
  CHECK(quota["leads"]["gx-statistics"]["licensed"] == 1);
  CHECK(quota["leads"]["gx-statistics"]["pending"] == 1);
  CHECK_FALSE(quota["leads"].contains("自治区统计局"));
  // The clerk files new indicators for the imported item as its lead; a clerk of the
  // department's name, as the import spelled it, is another unit now.
  const Json filing{{"indicators", {"统计数据质量"}}, {"scoring_rules", "按差错率扣分"}};
  CHECK(rig.Accept(Cmd("stats", "file", Lead("gx-statistics"), filing)).result["filing_version"] == 2);
  CHECK(rig.Run(Cmd("stats", "file", Lead("自治区统计局"), filing)).refusal.code() == Code::kForbidden);
}

TEST_CASE("ValidateImportItems names the index and the field") {
  struct Case {
    Json items;
    std::string says;
  };
  const std::vector<Case> cases = {
      {Json::object(), "JSON array"},
      {Json::array({1}), "item [0] must be an object"},
      {Json::array({{{"lead", "a"}, {"indicators", {"x"}}}}), "item [0]: \"name\" is missing"},
      {Json::array({{{"name", "n"}, {"lead", 3}, {"indicators", {"x"}}}}), "item [0]: \"lead\" must be"},
      {Json::array({{{"name", "n"}, {"lead", "a"}, {"indicators", {"x"}}},
                    {{"name", "n"}, {"lead", "a"}, {"indicators", "x"}}}),
       "item [1]: \"indicators\" must be"},
      {Json::array({{{"name", "n"}, {"lead", "a"}, {"indicators", {"x", 2}}}}), "item [0]: \"indicators\""},
      {Json::array({{{"name", "n"}, {"lead", "a"}, {"indicators", {"x"}}, {"valid_to", "2026-02-30"}}}),
       "item [0]: \"valid_to\""},
      {Json::array({{{"name", "n"}, {"lead", "a"}, {"indicators", {"x"}}, {"id", "a/b"}}}), "item [0]: \"id\""},
  };
  for (const auto& c : cases) {
    INFO(c.items.dump());
    Status s = ValidateImportItems(c.items);
    CHECK(s.code() == Code::kInvalidArgument);
    CHECK_THAT(s.message(), Catch::Contains(c.says));
  }
  CHECK(ValidateImportItems(Json::array({{{"name", "n"}, {"lead", "a"}, {"indicators", {"x"}}}})).ok());
}

TEST_CASE("the registry replayed from the journal equals the live state") {
  RegistryRig rig;
  rig.ApplyAndLicense("r1", "自治区市场监管局", "食品安全考核", kFood);
  rig.Apply("r2", "自治区卫生健康委", "食品安全监管考评", {"食品抽检合格率", "餐饮服务量化分级"});
  rig.Apply("r3", "自治区水利厅", "河长制考核", kRivers);
  rig.Accept(Cmd("r1", "merge", Office(), {{"absorb", {"r2"}}}));
  rig.Run(Cmd("r3", "approve", Lead("自治区水利厅")));  // refused, journaled
  rig.Accept(Cmd("r3", "reject", Office(), {}, "与河湖长制考核重复"));
  rig.Accept(Cmd("registry/book/2026", "configure", Admin(), {{"quota", {{"overall", 9}}}}));
  auto events = rig.store.ReadJournal(0, 10000);
  REQUIRE(events.ok());
  auto replayed = Replay(*events);
  REQUIRE(replayed.ok());
  MemoryState live = rig.store.Snapshot();
  CHECK(replayed->instances == live.instances);
  CHECK(replayed->timers == live.timers);
  // A fresh service loaded from the store sees what the live one sees.
  RegistryService fresh(&rig.store, &rig.engine, testing::TestConfig());
  REQUIRE(fresh.Load().ok());
  CHECK(fresh.indexed() == rig.service.indexed());
}

}  // namespace
}  // namespace govassess::registry

namespace govassess::registry {
namespace {

TEST_CASE("the default merge threshold keeps different objects apart and collapses variants") {
  const RegistryConfig config;
  const TextNormalizer normalizer(config.duplicate.ToNormalizerOptions());
  auto dice = TextSimilarity(normalizer, "食品抽检合格率", "药品抽检合格率");
  REQUIRE(dice.ok());
  CHECK(*dice == Approx(5.0 / 6.0));
  CHECK(*dice < config.merge_threshold);
  auto merged = MergeIndicators({"食品抽检合格率", "2026年食品安全风险监测"},
                                {"药品抽检合格率", "食品安全风险监测。", "ＡＢＣ覆盖率"},
                                config.merge_threshold, normalizer);
  REQUIRE(merged.ok());
  CHECK(*merged == std::vector<std::string>{"食品抽检合格率", "2026年食品安全风险监测",
                                            "药品抽检合格率", "ＡＢＣ覆盖率"});
}

TEST_CASE("ParseRegistryConfig reads the configuration and names bad fields") {
  auto c = ParseRegistryConfig(
      {{"quota", {{"overall", nullptr}, {"per_lead", 2}}}, {"licence_format", "桂专〔{year}〕{seq}"},
       {"validity_years", 3}, {"merge_threshold", 0.9}});
  REQUIRE(c.ok());
  CHECK_FALSE(c->quota.overall.has_value());
  CHECK(c->quota.per_lead == 2);
  CHECK(c->validity_years == 3);
  CHECK(FormatLicenceNumber(c->licence_format, 2027, 12) == "桂专〔2027〕12");
  for (const Json& bad : {Json{{"licence_format", "no sequence"}}, Json{{"quota", {{"per_lead", "x"}}}},
                          Json{{"validity_years", 0}}, Json{{"colour", 1}}}) {
    INFO(bad.dump());
    auto r = ParseRegistryConfig(bad);
    CHECK(r.status().code() == Code::kInvalidArgument);
  }
}

}  // namespace
}  // namespace govassess::registry

namespace govassess::registry {
namespace {

TEST_CASE("expire refuses an item that holds no licence, and unknown commands list the known") {
  const SpecialAssessmentWorkflow workflow(testing::TestConfig());
  Instance item;
  item.id = "registry/item/x1";
  item.type = "special_assessment";
  item.state = "licensed";
  item.version = 4;
  item.data = {{"name", "食品安全考核"}, {"decisions", Json::array()}};  // the licence is gone
  DecideContext ctx;
  ctx.now_ms = MsOf(2027, 1, 1);

  Command expire;
  expire.instance_id = item.id;
  expire.name = "expire";
  expire.actor = Actor::System("timer");
  const Decision d = workflow.Decide(item, expire, ctx);
  CHECK_FALSE(d.accepted);
  CHECK(d.reason.find("no licence") != std::string::npos);

  Command bogus = expire;
  bogus.name = "explode";
  bogus.actor = Office();
  const Decision u = workflow.Decide(item, bogus, ctx);
  CHECK_FALSE(u.accepted);
  CHECK(u.reason.find("\"explode\"") != std::string::npos);
  CHECK(u.reason.find("commands: create, revise, submit") != std::string::npos);
}

}  // namespace
}  // namespace govassess::registry

namespace govassess::registry {
namespace {

TEST_CASE("an application's id is one plain segment: slashes, spaces and other text are refused") {
  RegistryRig rig;
  const Json p{{"name", "某专项考核"}};
  const std::vector<std::string> bad_ids = {
      "registry/item/a/b", "registry/item/te st", "registry/item/营商", "registry/item/",
      "registry/item/" + std::string(65, 'x'), "registry/item/a%2Fb"};
  for (const std::string& bad : bad_ids) {
    INFO(bad);
    const int64_t before = rig.store.Head()->seq;
    auto r = rig.Run(Cmd(bad, "create", Lead("自治区发展改革委"), p));
    CHECK_FALSE(r.accepted);
    CHECK_THAT(r.refusal.message(), Catch::Contains("1 to 64 letters, digits"));
    CHECK(rig.store.Head()->seq == before + 1);  // the refusal is journaled, nothing else
    CHECK(rig.store.Get(bad).status().IsNotFound());
  }
  for (const std::string& good :
       std::vector<std::string>{"2026-food", "a1", "x.y_z-1", std::string(64, 'x')}) {
    INFO(good);
    CHECK(rig.Run(Cmd(good, "create", Lead("自治区发展改革委"), p)).accepted);
  }
}

}  // namespace
}  // namespace govassess::registry
