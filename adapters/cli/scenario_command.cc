#include "adapters/cli/scenario_command.h"

#include "adapters/cli/app.h"
#include "adapters/cli/calendar_command.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>

#include "adapters/cli/args.h"
#include "adapters/cli/commands.h"
#include "adapters/sqlite/sqlite_store.h"
#include "engine/calendar_format.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/timer_loop.h"
#include "workflows/china_time.h"
#include "workflows/lifecycle_workflow.h"
#include "workflows/notices_workflow.h"

namespace govassess {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: govassess scenario run FILE.json --db PATH [--calendar FILE]\n"
    "\n"
    "Plays the scenario's timestamped commands on a fresh database at PATH with a\n"
    "simulated clock and checks its expectations (docs/scenarios.md).\n"
    "exit status: 0 all expectations hold, 1 some failed, 2 bad usage or malformed scenario\n";

// A malformed scenario: reported with exit status 2.
struct Malformed {
  std::string message;
};

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// "2026-04-20T10:00+08:00", "2026-04-20T02:00Z", "2026-04-20T10:00:30+08:00" or a bare
// date "2026-04-20" (09:00 Beijing time).
Result<int64_t> ParseInstant(const std::string& text) {
  auto bad = [&] {
    return Status::InvalidArgument("\"" + text +
                                   "\" is not a time like 2026-04-20T10:00+08:00 or a date");
  };
  if (text.size() < 10) return bad();
  auto date = Date::Parse(text.substr(0, 10));
  if (!date.ok()) return bad();
  int64_t ms = date->DaysSinceEpoch() * workflows::kMsPerDay;
  if (text.size() == 10) return ms + 9 * 3'600'000 - workflows::kBeijingOffsetMs;
  if (text[10] != 'T' || text.size() < 16 || text[13] != ':') return bad();
  int h = 0, m = 0, s = 0;
  try {
    h = std::stoi(text.substr(11, 2));
    m = std::stoi(text.substr(14, 2));
  } catch (const std::exception&) {
    return bad();
  }
  size_t p = 16;
  if (p < text.size() && text[p] == ':') {
    if (text.size() < p + 3) return bad();
    try {
      s = std::stoi(text.substr(p + 1, 2));
    } catch (const std::exception&) {
      return bad();
    }
    p += 3;
  }
  if (h > 23 || m > 59 || s > 59) return bad();
  ms += (h * 3600 + m * 60 + s) * 1000;
  const std::string zone = text.substr(p);
  if (zone == "Z") return ms;
  if (zone == "+08:00") return ms - workflows::kBeijingOffsetMs;
  return bad();
}

// True when every member of `want` is in `have` with a matching value: objects
// recursively, arrays of the same length element by element, numbers within 1e-9. A
// member whose wanted value is null must be absent (or null).
bool Contains(const Json& have, const Json& want) {
  if (want.is_object()) {
    if (!have.is_object()) return false;
    for (const auto& [k, v] : want.items()) {
      if (v.is_null()) {
        if (have.contains(k) && !have[k].is_null()) return false;
        continue;
      }
      if (!have.contains(k) || !Contains(have[k], v)) return false;
    }
    return true;
  }
  if (want.is_array()) {
    if (!have.is_array() || have.size() != want.size()) return false;
    for (size_t i = 0; i < want.size(); ++i) {
      if (!Contains(have[i], want[i])) return false;
    }
    return true;
  }
  if (want.is_number() && have.is_number()) {
    return std::abs(want.get<double>() - have.get<double>()) < 1e-9;
  }
  return have == want;
}

class Runner {
 public:
  // `calendar_path` was checked to load.
  Runner(std::string scenario_path, std::string db, std::string calendar_path, std::ostream& out)
      : scenario_path_(std::move(scenario_path)),
        db_(std::move(db)),
        calendar_path_(std::move(calendar_path)),
        out_(out) {}

  // Returns the number of failed expectations; throws Malformed.
  int Run(const Json& scenario) {
    if (!scenario.is_object()) throw Malformed{"the scenario must be a JSON object"};
    const Json& steps = scenario.value("steps", Json());
    if (!steps.is_array() || steps.empty()) throw Malformed{"steps: required, a non-empty list"};
    if (scenario.contains("start")) clock_.Set(Instant(scenario["start"], "start"));
    Open();
    for (size_t i = 0; i < steps.size(); ++i) {
      step_ = i + 1;
      RunStep(steps[i]);
    }
    return failures_;
  }
  int steps() const { return static_cast<int>(step_); }
  int commands() const { return commands_; }

 private:
  std::string Where(const std::string& field) const {
    return "step " + std::to_string(step_) + (field.empty() ? "" : "." + field);
  }
  int64_t Instant(const Json& v, const std::string& field) {
    if (!v.is_string()) throw Malformed{Where(field) + ": expected a time string"};
    auto t = ParseInstant(v.get<std::string>());
    if (!t.ok()) throw Malformed{Where(field) + ": " + t.status().message()};
    return *t;
  }
  void Fail(const std::string& what) {
    ++failures_;
    out_ << "FAIL " << Where("") << (label_.empty() ? "" : " (" + label_ + ")") << ": " << what
         << "\n";
  }

  // The server's own composition (App), on the simulated clock.
  void Open() {
    app_.reset();
    auto app = App::Open(db_, calendar_path_, &clock_);
    if (!app.ok()) throw Malformed{"cannot open the database " + db_ + ": " + app.status().message()};
    app_ = std::move(*app);
    store_ = app_->store();
    engine_ = app_->engine();
  }

  // Fires everything due at the clock's time, as a running server would.
  void FireDue() {
    auto fired = FireAllDue(engine_, clock_.NowMs());
    if (!fired.ok()) Fail("firing timers failed: " + fired.status().ToString());
  }

  // Moves the clock to `to` as a running server lives through the time in between, each
  // timer at its own instant (engine/timer_loop.h). Only a down time (down_until) jumps.
  void LiveUntil(int64_t to) {
    auto fired = govassess::LiveUntil(engine_, &clock_, to);
    if (!fired.ok()) Fail("firing timers failed: " + fired.status().ToString());
  }

  // Replaces {"$file": "path"} by the parsed file (relative to the scenario's folder,
  // else to the source tree).
  Json Resolve(const Json& v) {
    if (v.is_object()) {
      if (v.size() == 1 && v.contains("$file")) {
        const std::string rel = v["$file"].get<std::string>();
        fs::path p = fs::path(scenario_path_).parent_path() / rel;
        if (!fs::exists(p)) p = fs::path(GOVASSESS_SOURCE_DIR) / rel;
        auto text = ReadFile(p.string());
        if (!text.ok()) throw Malformed{Where("payload") + ": " + text.status().message()};
        try {
          return Json::parse(*text);
        } catch (const Json::exception& e) {
          throw Malformed{Where("payload") + ": " + p.string() + ": " + e.what()};
        }
      }
      Json o = Json::object();
      for (const auto& [k, x] : v.items()) o[k] = Resolve(x);
      return o;
    }
    if (v.is_array()) {
      Json a = Json::array();
      for (const Json& x : v) a.push_back(Resolve(x));
      return a;
    }
    return v;
  }

  void RunStep(const Json& s) {
    if (!s.is_object()) throw Malformed{Where("") + ": a step is a JSON object"};
    label_ = s.value("label", "");
    if (s.contains("restart")) {
      Open();
      FireDue();
      return;
    }
    if (s.contains("advance_to")) return LiveUntil(Instant(s["advance_to"], "advance_to"));
    if (s.contains("down_until")) {
      // The server is down: time passes, nothing fires; then it restarts and catches up.
      app_.reset();
      clock_.Set(Instant(s["down_until"], "down_until"));
      Open();
      FireDue();
      return;
    }
    if (s.contains("expect_instance")) return ExpectInstance(s["expect_instance"]);
    if (s.contains("expect_grades")) return ExpectGrades(s["expect_grades"]);
    if (s.contains("expect_journal")) return ExpectJournal(s["expect_journal"]);
    if (s.contains("command")) return RunCommand(s);
    throw Malformed{Where("") + ": a step needs one of command, advance_to, down_until, restart, "
                    "expect_instance, expect_grades, expect_journal"};
  }

  void RunCommand(const Json& s) {
    if (s.contains("at")) LiveUntil(Instant(s["at"], "at"));
    Command c;
    c.name = s.value("command", "");
    c.instance_id = s.value("instance", "");
    c.type = s.value("type", "");
    c.reason = s.value("reason", "");
    const Json& actor = s.value("actor", Json());
    if (!actor.is_object() || !actor.contains("role")) {
      throw Malformed{Where("actor") + ": required, {\"user\", \"role\", \"unit\"}"};
    }
    c.actor = Actor{actor.value("user", actor.value("role", "") + "-user"), actor.value("role", ""),
                    actor.value("unit", ""), "scenario"};
    if (c.name.empty()) throw Malformed{Where("command") + ": required"};
    if (c.instance_id.empty()) throw Malformed{Where("instance") + ": required"};
    c.payload = Resolve(s.value("payload", Json::object()));
    if (!c.payload.is_object()) throw Malformed{Where("payload") + ": must be an object"};
    ++commands_;
    auto r = engine_->Execute(c);
    const Json expect = s.value("expect", Json::object());
    if (!expect.is_object()) throw Malformed{Where("expect") + ": must be an object"};
    const std::string what = c.name + " on " + c.instance_id;
    if (!r.ok()) {
      if (expect.value("error", false)) return;
      Fail(what + ": error " + r.status().ToString());
      return;
    }
    const bool want_accepted = expect.value("accepted", true);
    if (r->accepted != want_accepted) {
      Fail(what + ": expected " + (want_accepted ? "accepted" : "refused") + ", was " +
           (r->accepted ? "accepted" : "refused: " + r->refusal.message()));
      return;
    }
    if (expect.contains("reason_contains")) {
      const std::string want = expect["reason_contains"].get<std::string>();
      if (r->accepted || r->refusal.message().find(want) == std::string::npos) {
        Fail(what + ": expected a refusal reason containing \"" + want + "\", got \"" +
             r->refusal.message() + "\"");
      }
    }
    if (expect.contains("code") && (r->accepted || expect["code"] != CodeName(r->refusal.code()))) {
      Fail(what + ": expected refusal code " + expect["code"].dump() + ", got " +
           (r->accepted ? "accepted" : CodeName(r->refusal.code())));
    }
    if (expect.contains("state") && r->instance().state != expect["state"]) {
      Fail(what + ": expected state " + expect["state"].get<std::string>() + ", got " +
           r->instance().state);
    }
    if (expect.contains("version") && r->instance().version != expect["version"].get<int64_t>()) {
      Fail(what + ": expected version " + expect["version"].dump() + ", got " +
           std::to_string(r->instance().version));
    }
    if (expect.contains("result") && !Contains(r->result, expect["result"])) {
      Fail(what + ": expected the result to contain " + expect["result"].dump() + ", got " +
           r->result.dump());
    }
  }

  void ExpectInstance(const Json& e) {
    const std::string id = e.value("id", "");
    if (id.empty()) throw Malformed{Where("expect_instance.id") + ": required"};
    auto inst = store_->Get(id);
    if (!inst.ok()) {
      if (e.contains("exists") && !e["exists"].get<bool>()) return;
      Fail("expected instance " + id + ": " + inst.status().ToString());
      return;
    }
    if (e.contains("state") && inst->state != e["state"]) {
      Fail(id + ": expected state " + e["state"].get<std::string>() + ", got " + inst->state);
    }
    if (e.contains("version") && inst->version != e["version"].get<int64_t>()) {
      Fail(id + ": expected version " + e["version"].dump() + ", got " + std::to_string(inst->version));
    }
    if (e.contains("data") && !Contains(inst->data, e["data"])) {
      Fail(id + ": expected data to contain " + e["data"].dump());
    }
    if (e.contains("timers")) {
      auto timers = store_->TimersOf(id);
      std::vector<std::string> ids;
      if (timers.ok()) {
        for (const Timer& t : *timers) ids.push_back(t.id.substr(t.id.find('#') + 1));
      }
      Json have = ids;
      if (have != e["timers"]) Fail(id + ": expected timers " + e["timers"].dump() + ", got " + have.dump());
    }
    if (e.contains("reminders")) {
      // The reminders still planned: what each pending reminder chain stands for
      // (workflows::ChainOf), as "<step>/<reminder>" in due order.
      auto timers = store_->TimersOf(id);
      std::vector<std::pair<int64_t, std::string>> planned;
      if (timers.ok()) {
        for (const Timer& t : *timers) {
          if (t.command != "remind") continue;
          const std::string step = t.payload.value("step", "");
          for (const workflows::ChainedReminder& r : workflows::ChainOf(t.payload)) {
            planned.emplace_back(r.due_ms, step + "/" + r.reminder);
          }
        }
      }
      std::stable_sort(planned.begin(), planned.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      Json have = Json::array();
      for (const auto& [due, name] : planned) have.push_back(name);
      if (have != e["reminders"]) {
        Fail(id + ": expected reminders " + e["reminders"].dump() + ", got " + have.dump());
      }
    }
  }

  // {"cycle": "cycle/2025/city", "category": "cities", "grades": {"gx-nanning": "first"}}
  void ExpectGrades(const Json& e) {
    const std::string prefix = e.value("lifecycle_prefix", "");
    std::string cycle = e.value("cycle", "");
    if (cycle.empty() || !e.contains("grades") || !e["grades"].is_object()) {
      throw Malformed{Where("expect_grades") + ": needs cycle and grades {unit: grade}"};
    }
    // "cycle/2025/city" → "lifecycle/2025/city/".
    const std::string base = "lifecycle/" + cycle.substr(cycle.find('/') + 1) + "/";
    for (const auto& [unit, want] : e["grades"].items()) {
      auto inst = store_->Get(base + unit);
      if (!inst.ok() || !inst->data.contains("grade")) {
        Fail(unit + ": expected grade " + want.dump() + ", but it has no grade");
        continue;
      }
      const Json& g = inst->data["grade"];
      if (g.value("grade", "") != want) {
        Fail(unit + ": expected grade " + want.get<std::string>() + ", got " +
             g.value("grade", "") + " (total " + g["total"].dump() + ", rank " + g["rank"].dump() +
             ")");
      }
    }
    (void)prefix;
  }

  // {"refusals": n, "accepted": n, "command": "appeal", "entity": "...", "verifies": true}
  void ExpectJournal(const Json& e) {
    auto events = store_->ReadJournal(0, 10'000'000);
    if (!events.ok()) {
      Fail("cannot read the journal: " + events.status().ToString());
      return;
    }
    int refusals = 0, accepted = 0;
    for (const JournalEvent& ev : *events) {
      if (e.contains("command") && ev.command != e["command"]) continue;
      if (e.contains("entity") && ev.entity != e["entity"]) continue;
      (ev.outcome == "refused" ? refusals : accepted)++;
    }
    if (e.contains("refusals") && refusals != e["refusals"].get<int>()) {
      Fail("expected " + e["refusals"].dump() + " journaled refusals, found " + std::to_string(refusals));
    }
    if (e.contains("accepted") && accepted != e["accepted"].get<int>()) {
      Fail("expected " + e["accepted"].dump() + " accepted events, found " + std::to_string(accepted));
    }
    if (e.value("verifies", false)) {
      auto v = store_->VerifyJournal(std::nullopt);
      if (!v.ok()) Fail("the journal does not verify: " + v.status().ToString());
    }
  }

  const std::string scenario_path_;
  const std::string db_;
  const std::string calendar_path_;
  std::ostream& out_;
  ManualClock clock_;
  std::unique_ptr<App> app_;
  SqliteStore* store_ = nullptr;  // app_'s
  Engine* engine_ = nullptr;      // app_'s
  size_t step_ = 0;
  int failures_ = 0;
  int commands_ = 0;
  std::string label_;
};

}  // namespace

int RunScenarioCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (words.empty() || words[0] == "--help" || words[0] == "help") {
    (words.empty() ? err : out) << kUsage;
    return words.empty() ? kExitUsage : kExitOk;
  }
  if (words[0] != "run") {
    err << "govassess scenario: unknown command \"" << words[0] << "\"\n" << kUsage;
    return kExitUsage;
  }
  auto args = Args::Parse(std::vector<std::string>(words.begin() + 1, words.end()), {"db", "calendar"});
  if (!args.ok()) {
    err << "govassess scenario run: " << args.status().message() << "\n";
    return kExitUsage;
  }
  if (args->positional().size() != 1 || !args->Get("db")) {
    err << kUsage;
    return kExitUsage;
  }
  const std::string file = args->positional()[0];
  const std::string db = *args->Get("db");
  std::error_code ec;
  if (fs::exists(db, ec)) {
    err << "govassess scenario run: " << db
        << " exists; a scenario starts from an empty database (remove it or pass another path)\n";
    return kExitUsage;
  }
  auto text = ReadFile(file);
  if (!text.ok()) {
    err << "govassess scenario run: " << text.status().message() << "\n";
    return kExitUsage;
  }
  Json scenario;
  try {
    scenario = Json::parse(*text);
  } catch (const Json::exception& e) {
    err << "govassess scenario run: " << file << " is not JSON: " << e.what() << "\n";
    return kExitUsage;
  }
  std::string cal_path;
  if (auto given = args->Get("calendar")) {
    cal_path = *given;
  } else {
    auto found = DefaultCalendarPath();
    if (!found.ok()) {
      err << "govassess scenario run: " << found.status().message() << "\n";
      return kExitUsage;
    }
    cal_path = *found;
  }
  auto calendar = LoadCalendarFile(cal_path);
  if (!calendar.ok()) {
    err << "govassess scenario run: " << calendar.status().message() << "\n";
    return kExitUsage;
  }
  Runner runner(file, db, cal_path, out);
  int failures = 0;
  try {
    failures = runner.Run(scenario);
  } catch (const Malformed& m) {
    err << "govassess scenario run: " << file << ": " << m.message << "\n";
    return kExitUsage;
  } catch (const Json::exception& e) {
    err << "govassess scenario run: " << file << ": step " << runner.steps() << ": " << e.what() << "\n";
    return kExitUsage;
  }
  const std::string name = scenario.value("name", fs::path(file).filename().string());
  if (failures > 0) {
    out << name << ": " << failures << " expectation(s) failed\n";
    return kExitFailed;
  }
  out << name << ": ok — " << runner.steps() << " steps, " << runner.commands()
      << " commands, all expectations hold\n";
  return kExitOk;
}

}  // namespace govassess
