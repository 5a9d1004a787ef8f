// govassess: the command-line entry point. Dispatches to the sub-commands.
#include <iostream>
#include <string>
#include <vector>

#include "adapters/cli/calendar_command.h"
#include "adapters/cli/commands.h"
#include "adapters/cli/scenario_command.h"
#include "adapters/cli/registry_command.h"

namespace {

constexpr const char* kUsage =
    "GovAssess " GOVASSESS_VERSION " — special-assessment governance and workflow engine\n"
    "\n"
    "usage: govassess <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve      run the HTTP server (default http://127.0.0.1:8080, database var/govassess.db)\n"
    "  scenario   play a scenario file's timestamped commands and check its expectations\n"
    "  registry   the special-assessment registry: import, check, quota, list\n"
    "  calendar   working-day calendar: add-workdays, is-workday, between, years, convert, merge\n"
    "  audit      verify the journal's hash chain, export its head\n"
    "  admin      provision users: create-user, set-password, disable-user\n"
    "  version    print the version\n"
    "\n"
    "`govassess <command> --help` tells more.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty() || words[0] == "--help" || words[0] == "help") {
    (words.empty() ? std::cerr : std::cout) << kUsage;
    return words.empty() ? govassess::kExitUsage : govassess::kExitOk;
  }
  const std::string command = words[0];
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  if (command == "version" || command == "--version") {
    std::cout << "govassess " << GOVASSESS_VERSION << "\n";
    return govassess::kExitOk;
  }
  if (command == "calendar") return govassess::RunCalendarCommand(rest, std::cout, std::cerr);
  if (command == "scenario") return govassess::RunScenarioCommand(rest, std::cout, std::cerr);
  if (command == "audit") return govassess::RunAuditCommand(rest, std::cout, std::cerr);
  if (command == "registry") return govassess::RunRegistryCommand(rest, std::cout, std::cerr);
  if (command == "serve") return govassess::RunServeCommand(rest, std::cout, std::cerr);
  if (command == "admin") return govassess::RunAdminCommand(rest, std::cin, std::cout, std::cerr);
  std::cerr << "govassess: unknown command \"" << command << "\"; try govassess --help\n";
  return govassess::kExitUsage;
}
