// PeriodicLoop: one piece of background work done in rounds — a round every `poll_ms`,
// and at once after Wake() — in a thread of its own, for as long as a server runs.
// What other processes sharing the database did is seen this way: reminders to send,
// a calendar an admin loaded through another process.
//
// Start/Stop are called from one owning thread; Wake from any. A round's error goes
// to `on_error` (optional) and the rounds go on.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "engine/status.h"

namespace govassess {

class PeriodicLoop {
 public:
  PeriodicLoop(int64_t poll_ms, std::function<Status()> round,
               std::function<void(const Status&)> on_error = nullptr);
  ~PeriodicLoop();  // stops
  PeriodicLoop(const PeriodicLoop&) = delete;
  PeriodicLoop& operator=(const PeriodicLoop&) = delete;

  // The first round runs at once.
  void Start();
  void Wake();
  // Waits for the round in progress to finish; no round starts after.
  void Stop();
  // Rounds finished so far.
  int64_t rounds() const;

 private:
  void Run();

  const int64_t poll_ms_;
  const std::function<Status()> round_;
  const std::function<void(const Status&)> on_error_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  int64_t rounds_ = 0;
  std::thread thread_;
};

}  // namespace govassess
