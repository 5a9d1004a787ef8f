#include "bench/journal_bench.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

#include "adapters/sqlite/sqlite_store.h"
#include "bench/machine.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/probe_workflow.h"

namespace govassess {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

// Plain SQLite: WAL, synchronous=FULL, one prepared INSERT of a row about the size of a
// journal event, `per_tx` rows per transaction. Returns rows per second.
double RawSqlite(const std::string& path, int rows, int per_tx) {
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Check(sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
                     nullptr, nullptr, nullptr),
        db, "setup");
  sqlite3_stmt* ins = nullptr;
  Check(sqlite3_prepare_v2(db, "INSERT INTO t(body) VALUES(?1)", -1, &ins, nullptr), db, "prepare");
  const std::string body(300, 'x');
  auto start = Clock::now();
  for (int done = 0; done < rows;) {
    Check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
    for (int i = 0; i < per_tx && done < rows; ++i, ++done) {
      sqlite3_bind_text(ins, 1, body.data(), int(body.size()), SQLITE_STATIC);
      Check(sqlite3_step(ins), db, "insert");
      sqlite3_reset(ins);
    }
    Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  }
  double secs = Seconds(start);
  sqlite3_finalize(ins);
  sqlite3_close(db);
  return rows / secs;
}

struct EngineRig {
  EngineRig(const std::string& path, bool rows_behind) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    SqliteOptions options;
    options.defer_rows = rows_behind;
    auto s = SqliteStore::Open(path, options);
    if (!s.ok()) throw std::runtime_error(s.status().ToString());
    store = std::move(*s);
    engine = std::make_unique<Engine>(store.get(), &clock);
    engine->Register(std::make_unique<ProbeWorkflow>());
  }
  void Run(const std::string& id, const std::string& name) {
    Command c;
    c.instance_id = id;
    c.name = name;
    c.type = name == "create" ? "probe" : "";
    c.actor = Actor{"bench", "unit", "u1", "bench"};
    c.payload = {{"note", "完成情况良好"}};
    auto r = engine->Execute(c);
    if (!r.ok() || !r->accepted) throw std::runtime_error("bench command failed: " + r.status().ToString());
  }
  std::unique_ptr<SqliteStore> store;
  SystemClock clock;
  std::unique_ptr<Engine> engine;
};

double EngineSequential(const std::string& path, int commits, bool rows_behind) {
  EngineRig rig(path, rows_behind);
  for (int i = 0; i < 100; ++i) rig.Run("i" + std::to_string(i), "create");
  auto start = Clock::now();
  for (int i = 0; i < commits; ++i) rig.Run("i" + std::to_string(i % 100), "step");
  return commits / Seconds(start);
}

nlohmann::json EngineConcurrent(const std::string& path, int clients, double seconds,
                                bool rows_behind) {
  EngineRig rig(path, rows_behind);
  for (int c = 0; c < clients; ++c) rig.Run("c" + std::to_string(c), "create");
  const int64_t tx_before = rig.engine->committer().transactions();
  const int64_t apply_before = rig.engine->committer().apply_ns();
  std::atomic<bool> stop{false};
  std::atomic<int64_t> commits{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      const std::string id = "c" + std::to_string(c);
      while (!stop.load(std::memory_order_relaxed)) {
        try {
          rig.Run(id, "step");
          commits.fetch_add(1, std::memory_order_relaxed);
        } catch (const std::exception&) {
          ++errors;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  double secs = Seconds(start);
  int64_t tx = rig.engine->committer().transactions() - tx_before;
  const double apply_s = double(rig.engine->committer().apply_ns() - apply_before) / 1e9;
  auto verified = rig.store->VerifyJournal(std::nullopt);
  return {{"clients", clients},
          {"commits", commits.load()},
          {"commits_per_sec", std::round(commits.load() / secs)},
          {"transactions", tx},
          {"mean_group_size", tx ? double(commits.load()) / double(tx) : 0.0},
          {"errors", errors.load()},
          {"leader_busy_fraction", std::round(apply_s / secs * 1000) / 1000},
          {"chain_verified", verified.ok()}};
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

nlohmann::json RunJournalBench(const JournalBenchOptions& o) {
  std::filesystem::create_directories(o.dir);
  const std::string raw_path = o.dir + "/raw.db", engine_path = o.dir + "/engine.db";
  std::vector<double> raw, raw100, seq;
  for (int r = 0; r < o.rounds; ++r) {
    raw.push_back(RawSqlite(raw_path, o.sequential_commits, 1));
    seq.push_back(EngineSequential(engine_path, o.sequential_commits, o.rows_behind));
    raw100.push_back(RawSqlite(raw_path, 100000, 100));
  }
  nlohmann::json concurrent = nlohmann::json::array();
  for (int clients : {1, 8, 64}) {
    concurrent.push_back(
        EngineConcurrent(engine_path, clients, o.concurrent_seconds, o.rows_behind));
  }
  const double raw_m = Median(raw), seq_m = Median(seq);
  for (const char* f : {"raw.db", "raw.db-wal", "raw.db-shm", "engine.db", "engine.db-wal", "engine.db-shm"}) {
    std::filesystem::remove(o.dir + "/" + f);
  }
  return {{"benchmark", "journal"},
          {"machine", MachineInfo(o.dir)},
          {"settings", "SQLite WAL, synchronous=FULL; each engine commit = instance update + "
                       "hash-chained journal event; rounds alternate raw and engine runs"},
          {"rounds", o.rounds},
          {"rows", o.rows_behind ? "behind the journal" : "in the commit"},
          {"sequential_commits_per_sec", std::round(seq_m)},
          {"raw_sqlite_commits_per_sec", std::round(raw_m)},
          {"sequential_vs_raw", std::round(seq_m / raw_m * 1000) / 1000},
          {"raw_sqlite_batch100_rows_per_sec", std::round(Median(raw100))},
          {"sequential_rounds", seq},
          {"raw_rounds", raw},
          {"concurrent", concurrent}};
}

}  // namespace govassess
