// MemoryStore: the Store port in memory, for unit tests and as the reference
// behaviour the SQLite adapter must match. Nothing survives the process.
// Thread-safe (one mutex).
//
// MemoryState is the plain state (instances and pending timers) that both the
// MemoryStore and journal replay (replay.h) build.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/store.h"

namespace govassess {

struct MemoryState {
  std::map<std::string, Instance> instances;
  std::map<std::string, Timer> timers;
  std::set<std::pair<int64_t, std::string>> timers_by_due;  // O(log n) next-due lookup

  void SetTimer(const Timer& t);
  // Returns false if no such timer was pending. It is not an error.
  bool EraseTimer(const std::string& id);
};

class MemoryStore : public Store {
 public:
  Result<Instance> Get(const std::string& id) override;
  Result<std::vector<Instance>> List(const InstanceFilter& filter) override;
  Result<std::optional<IdempotentReply>> LookupIdempotency(const std::string& key) override;
  Status ApplyGroup(const std::vector<WriteBatch*>& group,
                    std::vector<CommitOutcome>* outcomes) override;
  Result<std::vector<JournalEvent>> ReadJournal(int64_t after_seq, size_t limit) override;
  Result<std::vector<JournalEvent>> QueryJournal(const JournalFilter& filter) override;
  Result<ChainHead> Head() override;
  Result<ChainHead> VerifyJournal(const std::optional<ChainHead>& exported) override;
  Result<std::vector<Timer>> DueTimers(int64_t now_ms, size_t limit) override;
  Result<std::optional<Timer>> NextTimer() override;
  Result<std::vector<Timer>> TimersOf(const std::string& instance_id) override;
  Result<int64_t> CountPendingTimers() override;

  // Test hook: the stored rows (body, hash), so tests can tamper with them.
  std::vector<std::pair<std::string, std::string>>& RawJournalForTest() { return journal_; }
  // A copy of the live state, for comparison with a replay.
  MemoryState Snapshot();

 private:
  CommitOutcome ApplyOne(WriteBatch* batch);

  std::mutex mu_;
  MemoryState state_;
  std::vector<std::pair<std::string, std::string>> journal_;  // (body, hash), seq = index+1
  std::map<std::string, IdempotentReply> idempotency_;
};

}  // namespace govassess
