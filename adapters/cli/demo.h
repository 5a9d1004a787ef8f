// The living demo (`govassess serve --demo`, `./run.sh --demo`): a realistic data set
// loaded through the same commands people use — the 14 cities and the provincial
// departments of Guangxi, the 2026 city cycle part-way through (most plans issued,
// some submitted, one returned, one still a draft), the special assessments an office
// already runs and a few new applications (one a likely duplicate), and one user per
// role with a random one-time password, printed once (changed at first sign-in).
#pragma once

#include <iosfwd>

#include "adapters/cli/app.h"

namespace govassess {

// Loads the demo into an empty database and prints the users and passwords to `out`.
// It is not an error if the demo was loaded before: nothing is changed then and a line
// says so. Fails when a data file cannot be read or a command is refused.
Status LoadDemo(App& app, std::ostream& out);

}  // namespace govassess
