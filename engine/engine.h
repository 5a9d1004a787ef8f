// The Engine runs commands against durable workflow instances.
//
// Execute() turns one command into one atomic commit: read the instance, check the
// expected version, let the workflow decide, then commit the new state, the journal
// event and the timer changes together through the GroupCommitter. A refusal is
// committed too — as a journal event that changes no state. Repeating a command with
// the same idempotency key returns the first result and writes nothing.
//
// FireDueTimers() sends each due timer's command exactly once: the firing consumes
// the timer in the same transaction, so a second process (or a restart) that tries
// the same timer gets a Conflict and skips it.
//
// Thread-safe once all workflows are registered.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/group_commit.h"
#include "engine/instance_cache.h"
#include "engine/store.h"
#include "engine/workflow.h"

namespace govassess {

struct CommandResult {
  bool accepted = false;
  Status refusal;     // when !accepted: Refused or Forbidden, with the reason
  // After the command (unchanged when refused): the engine's own copy, shared with its
  // cache, so answering costs no copy of the data. Never null.
  std::shared_ptr<const Instance> instance_ptr = NoInstance();
  const Instance& instance() const { return *instance_ptr; }
  static const std::shared_ptr<const Instance>& NoInstance();
  ChainHead event;    // the journal event's seq and hash
  Json result = Json::object();
  bool replayed = false;  // true: an idempotent repeat; nothing was written

  Json ToJson() const;
  static CommandResult FromJson(const Json& j);
};

// The command a due timer sends: its command on its instance, as the system, with the
// payload plus "timer" (its id) and "due_ms", consuming the timer in the same commit.
Command TimerCommand(const Timer& timer);

class Engine {
 public:
  // `store` and `clock` are not owned and must outlive the engine. `cache_capacity`
  // bounds the instance cache's entries (0 disables it), `cache_text_bytes` their size
  // (InstanceCache).
  Engine(Store* store, const Clock* clock, size_t cache_capacity = 20000,
         size_t cache_text_bytes = InstanceCache::kDefaultTextBytes);

  // REQUIRES: called before any Execute; one workflow per type.
  void Register(std::unique_ptr<Workflow> workflow);
  const Workflow* FindWorkflow(const std::string& type) const;
  // The registered workflow types, in order.
  std::vector<std::string> Types() const;

  // Success: the command was accepted or refused (see CommandResult::accepted) and
  // journaled. Errors (nothing written): InvalidArgument for a malformed command or an
  // idempotency key reused for another request, NotFound for a missing instance,
  // Conflict for a stale expected version, Unavailable when storage failed. A command
  // without an expected version that meets a concurrent change is decided again (a few
  // times) against the current state; so is a timer's command, unless its timer is gone
  // (another process fired it: Conflict).
  Result<CommandResult> Execute(const Command& command);

  // Execute without waiting: decides the command in this thread and returns; `done` gets
  // what Execute would have returned once the command is durable (or was refused,
  // failed or replayed), called from the thread that committed it — this one if it
  // failed before committing. A client submitting the next command of many instances
  // this way is not put to sleep and woken per command (GroupCommitter::CommitAsync).
  // `done` must not call Execute nor throw; it may call ExecuteAsync. REQUIRES: every
  // `done` has been called before the engine is destroyed.
  //
  // With a `resume`, the committing thread only hands the answer over: `resume` gets the
  // rest of the work (the cache updated, a conflict decided again, `done` called) and
  // runs it soon in a thread of its own choosing (a client pool's: CommandChains), so
  // that the group commit's leader goes on to the next group at once. `resume` is called
  // from the committing thread and must not block nor throw.
  using Done = std::function<void(Result<CommandResult>)>;
  using Resume = std::function<void(std::function<void()> work)>;
  void ExecuteAsync(Command command, Done done, Resume resume = nullptr);

  // Fires up to `limit` timers due at `now_ms`; returns how many this process fired.
  // They are submitted without waiting (CommandChains), the timers of one instance one
  // after the other in due order.
  Result<int> FireDueTimers(int64_t now_ms, size_t limit = 1000);

  // The instance as stored now (NotFound when there is none), shared from the cache
  // when the cached copy is still the stored version: a version lookup instead of
  // reading and parsing the row. For reads that must see other processes' writes
  // (e.g. who a signed-in user is, on every request).
  Result<std::shared_ptr<const Instance>> ReadCurrent(const std::string& id);

  Store* store() const { return store_; }
  const Clock* clock() const { return clock_; }
  const GroupCommitter& committer() const { return committer_; }

 private:
  // A command decided and made into a batch: what Finish needs once it committed.
  struct Pending;
  // Checks the command and its idempotency key: an error, a stored reply (replayed),
  // or neither; `fingerprint` set when the command has a key.
  Result<std::optional<CommandResult>> Admit(const Command& command, std::string* fingerprint);
  // Loads, decides and builds the batch; an error when nothing is to be committed.
  Status Decide(const Command& command, const std::string& fingerprint, Pending* pending);
  // What the command's commit outcome means for the caller; caches what it wrote.
  // `instance_moved`: set on a Conflict when an instance the command read or wrote was
  // at another version (not when a timer it would consume was gone).
  Result<CommandResult> Finish(Pending* pending, CommitOutcome outcome, bool* instance_moved);
  Result<CommandResult> ExecuteOnce(const Command& command, const std::string& fingerprint,
                                    bool* instance_moved);
  struct AsyncCommand;
  void SubmitAsync(std::shared_ptr<AsyncCommand> command);
  // An asynchronous command's commit outcome made into its answer (Finish), or the
  // command decided again.
  void AnswerAsync(std::shared_ptr<AsyncCommand> command, std::shared_ptr<Pending> pending,
                   CommitOutcome outcome);
  // Whether a command that met `status` is decided again (Execute's retries).
  static bool DecideAgain(const Command& command, const Status& status, bool instance_moved,
                          int attempt);
  // The instance from the cache or the store; a version of 0 when it does not exist.
  Result<std::shared_ptr<const Instance>> Load(const std::string& id, bool* from_cache);

  Store* const store_;        // not owned
  const Clock* const clock_;  // not owned
  GroupCommitter committer_;
  InstanceCache cache_;
  std::map<std::string, std::unique_ptr<Workflow>> workflows_;
};

// The fingerprint that ties an idempotency key to one request.
std::string CommandFingerprint(const Command& command);

}  // namespace govassess
