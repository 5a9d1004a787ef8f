// `govassess registry`: the special-assessment registry from the command line.
//
//   govassess registry import FILE.json --db PATH [--year 2026]
//   govassess registry check --db PATH --name "…" --indicators FILE.json [--lead L]
//   govassess registry quota --db PATH [--year 2026]
//   govassess registry list --db PATH [--state licensed]
//
// import loads the licensed items an office already runs (a JSON array of objects
// with at least name, lead and indicators) in one journaled command on the year's
// book: every object is validated first, and a bad one (exit 2, naming the array
// index and field) imports nothing. check prints the duplicate review of an
// application as JSON {"matches": [...]}, best first. The domain is in registry/;
// this adapter reads files and opens the SQLite database.
//
// Thread-safety: keeps no state between calls; call from one thread at a time.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace govassess {

// Runs `govassess registry <args...>`; `args` are the words after "registry".
// Exit codes as in commands.h: 0 success, 1 the operation failed or was refused,
// 2 bad usage or bad input (nothing written).
int RunRegistryCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace govassess
