// A database in which reminders have already fired, for HTTP tests of the notification
// routes. A server with the system clock never reaches the 2025 instants at which the
// reminder timers fire, so the state is built in-process BEFORE any server starts:
// App::Open with a manual clock, the real workflows, the timers fired day by day at
// Beijing 09:30 and one round of the delivery dispatcher with a fake notifier.
//
// What the database holds (PrepareNotifyDatabase):
//   users (password kNotifyPassword each; language zh-CN unless said):
//     root      admin
//     office-1  office, office@gxjxb.gov.cn
//     auditor-1 auditor
//     nn-clerk  unit gx-nanning, nn-clerk@nanning.gov.cn
//     nn-deputy unit gx-nanning, no mail, language "en"
//     lz-clerk  unit gx-liuzhou, lz@liuzhou.gov.cn
//   the Guangxi unit directory "units/guangxi", the 2025 city cycle "cycle/2025/city"
//   (the shipped 2026 cycle one year back: plan_due 2025-04-30), and
//   "lifecycle/2025/city/gx-nanning" (created 2025-03-03) and
//   "lifecycle/2025/city/gx-liuzhou" (created late, 2025-04-28 10:00); neither plan is
//   ever submitted, so both are marked overdue.
//   The directory: email on, webhook "oa" for gx-nanning.
//   Fired (one notice a day at 09:30, none late): Nanning's plan_due before-5 (04-24),
//   before-3 (04-27, the make-up working Sunday), before-1 (04-29), due (04-30),
//   escalation-1 (05-06, after May Day; to the unit's users and the office) as notices
//   0..4; Liuzhou's before-1, due and escalation-1 as notices 0..2 (the earlier
//   reminders were past when its lifecycle was created).
//   Dispatched on 2025-05-06 10:00: mails succeed except to lz@liuzhou.gov.cn ("550
//   mailbox unavailable", permanent); every webhook post fails permanently ("HTTP 410
//   Gone from the OA bridge"). So 7 deliveries are sent (nn-clerk 5, office-1 2) and 8
//   are incidents (lz-clerk's 3 mails, the 5 webhook posts). No timer is left pending,
//   so a server started on the database fires nothing and sends nothing by itself.
//
// Header-only (tests/CMakeLists.txt builds only *_test.cc). Not thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/cli/app.h"
#include "engine/clock.h"
#include "tests/workflows/lifecycle_fixture.h"
#include "workflows/delivery_dispatcher.h"
#include "workflows/notifier.h"
#include "workflows/notify_directory.h"

namespace govassess::testing {

inline const std::string kNotifyPassword = "correct horse battery staple";

// The users of the prepared database: name → {role, unit}.
inline const std::map<std::string, std::pair<std::string, std::string>>& NotifyUsers() {
  static const std::map<std::string, std::pair<std::string, std::string>> kUsers = {
      {"root", {"admin", ""}},          {"office-1", {"office", ""}},
      {"auditor-1", {"auditor", ""}},   {"nn-clerk", {"unit", "gx-nanning"}},
      {"nn-deputy", {"unit", "gx-nanning"}}, {"lz-clerk", {"unit", "gx-liuzhou"}}};
  return kUsers;
}

// Mails succeed except to lz@liuzhou.gov.cn; webhook posts fail permanently.
class FailingNotifier final : public workflows::Notifier {
 public:
  Status SendEmail(const workflows::OutgoingEmail& e) override {
    ++emails;
    for (const auto& to : e.to) {
      if (to == "lz@liuzhou.gov.cn") return Status::InvalidArgument("550 mailbox unavailable");
    }
    return Status::Ok();
  }
  Status PostWebhook(const workflows::OutgoingWebhook&) override {
    ++hooks;
    return Status::InvalidArgument("HTTP 410 Gone from the OA bridge");
  }
  int emails = 0, hooks = 0;
};

namespace notify_fixture_detail {

inline void Must(Engine* engine, const Actor& actor, const std::string& id, const std::string& name,
                 Json payload, const std::string& type = "") {
  Command c;
  c.instance_id = id;
  c.type = type;
  c.name = name;
  c.actor = actor;
  c.payload = std::move(payload);
  auto r = engine->Execute(c);
  if (!r.ok()) throw std::runtime_error(name + " " + id + ": " + r.status().ToString());
  if (!r->accepted) throw std::runtime_error(name + " " + id + " refused: " + r->refusal.ToString());
}

}  // namespace notify_fixture_detail

// Builds the database described above at `db` (which must not exist). Throws on any
// step that does not go as planned, naming it.
inline void PrepareNotifyDatabase(const std::string& db) {
  using notify_fixture_detail::Must;
  ManualClock clock(BeijingMs("2025-03-03", 9));
  auto opened = App::Open(db, "", &clock);
  if (!opened.ok()) throw std::runtime_error("App::Open: " + opened.status().ToString());
  std::unique_ptr<App> app = std::move(*opened);
  Engine* e = app->engine();
  const Actor setup = Actor::System("test setup");
  const Actor admin{"root", "admin", "", "test"};
  const Actor office{"office-1", "office", "", "test"};

  const std::map<std::string, Json> extra = {
      {"office-1", {{"email", "office@gxjxb.gov.cn"}}},
      {"nn-clerk", {{"email", "nn-clerk@nanning.gov.cn"}}},
      {"nn-deputy", {{"language", "en"}}},
      {"lz-clerk", {{"email", "lz@liuzhou.gov.cn"}}}};
  for (const auto& [name, ru] : NotifyUsers()) {
    Json p{{"username", name}, {"role", ru.first}};
    if (!ru.second.empty()) p["unit"] = ru.second;
    if (auto it = extra.find(name); it != extra.end()) {
      for (const auto& [k, v] : it->second.items()) p[k] = v;
    }
    Must(e, setup, "user/" + name, "create", p, "user");
    Status s = app->auth()->SetPassword(name, kNotifyPassword, setup);
    if (!s.ok()) throw std::runtime_error("SetPassword " + name + ": " + s.ToString());
  }
  Must(e, admin, workflows::kNotifyDirectoryId, "configure",
       {{"email", true}, {"webhooks", {{{"name", "oa"}, {"units", {"gx-nanning"}}}}}}, "directory");
  Must(e, admin, "units/guangxi", "create",
       {{"directory", Json::parse(ReadText(GOVASSESS_SOURCE_DIR "/workflows/data/units-guangxi.json"))}},
       "units");
  Must(e, office, "cycle/2025/city", "create",
       {{"config", CityCycle2025()}, {"units", "units/guangxi"}}, "cycle");
  Must(e, office, "lifecycle/2025/city/gx-nanning", "create", Json::object(), "lifecycle");
  // One firing a day at 09:30 Beijing, from the first reminder to the escalation.
  const std::vector<std::string> days = {"2025-04-24", "2025-04-25", "2025-04-26", "2025-04-27",
                                         "2025-04-28", "2025-04-29", "2025-04-30", "2025-05-01",
                                         "2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05",
                                         "2025-05-06"};
  for (const std::string& day : days) {
    clock.Set(BeijingMs(day, 9, 30));
    auto fired = e->FireDueTimers(clock.NowMs());
    if (!fired.ok()) throw std::runtime_error("FireDueTimers " + day + ": " + fired.status().ToString());
    if (day == "2025-04-28") {
      clock.Set(BeijingMs(day, 10, 0));
      Must(e, office, "lifecycle/2025/city/gx-liuzhou", "create", Json::object(), "lifecycle");
    }
  }
  auto pending = app->store()->CountPendingTimers();
  if (!pending.ok() || *pending != 0) {
    throw std::runtime_error("timers still pending after 2025-05-06: a server would fire them (" +
                             (pending.ok() ? std::to_string(*pending) : pending.status().ToString()) + ")");
  }
  clock.Set(BeijingMs("2025-05-06", 10, 0));
  FailingNotifier notifier;
  workflows::DeliveryDispatcher dispatcher(e, &notifier, "https://jx.example.gov.cn");
  auto report = dispatcher.RunOnce();
  if (!report.ok()) throw std::runtime_error("dispatcher: " + report.status().ToString());
  if (report->sent != 7 || report->incidents != 8) {
    std::string listed;
    InstanceFilter f;
    f.type = "delivery";
    f.limit = 1000;
    if (auto all = app->store()->List(f); all.ok()) {
      for (const Instance& d : *all) listed += "\n  " + d.id + " " + d.state;
    }
    throw std::runtime_error("dispatcher: expected 7 sent and 8 incidents, got " +
                             std::to_string(report->sent) + " sent and " +
                             std::to_string(report->incidents) + " incidents:" + listed);
  }
}

// Copies the database file (and its -wal/-shm companions, if any) from `from` to `to`.
inline void CopyDatabase(const std::string& from, const std::string& to) {
  namespace fs = std::filesystem;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    if (fs::exists(from + suffix)) {
      fs::copy_file(from + suffix, to + suffix, fs::copy_options::overwrite_existing);
    }
  }
}

}  // namespace govassess::testing
