// DeliveryLoop: runs the delivery dispatcher in the background of a running server —
// a round every `poll_ms` (and at once after Wake), so reminders leave within a second
// of being recorded and retries go out when their back-off ends.
// Start/Stop are called from one owning thread; Wake from any.
#pragma once

#include <cstdint>
#include <functional>

#include "engine/periodic.h"
#include "workflows/delivery_dispatcher.h"

namespace govassess::notify {

class DeliveryLoop {
 public:
  // Not owned; must outlive the loop. `on_error` (optional) hears storage trouble.
  DeliveryLoop(workflows::DeliveryDispatcher* dispatcher, int64_t poll_ms = 1000,
               std::function<void(const Status&)> on_error = nullptr);

  void Start() { loop_.Start(); }
  void Wake() { loop_.Wake(); }
  // Waits for the round in progress to finish.
  void Stop() { loop_.Stop(); }

 private:
  PeriodicLoop loop_;
};

}  // namespace govassess::notify
