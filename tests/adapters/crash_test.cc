// kill -9 in the middle of concurrent commits: every acknowledged step must survive and
// the journal must still verify.
#include <signal.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "adapters/sqlite/sqlite_store.h"
#include "tests/adapters/temp_dir.h"

using namespace govassess;

namespace {

// Starts the writer, lets it run for `run_ms` from its first acknowledgement (a slow
// start — a sanitizer build, a busy machine — would otherwise be killed before it
// committed anything, and the run would check nothing), SIGKILLs it, and returns the
// ids it acknowledged on stdout before it died.
std::set<std::string> RunAndKill(const std::string& db, int run, int run_ms) {
  int out[2];
  REQUIRE(pipe(out) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    const std::string exe = std::string(GOVASSESS_BUILD_DIR) + "/govassess-crash-writer";
    const std::string run_s = std::to_string(run);
    execl(exe.c_str(), exe.c_str(), db.c_str(), "4", run_s.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string acked;
  // No acknowledgement within a minute: killed then, and the caller's check fails.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool counting = false;  // from the first whole "ack" line on
  // Read while it runs, so the pipe never fills and blocks the writer.
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  char buf[65536];
  while (std::chrono::steady_clock::now() < deadline) {
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n > 0) acked.append(buf, size_t(n));
    else std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (!counting && acked.find('\n') != std::string::npos) {
      counting = true;
      deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(run_ms);
    }
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  // What it printed before dying is in the pipe still.
  fcntl(out[0], F_SETFL, 0);
  ssize_t n;
  while ((n = read(out[0], buf, sizeof buf)) > 0) acked.append(buf, size_t(n));
  close(out[0]);
  std::set<std::string> ids;
  std::istringstream lines(acked);
  std::string line;
  while (std::getline(lines, line)) {
    // A line cut by the kill was never fully acknowledged; whole lines were.
    if (line.rfind("ack ", 0) == 0 && lines.good()) ids.insert(line.substr(4));
  }
  return ids;
}

}  // namespace

TEST_CASE("crash: every acknowledged commit survives kill -9 and the chain verifies") {
  testing::TempDir dir;
  const std::string db = dir.Path("crash.db");
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> ms(150, 900);
  size_t total = 0;
  for (int run = 0; run < 5; ++run) {
    const int run_ms = ms(rng);
    INFO("run " << run << " killed " << run_ms << " ms after its first acknowledgement");
    std::set<std::string> acked = RunAndKill(db, run, run_ms);
    CHECK(acked.size() > 0);
    total += acked.size();
    auto store = SqliteStore::Open(db);
    REQUIRE(store.ok());
    size_t missing = 0;
    for (const std::string& id : acked) missing += !(*store)->Get(id).ok();
    CHECK(missing == 0);
    auto verified = (*store)->VerifyJournal(std::nullopt);
    INFO(verified.status().ToString());
    REQUIRE(verified.ok());
    CHECK(size_t(verified->seq) >= total);
  }
}
