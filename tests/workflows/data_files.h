// The data files the project ships (workflows/data/: cycles, the sample plan), read by
// the workflow tests.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace govassess::workflows::testing {

// workflows/data/<name> parsed; fails the test when it cannot be read.
inline nlohmann::json LoadJson(const std::string& name) {
  std::ifstream in(std::string(GOVASSESS_SOURCE_DIR) + "/workflows/data/" + name);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

}  // namespace govassess::workflows::testing
