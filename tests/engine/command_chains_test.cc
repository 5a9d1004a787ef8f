#include "engine/command_chains.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/memory_store.h"
#include "engine/replay.h"
#include "tests/engine/store_contract.h"

using namespace govassess;
using govassess::testing::Cmd;
using govassess::testing::Rig;
using govassess::testing::SlowStore;

namespace {

std::string Id(size_t n) { return "c" + std::to_string(n); }

}  // namespace

TEST_CASE("command chains run each chain in order, in one thread, and share commits") {
  Rig rig(std::make_unique<SlowStore>(std::chrono::microseconds(300)));
  constexpr size_t kChains = 40, kSteps = 12;
  for (size_t c = 0; c < kChains; ++c) rig.Run(Cmd(Id(c), "create"));
  const int64_t seq_before = rig.HeadSeq();
  const int64_t tx_before = rig.engine.committer().transactions();
  const int64_t batches_before = rig.engine.committer().batches();

  std::mutex mu;
  std::map<size_t, std::vector<size_t>> asked, answered;  // chain → steps, in call order
  std::map<size_t, std::set<std::thread::id>> threads;     // chain → threads that saw it
  std::atomic<int> in_flight{0}, most_in_flight{0}, wrong{0};
  CommandChains::Options options;
  options.threads = 2;
  options.in_flight = 8;
  CommandChains::Run(
      &rig.engine, kChains,
      [&](size_t chain, size_t step) -> std::optional<Command> {
        std::lock_guard<std::mutex> lock(mu);
        asked[chain].push_back(step);
        threads[chain].insert(std::this_thread::get_id());
        if (step == kSteps) return std::nullopt;
        const int now = ++in_flight;
        if (now > most_in_flight) most_in_flight = now;
        return Cmd(Id(chain), "step", {{"note", int(step)}});
      },
      [&](size_t chain, size_t step, const Result<CommandResult>& r) {
        std::lock_guard<std::mutex> lock(mu);
        --in_flight;
        answered[chain].push_back(step);
        threads[chain].insert(std::this_thread::get_id());
        // Each answer is the instance one version on, with the step's own note.
        if (!r.ok() || !r->accepted || r->instance().version != int64_t(step) + 2) ++wrong;
        return true;
      },
      options);

  CHECK(wrong == 0);
  CHECK(in_flight == 0);
  CHECK(most_in_flight <= 8);
  CHECK(most_in_flight > 1);
  std::vector<size_t> all_steps, answered_steps;
  for (size_t s = 0; s <= kSteps; ++s) all_steps.push_back(s);
  for (size_t s = 0; s < kSteps; ++s) answered_steps.push_back(s);
  for (size_t c = 0; c < kChains; ++c) {
    INFO("chain " << c);
    CHECK(asked[c] == all_steps);  // each step asked once, in order, then the end
    CHECK(answered[c] == answered_steps);
    CHECK(threads[c].size() == 1);  // one thread per chain
    auto stored = rig.store->Get(Id(c));
    REQUIRE(stored.ok());
    CHECK(stored->data["count"] == int(kSteps));
    CHECK(stored->data["last_note"] == int(kSteps) - 1);
  }
  CHECK(rig.HeadSeq() - seq_before == int64_t(kChains * kSteps));  // one event per command
  // The commits were shared. The committer counts a group before answering it, so with
  // every answer in, every batch is counted.
  CHECK(rig.engine.committer().batches() - batches_before == int64_t(kChains * kSteps));
  CHECK(rig.engine.committer().transactions() - tx_before < int64_t(kChains * kSteps) / 2);
  testing::CheckLiveEqualsReplay(rig.store.get());
}

TEST_CASE("command chains end a chain when told, pass over empty ones, and answer errors") {
  Rig rig(std::make_unique<MemoryStore>());
  for (size_t c = 0; c < 6; ++c) rig.Run(Cmd(Id(c), "create"));
  std::mutex mu;
  std::map<size_t, std::vector<std::string>> seen;  // chain → "step:outcome"
  CommandChains::Options options;
  options.threads = 3;
  options.in_flight = 20;  // more places than chains
  CommandChains::Run(
      &rig.engine, 6,
      [&](size_t chain, size_t step) -> std::optional<Command> {
        if (chain == 2) return std::nullopt;  // nothing to do
        if (step >= 3) return std::nullopt;
        if (chain == 3 && step == 0) return Cmd(Id(chain), "");  // malformed: no name
        if (chain == 4 && step == 1) return Cmd(Id(chain), "step", {{"refuse", true}});
        return Cmd(Id(chain), "step");
      },
      [&](size_t chain, size_t step, const Result<CommandResult>& r) {
        std::lock_guard<std::mutex> lock(mu);
        seen[chain].push_back(std::to_string(step) + ":" +
                              (!r.ok() ? CodeName(r.status().code()) : r->accepted ? "ok" : "refused"));
        return !(chain == 5 && step == 0);  // chain 5 stops after its first answer
      },
      options);
  CHECK(seen.count(2) == 0);
  CHECK(seen[0] == std::vector<std::string>{"0:ok", "1:ok", "2:ok"});
  // A command refused before anything was written is answered, and the chain goes on.
  CHECK(seen[3] == std::vector<std::string>{"0:invalid_argument", "1:ok", "2:ok"});
  CHECK(seen[4] == std::vector<std::string>{"0:ok", "1:refused", "2:ok"});
  CHECK(seen[5] == std::vector<std::string>{"0:ok"});
  CHECK(rig.store->Get(Id(3))->data["count"] == 2);
  CHECK(rig.store->Get(Id(5))->data["count"] == 1);

  // No chains at all: nothing is asked, and Run returns.
  bool asked = false;
  CommandChains::Run(
      &rig.engine, 0,
      [&](size_t, size_t) -> std::optional<Command> {
        asked = true;
        return std::nullopt;
      },
      [&](size_t, size_t, const Result<CommandResult>&) { return true; });
  CHECK_FALSE(asked);
}

TEST_CASE("due timers fire without waiting threads: an instance's in due order, once each") {
  auto owned = std::make_unique<SlowStore>(std::chrono::microseconds(300));
  SlowStore* store = owned.get();
  Rig rig(std::move(owned));
  const int64_t now = rig.clock.NowMs();
  constexpr int kInstances = 150;
  for (int i = 0; i < kInstances; ++i) rig.Run(Cmd(Id(i), "create"));
  // Instance c0 has five timers, set out of due order; the others one each.
  for (int k : {3, 1, 4, 0, 2}) {
    rig.Run(Cmd(Id(0), "step",
                {{"timer", {{"id", "c0#t" + std::to_string(k)}, {"due_ms", now + 100 + k}}}}));
  }
  for (int i = 1; i < kInstances; ++i) {
    rig.Run(Cmd(Id(i), "step", {{"timer", {{"id", Id(i) + "#t"}, {"due_ms", now + 50 + i}}}}));
  }
  const int64_t seq_before = rig.HeadSeq();
  const int64_t tx_before = rig.engine.committer().transactions();
  auto fired = rig.engine.FireDueTimers(now + 1000);
  REQUIRE(fired.ok());
  CHECK(*fired == kInstances - 1 + 5);
  CHECK(*rig.store->CountPendingTimers() == 0);
  CHECK(rig.store->Get(Id(0))->data["rings"] == 5);
  for (int i = 1; i < kInstances; ++i) CHECK(rig.store->Get(Id(i))->data["rings"] == 1);
  // Their commits were shared: far fewer transactions than timers.
  CHECK(rig.engine.committer().transactions() - tx_before < *fired / 2);
  // c0's timers were consumed in due order.
  auto events = rig.store->ReadJournal(seq_before, 100000);
  REQUIRE(events.ok());
  std::vector<std::string> c0_order;
  for (const JournalEvent& e : *events) {
    if (e.entity == Id(0)) c0_order.push_back(e.change["timers"]["consumed"][0].get<std::string>());
  }
  CHECK(c0_order == std::vector<std::string>{"c0#t0", "c0#t1", "c0#t2", "c0#t3", "c0#t4"});
  CHECK(rig.engine.FireDueTimers(now + 2000).value() == 0);

  // Storage trouble: the error comes back, and the timers stay pending for a retry.
  for (int i = 1; i < 40; ++i) {
    rig.Run(Cmd(Id(i), "step", {{"timer", {{"id", Id(i) + "#u"}, {"due_ms", now + 3000}}}}));
  }
  store->failing = true;
  auto failed = rig.engine.FireDueTimers(now + 4000);
  CHECK(failed.status().code() == Code::kUnavailable);
  store->failing = false;
  CHECK(*rig.store->CountPendingTimers() == 39);
  CHECK(rig.engine.FireDueTimers(now + 4000).value() == 39);
  testing::CheckLiveEqualsReplay(rig.store.get());
}
