#include "adapters/notify/delivery_loop.h"

#include <chrono>

namespace govassess::notify {

DeliveryLoop::DeliveryLoop(workflows::DeliveryDispatcher* dispatcher, int64_t poll_ms,
                           std::function<void(const Status&)> on_error)
    : dispatcher_(dispatcher), poll_ms_(poll_ms), on_error_(std::move(on_error)) {}

DeliveryLoop::~DeliveryLoop() { Stop(); }

void DeliveryLoop::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void DeliveryLoop::Wake() {
  std::lock_guard<std::mutex> lock(mu_);
  woken_ = true;
  cv_.notify_all();
}

void DeliveryLoop::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void DeliveryLoop::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    auto report = dispatcher_->RunOnce();
    if (!report.ok() && on_error_) on_error_(report.status());
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(poll_ms_), [this] { return stopping_ || woken_; });
  }
}

}  // namespace govassess::notify
