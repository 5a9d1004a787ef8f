// govassess-bench: benchmarks that print one JSON object each.
//   govassess-bench journal [--dir bench-data] [--commits 2000] [--seconds 3] [--rounds 3]
//                           [--rows behind]
//   govassess-bench lifecycle [--instances 1000] [--clients 32] [--threads 0] [--store sqlite]
//                             [--rows behind] [--flush-ms 1000] [--report short]
//                             [--plan FILE] [--dir bench-data]
//   govassess-bench registry [--items 10000]
//   govassess-bench scale [--instances 100000] [--timers 1000000] [--dir bench-data]
//   govassess-bench reminders [--reminders 1000000] [--due 1000] [--dir build/bench-data]
//   govassess-bench registry-quality   (precision/recall on tests/data)
#include <fstream>
#include <iostream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/cli/args.h"
#include "bench/journal_bench.h"
#include "bench/lifecycle_bench.h"
#include "bench/registry_bench.h"
#include "bench/reminders_bench.h"
#include "bench/scale_bench.h"

namespace {

int Usage() {
  std::cerr
      << "usage: govassess-bench journal [--dir DIR] [--commits N] [--seconds S] [--rounds R]\n"
         "                               [--rows behind|in-commit]\n"
         "       govassess-bench lifecycle [--instances N] [--clients C] [--threads T]\n"
         "                                 [--store sqlite|memory]\n"
         "                                 [--rows behind|in-commit] [--flush-ms MS]\n"
         "                                 [--report short|full] [--plan FILE] [--dir DIR]\n"
         "       govassess-bench registry [--items N]\n"
         "       govassess-bench scale [--instances N] [--timers N] [--fire N] [--dir DIR]\n"
         "       govassess-bench reminders [--reminders N] [--due N] [--user-units N] [--dir DIR]\n"
         "       govassess-bench registry-quality [--corpus FILE] [--probes FILE]\n";
  return 2;
}

// Bad options are a usage error: exit 2 with the message.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

govassess::Args ParseArgs(const std::vector<std::string>& words,
                          const std::set<std::string>& options) {
  auto args = govassess::Args::Parse(words, options);
  if (!args.ok()) throw UsageError(args.status().message());
  return *args;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty()) return Usage();
  const std::string which = words[0];
  words.erase(words.begin());
  try {
    if (which == "journal") {
      const govassess::Args args = ParseArgs(words, {"dir", "commits", "seconds", "rounds", "rows"});
      govassess::JournalBenchOptions o;
      const std::string rows = args.GetOr("rows", "behind");
      if (rows != "behind" && rows != "in-commit") {
        std::cerr << "--rows is behind or in-commit, not \"" << rows << "\"\n";
        return 2;
      }
      o.rows_behind = rows == "behind";
      o.dir = args.GetOr("dir", o.dir);
      o.sequential_commits = std::stoi(args.GetOr("commits", std::to_string(o.sequential_commits)));
      o.concurrent_seconds = std::stod(args.GetOr("seconds", std::to_string(o.concurrent_seconds)));
      o.rounds = std::stoi(args.GetOr("rounds", std::to_string(o.rounds)));
      std::cout << govassess::RunJournalBench(o).dump(2) << std::endl;
      return 0;
    }
    if (which == "lifecycle") {
      const govassess::Args args =
          ParseArgs(words, {"instances", "dir", "clients", "threads", "store", "rows", "flush-ms",
                            "report", "plan"});
      govassess::LifecycleBenchOptions o;
      o.instances = std::stoi(args.GetOr("instances", std::to_string(o.instances)));
      o.clients = std::stoi(args.GetOr("clients", std::to_string(o.clients)));
      o.threads = std::stoi(args.GetOr("threads", "0"));
      if (o.clients < 1 || o.threads < 0) {
        std::cerr << "--clients is at least 1 and --threads at least 0\n";
        return 2;
      }
      o.dir = args.GetOr("dir", o.dir);
      const std::string store = args.GetOr("store", "sqlite");
      if (store != "sqlite" && store != "memory") {
        std::cerr << "--store is sqlite or memory, not \"" << store << "\"\n";
        return 2;
      }
      o.in_memory = store == "memory";
      const std::string rows = args.GetOr("rows", "behind");
      if (rows != "behind" && rows != "in-commit") {
        std::cerr << "--rows is behind or in-commit, not \"" << rows << "\"\n";
        return 2;
      }
      o.rows_behind = rows == "behind";
      o.flush_ms = std::stoi(args.GetOr("flush-ms", "0"));
      if (o.flush_ms < 0) {
        std::cerr << "--flush-ms is a number of milliseconds, not " << o.flush_ms << "\n";
        return 2;
      }
      const std::string report = args.GetOr("report", "short");
      if (report != "short" && report != "full") {
        std::cerr << "--report is short or full, not \"" << report << "\"\n";
        return 2;
      }
      o.full_report = report == "full";
      if (const std::string file = args.GetOr("plan", ""); !file.empty()) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
          std::cerr << "--plan: cannot read " << file << "\n";
          return 2;
        }
        o.plan = nlohmann::json::parse(in, nullptr, false);
        if (!o.plan.is_object() || !o.plan.contains("target_types")) {
          std::cerr << "--plan: " << file << " is not a plan (a JSON object with target_types)\n";
          return 2;
        }
      }
      std::cout << govassess::RunLifecycleBench(o).dump(2) << std::endl;
      return 0;
    }
    if (which == "scale") {
      const govassess::Args args = ParseArgs(words, {"instances", "timers", "fire", "dir", "clients"});
      govassess::ScaleBenchOptions o;
      o.instances = std::stoi(args.GetOr("instances", std::to_string(o.instances)));
      o.timers = std::stoi(args.GetOr("timers", std::to_string(o.timers)));
      o.fire = std::stoi(args.GetOr("fire", std::to_string(o.fire)));
      o.clients = std::stoi(args.GetOr("clients", std::to_string(o.clients)));
      o.dir = args.GetOr("dir", o.dir);
      std::cout << govassess::RunScaleBench(o).dump(2) << std::endl;
      return 0;
    }
    if (which == "reminders") {
      const govassess::Args args = ParseArgs(words, {"reminders", "due", "user-units", "dir"});
      govassess::RemindersBenchOptions o;
      o.reminders = std::stoi(args.GetOr("reminders", std::to_string(o.reminders)));
      o.due = std::stoi(args.GetOr("due", std::to_string(o.due)));
      o.user_units = std::stoi(args.GetOr("user-units", std::to_string(o.user_units)));
      o.dir = args.GetOr("dir", o.dir);
      const nlohmann::json result = govassess::RunRemindersBench(o);
      std::cout << result.dump(2) << std::endl;
      return result.contains("error") ? 1 : 0;
    }
    if (which == "registry") {
      const govassess::Args args = ParseArgs(words, {"items"});
      const int items = std::stoi(args.GetOr("items", "10000"));
      std::cout << govassess::bench::RunRegistryBench(items).dump(2) << std::endl;
      return 0;
    }
    if (which == "registry-quality") {
      const govassess::Args args = ParseArgs(words, {"corpus", "probes"});
      const std::string data = std::string(GOVASSESS_SOURCE_DIR) + "/tests/data/";
      std::cout << govassess::bench::RegistryQuality(
                       args.GetOr("corpus", data + "registry_corpus.json"),
                       args.GetOr("probes", data + "registry_probes.json"))
                       .dump(2)
                << std::endl;
      return 0;
    }
  } catch (const UsageError& e) {
    std::cerr << "govassess-bench: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "govassess-bench: " << e.what() << "\n";
    return 1;
  }
  return Usage();
}
