// The lifecycle benchmark: N assessed units taken through the whole yearly lifecycle
// (create → plan → approval → execution → self-assessment → audit → scoring →
// publication → appeal window closed by its timer → grading → ratification →
// archive) on a SqliteStore with synchronous=FULL, by `clients` concurrent client
// threads (default 32) so that group commit can share fsyncs. Every accepted command is one durable transition.
// Prints the figures next to the peers of the brief (bpmn-engine 311/s and xstate
// 2.8k/s, each with a durable write per step).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace govassess {

struct LifecycleBenchOptions {
  int instances = 1000;
  // Holds the database (created; an old lifecycle-bench.db there is replaced).
  std::string dir = "bench-data";
  // Commands in flight at once (each unit's commands one after another).
  int clients = 32;
  // 0: one thread per command in flight, each waiting for its commit (Execute). > 0:
  // that many threads keep the `clients` commands in flight between them without
  // waiting (CommandChains over ExecuteAsync), as a server answering from an event
  // loop would; they also finish the answers, so the commit leader only hands them over.
  int threads = 0;
  // A MemoryStore instead, which measures what deciding and the engine cost without
  // storage (the ceiling a store could reach), not a durable result.
  bool in_memory = false;
  // False: the SQLite store writes instance and timer rows in every commit
  // (SqliteOptions::defer_rows), for comparison.
  bool rows_behind = true;
  // > 0 overrides how long rows behind may wait (SqliteOptions::flush_interval_ms); the
  // rows still held at the end are written inside the timed window either way.
  int flush_ms = 0;
  // Each unit's self-assessment reports on every indicator of the plan; true: with
  // three pieces of evidence and a note each (a few hundred bytes, as a real report
  // has), false: one piece.
  bool full_report = false;
  // A plan (indicator tree) every unit submits, its year and unit_id replaced; empty:
  // one indicator per target type. The sample plan
  // (workflows/data/sample-plan-nanning-2026.json, 159 indicators) is a real one.
  nlohmann::json plan;
};

// Returns {"bench": "lifecycle", "instances", "transitions", "seconds",
// "transitions_per_sec", "cpu_seconds", "cpu_us_per_transition", "command_latency_ms",
// "peak_rss_mb", "peers": {...}, "machine": {...}} or {"error": "..."}.
nlohmann::json RunLifecycleBench(const LifecycleBenchOptions& options);

}  // namespace govassess
