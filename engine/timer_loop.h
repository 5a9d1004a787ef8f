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

}  // namespace govassess
