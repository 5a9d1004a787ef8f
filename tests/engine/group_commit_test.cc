#include "engine/group_commit.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "engine/memory_store.h"
#include "tests/engine/store_contract.h"

using namespace govassess;
using govassess::testing::Cmd;
using govassess::testing::Rig;

namespace {

// A store that takes a while per transaction, like an fsync.
class SlowStore : public MemoryStore {
 public:
  Status ApplyGroup(const std::vector<WriteBatch*>& g, std::vector<CommitOutcome>* o) override {
    std::this_thread::sleep_for(std::chrono::microseconds(500));
    return MemoryStore::ApplyGroup(g, o);
  }
};

}  // namespace

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
