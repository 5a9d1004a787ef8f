// The journal benchmark: durable commits through the engine against raw SQLite on the
// same disk, with the same settings, in the same run.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace govassess {

struct JournalBenchOptions {
  std::string dir = "bench-data";  // where the database files go (a real disk, not tmpfs)
  int sequential_commits = 2000;
  double concurrent_seconds = 3.0;
  int rounds = 3;  // raw and engine runs alternate; the median of the rounds is reported
  bool rows_behind = true;  // false: instance rows written in each commit (SqliteOptions::defer_rows)
};

nlohmann::json RunJournalBench(const JournalBenchOptions& options);

}  // namespace govassess
