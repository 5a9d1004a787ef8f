// The engine's value types: actors, workflow instances and timers.
//
// Plain structs, copyable, thread-compatible. Times are UTC milliseconds since the
// Unix epoch; data is JSON (nlohmann::json keeps object keys sorted, which the
// journal's canonical form relies on).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace govassess {

using Json = nlohmann::json;

// Frees what an object or array `j` holds, now, and leaves it empty (still an object
// or array); anything else is left as it is. The tree is freed children first, each
// container emptied by its own clear(), so that nlohmann's destructor — which for
// every object or array first moves all its children onto a heap-allocated stack, to
// survive any depth — meets only empty ones: an assessment's data is freed in a sixth
// less time out of the CPU's caches, and copied and freed in 30% less in them
// (docs/performance.md). Levels below the 64th are left to that destructor.
void ReleaseJson(Json* j) noexcept;

// Who issues a command, and from where. `unit` is empty for roles without one.
struct Actor {
  std::string user;
  std::string role;
  std::string unit;
  std::string origin;  // e.g. "cli", "http 127.0.0.1", "timer"

  static Actor System(std::string origin) { return Actor{"system", "system", "", std::move(origin)}; }
};

// One durable workflow instance: the current state of one (workflow, entity).
// `version` counts accepted commands on it: 1 after creation, +1 per accepted write.
// A default-constructed Instance (version 0) stands for "does not exist yet".
struct Instance {
  std::string id;
  std::string type;      // workflow type, e.g. "lifecycle"
  int type_version = 1;  // version of the workflow definition that created it
  std::string state;
  int64_t version = 0;
  Json data = Json::object();
  int64_t created_ms = 0;
  int64_t updated_ms = 0;

  Instance() = default;
  Instance(const Instance&) = default;
  Instance(Instance&&) noexcept = default;
  Instance& operator=(const Instance&) = default;
  Instance& operator=(Instance&&) noexcept = default;
  // Every committed version ends here once the cache and the row writer let it go.
  ~Instance() { ReleaseJson(&data); }

  bool exists() const { return version > 0; }
  bool operator==(const Instance& o) const {
    return id == o.id && type == o.type && type_version == o.type_version && state == o.state &&
           version == o.version && data == o.data && created_ms == o.created_ms &&
           updated_ms == o.updated_ms;
  }
};

// A pending timer: when `due_ms` has passed, the engine sends command `command` to
// instance `instance_id` with `payload`, exactly once (the firing consumes the timer
// in the same transaction as the transition).
struct Timer {
  std::string id;  // unique, e.g. "lifecycle/2026/nanning#appeal_window"
  std::string instance_id;
  std::string command;
  int64_t due_ms = 0;
  Json payload = Json::object();

  Timer() = default;
  Timer(const Timer&) = default;
  Timer(Timer&&) noexcept = default;
  Timer& operator=(const Timer&) = default;
  Timer& operator=(Timer&&) noexcept = default;
  ~Timer() { ReleaseJson(&payload); }

  bool operator==(const Timer& o) const {
    return id == o.id && instance_id == o.instance_id && command == o.command &&
           due_ms == o.due_ms && payload == o.payload;
  }
};

Json ToJson(const Timer& t);
Timer TimerFromJson(const Json& j);  // REQUIRES: j came from ToJson

// "2026-11-21T05:34:55.123Z"
std::string FormatUtcMillis(int64_t ms);

}  // namespace govassess
