#include "bench/reminders_bench.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/cli/app.h"
#include "adapters/sqlite/sqlite_store.h"
#include "bench/machine.h"
#include "engine/clock.h"
#include "engine/date.h"
#include "workflows/china_time.h"
#include "workflows/delivery_dispatcher.h"
#include "workflows/notifier.h"
#include "workflows/notices_workflow.h"
#include "workflows/notify_directory.h"
#include "workflows/reminder_policy.h"

namespace govassess {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

constexpr int kPerUnit = 10;             // reminders per notices instance (two chains of 5)
constexpr int kUnitsPerGroup = 1000;     // notices instances per ApplyGroup (one transaction)
constexpr int64_t kUnitSpacingMs = 500;  // unit k's reminders come k × 0.5 s after unit 0's
constexpr int kOfficeUsers = 3;
constexpr const char* kYear = "2026";
constexpr const char* kScheme = "city";
constexpr const char* kWebhook = "bench-hook";
// The two deadlines every unit is reminded of (5 reminders each, default policy).
const std::pair<const char*, const char*> kSteps[] = {{"plan_due", "2026-03-31"},
                                                      {"self_assessment_due", "2026-11-30"}};

double SecondsSince(SteadyClock::time_point t) {
  return std::chrono::duration<double>(SteadyClock::now() - t).count();
}
double Round(double v, double unit = 1000) { return std::round(v * unit) / unit; }

void Check(const Status& s, const std::string& what) {
  if (!s.ok()) throw std::runtime_error(what + ": " + s.ToString());
}
template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error(what + ": " + r.status().ToString());
  return std::move(*r);
}

std::string Unit(int k) { return "u" + std::to_string(k); }
std::string NoticesOf(int k) { return std::string("notices/") + kYear + "/" + kScheme + "/" + Unit(k); }
std::string LifecycleOf(int k) {
  return std::string("lifecycle/") + kYear + "/" + kScheme + "/" + Unit(k);
}

// VmRSS/VmHWM of this process in MB; ResetPeakRss makes VmHWM start again from now.
double ProcStatusMb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return Round(std::atof(line.c_str() + std::strlen(key)) / 1024, 10);
  }
  return 0;
}
bool ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return bool(out);
}

// One reminder slot of a unit: which step and reminder, and when (before the spread).
struct Slot {
  std::string step, reminder, kind, deadline;
  int64_t at_ms = 0;
};

// The 10 reminder slots, planned on the working-day calendar like the lifecycle does.
std::vector<Slot> PlanSlots(const WorkingDayCalendar& calendar) {
  std::vector<Slot> slots;
  const workflows::ReminderPolicy policy;  // 5, 3, 1 working days before, the day, 1 after
  for (const auto& [step, deadline] : kSteps) {
    const Date date = Must(Date::Parse(deadline), "deadline");
    auto plan = Must(workflows::PlanReminders(date, policy, calendar), "planning reminders");
    for (const workflows::PlannedReminder& r : plan) {
      slots.push_back({step, r.Name(), workflows::ReminderKindName(r.kind), deadline, r.at_ms});
    }
  }
  if (slots.size() != kPerUnit) {
    throw std::runtime_error("expected 10 reminders for the two deadlines, planned " +
                             std::to_string(slots.size()));
  }
  return slots;
}

// Unit k's reminders slots[0, count) as the lifecycle plans them: one chain per deadline
// (lifecycle_workflow.cc, ReminderChain), a timer for each step's first reminder, named
// after it, whose payload lists the step's later reminders ("then"). Firing a link sets
// the next one in its commit.
std::vector<Timer> ReminderChains(int k, const std::vector<Slot>& slots, int count) {
  std::vector<Timer> out;
  const std::string notices = NoticesOf(k);
  for (int i = 0; i < count; ++i) {
    const Slot& s = slots[size_t(i)];
    const int64_t due = s.at_ms + int64_t(k) * kUnitSpacingMs;
    if (!out.empty() && out.back().payload["step"] == s.step) {
      out.back().payload["then"].push_back(workflows::ChainLinkJson({due, s.kind, s.reminder}));
      continue;
    }
    out.push_back(Timer{notices + "#" + s.step + "/" + s.reminder, notices, "remind", due,
                        Json{{"step", s.step},
                             {"reminder", s.reminder},
                             {"kind", s.kind},
                             {"deadline", s.deadline},
                             {"due_ms", due},
                             {"lifecycle", LifecycleOf(k)},
                             {"then", Json::array()}}});
  }
  for (Timer& t : out) {
    if (t.payload["then"].empty()) t.payload.erase("then");
  }
  return out;
}

// Unit k's assessment as the lifecycle creates it, still drafting: a reminder goes out
// only while its step is open (lifecycle_workflow.h, CheckReminderDue), and plan_due is
// open while the plan is drafted.
InstanceWrite LifecycleWrite(int k, int64_t now_ms) {
  InstanceWrite w;
  w.after.id = LifecycleOf(k);
  w.after.type = "lifecycle";
  w.after.type_version = 1;
  w.after.state = "drafting";
  w.after.version = 1;
  w.after.data = {{"cycle", std::string("cycle/") + kYear + "/" + kScheme},
                  {"unit", Unit(k)},
                  {"unit_name", Unit(k)},
                  {"category", "cities"},
                  {"year", std::atoi(kYear)},
                  {"scheme", kScheme},
                  {"overdue", Json::array()},
                  {"adjustments", Json::array()}};
  w.after.created_ms = now_ms;
  w.after.updated_ms = now_ms;
  w.expected_version = 0;
  return w;
}

// The batch that creates unit k's assessment and its notices instance with the reminder
// chains of `count` of its `slots`, journaled as one event whose change is what the engine would record
// for it (so a replay of the journal rebuilds the same instances and timers).
std::unique_ptr<WriteBatch> NoticesBatch(int k, const std::vector<Slot>& slots, int count,
                                         int64_t now_ms) {
  auto b = std::make_unique<WriteBatch>();
  InstanceWrite w;
  w.after.id = NoticesOf(k);
  w.after.type = "notices";
  w.after.type_version = 1;
  w.after.state = "active";
  w.after.version = 1;
  w.after.data = {{"unit", Unit(k)},
                  {"lifecycle", LifecycleOf(k)},
                  {"entries", Json::array()},
                  {"read_upto", 0}};
  w.after.created_ms = now_ms;
  w.after.updated_ms = now_ms;
  w.expected_version = 0;
  InstanceWrite lifecycle = LifecycleWrite(k, now_ms);

  Json created = Json::array();
  for (const InstanceWrite* i : {&lifecycle, &w}) {
    // The canonical text the store keeps (sorted keys, invalid UTF-8 replaced).
    b->instance_data_json.push_back(i->after.data.dump(-1, ' ', false, Json::error_handler_t::replace));
    created.push_back({{"create", i->after.data},
                       {"from", nullptr},
                       {"id", i->after.id},
                       {"to", i->after.state},
                       {"type", i->after.type},
                       {"type_version", i->after.type_version},
                       {"version", i->after.version}});
  }
  Json set = Json::array();
  for (Timer& t : ReminderChains(k, slots, count)) {
    set.push_back(ToJson(t));
    b->timers_set.push_back(std::move(t));
  }
  JournalEvent& e = b->event;
  e.ts_ms = now_ms;
  e.actor = Actor{"bench-seed", "system", "", "bench"};
  e.command = "bench_seed";
  e.entity = lifecycle.after.id;
  e.entity_type = "lifecycle";
  e.outcome = "accepted";
  e.reason = "reminders benchmark set-up";
  e.payload = {{"unit", Unit(k)}};
  e.change = {{"instances", std::move(created)}, {"timers", {{"set", std::move(set)}}}};
  PrepareEventBody(&e);
  e.change = Json::object();  // the body is what is stored and hashed
  e.payload = Json::object();
  b->instances.push_back(std::move(lifecycle));
  b->instances.push_back(std::move(w));
  return b;
}

using Group = std::vector<std::unique_ptr<WriteBatch>>;

Group BuildGroup(int first_unit, int units, int reminders, const std::vector<Slot>& slots,
                 int64_t now_ms) {
  Group g;
  for (int k = first_unit; k < first_unit + units; ++k) {
    const int count = std::min(kPerUnit, reminders - k * kPerUnit);
    if (count <= 0) break;
    g.push_back(NoticesBatch(k, slots, count, now_ms));
  }
  return g;
}

void ApplyGroup(Store* store, Group& g) {
  std::vector<WriteBatch*> raw;
  for (auto& b : g) raw.push_back(b.get());
  std::vector<CommitOutcome> outcomes;
  Check(store->ApplyGroup(raw, &outcomes), "bulk write");
  for (const CommitOutcome& o : outcomes) Check(o.status, "bulk write of a notices instance");
}

void MustAccept(Engine* engine, const Command& c) {
  auto r = engine->Execute(c);
  if (!r.ok()) throw std::runtime_error(c.instance_id + " " + c.name + ": " + r.status().ToString());
  if (!r->accepted) {
    throw std::runtime_error(c.instance_id + " " + c.name + " refused: " + r->refusal.ToString());
  }
}

Command UserCreate(const std::string& username, const std::string& role, const std::string& unit) {
  Command c;
  c.instance_id = "user/" + username;
  c.type = "user";
  c.name = "create";
  c.actor = Actor{"bench-admin", "admin", "", "bench"};
  c.payload = {{"username", username}, {"role", role}, {"email", username + "@bench.example"}};
  if (!unit.empty()) c.payload["unit"] = unit;
  return c;
}

// Every instance of `type`, page by page; `each` sees each one.
template <typename F>
int64_t ForEachOfType(Store* store, const std::string& type, F each) {
  InstanceFilter f;
  f.type = type;
  f.limit = 5000;
  int64_t n = 0;
  while (true) {
    auto page = Must(store->List(f), "listing " + type);
    for (const Instance& i : page) each(i);
    n += int64_t(page.size());
    if (page.size() < f.limit) return n;
    f.after_id = page.back().id;
  }
}

// Accepts everything at once and counts it.
class AcceptingNotifier final : public workflows::Notifier {
 public:
  Status SendEmail(const workflows::OutgoingEmail&) override {
    ++emails;
    return Status::Ok();
  }
  Status PostWebhook(const workflows::OutgoingWebhook&) override {
    ++webhooks;
    return Status::Ok();
  }
  int emails = 0, webhooks = 0;
};

// Flushes the database files and drops their pages from the OS page cache (only these
// files), so that the start-up reads from the disk. False when it could not.
bool DropFromPageCache(const std::string& db) {
  bool ok = true;
  for (const char* suffix : {"", "-wal"}) {
    const int fd = ::open((db + suffix).c_str(), O_RDONLY);
    if (fd < 0) continue;
    ok = ::fdatasync(fd) == 0 && ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0 && ok;
    ::close(fd);
  }
  return ok;
}

double DbMb(const std::string& db) {
  std::error_code ec;
  uintmax_t bytes = 0;
  for (const char* suffix : {"", "-wal"}) {
    const auto n = fs::file_size(db + suffix, ec);
    if (!ec) bytes += n;
  }
  return Round(double(bytes) / (1 << 20), 10);
}

nlohmann::json Run(const RemindersBenchOptions& o) {
  if (o.reminders < kPerUnit) throw std::runtime_error("--reminders must be at least 10");
  if (o.due < 1 || o.due > o.reminders) {
    throw std::runtime_error("--due must be between 1 and --reminders");
  }
  const int units = (o.reminders + kPerUnit - 1) / kPerUnit;
  const int user_units = std::max(0, std::min(o.user_units, units));
  fs::create_directories(o.dir);
  const std::string db = o.dir + "/reminders-bench.db";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);

  // The simulated clock: set-up on 1 March 2026, 09:00 Beijing, before every reminder.
  const int64_t setup_now = Must(Date::Parse("2026-03-01"), "date").DaysSinceEpoch() *
                                workflows::kMsPerDay +
                            9 * 3'600'000 - workflows::kBeijingOffsetMs;
  ManualClock clock(setup_now);
  nlohmann::json out{{"bench", "reminders"},
                     {"reminders", o.reminders},
                     {"notices_instances", units},
                     {"due", o.due},
                     {"machine", MachineInfo(o.dir)}};

  // ---- Set-up ------------------------------------------------------------------
  const auto setup_start = SteadyClock::now();
  int64_t due_instant = 0;     // the clock at which exactly o.due reminders are due
  int64_t first_instant = 0;   // the earliest reminder
  int users = 0;
  nlohmann::json setup;
  {
    auto app = Must(App::Open(db, "", &clock), "opening " + db);
    Engine* engine = app->engine();
    const std::vector<Slot> slots = PlanSlots(app->calendar());

    // The directory and its users, through the engine (each user commit rewrites the
    // directory, so they go one after the other).
    auto t = SteadyClock::now();
    Command configure;
    configure.instance_id = workflows::kNotifyDirectoryId;
    configure.type = "directory";
    configure.name = "configure";
    configure.actor = Actor{"bench-admin", "admin", "", "bench"};
    configure.payload = {{"email", true}, {"webhooks", Json::array({{{"name", kWebhook}}})}};
    MustAccept(engine, configure);
    for (int i = 1; i <= kOfficeUsers; ++i) {
      MustAccept(engine, UserCreate("office-" + std::to_string(i), "office", ""));
      ++users;
    }
    for (int k = 0; k < user_units; ++k) {
      for (const char* who : {"a", "b"}) {
        MustAccept(engine, UserCreate(Unit(k) + "-" + who, "unit", Unit(k)));
        ++users;
      }
    }
    setup["users_seconds"] = Round(SecondsSince(t), 100);

    // The notices instances and their reminder timers, in bulk: one transaction per
    // kUnitsPerGroup instances, the next group built while the store writes this one.
    t = SteadyClock::now();
    const int64_t now = clock.NowMs();
    std::future<Group> next = std::async(std::launch::async, BuildGroup, 0, kUnitsPerGroup,
                                         o.reminders, std::cref(slots), now);
    for (int first = 0; first < units; first += kUnitsPerGroup) {
      Group g = next.get();
      if (first + kUnitsPerGroup < units) {
        next = std::async(std::launch::async, BuildGroup, first + kUnitsPerGroup, kUnitsPerGroup,
                          o.reminders, std::cref(slots), now);
      }
      ApplyGroup(app->store(), g);
    }
    setup["bulk_seconds"] = Round(SecondsSince(t), 100);
    t = SteadyClock::now();
    Must(app->store()->IndexJournal(), "indexing the journal");
    setup["index_seconds"] = Round(SecondsSince(t), 100);

    // When exactly o.due reminders are due: the o.due-th earliest instant (all distinct).
    std::vector<int64_t> instants;
    instants.reserve(size_t(o.reminders));
    for (int k = 0; k < units; ++k) {
      for (int i = 0; i < std::min(kPerUnit, o.reminders - k * kPerUnit); ++i) {
        instants.push_back(slots[size_t(i)].at_ms + int64_t(k) * kUnitSpacingMs);
      }
    }
    std::nth_element(instants.begin(), instants.begin() + (o.due - 1), instants.end());
    due_instant = instants[size_t(o.due - 1)];
    first_instant = *std::min_element(instants.begin(), instants.begin() + o.due);
    setup["journal_events"] = Must(app->store()->Head(), "head").seq;
  }  // closes the database
  out["setup_seconds"] = Round(SecondsSince(setup_start), 10);
  setup["users"] = users;
  setup["peak_rss_mb"] = PeakRssMb();
  out["setup"] = setup;
  out["db_mb_after_setup"] = DbMb(db);
  out["fanout"] = {
      {"directory_users", users},
      {"unit_users", 2 * user_units},
      {"office_users", kOfficeUsers},
      {"units_with_users", user_units},
      {"email", true},
      {"webhooks", 1},
      {"note", "users (2 per unit, e-mail, no digest) exist for units u0..u" +
                   std::to_string(user_units - 1) + " only, so a reminder of any other unit "
                   "writes just the notice and one webhook delivery. The due reminders are the "
                   "earliest ones: plan_due before-5 of u0, u1, ... (0.5 s apart), i.e. units "
                   "WITH users, each writing the notice, 2 inbox items, 2 e-mail deliveries and "
                   "1 webhook delivery (an escalation would add the 3 office users)"}};
  // For comparison: the store alone (no workflows, no registry), cold, to the next timer.
  {
    DropFromPageCache(db);
    const auto t = SteadyClock::now();
    auto store = Must(SqliteStore::Open(db), "opening the store");
    auto first = Must(store->NextTimer(), "next timer");
    out["cold_start_store_only_ms"] = Round(SecondsSince(t) * 1000);
    if (!first) throw std::runtime_error("no pending timer");
  }
  out["page_cache_dropped"] = DropFromPageCache(db);
  const bool rss_reset = ResetPeakRss();
  out["peak_rss_scope"] = rss_reset ? "from the cold start to the end (set-up excluded)"
                                    : "the whole run (could not reset VmHWM)";

  // ---- Cold start: open everything as App::Open does, find the next-due timer ------
  auto t = SteadyClock::now();
  auto app = Must(App::Open(db, "", &clock), "reopening " + db);
  const double open_ms = SecondsSince(t) * 1000;
  auto next = Must(app->store()->NextTimer(), "next timer");
  out["cold_start_ms"] = Round(SecondsSince(t) * 1000);
  out["cold_start_open_ms"] = Round(open_ms);
  if (!next || next->due_ms != first_instant) {
    throw std::runtime_error("the next-due timer is not the earliest reminder");
  }
  out["rss_after_open_mb"] = ProcStatusMb("VmRSS:");
  t = SteadyClock::now();
  // Pending timers, not reminders: a unit's 10 reminders are two chains, one timer each.
  const int64_t pending_before = Must(app->store()->CountPendingTimers(), "count timers");
  out["pending_before"] = pending_before;
  out["count_pending_ms"] = Round(SecondsSince(t) * 1000);

  // ---- Find and fire the due ones ------------------------------------------------
  clock.Set(due_instant);
  t = SteadyClock::now();
  auto due = Must(app->store()->DueTimers(clock.NowMs(), size_t(o.due) + 1), "due timers");
  out["due_scan_ms"] = Round(SecondsSince(t) * 1000);
  if (int64_t(due.size()) != o.due) {
    throw std::runtime_error(std::to_string(due.size()) + " reminders due, not " +
                             std::to_string(o.due));
  }
  int64_t fired = 0;
  int rounds = 0;
  t = SteadyClock::now();
  while (true) {
    const int n = Must(app->engine()->FireDueTimers(clock.NowMs(), 1000), "firing");
    ++rounds;
    if (n == 0) break;
    fired += n;
  }
  const double fire_s = SecondsSince(t);
  out["fired"] = fired;
  out["fire_rounds"] = rounds;  // the last one found nothing due
  // Each fired link set its chain's next one: as many timers pending as before.
  const int64_t pending_after = Must(app->store()->CountPendingTimers(), "count timers");
  out["pending_after"] = pending_after;
  if (pending_after != pending_before) {
    throw std::runtime_error(std::to_string(pending_before) + " timers pending before firing, " +
                             std::to_string(pending_after) + " after: a chain did not go on");
  }
  out["fire_seconds"] = Round(fire_s);
  out["reminders_fired_per_sec"] = std::round(double(fired) / fire_s);

  int64_t emails = 0, webhooks = 0;
  out["inbox_items"] = ForEachOfType(app->store(), "inbox_item", [](const Instance&) {});
  out["deliveries"] = ForEachOfType(app->store(), "delivery", [&](const Instance& i) {
    (i.data.value("channel", "") == "webhook" ? webhooks : emails)++;
  });
  out["deliveries_by_channel"] = {{"email", emails}, {"webhook", webhooks}};
  // Every fired reminder was sent: one webhook delivery each (a refused one writes none).
  if (webhooks != fired) {
    throw std::runtime_error(std::to_string(fired) + " reminders fired but " +
                             std::to_string(webhooks) + " were sent (webhook deliveries)");
  }
  out["rss_after_fire_mb"] = ProcStatusMb("VmRSS:");

  // What one reminder pays for the directory: every "remind" parses the whole
  // notification directory (all users) to find its recipients.
  {
    auto dir = Must(app->store()->Get(workflows::kNotifyDirectoryId), "reading the directory");
    constexpr int kParses = 200;
    size_t n = 0;
    const auto p = SteadyClock::now();
    for (int i = 0; i < kParses; ++i) n += workflows::ParseNotifyDirectory(dir.data).users.size();
    out["directory_parse_us"] = Round(SecondsSince(p) * 1e6 / kParses, 10);
    if (n == 0) out["directory_parse_us"] = nullptr;
  }

  // ---- Dispatch what the firing wrote, to a notifier that accepts at once ----------
  AcceptingNotifier notifier;
  workflows::DeliveryDispatcher dispatcher(app->engine(), &notifier, "");
  t = SteadyClock::now();
  auto report = Must(dispatcher.RunOnce(), "dispatching");
  const double dispatch_s = SecondsSince(t);
  out["dispatch_seconds"] = Round(dispatch_s);
  out["deliveries_sent"] = report.sent;
  out["dispatch_failed"] = report.failed + report.incidents;
  out["deliveries_sent_per_sec"] = std::round(double(report.sent) / dispatch_s);
  out["notifier_calls"] = {{"email", notifier.emails}, {"webhook", notifier.webhooks}};

  // ---- After ---------------------------------------------------------------------
  out["pending_after"] = Must(app->store()->CountPendingTimers(), "count timers");
  t = SteadyClock::now();
  constexpr int kLookups = 1000;
  for (int i = 0; i < kLookups; ++i) Must(app->store()->NextTimer(), "next timer");
  out["next_due_us"] = Round(SecondsSince(t) * 1e6 / kLookups, 10);
  out["peak_rss_mb"] = PeakRssMb();
  out["db_mb"] = DbMb(db);
  t = SteadyClock::now();
  auto verified = app->store()->VerifyJournal(std::nullopt);
  out["verify_seconds"] = Round(SecondsSince(t), 100);
  out["chain_ok"] = verified.ok();
  if (verified.ok()) {
    out["journal_events"] = verified->seq;
  } else {
    out["chain_error"] = verified.status().ToString();
  }
  return out;
}

}  // namespace

nlohmann::json RunRemindersBench(const RemindersBenchOptions& options) {
  try {
    return Run(options);
  } catch (const std::exception& e) {
    return {{"error", std::string(e.what())}};
  }
}

}  // namespace govassess
