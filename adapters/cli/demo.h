// The living demo (`govassess serve --demo`, `./run.sh --demo`): a realistic data set
// loaded through the same commands people use — the 14 cities and the provincial
// departments of Guangxi, the 2026 city cycle part-way through (most plans issued,
// some submitted, one returned, one still a draft), the special assessments an office
// already runs and a few new applications (one a likely duplicate), and one user per
// role with a random one-time password, printed once (changed at first sign-in).
#pragma once

#include <iosfwd>
#include <string>

#include "adapters/cli/app.h"

namespace govassess {

// Loads the demo into the empty database at `db_path` (with the calendar file at
// `calendar_path`, empty: the default) and prints the users and passwords to `out`.
// Its history is played on the dates it happened — units and cycle on 2 March 2026,
// plans submitted from 13 April and issued on 29 April, never later than now — on a
// clock of its own, so the database must not be open elsewhere; the new applications
// are made today. It is not an error if the demo was loaded before: nothing is changed
// then and a line says so. Fails when a data file cannot be read or a command is
// refused.
Status LoadDemo(const std::string& db_path, const std::string& calendar_path,
                std::ostream& out);

}  // namespace govassess
