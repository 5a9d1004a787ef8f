#include "adapters/sqlite/sqlite_store.h"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/canonical_json.h"
#include "tests/adapters/temp_dir.h"
#include "tests/engine/store_contract.h"

using namespace govassess;
using govassess::testing::Cmd;
using govassess::testing::CheckLiveEqualsReplay;
using govassess::testing::ListedIds;
using govassess::testing::Rig;
using govassess::testing::RunMixedWorkload;
using govassess::testing::TempDir;

namespace {

std::unique_ptr<Store> OpenOrDie(const std::string& path, const SqliteOptions& options = {}) {
  auto s = SqliteStore::Open(path, options);
  if (!s.ok()) throw std::runtime_error(s.status().ToString());
  return std::move(*s);
}

// Each contract case gets its own database file in a directory that outlives it.
TempDir& Dir() {
  static TempDir dir;
  return dir;
}

std::unique_ptr<Store> MakeSqliteStore() {
  static int n = 0;
  return OpenOrDie(Dir().Path("contract-" + std::to_string(++n) + ".db"));
}

// Rows written in every commit, as before the journal went first.
std::unique_ptr<Store> MakeRowsInCommitStore() {
  static int n = 0;
  SqliteOptions o;
  o.defer_rows = false;
  return OpenOrDie(Dir().Path("in-commit-" + std::to_string(++n) + ".db"), o);
}

// Rows held behind the journal for as long as nobody scans the tables.
SqliteOptions HoldRows() {
  SqliteOptions o;
  o.flush_interval_ms = 3'600'000;
  return o;
}

std::unique_ptr<Store> MakeHeldRowsStore() {
  static int n = 0;
  return OpenOrDie(Dir().Path("held-" + std::to_string(++n) + ".db"), HoldRows());
}

// The background writer at work all the time, one row per transaction, between the
// commits: every read meets rows half written.
std::unique_ptr<Store> MakeSlicingStore() {
  static int n = 0;
  SqliteOptions o;
  o.flush_interval_ms = 1;
  o.flush_slice_rows = 1;
  return OpenOrDie(Dir().Path("slicing-" + std::to_string(++n) + ".db"), o);
}

SqliteStore* Sqlite(Store* store) { return static_cast<SqliteStore*>(store); }

// The instances table as databases created before 2026-11-22 have it (WITHOUT ROWID,
// indexed by type and state), made before the store first opens the file.
void CreateOldInstancesTable(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const char* sql =
      "PRAGMA journal_mode=WAL;"
      "CREATE TABLE instances(id TEXT PRIMARY KEY, type TEXT NOT NULL, "
      "type_version INTEGER NOT NULL, state TEXT NOT NULL, version INTEGER NOT NULL, "
      "data TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL) "
      "WITHOUT ROWID;"
      "CREATE INDEX instances_by_type ON instances(type, state);";
  REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

std::unique_ptr<Store> MakeOldShapeStore() {
  static int n = 0;
  const std::string path = Dir().Path("old-shape-" + std::to_string(++n) + ".db");
  CreateOldInstancesTable(path);
  return OpenOrDie(path);
}

// One statement on the file read-only, past the store: its first row's first column
// (`arg` bound to ?1 when given).
class RawQuery {
 public:
  RawQuery(const std::string& path, const std::string& sql, const std::string* arg = nullptr) {
    REQUIRE(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s_, nullptr) == SQLITE_OK);
    if (arg != nullptr) sqlite3_bind_text(s_, 1, arg->c_str(), -1, SQLITE_TRANSIENT);
    row_ = sqlite3_step(s_) == SQLITE_ROW;
  }
  ~RawQuery() {
    sqlite3_finalize(s_);
    sqlite3_close(db_);
  }
  RawQuery(const RawQuery&) = delete;
  RawQuery& operator=(const RawQuery&) = delete;
  int64_t Number() const { return row_ ? sqlite3_column_int64(s_, 0) : -1; }  // -1: no row
  std::string Text() const {
    const unsigned char* t = row_ ? sqlite3_column_text(s_, 0) : nullptr;
    return t == nullptr ? "" : reinterpret_cast<const char*>(t);
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
  bool row_ = false;
};

// The statement that created `table`.
std::string TableSql(const std::string& path, const std::string& table) {
  return RawQuery(path, "SELECT sql FROM sqlite_master WHERE name = ?1", &table).Text();
}

// A number from the meta table.
int64_t MetaNumber(const std::string& path, const std::string& key) {
  return RawQuery(path, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1", &key).Number();
}

int64_t RawCount(const std::string& path, const std::string& table) {
  return RawQuery(path, "SELECT count(*) FROM " + table).Number();
}

int64_t RawHead(const std::string& path) {
  return RawQuery(path, "SELECT max(seq) FROM journal").Number();
}

// The version of `id`'s row, -1 when there is none.
int64_t RawVersion(const std::string& path, const std::string& id) {
  return RawQuery(path, "SELECT version FROM instances WHERE id = ?1", &id).Number();
}

// Commits the mixed workload and more in a child process that then dies without
// closing the store, so that the rows of its last commands exist only in the journal.
void CommitAndDie(const std::string& path) {
  std::fflush(nullptr);  // the child must not print what the parent has buffered
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // No Catch2 assertions here (they belong to the parent).
    int code = 0;
    try {
      Rig rig(OpenOrDie(path, HoldRows()));
      RunMixedWorkload(rig);  // its scans (due timers) write rows now and then
      // Then more than rows ever written: steps, a refusal, timers set, cancelled and
      // fired by hand, and a new instance.
      rig.clock.Advance(60'000);
      rig.engine.Execute(Cmd("p1", "step", {{"timer", {{"id", "p1#late"}, {"due_ms", rig.clock.NowMs() - 1}}}}));
      rig.engine.Execute(Cmd("p2", "step", {{"timer", {{"id", "p2#gone"}, {"due_ms", rig.clock.NowMs() + 9}}}}));
      rig.engine.Execute(Cmd("p2", "cancel", {{"id", "p2#gone"}}));
      rig.engine.Execute(Cmd("p3", "step", {{"timer", {{"id", "p3#later"}, {"due_ms", rig.clock.NowMs() + 99}}}}));
      rig.engine.Execute(Cmd("p5", "step", {{"refuse", true}}));
      rig.engine.Execute(Cmd("p6", "step", {{"note", "最后一步"}}));
      rig.engine.Execute(Cmd("new", "create"));
      Timer late;
      late.id = "p1#late";
      late.instance_id = "p1";
      late.command = "ring";
      late.due_ms = rig.clock.NowMs() - 1;
      auto fired = rig.engine.Execute(TimerCommand(late));
      if (!fired.ok() || !fired->accepted) code = 3;
      std::fflush(nullptr);
      _exit(code);  // as a kill would: no destructor writes the held rows
    } catch (...) {
      code = 4;
    }
    _exit(code);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
}


}  // namespace

GOVASSESS_STORE_CONTRACT("sqlite store", MakeSqliteStore)
GOVASSESS_STORE_CONTRACT("sqlite store with rows in the commit", MakeRowsInCommitStore)
GOVASSESS_STORE_CONTRACT("sqlite store holding rows", MakeHeldRowsStore)
GOVASSESS_STORE_CONTRACT("sqlite store writing its rows a slice at a time", MakeSlicingStore)
GOVASSESS_STORE_CONTRACT("sqlite store on a database from before instance rowids",
                         MakeOldShapeStore)

TEST_CASE("sqlite store: new databases keep rows on their page, old ones their shape") {
  TempDir dir;
  const std::string fresh = dir.Path("fresh.db"), old = dir.Path("old.db");
  CreateOldInstancesTable(old);
  for (const std::string& path : {fresh, old}) {
    Rig rig(OpenOrDie(path));
    // An assessment-sized row: over a quarter of a page, which a table without rowids
    // would spill to an overflow page.
    rig.Run(Cmd("p1", "create"));
    rig.Run(Cmd("p1", "step", {{"note", std::string(1500, 'x')}}));
    rig.Run(Cmd("p1", "close"));
  }
  CHECK(TableSql(fresh, "instances").find("WITHOUT ROWID") == std::string::npos);
  CHECK(TableSql(fresh, "instances_by_type").find("(type, state, id)") != std::string::npos);
  // Opening an older database neither rebuilds nor changes its tables.
  CHECK(TableSql(old, "instances").find("WITHOUT ROWID") != std::string::npos);
  CHECK(TableSql(old, "instances_by_type").find("(type, state)") != std::string::npos);
  for (const std::string& path : {fresh, old}) {
    auto store = OpenOrDie(path);
    CHECK(store->Get("p1")->data["last_note"] == std::string(1500, 'x'));
    InstanceFilter closed;
    closed.type = "probe";
    closed.state = "closed";
    REQUIRE(store->List(closed)->size() == 1);
    CheckLiveEqualsReplay(store.get());
  }
}

TEST_CASE("sqlite store: rows a killed process held are rebuilt from the journal on open") {
  TempDir dir;
  const std::string path = dir.Path("killed.db");
  CommitAndDie(path);
  const int64_t head_before = RawHead(path);
  // The child left events whose rows it never wrote…
  CHECK(MetaNumber(path, "materialized_seq") < head_before);
  // …which opening writes from the journal, so that the tables say what it says.
  auto store = OpenOrDie(path, HoldRows());
  CHECK(MetaNumber(path, "materialized_seq") == head_before);
  CheckLiveEqualsReplay(store.get());
  CHECK(store->Get("new")->version == 1);
  CHECK(store->Get("p1")->data["rings"] >= 1);
  auto timers = *store->TimersOf("p2");
  for (const Timer& t : timers) CHECK(t.id != "p2#gone");
}

TEST_CASE("sqlite store: a process killed halfway through writing its rows loses nothing") {
  TempDir dir;
  const std::string path = dir.Path("half.db");
  std::fflush(nullptr);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int code = 0;
    try {
      SqliteOptions o = HoldRows();  // no background writer: the slices are written here
      o.flush_slice_rows = 2;
      Rig rig(OpenOrDie(path, o));
      auto run = [&](const Command& c) {
        auto r = rig.engine.Execute(c);
        if (!r.ok() || !r->accepted) code = 3;
      };
      const int64_t soon = rig.clock.NowMs() + 60'000;
      run(Cmd("a", "create"));
      for (int i = 0; i < 3; ++i) run(Cmd("a", "step", {{"append", i}}));
      run(Cmd("b", "create"));
      run(Cmd("a", "step", {{"timer", {{"id", "a#one"}, {"due_ms", soon}}}}));
      if (!Sqlite(rig.store.get())->Flush().ok()) code = 4;  // the tables' mark: a at 5
      run(Cmd("a", "step", {{"append", 3}}));
      run(Cmd("b", "step"));
      run(Cmd("a", "step", {{"append", 4}, {"timer", {{"id", "a#two"}, {"due_ms", soon}}}}));
      run(Cmd("a", "cancel", {{"id", "a#one"}}));
      // One slice: the rows of a (at 8) and b (at 2); the timers wait for the next.
      auto round = Sqlite(rig.store.get())->WriteHeldRowsInSlices(1);
      if (!round.ok() || *round) code = 5;
      run(Cmd("a", "step", {{"append", 5}}));
      run(Cmd("c", "create"));
      std::fflush(nullptr);
      _exit(code);  // as a kill would: the round is not finished
    } catch (...) {
      _exit(6);
    }
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  // The tables are half way: a's row is newer than their mark and older than the journal.
  const int64_t mark = MetaNumber(path, "materialized_seq");
  CHECK(mark == 6);
  CHECK(RawHead(path) == 12);
  CHECK(RawVersion(path, "a") == 8);
  CHECK(RawVersion(path, "c") == -1);
  CHECK(RawCount(path, "timers") == 1);  // a#one, cancelled in the journal only
  // Opening replays the journal after the mark over them, skipping what a's row has.
  auto store = OpenOrDie(path, HoldRows());
  CHECK(MetaNumber(path, "materialized_seq") == 12);
  CheckLiveEqualsReplay(store.get());
  const Instance a = *store->Get("a");
  CHECK(a.version == 9);
  CHECK(a.data["count"] == 7);  // seven steps; the cancel counts none
  // Each entry once: the row already had 3 and 4, which the journal appends again.
  CHECK(a.data["log"] == Json::array({0, 1, 2, 3, 4, 5}));
  CHECK(store->Get("b")->data["count"] == 1);
  CHECK(store->Get("c")->version == 1);
  auto timers = *store->TimersOf("a");
  REQUIRE(timers.size() == 1);
  CHECK(timers[0].id == "a#two");
}

TEST_CASE("sqlite store: a round of slices and another store's commits in between") {
  TempDir dir;
  const std::string path = dir.Path("slices-two.db");
  SqliteOptions o = HoldRows();
  o.flush_slice_rows = 1;
  Rig a(OpenOrDie(path, o));
  Rig b(OpenOrDie(path, HoldRows()));
  for (const char* id : {"x", "y", "z"}) {
    a.Run(Cmd(id, "create"));
    a.Run(Cmd(id, "step"));
  }
  a.Run(Cmd("x", "step", {{"timer", {{"id", "x#t"}, {"due_ms", a.clock.NowMs() + 10}}}}));
  // a writes one row of its round (x at 3) and keeps the rest; it still reads its newest.
  auto first = Sqlite(a.store.get())->WriteHeldRowsInSlices(1);
  REQUIRE(first.ok());
  CHECK_FALSE(*first);
  CHECK(RawVersion(path, "x") == 3);
  CHECK(RawVersion(path, "y") == -1);
  CHECK(a.store->Get("y")->version == 2);
  a.Run(Cmd("y", "step"));  // held, newer than the round's row of y
  CHECK(*a.store->VersionOf("y") == 3);
  // b reads the tables half written, catches up over them and writes on top.
  CHECK(b.store->Get("x")->version == 3);
  CHECK(b.store->Get("y")->version == 3);
  b.Run(Cmd("z", "step", {{"note", "from b"}}));
  b.Run(Cmd("x", "cancel", {{"id", "x#t"}}));
  // a's round goes on: it sees b's commits and catches up instead of writing old rows.
  auto rest = Sqlite(a.store.get())->WriteHeldRowsInSlices();
  REQUIRE(rest.ok());
  CHECK(*rest);
  CHECK(RawVersion(path, "y") == 3);
  CHECK(RawVersion(path, "z") == 3);
  CHECK(MetaNumber(path, "materialized_seq") == RawHead(path));
  CHECK(*a.store->CountPendingTimers() == 0);
  CHECK(a.Run(Cmd("z", "step")).instance().version == 4);
  CheckLiveEqualsReplay(a.store.get());
  CheckLiveEqualsReplay(b.store.get());
}

TEST_CASE("sqlite store: two stores on one file see each other's commits at once") {
  TempDir dir;
  const std::string path = dir.Path("two.db");
  Rig a(OpenOrDie(path, HoldRows()));
  Rig b(OpenOrDie(path, HoldRows()));
  a.Run(Cmd("x", "create"));
  a.Run(Cmd("x", "step", {{"timer", {{"id", "x#ring"}, {"due_ms", a.clock.NowMs() + 10}}}}));
  // b reads what a holds and has not written to the tables.
  CHECK(MetaNumber(path, "materialized_seq") < 2);
  CHECK(*a.store->EventsBehind() == 2 - MetaNumber(path, "materialized_seq"));
  CHECK(b.store->Get("x")->version == 2);
  CHECK(*b.store->VersionOf("x") == 2);
  // b writes on top of it; a reads b's write and checks its own writes against it.
  b.Run(Cmd("x", "step", {{"note", "from b"}}));
  CHECK(a.store->Get("x")->version == 3);
  CHECK(a.store->Get("x")->data["count"] == 2);
  Command stale = Cmd("x", "step");
  stale.expected_version = 2;
  auto refused = a.engine.Execute(stale);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().IsConflict());
  // Versions go on from the newest, whichever store writes.
  CHECK(a.Run(Cmd("x", "step")).instance().version == 4);
  CHECK(b.Run(Cmd("x", "step")).instance().version == 5);
  // The timer a set fires once, whichever store's engine finds it first.
  CHECK(b.engine.FireDueTimers(b.clock.NowMs() + 100).value() == 1);
  CHECK(a.engine.FireDueTimers(a.clock.NowMs() + 100).value() == 0);
  CHECK(a.store->Get("x")->data["rings"] == 1);
  CHECK(*a.store->CountPendingTimers() == 0);
  CheckLiveEqualsReplay(a.store.get());
  CheckLiveEqualsReplay(b.store.get());
}

TEST_CASE("sqlite store: held rows reach the tables by themselves, once per instance") {
  TempDir dir;
  const std::string path = dir.Path("flush.db");
  SqliteOptions o;
  o.flush_interval_ms = 20;
  Rig rig(OpenOrDie(path, o));
  rig.Run(Cmd("y", "create"));
  for (int i = 0; i < 5; ++i) rig.Run(Cmd("y", "step"));
  rig.Run(Cmd("y", "step", {{"timer", {{"id", "y#soon"}, {"due_ms", rig.clock.NowMs() + 10}}}}));
  rig.Run(Cmd("y", "cancel", {{"id", "y#soon"}}));
  rig.Run(Cmd("y", "step", {{"timer", {{"id", "y#kept"}, {"due_ms", rig.clock.NowMs() + 10}}}}));
  const int64_t head = rig.HeadSeq();
  for (int waited = 0; waited < 5000 && MetaNumber(path, "materialized_seq") != head; waited += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(MetaNumber(path, "materialized_seq") == head);
  CHECK(*rig.store->EventsBehind() == 0);
  CHECK(RawCount(path, "instances") == 1);
  CHECK(RawCount(path, "timers") == 1);  // y#soon was set and cancelled in between
  // The row holds the newest version, its data as canonical text, though the engine
  // wrote no text for the changes (the row is serialised when it is written).
  const std::string y = "y";
  CHECK(RawVersion(path, y) == 9);
  CHECK(RawQuery(path, "SELECT data FROM instances WHERE id = ?1", &y).Text() ==
        "{\"count\":7,\"rings\":0}");
  CheckLiveEqualsReplay(rig.store.get());
}

TEST_CASE("sqlite store: a row held back is read with its newest data, then written as text") {
  TempDir dir;
  const std::string path = dir.Path("held-read.db");
  Rig rig(OpenOrDie(path, HoldRows()));
  rig.Run(Cmd("h", "create"));
  rig.Run(Cmd("h", "step", {{"note", "第一"}, {"append", 1}}));
  rig.Run(Cmd("h", "step", {{"note", "第二"}, {"append", 2}}));
  const std::string h = "h";
  CHECK(RawVersion(path, h) == -1);  // held: only the journal has it
  auto held = rig.store->Get(h);
  REQUIRE(held.ok());
  CHECK(held->version == 3);
  CHECK(held->data == Json{{"count", 2}, {"last_note", "第二"}, {"log", {1, 2}}, {"rings", 0}});
  REQUIRE(Sqlite(rig.store.get())->Flush().ok());
  CHECK(RawVersion(path, h) == 3);
  CHECK(RawQuery(path, "SELECT data FROM instances WHERE id = ?1", &h).Text() ==
        CanonicalJson(held->data));
  CheckLiveEqualsReplay(rig.store.get());
}

TEST_CASE("sqlite store: state and chain survive closing and reopening") {
  TempDir dir;
  const std::string path = dir.Path("reopen.db");
  ChainHead head;
  {
    Rig rig(OpenOrDie(path));
    rig.Run(Cmd("p", "create"));
    rig.Run(Cmd("p", "step", {{"timer", {{"id", "p#ring"}, {"due_ms", rig.clock.NowMs() + 10}}}}));
    head = *rig.store->Head();
  }
  Rig rig(OpenOrDie(path));
  CHECK(rig.store->Head()->hash == head.hash);
  CHECK(rig.store->Get("p")->version == 2);
  CHECK(*rig.store->CountPendingTimers() == 1);
  auto r = rig.Run(Cmd("p", "step"));
  CHECK(r.event.seq == 3);
  CHECK(rig.store->VerifyJournal(head).ok());
}

TEST_CASE("sqlite store: the journal refuses UPDATE and DELETE") {
  TempDir dir;
  const std::string path = dir.Path("append-only.db");
  { Rig rig(OpenOrDie(path)); rig.Run(Cmd("p", "create")); }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  CHECK(sqlite3_exec(db, "UPDATE journal SET body = 'x' WHERE seq = 1", nullptr, nullptr, &err) != SQLITE_OK);
  CHECK(std::string(err ? err : "").find("append-only") != std::string::npos);
  sqlite3_free(err);
  CHECK(sqlite3_exec(db, "DELETE FROM journal", nullptr, nullptr, nullptr) != SQLITE_OK);
  sqlite3_close(db);
}

TEST_CASE("sqlite store: a file that is not a database is refused with a clear error") {
  TempDir dir;
  const std::string path = dir.Path("garbage.db");
  FILE* f = fopen(path.c_str(), "w");
  fputs("this is not a database, just text that is long enough to be looked at by sqlite", f);
  fclose(f);
  auto s = SqliteStore::Open(path);
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().message().find(path) != std::string::npos);
}

TEST_CASE("sqlite store: two processes' worth of engines share one file and one chain") {
  TempDir dir;
  const std::string path = dir.Path("shared.db");
  Rig a(OpenOrDie(path));
  Rig b(OpenOrDie(path));
  a.Run(Cmd("x", "create"));
  std::atomic<int> failures{0};
  std::thread ta([&] { for (int i = 0; i < 50; ++i) if (!a.engine.Execute(Cmd("x", "step")).ok()) ++failures; });
  std::thread tb([&] { for (int i = 0; i < 50; ++i) if (!b.engine.Execute(Cmd("x", "step")).ok()) ++failures; });
  ta.join();
  tb.join();
  // Without If-Match the engines retry a few times; whatever was acknowledged counts once.
  auto events = *a.store->ReadJournal(0, 1000);
  int accepted_steps = 0;
  for (const auto& e : events) accepted_steps += (e.command == "step" && e.outcome == "accepted");
  CHECK(a.store->Get("x")->data["count"] == accepted_steps);
  CHECK(accepted_steps + failures == 100);
  CHECK(a.store->VerifyJournal(std::nullopt).ok());
}

TEST_CASE("sqlite store: audit queries by entity agree before and after background indexing") {
  TempDir dir;
  SqliteOptions options;
  options.index_interval_ms = 0;  // index by hand, to see both halves
  auto opened = SqliteStore::Open(dir.Path("q.db"), options);
  REQUIRE(opened.ok());
  SqliteStore* sqlite = opened->get();
  Rig rig(std::move(*opened));
  for (const char* id : {"a", "b", "c"}) rig.Run(Cmd(id, "create"));
  auto expect = [&](const std::string& entity, size_t n) {
    JournalFilter f;
    f.entity = entity;
    f.limit = 1000;
    auto got = rig.store->QueryJournal(f);
    REQUIRE(got.ok());
    CHECK(got->size() == n);
    int64_t last = 0;
    for (const auto& e : *got) {
      CHECK(e.entity == entity);
      CHECK(e.seq > last);  // in order, no duplicates
      last = e.seq;
    }
    // Paging from the middle sees the rest.
    if (n > 2) {
      f.after_seq = (*got)[1].seq;
      CHECK(rig.store->QueryJournal(f)->size() == n - 2);
    }
  };
  for (int i = 0; i < 10; ++i) rig.Run(Cmd(i % 2 ? "a" : "b", "step"));
  expect("a", 6);
  expect("b", 6);
  REQUIRE(sqlite->IndexJournal().ok());
  expect("a", 6);
  for (int i = 0; i < 4; ++i) rig.Run(Cmd("a", "step", {{"refuse", i % 2 == 0}}));
  expect("a", 10);  // six indexed, four in the tail
  expect("c", 1);
  REQUIRE(sqlite->IndexJournal().ok());
  expect("a", 10);
  // The other filters combine with the entity.
  JournalFilter refused;
  refused.entity = "a";
  refused.outcome = "refused";
  CHECK(rig.store->QueryJournal(refused)->size() == 2);
}

TEST_CASE("sqlite store: the index is written in batches, each with its mark, to the head") {
  TempDir dir;
  const std::string path = dir.Path("batches.db");
  SqliteOptions options;
  options.index_interval_ms = 0;      // by hand
  options.synchronous_full = false;   // 1,300 commits; durability is tested elsewhere
  auto opened = SqliteStore::Open(path, options);
  REQUIRE(opened.ok());
  SqliteStore* sqlite = opened->get();
  Rig rig(std::move(*opened));
  const std::vector<std::string> ids = {"p", "q", "r"};
  for (const std::string& id : ids) rig.Run(Cmd(id, "create"));
  for (int i = 0; i < 1300; ++i) rig.Run(Cmd(ids[i % 3], "step"));
  const int64_t head = rig.store->Head()->seq;
  REQUIRE(head == 1303);
  CHECK(MetaNumber(path, "entity_indexed_seq") == -1);  // nothing indexed yet

  // One call indexes everything, in three transactions of up to 512 events.
  auto indexed = sqlite->IndexJournal();
  REQUIRE(indexed.ok());
  CHECK(*indexed == head);
  CHECK(MetaNumber(path, "entity_indexed_seq") == head);
  CHECK(RawQuery(path, "SELECT count(*) FROM journal_entity").Number() == head);
  for (const std::string& id : ids) {
    CHECK(RawQuery(path, "SELECT count(*) FROM journal_entity WHERE entity = ?1", &id).Number() ==
          RawQuery(path, "SELECT count(*) FROM journal WHERE entity = ?1", &id).Number());
  }
  CHECK(RawQuery(path, "SELECT count(*) FROM journal j JOIN journal_entity e "
                       "ON e.seq = j.seq AND e.entity = j.entity").Number() == head);

  // Nothing new: nothing written, the same mark; then only what came since.
  CHECK(*sqlite->IndexJournal() == head);
  rig.Run(Cmd("p", "step"));
  CHECK(*sqlite->IndexJournal() == head + 1);
  CHECK(RawQuery(path, "SELECT count(*) FROM journal_entity").Number() == head + 1);
}

TEST_CASE("sqlite store: a journal that cannot be replayed opens for the auditor only") {
  TempDir dir;
  const std::string path = dir.Path("altered.db");
  CommitAndDie(path);
  const int64_t head = RawHead(path);
  REQUIRE(MetaNumber(path, "materialized_seq") < head);
  {
    // Someone with the file alters the last event, whose rows were never written.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "DROP TRIGGER journal_no_update; "
                         "UPDATE journal SET body = '{\"altered\":' WHERE seq = (SELECT max(seq) FROM journal)",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  auto opened = SqliteStore::Open(path, HoldRows());
  REQUIRE(opened.ok());
  Store* store = opened->get();
  // The journal can be read, and the verifier names the altered event…
  CHECK(store->Head()->seq == head);
  auto verified = store->VerifyJournal(std::nullopt);
  REQUIRE_FALSE(verified.ok());
  CHECK_THAT(verified.status().message(), Catch::Contains(std::to_string(head)));
  // …but rows are neither read nor written, and nothing changes.
  auto got = store->Get("p1");
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().code() == Code::kCorruption);
  CHECK_THAT(got.status().message(), Catch::Contains("audit verify"));
  CHECK_FALSE(store->List(InstanceFilter{}).ok());
  CHECK_FALSE(store->DueTimers(INT64_MAX, 10).ok());
  Rig rig(std::move(*opened));
  CHECK_FALSE(rig.engine.Execute(Cmd("p1", "step")).ok());
  CHECK(RawHead(path) == head);
}

TEST_CASE("sqlite store: two stores writing the same instances and timers at once lose nothing") {
  TempDir dir;
  const std::string path = dir.Path("race.db");
  SqliteOptions quick;
  quick.flush_interval_ms = 5;  // rows written and caught up with all the time
  Rig a(OpenOrDie(path, quick));
  Rig b(OpenOrDie(path, HoldRows()));
  constexpr int kInstances = 6, kThreads = 3, kSteps = 40;
  for (int i = 0; i < kInstances; ++i) a.Run(Cmd("s" + std::to_string(i), "create"));
  std::atomic<int> accepted{0}, errors{0};
  auto work = [&](Rig* rig, int seed) {
    for (int n = 0; n < kSteps; ++n) {
      const std::string id = "s" + std::to_string((seed * 7 + n) % kInstances);
      Json payload = Json::object();
      if (n % 5 == 0) {
        payload["timer"] = {{"id", id + "#" + std::to_string(seed) + "-" + std::to_string(n)},
                            {"due_ms", rig->clock.NowMs() + (n % 3)}};
      }
      auto r = n % 9 == 4 ? rig->engine.Execute(Cmd(id, "cancel", {{"id", id + "#" + std::to_string(seed) + "-" + std::to_string(n - 4)}}))
                          : rig->engine.Execute(Cmd(id, "step", payload));
      if (r.ok() && r->accepted && n % 9 != 4) ++accepted;
      if (!r.ok() && !r.status().IsConflict()) ++errors;
      if (n % 10 == 9 && !rig->engine.FireDueTimers(rig->clock.NowMs() + 10).ok()) ++errors;
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back(work, &a, t);
    threads.emplace_back(work, &b, kThreads + t);
  }
  for (auto& th : threads) th.join();
  REQUIRE(a.engine.FireDueTimers(a.clock.NowMs() + 10).ok());
  REQUIRE(b.engine.FireDueTimers(b.clock.NowMs() + 10).ok());
  CHECK(errors == 0);
  // Every accepted step counted exactly once, whichever store took it.
  int counted = 0, rung = 0;
  for (int i = 0; i < kInstances; ++i) {
    const Instance x = *b.store->Get("s" + std::to_string(i));
    CHECK(*a.store->Get(x.id) == x);
    counted += x.data.value("count", 0);
    rung += x.data.value("rings", 0);
  }
  CHECK(counted == accepted.load());
  int set = 0;
  const auto events = a.store->ReadJournal(0, 100000);
  REQUIRE(events.ok());
  for (const auto& e : *events) {
    if (e.outcome == "accepted" && e.change.contains("timers")) {
      set += int(e.change["timers"].value("set", Json::array()).size());
    }
  }
  CHECK(rung <= set);
  CHECK(*a.store->CountPendingTimers() == 0);
  CheckLiveEqualsReplay(a.store.get());
  CheckLiveEqualsReplay(b.store.get());
}

TEST_CASE("sqlite store: commits write the held rows themselves when too many wait") {
  TempDir dir;
  const std::string path = dir.Path("bounded.db");
  SqliteOptions o = HoldRows();  // the background writer never runs
  o.flush_max_rows = 5;
  Rig rig(OpenOrDie(path, o));
  for (int i = 0; i < 60; ++i) rig.Run(Cmd("b" + std::to_string(i), "create"));
  // At most four times flush_max_rows wait; the rest were written by commits.
  CHECK(MetaNumber(path, "materialized_seq") >= 60 - 20);
  CHECK(RawCount(path, "instances") >= 60 - 20);
  CheckLiveEqualsReplay(rig.store.get());
}

TEST_CASE("sqlite store: listing by id prefix and type, with or without a state, in id order") {
  TempDir dir;
  Rig rig(OpenOrDie(dir.Path("list.db")));
  for (const char* id : {"u/1/a", "u/1/b", "u/1/c", "u/10/a", "u/2/a"}) rig.Run(Cmd(id, "create"));
  rig.Run(Cmd("u/1/b", "close"));
  auto ids = [&](const std::string& type, const std::string& state, const std::string& after,
                 size_t limit) {
    InstanceFilter f;
    f.id_prefix = "u/1/";
    f.type = type;
    f.state = state;
    f.after_id = after;
    f.limit = limit;
    return ListedIds(rig.store.get(), f);
  };
  using V = std::vector<std::string>;
  CHECK(ids("probe", "", "", 10) == V{"u/1/a", "u/1/b", "u/1/c"});
  CHECK(ids("probe", "", "", 2) == V{"u/1/a", "u/1/b"});
  CHECK(ids("probe", "", "u/1/a", 10) == V{"u/1/b", "u/1/c"});
  CHECK(ids("probe", "open", "", 10) == V{"u/1/a", "u/1/c"});
  CHECK(ids("probe", "closed", "", 10) == V{"u/1/b"});
  CHECK(ids("other", "", "", 10).empty());
  CHECK(ids("other", "open", "", 10).empty());
}
