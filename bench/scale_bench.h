// The scale benchmark: a large database — many journal events, many live instances
// and many pending timers — and what it costs to start on it, find the next timer,
// fire what is due, and touch every instance.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace govassess {

struct ScaleBenchOptions {
  std::string dir = "bench-data";
  int instances = 100000;  // live instances
  int timers = 1000000;    // pending timers, spread over the instances
  int fire = 1000;         // due timers fired through the engine
  int clients = 64;        // threads that build the database through the engine
};

nlohmann::json RunScaleBench(const ScaleBenchOptions& options);

}  // namespace govassess
