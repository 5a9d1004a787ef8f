#include "engine/group_commit.h"

#include <chrono>
#include <vector>

namespace govassess {

namespace {
constexpr int kMaxRounds = 4;  // groups one leader commits before handing the lead on
}  // namespace

struct GroupCommitter::Writer {
  explicit Writer(WriteBatch* b) : batch(b) {}
  WriteBatch* batch;
  CommitOutcome outcome;
  bool done = false;
  std::condition_variable cv;
};

GroupCommitter::GroupCommitter(Store* store, size_t max_group)
    : store_(store), max_group_(max_group == 0 ? 1 : max_group) {}

CommitOutcome GroupCommitter::Commit(WriteBatch* batch) {
  // Serialise what can be serialised before entering the queue: the leader's time is
  // everyone's time.
  PrepareEventBody(&batch->event);
  store_->Prepare(batch);
  Writer self(batch);
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&self);
  while (!self.done && &self != queue_.front()) self.cv.wait(lock);
  if (self.done) return self.outcome;

  // This writer leads. While writers keep arriving it goes on leading for a few more
  // groups: handing the lead to a thread that must first be scheduled costs more, on a
  // busy machine, than the leader's own caller waits.
  for (int round = 0;; ++round) {
    std::vector<Writer*> group;
    std::vector<WriteBatch*> batches;
    for (Writer* w : queue_) {
      if (group.size() == max_group_) break;
      group.push_back(w);
      batches.push_back(w->batch);
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
    lock.lock();
    apply_ns_ += spent;
    ++transactions_;
    batches_ += int64_t(group.size());
    for (size_t i = 0; i < group.size(); ++i) {
      queue_.pop_front();
      group[i]->outcome = std::move(outcomes[i]);
      group[i]->done = true;
      if (group[i] != &self) group[i]->cv.notify_one();
    }
    if (queue_.empty() || round + 1 >= kMaxRounds) break;
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();
  return self.outcome;
}

int64_t GroupCommitter::transactions() const {
  std::lock_guard<std::mutex> lock(mu_);
  return transactions_;
}

int64_t GroupCommitter::apply_ns() const {
  std::lock_guard<std::mutex> lock(mu_);
  return apply_ns_;
}

int64_t GroupCommitter::batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_;
}

}  // namespace govassess
