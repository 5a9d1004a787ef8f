// The command catalogues (workflows/command_catalog.h, registry/command_catalog.h) are
// held to the workflows they describe: the shape and the payload schemas are valid; the
// lifecycle lists exactly the machine's commands in the states the machine accepts
// them; every catalogued command, sent through the engine, is known to its workflow
// (never refused as unknown), and every command a workflow names in its refusal of an
// unknown one is catalogued; the roles are exactly those the workflow does not forbid
// (probed on its Decide); the accepted commands of every acceptance scenario fit their
// schemas, roles and reasons. The registry's catalogue is tested here too: the HTTP API
// serves both, and this executable links both libraries.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "catalog_checks.h"
#include "lifecycle_fixture.h"
#include "registry/command_catalog.h"
#include "registry/special_assessment_workflow.h"
#include "workflows/command_catalog.h"
#include "workflows/notify_directory.h"
#include "workflows/user_workflow.h"

namespace govassess {
namespace {

using testing::CheckCatalogueEntry;
using testing::LifecycleHarness;
using testing::StringSet;
using testing::ValidateAgainst;

const std::vector<std::string> kHumanRoles = {"unit",      "lead_assessor", "office", "leader",
                                              "committee", "auditor",       "admin"};

// Both catalogues, by type.
std::map<std::string, Json> Catalogue() {
  std::map<std::string, Json> out;
  for (const Json* part : {&workflows::CommandCatalog(), &registry::RegistryCommandCatalog()}) {
    for (const Json& e : *part) out[e["type"].get<std::string>()] = e;
  }
  return out;
}

const Json* FindCommand(const Json& entry, const std::string& name) {
  for (const Json& c : entry["commands"]) {
    if (c["name"] == name) return &c;
  }
  return nullptr;
}

std::set<std::string> CommandNames(const Json& entry) {
  std::set<std::string> out;
  for (const Json& c : entry["commands"]) out.insert(c["name"].get<std::string>());
  return out;
}

// Every workflow the server registers (adapters/cli/app.cc App::Open), on one engine:
// units, the 2025 city cycle, Nanning's lifecycle with its notices, two users, the
// notification directory (mail on), the reminders of plan_due fired (inbox items and
// deliveries), a registry book and a draft special assessment.
class World : public LifecycleHarness {
 public:
  World() {
    engine().Register(std::make_unique<workflows::UserWorkflow>());
    engine().Register(std::make_unique<workflows::AccessWorkflow>());
    for (auto& w : workflows::MakeNotificationWorkflows()) engine().Register(std::move(w));
    registry::RegisterRegistryWorkflows(&engine(), registry_config_);
    SetUpCycle();
    Must(As("root", "admin", "", "user/nn-clerk", "create",
            {{"username", "nn-clerk"},
             {"role", "unit"},
             {"unit", "gx-nanning"},
             {"email", "nn-clerk@nanning.gov.cn"}},
            "user"));
    Must(As("root", "admin", "", workflows::kNotifyDirectoryId, "configure", {{"email", true}},
            "directory"));
    At("2025-03-03");
    Must(Run("office", "", Id("gx-nanning"), "create", {}, "", "lifecycle"));
    At("2025-05-06", 10);
    Fire();
    Must(As("root", "admin", "", "registry/book/2025", "configure", Json::object(),
            "registry_book"));
    Must(As("fin", "lead_assessor", "gx-dept-finance", "registry/item/probe", "create",
            {{"name", "财政资金绩效专项考核"}}, "special_assessment"));
  }

  CommandResult As(const std::string& user, const std::string& role, const std::string& unit,
                   const std::string& id, const std::string& name, Json payload = Json::object(),
                   const std::string& type = "", const std::string& reason = "") {
    Command c;
    c.instance_id = id;
    c.type = type;
    c.name = name;
    c.actor = Actor{user, role, unit, "test"};
    c.payload = std::move(payload);
    c.reason = reason;
    auto r = engine().Execute(c);
    REQUIRE(r.ok());
    return *r;
  }

  static void Must(const CommandResult& r) {
    INFO(r.refusal.ToString());
    REQUIRE(r.accepted);
  }

  // The first instance of `type`, past the licensed item SetUpCycle puts for the
  // special indicator's scores (the probe item is the one created above).
  Instance First(const std::string& type) {
    InstanceFilter f;
    f.type = type;
    f.limit = 2;
    auto listed = store().List(f);
    REQUIRE(listed.ok());
    REQUIRE_FALSE(listed->empty());
    return listed->front().id == testing::kSpecialItem ? listed->at(1) : listed->front();
  }

  // The workflow's decision on `instance` as it is (no write).
  Decision Decide(const Instance& instance, const std::string& type, const Command& c) {
    const Workflow* w = engine().FindWorkflow(type);
    REQUIRE(w != nullptr);
    DecideContext ctx;
    ctx.now_ms = clock().NowMs();
    ctx.load = [this](const std::string& id) { return store().Get(id); };
    ctx.load_shared = [this](const std::string& id) -> Result<std::shared_ptr<const Instance>> {
      auto r = store().Get(id);
      if (!r.ok()) return r.status();
      return std::make_shared<const Instance>(std::move(*r));
    };
    return w->Decide(instance, c, ctx);
  }

 private:
  const registry::RegistryConfig registry_config_;
};

// Who acts on an instance of a type "as its owner": a unit on its own unit's records, a
// user on their own user record or inbox item, a lead assessor on its own applications.
struct Subject {
  std::string type;
  Instance instance;                        // an existing instance of the type
  std::string fresh_id;                     // where a creating command creates one
  std::string owner_user;                   // "" : the actor is "probe-<role>"
  std::string unit = "gx-nanning";          // a unit actor's unit
  std::string lead_unit = "gx-statistics";  // a lead assessor's unit

  Actor As(const std::string& role) const {
    return Actor{owner_user.empty() ? "probe-" + role : owner_user, role,
                 role == "unit"            ? unit
                 : role == "lead_assessor" ? lead_unit
                                           : "",
                 "test"};
  }
};

std::vector<Subject> Subjects(World& w) {
  std::vector<Subject> s;
  auto add = [&](const std::string& type, const std::string& fresh) {
    Subject x;
    x.type = type;
    x.instance = w.First(type);
    x.fresh_id = fresh;
    s.push_back(x);
    return &s.back();
  };
  add("lifecycle", "lifecycle/2025/city/gx-liuzhou");
  add("notices", "");
  add("units", "units/probe");
  add("cycle", "cycle/2026/city");
  add("directory", "");
  add("delivery", "");
  Subject* user = add("user", "user/probe-new");
  user->owner_user = "nn-clerk";
  Subject* inbox = add("inbox_item", "");
  inbox->owner_user = inbox->instance.data["user"].get<std::string>();
  add("registry_book", "registry/book/2026");
  Subject* item = add("special_assessment", "registry/item/probe-2");
  item->lead_unit = "gx-dept-finance";
  // Expire reads the licence: the probe item has one (the state is set per probe).
  item->instance.data["licence"] = {
      {"number", "专考〔2025〕1号"}, {"valid_from", "2025-01-01"}, {"valid_to", "2099-12-31"}};
  return s;
}

// ---------------------------------------------------------------------------------

TEST_CASE("command catalogue: every entry has the documented shape and valid payload schemas") {
  const auto all = Catalogue();
  CHECK(all.size() ==
        workflows::CommandCatalog().size() + registry::RegistryCommandCatalog().size());
  for (const auto& [type, entry] : all) {
    INFO(type);
    CHECK(CheckCatalogueEntry(entry) == "");
  }
  for (const Json* part : {&workflows::CommandCatalog(), &registry::RegistryCommandCatalog()}) {
    for (size_t i = 1; i < part->size(); ++i) {
      CHECK((*part)[i - 1]["type"].get<std::string>() < (*part)[i]["type"].get<std::string>());
    }
  }
  // The checker itself catches what it should.
  Json broken = all.at("cycle");
  broken["commands"][1]["payload"]["required"] = Json::array({"nothing"});
  CHECK(CheckCatalogueEntry(broken).find("not among the properties") != std::string::npos);
  broken = all.at("cycle");
  broken["commands"][1]["states"] = Json::array({"drafting"});
  CHECK(CheckCatalogueEntry(broken).find("is not a state of cycle") != std::string::npos);
  broken = all.at("cycle");
  broken["commands"][0]["payload"] = {{"type", "array"}};
  CHECK(CheckCatalogueEntry(broken).find("\"type\": \"object\"") != std::string::npos);
}

TEST_CASE("command catalogue: the validator accepts what a schema allows and refuses the rest") {
  const Json schema = Catalogue().at("cycle")["commands"][1]["payload"];  // record_override
  REQUIRE(schema["properties"].contains("kind"));
  CHECK(ValidateAgainst({{"kind", "affirmation"}, {"unit", "gx-guigang"}, {"approver", "领导小组"}},
                        schema, "p") == "");
  CHECK(ValidateAgainst({{"kind", "praise"}, {"unit", "u"}, {"approver", "a"}}, schema, "p") != "");
  CHECK(ValidateAgainst({{"kind", "affirmation"}, {"unit", "u"}}, schema, "p") != "");
  CHECK(ValidateAgainst({{"kind", "affirmation"}, {"unit", ""}, {"approver", "a"}}, schema, "p") !=
        "");
  const Json closed = Catalogue().at("user")["commands"][2]["payload"];  // set_preferences
  CHECK(ValidateAgainst({{"language", "en"}}, closed, "p") == "");
  CHECK(ValidateAgainst({{"role", "admin"}}, closed, "p") != "");
  CHECK(ValidateAgainst({{"digest", "yes"}}, closed, "p") != "");
}

TEST_CASE("command catalogue: covers exactly the workflow types the server registers") {
  std::set<std::string> registered = {workflows::UserWorkflow().type(),
                                      workflows::AccessWorkflow().type()};
  for (const auto& w : workflows::MakeAssessmentWorkflows(testing::RealCalendarInForce())) {
    registered.insert(w->type());
  }
  for (const auto& w : workflows::MakeNotificationWorkflows()) registered.insert(w->type());
  std::set<std::string> mine;
  for (const Json& e : workflows::CommandCatalog()) mine.insert(e["type"].get<std::string>());
  CHECK(mine == registered);
  std::set<std::string> registry_types;
  for (const Json& e : registry::RegistryCommandCatalog()) {
    registry_types.insert(e["type"].get<std::string>());
  }
  const registry::RegistryConfig config;
  const registry::SpecialAssessmentWorkflow items(config);
  const registry::RegistryBookWorkflow books(config);
  CHECK(registry_types == std::set<std::string>{items.type(), books.type()});
}

TEST_CASE("command catalogue: the lifecycle lists exactly the machine's commands, in its states") {
  const Json entry = Catalogue().at("lifecycle");
  CHECK(entry["states"] == Json(workflows::LifecycleWorkflow::States()));
  // Commands() is every command of the machine; besides it the workflow knows only
  // "create" and the timer's "mark_overdue".
  std::set<std::string> machine(workflows::LifecycleWorkflow::Commands().begin(),
                                workflows::LifecycleWorkflow::Commands().end());
  std::set<std::string> listed = CommandNames(entry);
  CHECK(listed.count("create") == 1);
  CHECK(listed.count("mark_overdue") == 1);
  listed.erase("create");
  listed.erase("mark_overdue");
  CHECK(listed == machine);
  // Each machine command is accepted in exactly the states with a row for it.
  for (const std::string& name : workflows::LifecycleWorkflow::Commands()) {
    std::set<std::string> rows;
    for (const std::string& state : workflows::LifecycleWorkflow::States()) {
      for (const std::string& allowed : workflows::LifecycleWorkflow::AllowedIn(state)) {
        if (allowed == name) rows.insert(state);
      }
    }
    const Json* c = FindCommand(entry, name);
    REQUIRE(c != nullptr);
    INFO(name);
    CHECK(StringSet((*c)["states"]) == rows);
    CHECK_FALSE((*c)["creates"].get<bool>());
  }
  CHECK((*FindCommand(entry, "create"))["creates"] == true);
  CHECK((*FindCommand(entry, "mark_overdue"))["timer"] == true);
  CHECK((*FindCommand(entry, "close_appeal_window"))["timer"] == true);
}

// Sends `name` to the subject's instance through the engine (journaled, and applied when
// accepted).
CommandResult Send(World& w, const Subject& s, const Actor& actor, const std::string& name) {
  Command c;
  c.instance_id = s.instance.id;
  c.name = name;
  c.actor = actor;
  auto r = w.engine().Execute(c);
  REQUIRE(r.ok());
  return *r;
}

// The refusal of a command the workflow does not know, for `name`: the refusal of a
// made-up name with that name put in its place.
std::string UnknownRefusal(World& w, const Subject& s, const Actor& actor,
                           const std::string& name) {
  const std::string bogus = "no_such_command_x";
  const CommandResult r = Send(w, s, actor, bogus);
  REQUIRE_FALSE(r.accepted);
  std::string why = r.refusal.message();
  for (size_t p = why.find(bogus); p != std::string::npos; p = why.find(bogus, p + name.size())) {
    why.replace(p, bogus.size(), name);
  }
  return why;
}

TEST_CASE(
    "command catalogue: every catalogued command is known to its workflow, and the other way "
    "round") {
  World w;
  const auto catalogue = Catalogue();
  // An actor who gets past each workflow's early checks to its refusal of unknown names.
  const std::map<std::string, std::string> role_of = {
      {"lifecycle", "office"},    {"notices", "office"},
      {"units", "admin"},         {"cycle", "office"},
      {"directory", "admin"},     {"delivery", "office"},
      {"user", "admin"},          {"inbox_item", "unit"},
      {"registry_book", "admin"}, {"special_assessment", "office"}};
  for (const Subject& s : Subjects(w)) {
    INFO(s.type);
    const Actor actor = s.As(role_of.at(s.type));
    const std::string unknown = UnknownRefusal(w, s, actor, "xyz");
    INFO(unknown);
    // The refusal names the command.
    REQUIRE(unknown.find("xyz") != std::string::npos);
    const Json& entry = catalogue.at(s.type);
    for (const Json& c : entry["commands"]) {
      const std::string name = c["name"];
      const CommandResult r = Send(w, s, actor, name);
      INFO(name << ": " << r.refusal.ToString());
      CHECK((r.accepted || r.refusal.message() != UnknownRefusal(w, s, actor, name)));
    }
    // The names a refusal of an unknown command lists ("… knows a, b and c, not …",
    // "…; commands: a, b, …", "(a, b, c)") are all catalogued, and so is every
    // catalogued command (the lifecycle's list is its machine's: without create and
    // mark_overdue).
    std::smatch m;
    std::string list;
    if (std::regex_search(unknown, m, std::regex("commands: (.*)$")) ||
        std::regex_search(unknown, m, std::regex("knows? (.*?)(, not \"|;|$)")) ||
        std::regex_search(unknown, m, std::regex("\\(([a-z_, ]+)\\)$"))) {
      list = m[1];
    }
    REQUIRE_FALSE(list.empty());
    std::set<std::string> named;
    const std::regex word("[a-z][a-z_]*");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), word);
         it != std::sregex_iterator(); ++it) {
      if (it->str() != "and") named.insert(it->str());
    }
    std::set<std::string> listed = CommandNames(entry);
    if (s.type == "lifecycle") {
      listed.erase("create");
      listed.erase("mark_overdue");
    }
    CHECK(named == listed);
  }
  // The plan history and the access record refuse every command: nothing to catalogue.
  CHECK(catalogue.at("plan")["commands"].empty());
  CHECK(catalogue.at("access")["commands"].empty());
  Instance plan;
  plan.id = "plan/2025/city/gx-nanning";
  plan.type = "plan";
  plan.state = "issued";
  plan.version = 1;
  for (const std::string name : {"create", "submit", "update", "approve"}) {
    Command cmd;
    cmd.instance_id = plan.id;
    cmd.name = name;
    cmd.actor = Actor{"root", "admin", "", "test"};
    CHECK_FALSE(w.Decide(plan, "plan", cmd).accepted);
    CHECK_FALSE(
        w.As("root", "admin", "", "access/read_quota", name, {{"why", "test"}}, "access").accepted);
  }
}

TEST_CASE(
    "command catalogue: each command's roles are exactly the roles its workflow lets through") {
  World w;
  const auto catalogue = Catalogue();
  for (const Subject& s : Subjects(w)) {
    for (const Json& c : catalogue.at(s.type)["commands"]) {
      const std::string name = c["name"];
      const std::set<std::string> roles = StringSet(c["roles"]);
      Instance target = s.instance;
      if (c["states"].empty()) {
        target = Instance{};  // a creating command: the instance does not exist yet
        target.id = s.fresh_id;
        REQUIRE_FALSE(target.id.empty());
      } else {
        target.state = c["states"][0].get<std::string>();
      }
      for (const std::string& role : kHumanRoles) {
        Command cmd;
        cmd.instance_id = target.id;
        cmd.type = s.type;
        cmd.name = name;
        cmd.actor = s.As(role);
        const Decision d = w.Decide(target, s.type, cmd);
        const bool let_through = d.accepted || d.refusal_code != Code::kForbidden;
        INFO(s.type << " " << name << " in " << target.state << " as " << role << ": " << d.reason);
        CHECK(let_through == (roles.count(role) > 0));
      }
    }
  }
}

TEST_CASE("command catalogue: a special assessment's commands are refused outside their states") {
  World w;
  const auto catalogue = Catalogue();
  for (const Subject& s : Subjects(w)) {
    if (s.type != "special_assessment") continue;
    const Json& entry = catalogue.at(s.type);
    for (const Json& c : entry["commands"]) {
      if (c["states"].empty()) continue;
      const std::set<std::string> states = StringSet(c["states"]);
      std::string needs;
      for (const Json& st : c["states"])
        needs += (needs.empty() ? "" : " or ") + st.get<std::string>();
      for (const Json& st : entry["states"]) {
        if (states.count(st.get<std::string>())) continue;
        Instance target = s.instance;
        target.state = st.get<std::string>();
        Command cmd;
        cmd.instance_id = target.id;
        cmd.name = c["name"];
        const std::string role = c["roles"][0] == "system" ? c["roles"][1] : c["roles"][0];
        cmd.actor = s.As(role);
        const Decision d = w.Decide(target, s.type, cmd);
        INFO(c["name"].get<std::string>() << " in " << target.state << ": " << d.reason);
        CHECK_FALSE(d.accepted);
        CHECK(d.reason.size() > needs.size());
        CHECK(d.reason.substr(d.reason.size() - needs.size() - 6) == "needs " + needs);
      }
    }
  }
}

// {"$file": "path"} replaced by the file (relative to the source tree), as the scenario
// runner does.
Json Resolve(const Json& v) {
  if (v.is_object() && v.size() == 1 && v.contains("$file")) {
    return Json::parse(
        testing::ReadText(std::string(GOVASSESS_SOURCE_DIR) + "/" + v["$file"].get<std::string>()));
  }
  if (v.is_object() || v.is_array()) {
    Json out = v;
    for (auto& [key, value] : out.items()) value = Resolve(value);
    return out;
  }
  return v;
}

std::string TypeOfId(const std::string& id) {
  static const std::vector<std::pair<std::string, std::string>> kPrefixes = {
      {"registry/item/", "special_assessment"},
      {"registry/book/", "registry_book"},
      {"lifecycle/", "lifecycle"},
      {"cycle/", "cycle"},
      {"units/", "units"},
      {"user/", "user"},
      {"notices/", "notices"},
      {"directory/", "directory"}};
  for (const auto& [prefix, type] : kPrefixes) {
    if (id.rfind(prefix, 0) == 0) return type;
  }
  return "";
}

TEST_CASE(
    "command catalogue: the accepted commands of every scenario fit their schemas, roles and "
    "reasons") {
  const auto catalogue = Catalogue();
  std::set<std::string> seen;
  int steps = 0;
  for (const auto& file : std::filesystem::directory_iterator(std::string(GOVASSESS_SOURCE_DIR) +
                                                              "/tests/scenarios")) {
    if (file.path().extension() != ".json") continue;
    const Json scenario = Json::parse(testing::ReadText(file.path().string()));
    for (const Json& step : scenario["steps"]) {
      if (!step.contains("command") ||
          !step.value("expect", Json::object()).value("accepted", false))
        continue;
      const std::string id = step["instance"];
      const std::string type = step.value("type", TypeOfId(id));
      const std::string name = step["command"];
      INFO(file.path().filename().string() << ": " << name << " on " << id);
      REQUIRE(catalogue.count(type) == 1);
      const Json* c = FindCommand(catalogue.at(type), name);
      REQUIRE(c != nullptr);
      CHECK(StringSet((*c)["roles"]).count(step["actor"]["role"].get<std::string>()) == 1);
      const Json payload = Resolve(step.value("payload", Json::object()));
      if ((*c)["reason_required"].get<bool>()) {
        CHECK((!step.value("reason", "").empty() || !payload.value("reason", "").empty()));
      }
      CHECK(ValidateAgainst(payload, (*c)["payload"], "payload") == "");
      seen.insert(type + "." + name);
      ++steps;
    }
  }
  CHECK(steps > 300);
  // The scenarios exercise the lifecycle's main commands with real payloads.
  for (const std::string name : {"lifecycle.submit", "lifecycle.record_scores", "lifecycle.appeal",
                                 "lifecycle.uphold_appeal", "lifecycle.request_adjustment",
                                 "lifecycle.submit_self_assessment", "cycle.create", "units.create",
                                 "cycle.record_override", "cycle.grade"}) {
    INFO(name);
    CHECK(seen.count(name) == 1);
  }
}

}  // namespace
}  // namespace govassess
