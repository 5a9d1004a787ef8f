// The top-level command line through the real binary: its help names every command a
// user can run, each of them explains itself, and a wrong command is a usage error.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/adapters/run_process.h"

namespace govassess::testing {
namespace {

const std::string kBinary = GOVASSESS_BUILD_DIR "/govassess";

TEST_CASE("govassess --help names every command, and each one answers --help") {
  const RunResult help = RunProcess({kBinary, "--help"});
  REQUIRE(help.exit_code == 0);
  CHECK(help.out.rfind("GovAssess ", 0) == 0);
  for (const std::string command :
       {"serve", "scenario", "registry", "calendar", "audit", "admin"}) {
    INFO(command);
    CHECK(help.out.find("\n  " + command + " ") != std::string::npos);
    const RunResult own = RunProcess({kBinary, command, "--help"});
    INFO(own.out << own.err);
    CHECK(own.exit_code == 0);
    CHECK(own.out.rfind("usage: govassess " + command, 0) == 0);
  }
  CHECK(help.out.find("\n  version ") != std::string::npos);
  const RunResult version = RunProcess({kBinary, "version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.rfind("govassess ", 0) == 0);
}

TEST_CASE("govassess without a command, or with an unknown one, is a usage error") {
  const RunResult bare = RunProcess({kBinary});
  CHECK(bare.exit_code == 2);
  CHECK(bare.out.empty());
  CHECK(bare.err.find("usage: govassess <command>") != std::string::npos);

  const RunResult unknown = RunProcess({kBinary, "frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown command \"frobnicate\"; try govassess --help") !=
        std::string::npos);
}

}  // namespace
}  // namespace govassess::testing
