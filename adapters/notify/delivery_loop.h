// DeliveryLoop: runs the delivery dispatcher in the background of a running server —
// a round every `poll_ms` (and at once after Wake), so reminders leave within a second
// of being recorded and retries go out when their back-off ends.
// Start/Stop are called from one owning thread; Wake from any.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "workflows/delivery_dispatcher.h"

namespace govassess::notify {

class DeliveryLoop {
 public:
  // Not owned; must outlive the loop. `on_error` (optional) hears storage trouble.
  DeliveryLoop(workflows::DeliveryDispatcher* dispatcher, int64_t poll_ms = 1000,
               std::function<void(const Status&)> on_error = nullptr);
  ~DeliveryLoop();  // stops
  DeliveryLoop(const DeliveryLoop&) = delete;
  DeliveryLoop& operator=(const DeliveryLoop&) = delete;

  void Start();
  void Wake();
  // Waits for the round in progress to finish.
  void Stop();

 private:
  void Run();

  workflows::DeliveryDispatcher* const dispatcher_;  // not owned
  const int64_t poll_ms_;
  std::function<void(const Status&)> on_error_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace govassess::notify
