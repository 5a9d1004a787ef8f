#include "adapters/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include "tests/adapters/temp_dir.h"
#include "tests/engine/store_contract.h"

using namespace govassess;
using govassess::testing::Cmd;
using govassess::testing::Rig;
using govassess::testing::TempDir;

namespace {

std::unique_ptr<Store> OpenOrDie(const std::string& path) {
  auto s = SqliteStore::Open(path);
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

}  // namespace

GOVASSESS_STORE_CONTRACT("sqlite store", MakeSqliteStore)

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
