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

// `dir` holds the database (created; an old lifecycle-bench.db there is replaced).
// Returns {"bench": "lifecycle", "instances", "transitions", "seconds",
// "transitions_per_sec", "cpu_seconds", "cpu_us_per_transition", "command_latency_ms",
// "peak_rss_mb", "peers": {...}, "machine": {...}} or {"error": "..."}.
// `in_memory`: a MemoryStore instead, which measures what deciding and the engine cost
// without storage (the ceiling a store could reach), not a durable result.
// `rows_behind` false: the SQLite store writes instance and timer rows in every commit
// (SqliteOptions::defer_rows), for comparison. `flush_ms` > 0 overrides how long rows
// behind may wait (SqliteOptions::flush_interval_ms); the rows still held at the end
// are written inside the timed window either way. `report_indicators` > 0: each unit's
// self-assessment reports that many indicators, each with its evidence (a few hundred
// bytes apiece, as a real report has), instead of one line.
nlohmann::json RunLifecycleBench(int instances, const std::string& dir, int clients = 32,
                                 bool in_memory = false, bool rows_behind = true,
                                 int flush_ms = 0, int report_indicators = 0);

}  // namespace govassess
