// The store port: where instances, the journal, pending timers and idempotency
// records live. Implemented by MemoryStore (tests) and the SQLite adapter.
//
// A WriteBatch is everything one command writes. The store applies a batch
// all-or-nothing: every instance write must find the version it expects (0 = must
// not exist yet) and every consumed timer must still be pending, otherwise the batch
// is a Conflict and writes nothing. ApplyGroup applies several batches in one durable
// transaction (group commit): one fsync for all of them.
//
// Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <climits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/journal.h"
#include "engine/status.h"
#include "engine/types.h"

namespace govassess {

struct InstanceWrite {
  Instance after;                // the full new row; after.version == expected_version + 1
  int64_t expected_version = 0;  // 0: the instance must not exist yet
};

// An instance the decision read without writing it: it must still be at `version`
// (0: still absent) when the batch commits, or the batch is a Conflict. This makes a
// decision serialisable, refusals included.
struct VersionCheck {
  std::string id;
  int64_t version = 0;
};

// What a repeated command with the same idempotency key gets back.
struct IdempotentReply {
  std::string fingerprint;  // of the first request; a different request is refused
  Json reply;               // the first result, as the engine produced it
};

struct WriteBatch {
  std::vector<InstanceWrite> instances;
  std::vector<VersionCheck> reads;
  // instances[i].after.data serialised, or empty: not serialised yet. The engine writes
  // an instance's text when the journal needs it (a creation); Store::Prepare fills the
  // rest if the adapter wants them now, and an adapter that keeps rows back may write
  // them when it writes the row, once per row rather than once per version. ApplyGroup
  // may take the strings (move them into its rows): read them before.
  std::vector<std::string> instance_data_json;
  // Filled by ApplyGroup, for a committed batch, when the store keeps an instance it
  // wrote (rows held behind the journal): instances[i].after moved into one shared,
  // immutable instance, which the engine then caches as it is, so store and cache hold
  // one copy. A missing or null entry: the engine takes instances[i].after itself.
  std::vector<std::shared_ptr<const Instance>> committed;
  std::vector<Timer> timers_set;  // insert or replace by id; ApplyGroup may take these (move)
  // timers_set[i].payload serialised (canonical text): filled by the engine as it writes
  // the event, else by Store::Prepare if the adapter wants it. ApplyGroup may take them.
  std::vector<std::string> timer_payload_json;
  std::vector<std::string> timers_cancelled; // not an error if already gone; may be taken
  std::vector<std::string> timers_consumed;  // must be pending, else Conflict; may be taken
  JournalEvent event;                        // exactly one event per command
  std::string idempotency_key;               // empty: none
  // Stored under the key; the store sets reply["event"] = {"seq", "hash"} when it
  // seals the event, so a repeat gets exactly what the first caller got.
  IdempotentReply idempotent_reply;
};

struct CommitOutcome {
  Status status;        // OK, Conflict (nothing written) or Unavailable
  ChainHead head;       // the event's seq and hash when OK
  // Set when the idempotency key was already stored (nothing was written).
  std::optional<IdempotentReply> replayed;
  // On a Conflict: the instance found at another version than the batch expected
  // (empty when a timer was the conflict), so a cache drops that entry alone.
  std::string stale_id;
};

struct InstanceFilter {
  std::string type;        // empty: any
  std::string id_prefix;   // empty: any
  std::string state;       // empty: any
  size_t limit = 1000;
  std::string after_id;    // for paging: ids greater than this
};

// What an auditor filters the journal by. Empty fields match everything; times are
// UTC milliseconds, inclusive; `after_seq` is the paging cursor.
struct JournalFilter {
  std::string actor, role, unit, entity, command, outcome;
  int64_t from_ms = 0;
  int64_t to_ms = INT64_MAX;
  int64_t after_seq = 0;
  size_t limit = 100;
};

bool Matches(const JournalFilter& filter, const JournalEvent& event);

class Store;
// Every instance matching `filter` (its limit and after_id are ignored), following the
// pages, at most `cap` of them, in id order.
Result<std::vector<Instance>> ListAll(Store* store, InstanceFilter filter, size_t cap = SIZE_MAX);

class Store {
 public:
  virtual ~Store() = default;

  // NotFound when there is no such instance.
  virtual Result<Instance> Get(const std::string& id) = 0;
  // The stored version of an instance, 0 when there is none; adapters answer it without
  // reading the data.
  virtual Result<int64_t> VersionOf(const std::string& id) {
    auto i = Get(id);
    if (i.ok()) return i->version;
    if (i.status().IsNotFound()) return int64_t{0};
    return i.status();
  }
  virtual Result<std::vector<Instance>> List(const InstanceFilter& filter) = 0;

  // The stored reply for `key`, or nullopt. It is not an error if the key is unknown.
  virtual Result<std::optional<IdempotentReply>> LookupIdempotency(const std::string& key) = 0;

  // Applies the batches in order in one durable transaction; outcome i belongs to
  // group[i]. A batch that conflicts (or whose key was already stored) is skipped and
  // the others still commit. Returns non-OK only when the transaction as a whole
  // failed, in which case nothing was written and every outcome carries that status.
  // Fills in each event's seq, prev_hash and hash.
  // REQUIRES: no two calls run at once (the GroupCommitter serialises them).
  virtual Status ApplyGroup(const std::vector<WriteBatch*>& group,
                            std::vector<CommitOutcome>* outcomes) = 0;

  // Called by the committing thread before it queues `batch`, outside the group's
  // critical path: an adapter may serialise here (e.g. WriteBatch::instance_data_json).
  virtual void Prepare(WriteBatch* /*batch*/) {}

  // Up to `limit` events with seq > after_seq, in order.
  virtual Result<std::vector<JournalEvent>> ReadJournal(int64_t after_seq, size_t limit) = 0;
  // Events matching `filter` with seq > filter.after_seq, in order, at most filter.limit.
  virtual Result<std::vector<JournalEvent>> QueryJournal(const JournalFilter& filter) = 0;
  virtual Result<ChainHead> Head() = 0;
  // Recomputes the whole chain; Corruption names the first bad event.
  virtual Result<ChainHead> VerifyJournal(const std::optional<ChainHead>& exported) = 0;

  // Pending timers due at or before now_ms, earliest first.
  virtual Result<std::vector<Timer>> DueTimers(int64_t now_ms, size_t limit) = 0;
  // The earliest pending timer, or nullopt when none is pending.
  virtual Result<std::optional<Timer>> NextTimer() = 0;
  virtual Result<std::vector<Timer>> TimersOf(const std::string& instance_id) = 0;
  virtual Result<int64_t> CountPendingTimers() = 0;

  // How many journal events the stored instance and timer rows have not caught up with
  // yet (a store that derives them behind the journal; 0 for one that writes them in
  // the commit). A number that keeps growing means the rows are not being written.
  virtual Result<int64_t> EventsBehind() { return int64_t{0}; }
};

}  // namespace govassess
