// Group commit: concurrent committers share one durable transaction (one fsync).
//
// The first writer in the queue becomes the leader, takes every batch queued behind
// it (up to max_group), applies them with Store::ApplyGroup and wakes the others. No
// writer returns before the transaction holding its batch is durable. Thread-safe.
//
// Writers may announce themselves before they have a batch (Announce(), e.g. while
// their command is being decided): a leader that sees announced writers not yet queued
// waits for them a little — at most half the time a transaction has been taking — so
// that one fsync serves them too instead of the next one.
//
// CommitAsync queues a batch without waiting: a thread that submits many commands
// (a client driving many instances, timers due by the thousand) is not put to sleep
// and woken once per command. Its batches join the same groups; a thread of the
// committer's own leads when no waiting writer does, and calls each batch's callback
// once its group is durable.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "engine/store.h"

namespace govassess {

class GroupCommitter {
 public:
  // `store` is not owned and must outlive this object.
  explicit GroupCommitter(Store* store, size_t max_group = 512);
  // Waits for the batches queued with CommitAsync to be answered. REQUIRES: nothing is
  // being committed any more.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Blocks until `batch` is durable (or refused as a Conflict / replay).
  CommitOutcome Commit(WriteBatch* batch);

  // Queues `batch` and returns at once; `done` gets what Commit would have returned,
  // called once the batch's group is durable, from the thread that led it. `batch` must
  // stay valid until then. `done` must not block on this committer (no Commit) nor
  // throw; it may call CommitAsync.
  void CommitAsync(WriteBatch* batch, std::function<void(CommitOutcome)> done);

  // Held by a writer from the start of its command until it is answered: says a batch
  // may be on its way. Movable; releasing it is not an error if nothing was committed.
  class Announcement {
   public:
    explicit Announcement(GroupCommitter* c) : c_(c) {}
    Announcement(Announcement&& o) noexcept : c_(o.c_) { o.c_ = nullptr; }
    Announcement(const Announcement&) = delete;
    Announcement& operator=(const Announcement&) = delete;
    ~Announcement() {
      if (c_ != nullptr) c_->Withdraw();
    }

   private:
    GroupCommitter* c_;
  };
  Announcement Announce();

  // Counters for /metrics and benchmarks.
  int64_t transactions() const;
  int64_t batches() const;
  // Wall time spent inside Store::ApplyGroup (the serial part), in nanoseconds.
  int64_t apply_ns() const;

 private:
  struct Writer;
  void Withdraw();
  // What a writer serialises in its own thread before it queues.
  void PrepareOutsideQueue(WriteBatch* batch);
  // REQUIRES: mu_ held by `lock`, this thread leads. Waits (bounded) while announced
  // writers have not queued yet. `own`: announcements of the leader's own (its thread
  // announced, its batch is done) not to wait for.
  void WaitForAnnounced(std::unique_lock<std::mutex>& lock, int own);
  // REQUIRES: mu_ held by `lock`, this thread leads. Commits groups until the queue is
  // empty (or, for a writer leading for its own batch `self`, a few rounds), then hands
  // the lead on. Returns with mu_ released.
  void Lead(std::unique_lock<std::mutex>& lock, Writer* self);
  // REQUIRES: mu_ held. The committer's own thread leads from here.
  void LeadInBackground();
  void BackgroundLoop();

  Store* const store_;  // not owned
  const size_t max_group_;
  mutable std::mutex mu_;
  std::deque<Writer*> queue_;          // writers not yet taken into a group
  bool leading_ = false;               // a leader is at work (or handed the lead on)
  std::condition_variable leader_cv_;  // a waiting leader: a writer queued or withdrew
  std::atomic<int> announced_{0};      // writers between Announce() and answer
  std::atomic<bool> leader_waiting_{false};
  int64_t apply_ewma_ns_ = 0;  // recent ApplyGroup durations; guarded by mu_
  // The committer's own thread, started by the first CommitAsync: leads when a queued
  // asynchronous batch has no waiting writer to lead for it. Guarded by mu_.
  std::thread background_;
  std::condition_variable background_cv_;
  bool background_lead_ = false;  // the background thread is to lead
  bool stopping_ = false;
  // Counted before the group's answers go out: a caller holding its answer sees its
  // group counted.
  std::atomic<int64_t> transactions_{0};
  std::atomic<int64_t> batches_{0};
  std::atomic<int64_t> apply_ns_{0};
};

}  // namespace govassess
