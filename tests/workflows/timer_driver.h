// Timers fired one at a time, in an order the test chooses, and timers and instances as
// older code would have left them. Header-only (tests/CMakeLists.txt builds only
// *_test.cc). Not thread-safe.
//
// Engine::FireDueTimers fires the timers of different instances concurrently, so when a
// lifecycle's timer (mark_overdue, close_appeal_window) and its notices' reminders fall
// due in the same round, a reminder that read the lifecycle before the other commit is
// a Conflict and fires on the next round, after the notices' later reminders. That
// interleaving is the engine's business (engine.h, FireDueTimers); tests about which
// reminders go out fire with FireInOrder (every due timer, earliest first, one at a
// time) or FireTimer (one named timer) instead.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "tests/workflows/lifecycle_fixture.h"

namespace govassess::testing {

// Fires the pending timer `id` (on `instance`) now, consuming it. REQUIREs it pending.
inline CommandResult FireTimer(LifecycleHarness& h, const std::string& instance,
                               const std::string& id) {
  auto timers = h.store().TimersOf(instance);
  REQUIRE(timers.ok());
  for (const Timer& t : *timers) {
    if (t.id != id) continue;
    auto r = h.engine().Execute(TimerCommand(t));
    INFO(id << ": " << r.status().ToString());
    REQUIRE(r.ok());
    return *r;
  }
  FAIL("no pending timer " << id);
  return {};
}

// Fires every timer due now, earliest first, one at a time, until none is due; returns
// how many fired (accepted or refused).
inline int FireInOrder(LifecycleHarness& h) {
  int fired = 0;
  for (;;) {
    auto due = h.store().DueTimers(h.clock().NowMs(), 1);
    REQUIRE(due.ok());
    if (due->empty()) return fired;
    auto r = h.engine().Execute(TimerCommand(due->front()));
    INFO(due->front().id << ": " << r.status().ToString());
    REQUIRE(r.ok());
    ++fired;
  }
}

// A reminder timer as older code planned it, one per reminder (the lifecycle now plans
// one chain per deadline, lifecycle_workflow.cc ReminderChain, with the same ids):
// "<notices>#<step>/<reminder>", command "remind", no "then".
inline Timer ReminderTimer(const std::string& lifecycle, const std::string& notices,
                           const std::string& step, const std::string& reminder,
                           const std::string& deadline, int64_t due_ms) {
  const std::string kind = reminder.rfind("before-", 0) == 0       ? "before"
                           : reminder.rfind("escalation-", 0) == 0 ? "escalation"
                                                                   : "due";
  return Timer{notices + "#" + step + "/" + reminder, notices, "remind", due_ms,
               Json{{"deadline", deadline},
                    {"due_ms", due_ms},
                    {"kind", kind},
                    {"lifecycle", lifecycle},
                    {"reminder", reminder},
                    {"step", step}}};
}

// Sets timers, or writes instances, as older code would have left them: through another
// engine on the same store (another process's worth, as after an upgrade), whose one
// workflow, "legacy", creates "legacy/<n>" and sets or writes them in that commit.
class LegacyCode {
 public:
  explicit LegacyCode(LifecycleHarness& h) : h_(h) {}

  void Plant(std::vector<Timer> timers) { Run(std::move(timers), {}); }

  // Writes `instance` (id, type, state, data) as older code would have left it, over the
  // version it names.
  void Rewrite(Instance instance) {
    InstanceWrite w;
    w.expected_version = instance.version;
    w.after = std::move(instance);
    Run({}, {std::move(w)});
  }

 private:
  void Run(std::vector<Timer> timers, std::vector<InstanceWrite> writes) {
    Engine legacy(&h_.store(), &h_.clock());
    legacy.Register(std::make_unique<Planter>(std::move(timers), std::move(writes)));
    Command c;
    c.instance_id = "legacy/" + std::to_string(++planted_);
    c.type = "legacy";
    c.name = "plant";
    c.actor = Actor::System("older code");
    auto r = legacy.Execute(c);
    REQUIRE(r.ok());
    REQUIRE(r->accepted);
  }

  class Planter final : public Workflow {
   public:
    Planter(std::vector<Timer> timers, std::vector<InstanceWrite> writes)
        : timers_(std::move(timers)), writes_(std::move(writes)) {}
    std::string type() const override { return "legacy"; }
    int version() const override { return 1; }
    Decision Decide(const Instance&, const Command&, const DecideContext&) const override {
      Decision d = Decision::Accept("planted", Json::object());
      d.timers_set = timers_;
      d.other_writes = writes_;
      return d;
    }

   private:
    std::vector<Timer> timers_;
    std::vector<InstanceWrite> writes_;
  };

  LifecycleHarness& h_;
  int planted_ = 0;
};

}  // namespace govassess::testing
