// The workflow interface: the pure decision of one workflow type.
//
// Given the current instance and a command, a Workflow decides — without touching
// storage — whether to accept (new state, new data, timers to set or cancel, writes
// to other instances) or to refuse with a reason. The Engine turns the decision into
// one atomic, journaled commit. Decide must be deterministic in its inputs and
// thread-safe (it is called concurrently for different instances).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"
#include "engine/store.h"
#include "engine/types.h"

namespace govassess {

struct Command {
  std::string instance_id;
  std::string type;  // workflow type; required when the command creates the instance
  std::string name;  // e.g. "submit"
  Actor actor;
  std::optional<int64_t> expected_version;  // If-Match; absent: the current version
  std::string idempotency_key;              // empty: none
  std::string reason;
  Json payload = Json::object();
  std::string consume_timer;  // set by the engine when a timer fires this command

  Command() = default;
  Command(const Command&) = default;
  Command(Command&&) noexcept = default;
  Command& operator=(const Command&) = default;
  Command& operator=(Command&&) noexcept = default;
  ~Command() { ReleaseJson(&payload); }  // a plan or a report can be large (types.h)
};

struct DecideContext {
  int64_t now_ms = 0;
  // Reads another instance (e.g. the cycle configuration). NotFound if absent. Every
  // read is version-checked when the decision commits.
  std::function<Result<Instance>(const std::string&)> load;
  // The same without copying: for large instances read often (a cycle, a directory).
  std::function<Result<std::shared_ptr<const Instance>>(const std::string&)> load_shared;
  // The version of another instance (0: absent) without reading its data, checked when
  // the decision commits like a read: for what a workflow keeps parsed by version (a plan
  // history), so that a hit costs no load. May be empty (then use load_shared).
  std::function<Result<int64_t>(const std::string&)> version_of;
};

struct Decision {
  bool accepted = false;
  Code refusal_code = Code::kRefused;  // kRefused or kForbidden
  std::string reason;                  // why it was refused (shown to the user)
  std::string state;                   // new state when accepted
  Json data = Json::object();          // new data when accepted
  std::vector<Timer> timers_set;
  std::vector<std::string> timers_cancelled;
  std::vector<InstanceWrite> other_writes;  // e.g. items absorbed by a merge
  Json result = Json::object();             // returned to the caller, stored for replays
  // Run once when an accepted decision's writes are durable, on the thread that
  // finishes the command; never when the commit conflicts or fails, nor for a refusal
  // or an idempotent replay. For a workflow's caches of what it wrote, which only a
  // committed decision may fill (two racing commands decide alike, but only one
  // commits). Must be quick and must not throw.
  std::function<void()> after_commit;

  static Decision Accept(std::string state, Json data) {
    Decision d;
    d.accepted = true;
    d.state = std::move(state);
    d.data = std::move(data);
    return d;
  }
  static Decision Refuse(std::string reason) {
    Decision d;
    d.reason = std::move(reason);
    return d;
  }
  static Decision Forbid(std::string reason) {
    Decision d = Refuse(std::move(reason));
    d.refusal_code = Code::kForbidden;
    return d;
  }
};

class Workflow {
 public:
  virtual ~Workflow() = default;
  virtual std::string type() const = 0;
  virtual int version() const = 0;
  // `current` has version 0 when the instance does not exist yet (a creating command).
  virtual Decision Decide(const Instance& current, const Command& command,
                          const DecideContext& context) const = 0;
};

}  // namespace govassess
