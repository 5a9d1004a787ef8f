// CommandChains: runs many chains of commands through Engine::ExecuteAsync without a
// thread waiting for any commit.
//
// A chain is a sequence of commands of which each is decided once the one before it is
// answered — the steps of one instance, the due timers of one instance in due order. Up
// to `in_flight` chains have a command on its way at once; when a chain ends, its place
// goes to the next chain not started yet. A few threads of the runner's own decide the
// commands and finish their answers (the cache updated, a conflict decided again); the
// group commit's leader only hands each answer over (Engine::ExecuteAsync's `resume`),
// so it goes on to the next group at once. A chain's commands and answers are handled
// by one thread, in order; different chains' run concurrently.
//
//   CommandChains::Run(&engine, units.size(),
//       [&](size_t unit, size_t step) -> std::optional<Command> { … nullopt: done },
//       [&](size_t unit, size_t step, const Result<CommandResult>& r) { … return true; });
//
// Thread-safe. `next` and `answered` must be safe to call for different chains at once,
// and must not throw (they run in the runner's threads).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>

#include "engine/engine.h"

namespace govassess {

class CommandChains {
 public:
  struct Options {
    size_t threads = 2;     // threads deciding commands and finishing answers (≥ 1)
    size_t in_flight = 32;  // chains with a command on its way at once (≥ 1)
  };
  // Chain `chain`'s command number `step` (0, 1, …), or nullopt when the chain has no
  // more. Called in the chain's thread, after the answer to the step before.
  using Next = std::function<std::optional<Command>(size_t chain, size_t step)>;
  // The answer to that command, exactly as Engine::Execute would have returned it.
  // False ends the chain there.
  using Answered =
      std::function<bool(size_t chain, size_t step, const Result<CommandResult>& result)>;

  // Runs chains 0 … chains − 1, each to its end; returns once every command submitted
  // has been answered.
  static void Run(Engine* engine, size_t chains, const Next& next, const Answered& answered,
                  const Options& options);
  static void Run(Engine* engine, size_t chains, const Next& next, const Answered& answered) {
    Run(engine, chains, next, answered, Options());
  }
};

}  // namespace govassess
