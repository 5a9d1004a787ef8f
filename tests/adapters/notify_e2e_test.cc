// Reminders end to end with real components: the composition the server uses
// (App::Open on SQLite, the notices workflow, the dispatcher, ChannelNotifier), a real
// SMTP server (smtp_sink.py on aiosmtpd) and a real webhook receiver, driven by a
// simulated clock across the 2025 National Day holiday, with a restart in the middle
// and a stretch where the server is down.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <set>

#include "adapters/cli/app.h"
#include "adapters/notify/channel_notifier.h"
#include "adapters/notify/webhook_poster.h"
#include "engine/date.h"
#include "tests/adapters/smtp_sink.h"
#include "tests/adapters/temp_dir.h"
#include "tests/adapters/webhook_receiver.h"
#include "workflows/china_time.h"
#include "workflows/delivery_dispatcher.h"

namespace govassess {
namespace {

using testing::DecodeWithPython;
using testing::Receiver;
using testing::RequireAiosmtpd;
using testing::SmtpSink;
using testing::TempDir;

const char kSecret[] = "oa-bridge-shared-secret-2025";

int64_t Beijing(const std::string& date, int hour, int minute = 0, int second = 0) {
  const Date d = *Date::Parse(date);
  return d.DaysSinceEpoch() * workflows::kMsPerDay + ((hour * 60 + minute) * 60 + second) * 1000 -
         workflows::kBeijingOffsetMs;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The shipped city cycle in 2025, with the plan due right after National Day (a year
// whose plans were delayed): 2025-10-10, a Friday; the mid-year check after it.
Json CycleWithPlanDueAfterNationalDay() {
  std::string text = ReadFile(GOVASSESS_SOURCE_DIR "/workflows/data/cycle-2026-city.json");
  for (auto [from, to] : {std::pair<std::string, std::string>{"2026", "2025"}, {"2027", "2026"}}) {
    for (size_t p = text.find(from); p != std::string::npos; p = text.find(from, p + 4)) {
      text.replace(p, 4, to);
    }
  }
  Json cycle = Json::parse(text);
  cycle["milestones"]["plan_due"] = "2025-10-10";
  cycle["milestones"]["midyear_check"] = {{"from", "2025-10-13"}, {"to", "2025-10-31"}};
  return cycle;
}

// One running "server": the app on the database and the delivery side, on a clock the
// test moves. Destroying it is the server going away.
struct Server {
  Server(const std::string& db, const ManualClock* clock, const notify::NotifyConfig& config) {
    auto opened = App::Open(db, "", clock);
    REQUIRE(opened.ok());
    app = std::move(*opened);
    REQUIRE(notify::SyncNotifySettings(app->engine(), notify::NotifySettings(&config)).ok());
    notifier = std::make_unique<notify::ChannelNotifier>(config, clock);
    dispatcher = std::make_unique<workflows::DeliveryDispatcher>(app->engine(), notifier.get(),
                                                                 config.link_base);
  }
  // What the timer loop and the delivery loop do in one round.
  void Round() {
    for (int fired = 1; fired > 0;) {
      auto r = app->engine()->FireDueTimers(app->engine()->clock()->NowMs());
      REQUIRE(r.ok());
      fired = *r;
    }
    auto sent = dispatcher->RunOnce();
    REQUIRE(sent.ok());
  }
  CommandResult Run(const std::string& instance, const std::string& type, const std::string& name,
                    Json payload) {
    Command c;
    c.instance_id = instance;
    c.type = type;
    c.name = name;
    c.actor = Actor{"root", "admin", "", "test"};
    c.payload = std::move(payload);
    auto r = app->engine()->Execute(c);
    REQUIRE(r.ok());
    INFO(r->refusal.ToString());
    REQUIRE(r->accepted);
    return *r;
  }

  std::unique_ptr<App> app;
  std::unique_ptr<notify::ChannelNotifier> notifier;
  std::unique_ptr<workflows::DeliveryDispatcher> dispatcher;
};

TEST_CASE("notify e2e: reminders across National Day reach real mail and webhook receivers once, through a restart and a down time") {
  RequireAiosmtpd();
  TempDir dir;
  SmtpSink sink(dir);
  Receiver hook({503});  // the first post fails; the retry a minute later succeeds
  const std::string db = dir.Path("govassess.db");
  ManualClock clock(Beijing("2025-09-01", 10));

  notify::NotifyConfig config;
  config.link_base = "https://jx.gxzf.gov.cn";
  notify::SmtpConfig smtp;
  smtp.port = sink.port();
  smtp.from_address = "pmo@gxjxb.gov.cn";
  smtp.from_name = "自治区绩效办";
  config.smtp = smtp;
  notify::WebhookSubscription sub;
  sub.target = {"oa", "http://127.0.0.1:" + std::to_string(hook.port()) + "/hooks/govassess", kSecret};
  sub.units = {"gx-nanning"};
  config.webhooks = {sub};

  auto server = std::make_unique<Server>(db, &clock, config);
  server->Run("units/guangxi", "units", "create",
              {{"directory", Json::parse(ReadFile(GOVASSESS_SOURCE_DIR "/workflows/data/units-guangxi.json"))}});
  server->Run("cycle/2025/city", "cycle", "create",
              {{"config", CycleWithPlanDueAfterNationalDay()}, {"units", "units/guangxi"}});
  server->Run("user/nn-clerk", "user", "create",
              {{"username", "nn-clerk"}, {"role", "unit"}, {"unit", "gx-nanning"},
               {"email", "clerk@nanning.gov.cn"}});
  server->Run("user/gx-leader", "user", "create",
              {{"username", "gx-leader"}, {"role", "leader"}, {"unit", "gx"},
               {"email", "leader@gxzf.gov.cn"}});
  server->Run("user/office-en", "user", "create",
              {{"username", "office-en"}, {"role", "office"}, {"email", "office@gxjxb.gov.cn"},
               {"language", "en"}});
  Command create;
  create.instance_id = "lifecycle/2025/city/gx-nanning";
  create.type = "lifecycle";
  create.name = "create";
  create.actor = Actor{"office-en", "office", "", "test"};
  REQUIRE(server->app->engine()->Execute(create)->accepted);

  // Every day from 25 September to 9 October the server runs: a round at 09:00:30 and
  // another a minute later (when a failed webhook post is retried).
  std::map<std::string, size_t> mails_by_day;
  size_t seen = 0;
  auto day = [&](const std::string& date) {
    clock.Set(Beijing(date, 9, 0, 30));
    server->Round();
    clock.Set(Beijing(date, 9, 1, 30));
    server->Round();
    const size_t now = sink.Received().size();
    if (now > seen) mails_by_day[date] = now - seen;
    seen = now;
  };
  for (const char* d : {"2025-09-25", "2025-09-26", "2025-09-27", "2025-09-28", "2025-09-29"}) day(d);

  // A restart at the same instant sends nothing again.
  server.reset();
  server = std::make_unique<Server>(db, &clock, config);
  server->Round();
  CHECK(sink.Received().size() == seen);

  for (const char* d : {"2025-09-30", "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04",
                        "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08", "2025-10-09"}) {
    day(d);
  }
  // Down from the evening of 9 October to Monday 13 October 10:00: the reminder due on
  // Friday 10 October and the escalation on the make-up working Saturday 11 October
  // fell due meanwhile. Only the later, the escalation, goes out when the server is
  // back, once, marked late; "due today" is passed over (on record, not sent).
  server.reset();
  clock.Set(Beijing("2025-10-13", 10));
  server = std::make_unique<Server>(db, &clock, config);
  server->Round();
  mails_by_day["2025-10-13"] = sink.Received().size() - seen;
  seen = sink.Received().size();
  clock.Set(Beijing("2025-10-14", 10));
  server->Round();
  CHECK(sink.Received().size() == seen);

  // Which reminders went out on which days: 5, 3 and 1 working days before 10 October
  // counted across the holiday (Sunday 28 September is a make-up working day, 1–8
  // October are off), none during the holiday, then the late escalation (to the clerk,
  // the province's leader and the office) on 13 October.
  CHECK(mails_by_day == std::map<std::string, size_t>{{"2025-09-26", 1},
                                                      {"2025-09-29", 1},
                                                      {"2025-10-09", 1},
                                                      {"2025-10-13", 3}});
  std::multiset<std::string> subjects_to;
  for (const Json& m : sink.Received()) {
    const Json shown = DecodeWithPython(m);
    INFO(shown.dump());
    CHECK(shown["defects"].empty());
    const std::string to = shown["to"][0];
    const std::string subject = shown["subject"];
    const std::string body = shown["body"];
    CHECK(body.find("https://jx.gxzf.gov.cn/inbox") != std::string::npos);
    const bool late = body.find("延迟送达") != std::string::npos || body.find("delivered late") != std::string::npos;
    const bool escalation = subject.find("逾期督办") != std::string::npos || subject.find("[Overdue]") != std::string::npos;
    CHECK(late == escalation);
    CHECK(subject.find("今天") == std::string::npos);  // "due today", superseded
    subjects_to.insert(to + (escalation ? " escalation" : " reminder"));
    if (to == "office@gxjxb.gov.cn") CHECK(subject.find("[Overdue]") == 0);
  }
  CHECK(subjects_to == std::multiset<std::string>{
                           "clerk@nanning.gov.cn reminder", "clerk@nanning.gov.cn reminder",
                           "clerk@nanning.gov.cn reminder", "clerk@nanning.gov.cn escalation",
                           "leader@gxzf.gov.cn escalation", "office@gxjxb.gov.cn escalation"});

  // The webhook: four notices, each delivered once (after the first post's 503, the
  // retry a minute later), every post signed; the delivery id repeats only for a retry.
  const auto posts = hook.Requests();
  REQUIRE(posts.size() == 5);
  std::map<std::string, std::vector<int64_t>> attempts;
  for (const auto& p : posts) {
    const std::string ts = p.headers.at("X-GovAssess-Timestamp");
    CHECK(notify::VerifyWebhookSignature(kSecret, ts, p.body, p.headers.at("X-GovAssess-Signature"),
                                         std::stoll(ts)));
    attempts[p.headers.at("Idempotency-Key")].push_back(std::stoll(ts));
    CHECK(Json::parse(p.body)["unit"] == "gx-nanning");
  }
  CHECK(attempts.size() == 4);
  const auto& first = attempts.at("delivery/webhook/oa/2025/city/gx-nanning/0-plan_due-before-5");
  REQUIRE(first.size() == 2);
  CHECK(first[1] - first[0] == 60);
  CHECK(first[0] == Beijing("2025-09-26", 9, 0, 30) / 1000);

  // The journal: every reminder's firing recorded once ("due" too: accepted, sending
  // nothing), every send and the failure journaled, and the chain intact.
  auto journal = server->app->store()->ReadJournal(0, 100000);
  REQUIRE(journal.ok());
  std::map<std::string, int> reminds;
  int sent = 0, failed = 0;
  for (const JournalEvent& e : *journal) {
    if (e.command == "remind" && e.outcome == "accepted") {
      ++reminds[e.payload.value("step", "") + "/" + e.payload.value("reminder", "")];
    }
    sent += e.command == "sent" && e.outcome == "accepted";
    failed += e.command == "failed" && e.outcome == "accepted";
  }
  CHECK(reminds == std::map<std::string, int>{{"plan_due/before-5", 1},
                                              {"plan_due/before-3", 1},
                                              {"plan_due/before-1", 1},
                                              {"plan_due/due", 1},
                                              {"plan_due/escalation-1", 1}});
  CHECK(sent == 6 + 4);
  CHECK(failed == 1);
  const Instance notices = *server->app->store()->Get("notices/2025/city/gx-nanning");
  REQUIRE(notices.data["skipped"].size() == 1);
  CHECK(notices.data["skipped"][0]["reminder"] == "due");
  CHECK(notices.data["skipped"][0]["next"] == "escalation-1");
  CHECK(server->app->store()->VerifyJournal(std::nullopt).ok());
}

}  // namespace
}  // namespace govassess
