// `govassess audit verify` through the real binary: an intact journal verifies; an
// altered, a deleted and a swapped row are each caught and the first bad event named.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "adapters/sqlite/sqlite_store.h"
#include "tests/adapters/run_process.h"
#include "tests/adapters/temp_dir.h"
#include "tests/engine/store_contract.h"

using namespace govassess;
using govassess::testing::Cmd;
using govassess::testing::Rig;
using govassess::testing::RunProcess;
using govassess::testing::TempDir;

namespace {

const std::string kCli = std::string(GOVASSESS_BUILD_DIR) + "/govassess";

// A database with `n` journal events: one create and n-1 steps.
void MakeJournal(const std::string& path, int n) {
  auto s = SqliteStore::Open(path);
  REQUIRE(s.ok());
  Rig rig(std::move(*s));
  rig.Run(Cmd("p", "create"));
  for (int i = 1; i < n; ++i) rig.Run(Cmd("p", "step", {{"note", "第" + std::to_string(i) + "步"}}));
}

// Tampers as someone with raw access to the file would: the append-only triggers go
// first.
void Tamper(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const std::string all = "DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete; " + sql;
  char* err = nullptr;
  int rc = sqlite3_exec(db, all.c_str(), nullptr, nullptr, &err);
  INFO((err ? err : ""));
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("audit verify: an intact journal prints ok with the event count and head") {
  TempDir dir;
  const std::string db = dir.Path("j.db");
  MakeJournal(db, 12);
  auto head = (*SqliteStore::Open(db))->Head();
  REQUIRE(head.ok());
  auto r = RunProcess({kCli, "audit", "verify", "--db", db});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "ok: 12 events, head " + head->hash + "\n");
  CHECK(r.err.empty());
  auto h = RunProcess({kCli, "audit", "head", "--db", db});
  CHECK(h.out == head->ToString() + "\n");
  auto again = RunProcess({kCli, "audit", "verify", "--db", db, "--expect-head", head->ToString()});
  CHECK(again.exit_code == 0);
}

TEST_CASE("audit verify: tampering is caught and the first bad event is named") {
  struct Case {
    const char* what;
    std::string sql;
    const char* names;
  };
  const std::vector<Case> cases = {
      {"altered body", "UPDATE journal SET body = replace(body, '第5步', '第9步') WHERE seq = 6",
       "event 6 "},
      {"altered column only", "UPDATE journal SET actor = 'someone-else' WHERE seq = 3",
       "event 3 "},
      {"deleted row", "DELETE FROM journal WHERE seq = 4", "event 4 "},
      {"swapped rows",
       "UPDATE journal SET seq = -1 WHERE seq = 7; UPDATE journal SET seq = 7 WHERE seq = 8; "
       "UPDATE journal SET seq = 8 WHERE seq = -1;",
       "event 7 "},
      {"swapped bodies and hashes",
       "CREATE TEMP TABLE t AS SELECT * FROM journal WHERE seq IN (9, 10);"
       "UPDATE journal SET body = (SELECT body FROM t WHERE seq = 10), hash = (SELECT hash FROM t "
       "WHERE seq = 10) WHERE seq = 9;"
       "UPDATE journal SET body = (SELECT body FROM t WHERE seq = 9), hash = (SELECT hash FROM t "
       "WHERE seq = 9) WHERE seq = 10;",
       "event 9 "},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.what) {
      TempDir dir;
      const std::string db = dir.Path("j.db");
      MakeJournal(db, 12);
      Tamper(db, c.sql);
      auto r = RunProcess({kCli, "audit", "verify", "--db", db});
      CHECK(r.exit_code == 1);
      CHECK(r.out.empty());
      INFO(r.err);
      CHECK(r.err.find("FAILED") != std::string::npos);
      CHECK(r.err.find(c.names) != std::string::npos);
    }
  }
}

TEST_CASE("audit verify: a deleted tail is caught against an exported head") {
  TempDir dir;
  const std::string db = dir.Path("j.db");
  MakeJournal(db, 12);
  const std::string exported = RunProcess({kCli, "audit", "head", "--db", db}).out;
  REQUIRE(exported.size() > 60);
  Tamper(db, "DELETE FROM journal WHERE seq >= 11");
  // The shortened chain is consistent in itself …
  CHECK(RunProcess({kCli, "audit", "verify", "--db", db}).exit_code == 0);
  // … but not with what was exported.
  auto r = RunProcess({kCli, "audit", "verify", "--db", db, "--expect-head",
                       exported.substr(0, exported.size() - 1)});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("removed from the end") != std::string::npos);
}

TEST_CASE("audit: bad usage is a clear error with exit code 2") {
  TempDir dir;
  struct Case { std::vector<std::string> args; const char* says; };
  const std::vector<Case> cases = {
      {{"audit"}, "usage"},
      {{"audit", "verify"}, "--db PATH is required"},
      {{"audit", "verify", "--db", dir.Path("missing.db")}, "no database at"},
      {{"audit", "verify", "--db"}, "needs a value"},
      {{"audit", "verify", "--bogus", "x"}, "unknown option --bogus"},
      {{"audit", "frobnicate"}, "unknown sub-command"},
      {{"audit", "verify", "--db", dir.Path("missing.db"), "--expect-head", "zz"}, "no database"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> argv = {kCli};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto r = RunProcess(argv);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(c.says) != std::string::npos);
  }
  // verify never creates a database as a side effect.
  CHECK_FALSE(std::filesystem::exists(dir.Path("missing.db")));
}
