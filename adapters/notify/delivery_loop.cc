#include "adapters/notify/delivery_loop.h"

#include <utility>

namespace govassess::notify {

DeliveryLoop::DeliveryLoop(workflows::DeliveryDispatcher* dispatcher, int64_t poll_ms,
                           std::function<void(const Status&)> on_error)
    : loop_(
          poll_ms,
          [dispatcher] {
            auto report = dispatcher->RunOnce();
            return report.ok() ? Status::Ok() : report.status();
          },
          std::move(on_error)) {}

}  // namespace govassess::notify
