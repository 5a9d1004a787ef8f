// TimerLoop: fires due timers by themselves, in the background of a running server.
//
// A thread wakes when the earliest pending timer falls due (at the latest every
// `poll_ms`, so timers set by other processes are seen too) and calls
// Engine::FireDueTimers. Firing is exactly once by the engine's design (the firing
// consumes the timer in the same commit), so several processes may each run a loop on
// one database. A timer that fell due while no loop ran fires on the first round.
// Start/Stop are called from one owning thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "engine/engine.h"

namespace govassess {

class TimerLoop {
 public:
  // Not owned; must outlive the loop. `on_error` (optional) hears storage trouble.
  TimerLoop(Engine* engine, const Clock* clock, int64_t poll_ms = 1000,
            std::function<void(const Status&)> on_error = nullptr);
  ~TimerLoop();  // stops
  TimerLoop(const TimerLoop&) = delete;
  TimerLoop& operator=(const TimerLoop&) = delete;

  void Start();
  // Wakes the loop and waits for the round in progress to finish.
  void Stop();
  // Timers fired so far by this loop.
  int64_t fired() const;

 private:
  void Run();

  Engine* const engine_;       // not owned
  const Clock* const clock_;   // not owned
  const int64_t poll_ms_;
  std::function<void(const Status&)> on_error_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  int64_t fired_ = 0;
  std::thread thread_;
};

// Simulated time (the scenario runner, tests): what a running server's loop does, on a
// ManualClock.
//
// Fires what is due at now_ms round after round until a round fires nothing (a firing
// may set a timer due at once: a notice, a reminder chain's next link after a down
// time); at most `max_rounds`. Returns how many fired, or the first storage error.
Result<int> FireAllDue(Engine* engine, int64_t now_ms, int max_rounds = 1000);

// Moves `clock` on to `to_ms` as a running server lives through the time in between:
// every timer fires at its own instant — a reminder due on the 24th goes out on the
// 24th, not late on whatever day the clock is moved to — then whatever is due at
// `to_ms`. (A down time is the clock set on without this: what fell due meanwhile fires
// late, at once.) A timer still pending at its instant after the rounds (it keeps
// conflicting) is left to the rounds at `to_ms`. Returns how many fired.
Result<int> LiveUntil(Engine* engine, ManualClock* clock, int64_t to_ms);

}  // namespace govassess
