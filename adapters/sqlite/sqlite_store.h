// SqliteStore: the Store port on an embedded SQLite database.
//
// WAL journal mode with synchronous=FULL: a commit is on disk when ApplyGroup returns.
// One writer connection (serialised by the GroupCommitter and a mutex) and a pool of
// reader connections, each with its prepared statements. Several processes may open
// the same file: the journal head is read inside each write transaction, so the hash
// chain stays linear; a writer that finds the database locked waits (busy_timeout)
// and then reports Unavailable.
//
// The journal table is append-only: triggers refuse UPDATE and DELETE, so tampering
// needs raw access to the file — which the verifier then reveals.
//
// The commit path (ApplyGroup) is kept short: a background thread copies the WAL back
// into the database (SqliteOptions::checkpoint_frames), and the writer remembers the
// journal head and the versions it has checked for as long as PRAGMA data_version says
// no other connection wrote.
//
// Journal first, rows behind (SqliteOptions::defer_rows): a commit writes the journal
// (whose change records say what every instance and timer became) and the idempotency
// keys, and is durable then. The rows of the instances and timers tables follow a
// moment later, written by a background thread in short transactions between commits
// (flush_slice_rows) — one write per instance however many commands changed it
// meanwhile, its data serialised then and only then; none for a timer set and cancelled
// meanwhile — and meanwhile this store answers from the rows it holds. meta.materialized_seq says up to which event the
// tables are written (rows of a round not finished yet may be newer: the replay skips
// what a row has already); whatever is journaled beyond it (after a kill -9, or
// written by another process) is rebuilt from the journal before it is needed: at open,
// before any write that follows another connection's, and by the background pass.
// Another process sees this one's commits once their rows are written (within
// flush_interval_ms); its writes are checked against them all the same.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <string>
#include <vector>

#include "engine/store.h"

struct sqlite3;

namespace govassess {

struct SqliteOptions {
  bool synchronous_full = true;  // false: NORMAL (for comparisons only; not durable)
  int busy_timeout_ms = 10000;
  size_t max_readers = 16;
  // How often the background indexer adds new events to the per-entity index; 0: never
  // (IndexJournal can still be called).
  int index_interval_ms = 250;
  // The WAL is copied back into the database once it holds this many new frames: by a
  // background thread when commits are shared by several writers, so the commit path
  // does not stall on the copy and its fsyncs; by the committing thread itself when it
  // commits alone (0: SQLite's automatic checkpoint, always in the committing thread).
  int checkpoint_frames = 1000;
  // Page size of a database this store creates (an existing one keeps its own). 8192
  // once kept an assessment's row (1–2 KB) on its B-tree page, but a lone writer's
  // commits wrote twice the bytes and lost ~8% (docs/performance.md, Journal); the
  // instances table now keeps rowids, which does that at 4096.
  int page_size = 4096;
  // Journal first, rows behind (see above); false writes every row in the commit.
  bool defer_rows = true;
  // How long committed rows may wait before they are written to the tables… Longer
  // waits write fewer, fuller pages (each B-tree page once for all the rows on it, and
  // less for the checkpoint to copy): at 1 s the lifecycle benchmark did −1% to +27%
  // more than at 100 ms (median of four sittings +9%), with a better p99 commit latency
  // and a worse p99.9, as each row transaction holds the writer longer
  // (docs/performance.md). A crash replays at most that much journal at the next open.
  int flush_interval_ms = 1000;
  // …or how many instances and timers they may reach (a timer a few hundred bytes, an
  // instance its committed tree, shared with the engine's cache while it is there). At
  // four times as many (the background writer is stuck or slow) a commit writes them
  // itself first, so the memory they take stays bounded.
  size_t flush_max_rows = 50000;
  // The background writer writes the held rows in transactions of this many rows each,
  // taking the writer for one at a time, so that commits go on between them instead of
  // waiting for a second's rows at once (a crash in between leaves some rows newer than
  // materialized_seq, which the catch-up at the next open skips: ReplayRows). 0 writes
  // them all in one transaction.
  size_t flush_slice_rows = 512;
};

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed, with parent directories) the database at `path`.
  // Unavailable when the file cannot be opened; Unavailable (naming the path) when it is not a database.
  // Rows the journal holds beyond the tables are written first; if the journal cannot
  // be replayed, the store opens for reading the journal only (Corruption otherwise).
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const SqliteOptions& options = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Result<Instance> Get(const std::string& id) override;
  Result<int64_t> VersionOf(const std::string& id) override;
  Result<std::vector<Instance>> List(const InstanceFilter& filter) override;
  Result<std::optional<IdempotentReply>> LookupIdempotency(const std::string& key) override;
  Status ApplyGroup(const std::vector<WriteBatch*>& group,
                    std::vector<CommitOutcome>* outcomes) override;
  void Prepare(WriteBatch* batch) override;
  Result<std::vector<JournalEvent>> ReadJournal(int64_t after_seq, size_t limit) override;
  Result<std::vector<JournalEvent>> QueryJournal(const JournalFilter& filter) override;
  Result<ChainHead> Head() override;
  Result<ChainHead> VerifyJournal(const std::optional<ChainHead>& exported) override;
  Result<std::vector<Timer>> DueTimers(int64_t now_ms, size_t limit) override;
  Result<std::optional<Timer>> NextTimer() override;
  Result<std::vector<Timer>> TimersOf(const std::string& instance_id) override;
  Result<int64_t> CountPendingTimers() override;
  Result<int64_t> EventsBehind() override;

  const std::string& path() const { return path_; }

  // Where the group-commit leader's time in ApplyGroup went, summed over every group
  // since the store opened (steady-clock nanoseconds), from taking the writer: staging
  // the batches (checks, sealing and appending the events, holding the rows back; and,
  // when far too many rows wait, writing them first), the COMMIT (writing the WAL and
  // waiting for its fsync), and what follows it (the held rows taken over). Groups whose
  // transaction failed are not counted.
  struct CommitTimes {
    int64_t groups = 0;
    int64_t stage_ns = 0;
    int64_t commit_ns = 0;
    int64_t after_ns = 0;
  };
  CommitTimes commit_times() const;

  // Writes the rows held behind the journal (and rebuilds from the journal what other
  // connections committed and did not write yet). Runs by itself in the background;
  // the readers that list or scan call it first. No-op when nothing waits.
  Status Flush();

  // What the background writer does each round: writes the held rows in transactions
  // of flush_slice_rows rows (at most `max_slices` of them now; the round goes on at the
  // next call), taking the writer for one transaction at a time and letting waiting
  // commits go first. The last transaction moves materialized_seq. True when no held
  // row is left to write from the round (the next call starts a new one).
  Result<bool> WriteHeldRowsInSlices(size_t max_slices = SIZE_MAX);

  // Adds the events committed since the last call to the per-entity history index, in
  // sorted batches of 512 events, one transaction each, letting waiting commits go
  // between them. Runs by itself in the background; returns the indexed seq.
  Result<int64_t> IndexJournal();

  class Connection;  // a sqlite3 handle with its cached statements

 private:
  SqliteStore(std::string path, SqliteOptions options);
  Status Init();
  Result<std::unique_ptr<Connection>> OpenConnection();
  // Borrows a reader connection; returns it to the pool when the lease ends.
  class Lease;
  Result<Lease> Borrow();
  void Return(std::unique_ptr<Connection> c);
  class KnownVersions;
  CommitOutcome ApplyOne(Connection& w, WriteBatch* batch, ChainHead* head, KnownVersions* known);
  // What every batch checks first: true (with *out set) when its idempotency key was
  // used before or an instance it only read is at another version now.
  bool CheckBefore(Connection& w, const WriteBatch& batch, CommitOutcome* out);
  // Seals the batch's event after the head, appends it and stores its idempotency key.
  void AppendEvent(Connection& w, WriteBatch* batch, ChainHead* head);

  // Rows behind the journal (defer_rows): what commits since materialized_seq made of
  // instances and timers, written by WriteRows.
  struct Rows;
  CommitOutcome DeferOne(Connection& w, WriteBatch* batch, ChainHead* head);
  // The version of `id` as of the writer's transaction: staged, held, known or stored.
  int64_t VersionNow(Connection& w, const std::string& id);
  // REQUIRES: writer_mu_ and a write transaction. Brings the tables up to the journal
  // head: writes the held rows if they are still the newest, rebuilds the rest from the
  // journal, sets meta.materialized_seq. The held rows are cleared by the caller once
  // its transaction commits (AfterCommit).
  void CatchUp(Connection& w);
  void WriteRows(Connection& w, const Rows& rows);
  void ReplayRows(Connection& w, int64_t after_seq, int64_t through_seq);
  void AfterCommit(bool committed, int64_t head_seq);
  // held_, replaced by empty rows. REQUIRES: writer_mu_ and rows_mu_.
  std::unique_ptr<Rows> TakeHeld();
  // Writes the held rows (all of them if `scan`, none otherwise) and catches up with
  // other connections' commits if there are any. REQUIRES: writer_mu_.
  Status FlushLocked(bool scan);
  // FlushLocked with writer_mu_ taken here; the rows it wrote (retired_) are destroyed
  // after the writer is released.
  Status TakeWriterAndFlush(bool scan);
  // Before a read: catches up with other connections' commits if the journal has any
  // this store has not seen, and writes the held rows first if `scan` (the read is a
  // query over the tables rather than a lookup by id).
  Status Freshen(Connection& reader, bool scan);
  void FlushLoop();

  const std::string path_;
  const SqliteOptions options_;
  std::mutex writer_mu_;
  std::unique_ptr<Connection> writer_;
  std::unique_ptr<KnownVersions> known_;  // guarded by writer_mu_
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> readers_;
  void IndexerLoop();
  std::mutex indexer_mu_;
  std::condition_variable indexer_cv_;
  bool stopping_ = false;
  std::thread indexer_;

  // Background checkpoints (SqliteOptions::checkpoint_frames).
  static int OnWalCommit(void* self, sqlite3* db, const char* name, int frames);
  void CheckpointLoop();
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;    // guarded by checkpoint_mu_
  bool checkpoint_stopping_ = false;  // guarded by checkpoint_mu_
  int wal_frames_ = 0;                // the log's size after the last commit; ditto
  int wal_checkpointed_ = 0;          // frames of it already copied back; ditto
  bool single_batch_commit_ = false;  // the commit under way holds one batch; writer_mu_
  std::unique_ptr<Connection> checkpointer_;  // used by the checkpoint thread only
  std::thread checkpoint_thread_;

  // defer_rows. held_ is read by readers under rows_mu_ and changed only by the writer,
  // which also holds writer_mu_; staged_ (this group's rows) is the writer's alone.
  std::mutex rows_mu_;
  std::unique_ptr<Rows> held_;
  // The held rows the background writer is writing in slices (WriteHeldRowsInSlices):
  // older than held_'s, newer than the tables' mark. Read and changed like held_;
  // flushing_round_ counts its replacements (writer_mu_).
  std::shared_ptr<Rows> flushing_;
  int64_t flushing_round_ = 0;
  // The held rows a committed flush wrote, for the caller to destroy once it has
  // released writer_mu_ (which guards this).
  std::vector<std::shared_ptr<Rows>> retired_;
  // The background writer's round over flushing_ (writer_mu_).
  struct SliceRound;
  std::unique_ptr<SliceRound> round_;
  // Commits waiting for the writer: the background writer and the indexer let them go
  // first (LetCommitsGoFirst).
  std::atomic<int> commits_waiting_{0};
  // Returns once no commit waits for the writer. Before background work takes it.
  void LetCommitsGoFirst() const;
  // CommitTimes, added to by the leader (relaxed: read for reports only).
  std::atomic<int64_t> groups_timed_{0}, stage_ns_{0}, commit_ns_{0}, after_ns_{0};
  std::unique_ptr<Rows> staged_;      // writer_mu_
  bool caught_up_in_tx_ = false;      // this transaction wrote the held rows; writer_mu_
  int64_t caught_up_to_ = 0;          // …and the journal head it caught up to; writer_mu_
  // The journal head as of this store's last commit or catch-up: a reader that finds a
  // later one knows another connection committed.
  std::atomic<int64_t> seen_seq_{0};
  // The head this connection's write transaction reaches, from just before its COMMIT
  // (0 after a failed one): until AfterCommit moves seen_seq_, a reader that finds a
  // head up to it has found this connection's own commit, not another's — nobody else
  // can commit while this one holds the write lock — and need not wait for the writer.
  std::atomic<int64_t> committing_seq_{0};
  // Set once at open when the journal could not be replayed into rows: every write and
  // every read of rows returns it; the journal stays readable. Immutable after Init.
  Status rows_broken_;
  std::mutex flush_mu_;
  std::condition_variable flush_cv_;
  std::atomic<bool> flush_stopping_{false};  // set under flush_mu_
  std::thread flush_thread_;
};

}  // namespace govassess
