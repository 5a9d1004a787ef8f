// The govassess sub-commands. Each takes the words after its name and the streams to
// write to, and returns the process exit code: 0 success, 1 the operation failed
// (e.g. a journal that does not verify), 2 bad usage or bad input.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace govassess {

using Words = std::vector<std::string>;

int RunAuditCommand(const Words& args, std::ostream& out, std::ostream& err);
int RunServeCommand(const Words& args, std::ostream& out, std::ostream& err);
// `in` is where --password-stdin reads from.
int RunAdminCommand(const Words& args, std::istream& in, std::ostream& out, std::ostream& err);

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

}  // namespace govassess
