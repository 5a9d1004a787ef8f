#include "engine/periodic.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace govassess {

PeriodicLoop::PeriodicLoop(int64_t poll_ms, std::function<Status()> round,
                           std::function<void(const Status&)> on_error)
    : poll_ms_(std::max<int64_t>(poll_ms, 1)),
      round_(std::move(round)),
      on_error_(std::move(on_error)) {}

PeriodicLoop::~PeriodicLoop() { Stop(); }

void PeriodicLoop::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void PeriodicLoop::Wake() {
  std::lock_guard<std::mutex> lock(mu_);
  woken_ = true;
  cv_.notify_all();
}

void PeriodicLoop::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

int64_t PeriodicLoop::rounds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rounds_;
}

void PeriodicLoop::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    Status s = round_();
    if (!s.ok() && on_error_) on_error_(s);
    lock.lock();
    ++rounds_;
    cv_.wait_for(lock, std::chrono::milliseconds(poll_ms_), [this] { return stopping_ || woken_; });
  }
}

}  // namespace govassess
