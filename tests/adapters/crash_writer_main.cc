// govassess-crash-writer DB THREADS: commits from THREADS threads in a loop through the
// engine and prints "ack <id>" for each command the engine acknowledged, flushed at
// once. The crash test kills it with SIGKILL and checks that every printed id survived.
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sqlite/sqlite_store.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/probe_workflow.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: govassess-crash-writer DB THREADS RUN\n");
    return 2;
  }
  auto store = govassess::SqliteStore::Open(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  govassess::SystemClock clock;
  govassess::Engine engine(store->get(), &clock);
  engine.Register(std::make_unique<govassess::ProbeWorkflow>());
  const int threads = std::stoi(argv[2]);
  const std::string run = argv[3];
  std::mutex out_mu;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int n = 0;; ++n) {
        govassess::Command c;
        c.instance_id = "r" + run + "-t" + std::to_string(t) + "-" + std::to_string(n);
        c.type = "probe";
        c.name = "create";
        c.actor = govassess::Actor{"writer", "unit", "u", "crash-test"};
        auto r = engine.Execute(c);
        if (!r.ok() || !r->accepted) {
          std::fprintf(stderr, "failed: %s\n", r.status().ToString().c_str());
          std::_Exit(1);
        }
        std::lock_guard<std::mutex> lock(out_mu);
        std::printf("ack %s\n", c.instance_id.c_str());
        std::fflush(stdout);
      }
    });
  }
  for (auto& w : workers) w.join();
}
