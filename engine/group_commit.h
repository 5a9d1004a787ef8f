// Group commit: concurrent committers share one durable transaction (one fsync).
//
// The first writer in the queue becomes the leader, takes every batch queued behind
// it (up to max_group), applies them with Store::ApplyGroup and wakes the others. No
// writer returns before the transaction holding its batch is durable. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

#include "engine/store.h"

namespace govassess {

class GroupCommitter {
 public:
  // `store` is not owned and must outlive this object.
  explicit GroupCommitter(Store* store, size_t max_group = 512);

  // Blocks until `batch` is durable (or refused as a Conflict / replay).
  CommitOutcome Commit(WriteBatch* batch);

  // Counters for /metrics and benchmarks.
  int64_t transactions() const;
  int64_t batches() const;
  // Wall time spent inside Store::ApplyGroup (the serial part), in nanoseconds.
  int64_t apply_ns() const;

 private:
  struct Writer;

  Store* const store_;  // not owned
  const size_t max_group_;
  mutable std::mutex mu_;
  std::deque<Writer*> queue_;
  int64_t transactions_ = 0;
  int64_t batches_ = 0;
  int64_t apply_ns_ = 0;
};

}  // namespace govassess
