#include "engine/group_commit.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

namespace govassess {

namespace {
constexpr int kMaxRounds = 4;              // groups one leader commits before handing the lead on
constexpr int64_t kMaxWaitNs = 2'000'000;  // the longest a leader waits for announced writers
}  // namespace

// A queued writer. A synchronous one waits on its own mutex and condition variable, not
// on mu_: the leader answers it (or hands it the lead) after releasing mu_, so a woken
// writer never queues up behind the leader for mu_ only to return. An asynchronous one
// (CommitAsync) is answered by calling `callback` and is owned by the queue.
struct GroupCommitter::Writer {
  explicit Writer(WriteBatch* b) : batch(b) {}
  WriteBatch* batch;
  std::function<void(CommitOutcome)> callback;  // set: asynchronous
  std::mutex mu;
  std::condition_variable cv;
  CommitOutcome outcome;  // guarded by mu
  bool done = false;      // guarded by mu: outcome is set
  bool lead = false;      // guarded by mu: this writer leads next

  // Called by the leader. The writer cannot return (and destroy this object) before
  // the leader has released mu.
  void Answer(CommitOutcome o) {
    std::lock_guard<std::mutex> l(mu);
    outcome = std::move(o);
    done = true;
    cv.notify_one();
  }
  void HandLead() {
    std::lock_guard<std::mutex> l(mu);
    lead = true;
    cv.notify_one();
  }
};

GroupCommitter::GroupCommitter(Store* store, size_t max_group)
    : store_(store), max_group_(max_group == 0 ? 1 : max_group) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;  // the background thread leads what is queued, then stops
  }
  background_cv_.notify_one();
  if (background_.joinable()) background_.join();
}

void GroupCommitter::PrepareOutsideQueue(WriteBatch* batch) {
  // Serialise what can be serialised before entering the queue: the leader's time is
  // everyone's time. (The engine has usually written the body already.)
  if (batch->event.body_head.empty()) PrepareEventBody(&batch->event);
  store_->Prepare(batch);
}

CommitOutcome GroupCommitter::Commit(WriteBatch* batch) {
  PrepareOutsideQueue(batch);
  Writer self(batch);
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&self);
  if (!leading_) {
    leading_ = true;  // the queue was idle: this writer leads at once
  } else {
    if (leader_waiting_.load()) leader_cv_.notify_one();
    lock.unlock();
    {
      std::unique_lock<std::mutex> own(self.mu);
      self.cv.wait(own, [&] { return self.done || self.lead; });
      if (self.done) return std::move(self.outcome);
    }
    lock.lock();  // handed the lead: still at the front of the queue
  }
  Lead(lock, &self);
  return std::move(self.outcome);
}

void GroupCommitter::CommitAsync(WriteBatch* batch, std::function<void(CommitOutcome)> done) {
  PrepareOutsideQueue(batch);
  auto writer = std::make_unique<Writer>(batch);
  writer->callback = std::move(done);
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(writer.release());
  if (!leading_) {
    leading_ = true;
    LeadInBackground();
  } else if (leader_waiting_.load()) {
    leader_cv_.notify_one();
  }
}

void GroupCommitter::LeadInBackground() {
  background_lead_ = true;
  if (!background_.joinable()) background_ = std::thread([this] { BackgroundLoop(); });
  background_cv_.notify_one();
}

void GroupCommitter::BackgroundLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    background_cv_.wait(lock, [&] { return background_lead_ || stopping_; });
    if (background_lead_) {
      background_lead_ = false;
      Lead(lock, nullptr);
      lock.lock();
      continue;
    }
    return;  // stopping, nothing to lead
  }
}

void GroupCommitter::Lead(std::unique_lock<std::mutex>& lock, Writer* self) {
  // This thread leads. While writers keep arriving it goes on leading for a few more
  // groups: handing the lead to a thread that must first be scheduled costs more, on a
  // busy machine, than the leader's own caller waits. The background thread (no `self`)
  // leads until the queue is empty.
  bool self_answered = self == nullptr;
  for (int round = 0;; ++round) {
    WaitForAnnounced(lock, self != nullptr && self_answered ? 1 : 0);
    std::vector<Writer*> group;
    std::vector<WriteBatch*> batches;
    const size_t n = std::min(queue_.size(), max_group_);
    group.reserve(n);
    batches.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      group.push_back(queue_.front());
      batches.push_back(queue_.front()->batch);
      queue_.pop_front();
    }
    lock.unlock();

    std::vector<CommitOutcome> outcomes(batches.size());
    Status whole;
    const auto started = std::chrono::steady_clock::now();
    try {
      whole = store_->ApplyGroup(batches, &outcomes);
    } catch (const std::exception& e) {
      whole = Status::Unavailable(std::string("commit failed: ") + e.what());
    }
    if (!whole.ok()) {
      for (auto& o : outcomes) o.status = whole;
    }
    const int64_t spent = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count();
    apply_ns_.fetch_add(spent);
    transactions_.fetch_add(1);
    batches_.fetch_add(int64_t(group.size()));
    for (size_t i = 0; i < group.size(); ++i) {
      if (group[i] == self) {
        self->outcome = std::move(outcomes[i]);
        self_answered = true;
      } else if (group[i]->callback) {
        std::unique_ptr<Writer> writer(group[i]);
        writer->callback(std::move(outcomes[i]));
      } else {
        group[i]->Answer(std::move(outcomes[i]));
      }
    }
    lock.lock();
    apply_ewma_ns_ = apply_ewma_ns_ == 0 ? spent : (apply_ewma_ns_ * 7 + spent) / 8;
    if (queue_.empty() || (self != nullptr && round + 1 >= kMaxRounds)) break;
  }
  if (queue_.empty()) {
    leading_ = false;
    lock.unlock();
    return;
  }
  Writer* next = queue_.front();  // leads from here; leading_ stays true
  if (next->callback) {
    LeadInBackground();  // nobody waits to lead for an asynchronous batch
    lock.unlock();
    return;
  }
  lock.unlock();
  next->HandLead();
}

GroupCommitter::Announcement GroupCommitter::Announce() {
  announced_.fetch_add(1);
  return Announcement(this);
}

void GroupCommitter::Withdraw() {
  announced_.fetch_sub(1);
  if (leader_waiting_.load()) {
    std::lock_guard<std::mutex> lock(mu_);
    leader_cv_.notify_one();
  }
}

void GroupCommitter::WaitForAnnounced(std::unique_lock<std::mutex>& lock, int own) {
  // Waiting pays when a transaction costs much more than a writer needs to queue (a
  // slow fsync); the budget shrinks with the transactions, so a fast disk waits little.
  const int64_t budget = std::min(apply_ewma_ns_ / 2, kMaxWaitNs);
  if (budget <= 0) return;
  auto expected = [&] {
    // The leader's own announcement stays until it returns, but after the first round
    // it brings no batch.
    const int announced = announced_.load() - own;
    return std::min(size_t(std::max(announced, 0)), max_group_);
  };
  if (queue_.size() >= expected()) return;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(budget);
  leader_waiting_.store(true);
  while (queue_.size() < expected()) {
    if (leader_cv_.wait_until(lock, deadline) == std::cv_status::timeout) break;
  }
  leader_waiting_.store(false);
}

int64_t GroupCommitter::transactions() const { return transactions_.load(); }

int64_t GroupCommitter::apply_ns() const { return apply_ns_.load(); }

int64_t GroupCommitter::batches() const { return batches_.load(); }

}  // namespace govassess
