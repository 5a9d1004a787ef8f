#include "engine/command_chains.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace govassess {
namespace {

// The work of one runner thread: commands to decide and answers to finish, in order.
struct Lane {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::function<void()>> work;  // guarded by mu
  bool idle = false;                       // waiting on cv; guarded by mu
};

// Shared with the engine's answers, by shared_ptr: the leader that hands over the last
// answer may still be leaving its lane's mutex when Run returns.
struct Runner {
  Runner(Engine* e, size_t chains, const CommandChains::Next& n,
         const CommandChains::Answered& a, size_t lanes)
      : engine(e), chain_count(chains), next(n), answered(a), lanes(lanes) {}

  Engine* const engine;
  const size_t chain_count;
  const CommandChains::Next& next;          // outlives the runner's work (Run waits)
  const CommandChains::Answered& answered;  // ditto
  std::deque<Lane> lanes;
  std::atomic<size_t> next_chain{0};  // the first chain not started yet
  std::atomic<size_t> live{0};        // places with a chain in them
  std::atomic<bool> over{false};      // no place has a chain left: the threads may go

  void Post(size_t lane, std::function<void()> work) {
    Lane& l = lanes[lane];
    std::lock_guard<std::mutex> lock(l.mu);
    l.work.push_back(std::move(work));
    if (l.idle) l.cv.notify_one();
  }

  // Runs `chain` from `step` in `lane`: submits its next command, whose answer comes
  // back to this lane. A chain that has no more gives its place to the next chain.
  void Step(size_t lane, size_t chain, size_t step, const std::shared_ptr<Runner>& self) {
    for (;;) {
      std::optional<Command> command = next(chain, step);
      if (command) {
        engine->ExecuteAsync(
            std::move(*command),
            [self, lane, chain, step](Result<CommandResult> result) {
              // In this lane's thread (resumed below), or in it already when the command
              // failed before committing: the chain goes on from the lane's queue, so an
              // answer never calls the next command inside itself.
              const bool go_on = self->answered(chain, step, result);
              self->Post(lane, [self, lane, chain, step, go_on] {
                if (go_on) return self->Step(lane, chain, step + 1, self);
                self->EndChain(lane, self);
              });
            },
            [self, lane](std::function<void()> work) { self->Post(lane, std::move(work)); });
        return;
      }
      chain = next_chain++;
      step = 0;
      if (chain >= chain_count) return Vacate();
    }
  }

  void EndChain(size_t lane, const std::shared_ptr<Runner>& self) {
    const size_t chain = next_chain++;
    if (chain >= chain_count) return Vacate();
    Step(lane, chain, 0, self);
  }

  // A place is left without a chain; the last one lets the threads go.
  void Vacate() {
    if (--live > 0) return;
    over = true;
    for (Lane& l : lanes) {
      std::lock_guard<std::mutex> lock(l.mu);
      l.cv.notify_all();
    }
  }

  void Serve(size_t lane) {
    Lane& l = lanes[lane];
    for (;;) {
      std::function<void()> work;
      {
        std::unique_lock<std::mutex> lock(l.mu);
        l.idle = true;
        l.cv.wait(lock, [&] { return !l.work.empty() || over.load(); });
        l.idle = false;
        if (l.work.empty()) return;  // over, and nothing left to do
        work = std::move(l.work.front());
        l.work.pop_front();
      }
      work();
    }
  }
};

}  // namespace

void CommandChains::Run(Engine* engine, size_t chains, const Next& next, const Answered& answered,
                        const Options& options) {
  if (chains == 0) return;
  const size_t threads = std::max<size_t>(1, options.threads);
  const size_t places = std::min(chains, std::max<size_t>(1, options.in_flight));
  auto runner = std::make_shared<Runner>(engine, chains, next, answered, threads);
  runner->live = places;
  runner->next_chain = places;
  for (size_t p = 0; p < places; ++p) {
    const size_t lane = p % threads;
    runner->Post(lane, [runner, lane, p] { runner->Step(lane, p, 0, runner); });
  }
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back([runner, t] { runner->Serve(t); });
  runner->Serve(0);
  for (std::thread& th : pool) th.join();
}

}  // namespace govassess
