// Reminders fan out to inboxes, mails and webhooks; the dispatcher sends them, retries
// with back-off, raises incidents and sends daily digests. Domain level: MemoryStore,
// manual clock, the real calendar and a recording notifier.
#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/workflows/notify_harness.h"
#include "tests/workflows/timer_driver.h"
#include "workflows/delivery_dispatcher.h"
#include "workflows/notice_text.h"
#include "workflows/notices_workflow.h"

namespace govassess {
namespace {

using testing::BeijingMs;
using testing::LifecycleHarness;
using testing::NotifyHarness;
using testing::StandardUsers;

TEST_CASE("a reminder reaches the unit's users — an escalation also its superior and the office") {
  NotifyHarness h;
  StandardUsers(h);
  h.Configure({{"email", true},
               {"webhooks", {{{"name", "oa"}, {"units", {"gx-nanning"}}},
                             {{"name", "liuzhou-oa"}, {"units", {"gx-liuzhou"}}}}}});
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");

  h.At("2025-04-24", 10);  // 5 working days before 2025-04-30
  CHECK(h.Fire() == 1);
  CHECK(h.States("inbox_item") ==
        std::map<std::string, std::string>{
            {"inbox/nn-clerk/2025/city/gx-nanning/0-plan_due-before-5", "unread"},
            {"inbox/nn-deputy/2025/city/gx-nanning/0-plan_due-before-5", "unread"}});
  CHECK(h.States("delivery") ==
        std::map<std::string, std::string>{
            {"delivery/email/nn-clerk/2025/city/gx-nanning/0-plan_due-before-5", "pending"},
            {"delivery/webhook/oa/2025/city/gx-nanning/0-plan_due-before-5", "pending"}});
  const Instance item = h.Get("inbox/nn-clerk/2025/city/gx-nanning/0-plan_due-before-5");
  CHECK(item.data["urgency"] == "upcoming");
  CHECK(item.data["facts"]["unit_name"] == "南宁市");
  CHECK(item.data["facts"]["working_days"] == 5);
  CHECK(item.data["facts"]["deadline"] == "2025-04-30");

  // The rest, each on its day; the escalation after May Day.
  CHECK(h.LiveUntil("2025-05-06", 10) == 5);  // before-3, before-1, due, the mark, escalation-1
  const auto escalated = h.States("inbox_item", "");
  std::map<std::string, std::string> audiences;
  for (const auto& [iid, state] : escalated) {
    if (iid.find("escalation-1") != std::string::npos) {
      audiences[iid.substr(6, iid.find('/', 6) - 6)] = h.Get(iid).data["audience"].get<std::string>();
    }
  }
  CHECK(audiences == std::map<std::string, std::string>{{"nn-clerk", "unit"},
                                                        {"nn-deputy", "unit"},
                                                        {"gx-leader", "superior"},
                                                        {"office-1", "office"}});
  const Instance notices = h.Get(workflows::NoticesId(id));
  CHECK(notices.data["entries"][4]["superior_unit"] == "gx");
  CHECK(notices.data["entries"][4]["recipients"].size() == 4);
  CHECK(h.Get("inbox/office-1/2025/city/gx-nanning/4-plan_due-escalation-1").data["urgency"] ==
        "overdue");
  // Nothing for Liuzhou or the auditor.
  CHECK(h.States("inbox_item", "inbox/lz-clerk/").empty());
  CHECK(h.States("inbox_item", "inbox/auditor-1/").empty());
  CHECK(h.States("delivery", "delivery/webhook/liuzhou-oa/").empty());
}

TEST_CASE("the office's review reminder reaches the office only — a submitted plan reminds its unit no more") {
  NotifyHarness h;
  StandardUsers(h);
  h.Configure({{"email", true}, {"webhooks", {{{"name", "oa"}, {"units", {"gx-nanning"}}}}}});
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");
  h.At("2025-04-24", 10);
  CHECK(h.Fire() == 1);  // plan_due before-5, to the unit
  REQUIRE(h.Run("unit", "gx-nanning", id, "submit", {{"plan", testing::MinimalCityPlan("gx-nanning")}}).accepted);
  // plan_review before-3, before-1, due; nothing of plan_due.
  CHECK(h.LiveUntil("2025-05-07", 10) == 3);
  CHECK(h.States("inbox_item", "inbox/office-1/") ==
        std::map<std::string, std::string>{
            {"inbox/office-1/2025/city/gx-nanning/1-plan_review-before-3", "unread"},
            {"inbox/office-1/2025/city/gx-nanning/2-plan_review-before-1", "unread"},
            {"inbox/office-1/2025/city/gx-nanning/3-plan_review-due", "unread"}});
  CHECK(h.States("inbox_item", "inbox/nn-clerk/").size() == 1);  // the before-5 only
  CHECK(h.States("inbox_item", "inbox/gx-leader/").empty());
  const Instance item = h.Get("inbox/office-1/2025/city/gx-nanning/3-plan_review-due");
  CHECK(item.data["audience"] == "office");
  CHECK(item.data["facts"]["step"] == "plan_review");
  CHECK(item.data["urgency"] == "due_today");
  const Instance notices = h.Get(workflows::NoticesId(id));
  CHECK(notices.data["entries"][3]["audience"] == "office");
  CHECK(notices.data["entries"][3]["recipients"] == Json::array({"office-1"}));
  CHECK_FALSE(notices.data["entries"][3].contains("escalate_to"));
  // Not the unit's webhook: the review is the office's, and webhooks follow the recipients
  // (a webhook covering the office's unit would carry it).
  CHECK(h.States("delivery", "delivery/webhook/oa/2025/city/gx-nanning/3-plan_review-due").empty());
  CHECK(h.States("delivery", "delivery/webhook/oa/").size() == 1);  // plan_due before-5
  CHECK(h.States("delivery", "delivery/email/office-1/").size() == 3);
  CHECK(h.States("delivery", "delivery/email/nn-clerk/").size() == 1);
}

TEST_CASE("without mail configured only inboxes and webhooks get notices — disabled users none") {
  NotifyHarness h;
  StandardUsers(h);
  Command c;
  c.instance_id = "user/nn-deputy";
  c.name = "disable";
  c.reason = "left the office";
  c.actor = Actor{"root", "admin", "", "test"};
  REQUIRE(h.engine().Execute(c)->accepted);
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");
  h.At("2025-04-24", 10);
  CHECK(h.Fire() == 1);
  CHECK(h.States("inbox_item").size() == 1);
  CHECK(h.States("delivery").empty());
}

TEST_CASE("the dispatcher mails and posts each due delivery once, in the recipient's language") {
  NotifyHarness h;
  StandardUsers(h);
  h.Configure({{"email", true}, {"webhooks", {{{"name", "oa"}}}}});
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");
  h.LiveUntil("2025-05-06", 10);  // the reminders and the overdue mark, each at its instant
  workflows::DeliveryDispatcher dispatcher(&h.engine(), &h.notifier, "https://jx.gxzf.gov.cn");
  auto report = dispatcher.RunOnce();
  REQUIRE(report.ok());
  // 4 notices to nn-clerk, the escalation also to gx-leader and office-1: 6 mails;
  // 5 notices to the webhook "oa".
  CHECK(report->sent == 7 + 5);
  CHECK(h.notifier.emails.size() == 7);
  CHECK(h.notifier.hooks.size() == 5);
  bool english_escalation = false;
  for (const auto& e : h.notifier.emails) {
    CHECK(e.message_id.rfind("delivery/email/", 0) == 0);
    if (e.to == std::vector<std::string>{"office@gxjxb.gov.cn"}) {
      english_escalation = true;
      CHECK(e.subject.find("[Overdue]") != std::string::npos);
      CHECK(e.text.find("https://jx.gxzf.gov.cn/inbox") != std::string::npos);
    } else {
      CHECK(e.subject.find("【") == 0);
    }
  }
  CHECK(english_escalation);
  const Json body = Json::parse(h.notifier.hooks.front().body);
  CHECK(body["type"] == "govassess.reminder");
  CHECK(body["id"] == h.notifier.hooks.front().delivery_id);
  CHECK(body["unit"] == "gx-nanning");
  for (const auto& [did, state] : h.States("delivery")) CHECK(state == "sent");
  // A second round sends nothing.
  REQUIRE(dispatcher.RunOnce().ok());
  CHECK(h.notifier.emails.size() == 7);
  CHECK(h.notifier.hooks.size() == 5);
}

TEST_CASE("retry delays double from the first up to the cap") {
  workflows::RetryPolicy retry;  // 60 s, doubling, at most 6 h
  const std::vector<std::pair<int, int64_t>> table = {
      {1, 60'000}, {2, 120'000}, {5, 960'000}, {9, 15'360'000}, {10, 21'600'000}, {1000, 21'600'000}};
  for (const auto& [failures, delay] : table) {
    INFO(failures);
    CHECK(retry.DelayAfter(failures) == delay);
  }
}

TEST_CASE("a failing webhook is retried with exponential back-off, then becomes an incident") {
  NotifyHarness h;
  StandardUsers(h);
  h.Configure({{"webhooks", {{{"name", "oa"}, {"units", {"gx-nanning"}}}}},
               {"retry", {{"max_attempts", 4}, {"first_delay_ms", 60000}, {"max_delay_ms", 200000}}}});
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");
  h.At("2025-04-24", 10);
  h.Fire();
  h.notifier.answer = [](const std::string&, const std::string&) {
    return Status::Unavailable("HTTP 503 from https://oa.example/hook");
  };
  workflows::DeliveryDispatcher dispatcher(&h.engine(), &h.notifier, "");
  const int64_t t0 = h.clock().NowMs();
  for (int64_t s = 0; s <= 1000; s += 10) {  // a round every 10 s for 1000 s
    h.clock().Set(t0 + s * 1000);
    REQUIRE(dispatcher.RunOnce().ok());
  }
  std::vector<int64_t> offsets;
  for (int64_t t : h.notifier.times) offsets.push_back((t - t0) / 1000);
  // Attempt 1 at once, then 60 s, 120 s and 200 s (capped) later; the 4th failure is
  // an incident and nothing more is tried.
  CHECK(offsets == std::vector<int64_t>{0, 60, 180, 380});
  const std::string did = "delivery/webhook/oa/2025/city/gx-nanning/0-plan_due-before-5";
  Instance d = h.Get(did);
  CHECK(d.state == "incident");
  CHECK(d.data["failures"] == 4);
  CHECK(d.data["last_error"] == "HTTP 503 from https://oa.example/hook");
  CHECK(d.data["history"].size() == 4);

  // A unit may not retry it; the office does, and it goes out.
  CHECK(h.As("nn-clerk", "unit", "gx-nanning", did, "retry").refusal.code() == Code::kForbidden);
  CHECK(h.As("office-1", "office", "", did, "retry").accepted);
  h.notifier.answer = [](const std::string&, const std::string&) { return Status::Ok(); };
  auto report = dispatcher.RunOnce();
  REQUIRE(report.ok());
  CHECK(report->sent == 1);
  CHECK(h.Get(did).state == "sent");
  CHECK(h.Get(did).data["attempts"] == 5);
  // The journal has every attempt: four failures, the retry and the send.
  int failed = 0, sent = 0;
  const auto journal = h.store().ReadJournal(0, 100000);
  REQUIRE(journal.ok());
  for (const JournalEvent& e : *journal) {
    if (e.entity != did) continue;
    failed += e.command == "failed";
    sent += e.command == "sent";
  }
  CHECK(failed == 4);
  CHECK(sent == 1);
}

TEST_CASE("a permanent failure is an incident at once — only the dispatcher records outcomes") {
  NotifyHarness h;
  StandardUsers(h);
  h.Configure({{"email", true}});
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");
  h.At("2025-04-24", 10);
  h.Fire();
  const std::string did = "delivery/email/nn-clerk/2025/city/gx-nanning/0-plan_due-before-5";
  CHECK(h.As("office-1", "office", "", did, "sent").refusal.code() == Code::kForbidden);
  CHECK(h.As("office-1", "office", "", did, "retry").refusal.message() ==
        "only an incident is retried; this delivery is pending");
  h.notifier.answer = [](const std::string&, const std::string&) {
    return Status::InvalidArgument("550 mailbox unavailable");
  };
  workflows::DeliveryDispatcher dispatcher(&h.engine(), &h.notifier, "");
  auto report = dispatcher.RunOnce();
  REQUIRE(report.ok());
  CHECK(report->incidents == 1);
  CHECK(h.Get(did).state == "incident");
}

TEST_CASE("a user who chose the digest gets one mail a day with every notice, most urgent first") {
  NotifyHarness h;
  StandardUsers(h);
  h.Configure({{"email", true}, {"digest_at", "17:30"}});
  CHECK(h.As("nn-clerk", "unit", "gx-nanning", "user/nn-clerk", "set_preferences",
             {{"digest", true}})
            .accepted);
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");
  h.LiveUntil("2025-05-06", 10);  // the reminders and the overdue mark, each at its instant
  const auto held = h.States("delivery", "delivery/email/nn-clerk/");
  REQUIRE(held.size() == 5);
  for (const auto& [did, state] : held) CHECK(state == "held");
  // The dispatcher's first round after them all, at the digest's time: the others' mails
  // go one by one, the clerk's five in one digest.
  workflows::DeliveryDispatcher dispatcher(&h.engine(), &h.notifier, "");
  h.clock().Set(BeijingMs("2025-05-06", 17, 30));
  auto report = dispatcher.RunOnce();
  REQUIRE(report.ok());
  CHECK(report->digests == 1);
  std::vector<workflows::OutgoingEmail> to_clerk;
  for (const auto& e : h.notifier.emails) {
    if (e.to == std::vector<std::string>{"nn-clerk@nanning.gov.cn"}) to_clerk.push_back(e);
  }
  REQUIRE(to_clerk.size() == 1);
  const size_t before = h.notifier.emails.size() - 1;
  const auto& digest = to_clerk.front();
  CHECK(digest.subject.find("5") != std::string::npos);
  // The escalation (most urgent) is listed before the reminders.
  CHECK(digest.text.find("逾期") < digest.text.find("2025年4月30日"));
  for (const auto& [did, state] : h.States("delivery", "delivery/email/nn-clerk/")) {
    CHECK(state == "sent");
  }
  REQUIRE(dispatcher.RunOnce().ok());
  CHECK(h.notifier.emails.size() == before + 1);
}

TEST_CASE("preferences: users set their own — bad addresses and languages are refused") {
  NotifyHarness h;
  StandardUsers(h);
  auto own = h.As("lz-clerk", "unit", "gx-liuzhou", "user/lz-clerk", "set_preferences",
                  {{"email", "new@liuzhou.gov.cn"}, {"language", "en"}});
  CHECK(own.accepted);
  const Json entry = h.Get(workflows::kNotifyDirectoryId).data["users"]["lz-clerk"];
  CHECK(entry["email"] == "new@liuzhou.gov.cn");
  CHECK(entry["language"] == "en");
  CHECK(h.As("nn-clerk", "unit", "gx-nanning", "user/lz-clerk", "set_preferences",
             {{"language", "zh-CN"}})
            .refusal.code() == Code::kForbidden);
  struct Case {
    Json payload;
    std::string why;
  };
  for (const Case& c : std::vector<Case>{
           {{{"email", "not-an-address"}}, "email \"not-an-address\" is not a mail address"},
           {{{"email", "a@b.cn\r\nBcc: x@y.cn"}}, "is not a mail address"},
           {{{"language", "fr"}}, "language is \"zh-CN\" or \"en\", not \"fr\""},
           {{{"digest", "yes"}}, "field \"digest\" must be true or false"},
           {{{"role", "admin"}}, "unknown field \"role\""},
           {Json::object(), "name at least one of email, language, digest"}}) {
    auto r = h.As("lz-clerk", "unit", "gx-liuzhou", "user/lz-clerk", "set_preferences", c.payload);
    INFO(c.payload.dump());
    CHECK_FALSE(r.accepted);
    CHECK_THAT(r.refusal.message(), Catch::Contains(c.why));
  }
  // A user without mail cannot choose the digest.
  auto digest = h.As("nn-deputy", "unit", "gx-nanning", "user/nn-deputy", "set_preferences",
                     {{"digest", true}});
  CHECK(digest.refusal.message() == "a daily digest is mailed: set an email address first");
  // Nothing of the refused changed the directory.
  CHECK(h.Get(workflows::kNotifyDirectoryId).data["users"]["lz-clerk"] == entry);
}

TEST_CASE("notification settings are checked, and only an admin or the server sets them") {
  NotifyHarness h;
  auto as_office = h.As("office-1", "office", "", workflows::kNotifyDirectoryId, "configure",
                        {{"email", true}}, "directory");
  CHECK(as_office.refusal.code() == Code::kForbidden);
  struct Case {
    Json settings;
    std::string why;
  };
  for (const Case& c : std::vector<Case>{
           {{{"webhooks", {{{"name", "Bad Name"}}}}}, "webhooks[0].name: 1 to 40 of a-z, 0-9 and '-'"},
           {{{"webhooks", {{{"name", "a"}}, {{"name", "a"}}}}}, "webhooks[1].name: \"a\" is named twice"},
           {{{"webhooks", {{{"name", "a"}, {"url", "http://x"}}}}}, "webhooks[0]: unknown field \"url\""},
           {{{"digest_at", "25:00"}}, "digest_at is a Beijing time \"HH:MM\""},
           {{{"retry", {{"max_attempts", 0}}}}, "retry.max_attempts is a whole number ≥ 1"},
           {{{"smtp", true}}, "unknown field \"smtp\""}}) {
    auto r = h.As("root", "admin", "", workflows::kNotifyDirectoryId, "configure", c.settings,
                  "directory");
    INFO(c.settings.dump());
    CHECK_FALSE(r.accepted);
    CHECK_THAT(r.refusal.message(), Catch::Contains(c.why));
  }
  h.Configure({{"email", true}});
  auto same = h.As("root", "admin", "", workflows::kNotifyDirectoryId, "configure",
                   {{"email", true}});
  CHECK(same.refusal.message() == "the notification settings are already these");
}

TEST_CASE("an inbox item is marked read only by the user it was sent to") {
  NotifyHarness h;
  StandardUsers(h);
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");
  h.At("2025-04-24", 10);
  h.Fire();
  const std::string item = "inbox/nn-clerk/2025/city/gx-nanning/0-plan_due-before-5";
  CHECK(h.As("nn-deputy", "unit", "gx-nanning", item, "mark_read").refusal.code() ==
        Code::kForbidden);
  CHECK(h.As("nn-clerk", "unit", "gx-nanning", item, "mark_read").accepted);
  CHECK(h.Get(item).state == "read");
  CHECK(h.As("nn-clerk", "unit", "gx-nanning", item, "mark_read").refusal.message() ==
        "the item is already read");
  CHECK(h.As("nn-clerk", "unit", "gx-nanning", item, "mark_unread").accepted);
  CHECK(h.Get(item).state == "unread");
}

// The pending timers of `instance` whose name (the part after '#') starts with `prefix`.
std::vector<std::string> Pending(NotifyHarness& h, const std::string& instance,
                                 const std::string& prefix) {
  const std::vector<Timer> timers = *h.store().TimersOf(instance);
  std::vector<std::string> out;
  for (const Timer& t : timers) {
    const std::string name = t.id.substr(t.id.find('#') + 1);
    if (name.rfind(prefix, 0) == 0) out.push_back(name);
  }
  return out;
}

// Ids of `type` instances that contain `part`.
std::vector<std::string> IdsWith(NotifyHarness& h, const std::string& type, const std::string& part) {
  std::vector<std::string> out;
  for (const auto& [id, state] : h.States(type)) {
    if (id.find(part) != std::string::npos) out.push_back(id);
  }
  return out;
}

TEST_CASE("a server down across the end of the appeal window sends exactly the right notices, whichever timer fires first") {
  // Published Friday 2025-09-26; the window closes at the end of 2025-10-10 (across
  // National Day). Its reminders: before-2 on 09-30, due on 10-10 09:00. The server is
  // down from the evening of 10-09 to Monday 10-13, so on restart the due-day reminder
  // and close_appeal_window fall due together — and the engine fires the timers of the
  // notices and of the lifecycle concurrently, in no fixed order.
  for (const bool close_first : {true, false}) {
    INFO((close_first ? "close_appeal_window first" : "the reminder first"));
    NotifyHarness h;
    StandardUsers(h);
    h.Configure({{"email", true}, {"webhooks", {{{"name", "oa"}, {"units", {"gx-nanning"}}}}}});
    const std::string id = LifecycleHarness::Id("gx-nanning");
    const std::string notices = workflows::NoticesId(id);
    h.ToExecution("gx-nanning");
    h.ToPublished("gx-nanning", "2025-09-26");
    h.LiveUntil("2025-09-30");  // running: the publication's notice and before-2 go out
    REQUIRE(IdsWith(h, "inbox_item", "-appeal_window-before-2").size() == 2);
    const Instance before_down = h.Get(id);
    const size_t entries = h.Get(notices).data["entries"].size();

    h.At("2025-10-13");
    const std::string reminder = notices + "#appeal_window/due";
    const std::string close = id + "#appeal_window";
    if (close_first) {
      // The close cancels the window's reminders before their last one could fire.
      CHECK(testing::FireTimer(h, id, close).accepted);
      CHECK(Pending(h, notices, "appeal_window/").empty());
    } else {
      // "The window closes today", three days after it closed: refused, then it closes.
      const CommandResult remind = testing::FireTimer(h, notices, reminder);
      CHECK_FALSE(remind.accepted);
      CHECK(remind.refusal.message() ==
            "no reminder sent: appeal_window closed at the end of 2025-10-10 (" + id +
                " is published)");
      CHECK(testing::FireTimer(h, id, close).accepted);
    }
    CHECK(h.Get(id).state == "ready_for_ratification");
    CHECK(h.Get(notices).data["entries"].size() == entries);
    CHECK(IdsWith(h, "inbox_item", "appeal_window-due").empty());
    CHECK(IdsWith(h, "delivery", "appeal_window-due").empty());
    CHECK(Pending(h, notices, "appeal_window/").empty());
    CHECK(testing::FireInOrder(h) == 0);
    // The decision does not depend on which version of the lifecycle it reads: decided
    // on the lifecycle as it was before the close, the reminder is refused the same.
    // (Had it been sent on a read that a close then overtook, the commit's version check
    // would have refused it as a Conflict, and the next round would decide again.)
    Command c;
    c.instance_id = notices;
    c.name = "remind";
    c.actor = Actor::System("timer");
    c.payload = testing::ReminderTimer(id, notices, "appeal_window", "due", "2025-10-10",
                                       BeijingMs("2025-10-10", 9))
                    .payload;
    DecideContext ctx;
    ctx.now_ms = h.clock().NowMs();
    ctx.load_shared = [&](const std::string& which) -> Result<std::shared_ptr<const Instance>> {
      if (which == id) return std::make_shared<const Instance>(before_down);
      auto r = h.store().Get(which);
      if (!r.ok()) return r.status();
      return std::make_shared<const Instance>(std::move(*r));
    };
    ctx.load = [&](const std::string& which) -> Result<Instance> {
      auto r = ctx.load_shared(which);
      if (!r.ok()) return r.status();
      return Instance(**r);
    };
    const Decision stale = h.engine().FindWorkflow("notices")->Decide(h.Get(notices), c, ctx);
    CHECK_FALSE(stale.accepted);
    CHECK_THAT(stale.reason, Catch::Contains("appeal_window closed at the end of 2025-10-10"));
  }
}

TEST_CASE("a reminder refused for a closed step reaches no inbox, mail or webhook — only the journal") {
  NotifyHarness h;
  StandardUsers(h);
  h.Configure({{"email", true}, {"webhooks", {{{"name", "oa"}, {"units", {"gx-nanning"}}}}}});
  const std::string id = LifecycleHarness::Id("gx-nanning");
  const std::string notices = workflows::NoticesId(id);
  h.At("2025-03-03");
  h.Run("office", "", id, "create", {}, "", "lifecycle");
  h.At("2025-04-24");
  REQUIRE(h.Fire() == 1);  // before-5
  h.Run("unit", "gx-nanning", id, "submit", {{"plan", testing::MinimalCityPlan("gx-nanning")}});
  // An assessment created by older code keeps its plan_due reminders after submission.
  testing::LegacyCode legacy(h);
  legacy.Plant({testing::ReminderTimer(id, notices, "plan_due", "before-1", "2025-04-30",
                                       BeijingMs("2025-04-29", 9)),
                testing::ReminderTimer(id, notices, "plan_due", "escalation-1", "2025-04-30",
                                       BeijingMs("2025-05-06", 9))});
  const auto items = h.States("inbox_item");
  const auto deliveries = h.States("delivery");
  h.LiveUntil("2025-05-07");
  // The office's review reminders went out (to the office); nothing of plan_due.
  CHECK(IdsWith(h, "inbox_item", "plan_due").size() == 2);  // before-5, to both clerks
  CHECK(IdsWith(h, "delivery", "plan_due").size() == 2);    // its mail and webhook
  CHECK(IdsWith(h, "inbox_item", "plan_review").size() == 3);
  CHECK(h.States("inbox_item").size() == items.size() + 3);
  // The office's three mails; no posts: the unit's webhook does not carry the office's review.
  CHECK(h.States("delivery").size() == deliveries.size() + 3);
  CHECK(h.store().TimersOf(notices)->empty());
  int refused = 0;
  const auto journal = *h.store().ReadJournal(0, 100000);
  for (const JournalEvent& e : journal) {
    if (e.command != "remind" || e.outcome != "refused") continue;
    ++refused;
    CHECK_THAT(e.reason, Catch::StartsWith("no reminder sent: plan_due is done or closed: " + id +
                                           " is submitted"));
  }
  CHECK(refused == 2);
  const Instance recorded = h.Get(notices);  // kept alive for the loop
  for (const Json& e : recorded.data["entries"]) {
    if (e.value("step", "") == "plan_due") CHECK(e["reminder"] == "before-5");
  }
}

// ---------------------------------------------------------------------------------
// Each step's reminders reach its doers (StepDoer): the lead assessors of the plan, the
// office, the committee — not the assessed unit, which can do nothing about them.

// What `user` was sent about Nanning: "<step>-<reminder>" of each inbox item.
std::set<std::string> Got(NotifyHarness& h, const std::string& user) {
  std::set<std::string> out;
  for (const auto& [id, state] : h.States("inbox_item", "inbox/" + user + "/")) {
    const std::string last = id.substr(id.rfind('/') + 1);
    out.insert(last.substr(last.find('-') + 1));
  }
  return out;
}

// Those of `got` about `step`.
std::set<std::string> Of(const std::set<std::string>& got, const std::string& step) {
  std::set<std::string> out;
  for (const std::string& g : got) {
    if (g.rfind(step + "-", 0) == 0) out.insert(g);
  }
  return out;
}

std::set<std::string> Reminders(const std::string& step, std::vector<std::string> names) {
  std::set<std::string> out;
  for (const std::string& n : names) out.insert(step + "-" + n);
  return out;
}

// The recipients of every entry of `step` on Nanning's notices, by reminder.
std::map<std::string, std::set<std::string>> RecipientsByReminder(NotifyHarness& h,
                                                                  const std::string& step) {
  std::map<std::string, std::set<std::string>> out;
  const Instance notices = h.Get(workflows::NoticesId(LifecycleHarness::Id("gx-nanning")));
  for (const Json& e : notices.data["entries"]) {
    if (e.value("step", "") != step) continue;
    std::set<std::string>& r = out[e.value("reminder", "")];
    for (const Json& u : e["recipients"]) r.insert(u.get<std::string>());
  }
  return out;
}

// Lead assessors of Nanning's plan (statistics; one reads English), one of another
// department that leads nothing in it (finance), the committee (digest), webhooks for
// Nanning, for the statistics bureau and for the office.
void DoerUsers(NotifyHarness& h) {
  StandardUsers(h);
  h.User("tj-lead", "lead_assessor", "gx-statistics",
         {{"email", "score@tjj.gxzf.gov.cn"}, {"language", "en"}});
  h.User("fin-lead", "lead_assessor", "gx-finance", {{"email", "score@czt.gxzf.gov.cn"}});
  h.User("committee-1", "committee", "", {{"email", "lg@gxzf.gov.cn"}, {"digest", true}});
  h.Configure({{"email", true},
               {"webhooks", {{{"name", "oa"}, {"units", {"gx-nanning"}}},
                             {{"name", "stats-oa"}, {"units", {"gx-statistics"}}},
                             {{"name", "office-oa"}, {"units", {"gx-performance-office"}}}}}});
}

std::set<std::string> Hooks(NotifyHarness& h, const std::string& hook, const std::string& step) {
  std::set<std::string> out;
  for (const auto& [id, state] : h.States("delivery", "delivery/webhook/" + hook + "/")) {
    if (id.find("-" + step + "-") != std::string::npos) out.insert(id.substr(id.rfind('/') + 1));
  }
  return out;
}

const std::vector<std::string> kAll = {"before-5", "before-3", "before-1", "due", "escalation-1"};

TEST_CASE("lead_scoring_due reminds the lead assessors of the plan, escalated to the office — onsite_verification_due the office — never the unit") {
  NotifyHarness h;
  DoerUsers(h);
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.ToExecution("gx-nanning");  // Nanning's plan: every indicator led by gx-statistics
  h.LiveUntil("2025-11-28");  // the adjustment window's reminders, to the unit
  h.At("2025-12-19");
  REQUIRE(h.Run("office", "", id, "open_self_assessment").accepted);
  h.At("2026-01-08");
  REQUIRE(h.Run("unit", "gx-nanning", id, "submit_self_assessment",
                {{"report", h.ReportFor("gx-nanning")}})
              .accepted);
  // A lead assessor who joins after the reminders were planned gets them: recipients are
  // resolved when a reminder fires, from the directory and the plan as they are then.
  h.User("tj-lead-2", "lead_assessor", "gx-statistics");

  // lead_scoring_due Tuesday 2026-01-20 (escalation 01-21); onsite_verification_due
  // Sunday 01-25 (escalation Monday 01-26).
  h.LiveUntil("2026-01-27");
  const auto scoring = Reminders("lead_scoring_due", kAll);
  CHECK(Got(h, "tj-lead") == scoring);
  CHECK(Got(h, "tj-lead-2") == scoring);
  CHECK(Got(h, "fin-lead").empty());  // leads nothing in Nanning's plan
  CHECK(Got(h, "committee-1").empty());
  // The office: the scoring's escalation, and its own on-site verification.
  const std::set<std::string> office = Got(h, "office-1");
  CHECK(Of(office, "lead_scoring_due") == Reminders("lead_scoring_due", {"escalation-1"}));
  CHECK(Of(office, "onsite_verification_due").size() >= 3);
  CHECK(Of(office, "onsite_verification_due").count("onsite_verification_due-escalation-1") == 1);
  // The unit and its superior hear nothing of either.
  for (const std::string user : {"nn-clerk", "nn-deputy", "gx-leader", "lz-clerk"}) {
    INFO(user);
    CHECK(Of(Got(h, user), "lead_scoring_due").empty());
    CHECK(Of(Got(h, user), "onsite_verification_due").empty());
  }
  CHECK_FALSE(Of(Got(h, "nn-clerk"), "adjustment_window").empty());  // its own step it hears of

  // The unit's notices record them all the same, addressed to their doers.
  const auto by_reminder = RecipientsByReminder(h, "lead_scoring_due");
  CHECK(by_reminder.at("before-5") == std::set<std::string>{"tj-lead", "tj-lead-2"});
  CHECK(by_reminder.at("escalation-1") == std::set<std::string>{"tj-lead", "tj-lead-2", "office-1"});
  for (const auto& [reminder, users] : RecipientsByReminder(h, "onsite_verification_due")) {
    INFO(reminder);
    CHECK(users == std::set<std::string>{"office-1"});
  }
  const Instance notices = h.Get(workflows::NoticesId(id));
  for (const Json& e : notices.data["entries"]) {
    if (e.value("step", "") != "lead_scoring_due") continue;
    CHECK(e["audience"] == "lead_assessor");
    CHECK(e["lead_assessor_units"] == Json::array({"gx-statistics"}));
    CHECK_FALSE(e.contains("superior_unit"));
    if (e["kind"] == "escalation") CHECK(e["escalate_to"] == Json::array({"office"}));
  }

  // Inbox items say whom they are for; mails follow the user's language.
  const std::string prefix = "/2025/city/gx-nanning/";
  std::string before3, escalation;
  for (const auto& [iid, state] : h.States("inbox_item", "inbox/tj-lead" + prefix)) {
    if (iid.find("lead_scoring_due-before-3") != std::string::npos) before3 = iid;
  }
  for (const auto& [iid, state] : h.States("inbox_item", "inbox/office-1" + prefix)) {
    if (iid.find("lead_scoring_due-escalation-1") != std::string::npos) escalation = iid;
  }
  REQUIRE_FALSE(before3.empty());
  REQUIRE_FALSE(escalation.empty());
  const Instance item = h.Get(before3);
  CHECK(item.data["audience"] == "lead_assessor");
  CHECK(h.Get(escalation).data["audience"] == "office");
  CHECK(h.Get(escalation).data["urgency"] == "overdue");
  const workflows::NoticeFacts facts = workflows::NoticeFactsFromJson(item.data["facts"]);
  const workflows::NoticeText en = workflows::RenderNotice(facts, "en");
  INFO(en.subject << "\n" << en.body);
  CHECK(en.subject ==
        "[GovAssess reminder] 南宁市: Scoring by lead assessors due 20 January 2026 - 3 working days left");
  CHECK_THAT(en.body, Catch::Contains("Dear colleague,") &&
                          Catch::Contains("Your scoring of 南宁市 in the 2025 performance assessment of "
                                          "cities is due on Tuesday, 20 January 2026: 3 working days left.") &&
                          Catch::Contains("score the indicators you are responsible for"));
  CHECK_THAT(en.body, !Catch::Contains("Dear colleagues of") && !Catch::Contains("your unit") &&
                          !Catch::Contains("make sure it is met"));
  const workflows::NoticeText zh = workflows::RenderNotice(facts, "zh-CN");
  INFO(zh.subject << "\n" << zh.body);
  CHECK(zh.subject == "【绩效考评提醒】南宁市主考单位考核评分将于2026年1月20日截止，还剩3个工作日");
  CHECK_THAT(zh.body, Catch::Contains("主考单位：") &&
                          Catch::Contains("您负责的南宁市2025年度设区市绩效考评“主考单位考核评分”截止日期为"
                                          "2026年1月20日（星期二），距截止还有3个工作日。") &&
                          Catch::Contains("完成所负责指标的审核评分"));
  CHECK_THAT(zh.body, !Catch::Contains("您单位") && !Catch::Contains("督促") && !Catch::Contains("南宁市："));
  // The office follows the lead assessors up.
  const workflows::NoticeText esc =
      workflows::RenderNotice(workflows::NoticeFactsFromJson(h.Get(escalation).data["facts"]), "en");
  INFO(esc.subject << "\n" << esc.body);
  CHECK(esc.subject == "[Overdue] 南宁市: Scoring by lead assessors 1 working day overdue");
  CHECK_THAT(esc.body, Catch::Contains("for the lead assessors to meet") &&
                           Catch::Contains("Please ask the lead assessors to score the indicators they "
                                           "lead without delay.") &&
                           !Catch::Contains("ask the unit"));
  const workflows::NoticeText esc_zh =
      workflows::RenderNotice(workflows::NoticeFactsFromJson(h.Get(escalation).data["facts"]), "zh-CN");
  CHECK_THAT(esc_zh.body, Catch::Contains("请督促主考单位尽快完成所负责指标的审核评分。") &&
                              !Catch::Contains("该单位"));

  // Mail: to the lead assessors with an address, none to the unit for these steps.
  CHECK(h.Get("delivery/email/tj-lead" + before3.substr(before3.find(prefix))).data["language"] == "en");
  for (const auto& [did, state] : h.States("delivery", "delivery/email/nn-clerk/")) {
    CHECK(did.find("lead_scoring_due") == std::string::npos);
    CHECK(did.find("onsite_verification_due") == std::string::npos);
  }
  CHECK(h.States("delivery", "delivery/email/fin-lead/").empty());
  // Webhooks: the statistics bureau's for its scoring, the office's for the escalation and
  // its verification; Nanning's for neither.
  CHECK(Hooks(h, "oa", "lead_scoring_due").empty());
  CHECK(Hooks(h, "oa", "onsite_verification_due").empty());
  CHECK(Hooks(h, "stats-oa", "lead_scoring_due").size() == 5);
  CHECK(Hooks(h, "stats-oa", "onsite_verification_due").empty());
  CHECK(Hooks(h, "office-oa", "lead_scoring_due").size() == 1);
  CHECK(Hooks(h, "office-oa", "onsite_verification_due").size() == Of(office, "onsite_verification_due").size());

  // The dispatcher mails the lead assessor in English.
  workflows::DeliveryDispatcher dispatcher(&h.engine(), &h.notifier, "https://jx.gxzf.gov.cn");
  REQUIRE(dispatcher.RunOnce().ok());
  bool mailed = false;
  for (const auto& m : h.notifier.emails) {
    if (m.to != std::vector<std::string>{"score@tjj.gxzf.gov.cn"}) continue;
    INFO(m.subject);
    const bool english = m.subject.rfind("[GovAssess reminder] 南宁市: Scoring by lead assessors", 0) == 0 ||
                         m.subject.rfind("[Overdue] 南宁市: Scoring by lead assessors", 0) == 0;
    CHECK(english);
    CHECK_THAT(m.text, Catch::Contains("Your scoring of 南宁市"));
    mailed = true;
  }
  CHECK(mailed);
  for (const auto& m : h.notifier.emails) {
    CHECK(m.to != std::vector<std::string>{"score@czt.gxzf.gov.cn"});
  }
}

TEST_CASE("results_due reminds the office only — ratification_due the committee, escalated to the office") {
  NotifyHarness h;
  DoerUsers(h);
  const std::string id = LifecycleHarness::Id("gx-nanning");
  h.ToExecution("gx-nanning");
  h.At("2025-12-19");
  REQUIRE(h.Run("office", "", id, "open_self_assessment").accepted);
  h.At("2026-01-08");
  REQUIRE(h.Run("unit", "gx-nanning", id, "submit_self_assessment",
                {{"report", h.ReportFor("gx-nanning")}})
              .accepted);
  REQUIRE(h.Run("office", "", id, "record_scores",
                {{"target_types",
                  {{{"target_type", "functional"}, {"raw_score", 90}, {"raw_max", 100}},
                   {{"target_type", "innovation"}, {"raw_score", 90}, {"raw_max", 100}},
                   {{"target_type", "satisfaction"}, {"raw_score", 90}, {"raw_max", 100}},
                   {{"target_type", "special"}, {"registry_item", testing::kSpecialItem},
                    {"indicators", {{{"indicator_id", "special.1.1.1.1"}, {"points", 54}}}}}}}})
              .accepted);
  REQUIRE(h.Run("office", "", id, "finish_audit").accepted);
  // results_due Friday 2026-03-20, escalation Monday 03-23.
  h.LiveUntil("2026-03-23");
  CHECK(Of(Got(h, "office-1"), "results_due") == Reminders("results_due", kAll));
  for (const auto& [reminder, users] : RecipientsByReminder(h, "results_due")) {
    INFO(reminder);
    CHECK(users == std::set<std::string>{"office-1"});
  }
  REQUIRE(h.Run("office", "", id, "publish").accepted);
  // The window (5 working days) closes with 2026-03-30; ratification_due Wednesday
  // 2026-04-15, escalation Thursday 04-16.
  h.LiveUntil("2026-03-27");  // the appeal window's before-2, to the unit
  h.LiveUntil("2026-03-31");  // the window closes: ratification_due is set
  h.LiveUntil("2026-04-16");
  REQUIRE(h.Get(id).state == "ready_for_ratification");
  CHECK(Of(Got(h, "committee-1"), "ratification_due") == Reminders("ratification_due", kAll));
  CHECK(Of(Got(h, "office-1"), "ratification_due") == Reminders("ratification_due", {"escalation-1"}));
  for (const std::string user : {"nn-clerk", "nn-deputy", "gx-leader", "tj-lead", "fin-lead"}) {
    INFO(user);
    CHECK(Of(Got(h, user), "results_due").empty());
    CHECK(Of(Got(h, user), "ratification_due").empty());
  }
  CHECK(Of(Got(h, "committee-1"), "results_due").empty());
  // The unit still hears of its own: the appeal window.
  CHECK_FALSE(Of(Got(h, "nn-clerk"), "appeal_window").empty());
  const auto ratification = RecipientsByReminder(h, "ratification_due");
  CHECK(ratification.at("due") == std::set<std::string>{"committee-1"});
  CHECK(ratification.at("escalation-1") == std::set<std::string>{"committee-1", "office-1"});
  // The committee's digest preference holds: its mails wait for the digest.
  for (const auto& [did, state] : h.States("delivery", "delivery/email/committee-1/")) {
    INFO(did);
    CHECK(state == "held");
  }
  CHECK(h.States("delivery", "delivery/email/committee-1/").size() == 5);
  // The committee reads its own step in the second person; the office follows it up.
  std::string due_item, esc_item;
  for (const auto& [iid, state] : h.States("inbox_item", "inbox/committee-1/")) {
    if (iid.find("ratification_due-due") != std::string::npos) due_item = iid;
  }
  for (const auto& [iid, state] : h.States("inbox_item", "inbox/office-1/")) {
    if (iid.find("ratification_due-escalation-1") != std::string::npos) esc_item = iid;
  }
  REQUIRE_FALSE(due_item.empty());
  REQUIRE_FALSE(esc_item.empty());
  CHECK(h.Get(due_item).data["audience"] == "committee");
  const auto due_facts = workflows::NoticeFactsFromJson(h.Get(due_item).data["facts"]);
  const workflows::NoticeText zh = workflows::RenderNotice(due_facts, "zh-CN");
  INFO(zh.body);
  CHECK_THAT(zh.body, Catch::Contains("考评领导小组：") && Catch::Contains("您负责的南宁市") &&
                          !Catch::Contains("您单位") && !Catch::Contains("提请"));
  const workflows::NoticeText en = workflows::RenderNotice(due_facts, "en");
  INFO(en.body);
  CHECK_THAT(en.body, Catch::Contains("Your ratification of the results of 南宁市 in the 2025 performance "
                                      "assessment of cities is due today, Wednesday, 15 April 2026."));
  const workflows::NoticeText esc =
      workflows::RenderNotice(workflows::NoticeFactsFromJson(h.Get(esc_item).data["facts"]), "en");
  INFO(esc.body);
  CHECK_THAT(esc.body, Catch::Contains("Please ask the assessment committee to deliberate on and "
                                       "ratify the results without delay."));
  // Webhooks: the office's carries the office's step and the escalation; Nanning's neither.
  CHECK(Hooks(h, "oa", "results_due").empty());
  CHECK(Hooks(h, "oa", "ratification_due").empty());
  CHECK(Hooks(h, "office-oa", "results_due").size() == 5);
  CHECK(Hooks(h, "office-oa", "ratification_due").size() == 1);
}

}  // namespace
}  // namespace govassess
