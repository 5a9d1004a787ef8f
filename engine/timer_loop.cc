#include "engine/timer_loop.h"

#include <algorithm>
#include <chrono>

namespace govassess {

TimerLoop::TimerLoop(Engine* engine, const Clock* clock, int64_t poll_ms,
                     std::function<void(const Status&)> on_error)
    : engine_(engine), clock_(clock), poll_ms_(std::max<int64_t>(poll_ms, 10)),
      on_error_(std::move(on_error)) {}

TimerLoop::~TimerLoop() { Stop(); }

void TimerLoop::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void TimerLoop::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t TimerLoop::fired() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fired_;
}

void TimerLoop::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const int64_t now = clock_->NowMs();
    auto fired = engine_->FireDueTimers(now);
    if (!fired.ok() && on_error_) on_error_(fired.status());
    int64_t wait_ms = poll_ms_;
    if (fired.ok() && *fired > 0) {
      wait_ms = 0;  // more may be due: go again at once
    } else if (auto next = engine_->store()->NextTimer(); next.ok() && next->has_value()) {
      wait_ms = std::clamp<int64_t>((*next)->due_ms - clock_->NowMs(), 0, poll_ms_);
    }
    lock.lock();
    if (fired.ok()) fired_ += *fired;
    if (wait_ms > 0) cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stopping_; });
  }
}

Result<int> FireAllDue(Engine* engine, int64_t now_ms, int max_rounds) {
  int fired = 0;
  for (int round = 0; round < max_rounds; ++round) {
    auto n = engine->FireDueTimers(now_ms);
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    fired += *n;
  }
  return fired;
}

Result<int> LiveUntil(Engine* engine, ManualClock* clock, int64_t to_ms) {
  auto fired = FireAllDue(engine, clock->NowMs());  // due before now (a notice due at once)
  if (!fired.ok()) return fired;
  int total = *fired;
  for (;;) {
    auto next = engine->store()->NextTimer();
    if (!next.ok()) return next.status();
    if (!next->has_value() || (*next)->due_ms > to_ms) break;
    if ((*next)->due_ms <= clock->NowMs()) break;  // due, not fired: conflicting; see above
    clock->Set((*next)->due_ms);
    fired = FireAllDue(engine, clock->NowMs());
    if (!fired.ok()) return fired;
    total += *fired;
  }
  clock->Set(to_ms);
  fired = FireAllDue(engine, clock->NowMs());
  if (!fired.ok()) return fired;
  return total + *fired;
}

}  // namespace govassess
