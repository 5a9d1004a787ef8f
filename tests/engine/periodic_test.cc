// PeriodicLoop: rounds at once, on Wake and every poll; errors reported, rounds go on;
// Stop waits for the round in progress and no round starts after it.
#include "engine/periodic.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace govassess {
namespace {

// Waits (5 s at most) until `done` holds.
template <typename F>
bool Eventually(F done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

TEST_CASE("periodic loop: a round at start and on each wake, errors heard, none after stop") {
  std::atomic<int> calls{0};
  std::mutex mu;
  std::vector<std::string> errors;
  // A poll of a minute: every round after the first here is one Wake's.
  PeriodicLoop loop(
      60000,
      [&calls] {
        const int n = ++calls;
        return n == 2 ? Status::Unavailable("round 2 failed") : Status::Ok();
      },
      [&mu, &errors](const Status& s) {
        std::lock_guard<std::mutex> lock(mu);
        errors.push_back(s.message());
      });
  CHECK(loop.rounds() == 0);
  loop.Start();
  REQUIRE(Eventually([&] { return loop.rounds() == 1; }));
  loop.Wake();
  REQUIRE(Eventually([&] { return loop.rounds() == 2; }));
  loop.Wake();
  REQUIRE(Eventually([&] { return loop.rounds() == 3; }));
  {
    std::lock_guard<std::mutex> lock(mu);
    CHECK(errors == std::vector<std::string>{"round 2 failed"});
  }
  loop.Stop();
  const int after_stop = calls.load();
  CHECK(after_stop == 3);
  loop.Wake();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(calls.load() == after_stop);
}

TEST_CASE("periodic loop: rounds come by themselves every poll") {
  std::atomic<int> calls{0};
  PeriodicLoop loop(5, [&calls] {
    ++calls;
    return Status::Ok();
  });
  loop.Start();
  CHECK(Eventually([&] { return calls.load() >= 4; }));
  loop.Stop();
}

}  // namespace
}  // namespace govassess
