#include "adapters/cli/registry_command.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "adapters/cli/args.h"
#include "adapters/cli/commands.h"
#include "adapters/sqlite/sqlite_store.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "registry/licence.h"
#include "registry/registry_service.h"
#include "registry/special_assessment_workflow.h"

namespace govassess {
namespace {

using registry::RegistryConfig;
using registry::RegistryService;

constexpr const char* kUsage =
    "usage: govassess registry <command> [options]\n"
    "\n"
    "The special-assessment registry (专项考核): licensed items, applications, quota.\n"
    "\n"
    "commands:\n"
    "  import FILE.json --db PATH [--year YEAR] [--user NAME] [--units ID]\n"
    "      load licensed items an office already runs: a JSON array of objects with\n"
    "      name, lead, indicators (array of strings) and optionally id, co_leads,\n"
    "      assessed_units, basis, scoring_rules, licence_number, valid_from, valid_to.\n"
    "      All or nothing: a bad object is reported (index and field) and nothing is\n"
    "      imported. Licence numbers not given come from the year's sequence.\n"
    "      --units names a unit directory (e.g. units/guangxi): leads and co-leads\n"
    "      it knows by name are stored as their unit ids, the ids users carry, so\n"
    "      that a department's own applications and its imported items count as\n"
    "      one; the output lists the names it resolved and those it kept.\n"
    "  check --db PATH --name NAME --indicators FILE.json [--lead LEAD]\n"
    "        [--comprehensive FILE.json]\n"
    "      duplicate review of an application against licensed items, pending\n"
    "      applications and (optionally) the comprehensive indicator set; prints\n"
    "      {\"matches\": [{id, name, lead, kind, score, name_score, indicator_score,\n"
    "      level, overlaps}]}, best first. FILE.json is an array of indicator texts.\n"
    "  quota --db PATH [--year YEAR]\n"
    "      the year's quota: cap, licensed, approved, pending, overall and per lead\n"
    "  list --db PATH [--state STATE]\n"
    "      the registered items\n"
    "\n"
    "options:\n"
    "  --config FILE   registry configuration (quota, licence_format, validity_years,\n"
    "                  merge_threshold, duplicate); see docs/registry.md\n"
    "  --year YEAR     default: the current year (China time)\n"
    "\n"
    "exit status: 0 success, 1 refused or failed, 2 bad usage or input (nothing written)\n";

struct Failure {
  int code;
  std::string message;
};

Result<Json> ReadJson(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read " + what + " " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  Json j = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument(what + " " + path + " is not valid JSON");
  return j;
}

int Fail(std::ostream& err, int code, const std::string& message) {
  err << "govassess registry: " << message << "\n";
  return code;
}

// The pieces every sub-command needs, opened from --db.
struct Registry {
  std::unique_ptr<SqliteStore> store;
  SystemClock clock;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<RegistryService> service;
};

Result<std::unique_ptr<Registry>> OpenRegistry(const std::string& db, const RegistryConfig& config) {
  auto store = SqliteStore::Open(db);
  if (!store.ok()) return store.status();
  auto r = std::make_unique<Registry>();
  r->store = std::move(*store);
  r->engine = std::make_unique<Engine>(r->store.get(), &r->clock);
  registry::RegisterRegistryWorkflows(r->engine.get(), config);
  r->service = std::make_unique<RegistryService>(r->store.get(), r->engine.get(), config);
  return r;
}

Result<int> YearOption(const Args& args) {
  auto y = args.Get("year");
  if (!y) return std::stoi(registry::ChinaDate(SystemClock().NowMs()).substr(0, 4));
  char* end = nullptr;
  const long year = std::strtol(y->c_str(), &end, 10);
  if (end == y->c_str() || *end != '\0' || year < 2000 || year > 2100) {
    return Status::InvalidArgument("--year must be a year 2000–2100, not \"" + *y + "\"");
  }
  return static_cast<int>(year);
}

std::string UserName(const Args& args) {
  if (auto u = args.Get("user")) return *u;
  const char* env = std::getenv("USER");
  return env != nullptr && *env != '\0' ? env : "admin";
}

int Import(const Args& args, const RegistryConfig& config, std::ostream& out, std::ostream& err) {
  if (args.positional().size() != 1) return Fail(err, kExitUsage, "import needs exactly one FILE.json");
  auto db = args.Get("db");
  if (!db) return Fail(err, kExitUsage, "--db PATH is required");
  auto year = YearOption(args);
  if (!year.ok()) return Fail(err, kExitUsage, year.status().message());
  auto items = ReadJson(args.positional()[0], "import file");
  if (!items.ok()) return Fail(err, kExitUsage, items.status().message());
  Status valid = registry::ValidateImportItems(*items);
  if (!valid.ok()) return Fail(err, kExitUsage, args.positional()[0] + ": " + valid.message() + "; nothing was imported");
  if (items->empty()) return Fail(err, kExitUsage, args.positional()[0] + " has no items; nothing was imported");
  auto reg = OpenRegistry(*db, config);
  if (!reg.ok()) return Fail(err, kExitFailed, reg.status().message());
  Command c;
  c.instance_id = registry::BookInstanceId(*year);
  c.type = registry::kBookType;
  c.name = "import";
  c.actor = Actor{UserName(args), "admin", "", "cli"};
  c.payload = {{"items", *items}};
  if (auto units = args.Get("units")) c.payload["units"] = *units;
  c.reason = "import of " + std::to_string(items->size()) + " licensed items from " +
             std::filesystem::path(args.positional()[0]).filename().string();
  auto r = (*reg)->service->Execute(c);
  if (!r.ok()) return Fail(err, kExitFailed, r.status().ToString());
  if (!r->accepted) return Fail(err, kExitFailed, "import refused: " + r->refusal.message());
  Json printed{{"imported", r->result["imported"]}, {"year", *year}, {"event", r->event.seq}};
  if (r->result.contains("leads")) printed["leads"] = r->result["leads"];
  out << printed.dump(2) << "\n";
  return kExitOk;
}

int Check(const Args& args, const RegistryConfig& config, std::ostream& out, std::ostream& err) {
  auto db = args.Get("db");
  auto name = args.Get("name");
  auto file = args.Get("indicators");
  if (!db || !name || !file) {
    return Fail(err, kExitUsage, "check needs --db PATH --name NAME --indicators FILE.json");
  }
  if (!std::filesystem::exists(*db)) return Fail(err, kExitUsage, "no database at " + *db);
  auto indicators_json = ReadJson(*file, "indicators file");
  if (!indicators_json.ok()) return Fail(err, kExitUsage, indicators_json.status().message());
  if (indicators_json->is_object() && indicators_json->contains("indicators")) {
    indicators_json = Json((*indicators_json)["indicators"]);
  }
  std::vector<std::string> indicators;
  if (!indicators_json->is_array()) {
    return Fail(err, kExitUsage, *file + " must be a JSON array of indicator texts");
  }
  for (size_t i = 0; i < indicators_json->size(); ++i) {
    const Json& t = (*indicators_json)[i];
    if (!t.is_string()) {
      return Fail(err, kExitUsage, *file + ": [" + std::to_string(i) + "] must be a string");
    }
    indicators.push_back(t.get<std::string>());
  }
  std::vector<registry::ReviewItem> comprehensive;
  if (auto cfile = args.Get("comprehensive")) {
    auto c = ReadJson(*cfile, "comprehensive indicator set");
    if (!c.ok()) return Fail(err, kExitUsage, c.status().message());
    if (!c->is_array()) return Fail(err, kExitUsage, *cfile + " must be a JSON array of items");
    for (size_t i = 0; i < c->size(); ++i) {
      Json o = (*c)[i];
      if (o.is_object() && !o.contains("id")) o["id"] = "comprehensive-" + std::to_string(i + 1);
      if (o.is_object() && !o.contains("lead")) o["lead"] = "";
      auto item = registry::ReviewItemFromJson(o);
      if (!item.ok()) {
        return Fail(err, kExitUsage, *cfile + ": [" + std::to_string(i) + "]: " + item.status().message());
      }
      comprehensive.push_back(std::move(*item));
    }
  }
  auto reg = OpenRegistry(*db, config);
  if (!reg.ok()) return Fail(err, kExitFailed, reg.status().message());
  Status loaded = (*reg)->service->Load(comprehensive);
  if (!loaded.ok()) return Fail(err, kExitFailed, loaded.ToString());
  auto matches = (*reg)->service->Check(*name, indicators);
  if (!matches.ok()) return Fail(err, kExitUsage, matches.status().message());
  Json list = Json::array();
  for (const auto& m : *matches) list.push_back(registry::MatchToJson(m));
  Json application{{"name", *name}, {"indicators", indicators}};
  if (auto lead = args.Get("lead")) application["lead"] = *lead;
  out << Json{{"application", application},
              {"compared_with", (*reg)->service->indexed()},
              {"matches", list}}
             .dump(2)
      << "\n";
  return kExitOk;
}

int Quota(const Args& args, const RegistryConfig& config, std::ostream& out, std::ostream& err) {
  auto db = args.Get("db");
  if (!db) return Fail(err, kExitUsage, "--db PATH is required");
  if (!std::filesystem::exists(*db)) return Fail(err, kExitUsage, "no database at " + *db);
  auto year = YearOption(args);
  if (!year.ok()) return Fail(err, kExitUsage, year.status().message());
  auto reg = OpenRegistry(*db, config);
  if (!reg.ok()) return Fail(err, kExitFailed, reg.status().message());
  auto q = (*reg)->service->Quota(*year);
  if (!q.ok()) return Fail(err, kExitFailed, q.status().ToString());
  out << q->dump(2) << "\n";
  return kExitOk;
}

int List(const Args& args, const RegistryConfig& config, std::ostream& out, std::ostream& err) {
  auto db = args.Get("db");
  if (!db) return Fail(err, kExitUsage, "--db PATH is required");
  if (!std::filesystem::exists(*db)) return Fail(err, kExitUsage, "no database at " + *db);
  auto reg = OpenRegistry(*db, config);
  if (!reg.ok()) return Fail(err, kExitFailed, reg.status().message());
  auto items = registry::ListItems((*reg)->store.get());
  if (!items.ok()) return Fail(err, kExitFailed, items.status().ToString());
  const std::string state = args.GetOr("state", "");
  Json list = Json::array();
  for (const Instance& i : *items) {
    if (!state.empty() && i.state != state) continue;
    Json row{{"id", registry::ItemShortId(i.id)},
             {"state", i.state},
             {"name", i.data.value("name", "")},
             {"lead", i.data.value("lead", "")},
             {"co_leads", i.data.value("co_leads", Json::array())},
             {"indicators", i.data.value("indicators", Json::array()).size()}};
    if (i.data.contains("licence")) row["licence"] = i.data["licence"];
    if (i.data.contains("merged_into")) row["merged_into"] = i.data["merged_into"];
    list.push_back(std::move(row));
  }
  out << Json{{"items", list}, {"count", list.size()}}.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

int RunRegistryCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (words.empty() || words[0] == "--help" || words[0] == "help") {
    (words.empty() ? err : out) << kUsage;
    return words.empty() ? kExitUsage : kExitOk;
  }
  const std::string sub = words[0];
  auto args = Args::Parse(std::vector<std::string>(words.begin() + 1, words.end()),
                          {"db", "year", "user", "units", "name", "indicators", "lead",
                           "comprehensive", "state", "config"});
  if (!args.ok()) return Fail(err, kExitUsage, args.status().message());
  RegistryConfig config;
  if (auto file = args->Get("config")) {
    auto j = ReadJson(*file, "registry configuration");
    if (!j.ok()) return Fail(err, kExitUsage, j.status().message());
    auto c = registry::ParseRegistryConfig(*j);
    if (!c.ok()) return Fail(err, kExitUsage, *file + ": " + c.status().message());
    config = *c;
  }
  if (sub == "import") return Import(*args, config, out, err);
  if (sub == "check") return Check(*args, config, out, err);
  if (sub == "quota") return Quota(*args, config, out, err);
  if (sub == "list") return List(*args, config, out, err);
  return Fail(err, kExitUsage, "unknown sub-command \"" + sub + "\"; try govassess registry --help");
}

}  // namespace govassess
