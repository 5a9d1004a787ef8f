#include "engine/engine.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
#include <future>
#include <vector>
#include <utility>

#include "engine/memory_store.h"
#include "engine/timer_loop.h"
#include "tests/engine/store_contract.h"

using namespace govassess;
using govassess::testing::Cmd;
using govassess::testing::Rig;

TEST_CASE("malformed commands are refused before anything is written") {
  Rig rig(std::make_unique<MemoryStore>());
  rig.Run(Cmd("p", "create"));
  struct Case { const char* what; std::function<void(Command&)> spoil; Code code; };
  const std::vector<Case> cases = {
      {"no instance", [](Command& c) { c.instance_id.clear(); }, Code::kInvalidArgument},
      {"no name", [](Command& c) { c.name.clear(); }, Code::kInvalidArgument},
      {"no actor", [](Command& c) { c.actor.user.clear(); }, Code::kInvalidArgument},
      {"payload not an object", [](Command& c) { c.payload = Json::array(); }, Code::kInvalidArgument},
      {"negative version", [](Command& c) { c.expected_version = -1; }, Code::kInvalidArgument},
      {"unknown type", [](Command& c) { c.instance_id = "q"; c.type = "nosuch"; }, Code::kInvalidArgument},
      {"wrong type", [](Command& c) { c.type = "lifecycle"; }, Code::kInvalidArgument},
      {"long key", [](Command& c) { c.idempotency_key = std::string(300, 'k'); }, Code::kInvalidArgument},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    Command cmd = Cmd("p", "step");
    c.spoil(cmd);
    auto r = rig.engine.Execute(cmd);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == c.code);
    CHECK_FALSE(r.status().message().empty());
  }
  CHECK(rig.HeadSeq() == 1);
  CHECK(rig.store->Get("p")->version == 1);
}

TEST_CASE("a timer whose command is refused is still consumed, and the refusal journaled") {
  Rig rig(std::make_unique<MemoryStore>());
  rig.Run(Cmd("p", "create"));
  rig.Run(Cmd("p", "step", {{"timer", {{"id", "r"}, {"due_ms", rig.clock.NowMs()}}}}));
  rig.Run(Cmd("p", "close"));
  CHECK(rig.engine.FireDueTimers(rig.clock.NowMs()).value() == 1);
  CHECK(rig.store->Get("p")->data["rings"] == 0);
  CHECK(*rig.store->CountPendingTimers() == 0);
  auto events = *rig.store->ReadJournal(0, 100);
  CHECK(events.back().outcome == "refused");
  CHECK(events.back().actor.user == "system");
  CHECK(events.back().actor.origin == "timer");
  CHECK(events.back().change["timers"]["consumed"][0] == "r");
  CHECK(rig.engine.FireDueTimers(rig.clock.NowMs()).value() == 0);
}

namespace {

// "watcher": create sets timer "<id>#look" due now; its "look" reads instance "other"
// and records the count it saw. `during` runs once, inside the first decision, before
// it returns: the concurrent change a commit must not overlook.
class WatcherWorkflow final : public Workflow {
 public:
  std::string type() const override { return "watcher"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override {
    if (command.name == "create") {
      Decision d = Decision::Accept("watching", Json{{"seen", nullptr}});
      d.timers_set.push_back(Timer{command.instance_id + "#look", command.instance_id, "look",
                                   context.now_ms, Json::object()});
      return d;
    }
    auto other = context.load("other");
    if (!other.ok()) return Decision::Refuse(other.status().ToString());
    ++decisions;
    if (during) std::exchange(during, nullptr)();
    return Decision::Accept("watching", Json{{"seen", other->data["count"]}});
  }
  mutable std::atomic<int> decisions{0};
  mutable std::function<void()> during;
};

// Notes the version of "other" (version_of, no load) in its data.
class VersionWatcherWorkflow final : public Workflow {
 public:
  std::string type() const override { return "version_watcher"; }
  int version() const override { return 1; }
  Decision Decide(const Instance&, const Command&, const DecideContext& context) const override {
    auto v = context.version_of("other");
    if (!v.ok()) return Decision::Refuse(v.status().ToString());
    ++decisions;
    if (during) std::exchange(during, nullptr)();
    return Decision::Accept("watching", Json{{"other_version", *v}});
  }
  mutable std::atomic<int> decisions{0};
  mutable std::function<void()> during;
};

// "noted": each accepted command asks to note its new version once committed; "refuse"
// is refused (and asks all the same); `during` runs inside the decision.
class NotingWorkflow final : public Workflow {
 public:
  std::string type() const override { return "noted"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext&) const override {
    if (during) std::exchange(during, nullptr)();
    Decision d = command.name == "refuse" ? Decision::Refuse("no")
                                          : Decision::Accept("on", Json::object());
    d.after_commit = [this, v = current.version + 1] { noted.push_back(v); };
    return d;
  }
  mutable std::vector<int64_t> noted;
  mutable std::function<void()> during;
};

}  // namespace

TEST_CASE("version_of answers an instance's version, 0 when absent, checked when the decision commits") {
  MemoryStore store;
  ManualClock clock(1'700'000'000'000);
  Engine a(&store, &clock), b(&store, &clock);  // two processes on one store
  auto watcher = std::make_unique<VersionWatcherWorkflow>();
  VersionWatcherWorkflow* w = watcher.get();
  a.Register(std::move(watcher));
  a.Register(std::make_unique<ProbeWorkflow>());
  b.Register(std::make_unique<ProbeWorkflow>());
  Command look = Cmd("w1", "look");
  look.type = "version_watcher";
  REQUIRE(a.Execute(look)->accepted);
  CHECK(store.Get("w1")->data["other_version"] == 0);
  REQUIRE(a.Execute(Cmd("other", "create"))->accepted);
  REQUIRE(a.Execute(Cmd("other", "step"))->accepted);
  REQUIRE(a.Execute(look)->accepted);
  CHECK(store.Get("w1")->data["other_version"] == 2);
  // Another process moves "other" between the decision and its commit: the decision is
  // taken again and sees the new version.
  w->decisions = 0;
  w->during = [&] { REQUIRE(b.Execute(Cmd("other", "step"))->accepted); };
  REQUIRE(a.Execute(look)->accepted);
  CHECK(w->decisions == 2);
  CHECK(store.Get("w1")->data["other_version"] == 3);
}

TEST_CASE("a timer's command is decided again when what it read moved, not when its timer is gone") {
  MemoryStore store;
  ManualClock clock(1'700'000'000'000);
  Engine a(&store, &clock), b(&store, &clock);  // two processes on one store
  auto watcher = std::make_unique<WatcherWorkflow>();
  WatcherWorkflow* w = watcher.get();
  a.Register(std::move(watcher));
  a.Register(std::make_unique<ProbeWorkflow>());
  b.Register(std::make_unique<ProbeWorkflow>());
  auto b_watcher = std::make_unique<WatcherWorkflow>();
  WatcherWorkflow* bw = b_watcher.get();
  b.Register(std::move(b_watcher));
  REQUIRE(a.Execute(Cmd("other", "create"))->accepted);
  Command create = Cmd("w1", "create");
  create.type = "watcher";
  REQUIRE(a.Execute(create)->accepted);

  SECTION("another process moved the instance it read: decided again, sees the change") {
    w->during = [&] { REQUIRE(b.Execute(Cmd("other", "step"))->accepted); };
    CHECK(a.FireDueTimers(clock.NowMs()).value() == 1);
    CHECK(w->decisions == 2);
    CHECK(store.Get("w1")->data["seen"] == 1);
    CHECK(*store.CountPendingTimers() == 0);
  }
  SECTION("another process fired the timer meanwhile: a Conflict, not decided again") {
    w->during = [&] { CHECK(b.FireDueTimers(clock.NowMs()).value() == 1); };
    auto r = a.Execute(TimerCommand(*store.TimersOf("w1")->begin()));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().IsConflict());
    // b's firing moved w1 too, so the first Conflict is on w1 and the command is
    // decided once more; then its timer is found gone, and it is not decided again.
    CHECK(w->decisions == 2);
    CHECK(bw->decisions == 1);
    CHECK(store.Get("w1")->version == 2);  // fired once, by b
    CHECK(store.Get("w1")->data["seen"] == 0);
  }
}

TEST_CASE("group commit shares transactions between concurrent writers") {
  Rig rig(std::make_unique<testing::SlowStore>(std::chrono::milliseconds(2)));
  for (int t = 0; t < 8; ++t) rig.Run(Cmd("g" + std::to_string(t), "create"));
  const int64_t tx_before = rig.engine.committer().transactions();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        if (!rig.engine.Execute(Cmd("g" + std::to_string(t), "step")).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  const int64_t tx = rig.engine.committer().transactions() - tx_before;
  CHECK(tx < 160);  // 160 commits in fewer transactions
  for (int t = 0; t < 8; ++t) CHECK(rig.store->Get("g" + std::to_string(t))->data["count"] == 20);
}

TEST_CASE("the timer loop fires due timers by itself, once, and stops cleanly") {
  MemoryStore store;
  SystemClock clock;
  Engine engine(&store, &clock);
  engine.Register(std::make_unique<ProbeWorkflow>());
  auto run = [&](const Command& c) { REQUIRE(engine.Execute(c).ok()); };
  run(Cmd("p", "create"));
  // One overdue already (as after a restart), one due shortly.
  run(Cmd("p", "step", {{"timer", {{"id", "late"}, {"due_ms", clock.NowMs() - 60'000}}}}));
  run(Cmd("p", "step", {{"timer", {{"id", "soon"}, {"due_ms", clock.NowMs() + 50}}}}));
  TimerLoop loop(&engine, &clock, /*poll_ms=*/20);
  loop.Start();
  // A functional wait with a generous bound, not a timing assertion.
  for (int i = 0; i < 500 && *store.CountPendingTimers() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  loop.Stop();
  CHECK(*store.CountPendingTimers() == 0);
  CHECK(store.Get("p")->data["rings"] == 2);
  CHECK(loop.fired() == 2);
}

TEST_CASE("simulated time: LiveUntil fires each timer at its own instant, a jump fires late") {
  Rig rig(std::make_unique<MemoryStore>());
  const int64_t t0 = rig.clock.NowMs();
  constexpr int64_t kHour = 3'600'000;
  rig.Run(Cmd("p", "create"));
  rig.Run(Cmd("p", "step", {{"timer", {{"id", "one"}, {"due_ms", t0 + kHour}}}}));
  rig.Run(Cmd("p", "step", {{"timer", {{"id", "two"}, {"due_ms", t0 + 2 * kHour}}}}));
  rig.Run(Cmd("p", "step", {{"timer", {{"id", "ten"}, {"due_ms", t0 + 10 * kHour}}}}));
  auto when_rung = [&] {
    std::vector<int64_t> at;
    const auto journal = rig.store->ReadJournal(0, 1000);
    REQUIRE(journal.ok());
    for (const JournalEvent& e : *journal) {
      if (e.command == "ring") at.push_back(e.ts_ms);
    }
    return at;
  };
  auto fired = LiveUntil(&rig.engine, &rig.clock, t0 + 5 * kHour);
  REQUIRE(fired.ok());
  CHECK(*fired == 2);
  CHECK(when_rung() == std::vector<int64_t>{t0 + kHour, t0 + 2 * kHour});
  CHECK(rig.clock.NowMs() == t0 + 5 * kHour);
  CHECK(*rig.store->CountPendingTimers() == 1);
  // A down time: the clock set on, then what fell due fires at once, late.
  rig.clock.Set(t0 + 20 * kHour);
  fired = FireAllDue(&rig.engine, rig.clock.NowMs());
  REQUIRE(fired.ok());
  CHECK(*fired == 1);
  CHECK(when_rung().back() == t0 + 20 * kHour);
  // Nothing left: living on fires nothing and only moves the clock.
  fired = LiveUntil(&rig.engine, &rig.clock, t0 + 30 * kHour);
  REQUIRE(fired.ok());
  CHECK(*fired == 0);
  CHECK(rig.clock.NowMs() == t0 + 30 * kHour);
}

TEST_CASE("ReadCurrent shares the cached instance until another process writes it") {
  Rig rig(std::make_unique<MemoryStore>());
  rig.Run(Cmd("p", "create"));
  auto first = rig.engine.ReadCurrent("p");
  REQUIRE(first.ok());
  auto again = rig.engine.ReadCurrent("p");
  REQUIRE(again.ok());
  CHECK(again->get() == first->get());  // no re-read, no copy
  // A second engine on the same store stands for another process: this engine's cache
  // does not know its write, ReadCurrent still sees it.
  Engine other(rig.store.get(), &rig.clock);
  other.Register(std::make_unique<ProbeWorkflow>());
  REQUIRE(other.Execute(Cmd("p", "step", {{"note", "elsewhere"}})).ok());
  auto current = rig.engine.ReadCurrent("p");
  REQUIRE(current.ok());
  CHECK((*current)->version == 2);
  CHECK((*current)->data.value("last_note", "") == "elsewhere");
  auto missing = rig.engine.ReadCurrent("nobody");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().IsNotFound());
}

TEST_CASE("after_commit runs once a decision is durable: not for a refusal, a conflict or a replay") {
  MemoryStore store;
  ManualClock clock(1'700'000'000'000);
  Engine a(&store, &clock), b(&store, &clock);  // two processes on one store
  auto noting = std::make_unique<NotingWorkflow>();
  NotingWorkflow* w = noting.get();
  a.Register(std::move(noting));
  b.Register(std::make_unique<NotingWorkflow>());
  Command create = Cmd("n1", "create");
  create.type = "noted";
  REQUIRE(a.Execute(create)->accepted);
  CHECK(w->noted == std::vector<int64_t>{1});

  // Refused: journaled, nothing written, nothing noted.
  auto refused = a.Execute(Cmd("n1", "refuse"));
  REQUIRE(refused.ok());
  CHECK_FALSE(refused->accepted);
  CHECK(w->noted == std::vector<int64_t>{1});

  // Another process writes n1 between the decision and its commit: the first decision
  // conflicts and is not noted; the one taken again is, at the version it wrote.
  w->during = [&] { REQUIRE(b.Execute(Cmd("n1", "step"))->accepted); };
  REQUIRE(a.Execute(Cmd("n1", "step"))->accepted);
  CHECK(store.Get("n1")->version == 3);
  CHECK(w->noted == std::vector<int64_t>{1, 3});

  // A replay answers from the stored reply and notes nothing.
  Command keyed = Cmd("n1", "step");
  keyed.idempotency_key = "once";
  REQUIRE(a.Execute(keyed)->accepted);
  auto replayed = a.Execute(keyed);
  REQUIRE(replayed.ok());
  CHECK(replayed->replayed);
  CHECK(w->noted == std::vector<int64_t>{1, 3, 4});

  // Asynchronously too: once, after the answer's commit.
  std::promise<Result<CommandResult>> answer;
  a.ExecuteAsync(Cmd("n1", "step"),
                 [&](Result<CommandResult> r) { answer.set_value(std::move(r)); });
  REQUIRE(answer.get_future().get()->accepted);
  CHECK(w->noted == std::vector<int64_t>{1, 3, 4, 5});
}
