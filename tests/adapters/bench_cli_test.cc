// govassess-bench through its command line: a small lifecycle run takes every unit
// through the whole year without a refusal or an error and prints the figures the
// issue and docs/performance.md rely on. Nothing here is timed: only the output's
// shape and its counts are checked (speed is measured by running the benchmark).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/adapters/run_process.h"
#include "tests/adapters/temp_dir.h"

using namespace govassess::testing;
using nlohmann::json;

namespace {

const std::string kBench = std::string(GOVASSESS_BUILD_DIR) + "/govassess-bench";

json RunBench(std::vector<std::string> args) {
  args.insert(args.begin(), kBench);
  const RunResult r = RunProcess(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json out = json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(out.is_discarded());
  return out;
}

void CheckWholeYear(const json& out, int units) {
  INFO(out.dump(2));
  CHECK(out["bench"] == "lifecycle");
  CHECK(out["instances"] == units);
  // Thirteen transitions per unit, and one grading command for the category.
  CHECK(out["transitions"] == units * 13 + 1);
  CHECK(out["refusals"] == 0);
  CHECK(out["errors"] == 0);
  CHECK_FALSE(out.contains("first_problem"));
  CHECK(out["transitions_per_sec"].get<double>() > 0);
  CHECK(out["peak_rss_mb"].get<double>() > 0);
  CHECK(out["cpu_seconds"].get<double>() >= 0);
  const json& l = out["command_latency_ms"];
  CHECK(l["p50"].get<double>() > 0);
  CHECK(l["p50"].get<double>() <= l["p90"].get<double>());
  CHECK(l["p90"].get<double>() <= l["p99"].get<double>());
  CHECK(l["mean"].get<double>() > 0);
  CHECK(l["mean"].get<double>() <= l["max"].get<double>());
  CHECK(l["p99"].get<double>() <= l["p999"].get<double>());
  CHECK(l["p999"].get<double>() <= l["max"].get<double>());
  // The same latencies by command: every command of the year, each as often as it ran.
  const json& by = out["command_latency_by_command_ms"];
  int64_t counted = 0;
  for (const char* name : {"create", "submit", "office_agree", "approve", "issue",
                           "open_self_assessment", "submit_self_assessment", "record_scores",
                           "finish_audit", "publish", "close_appeal_window", "grade", "ratify",
                           "archive"}) {
    INFO(name);
    REQUIRE(by.contains(name));
    CHECK(by[name]["p50"].get<double>() <= by[name]["p90"].get<double>());
    CHECK(by[name]["p90"].get<double>() <= by[name]["max"].get<double>());
    counted += by[name]["n"].get<int64_t>();
  }
  CHECK(by["submit"]["n"] == units);
  CHECK(by["grade"]["n"] == 1);
  CHECK(by["create"]["n"] == units + 2);  // and the unit directory's and the cycle's
  CHECK(counted == units * 13 + 1 + 2);   // the transitions and the setup's two commands
  for (const char* phase : {"plan_to_issue_s", "self_assessment_to_publish_s", "appeal_windows_s",
                            "grade_category_s", "ratify_archive_s", "final_row_flush_s"}) {
    CHECK(out["phases"].contains(phase));
    CHECK(out["phases_cpu_s"][phase].get<double>() >= 0);
  }
  // The machine's CPU over the run, by share: busy, idle and stolen by the host.
  const json& shares = out["machine"]["cpu_shares_during_run"];
  if (!shares.is_null()) {  // null only where /proc/stat cannot be read
    double sum = 0;
    for (const char* kind : {"busy", "idle", "steal"}) {
      CHECK(shares[kind].get<double>() >= 0);
      CHECK(shares[kind].get<double>() <= 1);
      sum += shares[kind].get<double>();
    }
    // (Not even `busy` is sure to be above 0: a short run's few clock ticks may all be
    // counted as stolen.)
    CHECK(sum == Approx(1).margin(0.005));
  }
  CHECK(out["peers"]["xstate_durable_per_sec"] == 2800);
  CHECK(out["peers"]["bpmn_engine_durable_per_sec"] == 311);
}

}  // namespace

TEST_CASE("govassess-bench lifecycle: a small run takes every unit through the year, durably") {
  TempDir dir;
  const json out = RunBench({"lifecycle", "--instances", "12", "--clients", "3", "--dir", dir.Path("b")});
  CheckWholeYear(out, 12);
  CHECK(out["rows"] == "behind the journal (written in the background)");
  CHECK(out["row_flush_interval_ms"] == 1000);
  CHECK(out["durability"] == "SQLite WAL, synchronous=FULL, group commit");
  // The leader's time per group, split; every group has a COMMIT, which fsyncs.
  const json& leader = out["leader_ms_per_group"];
  CHECK(leader["stage"].get<double>() >= 0);
  CHECK(leader["commit"].get<double>() > 0);
  CHECK(leader["after"].get<double>() >= 0);
}

TEST_CASE("govassess-bench lifecycle: clients that do not wait, on disk and in memory") {
  TempDir dir;
  const json out = RunBench({"lifecycle", "--instances", "12", "--clients", "5", "--threads", "2",
                             "--dir", dir.Path("a")});
  CheckWholeYear(out, 12);
  CHECK(out["client_threads"] == 2);
  CHECK(out["clients_wait"] == "no: the answer queues the next command (ExecuteAsync)");
  const json memory = RunBench({"lifecycle", "--instances", "7", "--clients", "9", "--threads",
                                "3", "--store", "memory", "--dir", dir.Path("m")});
  CheckWholeYear(memory, 7);
  CHECK_FALSE(memory.contains("leader_ms_per_group"));  // no SQLite, no COMMIT to time
  const json waiting = RunBench({"lifecycle", "--instances", "3", "--dir", dir.Path("w")});
  CHECK(waiting["client_threads"] == 32);
  CHECK(waiting["clients_wait"] == "yes: one thread per command in flight (Execute)");
}

TEST_CASE("govassess-bench lifecycle: rows in the commit, another interval and no storage") {
  TempDir dir;
  const json in_commit =
      RunBench({"lifecycle", "--instances", "5", "--rows", "in-commit", "--dir", dir.Path("c")});
  CheckWholeYear(in_commit, 5);
  CHECK(in_commit["rows"] == "in the commit");
  CHECK_FALSE(in_commit.contains("row_flush_interval_ms"));
  const json often =
      RunBench({"lifecycle", "--instances", "5", "--flush-ms", "10", "--dir", dir.Path("f")});
  CheckWholeYear(often, 5);
  CHECK(often["row_flush_interval_ms"] == 10);
  const json memory =
      RunBench({"lifecycle", "--instances", "5", "--store", "memory", "--dir", dir.Path("m")});
  CheckWholeYear(memory, 5);
  CHECK(memory["rows"] == "in memory");
  const json reports =
      RunBench({"lifecycle", "--instances", "5", "--report", "full", "--dir", dir.Path("r")});
  CheckWholeYear(reports, 5);
  CHECK(reports["report"] == "full");
  CHECK(reports["report_bytes"].get<int>() > 4 * 150);
  CHECK(reports["plan_indicators"] == 4);
  // A real plan: the sample's 159 indicators, scored without a refusal.
  const json real = RunBench({"lifecycle", "--instances", "5", "--plan",
                              std::string(GOVASSESS_SOURCE_DIR) +
                                  "/workflows/data/sample-plan-nanning-2026.json",
                              "--dir", dir.Path("p")});
  CheckWholeYear(real, 5);
  CHECK(real["plan_indicators"] == 159);
  CHECK(real["plan_bytes"].get<int>() > 40000);
}

TEST_CASE("govassess-bench lifecycle: bad options exit 2 and say what is wrong") {
  TempDir dir;
  struct Bad {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Bad> bad = {
      {{"--store", "disk"}, "--store is sqlite or memory, not \"disk\""},
      {{"--rows", "sideways"}, "--rows is behind or in-commit, not \"sideways\""},
      {{"--flush-ms", "-5"}, "--flush-ms is a number of milliseconds, not -5"},
      {{"--report", "long"}, "--report is short or full, not \"long\""},
      {{"--threads", "-1"}, "--clients is at least 1 and --threads at least 0"},
      {{"--clients", "0"}, "--clients is at least 1 and --threads at least 0"},
      {{"--plan", dir.Path("missing.json")}, "--plan: cannot read " + dir.Path("missing.json")},
      {{"--plan", std::string(GOVASSESS_SOURCE_DIR) + "/workflows/data/units-guangxi.json"},
       "is not a plan (a JSON object with target_types)"},
  };
  for (const Bad& b : bad) {
    std::vector<std::string> args = {kBench, "lifecycle", "--instances", "2", "--dir", dir.Path("x")};
    args.insert(args.end(), b.args.begin(), b.args.end());
    const RunResult r = RunProcess(args);
    INFO(b.message);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(b.message) != std::string::npos);
    CHECK(r.out.empty());
  }
}

TEST_CASE("govassess-bench reminders: a small run fires the due chains' links, each sent, each chain going on") {
  TempDir dir;
  // 20 units' reminders (two chains of five each), 2 units with users, 5 due.
  const json out = RunBench(
      {"reminders", "--reminders", "200", "--due", "5", "--user-units", "2", "--dir", dir.Path("r")});
  INFO(out.dump(2));
  CHECK_FALSE(out.contains("error"));
  CHECK(out["bench"] == "reminders");
  CHECK(out["reminders"] == 200);
  CHECK(out["notices_instances"] == 20);
  CHECK(out["pending_before"] == 40);  // one timer per chain, not one per reminder
  CHECK(out["pending_after"] == 40);   // every fired link set its chain's next one
  CHECK(out["fired"] == 5);
  CHECK(out["deliveries_by_channel"]["webhook"] == 5);
  CHECK(out["reminders_fired_per_sec"].get<double>() > 0);
}

TEST_CASE("govassess-bench scale: a small database is built, reopened, listed and fired once") {
  TempDir dir;
  const json out = RunBench(
      {"scale", "--instances", "200", "--timers", "1000", "--fire", "100", "--dir", dir.Path("s")});
  INFO(out.dump(2));
  CHECK(out["benchmark"] == "scale");
  // 200 creations and 1,000 steps, each setting one timer.
  CHECK(out["events"] == 1200);
  CHECK(out["pending_timers"] == 1000);
  CHECK(out["due_found"] == 100);
  CHECK(out["fired"] == 100);
  CHECK(out["fired_again"] == 0);
  CHECK(out["pending_after"] == 900);
  // Listing by id prefix and type: "scale/5" and "scale/50" … "scale/59".
  CHECK(out["list_page_found"] == 11);
  CHECK(out["list_page_ms"].get<double>() >= 0);
  CHECK(out["touch_all_per_sec"].get<double>() > 0);
}
