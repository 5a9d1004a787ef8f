#include "bench/lifecycle_bench.h"

#include <algorithm>
#include <cmath>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <numeric>
#include <sstream>
#include <thread>
#include <vector>

#include "adapters/sqlite/sqlite_store.h"
#include "bench/machine.h"
#include "bench/stats.h"
#include "engine/calendar_format.h"
#include "engine/calendar_in_force.h"
#include "engine/clock.h"
#include "engine/command_chains.h"
#include "engine/engine.h"
#include "engine/memory_store.h"
#include "registry/registry_book.h"
#include "registry/special_assessment_workflow.h"
#include "workflows/china_time.h"
#include "workflows/indicator_tree.h"
#include "workflows/lifecycle_workflow.h"

namespace govassess {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using workflows::IndicatorNode;
using workflows::IndicatorTree;
using workflows::IndicatorTreeToJson;
using workflows::ParseIndicatorTree;

constexpr double kBpmnDurable = 311;

// One command of the benchmark, as a client would send it.
struct Step {
  std::string id, type, name, role, unit;
  Json payload;
  std::string consume;  // the timer its firing consumes
};
constexpr double kXstateDurable = 2800;

// A unit's steps, each payload built once and moved, never copied (an initializer list
// would copy every payload, a plan included, once more).
template <typename... S>
std::vector<Step> StepsOf(S&&... steps) {
  std::vector<Step> v;
  v.reserve(sizeof...(steps));
  (v.push_back(std::forward<S>(steps)), ...);
  return v;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int64_t Beijing(const std::string& date) {
  return Date::Parse(date)->DaysSinceEpoch() * workflows::kMsPerDay + 10 * 3'600'000 -
         workflows::kBeijingOffsetMs;
}

std::string UnitId(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "bench-%06d", i);
  return buf;
}

Json BuildPlan(const std::string& unit) {
  Json tts = Json::array();
  for (auto [id, pts] : {std::pair<std::string, double>{"functional", 700}, {"special", 60},
                         {"innovation", 90}, {"satisfaction", 150}}) {
    Json leaf{{"id", id + ".1.1.1.1"}, {"name", id}, {"weight", pts}, {"target", "完成"},
              {"lead_assessor", "gx-statistics"}};
    Json l3{{"id", id + ".1.1.1"}, {"name", id}, {"children", Json::array({leaf})}};
    Json l2{{"id", id + ".1.1"}, {"name", id}, {"children", Json::array({l3})}};
    Json l1{{"id", id + ".1"}, {"name", id}, {"children", Json::array({l2})}};
    tts.push_back({{"id", id}, {"name", id}, {"children", Json::array({l1})}});
  }
  return {{"year", 2025}, {"unit_id", unit}, {"category_id", "cities"}, {"target_types", tts}};
}

// The same plan for every unit but its unit_id: built once, as a client would keep a
// template, so the benchmark measures the engine rather than the building of payloads.
Json Plan(const Json& base, const std::string& unit) {
  Json plan = base;
  plan["unit_id"] = unit;
  return plan;
}

// Every indicator under `node`, in order.
void IndicatorsUnder(IndicatorNode& node, std::vector<IndicatorNode*>* out) {
  if (node.children.empty()) {
    out->push_back(&node);
    return;
  }
  for (IndicatorNode& c : node.children) IndicatorsUnder(c, out);
}

// The special assessment led by the statistics bureau that the special indicators'
// points come from (imported, licensed, before the clock starts).
constexpr const char* kSpecialItem = "registry/item/bench-special";

// The lead assessor's scores for a plan: 90% of every target type, the special ones
// (scored per indicator) 90% of each indicator's weight.
Json Scores(IndicatorTree& plan) {
  Json types = Json::array();
  for (IndicatorNode& tt : plan.target_types) {
    if (tt.id != "special") {
      types.push_back({{"target_type", tt.id}, {"raw_score", 90}});
      continue;
    }
    std::vector<IndicatorNode*> leaves;
    IndicatorsUnder(tt, &leaves);
    Json indicators = Json::array();
    for (const IndicatorNode* leaf : leaves) {
      indicators.push_back({{"indicator_id", leaf->id},
                            {"points", std::round(leaf->weight.value_or(0) * 90) / 100}});
    }
    // The special target type is scored from a licensed special assessment's results.
    types.push_back({{"target_type", tt.id},
                     {"registry_item", kSpecialItem},
                     {"indicators", std::move(indicators)}});
  }
  return {{"target_types", std::move(types)}};
}

// A self-assessment report on every indicator of the plan, as the lifecycle requires
// it: completed, with one piece of evidence; `full`: three pieces and a note, as a unit
// files them (a few hundred bytes an indicator).
Json Report(const std::vector<IndicatorNode*>& indicators, bool full) {
  Json report = Json::object();
  for (size_t k = 0; k < indicators.size(); ++k) {
    if (!full) {
      report[indicators[k]->id] = {{"completed", true}, {"evidence", {"2025年统计公报"}}};
      continue;
    }
    report[indicators[k]->id] = {
        {"completed", true},
        {"evidence",
         {"2025年统计公报第" + std::to_string(k) + "表", "自治区统计局核定数据（附件）",
          "市政府常务会议纪要"}},
        {"note", "按期完成年度目标任务，详见附件材料。"}};
  }
  return report;
}

}  // namespace

Json RunLifecycleBench(const LifecycleBenchOptions& options) {
  const int instances = options.instances;
  const std::string& dir = options.dir;
  const int clients = std::max(1, options.clients);
  const bool in_memory = options.in_memory;
  auto tree = ParseIndicatorTree(options.plan.is_null() ? BuildPlan("template") : options.plan);
  if (!tree.ok()) return {{"error", "the plan is not valid: " + tree.status().message()}};
  tree->year = 2025;  // the benchmark's cycle
  // Every indicator led by the statistics bureau, which scores them all in one command
  // (a real plan names a dozen lead assessors, each scoring its own: more commands, not
  // other ones).
  std::vector<IndicatorNode*> indicators;
  for (IndicatorNode& tt : tree->target_types) IndicatorsUnder(tt, &indicators);
  for (IndicatorNode* indicator : indicators) indicator->lead_assessor = "gx-statistics";
  const size_t plan_indicators = indicators.size();
  const Json plan = IndicatorTreeToJson(*tree);
  const size_t plan_bytes = Plan(plan, "").dump().size();  // the template, before its unit
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string db = (fs::path(dir) / "lifecycle-bench.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix, ec);
  auto calendar = ParseCalendar(ReadText(GOVASSESS_SOURCE_DIR "/calendars/cn.json"));
  if (!calendar.ok()) return {{"error", calendar.status().ToString()}};
  std::unique_ptr<Store> store;
  SqliteStore* sqlite = nullptr;  // to write its held rows inside the timed window
  int flush_interval = 0;
  if (in_memory) {
    store = std::make_unique<MemoryStore>();
  } else {
    SqliteOptions sqlite_options;
    sqlite_options.defer_rows = options.rows_behind;
    if (options.flush_ms > 0) sqlite_options.flush_interval_ms = options.flush_ms;
    flush_interval = sqlite_options.flush_interval_ms;
    auto opened = SqliteStore::Open(db, sqlite_options);
    if (!opened.ok()) return {{"error", opened.status().ToString()}};
    sqlite = opened->get();
    store = std::move(*opened);
  }
  ManualClock clock(Beijing("2025-01-02"));
  Engine engine(store.get(), &clock);
  CalendarInForce in_force(std::move(*calendar));
  for (auto& w : workflows::MakeAssessmentWorkflows(&in_force)) engine.Register(std::move(w));
  const registry::RegistryConfig registry_config;
  registry::RegisterRegistryWorkflows(&engine, registry_config);

  // Units: the province, the statistics bureau and N cities in one category.
  Json units = Json::array({{{"id", "gx"}, {"name", "广西"}, {"kind", "province"}},
                            {{"id", "gx-statistics"}, {"name", "统计局"}, {"kind", "department"}}});
  for (int i = 0; i < instances; ++i) {
    units.push_back({{"id", UnitId(i)}, {"name", "市" + std::to_string(i)}, {"kind", "city"},
                     {"category_id", "cities"}, {"parent_id", "gx"}});
  }
  std::string cycle_text = ReadText(GOVASSESS_SOURCE_DIR "/workflows/data/cycle-2026-city.json");
  for (auto [from, to] : {std::pair<std::string, std::string>{"2026", "2025"}, {"2027", "2026"}}) {
    for (size_t p = cycle_text.find(from); p != std::string::npos; p = cycle_text.find(from, p + 4)) {
      cycle_text.replace(p, 4, to);
    }
  }
  std::atomic<long> transitions{0}, refusals{0}, errors{0};
  std::string first_problem;
  std::mutex problem_mu;
  // Each command from its submission until the client has its durable answer, in ms,
  // by command name.
  std::map<std::string, std::vector<double>> latencies_by_command;
  std::mutex latency_mu;
  // The command of a step, which gives up its payload (the answer needs only its name).
  auto command = [](Step& step) {
    Command c;
    c.instance_id = step.id;
    c.type = step.type;
    c.name = step.name;
    c.actor = Actor{step.role, step.role, step.unit, "bench"};
    c.payload = std::move(step.payload);
    c.reason = "bench";
    c.consume_timer = step.consume;
    return c;
  };
  // One command's answer, `started` when it was submitted.
  auto record = [&](const std::string& name, const std::string& id,
                    std::chrono::steady_clock::time_point started, const Result<CommandResult>& r) {
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    {
      std::lock_guard<std::mutex> lock(latency_mu);
      latencies_by_command[name].push_back(ms);
    }
    if (!r.ok() || !r->accepted) {
      (r.ok() ? refusals : errors)++;
      std::lock_guard<std::mutex> lock(problem_mu);
      if (first_problem.empty()) {
        first_problem = name + " on " + id + ": " +
                        (r.ok() ? r->refusal.message() : r.status().ToString());
      }
      return;
    }
    transitions++;
  };
  auto run = [&](const std::string& id, const std::string& type, const std::string& name,
                 const std::string& role, const std::string& unit, Json payload) {
    Step step{id, type, name, role, unit, std::move(payload), ""};
    const Command c = command(step);
    const auto started = std::chrono::steady_clock::now();
    record(name, id, started, engine.Execute(c));
  };
  run("units/bench", "units", "create", "admin", "", {{"directory", {{"name", "bench"}, {"units", units}}}});
  run("cycle/2025/city", "cycle", "create", "office", "",
      {{"config", Json::parse(cycle_text)}, {"units", "units/bench"}});
  run("registry/book/2025", "registry_book", "import", "office", "",
      {{"items", Json::array({{{"id", "bench-special"},
                               {"name", "优化营商环境专项考核"},
                               {"lead", "gx-statistics"},
                               {"indicators", Json::array({"营商环境评价指标得分"})},
                               {"valid_from", "2025-01-01"},
                               {"valid_to", "2026-12-31"}}})}});

  // Every instance through its `steps` of a phase, each command after the one before
  // it is answered, `clients` commands in flight: by as many threads each waiting for
  // its commit (Execute), or by options.threads threads that never wait
  // (ExecuteAsync: the answer queues the instance's next command for its thread).
  auto phase = [&](const std::function<std::vector<Step>(int)>& steps) {
    if (options.threads <= 0) {
      std::vector<std::thread> threads;
      for (int t = 0; t < clients; ++t) {
        threads.emplace_back([&, t] {
          for (int i = t; i < instances; i += clients) {
            for (Step& step : steps(i)) {
              const Command c = command(step);
              const auto started = std::chrono::steady_clock::now();
              record(step.name, step.id, started, engine.Execute(c));
            }
          }
        });
      }
      for (auto& th : threads) th.join();
      return;
    }
    // Each unit's commands are one chain; its steps are built by the chain's thread
    // when the first is due, and dropped once the last is answered.
    std::vector<std::vector<Step>> unit_steps(instances);
    std::vector<std::chrono::steady_clock::time_point> started(instances);
    CommandChains::Options chain_options;
    chain_options.threads = options.threads;
    chain_options.in_flight = clients;
    CommandChains::Run(
        &engine, instances,
        [&](size_t unit, size_t step) -> std::optional<Command> {
          std::vector<Step>& all = unit_steps[unit];
          if (step == 0) all = steps(int(unit));
          if (step >= all.size()) {
            all = {};
            return std::nullopt;
          }
          started[unit] = std::chrono::steady_clock::now();
          return command(all[step]);
        },
        [&](size_t unit, size_t step, const Result<CommandResult>& r) {
          const Step& s = unit_steps[unit][step];
          record(s.name, s.id, started[unit], r);
          return true;
        },
        chain_options);
  };
  const Json scores = Scores(*tree);

  const long before = transitions.load();
  const int64_t tx_before = engine.committer().transactions();
  const int64_t batches_before = engine.committer().batches();
  const int64_t apply_before = engine.committer().apply_ns();
  const SqliteStore::CommitTimes times_before =
      sqlite != nullptr ? sqlite->commit_times() : SqliteStore::CommitTimes{};
  const auto start = std::chrono::steady_clock::now();
  const double cpu_before = ProcessCpuSeconds();
  const HostCpu host_before = HostCpuNow();
  Json phases = Json::object();
  // The process's CPU by phase beside its wall time: a phase whose CPU is well under
  // twice its wall time leaves a vCPU idle (e.g. one command's work on one thread).
  Json phases_cpu = Json::object();
  auto lap = [&, last = start, last_cpu = cpu_before](const char* name) mutable {
    const auto now = std::chrono::steady_clock::now();
    const double cpu = ProcessCpuSeconds();
    phases[name] = std::round(std::chrono::duration<double>(now - last).count() * 1000) / 1000;
    phases_cpu[name] = std::round((cpu - last_cpu) * 1000) / 1000;
    last = now;
    last_cpu = cpu;
  };
  clock.Set(Beijing("2025-04-10"));
  phase([&](int i) {
    const std::string u = UnitId(i), id = "lifecycle/2025/city/" + u;
    return StepsOf(Step{id, "lifecycle", "create", "office", "", Json::object(), ""},
                   Step{id, "", "submit", "unit", u, {{"plan", Plan(plan, u)}}, ""},
                   Step{id, "", "office_agree", "office", "", Json::object(), ""},
                   Step{id, "", "approve", "leader", "", Json::object(), ""},
                   Step{id, "", "issue", "office", "", Json::object(), ""});
  });
  lap("plan_to_issue_s");
  const Json report = Report(indicators, options.full_report);
  clock.Set(Beijing("2026-03-16"));
  phase([&](int i) {
    const std::string u = UnitId(i), id = "lifecycle/2025/city/" + u;
    return StepsOf(
        Step{id, "", "open_self_assessment", "office", "", Json::object(), ""},
        Step{id, "", "submit_self_assessment", "unit", u, {{"report", report}}, ""},
        Step{id, "", "record_scores", "lead_assessor", "gx-statistics", scores, ""},
        Step{id, "", "finish_audit", "office", "", Json::object(), ""},
        Step{id, "", "publish", "office", "", Json::object(), ""});
  });
  lap("self_assessment_to_publish_s");
  // The appeal windows close: each client fires its instances' timers as the engine's
  // FireDueTimers does (the firing consumes the timer in the same commit).
  clock.Set(Beijing("2026-03-24"));
  phase([&](int i) {
    const std::string id = "lifecycle/2025/city/" + UnitId(i);
    return StepsOf(
        Step{id, "", "close_appeal_window", "system", "", Json::object(), id + "#appeal_window"});
  });
  lap("appeal_windows_s");
  clock.Set(Beijing("2026-03-26"));
  run("cycle/2025/city", "", "grade", "office", "", {{"category", "cities"}});
  lap("grade_category_s");
  clock.Set(Beijing("2026-04-10"));
  phase([&](int i) {
    const std::string id = "lifecycle/2025/city/" + UnitId(i);
    return StepsOf(Step{id, "", "ratify", "committee", "", Json::object(), ""},
                   Step{id, "", "archive", "office", "", Json::object(), ""});
  });
  lap("ratify_archive_s");
  // Rows still held behind the journal are part of the work: written before the clock
  // stops, so that no flush interval can move work out of the measurement.
  if (sqlite != nullptr) {
    Status flushed = sqlite->Flush();
    if (!flushed.ok()) {
      errors++;
      if (first_problem.empty()) first_problem = "writing the held rows: " + flushed.ToString();
    }
  }
  lap("final_row_flush_s");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const long n = transitions.load() - before;
  const double rate = n / seconds;
  const double cpu_seconds = ProcessCpuSeconds() - cpu_before;
  const HostCpu host_after = HostCpuNow();
  const int64_t tx = engine.committer().transactions() - tx_before;
  const int64_t batches = engine.committer().batches() - batches_before;
  const double apply_s = double(engine.committer().apply_ns() - apply_before) / 1e9;
  auto round2 = [](double ms) { return std::round(ms * 100) / 100; };
  auto mean = [](const std::vector<double>& v) {
    return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
  };
  // Which commands the time goes to: a phase whose commands wait longer shows here.
  Json by_command = Json::object();
  std::vector<double> latencies;  // every command's
  for (const auto& [name, v] : latencies_by_command) {
    latencies.insert(latencies.end(), v.begin(), v.end());
    by_command[name] = {{"n", v.size()},
                        {"mean", round2(mean(v))},
                        {"p50", round2(Percentile(v, 0.5))},
                        {"p90", round2(Percentile(v, 0.9))},
                        {"max", round2(Percentile(v, 1.0))}};
  }
  Json out{{"bench", "lifecycle"},
           {"instances", instances},
           {"clients", clients},
           {"client_threads", options.threads > 0 ? options.threads : clients},
           {"clients_wait", options.threads > 0
                                ? "no: the answer queues the next command (ExecuteAsync)"
                                : "yes: one thread per command in flight (Execute)"},
           {"report", options.full_report ? "full" : "short"},
           {"report_bytes", report.dump().size()},
           {"plan_indicators", plan_indicators},
           {"plan_bytes", plan_bytes},
           {"transitions", n},
           {"transitions_per_instance", instances > 0 ? double(n) / instances : 0.0},
           {"refusals", refusals.load()},
           {"errors", errors.load()},
           {"seconds", seconds},
           {"transitions_per_sec", rate},
           // All threads' CPU (user + system) over the timed window, per transition:
           // what the work costs, whatever else the machine is doing meanwhile.
           {"cpu_seconds", std::round(cpu_seconds * 1000) / 1000},
           {"cpu_us_per_transition", n > 0 ? std::round(cpu_seconds * 1e6 / double(n)) : 0.0},
           {"phases", phases},
           {"phases_cpu_s", phases_cpu},
           // Each command from its submission until its answer is in the client's hands
           // (Execute returned; with --threads, the answer reached the chain's thread),
           // durable, the setup's two commands included. The mean too: with a fixed
           // number of commands in flight, the rate is that number over the mean time
           // one takes to come round (Little's law), and the tail weighs in it.
           {"command_latency_ms",
            {{"mean", round2(mean(latencies))},
             {"p50", round2(Percentile(latencies, 0.5))},
             {"p90", round2(Percentile(latencies, 0.9))},
             {"p99", round2(Percentile(latencies, 0.99))},
             {"p999", round2(Percentile(latencies, 0.999))},
             {"max", round2(Percentile(latencies, 1.0))}}},
           {"command_latency_by_command_ms", by_command},
           {"transactions", tx},
           {"mean_group_size", tx ? std::round(double(batches) / double(tx) * 10) / 10 : 0.0},
           // Time the group-commit leader spent inside Store::ApplyGroup (the serial
           // part: SQLite statements, WAL writes, fsync) over the wall time.
           {"leader_busy_fraction", std::round(apply_s / seconds * 1000) / 1000},
           {"peak_rss_mb", PeakRssMb()},
           {"durability", in_memory ? "none: in memory (the engine's ceiling, not a result)"
                                    : "SQLite WAL, synchronous=FULL, group commit"},
           {"rows", in_memory ? "in memory"
                    : options.rows_behind ? "behind the journal (written in the background)"
                                  : "in the commit"},
           {"peers",
            {{"bpmn_engine_durable_per_sec", kBpmnDurable},
             {"xstate_durable_per_sec", kXstateDurable},
             {"ratio_vs_bpmn_engine", rate / kBpmnDurable},
             {"ratio_vs_xstate", rate / kXstateDurable},
             {"goal", "≥ 10× xstate (28k/s) and ≥ 100× bpmn-engine (31.1k/s)"}}},
           {"machine", MachineInfo(dir)}};
  // The whole machine over the timed window: with much stolen by the host, or idle
  // while this run had work, the rate says more about the host than about the engine.
  out["machine"]["cpu_shares_during_run"] = HostCpuShares(host_before, host_after);
  if (sqlite != nullptr && options.rows_behind) out["row_flush_interval_ms"] = flush_interval;
  if (sqlite != nullptr) {
    // The leader's time per group, split: staging the batches, the COMMIT (WAL written
    // and fsynced), and taking the held rows over after it (SqliteStore::CommitTimes).
    const SqliteStore::CommitTimes t = sqlite->commit_times();
    const double groups = double(t.groups - times_before.groups);
    auto per_group_ms = [&](int64_t ns) {
      return groups > 0 ? std::round(double(ns) / groups / 1e6 * 1000) / 1000 : 0.0;
    };
    out["leader_ms_per_group"] = {
        {"stage", per_group_ms(t.stage_ns - times_before.stage_ns)},
        {"commit", per_group_ms(t.commit_ns - times_before.commit_ns)},
        {"after", per_group_ms(t.after_ns - times_before.after_ns)}};
  }
  if (!first_problem.empty()) out["first_problem"] = first_problem;
  return out;
}

}  // namespace govassess
