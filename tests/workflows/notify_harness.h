// The notification side of the lifecycle tests: LifecycleHarness with the user and
// notification workflows registered, a recording notifier, and the standard users.
// Header-only (tests/CMakeLists.txt builds only *_test.cc). Not thread-safe.
#pragma once

#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/workflows/lifecycle_fixture.h"
#include "workflows/notifier.h"
#include "workflows/notify_directory.h"
#include "workflows/user_workflow.h"

namespace govassess::testing {

// Records what it was asked to send; `answer` decides each outcome.
class RecordingNotifier final : public workflows::Notifier {
 public:
  Status SendEmail(const workflows::OutgoingEmail& e) override {
    emails.push_back(e);
    times.push_back(now());
    return answer("email", e.message_id);
  }
  Status PostWebhook(const workflows::OutgoingWebhook& w) override {
    hooks.push_back(w);
    times.push_back(now());
    return answer("webhook", w.delivery_id);
  }
  std::vector<workflows::OutgoingEmail> emails;
  std::vector<workflows::OutgoingWebhook> hooks;
  std::vector<int64_t> times;
  std::function<int64_t()> now = [] { return int64_t(0); };
  std::function<Status(const std::string&, const std::string&)> answer =
      [](const std::string&, const std::string&) { return Status::Ok(); };
};

// The lifecycle harness with users, the notification directory and a notifier.
class NotifyHarness : public LifecycleHarness {
 public:
  NotifyHarness() {
    engine().Register(std::make_unique<workflows::UserWorkflow>());
    for (auto& w : workflows::MakeNotificationWorkflows()) engine().Register(std::move(w));
    notifier.now = [this] { return clock().NowMs(); };
    SetUpCycle();
  }

  CommandResult As(const std::string& user, const std::string& role, const std::string& unit,
                   const std::string& instance, const std::string& name,
                   Json payload = Json::object(), const std::string& type = "") {
    Command c;
    c.instance_id = instance;
    c.type = type;
    c.name = name;
    c.actor = Actor{user, role, unit, "test"};
    c.payload = std::move(payload);
    auto r = engine().Execute(c);
    REQUIRE(r.ok());
    return *r;
  }

  void User(const std::string& name, const std::string& role, const std::string& unit,
            Json extra = Json::object()) {
    Json p{{"username", name}, {"role", role}};
    if (!unit.empty()) p["unit"] = unit;
    for (auto& [k, v] : extra.items()) p[k] = v;
    auto r = As("root", "admin", "", "user/" + name, "create", p, "user");
    INFO(r.refusal.ToString());
    REQUIRE(r.accepted);
  }

  void Configure(Json settings) {
    auto r = As("root", "admin", "", workflows::kNotifyDirectoryId, "configure", settings, "directory");
    INFO(r.refusal.ToString());
    REQUIRE(r.accepted);
  }

  // Ids of instances of `type` starting with `prefix`, with their state.
  std::map<std::string, std::string> States(const std::string& type, const std::string& prefix = "") {
    InstanceFilter f;
    f.type = type;
    f.id_prefix = prefix;
    std::map<std::string, std::string> out;
    const auto listed = store().List(f);
    REQUIRE(listed.ok());
    for (const Instance& i : *listed) out[i.id] = i.state;
    return out;
  }

  RecordingNotifier notifier;
};

// Nanning's two clerks (one with mail), Liuzhou's clerk, the province's leader (Nanning's
// escalation target is its parent, "gx"), an office user who reads English, an auditor.
inline void StandardUsers(NotifyHarness& h) {
  h.User("nn-clerk", "unit", "gx-nanning", {{"email", "nn-clerk@nanning.gov.cn"}});
  h.User("nn-deputy", "unit", "gx-nanning");
  h.User("lz-clerk", "unit", "gx-liuzhou", {{"email", "lz@liuzhou.gov.cn"}});
  h.User("gx-leader", "leader", "gx", {{"email", "leader@gxzf.gov.cn"}});
  h.User("office-1", "office", "gx-performance-office",
         {{"email", "office@gxjxb.gov.cn"}, {"language", "en"}});
  h.User("auditor-1", "auditor", "", {{"email", "audit@gxjw.gov.cn"}});
}

}  // namespace govassess::testing
