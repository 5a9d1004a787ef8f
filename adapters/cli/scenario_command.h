// `govassess scenario run FILE.json --db PATH [--calendar FILE]`: plays a scenario —
// timestamped commands against a simulated clock, restarts, server-down periods — on a
// fresh SQLite database and checks the expectations written in the file (states,
// refusals and their reasons, grades, the journal). The format is in docs/scenarios.md.
//
// Exit status: 0 when every expectation holds, 1 when any fails (one line per failed
// expectation, naming the step), 2 for bad usage or a malformed scenario (a message
// naming the step and field).
//
// Not thread-safe (one scenario per call).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace govassess {

int RunScenarioCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace govassess
