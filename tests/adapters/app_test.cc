// The composition root: the server runs exactly the workflow types its command
// catalogue documents (GET /api/v1/workflows), so a workflow added to App::Open without
// a catalogue entry — or an entry left behind by a removed one — fails here.
#include "adapters/cli/app.h"

#include <catch2/catch.hpp>

#include <set>

#include "adapters/http/catalogue.h"
#include "tests/adapters/temp_dir.h"

namespace govassess {
namespace {

TEST_CASE("app: every workflow the server runs is in the command catalogue, and only those") {
  testing::TempDir dir;
  auto app = App::Open(dir.Path("app.db"));
  REQUIRE(app.ok());
  const std::vector<std::string> types = (*app)->engine()->Types();
  const std::set<std::string> running(types.begin(), types.end());
  std::set<std::string> catalogued;
  for (const Json& entry : WorkflowCatalogue()) catalogued.insert(entry["type"].get<std::string>());
  CHECK(running.size() == types.size());
  CHECK(running.count("lifecycle") == 1);
  CHECK(running == catalogued);
}

}  // namespace
}  // namespace govassess
