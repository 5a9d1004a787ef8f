// Replay: rebuilds the live state (instances and pending timers) from the journal
// alone. The store's tables are a cache of this fold; tests check that both agree.
// Pure and thread-safe.
#pragma once

#include <vector>

#include "engine/journal.h"
#include "engine/memory_store.h"
#include "engine/status.h"

namespace govassess {

// Applies the change of one accepted event to `state`. Refusals change nothing.
// Corruption when the change cannot apply (e.g. a patch against missing data).
// `skip_applied`: the state's instances may already be newer than the event (rows
// written behind the journal, some of them after the tables' mark): a change to an
// instance at or below the version the state has is skipped. Timers are set and
// cancelled as always: in order, the last change to a timer decides.
Status ApplyEvent(const JournalEvent& event, MemoryState* state, bool skip_applied = false);

// Folds `events` (in seq order) into a fresh state.
Result<MemoryState> Replay(const std::vector<JournalEvent>& events);

}  // namespace govassess
