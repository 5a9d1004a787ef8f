#include "adapters/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include "engine/canonical_json.h"
#include "engine/replay.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <unordered_map>
#include <utility>

namespace govassess {
namespace {

constexpr int kSchemaVersion = 1;

// `instances` keeps rowids: an assessment's row (1–2 KB) then stays on its B-tree page,
// where in a WITHOUT ROWID table any row over about a quarter of a page spills to an
// overflow page that each write rewrites (databases created before 2026-11-22 keep that
// shape, which every statement here also serves). Its index by type carries the id, so
// that a listing by type and state is read in id order either way.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS instances(
  id           TEXT PRIMARY KEY,
  type         TEXT NOT NULL,
  type_version INTEGER NOT NULL,
  state        TEXT NOT NULL,
  version      INTEGER NOT NULL,
  data         TEXT NOT NULL,
  created_ms   INTEGER NOT NULL,
  updated_ms   INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS instances_by_type ON instances(type, state, id);
CREATE TABLE IF NOT EXISTS journal(
  seq     INTEGER PRIMARY KEY,
  ts_ms   INTEGER NOT NULL,
  actor   TEXT NOT NULL,
  role    TEXT NOT NULL,
  unit    TEXT NOT NULL,
  command TEXT NOT NULL,
  entity  TEXT NOT NULL,
  outcome TEXT NOT NULL,
  body    TEXT NOT NULL,
  hash    TEXT NOT NULL);
-- Per-entity history, filled behind the commit path in sorted batches (IndexJournal):
-- a secondary index written inside every commit would cost a third of the throughput.
DROP INDEX IF EXISTS journal_by_entity;
CREATE TABLE IF NOT EXISTS journal_entity(
  entity TEXT NOT NULL,
  seq    INTEGER NOT NULL,
  PRIMARY KEY(entity, seq)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TABLE IF NOT EXISTS timers(
  id          TEXT PRIMARY KEY,
  instance_id TEXT NOT NULL,
  command     TEXT NOT NULL,
  due_ms      INTEGER NOT NULL,
  payload     TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS timers_by_due ON timers(due_ms, id);
CREATE INDEX IF NOT EXISTS timers_by_instance ON timers(instance_id);
CREATE TABLE IF NOT EXISTS idempotency(
  key         TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  reply       TEXT NOT NULL) WITHOUT ROWID;
)sql";

// SQL text of every statement, prepared once per connection.
constexpr const char* kGetInstance =
    "SELECT id, type, type_version, state, version, data, created_ms, updated_ms "
    "FROM instances WHERE id = ?1";
constexpr const char* kInsertInstance =
    "INSERT OR IGNORE INTO instances(id, type, type_version, state, version, data, created_ms, "
    "updated_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kUpdateInstance =
    "UPDATE instances SET type = ?2, type_version = ?3, state = ?4, version = ?5, data = ?6, "
    "updated_ms = ?8 WHERE id = ?1 AND version = ?9";
constexpr const char* kVersionOf = "SELECT version FROM instances WHERE id = ?1";
constexpr const char* kHead = "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1";
constexpr const char* kInsertEvent =
    "INSERT INTO journal(seq, ts_ms, actor, role, unit, command, entity, outcome, body, hash) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
constexpr const char* kReadJournal =
    "SELECT seq, body, hash FROM journal WHERE seq > ?1 ORDER BY seq LIMIT ?2";
constexpr const char* kPrevHash = "SELECT hash FROM journal WHERE seq = ?1";
constexpr const char* kVerifyJournal =
    "SELECT seq, body, hash, ts_ms, actor, role, unit, command, entity, outcome "
    "FROM journal ORDER BY seq";
constexpr const char* kSetTimer =
    "INSERT OR REPLACE INTO timers(id, instance_id, command, due_ms, payload) "
    "VALUES(?1, ?2, ?3, ?4, ?5)";
constexpr const char* kDeleteTimer = "DELETE FROM timers WHERE id = ?1";
constexpr const char* kDueTimers =
    "SELECT id, instance_id, command, due_ms, payload FROM timers WHERE due_ms <= ?1 "
    "ORDER BY due_ms, id LIMIT ?2";
constexpr const char* kNextTimer =
    "SELECT id, instance_id, command, due_ms, payload FROM timers ORDER BY due_ms, id LIMIT 1";
constexpr const char* kTimersOf =
    "SELECT id, instance_id, command, due_ms, payload FROM timers WHERE instance_id = ?1 "
    "ORDER BY due_ms, id";
constexpr const char* kCountTimers = "SELECT count(*) FROM timers";
constexpr const char* kTimerExists = "SELECT 1 FROM timers WHERE id = ?1";
constexpr const char* kMaterialized =
    "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'materialized_seq'";
constexpr const char* kSetMaterialized =
    "INSERT OR REPLACE INTO meta(key, value) VALUES('materialized_seq', ?1)";
constexpr const char* kPutInstance =
    "INSERT OR REPLACE INTO instances(id, type, type_version, state, version, data, created_ms, "
    "updated_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kRewriteInstance =
    "UPDATE instances SET type = ?2, type_version = ?3, state = ?4, version = ?5, data = ?6, "
    "updated_ms = ?7 WHERE id = ?1";
constexpr const char* kGetIdempotency = "SELECT fingerprint, reply FROM idempotency WHERE key = ?1";
constexpr const char* kPutIdempotency =
    "INSERT INTO idempotency(key, fingerprint, reply) VALUES(?1, ?2, ?3)";

std::string Text(sqlite3_stmt* s, int col) {
  const unsigned char* p = sqlite3_column_text(s, col);
  return p ? std::string(reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(s, col)))
           : std::string();
}

void Bind(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
}
// Without a copy. REQUIRES: `v` outlives the statement's step (the commit path binds
// the batch's own strings, which outlive the statement's use).
void BindStatic(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_STATIC);
}
void Bind(sqlite3_stmt* s, int i, int64_t v) { sqlite3_bind_int64(s, i, v); }

std::string DumpJson(const Json& j) { return CanonicalJson(j); }

// Columns: id, type, type_version, state, version, data, created_ms, updated_ms.
Instance ReadInstance(sqlite3_stmt* s) {
  Instance i;
  i.id = Text(s, 0);
  i.type = Text(s, 1);
  i.type_version = sqlite3_column_int(s, 2);
  i.state = Text(s, 3);
  i.version = sqlite3_column_int64(s, 4);
  i.data = Json::parse(Text(s, 5), nullptr, false);
  i.created_ms = sqlite3_column_int64(s, 6);
  i.updated_ms = sqlite3_column_int64(s, 7);
  return i;
}

Timer ReadTimer(sqlite3_stmt* s) {
  Timer t;
  t.id = Text(s, 0);
  t.instance_id = Text(s, 1);
  t.command = Text(s, 2);
  t.due_ms = sqlite3_column_int64(s, 3);
  t.payload = Json::parse(Text(s, 4), nullptr, false);
  return t;
}

}  // namespace

// A sqlite3 handle and its prepared statements. Used by one thread at a time.
class SqliteStore::Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection() {
    for (auto& [sql, stmt] : stmts_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  sqlite3* db() const { return db_; }

  // A prepared statement, reset when the Use ends. Its bindings are left as they are:
  // every use binds every parameter its statement reads.
  class Use {
   public:
    explicit Use(sqlite3_stmt* s) : s_(s) {}
    ~Use() { sqlite3_reset(s_); }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    sqlite3_stmt* get() const { return s_; }
    operator sqlite3_stmt*() const { return s_; }  // NOLINT

   private:
    sqlite3_stmt* s_;
  };

  // Throws std::runtime_error if the SQL does not prepare (a programmer error).
  sqlite3_stmt* Prepare(const char* sql) {
    auto it = stmts_.find(sql);
    if (it != stmts_.end()) return it->second;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("cannot prepare statement: ") + sqlite3_errmsg(db_));
    }
    stmts_.emplace(sql, s);
    return s;
  }

  Status Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      return Status::Unavailable("database: " + msg);
    }
    return Status::Ok();
  }

  // Runs one statement without results through the statement cache (BEGIN, COMMIT…).
  Status Run(const char* sql) {
    sqlite3_stmt* s = Prepare(sql);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Error(sql);
    return Status::Ok();
  }

  Status Error(const char* what) const {
    return Status::Unavailable(std::string(what) + ": " + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> stmts_;  // keyed by the SQL literal
};

class SqliteStore::Lease {
 public:
  Lease(SqliteStore* store, std::unique_ptr<Connection> c) : store_(store), c_(std::move(c)) {}
  Lease(Lease&&) = default;
  ~Lease() {
    if (c_) store_->Return(std::move(c_));
  }
  Connection& operator*() { return *c_; }
  Connection* operator->() { return c_.get(); }

 private:
  SqliteStore* store_;
  std::unique_ptr<Connection> c_;
};

// The versions of instances the writer has checked or written, so that an instance
// many commands only read (a cycle, a unit directory) is looked up once, not in every
// batch: in a WITHOUT ROWID table every key comparison against a row that overflows
// its page reads the whole row, and a cycle is a few hundred KB. Only valid while no
// other connection writes: Revalidate forgets everything when PRAGMA data_version
// says another connection (another process) committed; every write of this one
// updates the memo, and a rolled-back batch or transaction clears it.
// Used under writer_mu_ only.
class SqliteStore::KnownVersions {
 public:
  // Forgets everything if another connection committed since the last call; true if
  // nothing was forgotten. REQUIRES: inside the writer's transaction.
  bool Revalidate(Connection& w) {
    Connection::Use q(w.Prepare("PRAGMA data_version"));
    const int64_t v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    const bool same = v == data_version_ && v != -1;
    if (!same) Forget();
    data_version_ = v;
    return same;
  }
  // Whether another connection committed since the last Revalidate; forgets nothing.
  bool Changed(Connection& w) const {
    Connection::Use q(w.Prepare("PRAGMA data_version"));
    const int64_t v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    return v != data_version_ || v == -1;
  }
  // The journal head after this connection's last commit (the same reasoning).
  const std::optional<ChainHead>& head() const { return head_; }
  void set_head(const ChainHead& h) { head_ = h; }
  bool Lookup(const std::string& id, int64_t* version) const {
    auto it = entries_.find(id);
    if (it == entries_.end()) return false;
    *version = it->second;
    return true;
  }
  void Remember(const std::string& id, int64_t version) {
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_[id] = version;
  }
  void Update(const std::string& id, int64_t version) {
    auto it = entries_.find(id);
    if (it != entries_.end()) it->second = version;
  }
  void Forget() {
    entries_.clear();
    head_.reset();
  }

 private:
  static constexpr size_t kMaxEntries = 4096;
  int64_t data_version_ = -1;
  std::optional<ChainHead> head_;
  std::unordered_map<std::string, int64_t> entries_;
};

// What commits since meta.materialized_seq made of instances and timers, not yet in
// the tables (SqliteOptions::defer_rows): the newest row of each, as the table will
// hold it. The journal says the same, event by event; these are kept so that writing
// the tables costs one row per instance rather than a replay.
struct SqliteStore::Rows {
  struct InstanceRow {
    // The committed instance, shared with the engine's cache (WriteBatch::committed).
    std::shared_ptr<const Instance> instance;
    bool created = false;  // created since materialized_seq: created_ms is known, no stored row
    int64_t created_ms = 0;  // when `created`
    // The data's canonical text when the batch brought it (a creation); else the row
    // writer serialises the instance's data when it writes the row — once per row,
    // however many versions of it were committed meanwhile.
    std::string data_json;
    // The row's data as stored: data_json, or *scratch filled from the instance.
    const std::string& DataText(std::string* scratch) const {
      if (!data_json.empty()) return data_json;
      *scratch = DumpJson(instance->data);
      return *scratch;
    }
  };
  struct TimerRow {
    bool pending = false;  // false: gone (cancelled or consumed)
    std::string instance_id;
    std::string command;
    int64_t due_ms = 0;
    std::string payload_json;
  };
  std::unordered_map<std::string, std::shared_ptr<const InstanceRow>> instances;
  std::unordered_map<std::string, TimerRow> timers;
  int64_t through_seq = 0;  // the last event they reflect; 0: none held

  bool empty() const { return through_seq == 0; }
  size_t size() const { return instances.size() + timers.size(); }
  void clear() {
    instances.clear();
    timers.clear();
    through_seq = 0;
  }
};

// A round of the background writer: the rows of flushing_ in key order, and how many
// of them are written.
struct SqliteStore::SliceRound {
  std::shared_ptr<const Rows> rows;  // flushing_ when the round started
  int64_t round = 0;                 // the flushing_round_ they belong to
  std::vector<const std::pair<const std::string, std::shared_ptr<const Rows::InstanceRow>>*>
      instances;
  std::vector<const std::pair<const std::string, Rows::TimerRow>*> timers;
  size_t next = 0;  // instances first, then timers
  size_t size() const { return instances.size() + timers.size(); }
};

namespace {

// For a transaction that writes rows the journal has already: it need not wait for the
// disk (a later commit's fsync covers it; a crash before that rebuilds the rows from the
// journal). `full`: the store runs at synchronous=FULL, set back when this ends.
class RelaxedSync {
 public:
  RelaxedSync(SqliteStore::Connection& w, bool full) : w_(w), full_(full) {
    if (full_) w_.Run("PRAGMA synchronous=NORMAL");
  }
  ~RelaxedSync() {
    if (full_) w_.Run("PRAGMA synchronous=FULL");
  }
  RelaxedSync(const RelaxedSync&) = delete;
  RelaxedSync& operator=(const RelaxedSync&) = delete;

 private:
  SqliteStore::Connection& w_;
  const bool full_;
};

// Notes in the tables' mark (meta.materialized_seq) that the rows reflect every event up
// to `seq`. REQUIRES: a write transaction; throws when it cannot.
void SetMaterialized(SqliteStore::Connection& w, int64_t seq) {
  SqliteStore::Connection::Use m(w.Prepare(kSetMaterialized));
  Bind(m, 1, seq);
  if (sqlite3_step(m) != SQLITE_DONE) {
    throw std::runtime_error(std::string("noting written rows: ") + sqlite3_errmsg(w.db()));
  }
}

// The newest held row of `id` outside the group being committed: held_'s, else the one
// the background writer is writing (flushing_). Null when neither has one.
template <typename RowsT>
auto FindHeldInstance(const RowsT& held, const RowsT& flushing, const std::string& id)
    -> decltype(&held.instances.begin()->second) {
  if (auto it = held.instances.find(id); it != held.instances.end()) return &it->second;
  if (auto it = flushing.instances.find(id); it != flushing.instances.end()) return &it->second;
  return nullptr;
}

template <typename RowsT>
auto FindHeldTimer(const RowsT& held, const RowsT& flushing, const std::string& id)
    -> decltype(&held.timers.begin()->second) {
  if (auto it = held.timers.find(id); it != held.timers.end()) return &it->second;
  if (auto it = flushing.timers.find(id); it != flushing.timers.end()) return &it->second;
  return nullptr;
}

}  // namespace

SqliteStore::SqliteStore(std::string path, SqliteOptions options)
    : path_(std::move(path)),
      options_(options),
      known_(std::make_unique<KnownVersions>()),
      held_(std::make_unique<Rows>()),
      flushing_(std::make_shared<Rows>()),
      staged_(std::make_unique<Rows>()) {}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard<std::mutex> lock(flush_mu_);
    flush_stopping_ = true;
  }
  flush_cv_.notify_all();
  if (flush_thread_.joinable()) flush_thread_.join();
  if (writer_) Flush();  // the next opener finds the tables written (or rebuilds them)
  {
    std::lock_guard<std::mutex> lock(indexer_mu_);
    stopping_ = true;
  }
  indexer_cv_.notify_all();
  if (indexer_.joinable()) indexer_.join();
  {
    std::lock_guard<std::mutex> lock(checkpoint_mu_);
    checkpoint_stopping_ = true;
  }
  checkpoint_cv_.notify_all();
  if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
}

int SqliteStore::OnWalCommit(void* arg, sqlite3* db, const char* name, int frames) {
  auto* self = static_cast<SqliteStore*>(arg);
  std::unique_lock<std::mutex> lock(self->checkpoint_mu_);
  if (frames < self->wal_frames_) self->wal_checkpointed_ = 0;  // the log started over
  self->wal_frames_ = frames;
  if (frames - self->wal_checkpointed_ < self->options_.checkpoint_frames ||
      self->checkpoint_wanted_) {
    return SQLITE_OK;
  }
  if (self->single_batch_commit_) {
    // A lone writer (nobody shared this commit) gains nothing from a background copy:
    // its next commit's fsync would queue behind the copy's. Copy here, as SQLite's
    // automatic checkpoint does; with the writer held the whole log is copied.
    lock.unlock();
    int log = 0, done = 0;
    if (sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, &log, &done) == SQLITE_OK) {
      lock.lock();
      self->wal_checkpointed_ = std::min(done, self->wal_frames_);
    }
    return SQLITE_OK;
  }
  self->checkpoint_wanted_ = true;
  self->checkpoint_cv_.notify_one();
  return SQLITE_OK;
}

void SqliteStore::CheckpointLoop() {
  std::unique_lock<std::mutex> lock(checkpoint_mu_);
  for (;;) {
    checkpoint_cv_.wait(lock, [&] { return checkpoint_wanted_ || checkpoint_stopping_; });
    if (checkpoint_stopping_) return;
    lock.unlock();
    int log = 0, done = 0;
    // Most of the log, while commits go on (a passive checkpoint waits for nobody).
    int rc = sqlite3_wal_checkpoint_v2(checkpointer_->db(), "main", SQLITE_CHECKPOINT_PASSIVE,
                                       &log, &done);
    if (rc == SQLITE_OK) {
      // Commits went on meanwhile, so the log is never wholly copied and would only grow:
      // every commit would then extend the file, and an fsync that must also write the
      // file's new size costs twice as much. So copy the few frames added since with the
      // writer held; the next commit starts the log over. (The only stall of the commit
      // path: a short copy and one fsync per cycle.)
      std::lock_guard<std::mutex> writer(writer_mu_);
      rc = sqlite3_wal_checkpoint_v2(checkpointer_->db(), "main", SQLITE_CHECKPOINT_PASSIVE, &log,
                                     &done);
    }
    lock.lock();
    // A failure (e.g. another process checkpointing) is retried after more commits.
    if (rc == SQLITE_OK) wal_checkpointed_ = std::min(done, wal_frames_);
    checkpoint_wanted_ = false;
  }
}

void SqliteStore::LetCommitsGoFirst() const {
  while (commits_waiting_.load() > 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
}

Result<int64_t> SqliteStore::IndexJournal() {
  // kIndexBatch events per transaction, the writer taken for one at a time and waiting
  // commits let go first, as the row writer's slices do: a quarter second's events in
  // one transaction held the writer 8–24 ms, and every commit waited meanwhile.
  constexpr int64_t kIndexBatch = 512;
  for (;;) {
    LetCommitsGoFirst();
    std::lock_guard<std::mutex> lock(writer_mu_);
    Connection& w = *writer_;
    // The index is rebuilt from the journal: its transactions need not wait for the disk
    // (RelaxedSync), and the mark moves with its rows.
    RelaxedSync relaxed(w, options_.synchronous_full);
    Status s = w.Run("BEGIN IMMEDIATE");
    if (!s.ok()) return s;
    int64_t indexed = 0, head = 0;
    {
      Connection::Use q(
          w.Prepare("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'entity_indexed_seq'"));
      if (sqlite3_step(q) == SQLITE_ROW) indexed = sqlite3_column_int64(q, 0);
    }
    {
      Connection::Use q(w.Prepare(kHead));
      if (sqlite3_step(q) == SQLITE_ROW) head = sqlite3_column_int64(q, 0);
    }
    const int64_t upto = std::min(head, indexed + kIndexBatch);
    if (upto > indexed) {
      Connection::Use ins(w.Prepare(
          "INSERT OR IGNORE INTO journal_entity(entity, seq) SELECT entity, seq FROM journal "
          "WHERE seq > ?1 AND seq <= ?2 ORDER BY entity, seq"));
      Bind(ins, 1, indexed);
      Bind(ins, 2, upto);
      if (sqlite3_step(ins) != SQLITE_DONE) {
        w.Run("ROLLBACK");
        return w.Error("indexing the journal");
      }
      Connection::Use m(w.Prepare(
          "INSERT OR REPLACE INTO meta(key, value) VALUES('entity_indexed_seq', ?1)"));
      Bind(m, 1, std::to_string(upto));
      if (sqlite3_step(m) != SQLITE_DONE) {
        w.Run("ROLLBACK");
        return w.Error("indexing the journal");
      }
    }
    s = w.Run("COMMIT");
    if (!s.ok()) {
      w.Run("ROLLBACK");
      return s;
    }
    if (upto >= head) return std::max(indexed, head);
  }
}

void SqliteStore::IndexerLoop() {
  std::unique_lock<std::mutex> lock(indexer_mu_);
  while (!stopping_) {
    indexer_cv_.wait_for(lock, std::chrono::milliseconds(options_.index_interval_ms));
    if (stopping_) break;
    lock.unlock();
    IndexJournal();  // a failure is retried on the next round
    lock.lock();
  }
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const SqliteOptions& options) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) return Status::Unavailable("cannot create " + parent.string() + ": " + ec.message());
  std::unique_ptr<SqliteStore> store(new SqliteStore(path, options));
  Status s = store->Init();
  if (!s.ok()) {
    return Status::Unavailable("cannot use " + path + " as a GovAssess database: " + s.message());
  }
  if (options.index_interval_ms > 0) {
    store->indexer_ = std::thread([raw = store.get()] { raw->IndexerLoop(); });
  }
  if (options.defer_rows) {
    store->flush_thread_ = std::thread([raw = store.get()] { raw->FlushLoop(); });
  }
  if (options.checkpoint_frames > 0) {
    auto c = store->OpenConnection();
    if (!c.ok()) return c.status();
    store->checkpointer_ = std::move(*c);
    store->checkpoint_thread_ = std::thread([raw = store.get()] { raw->CheckpointLoop(); });
  }
  return store;
}

Result<std::unique_ptr<SqliteStore::Connection>> SqliteStore::OpenConnection() {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path_.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  auto conn = std::make_unique<Connection>(db);
  if (rc != SQLITE_OK) return Status::Unavailable("cannot open database " + path_ + ": " +
                                                  (db ? sqlite3_errmsg(db) : "out of memory"));
  sqlite3_busy_timeout(db, options_.busy_timeout_ms);
  // The page size applies only when this connection creates the file (it must come
  // before journal_mode, which writes the header); an existing database keeps its own.
  std::string pragmas = "PRAGMA page_size=" + std::to_string(options_.page_size) +
                        "; PRAGMA journal_mode=WAL; PRAGMA synchronous=" +
                        (options_.synchronous_full ? "FULL" : "NORMAL") +
                        "; PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY;";
  Status s = conn->Exec(pragmas.c_str());
  if (!s.ok()) return s;
  return conn;
}

Status SqliteStore::Init() {
  auto w = OpenConnection();
  if (!w.ok()) return w.status();
  writer_ = std::move(*w);
  if (options_.checkpoint_frames > 0) {
    // The commit path only notes the log's size; CheckpointLoop copies it back.
    sqlite3_wal_autocheckpoint(writer_->db(), 0);
    sqlite3_wal_hook(writer_->db(), &SqliteStore::OnWalCommit, this);
  }
  Status s = writer_->Exec("BEGIN IMMEDIATE");
  if (!s.ok()) return s;
  s = writer_->Exec(kSchema);
  if (s.ok()) {
    std::string meta = "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '" +
                       std::to_string(kSchemaVersion) + "'), ('application', 'govassess')";
    s = writer_->Exec(meta.c_str());
  }
  if (s.ok()) {
    // A database from before rows were deferred had every row written at its commit.
    s = writer_->Exec(
        "INSERT OR IGNORE INTO meta(key, value) SELECT 'materialized_seq', "
        "coalesce(max(seq), 0) FROM journal");
  }
  if (!s.ok()) {
    writer_->Exec("ROLLBACK");
    return s;
  }
  s = writer_->Exec("COMMIT");
  if (!s.ok()) return s;
  // What a killed process had committed but not written, in a transaction of its own:
  // if the journal cannot be replayed (an altered event), the store still opens, so that
  // the journal can be read and verified, but it neither writes nor answers from rows.
  s = writer_->Exec("BEGIN IMMEDIATE");
  if (!s.ok()) return s;
  try {
    CatchUp(*writer_);
  } catch (const std::exception& ex) {
    writer_->Exec("ROLLBACK");
    AfterCommit(false, 0);
    rows_broken_ = Status::Corruption(
        std::string("the instances and timers cannot be rebuilt from the journal (") + ex.what() +
        "); verify the journal with `govassess audit verify`");
    return Status::Ok();
  }
  s = writer_->Exec("COMMIT");
  AfterCommit(s.ok(), 0);
  return s;
}

Result<SqliteStore::Lease> SqliteStore::Borrow() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!readers_.empty()) {
      auto c = std::move(readers_.back());
      readers_.pop_back();
      return Lease(this, std::move(c));
    }
  }
  auto c = OpenConnection();
  if (!c.ok()) return c.status();
  return Lease(this, std::move(*c));
}

void SqliteStore::Return(std::unique_ptr<Connection> c) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (readers_.size() < options_.max_readers) readers_.push_back(std::move(c));
}

Result<Instance> SqliteStore::Get(const std::string& id) {
  auto lease = Borrow();
  if (!lease.ok()) return lease.status();
  Status fresh = Freshen(**lease, /*scan=*/false);
  if (!fresh.ok()) return fresh;
  std::shared_ptr<const Rows::InstanceRow> held;
  {
    std::lock_guard<std::mutex> lock(rows_mu_);
    if (auto row = FindHeldInstance(*held_, *flushing_, id)) held = *row;
  }
  // Read after the held rows: a row the writer wrote and let go of meanwhile is stored.
  Connection::Use s((*lease)->Prepare(kGetInstance));
  Bind(s, 1, id);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return (*lease)->Error("reading an instance");
  const bool row = rc == SQLITE_ROW;
  // Columns 4 and 6 of kGetInstance: the stored version and creation time. The stored
  // data is parsed only when the stored row is the one returned.
  if (held && !(row && sqlite3_column_int64(s, 4) >= held->instance->version)) {
    Instance i = *held->instance;
    i.created_ms = held->created ? held->created_ms : row ? sqlite3_column_int64(s, 6) : 0;
    return i;
  }
  if (!row) return Status::NotFound("no instance \"" + id + "\"");
  return ReadInstance(s);
}

Result<int64_t> SqliteStore::VersionOf(const std::string& id) {
  auto lease = Borrow();
  if (!lease.ok()) return lease.status();
  Status fresh = Freshen(**lease, /*scan=*/false);
  if (!fresh.ok()) return fresh;
  int64_t held = 0;
  {
    std::lock_guard<std::mutex> lock(rows_mu_);
    if (auto row = FindHeldInstance(*held_, *flushing_, id)) held = (*row)->instance->version;
  }
  Connection::Use s((*lease)->Prepare(kVersionOf));
  Bind(s, 1, id);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) return held;
  if (rc != SQLITE_ROW) return (*lease)->Error("reading a version");
  return std::max(held, int64_t{sqlite3_column_int64(s, 0)});
}

Result<std::vector<Instance>> SqliteStore::List(const InstanceFilter& f) {
  auto lease = Borrow();
  if (!lease.ok()) return lease.status();
  Status fresh = Freshen(**lease, /*scan=*/true);
  if (!fresh.ok()) return fresh;
  // Ad-hoc statement: filters vary; it is not on a hot path. A prefix is also given as
  // an id range (ids compare as bytes), so SQLite seeks instead of reading every row.
  std::string prefix_end = f.id_prefix;
  while (!prefix_end.empty() && static_cast<unsigned char>(prefix_end.back()) == 0xFF) {
    prefix_end.pop_back();
  }
  if (!prefix_end.empty()) prefix_end.back() = char(static_cast<unsigned char>(prefix_end.back()) + 1);
  // One lower bound: given "id > ?1 AND id >= ?2", SQLite seeks by the first and
  // filters by the second, so a registry start-up with an empty cursor read every
  // instance whose id sorts before "registry/" (a million lifecycles and notices) to
  // find none.
  const bool after_cursor = f.after_id >= f.id_prefix;
  std::string sql =
      "SELECT id, type, type_version, state, version, data, created_ms, updated_ms FROM instances "
      "WHERE ";
  sql += after_cursor ? "id > ?1" : "id >= ?2";
  sql += " AND substr(id, 1, length(?2)) = ?2";
  if (!prefix_end.empty()) sql += " AND id < ?6";
  // With an id prefix and a type but no state, the type is checked on the rows the id
  // range reads ("+type": no index): through the index by type SQLite would read every
  // instance of the type and sort them all for one page — every inbox item in the
  // database to show one user's first 50 (scale benchmark: list_page_ms). With a state
  // too, that index reads the type and state in id order, bounded by the range.
  if (!f.type.empty()) {
    sql += !f.id_prefix.empty() && f.state.empty() ? " AND +type = ?3" : " AND type = ?3";
  }
  if (!f.state.empty()) sql += " AND state = ?4";
  sql += " ORDER BY id LIMIT ?5";
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2((*lease)->db(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return (*lease)->Error("listing instances");
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> s(raw, sqlite3_finalize);
  Bind(raw, 1, f.after_id);
  Bind(raw, 2, f.id_prefix);
  if (!f.type.empty()) Bind(raw, 3, f.type);
  if (!f.state.empty()) Bind(raw, 4, f.state);
  Bind(raw, 5, int64_t(f.limit));
  if (!prefix_end.empty()) Bind(raw, 6, prefix_end);
  std::vector<Instance> out;
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) out.push_back(ReadInstance(raw));
  if (rc != SQLITE_DONE) return (*lease)->Error("listing instances");
  return out;
}

Result<std::optional<IdempotentReply>> SqliteStore::LookupIdempotency(const std::string& key) {
  auto lease = Borrow();
  if (!lease.ok()) return lease.status();
  Connection::Use s((*lease)->Prepare(kGetIdempotency));
  Bind(s, 1, key);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) return std::optional<IdempotentReply>();
  if (rc != SQLITE_ROW) return (*lease)->Error("reading an idempotency key");
  return std::optional<IdempotentReply>(
      IdempotentReply{Text(s, 0), Json::parse(Text(s, 1), nullptr, false)});
}

void SqliteStore::Prepare(WriteBatch* batch) {
  // Called by each writer before it queues: what is serialised here is not serialised
  // by the group's leader, whose time is everyone's. The engine serialised the created
  // instances already (once, for the journal too). Rows held back are serialised when
  // they are written (Rows::InstanceRow), so only rows written with their events need
  // their text now.
  batch->instance_data_json.resize(batch->instances.size());
  if (!options_.defer_rows) {
    for (size_t n = 0; n < batch->instances.size(); ++n) {
      if (batch->instance_data_json[n].empty()) {
        batch->instance_data_json[n] = DumpJson(batch->instances[n].after.data);
      }
    }
  }
  if (batch->timer_payload_json.size() != batch->timers_set.size()) {
    batch->timer_payload_json.clear();
    batch->timer_payload_json.reserve(batch->timers_set.size());
    for (const Timer& t : batch->timers_set) {
      batch->timer_payload_json.emplace_back();
      AppendJson(&batch->timer_payload_json.back(), t.payload);
    }
  }
}

bool SqliteStore::CheckBefore(Connection& w, const WriteBatch& b, CommitOutcome* out) {
  if (!b.idempotency_key.empty()) {
    Connection::Use s(w.Prepare(kGetIdempotency));
    Bind(s, 1, b.idempotency_key);
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
      out->replayed = IdempotentReply{Text(s, 0), Json::parse(Text(s, 1), nullptr, false)};
      return true;
    }
    if (rc != SQLITE_DONE) {
      throw std::runtime_error(std::string("reading an idempotency key: ") + sqlite3_errmsg(w.db()));
    }
  }
  for (const VersionCheck& c : b.reads) {
    const int64_t current = VersionNow(w, c.id);
    if (current != c.version) {
      out->status = Status::Conflict("instance \"" + c.id + "\" changed (version " +
                                     std::to_string(current) + ", read at " +
                                     std::to_string(c.version) + ")");
      out->stale_id = c.id;
      return true;
    }
  }
  return false;
}

void SqliteStore::AppendEvent(Connection& w, WriteBatch* b, ChainHead* head) {
  auto fail = [&](const char* what) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(w.db()));
  };
  JournalEvent& e = b->event;
  const std::string body = SealEvent(&e, head->seq + 1, head->hash);
  {
    Connection::Use s(w.Prepare(kInsertEvent));
    Bind(s, 1, e.seq);
    Bind(s, 2, e.ts_ms);
    BindStatic(s, 3, e.actor.user);
    BindStatic(s, 4, e.actor.role);
    BindStatic(s, 5, e.actor.unit);
    BindStatic(s, 6, e.command);
    BindStatic(s, 7, e.entity);
    BindStatic(s, 8, e.outcome);
    BindStatic(s, 9, body);
    BindStatic(s, 10, e.hash);
    if (sqlite3_step(s) != SQLITE_DONE) fail("appending to the journal");
  }
  if (!b->idempotency_key.empty()) {
    b->idempotent_reply.reply["event"] = {{"seq", e.seq}, {"hash", e.hash}};
    Connection::Use s(w.Prepare(kPutIdempotency));
    Bind(s, 1, b->idempotency_key);
    Bind(s, 2, b->idempotent_reply.fingerprint);
    Bind(s, 3, DumpJson(b->idempotent_reply.reply));
    if (sqlite3_step(s) != SQLITE_DONE) fail("storing an idempotency key");
  }
  head->seq = e.seq;
  head->hash = e.hash;
}

CommitOutcome SqliteStore::ApplyOne(Connection& w, WriteBatch* b, ChainHead* head,
                                    KnownVersions* known) {
  CommitOutcome out;
  auto fail = [&](const char* what) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(w.db()));
  };
  if (CheckBefore(w, *b, &out)) return out;
  // Conflicts can only come from the checked writes; a savepoint undoes the earlier
  // ones of this batch when a later one conflicts.
  const bool needs_savepoint = b->instances.size() + b->timers_consumed.size() > 1;
  if (needs_savepoint) {
    Status s = w.Run("SAVEPOINT batch");
    if (!s.ok()) fail("savepoint");
  }
  auto conflict = [&](Status st) {
    if (needs_savepoint) {
      w.Run("ROLLBACK TO batch");
      w.Run("RELEASE batch");
    }
    known->Forget();  // what this batch wrote is undone
    out.status = std::move(st);
    return out;
  };
  for (size_t n = 0; n < b->instances.size(); ++n) {
    const InstanceWrite& iw = b->instances[n];
    const Instance& i = iw.after;
    std::string dumped;
    const std::string& data = n < b->instance_data_json.size() && !b->instance_data_json[n].empty()
                                  ? b->instance_data_json[n]
                                  : (dumped = DumpJson(i.data));
    Connection::Use s(w.Prepare(iw.expected_version == 0 ? kInsertInstance : kUpdateInstance));
    BindStatic(s, 1, i.id);
    BindStatic(s, 2, i.type);
    Bind(s, 3, int64_t(i.type_version));
    BindStatic(s, 4, i.state);
    Bind(s, 5, i.version);
    BindStatic(s, 6, data);
    if (iw.expected_version == 0) Bind(s, 7, i.created_ms);
    Bind(s, 8, i.updated_ms);
    if (iw.expected_version != 0) Bind(s, 9, iw.expected_version);
    if (sqlite3_step(s) != SQLITE_DONE) fail("writing an instance");
    if (sqlite3_changes(w.db()) == 0) {
      int64_t current = 0;
      Connection::Use v(w.Prepare(kVersionOf));
      Bind(v, 1, i.id);
      if (sqlite3_step(v) == SQLITE_ROW) current = sqlite3_column_int64(v, 0);
      out.stale_id = i.id;
      return conflict(Status::Conflict("instance \"" + i.id + "\" is at version " +
                                       std::to_string(current) + ", not " +
                                       std::to_string(iw.expected_version)));
    }
    known->Update(i.id, i.version);
  }
  for (const std::string& id : b->timers_consumed) {
    Connection::Use s(w.Prepare(kDeleteTimer));
    BindStatic(s, 1, id);
    if (sqlite3_step(s) != SQLITE_DONE) fail("consuming a timer");
    if (sqlite3_changes(w.db()) == 0) {
      return conflict(Status::Conflict("timer \"" + id + "\" already fired or was cancelled"));
    }
  }
  for (const std::string& id : b->timers_cancelled) {
    Connection::Use s(w.Prepare(kDeleteTimer));
    BindStatic(s, 1, id);
    if (sqlite3_step(s) != SQLITE_DONE) fail("cancelling a timer");
  }
  const bool prepared = b->timer_payload_json.size() == b->timers_set.size();
  std::string payload;
  for (size_t n = 0; n < b->timers_set.size(); ++n) {
    const Timer& t = b->timers_set[n];
    if (!prepared) {
      payload.clear();
      AppendJson(&payload, t.payload);
    }
    Connection::Use s(w.Prepare(kSetTimer));
    BindStatic(s, 1, t.id);
    BindStatic(s, 2, t.instance_id);
    BindStatic(s, 3, t.command);
    Bind(s, 4, t.due_ms);
    BindStatic(s, 5, prepared ? b->timer_payload_json[n] : payload);
    if (sqlite3_step(s) != SQLITE_DONE) fail("setting a timer");
  }
  AppendEvent(w, b, head);
  if (needs_savepoint) {
    Status s = w.Run("RELEASE batch");
    if (!s.ok()) fail("release");
  }
  out.head = *head;
  return out;
}

namespace {
int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

SqliteStore::CommitTimes SqliteStore::commit_times() const {
  CommitTimes t;
  t.groups = groups_timed_.load(std::memory_order_relaxed);
  t.stage_ns = stage_ns_.load(std::memory_order_relaxed);
  t.commit_ns = commit_ns_.load(std::memory_order_relaxed);
  t.after_ns = after_ns_.load(std::memory_order_relaxed);
  return t;
}

Status SqliteStore::ApplyGroup(const std::vector<WriteBatch*>& group,
                               std::vector<CommitOutcome>* outcomes) {
  commits_waiting_.fetch_add(1);
  std::unique_lock<std::mutex> lock(writer_mu_);
  commits_waiting_.fetch_sub(1);
  const int64_t staged_from = SteadyNs();
  Connection& w = *writer_;
  outcomes->assign(group.size(), CommitOutcome{});
  if (!rows_broken_.ok()) return rows_broken_;
  if (held_->size() >= 4 * std::max<size_t>(options_.flush_max_rows, 1)) {
    // The background writer has fallen far behind: write the rows before adding more.
    Status flushed = FlushLocked(/*scan=*/true);
    if (!flushed.ok()) return flushed;
  }
  Status s = w.Run("BEGIN IMMEDIATE");
  if (!s.ok()) return s;
  ChainHead head;
  bool only_own = false;  // no other connection committed since this one's last commit
  try {
    if (known_->Revalidate(w) && known_->head()) {
      head = *known_->head();  // nobody else wrote: the head is what this connection wrote
      only_own = true;
    } else {
      // Another connection committed: its rows may be behind its journal, and every
      // check below must see them.
      CatchUp(w);
      Connection::Use h(w.Prepare(kHead));
      int rc = sqlite3_step(h);
      if (rc == SQLITE_ROW) {
        head.seq = sqlite3_column_int64(h, 0);
        head.hash = Text(h, 1);
      } else if (rc != SQLITE_DONE) {
        throw std::runtime_error(std::string("reading the journal head: ") +
                                 sqlite3_errmsg(w.db()));
      }
    }
    known_->set_head(head);  // provisional: forgotten if the transaction fails
    const int64_t before = head.seq;
    for (size_t i = 0; i < group.size(); ++i) {
      (*outcomes)[i] = options_.defer_rows ? DeferOne(w, group[i], &head)
                                           : ApplyOne(w, group[i], &head, known_.get());
    }
    if (!options_.defer_rows && head.seq != before) {
      SetMaterialized(w, head.seq);  // the rows went with the events
    }
    known_->set_head(head);
  } catch (const std::exception& ex) {
    w.Run("ROLLBACK");
    known_->Forget();
    AfterCommit(false, 0);
    return Status::Unavailable(std::string("commit failed, nothing was written: ") + ex.what());
  }
  single_batch_commit_ = group.size() == 1;  // read by OnWalCommit, inside the COMMIT
  // A reader that finds another connection's commits waits for the catch-up as before.
  if (only_own) committing_seq_.store(head.seq);
  const int64_t committed_from = SteadyNs();
  s = w.Run("COMMIT");
  const int64_t committed_to = SteadyNs();
  single_batch_commit_ = false;
  if (!s.ok()) {
    committing_seq_.store(0);  // before the write lock goes: another may commit next
    w.Run("ROLLBACK");
    known_->Forget();
    AfterCommit(false, 0);
    return Status::Unavailable("commit failed, nothing was written: " + s.message());
  }
  AfterCommit(true, head.seq);
  groups_timed_.fetch_add(1, std::memory_order_relaxed);
  stage_ns_.fetch_add(committed_from - staged_from, std::memory_order_relaxed);
  commit_ns_.fetch_add(committed_to - committed_from, std::memory_order_relaxed);
  after_ns_.fetch_add(SteadyNs() - committed_to, std::memory_order_relaxed);
  return Status::Ok();
}

int64_t SqliteStore::VersionNow(Connection& w, const std::string& id) {
  if (auto it = staged_->instances.find(id); it != staged_->instances.end()) {
    return it->second->instance->version;
  }
  // held_ and flushing_ change only under writer_mu_: no lock. Once this transaction has
  // written the tables up to the journal's head (CatchUp), they are the truth and the
  // held rows are history.
  if (!caught_up_in_tx_) {
    if (auto row = FindHeldInstance(*held_, *flushing_, id)) return (*row)->instance->version;
  }
  int64_t current = 0;
  if (!known_->Lookup(id, &current)) {
    Connection::Use v(w.Prepare(kVersionOf));
    BindStatic(v, 1, id);
    int rc = sqlite3_step(v);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      throw std::runtime_error(std::string("checking a version: ") + sqlite3_errmsg(w.db()));
    }
    current = rc == SQLITE_ROW ? sqlite3_column_int64(v, 0) : 0;
    known_->Remember(id, current);
  }
  return current;
}

CommitOutcome SqliteStore::DeferOne(Connection& w, WriteBatch* b, ChainHead* head) {
  CommitOutcome out;
  auto fail = [&](const char* what) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(w.db()));
  };
  // Everything is checked before anything is staged, so a conflict leaves nothing to undo.
  if (CheckBefore(w, *b, &out)) return out;
  for (const InstanceWrite& iw : b->instances) {
    const int64_t current = VersionNow(w, iw.after.id);
    if (current != iw.expected_version) {
      out.stale_id = iw.after.id;
      out.status = Status::Conflict("instance \"" + iw.after.id + "\" is at version " +
                                    std::to_string(current) + ", not " +
                                    std::to_string(iw.expected_version));
      return out;
    }
  }
  for (const std::string& id : b->timers_consumed) {
    bool pending;
    if (auto it = staged_->timers.find(id); it != staged_->timers.end()) {
      pending = it->second.pending;
    } else if (auto h = caught_up_in_tx_ ? nullptr : FindHeldTimer(*held_, *flushing_, id)) {
      pending = h->pending;
    } else {
      Connection::Use q(w.Prepare(kTimerExists));
      BindStatic(q, 1, id);
      const int rc = sqlite3_step(q);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail("checking a timer");
      pending = rc == SQLITE_ROW;
    }
    if (!pending) {
      out.status = Status::Conflict("timer \"" + id + "\" already fired or was cancelled");
      return out;
    }
  }
  b->committed.resize(b->instances.size());
  for (size_t n = 0; n < b->instances.size(); ++n) {
    InstanceWrite& iw = b->instances[n];
    auto row = std::make_shared<Rows::InstanceRow>();
    row->created = iw.expected_version == 0;
    row->created_ms = iw.after.created_ms;
    if (!row->created) {
      // Created since the tables were written: the row to insert keeps its creation time.
      const Rows::InstanceRow* earlier = nullptr;
      if (auto it = staged_->instances.find(iw.after.id); it != staged_->instances.end()) {
        earlier = it->second.get();
      } else if (auto h = caught_up_in_tx_ ? nullptr
                                           : FindHeldInstance(*held_, *flushing_, iw.after.id)) {
        earlier = h->get();
      }
      if (earlier != nullptr && earlier->created) {
        row->created = true;
        row->created_ms = earlier->created_ms;
      }
    }
    // The batch's text, if any, moves into the row, and the instance into one shared
    // with the engine's cache: the leader neither copies nor serialises.
    if (n < b->instance_data_json.size()) row->data_json = std::move(b->instance_data_json[n]);
    row->instance = std::make_shared<const Instance>(std::move(iw.after));
    const Instance& written = *row->instance;
    known_->Update(written.id, written.version);
    b->committed[n] = row->instance;
    staged_->instances[written.id] = std::move(row);
  }
  // The batch's timers move into the rows, as its instances did: a batch is staged once
  // (a failed group is decided again, in new batches).
  for (std::string& id : b->timers_consumed) staged_->timers[std::move(id)] = Rows::TimerRow{};
  for (std::string& id : b->timers_cancelled) staged_->timers[std::move(id)] = Rows::TimerRow{};
  const bool prepared = b->timer_payload_json.size() == b->timers_set.size();
  for (size_t n = 0; n < b->timers_set.size(); ++n) {
    Timer& t = b->timers_set[n];
    Rows::TimerRow& row = staged_->timers[std::move(t.id)];
    row.pending = true;
    row.instance_id = std::move(t.instance_id);
    row.command = std::move(t.command);
    row.due_ms = t.due_ms;
    if (prepared) {
      row.payload_json = std::move(b->timer_payload_json[n]);
    } else {
      row.payload_json.clear();
      AppendJson(&row.payload_json, t.payload);
    }
  }
  AppendEvent(w, b, head);
  staged_->through_seq = head->seq;
  out.head = *head;
  return out;
}

namespace {

// The entries of a hash map in key order. Rows written in key order put neighbours on
// the same B-tree pages one after another, so each page is found, changed and logged
// once for all its rows instead of being revisited in hash order: a second's rows were
// written in a third less time (docs/performance.md).
template <typename Map>
std::vector<const typename Map::value_type*> InKeyOrder(const Map& rows) {
  std::vector<const typename Map::value_type*> order;
  order.reserve(rows.size());
  for (const auto& entry : rows) order.push_back(&entry);
  std::sort(order.begin(), order.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  return order;
}

template <typename InstanceRowT>
void WriteInstanceRow(SqliteStore::Connection& w, const InstanceRowT& row) {
  const Instance& i = *row.instance;
  std::string scratch;
  const std::string& data = row.DataText(&scratch);
  SqliteStore::Connection::Use s(w.Prepare(row.created ? kPutInstance : kRewriteInstance));
  BindStatic(s, 1, i.id);
  BindStatic(s, 2, i.type);
  Bind(s, 3, int64_t(i.type_version));
  BindStatic(s, 4, i.state);
  Bind(s, 5, i.version);
  BindStatic(s, 6, data);
  if (row.created) {
    Bind(s, 7, row.created_ms);
    Bind(s, 8, i.updated_ms);
  } else {
    Bind(s, 7, i.updated_ms);
  }
  if (sqlite3_step(s) != SQLITE_DONE) {
    throw std::runtime_error(std::string("writing an instance: ") + sqlite3_errmsg(w.db()));
  }
  if (!row.created && sqlite3_changes(w.db()) != 1) {
    throw std::runtime_error("instance \"" + i.id + "\" has no row to update");
  }
}

template <typename TimerRowT>
void WriteTimerRow(SqliteStore::Connection& w, const std::string& id, const TimerRowT& row) {
  auto fail = [&](const char* what) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(w.db()));
  };
  if (!row.pending) {
    SqliteStore::Connection::Use s(w.Prepare(kDeleteTimer));
    BindStatic(s, 1, id);
    if (sqlite3_step(s) != SQLITE_DONE) fail("deleting a timer");
    return;
  }
  SqliteStore::Connection::Use s(w.Prepare(kSetTimer));
  BindStatic(s, 1, id);
  BindStatic(s, 2, row.instance_id);
  BindStatic(s, 3, row.command);
  Bind(s, 4, row.due_ms);
  BindStatic(s, 5, row.payload_json);
  if (sqlite3_step(s) != SQLITE_DONE) fail("setting a timer");
}

}  // namespace

void SqliteStore::WriteRows(Connection& w, const Rows& rows) {
  for (const auto* entry : InKeyOrder(rows.instances)) WriteInstanceRow(w, *entry->second);
  for (const auto* entry : InKeyOrder(rows.timers)) WriteTimerRow(w, entry->first, entry->second);
}

Result<bool> SqliteStore::WriteHeldRowsInSlices(size_t max_slices) {
  if (!options_.defer_rows) return true;
  if (options_.flush_slice_rows == 0) {
    Status s = Flush();
    if (!s.ok()) return s;
    return true;
  }
  for (size_t slice = 0; slice < max_slices;) {
    // Commits first: a slice takes the writer while no group waits for it, which is
    // while the group-commit leader waits for its next group to be decided.
    LetCommitsGoFirst();
    std::vector<std::shared_ptr<Rows>> written;  // destroyed after the writer is released
    std::unique_lock<std::mutex> lock(writer_mu_);
    if (!rows_broken_.ok()) return rows_broken_;
    Connection& w = *writer_;
    // Rows a commit's catch-up wrote are freed here too, after the writer is released.
    auto take_retired = [&] {
      for (auto& rows : retired_) written.push_back(std::move(rows));
      retired_.clear();
    };
    take_retired();
    auto catch_up = [&]() -> Result<bool> {
      // Another connection committed: the tables are caught up with at once, the rows
      // of this round with the rest (FlushLocked), and the round is over.
      Status s = FlushLocked(/*scan=*/true);
      take_retired();
      round_.reset();
      if (!s.ok()) return s;
      return true;
    };
    if (known_->Changed(w)) return catch_up();
    if (!round_ || round_->round != flushing_round_) {
      // A new round: the held rows become flushing_ and new commits start a new held_.
      // They are put in key order with the writer released; flushing_ does not change
      // meanwhile, and a catch-up that writes it ends the round (flushing_round_).
      round_.reset();
      if (flushing_->empty()) {
        std::lock_guard<std::mutex> rows_lock(rows_mu_);
        if (held_->empty()) return true;
        flushing_ = TakeHeld();
        ++flushing_round_;
      }
      auto round = std::make_unique<SliceRound>();
      round->rows = flushing_;
      round->round = flushing_round_;
      lock.unlock();
      round->instances = InKeyOrder(round->rows->instances);
      round->timers = InKeyOrder(round->rows->timers);
      lock.lock();
      round_ = std::move(round);
      continue;  // commits that queued meanwhile first
    }
    SliceRound& r = *round_;
    const size_t end = std::min(r.size(), r.next + options_.flush_slice_rows);
    const bool last = end == r.size();
    RelaxedSync relaxed(w, options_.synchronous_full);
    Status s = w.Run("BEGIN IMMEDIATE");
    if (!s.ok()) return s;
    if (!known_->Revalidate(w)) {
      w.Run("ROLLBACK");
      return catch_up();
    }
    try {
      for (size_t n = r.next; n < end; ++n) {
        if (n < r.instances.size()) {
          WriteInstanceRow(w, *r.instances[n]->second);
        } else {
          const auto* timer = r.timers[n - r.instances.size()];
          WriteTimerRow(w, timer->first, timer->second);
        }
      }
      if (last) {
        // Every row up to the round's last event is written: the tables' mark moves.
        SetMaterialized(w, r.rows->through_seq);
      }
    } catch (const std::exception& ex) {
      w.Run("ROLLBACK");
      return Status::Unavailable(std::string("writing rows: ") + ex.what());
    }
    s = w.Run("COMMIT");
    if (!s.ok()) {
      w.Run("ROLLBACK");
      return s;
    }
    r.next = end;
    ++slice;
    if (last) {
      {
        std::lock_guard<std::mutex> rows_lock(rows_mu_);
        written.push_back(std::exchange(flushing_, std::make_shared<Rows>()));
      }
      ++flushing_round_;
      round_.reset();
      return true;
    }
  }
  return false;
}

void SqliteStore::ReplayRows(Connection& w, int64_t after_seq, int64_t through_seq) {
  auto fail = [&](const std::string& what) {
    throw std::runtime_error(what + ": " + sqlite3_errmsg(w.db()));
  };
  // The journal's own fold (engine/replay.h) over the rows the events touch, loaded
  // from the tables first; then the touched rows are written back.
  constexpr int64_t kChunk = 512;
  for (int64_t seq = after_seq; seq < through_seq;) {
    std::vector<JournalEvent> events;
    {
      Connection::Use r(w.Prepare(kReadJournal));
      Bind(r, 1, seq);
      Bind(r, 2, std::min(kChunk, through_seq - seq));
      int rc;
      while ((rc = sqlite3_step(r)) == SQLITE_ROW) {
        auto e = ParseEventBody(Text(r, 1));
        if (!e.ok()) {
          throw std::runtime_error("event " + std::to_string(sqlite3_column_int64(r, 0)) +
                                   ": " + e.status().ToString());
        }
        e->seq = sqlite3_column_int64(r, 0);
        events.push_back(std::move(*e));
      }
      if (rc != SQLITE_DONE) fail("reading the journal");
    }
    if (events.empty()) break;
    seq = events.back().seq;
    MemoryState state;
    std::set<std::string> instances, timers;  // touched
    try {
      for (const JournalEvent& e : events) {
        for (const Json& c : e.change.value("instances", Json::array())) {
          const std::string id = c.at("id").get<std::string>();
          if (!instances.insert(id).second || c.contains("create")) continue;
          Connection::Use g(w.Prepare(kGetInstance));
          Bind(g, 1, id);
          const int rc = sqlite3_step(g);
          if (rc == SQLITE_ROW) {
            state.instances[id] = ReadInstance(g);
          } else if (rc != SQLITE_DONE) {
            fail("reading an instance");
          }
        }
        const Json t = e.change.value("timers", Json::object());
        for (const char* key : {"consumed", "cancel"}) {
          for (const Json& id : t.value(key, Json::array())) timers.insert(id.get<std::string>());
        }
        for (const Json& timer : t.value("set", Json::array())) {
          timers.insert(timer.at("id").get<std::string>());
        }
      }
    } catch (const Json::exception& ex) {
      throw std::runtime_error("the journal cannot be replayed: " + std::string(ex.what()));
    }
    for (const JournalEvent& e : events) {
      // A row the background writer wrote in a round it did not finish is newer than
      // the tables' mark (WriteHeldRowsInSlices): what it has already is skipped.
      Status applied = ApplyEvent(e, &state, /*skip_applied=*/true);
      if (!applied.ok()) throw std::runtime_error(applied.message());
    }
    for (const std::string& id : instances) {
      const Instance& i = state.instances.at(id);
      const std::string data = CanonicalJson(i.data);
      Connection::Use s(w.Prepare(kPutInstance));
      Bind(s, 1, i.id);
      Bind(s, 2, i.type);
      Bind(s, 3, int64_t(i.type_version));
      Bind(s, 4, i.state);
      Bind(s, 5, i.version);
      BindStatic(s, 6, data);
      Bind(s, 7, i.created_ms);
      Bind(s, 8, i.updated_ms);
      if (sqlite3_step(s) != SQLITE_DONE) fail("writing an instance");
    }
    for (const std::string& id : timers) {
      auto it = state.timers.find(id);
      if (it == state.timers.end()) {
        Connection::Use s(w.Prepare(kDeleteTimer));
        Bind(s, 1, id);
        if (sqlite3_step(s) != SQLITE_DONE) fail("deleting a timer");
        continue;
      }
      const Timer& timer = it->second;
      std::string payload;
      AppendJson(&payload, timer.payload);
      Connection::Use s(w.Prepare(kSetTimer));
      Bind(s, 1, timer.id);
      Bind(s, 2, timer.instance_id);
      Bind(s, 3, timer.command);
      Bind(s, 4, timer.due_ms);
      BindStatic(s, 5, payload);
      if (sqlite3_step(s) != SQLITE_DONE) fail("setting a timer");
    }
  }
}

void SqliteStore::CatchUp(Connection& w) {
  int64_t materialized = 0, head = 0;
  {
    Connection::Use q(w.Prepare(kMaterialized));
    if (sqlite3_step(q) == SQLITE_ROW) materialized = sqlite3_column_int64(q, 0);
  }
  {
    Connection::Use q(w.Prepare(kHead));
    const int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
      head = sqlite3_column_int64(q, 0);
    } else if (rc != SQLITE_DONE) {
      throw std::runtime_error(std::string("reading the journal head: ") + sqlite3_errmsg(w.db()));
    }
  }
  int64_t from = materialized;
  for (const Rows* rows : {flushing_.get(), held_.get()}) {
    // The held rows are the newest state of everything up to through_seq: nobody wrote
    // them, and every event after the tables' mark up to there is this store's. Those
    // the background writer is writing are older than held_'s and go first.
    if (!rows->empty() && rows->through_seq > from) {
      WriteRows(w, *rows);
      from = rows->through_seq;
    }
  }
  if (head > from) ReplayRows(w, from, head);
  if (head != materialized) {
    SetMaterialized(w, head);
  }
  caught_up_in_tx_ = true;
  caught_up_to_ = head;  // seen once the transaction commits
}

namespace {

// Moves every entry of `from` into `to`, replacing the value of a key `to` has. The
// nodes themselves move: no key is copied and nothing is allocated or freed, which
// matters because the group-commit leader does this for every row of every group
// while the group waits for its answer.
template <typename Map>
void MoveInto(Map* from, Map* to) {
  while (!from->empty()) {
    auto node = from->extract(from->begin());
    auto placed = to->insert(std::move(node));
    if (!placed.inserted) placed.position->second = std::move(placed.node.mapped());
  }
}

}  // namespace

std::unique_ptr<SqliteStore::Rows> SqliteStore::TakeHeld() {
  // Sized like the old ones: the next second's rows are about as many.
  auto fresh = std::make_unique<Rows>();
  fresh->instances.reserve(held_->instances.size());
  fresh->timers.reserve(held_->timers.size());
  return std::exchange(held_, std::move(fresh));
}

void SqliteStore::AfterCommit(bool committed, int64_t head_seq) {
  if (committed) {
    bool full = false;
    {
      std::lock_guard<std::mutex> lock(rows_mu_);
      if (caught_up_in_tx_) {
        // Written: kept in retired_ for Flush or Freshen to destroy once the writer is
        // released, as freeing a second's rows is slow and commits wait meanwhile.
        retired_.push_back(TakeHeld());
        if (!flushing_->empty()) {
          retired_.push_back(std::exchange(flushing_, std::make_shared<Rows>()));
          ++flushing_round_;  // the background writer's round is over: written here
        }
      }
      MoveInto(&staged_->instances, &held_->instances);
      MoveInto(&staged_->timers, &held_->timers);
      if (staged_->through_seq > 0) held_->through_seq = staged_->through_seq;
      full = held_->size() >= options_.flush_max_rows;
    }
    seen_seq_.store(std::max({seen_seq_.load(), head_seq, caught_up_to_}));
    if (full) flush_cv_.notify_one();
  }
  // On a rollback the held rows stay (the tables' mark did not move) and the staged
  // ones are dropped with their events.
  staged_->clear();
  caught_up_in_tx_ = false;
  caught_up_to_ = 0;
}

Status SqliteStore::FlushLocked(bool scan) {
  if (!rows_broken_.ok()) return rows_broken_;
  Connection& w = *writer_;
  bool held = false;
  {
    std::lock_guard<std::mutex> lock(rows_mu_);
    held = !held_->empty() || !flushing_->empty();
  }
  const bool foreign = known_->Changed(w);
  if (!foreign && !(scan && held)) return Status::Ok();
  RelaxedSync relaxed(w, options_.synchronous_full);
  Status s = w.Run("BEGIN IMMEDIATE");
  if (!s.ok()) return s;
  try {
    known_->Revalidate(w);  // forgets what other connections' commits may have changed
    CatchUp(w);
  } catch (const std::exception& ex) {
    w.Run("ROLLBACK");
    known_->Forget();
    AfterCommit(false, 0);
    return Status::Unavailable(std::string("writing rows: ") + ex.what());
  }
  s = w.Run("COMMIT");
  if (!s.ok()) {
    w.Run("ROLLBACK");
    known_->Forget();
    AfterCommit(false, 0);
    return s;
  }
  AfterCommit(true, 0);
  return Status::Ok();
}

Status SqliteStore::Flush() { return TakeWriterAndFlush(/*scan=*/true); }

Status SqliteStore::TakeWriterAndFlush(bool scan) {
  std::vector<std::shared_ptr<Rows>> written;  // destroyed after the writer is released
  std::lock_guard<std::mutex> lock(writer_mu_);
  Status s = FlushLocked(scan);
  written.swap(retired_);
  return s;
}

Status SqliteStore::Freshen(Connection& reader, bool scan) {
  if (!rows_broken_.ok()) return rows_broken_;
  bool foreign = false;
  {
    Connection::Use h(reader.Prepare(kHead));
    const int rc = sqlite3_step(h);
    if (rc == SQLITE_ROW) {
      // The commit in flight first: once AfterCommit has run, seen_seq_ covers it.
      const int64_t own = committing_seq_.load();
      foreign = sqlite3_column_int64(h, 0) > std::max(seen_seq_.load(), own);
    } else if (rc != SQLITE_DONE) {
      return reader.Error("reading the journal head");
    }
  }
  bool held = false;
  if (scan) {
    std::lock_guard<std::mutex> lock(rows_mu_);
    held = !held_->empty() || !flushing_->empty();
  }
  if (!foreign && !held) return Status::Ok();
  return TakeWriterAndFlush(scan);
}

void SqliteStore::FlushLoop() {
  std::unique_lock<std::mutex> lock(flush_mu_);
  while (!flush_stopping_) {
    flush_cv_.wait_for(lock, std::chrono::milliseconds(std::max(1, options_.flush_interval_ms)));
    if (flush_stopping_) break;
    lock.unlock();
    // A failure (e.g. the file locked by another process) is retried next round.
    for (bool done = false; !done && !flush_stopping_.load();) {
      auto r = WriteHeldRowsInSlices(64);
      done = !r.ok() || *r;
    }
    lock.lock();
  }
}

Result<std::vector<JournalEvent>> SqliteStore::ReadJournal(int64_t after_seq, size_t limit) {
  auto lease = Borrow();
  if (!lease.ok()) return lease.status();
  std::string prev = kGenesisHash;
  if (after_seq > 0) {
    Connection::Use p((*lease)->Prepare(kPrevHash));
    Bind(p, 1, after_seq);
    if (sqlite3_step(p) == SQLITE_ROW) prev = Text(p, 0);
  }
  Connection::Use s((*lease)->Prepare(kReadJournal));
  Bind(s, 1, after_seq);
  Bind(s, 2, int64_t(limit));
  std::vector<JournalEvent> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    auto e = ParseEventBody(Text(s, 1));
    if (!e.ok()) return e.status();
    e->hash = Text(s, 2);
    e->prev_hash = prev;
    prev = e->hash;
    out.push_back(std::move(*e));
  }
  if (rc != SQLITE_DONE) return (*lease)->Error("reading the journal");
  return out;
}

Result<std::vector<JournalEvent>> SqliteStore::QueryJournal(const JournalFilter& f) {
  auto lease = Borrow();
  if (!lease.ok()) return lease.status();
  Status tx = (*lease)->Exec("BEGIN");  // the indexed mark and the rows from one snapshot
  if (!tx.ok()) return tx;
  struct EndTx {
    Connection& c;
    ~EndTx() { c.Exec("COMMIT"); }
  } end_tx{**lease};
  int64_t indexed = 0;
  if (!f.entity.empty()) {
    Connection::Use q((*lease)->Prepare(
        "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'entity_indexed_seq'"));
    if (sqlite3_step(q) == SQLITE_ROW) indexed = sqlite3_column_int64(q, 0);
  }
  // The other filters are on the journal's columns; the verifier checks they agree
  // with the hashed bodies. An entity filter reads the indexed part through
  // journal_entity and scans only the tail that is not indexed yet.
  auto query = [&](bool indexed_part, std::vector<JournalEvent>* out) -> Status {
    std::string sql = "SELECT seq, body, hash FROM journal WHERE seq > ?1 AND ts_ms BETWEEN ?2 AND ?3";
    std::vector<std::pair<const char*, const std::string*>> cols = {
        {"actor", &f.actor},     {"role", &f.role},       {"unit", &f.unit},
        {"entity", &f.entity},   {"command", &f.command}, {"outcome", &f.outcome}};
    int n = 4;
    for (const auto& [col, value] : cols) {
      if (!value->empty()) sql += std::string(" AND ") + col + " = ?" + std::to_string(n++);
    }
    if (!f.entity.empty()) {
      sql += indexed_part ? " AND seq IN (SELECT seq FROM journal_entity WHERE entity = ?" +
                                std::to_string(n) + " AND seq > ?1 AND seq <= ?" +
                                std::to_string(n + 1) + ")"
                          : " AND seq > ?" + std::to_string(n + 1);
    }
    sql += " ORDER BY seq LIMIT ?" + std::to_string(n + 2);
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2((*lease)->db(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
      return (*lease)->Error("querying the journal");
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    Bind(raw, 1, f.after_seq);
    Bind(raw, 2, f.from_ms);
    Bind(raw, 3, f.to_ms);
    int i = 4;
    for (const auto& [col, value] : cols) {
      if (!value->empty()) Bind(raw, i++, *value);
    }
    if (!f.entity.empty()) {
      Bind(raw, n, f.entity);
      Bind(raw, n + 1, indexed);
    }
    Bind(raw, n + 2, int64_t(f.limit - out->size()));
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
      auto e = ParseEventBody(Text(raw, 1));
      if (!e.ok()) return e.status();
      e->hash = Text(raw, 2);
      out->push_back(std::move(*e));
    }
    if (rc != SQLITE_DONE) return (*lease)->Error("querying the journal");
    return Status::Ok();
  };
  std::vector<JournalEvent> out;
  if (!f.entity.empty() && indexed > f.after_seq) {
    Status s = query(true, &out);
    if (!s.ok()) return s;
  }
  if (out.size() < f.limit) {
    Status s = query(false, &out);
    if (!s.ok()) return s;
  }
  return out;
}

Result<ChainHead> SqliteStore::Head() {
  auto lease = Borrow();
  if (!lease.ok()) return lease.status();
  Connection::Use s((*lease)->Prepare(kHead));
  int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) return ChainHead{};
  if (rc != SQLITE_ROW) return (*lease)->Error("reading the journal head");
  return ChainHead{sqlite3_column_int64(s, 0), Text(s, 1)};
}

Result<ChainHead> SqliteStore::VerifyJournal(const std::optional<ChainHead>& exported) {
  auto lease = Borrow();
  if (!lease.ok()) return lease.status();
  Status tx = (*lease)->Exec("BEGIN");  // one consistent snapshot
  if (!tx.ok()) return tx;
  ChainVerifier v;
  if (exported) v.WatchSeq(exported->seq);
  Status result;
  {
    Connection::Use s((*lease)->Prepare(kVerifyJournal));
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      const int64_t seq = sqlite3_column_int64(s, 0);
      const std::string body = Text(s, 1);
      result = v.Feed(seq, body, Text(s, 2));
      if (!result.ok()) break;
      // The columns the audit filters use must say what the hashed body says.
      auto e = ParseEventBody(body);
      if (!e.ok() || e->ts_ms != sqlite3_column_int64(s, 3) || e->actor.user != Text(s, 4) ||
          e->actor.role != Text(s, 5) || e->actor.unit != Text(s, 6) ||
          e->command != Text(s, 7) || e->entity != Text(s, 8) || e->outcome != Text(s, 9)) {
        result = Status::Corruption("event " + std::to_string(seq) +
                                    " was altered: its columns differ from its hashed body");
        break;
      }
    }
    if (result.ok() && rc != SQLITE_DONE) result = (*lease)->Error("reading the journal");
  }
  (*lease)->Exec("COMMIT");
  if (!result.ok()) return result;
  if (exported) {
    Status s = v.CheckExported(*exported);
    if (!s.ok()) return s;
  }
  return v.head();
}

Result<std::vector<Timer>> SqliteStore::DueTimers(int64_t now_ms, size_t limit) {
  auto lease = Borrow();
  if (!lease.ok()) return lease.status();
  Status fresh = Freshen(**lease, /*scan=*/true);
  if (!fresh.ok()) return fresh;
  Connection::Use s((*lease)->Prepare(kDueTimers));
  Bind(s, 1, now_ms);
  Bind(s, 2, int64_t(limit));
  std::vector<Timer> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) out.push_back(ReadTimer(s));
  if (rc != SQLITE_DONE) return (*lease)->Error("reading due timers");
  return out;
}

Result<std::optional<Timer>> SqliteStore::NextTimer() {
  auto lease = Borrow();
  if (!lease.ok()) return lease.status();
  Status fresh = Freshen(**lease, /*scan=*/true);
  if (!fresh.ok()) return fresh;
  Connection::Use s((*lease)->Prepare(kNextTimer));
  int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) return std::optional<Timer>();
  if (rc != SQLITE_ROW) return (*lease)->Error("reading the next timer");
  return std::optional<Timer>(ReadTimer(s));
}

Result<std::vector<Timer>> SqliteStore::TimersOf(const std::string& instance_id) {
  auto lease = Borrow();
  if (!lease.ok()) return lease.status();
  Status fresh = Freshen(**lease, /*scan=*/true);
  if (!fresh.ok()) return fresh;
  Connection::Use s((*lease)->Prepare(kTimersOf));
  Bind(s, 1, instance_id);
  std::vector<Timer> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) out.push_back(ReadTimer(s));
  if (rc != SQLITE_DONE) return (*lease)->Error("reading timers");
  return out;
}

Result<int64_t> SqliteStore::CountPendingTimers() {
  auto lease = Borrow();
  if (!lease.ok()) return lease.status();
  Status fresh = Freshen(**lease, /*scan=*/true);
  if (!fresh.ok()) return fresh;
  Connection::Use s((*lease)->Prepare(kCountTimers));
  if (sqlite3_step(s) != SQLITE_ROW) return (*lease)->Error("counting timers");
  return int64_t(sqlite3_column_int64(s, 0));
}

Result<int64_t> SqliteStore::EventsBehind() {
  auto lease = Borrow();
  if (!lease.ok()) return lease.status();
  // Read without catching up: this is what a monitor wants to see.
  Connection::Use s((*lease)->Prepare(
      "SELECT coalesce((SELECT max(seq) FROM journal), 0) - "
      "coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'materialized_seq'), 0)"));
  if (sqlite3_step(s) != SQLITE_ROW) return (*lease)->Error("reading how far rows are behind");
  return int64_t{sqlite3_column_int64(s, 0)};
}

}  // namespace govassess
