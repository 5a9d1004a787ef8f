// The scenario runner end to end: every scenario in tests/scenarios/ must pass through
// the real binary (they are the main acceptance tests), a wrong expectation must exit
// 1 and a malformed scenario 2.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/adapters/run_process.h"
#include "tests/adapters/temp_dir.h"

namespace govassess::testing {
namespace {

namespace fs = std::filesystem;

const std::string kBinary = GOVASSESS_BUILD_DIR "/govassess";

RunResult RunScenario(const std::string& file, const std::string& db) {
  return RunProcess({kBinary, "scenario", "run", file, "--db", db});
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TEST_CASE("every scenario in tests/scenarios passes") {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(GOVASSESS_SOURCE_DIR "/tests/scenarios")) {
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 7);
  for (const std::string& f : files) {
    DYNAMIC_SECTION(fs::path(f).filename().string()) {
      TempDir dir;
      RunResult r = RunScenario(f, dir.Path("scenario.db"));
      INFO(r.out << r.err);
      CHECK(r.exit_code == 0);
      CHECK(r.out.find("all expectations hold") != std::string::npos);
    }
  }
}

const char* kSetup = R"({"at": "2025-01-02T09:00+08:00", "actor": {"user": "root", "role": "admin"},
  "command": "create", "instance": "units/guangxi", "type": "units",
  "payload": {"directory": {"$file": "workflows/data/units-guangxi.json"}}})";

TEST_CASE("a wrong expectation fails the scenario with exit 1 and names the step") {
  TempDir dir;
  const std::string file = dir.Path("wrong.json");
  Write(file, std::string(R"({"name": "wrong", "steps": [)") + kSetup + R"(,
    {"at": "2025-01-02T09:01+08:00", "actor": {"user": "x", "role": "unit", "unit": "gx-nanning"},
     "command": "create", "instance": "lifecycle/2025/city/gx-nanning", "type": "lifecycle",
     "expect": {"accepted": true, "state": "drafting"}}]})");
  RunResult r = RunScenario(file, dir.Path("db"));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("FAIL step 2") != std::string::npos);
}

TEST_CASE("a malformed scenario exits 2 with the step and field named") {
  TempDir dir;
  const std::string file = dir.Path("bad.json");
  Write(file, std::string(R"({"steps": [)") + kSetup + R"(, {"at": "yesterday", "actor": {"role": "office"},
     "command": "grade", "instance": "cycle/2025/city"}]})");
  RunResult r = RunScenario(file, dir.Path("db"));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("step 2.at") != std::string::npos);
  Write(file, "{not json");
  CHECK(RunScenario(file, dir.Path("db2")).exit_code == 2);
  Write(file, R"({"steps": [{"actor": {"role": "office"}, "instance": "x"}]})");
  CHECK(RunScenario(file, dir.Path("db3")).exit_code == 2);
}

}  // namespace
}  // namespace govassess::testing
