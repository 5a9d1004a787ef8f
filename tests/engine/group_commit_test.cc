#include "engine/group_commit.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/memory_store.h"
#include "tests/engine/store_contract.h"

using namespace govassess;
using govassess::testing::Cmd;
using govassess::testing::Rig;
using govassess::testing::SlowStore;

TEST_CASE("group commit answers every writer once, in one chain, under many writers") {
  Rig rig(std::make_unique<SlowStore>());
  constexpr int kThreads = 32, kSteps = 25;
  for (int t = 0; t < kThreads; ++t) rig.Run(Cmd("w" + std::to_string(t), "create"));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 1; i <= kSteps; ++i) {
        auto r = rig.engine.Execute(Cmd("w" + std::to_string(t), "step"));
        // Each writer sees its own instance advance one version per command.
        if (!r.ok() || !r->accepted || r->instance().version != i + 1) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  CHECK(rig.engine.committer().batches() == kThreads * (kSteps + 1));
  CHECK(rig.engine.committer().transactions() < kThreads * kSteps);  // shared fsyncs
  auto head = rig.store->VerifyJournal(std::nullopt);
  REQUIRE(head.ok());
  CHECK(head->seq == kThreads * (kSteps + 1));
  auto events = rig.store->ReadJournal(0, 100000);
  REQUIRE(events.ok());
  auto replayed = Replay(*events);
  REQUIRE(replayed.ok());
  for (int t = 0; t < kThreads; ++t) {
    const std::string id = "w" + std::to_string(t);
    CHECK(replayed->instances.at(id) == *rig.store->Get(id));
  }
}

TEST_CASE("a writer announced but never committing does not hold up the others") {
  Rig rig(std::make_unique<SlowStore>());
  for (int t = 0; t < 4; ++t) rig.Run(Cmd("a" + std::to_string(t), "create"));
  GroupCommitter& committer = const_cast<GroupCommitter&>(rig.engine.committer());
  // Announced for the whole test, never queued: leaders wait for it only briefly.
  auto stuck = committer.Announce();
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        if (!rig.engine.Execute(Cmd("a" + std::to_string(t), "step")).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  // 80 commands, each waiting at most about half a transaction for the absent writer.
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
}

namespace {

// Waits until `n` asynchronous answers have arrived.
class Answers {
 public:
  void Add(Result<CommandResult> r) {
    std::lock_guard<std::mutex> lock(mu_);
    results_.push_back(std::move(r));
    cv_.notify_all();
  }
  std::vector<Result<CommandResult>> WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    const bool arrived =
        cv_.wait_for(lock, std::chrono::seconds(30), [&] { return results_.size() >= n; });
    REQUIRE(arrived);
    return results_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Result<CommandResult>> results_;
};

}  // namespace

TEST_CASE("asynchronous commands are answered once each, in order, in shared transactions") {
  Rig rig(std::make_unique<SlowStore>());
  constexpr int kInstances = 16, kSteps = 20, kWaiting = 4;
  for (int i = 0; i < kInstances; ++i) rig.Run(Cmd("q" + std::to_string(i), "create"));
  for (int t = 0; t < kWaiting; ++t) rig.Run(Cmd("s" + std::to_string(t), "create"));
  const int64_t tx_before = rig.engine.committer().transactions();
  std::atomic<int> failures{0};
  Answers finished;
  // Each answer submits the instance's next step from the committing thread; one
  // thread starts them all and never waits for a commit.
  std::function<void(int, int)> step = [&](int i, int n) {
    rig.engine.ExecuteAsync(Cmd("q" + std::to_string(i), "step"), [&, i, n](Result<CommandResult> r) {
      if (!r.ok() || !r->accepted || r->instance().version != n + 1) ++failures;
      if (n < kSteps) {
        step(i, n + 1);
      } else {
        finished.Add(std::move(r));
      }
    });
  };
  // Writers that wait for their commits share the groups meanwhile.
  std::vector<std::thread> waiting;
  for (int t = 0; t < kWaiting; ++t) {
    waiting.emplace_back([&, t] {
      for (int n = 0; n < kSteps; ++n) {
        auto r = rig.engine.Execute(Cmd("s" + std::to_string(t), "step"));
        if (!r.ok() || !r->accepted) ++failures;
      }
    });
  }
  for (int i = 0; i < kInstances; ++i) step(i, 1);
  finished.WaitFor(kInstances);
  for (auto& th : waiting) th.join();
  CHECK(failures == 0);
  for (int i = 0; i < kInstances; ++i) {
    CHECK(rig.store->Get("q" + std::to_string(i))->data["count"] == kSteps);
  }
  const int64_t tx = rig.engine.committer().transactions() - tx_before;
  CHECK(tx < (kInstances + kWaiting) * kSteps / 4);  // groups, not one commit each
  auto head = rig.store->VerifyJournal(std::nullopt);
  REQUIRE(head.ok());
  CHECK(head->seq == kInstances + kWaiting + (kInstances + kWaiting) * kSteps);
  auto replayed = Replay(*rig.store->ReadJournal(0, 100000));
  REQUIRE(replayed.ok());
  for (const auto& [id, instance] : replayed->instances) CHECK(instance == *rig.store->Get(id));
}

TEST_CASE("asynchronous commands are refused, rejected, replayed and retried as Execute does") {
  Rig rig(std::make_unique<SlowStore>());
  rig.Run(Cmd("r", "create"));
  Answers answers;
  auto collect = [&](Result<CommandResult> r) { answers.Add(std::move(r)); };
  // Malformed: answered at once, nothing written.
  Command nameless = Cmd("r", "");
  rig.engine.ExecuteAsync(nameless, collect);
  // Refused by the workflow: journaled as a refusal.
  rig.engine.ExecuteAsync(Cmd("r", "step", {{"refuse", true}}), collect);
  // A stale version: a Conflict, not decided again.
  Command stale = Cmd("r", "step");
  stale.expected_version = 7;
  rig.engine.ExecuteAsync(stale, collect);
  auto first = answers.WaitFor(3);
  REQUIRE_FALSE(first[0].ok());
  CHECK(first[0].status().code() == Code::kInvalidArgument);
  int refused = 0, conflicts = 0;
  for (size_t n = 1; n < 3; ++n) {
    if (first[n].ok() && !first[n]->accepted) {
      ++refused;
      CHECK(first[n]->refusal.message() == "asked to refuse");
    }
    if (!first[n].ok() && first[n].status().IsConflict()) ++conflicts;
  }
  CHECK(refused == 1);
  CHECK(conflicts == 1);
  // Two steps on one instance at once: both decided on version 1, the second commit
  // meets the first and is decided again, so both count.
  rig.engine.ExecuteAsync(Cmd("r", "step"), collect);
  rig.engine.ExecuteAsync(Cmd("r", "step"), collect);
  auto steps = answers.WaitFor(5);
  for (size_t n = 3; n < 5; ++n) {
    REQUIRE(steps[n].ok());
    CHECK(steps[n]->accepted);
  }
  CHECK(rig.store->Get("r")->data["count"] == 2);
  // An idempotency key: the repeat gets the first answer, and nothing is written.
  Command keyed = Cmd("r", "step");
  keyed.idempotency_key = "once";
  rig.engine.ExecuteAsync(keyed, collect);
  auto once = answers.WaitFor(6);
  rig.engine.ExecuteAsync(keyed, collect);
  auto again = answers.WaitFor(7);
  REQUIRE(once[5].ok());
  REQUIRE(again[6].ok());
  CHECK(again[6]->replayed);
  CHECK(again[6]->event.seq == once[5]->event.seq);
  CHECK(rig.store->Get("r")->data["count"] == 3);
  CHECK(rig.store->Head()->seq == 5);  // create, refusal, three steps
}
