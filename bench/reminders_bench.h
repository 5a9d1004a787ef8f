// The reminders benchmark: many pending reminder timers on the real notification path
// ("notices" instances, the notification directory, inbox items, deliveries and the
// delivery dispatcher) — memory, start-up time, and the time to find and fire the due
// reminders and to dispatch what they wrote.
//
// Set-up (timed, but not a result): the directory and its users through the engine,
// then reminders/10 notices instances with 10 reminder timers each, written in bulk
// through the store (SqliteStore::ApplyGroup, one journaled "bench_seed" event per
// instance, so the hash chain and a replay stay valid).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace govassess {

struct RemindersBenchOptions {
  std::string dir = "build/bench-data";
  int reminders = 1000000;  // pending reminder timers (10 per notices instance)
  int due = 1000;           // reminders made due and fired through the engine
  int user_units = 1000;    // units u0… that have 2 unit users each (the rest have none)
};

// One JSON object; {"error": "..."} when the benchmark could not run.
nlohmann::json RunRemindersBench(const RemindersBenchOptions& options);

}  // namespace govassess
