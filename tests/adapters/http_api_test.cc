// The JSON API under /api/v1 against `govassess serve`: instances and commands,
// If-Match and Idempotency-Key, the authorisation walk (every route × every role),
// bad input, and the OpenAPI document (consistent with the router; linted by Redocly
// when node is available).
#include <catch2/catch.hpp>


#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "registry/command_catalog.h"
#include "tests/adapters/http_client.h"
#include "tests/adapters/run_process.h"
#include "tests/adapters/server_process.h"
#include "tests/adapters/temp_dir.h"
#include "workflows/command_catalog.h"
#include "workflows/lifecycle_workflow.h"

using namespace govassess::testing;
using nlohmann::json;

namespace {

const std::string kCli = std::string(GOVASSESS_BUILD_DIR) + "/govassess";
const std::string kPassword = "correct horse battery staple";
const std::string kLifecycle = "lifecycle/2026/city/gx-nanning";

json ReadJson(const std::string& rel) {
  std::ifstream in(std::string(GOVASSESS_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

// A self-assessment report on every indicator of `plan` (the nodes without children),
// each completed with its evidence.
void ReportOn(const json& node, json* report) {
  const json children = node.value("children", node.value("target_types", json::array()));
  if (children.empty() && node.contains("id")) {
    (*report)[node["id"].get<std::string>()] = {{"completed", true}, {"evidence", {"统计公报"}}};
  }
  for (const json& c : children) ReportOn(c, report);
}

std::string InstancePath(const std::string& id) { return "/api/v1/instances/" + Enc(id); }
std::string CommandPath(const std::string& id, const std::string& name) {
  return InstancePath(id) + "/commands/" + name;
}

// A server with one user per role; tokens by user name.
struct World {
  TempDir dir;
  std::string db = dir.Path("api.db");
  std::unique_ptr<ServerProcess> server;
  std::map<std::string, std::string> token;
  int port = 0;

  World() {
    const std::vector<std::vector<std::string>> users = {
        {"root", "admin", ""},          {"office1", "office", ""},
        {"leader1", "leader", ""},      {"committee1", "committee", ""},
        {"auditor1", "auditor", ""},    {"nanning", "unit", "gx-nanning"},
        {"liuzhou", "unit", "gx-liuzhou"}, {"lead1", "lead_assessor", "gx-dept-finance"}};
    for (const auto& u : users) {
      std::vector<std::string> argv = {kCli, "admin", "create-user", "--db", db, "--username",
                                       u[0], "--role", u[1], "--password-stdin"};
      if (!u[2].empty()) {
        argv.push_back("--unit");
        argv.push_back(u[2]);
      }
      auto r = RunProcess(argv, kPassword + "\n");
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
    }
    server = std::make_unique<ServerProcess>(std::vector<std::string>{"--db", db});
    port = server->port();
    for (const auto& u : users) {
      auto r = Http(port, "POST", "/api/v1/session",
                    json{{"username", u[0]}, {"password", kPassword}}.dump());
      INFO(r.body);
      REQUIRE(r.status == 201);
      token[u[0]] = r.Json()["token"];
    }
  }

  HttpReply Post(const std::string& user, const std::string& id, const std::string& name,
                 const json& body, const std::map<std::string, std::string>& headers = {}) {
    return Http(port, "POST", CommandPath(id, name), body.dump(), token[user], headers);
  }
  HttpReply Get(const std::string& user, const std::string& path) {
    return Http(port, "GET", path, "", user.empty() ? "" : token[user]);
  }
  int64_t JournalSeq() {
    auto r = Get("root", "/api/v1/audit/head");
    REQUIRE(r.status == 200);
    return r.Json()["seq"].get<int64_t>();
  }
  // Directory, cycle and the Nanning lifecycle (drafting).
  void SetUp() {
    auto units = Post("root", "units/guangxi", "create",
                      {{"type", "units"},
                       {"payload", {{"directory", ReadJson("workflows/data/units-guangxi.json")}}}});
    INFO(units.body);
    REQUIRE(units.status == 200);
    auto cycle = Post("office1", "cycle/2026/city", "create",
                      {{"type", "cycle"},
                       {"payload",
                        {{"config", ReadJson("workflows/data/cycle-2026-city.json")},
                         {"units", "units/guangxi"}}}});
    INFO(cycle.body);
    REQUIRE(cycle.status == 200);
    auto life = Post("office1", kLifecycle, "create", {{"type", "lifecycle"}});
    INFO(life.body);
    REQUIRE(life.status == 200);
    REQUIRE(life.Json()["instance"]["state"] == "drafting");
    AwaitTimersDueNow();
  }
  // The server runs on the real clock: once the 2026 plan_due has passed, creating the
  // lifecycle sets timers already due (its overdue mark, the escalation), which the
  // server's timer loop fires a moment later. Tests that count journal events must not
  // race them: wait until the mark is there and the journal has been quiet for longer
  // than the loop's round (1 s), so that no timer those firings set is left due.
  void AwaitTimersDueNow() {
    const auto plan_due = ReadJson("workflows/data/cycle-2026-city.json")["milestones"]["plan_due"];
    const bool due_passed = plan_due.is_string() && TodayInBeijing() > plan_due.get<std::string>();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    if (due_passed) {
      for (;;) {
        const json data = Get("root", InstancePath(kLifecycle)).Json()["data"];
        const json overdue = data.value("overdue", json::array());
        if (std::find(overdue.begin(), overdue.end(), json("plan_due")) != overdue.end()) break;
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    AwaitQuietJournal();
  }
  // Until the journal has been quiet for longer than the timer loop's round (1 s).
  void AwaitQuietJournal() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    int64_t seq = JournalSeq();
    for (auto quiet_since = std::chrono::steady_clock::now();;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      const int64_t now_seq = JournalSeq();
      if (now_seq != seq) {
        seq = now_seq;
        quiet_since = std::chrono::steady_clock::now();
      } else if (std::chrono::steady_clock::now() - quiet_since > std::chrono::milliseconds(1500)) {
        break;
      }
      REQUIRE(std::chrono::steady_clock::now() < deadline);
    }
  }
  static std::string TodayInBeijing() {
    const std::time_t t = std::time(nullptr) + 8 * 3600;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
  }
};

}  // namespace

TEST_CASE("http api: a plan is created, submitted and approved through the API") {
  World w;
  w.SetUp();
  // The unit reads its lifecycle; the ETag is the version.
  auto read = w.Get("nanning", InstancePath(kLifecycle));
  INFO(read.body);
  REQUIRE(read.status == 200);
  CHECK(read.Json()["state"] == "drafting");
  CHECK(read.Json()["data"]["unit"] == "gx-nanning");
  const int64_t v1 = read.Json()["version"];
  CHECK(read.headers["ETag"] == "\"" + std::to_string(v1) + "\"");

  const json submit_body = {{"payload", {{"plan", ReadJson("workflows/data/sample-plan-nanning-2026.json")}}}};
  // If-Match with a stale version: 409, nothing written.
  const int64_t before = w.JournalSeq();
  auto stale = w.Post("nanning", kLifecycle, "submit", submit_body, {{"If-Match", "\"" + std::to_string(v1 + 7) + "\""}});
  CHECK(stale.status == 409);
  CHECK(stale.Json()["error"]["code"] == "conflict");
  CHECK(stale.Json()["error"]["message"].get<std::string>().find("GET it again") != std::string::npos);
  CHECK(w.JournalSeq() == before);
  CHECK(w.Get("nanning", InstancePath(kLifecycle)).Json()["version"] == v1);

  // The right version and an idempotency key: accepted; the repeat writes nothing.
  const std::map<std::string, std::string> h = {{"If-Match", std::to_string(v1)}, {"Idempotency-Key", "submit-1"}};
  auto ok = w.Post("nanning", kLifecycle, "submit", submit_body, h);
  INFO(ok.body);
  REQUIRE(ok.status == 200);
  CHECK(ok.Json()["accepted"] == true);
  CHECK(ok.Json()["instance"]["state"] == "submitted");
  CHECK(ok.headers["ETag"] == "\"" + std::to_string(v1 + 1) + "\"");
  const int64_t after = w.JournalSeq();
  CHECK(after == before + 1);
  auto again = w.Post("nanning", kLifecycle, "submit", submit_body, h);
  CHECK(again.status == 200);
  CHECK(again.Json() == ok.Json());
  CHECK(again.headers["Idempotent-Replayed"] == "true");
  CHECK(w.JournalSeq() == after);
  // The same key for a different request is not replayed.
  auto other = w.Post("nanning", kLifecycle, "submit", {{"payload", json::object()}}, {{"Idempotency-Key", "submit-1"}});
  CHECK(other.status >= 400);
  CHECK(other.status < 500);
  CHECK(w.JournalSeq() == after);

  // Out of order: refused (422), with the reason, and journaled.
  auto early = w.Post("leader1", kLifecycle, "approve", json::object());
  CHECK(early.status == 422);
  CHECK(early.Json()["error"]["code"] == "refused");
  CHECK(early.Json()["error"]["message"].get<std::string>().find("cannot approve while submitted") != std::string::npos);
  CHECK(w.JournalSeq() == after + 1);
  // The wrong role: 403 from the domain, journaled.
  auto wrong = w.Post("nanning", kLifecycle, "office_agree", json::object());
  CHECK(wrong.status == 403);
  CHECK(w.JournalSeq() == after + 2);

  auto agree = w.Post("office1", kLifecycle, "office_agree", json::object());
  INFO(agree.body);
  CHECK(agree.status == 200);
  auto approve = w.Post("leader1", kLifecycle, "approve", json::object());
  INFO(approve.body);
  CHECK(approve.status == 200);
  CHECK(approve.Json()["instance"]["state"] == "approved");
  // The plan history is visible to its unit, not to another unit.
  CHECK(w.Get("nanning", InstancePath("plan/2026/city/gx-nanning")).status == 200);
  CHECK(w.Get("liuzhou", InstancePath("plan/2026/city/gx-nanning")).status == 404);

  // The self-assessment report goes to its record: the unit and the lead assessors read
  // it, another unit does not; the lifecycle keeps only where it is.
  REQUIRE(w.Post("office1", kLifecycle, "issue", json::object()).status == 200);
  REQUIRE(w.Post("office1", kLifecycle, "open_self_assessment", json::object()).status == 200);
  json report = json::object();
  ReportOn(ReadJson("workflows/data/sample-plan-nanning-2026.json"), &report);
  CHECK(report.size() == 159);
  auto self = w.Post("nanning", kLifecycle, "submit_self_assessment", {{"payload", {{"report", report}}}});
  INFO(self.body);
  REQUIRE(self.status == 200);
  const std::string record = "self_assessment/2026/city/gx-nanning";
  auto own = w.Get("nanning", InstancePath(record));
  REQUIRE(own.status == 200);
  CHECK(own.Json()["data"]["submissions"][0]["report"] == report);
  CHECK(w.Get("lead1", InstancePath(record)).status == 200);
  CHECK(w.Get("liuzhou", InstancePath(record)).status == 404);
  const json lc = w.Get("nanning", InstancePath(kLifecycle)).Json();
  CHECK(lc["data"]["self_assessment"]["record"] == record);
  CHECK_FALSE(lc["data"]["self_assessment"].contains("report"));

  // The list shows a unit only its own records.
  auto mine = w.Get("nanning", "/api/v1/instances?type=lifecycle");
  REQUIRE(mine.status == 200);
  REQUIRE(mine.Json()["instances"].size() == 1);
  CHECK(mine.Json()["instances"][0]["id"] == kLifecycle);
  CHECK(w.Get("liuzhou", "/api/v1/instances?type=lifecycle").Json()["instances"].empty());
  auto all = w.Get("auditor1", "/api/v1/instances?limit=2");
  REQUIRE(all.status == 200);
  CHECK(all.Json()["instances"].size() == 2);
  auto page2 = w.Get("auditor1", "/api/v1/instances?limit=1000&after=" +
                                     Enc(all.Json()["next_after"].get<std::string>()));
  CHECK(page2.status == 200);
  CHECK(page2.Json()["next_after"].is_null());
  CHECK(w.Get("auditor1", "/api/v1/instances?prefix=" + Enc("user/")).Json()["instances"].size() == 8);

  // with=data: each listed instance as GET /api/v1/instances/{id} gives it, still only
  // what the caller may see.
  auto with_data = w.Get("nanning", "/api/v1/instances?type=lifecycle&with=data");
  REQUIRE(with_data.status == 200);
  REQUIRE(with_data.Json()["instances"].size() == 1);
  CHECK(with_data.Json()["instances"][0] == w.Get("nanning", InstancePath(kLifecycle)).Json());
  CHECK_FALSE(mine.Json()["instances"][0].contains("data"));
  CHECK(w.Get("liuzhou", "/api/v1/instances?type=lifecycle&with=data").Json()["instances"].empty());
  const json users = w.Get("auditor1", "/api/v1/instances?prefix=" + Enc("user/") + "&with=data").Json();
  REQUIRE(users["instances"].size() == 8);
  for (const json& u : users["instances"]) CHECK(u["data"].contains("role"));

  // Commands the sign-in service owns are never accepted from HTTP (journaled refusal).
  // Counted once the server's timer loop has fired what the steps above left due.
  w.AwaitQuietJournal();
  const int64_t s = w.JournalSeq();
  auto login = w.Post("root", "user/root", "set_password", {{"payload", {{"ok", true}}}});
  CHECK(login.status == 403);
  CHECK(w.JournalSeq() == s + 1);
}

namespace {

struct Expect {
  std::string method, pattern, path;
  std::map<std::string, int> status;  // by user ("" = anonymous)
};

}  // namespace

TEST_CASE("http api: every route × every role gets the status the access table says") {
  World w;
  w.SetUp();
  const std::vector<std::string> users = {"",          "nanning",  "liuzhou",  "lead1", "office1",
                                          "leader1",   "committee1", "auditor1", "root"};
  auto all = [&](int status) {
    std::map<std::string, int> m;
    for (const auto& u : users) m[u] = status;
    return m;
  };
  auto signed_in = [&](int status) {
    auto m = all(status);
    m[""] = 401;
    return m;
  };
  auto audit = signed_in(403);
  audit["office1"] = audit["auditor1"] = audit["root"] = 200;
  auto lifecycle_read = signed_in(200);
  lifecycle_read["liuzhou"] = 404;
  auto user_read = signed_in(200);
  user_read["nanning"] = user_read["liuzhou"] = user_read["lead1"] = 404;
  // submit (without a plan) on a drafting lifecycle: only its unit may submit (refused:
  // no plan); other roles are forbidden by the domain; a unit that may not see it gets
  // 404 and nothing is executed.
  auto command = signed_in(403);
  command["liuzhou"] = 404;
  command["nanning"] = 422;

  auto registry_query = [&](int allowed) {
    auto m = signed_in(allowed);
    m["nanning"] = m["liuzhou"] = 403;
    return m;
  };

  auto deliveries_read = signed_in(403);
  deliveries_read["office1"] = deliveries_read["auditor1"] = deliveries_read["root"] = 200;
  // Retrying a delivery that does not exist: 404 for those who may retry, else 403.
  auto retry = signed_in(403);
  retry["office1"] = retry["root"] = 404;
  // A one-time password for a user made for the walk: only an admin (201); everyone
  // else 403 (journaled on access/issue_password).
  auto issue_password = signed_in(403);
  issue_password["root"] = 201;
  {
    auto newcomer =
        w.Post("root", "user/newcomer", "create",
               {{"type", "user"}, {"payload", {{"username", "newcomer"}, {"role", "office"}}}});
    INFO(newcomer.body);
    REQUIRE(newcomer.status == 200);
  }

  const std::vector<Expect> walk = {
      {"GET", "/api/v1/calendar", "/api/v1/calendar", signed_in(200)},
      {"GET", "/api/v1/calendar/day", "/api/v1/calendar/day?date=2025-09-30&days=5",
       signed_in(200)},
      // The walk posts "{}": no name, so 400 for those who may check; units may not (403).
      {"POST", "/api/v1/registry/check", "/api/v1/registry/check", registry_query(400)},
      {"GET", "/api/v1/registry/quota/{year}", "/api/v1/registry/quota/2026", registry_query(200)},
      {"GET", "/healthz", "/healthz", all(200)},
      {"GET", "/readyz", "/readyz", all(200)},
      {"GET", "/metrics", "/metrics", all(200)},
      {"GET", "/api/v1/openapi.json", "/api/v1/openapi.json", all(200)},
      {"GET", "/api/v1/workflows", "/api/v1/workflows", signed_in(200)},
      {"GET", "/api/v1/workflows/{type}", "/api/v1/workflows/lifecycle", signed_in(200)},
      {"GET", "/api/v1/session", "/api/v1/session", signed_in(200)},
      {"GET", "/api/v1/instances", "/api/v1/instances", signed_in(200)},
      {"GET", "/api/v1/instances/{id}", InstancePath(kLifecycle), lifecycle_read},
      {"GET", "/api/v1/instances/{id}", InstancePath("user/office1"), user_read},
      {"POST", "/api/v1/instances/{id}/commands/{name}", CommandPath(kLifecycle, "submit"),
       command},
      {"GET", "/api/v1/audit", "/api/v1/audit", audit},
      {"GET", "/api/v1/audit/head", "/api/v1/audit/head", audit},
      {"GET", "/api/v1/audit/verify", "/api/v1/audit/verify", audit},
      // "{}" names neither the current nor the new password.
      {"PUT", "/api/v1/me/password", "/api/v1/me/password", signed_in(400)},
      {"POST", "/api/v1/users/{username}/one-time-password",
       "/api/v1/users/newcomer/one-time-password", issue_password},
      {"GET", "/api/v1/inbox", "/api/v1/inbox", signed_in(200)},
      // "{}" names neither ids nor all.
      {"POST", "/api/v1/inbox/read", "/api/v1/inbox/read", signed_in(400)},
      {"GET", "/api/v1/me/preferences", "/api/v1/me/preferences", signed_in(200)},
      // "{}" changes nothing: refused by the user workflow (journaled).
      {"PUT", "/api/v1/me/preferences", "/api/v1/me/preferences", signed_in(422)},
      {"GET", "/api/v1/deliveries", "/api/v1/deliveries", deliveries_read},
      {"POST", "/api/v1/deliveries/{id}/retry", "/api/v1/deliveries/delivery%2Fnone/retry", retry},
      {"GET", "/api/v1/feeds", "/api/v1/feeds", signed_in(200)},
      {"POST", "/api/v1/feeds", "/api/v1/feeds", signed_in(201)},
      {"DELETE", "/api/v1/feeds/{id}", "/api/v1/feeds/no-such-feed", signed_in(404)},
      {"GET", "/feeds/{file}", "/feeds/0123456789abcdef0123456789abcdef.ics", all(404)},
  };
  std::set<std::string> walked;
  for (const auto& e : walk) {
    walked.insert(e.method + " " + e.pattern);
    for (const auto& u : users) {
      const int64_t before = w.JournalSeq();
      const bool with_body = e.method == "POST" || e.method == "PUT";
      auto r = Http(w.port, e.method, e.path, with_body ? "{}" : "", u.empty() ? "" : w.token[u]);
      INFO(e.method << " " << e.path << " as " << (u.empty() ? "anonymous" : u) << ": " << r.body);
      CHECK(r.status == e.status.at(u));
      if (r.status >= 400 && e.path != "/metrics") {
        CHECK(r.Json()["error"]["message"].get<std::string>().size() > 0);
      }
      if (with_body && r.status >= 400) {
        // Every refusal is journaled: by the domain (403, 422), and an attempt on an
        // instance the caller may not see (answered 404, like a missing one).
        CHECK(w.JournalSeq() ==
              before + ((r.status == 403 || r.status == 422 || r.status == 404) ? 1 : 0));
      }
    }
  }
  // The session routes that change state: sign-in and sign-out (public).
  walked.insert("POST /api/v1/session");
  CHECK(Http(w.port, "POST", "/api/v1/session", json{{"username", "nanning"}, {"password", "wrong wrong wrong"}}.dump()).status == 401);
  walked.insert("DELETE /api/v1/session");
  CHECK(Http(w.port, "DELETE", "/api/v1/session").status == 204);

  // The walk covers every route the server documents (which is every route it routes).
  auto doc = w.Get("", "/api/v1/openapi.json").Json();
  std::set<std::string> documented;
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      for (auto& c : m) c = char(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(m + " " + path);
    }
  }
  CHECK(walked == documented);
  // The auditor changes nothing anywhere, and every attempt is journaled.
  for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{
           {"units/guangxi", "replace"}, {"cycle/2026/city", "update"}, {kLifecycle, "submit"},
           {"user/nanning", "update"}}) {
    const int64_t before = w.JournalSeq();
    auto r = w.Post("auditor1", id, name, {{"payload", json::object()}});
    INFO(id << ": " << r.body);
    CHECK(r.status == 403);
    CHECK(w.JournalSeq() == before + 1);
  }
}

TEST_CASE("http api: bad input gets a clear 4xx and writes nothing") {
  World w;
  w.SetUp();
  const int64_t before = w.JournalSeq();
  struct Case {
    std::string path, body;
    std::map<std::string, std::string> headers;
    int status;
    std::string says;
  };
  const std::string submit = CommandPath(kLifecycle, "submit");
  const std::vector<Case> cases = {
      {submit, "{not json", {}, 400, "not valid JSON"},
      {submit, "[1,2]", {}, 400, "must be a JSON object"},
      {submit, R"({"payload": []})", {}, 400, "\"payload\" must be a JSON object"},
      {submit, R"({"reason": 5})", {}, 400, "\"reason\" must be a string"},
      {submit, R"({"type": ["lifecycle"]})", {}, 400, "\"type\" must be a string"},
      {submit, R"({"payload": {}, "actor": {"role": "system"}})", {}, 400, "unknown field \"actor\""},
      {submit, "{\"reason\": \"\xC3\x28\"}", {}, 400, "not valid UTF-8"},
      {submit, "{}", {{"If-Match", "yesterday"}}, 400, "If-Match is the version"},
      {submit, "{}", {{"Idempotency-Key", std::string(300, 'k')}}, 400, "Idempotency-Key is"},
      {CommandPath(kLifecycle, "Submit;DROP"), "{}", {}, 400, "a command name is"},
      {CommandPath("lifecycle/2026/city/x'; DROP TABLE instances;--", "submit"), "{}", {}, 404, "no such instance"},
      {CommandPath("nothing/here", "create"), "{}", {}, 404, "send the creating command with {\"type\""},
      {CommandPath("nothing/here", "create"), R"({"type": "no_such_type"})", {}, 422, ""},
      {submit, std::string(2 << 20, ' '), {}, 413, "larger than"},
  };
  for (const auto& c : cases) {
    auto r = Http(w.port, "POST", c.path, c.body, w.token["nanning"], c.headers);
    INFO(c.path << " " << c.body.substr(0, 80) << ": " << r.body);
    CHECK(r.status == c.status);
    CHECK(r.Json()["error"]["message"].get<std::string>().find(c.says) != std::string::npos);
  }
  struct GetCase {
    std::string path;
    int status;
    std::string says;
  };
  const std::vector<GetCase> gets = {
      {InstancePath("x' OR '1'='1"), 404, "no such instance"},
      {"/api/v1/instances/%FF%FE", 400, "not valid UTF-8"},
      {"/api/v1/instances?limit=0", 400, "limit is"},
      {"/api/v1/instances?limit=abc", 400, "limit is"},
      {"/api/v1/instances?color=red", 400, "unknown query parameter \"color\""},
      {"/api/v1/instances?with=everything", 400, "with takes one value: data"},
      {"/api/v1/instances?with=data&limit=201", 400, "1 to 200 with data"},
      {"/api/v1/instances?type=%FF", 400, "not valid UTF-8"},
      {"/api/v1/instances/", 404, "no such route"},
  };
  for (const auto& g : gets) {
    auto r = w.Get("office1", g.path);
    INFO(g.path << ": " << r.body);
    CHECK(r.status == g.status);
    CHECK(r.Json()["error"]["message"].get<std::string>().find(g.says) != std::string::npos);
  }
  auto wrong_method = Http(w.port, "PUT", InstancePath(kLifecycle), "", w.token["office1"]);
  CHECK(wrong_method.status == 405);
  CHECK(wrong_method.headers["Allow"] == "GET");
  // Only the creation attempt of an unknown type may reach the domain; nothing else did.
  CHECK(w.JournalSeq() <= before + 1);
  CHECK(w.Get("office1", InstancePath(kLifecycle)).Json()["state"] == "drafting");
}

TEST_CASE("http api: the OpenAPI document describes exactly the routes, and lints clean") {
  TempDir dir;
  ServerProcess server({"--db", dir.Path("o.db")});
  auto r = Http(server.port(), "GET", "/api/v1/openapi.json");
  REQUIRE(r.status == 200);
  const json doc = r.Json();
  CHECK(doc["openapi"] == "3.1.0");
  // Every documented operation is routed: a documented path answers something other
  // than 404/405 for its method (path parameters filled with a sample).
  for (const auto& [path, ops] : doc["paths"].items()) {
    std::string concrete = path;
    for (const std::string& p : {std::string("{id}"), std::string("{name}")}) {
      auto at = concrete.find(p);
      if (at != std::string::npos) concrete.replace(at, p.size(), "sample");
    }
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      for (auto& c : m) c = char(std::toupper(static_cast<unsigned char>(c)));
      auto reply = Http(server.port(), m, concrete, m == "POST" ? "{}" : "");
      INFO(m << " " << concrete << ": " << reply.body);
      // A routed path may answer 404 for a sample that does not exist (a public feed
      // link), but never the router's "no such route".
      CHECK_FALSE((reply.status == 404 && reply.body.find("no such route") != std::string::npos));
      CHECK(reply.status != 405);
      CHECK(op.contains("operationId"));
      CHECK(op["responses"].size() > 0);
    }
  }
  // And a path that is not documented is not routed.
  CHECK(Http(server.port(), "GET", "/api/v1/instance").status == 404);

  // Lint with Redocly when node is available.
  const std::string script = std::string(GOVASSESS_SOURCE_DIR) + "/scripts/ensure-redocly.sh";
  auto ensure = RunProcess({"/bin/bash", script}, "");
  if (ensure.exit_code != 0) {
    WARN("skipping the OpenAPI lint: " << ensure.err);
    return;
  }
  std::string redocly = ensure.out;
  while (!redocly.empty() && (redocly.back() == '\n' || redocly.back() == '\r')) redocly.pop_back();
  const std::string file = dir.Path("openapi.json");
  std::ofstream(file) << r.body;
  // No telemetry: the lint talks to nothing but the file.
  auto lint = RunProcess({"/usr/bin/env", "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true",
                          redocly, "lint", file}, "");
  INFO(lint.out << lint.err);
  CHECK(lint.exit_code == 0);
}

TEST_CASE("http api: GET /api/v1/workflows serves the command catalogue of every workflow the server runs") {
  World w;
  // The domain's two catalogues, one list by type.
  std::map<std::string, json> expected;
  for (const json* part : {&govassess::workflows::CommandCatalog(), &govassess::registry::RegistryCommandCatalog()}) {
    for (const json& e : *part) expected[e["type"].get<std::string>()] = e;
  }
  json list = json::array();
  for (const auto& [type, entry] : expected) list.push_back(entry);

  // Not signed in: 401.
  for (const std::string path : {"/api/v1/workflows", "/api/v1/workflows/lifecycle"}) {
    auto r = w.Get("", path);
    CHECK(r.status == 401);
    CHECK(r.Json()["error"]["code"] == "unauthenticated");
  }
  // Any signed-in user reads all of it.
  for (const std::string user : {"nanning", "lead1", "auditor1", "root"}) {
    auto r = w.Get(user, "/api/v1/workflows");
    INFO(user << ": " << r.body.substr(0, 300));
    REQUIRE(r.status == 200);
    CHECK(r.Json()["json_schema_dialect"] == "https://json-schema.org/draft/2020-12/schema");
    CHECK(r.Json()["workflows"] == list);
  }
  auto lifecycle = w.Get("nanning", "/api/v1/workflows/lifecycle");
  REQUIRE(lifecycle.status == 200);
  CHECK(lifecycle.Json() == expected.at("lifecycle"));
  std::set<std::string> names;
  const json lifecycle_entry = lifecycle.Json();
  for (const json& c : lifecycle_entry["commands"]) names.insert(c["name"].get<std::string>());
  for (const std::string& c : govassess::workflows::LifecycleWorkflow::Commands()) CHECK(names.count(c) == 1);
  auto item = w.Get("lead1", "/api/v1/workflows/special_assessment");
  REQUIRE(item.status == 200);
  CHECK(item.Json() == expected.at("special_assessment"));
  // An unknown type: 404 naming the types; a query string: 400.
  auto none = w.Get("nanning", "/api/v1/workflows/no_such_type");
  CHECK(none.status == 404);
  CHECK(none.Json()["error"]["message"].get<std::string>().find("lifecycle, notices") != std::string::npos);
  CHECK(w.Get("nanning", "/api/v1/workflows?role=unit").status == 400);

  // Every catalogued type is one the server runs: creating an instance of it reaches its
  // workflow (an unknown type is refused by the engine as such).
  auto unknown = w.Post("root", "catalogue-probe/x", "create", {{"type", "no_such_type"}});
  CHECK(unknown.Json()["error"]["message"].get<std::string>().find("unknown workflow type") != std::string::npos);
  for (const auto& [type, entry] : expected) {
    auto r = w.Post("root", "catalogue-probe/" + type, "create", {{"type", type}});
    INFO(type << ": " << r.body);
    CHECK(r.Json()["error"]["message"].get<std::string>().find("unknown workflow type") == std::string::npos);
  }

  // The OpenAPI document carries each payload schema, and executeCommand points at them.
  const json doc = w.Get("", "/api/v1/openapi.json").Json();
  const json& schemas = doc["components"]["schemas"];
  const json& execute = doc["paths"]["/api/v1/instances/{id}/commands/{name}"]["post"];
  CHECK(schemas["CommandRequest"]["properties"]["payload"] == json{{"$ref", "#/components/schemas/CommandPayload"}});
  size_t commands = 0;
  for (const auto& [type, entry] : expected) {
    for (const json& c : entry["commands"]) {
      const std::string name = "CommandPayload." + type + "." + c["name"].get<std::string>();
      INFO(name);
      REQUIRE(schemas.contains(name));
      CHECK(schemas[name]["type"] == "object");
      CHECK(schemas[name]["properties"] == c["payload"]["properties"]);
      CHECK(execute["x-commands"][type][c["name"].get<std::string>()]["payload"] ==
            json{{"$ref", "#/components/schemas/" + name}});
      CHECK(execute["x-commands"][type][c["name"].get<std::string>()]["roles"] == c["roles"]);
      ++commands;
    }
  }
  CHECK(schemas["CommandPayload"]["anyOf"].size() == commands);
  CHECK(execute["description"].get<std::string>().find("**lifecycle**: create, submit") != std::string::npos);
}

// A made-up arrangement for the tests (not a State Council notice): 1–3 January and
// 6–13 February 2027 off, Saturday 20 February a make-up working day.
json TestArrangement2027() {
  return {
      {"format", "govassess-calendar/1"},
      {"region", "cn"},
      {"weekend", {"sat", "sun"}},
      {"years",
       {{{"year", 2027},
         {"source", "test arrangement"},
         {"holidays",
          {{{"name", "元旦"}, {"off", {"2027-01-01..2027-01-03"}}},
           {{"name", "春节"}, {"off", {"2027-02-06..2027-02-13"}}, {"work", {"2027-02-20"}}}}}}}}};
}

TEST_CASE(
    "http api: an admin loads next year's arrangement, which counts at once and after a restart") {
  World w;
  const json document = TestArrangement2027();
  const auto day = [&w](const std::string& date) {
    return w.Get("nanning", "/api/v1/calendar/day?date=" + date);
  };
  CHECK(day("2027-02-08").status == 422);

  // Not the office's to load; a bad document is refused naming the field. Journaled.
  int64_t seq = w.JournalSeq();
  auto office =
      w.Post("office1", "calendar/cn", "load", {{"type", "calendar"}, {"payload", document}});
  CHECK(office.status == 403);
  json bad = document;
  bad["years"][0]["holidays"][1]["work"][0] = "2027-02-30";
  auto refused = w.Post("root", "calendar/cn", "load", {{"type", "calendar"}, {"payload", bad}});
  CHECK(refused.status == 422);
  CHECK_THAT(refused.body, Catch::Contains("payload.years[0].holidays[1].work[0]"));
  CHECK(w.JournalSeq() == seq + 2);
  CHECK(day("2027-02-08").status == 422);

  auto loaded = w.Post("root", "calendar/cn", "load",
                       {{"type", "calendar"}, {"payload", document}, {"reason", "next year"}});
  INFO(loaded.body);
  REQUIRE(loaded.status == 200);
  CHECK(loaded.Json()["result"]["added"] == json::array({2027}));
  const auto working = [&](const std::string& date) {
    auto r = day(date);
    INFO(date << ": " << r.body);
    REQUIRE(r.status == 200);
    return r.Json()["working_day"].get<bool>();
  };
  CHECK_FALSE(working("2027-02-08"));
  CHECK(working("2027-02-20"));
  CHECK(working("2027-01-04"));
  auto counted = w.Get("nanning", "/api/v1/calendar/day?date=2026-12-30&days=5");
  REQUIRE(counted.status == 200);
  CHECK(counted.Json()["result"] == "2027-01-07");

  auto calendar = w.Get("auditor1", "/api/v1/calendar");
  REQUIRE(calendar.status == 200);
  const json years = calendar.Json()["years"];
  CHECK(calendar.Json()["covered"] == "2007–2027");
  CHECK(years.back()["year"] == 2027);
  CHECK(years.back()["origin"] == "loaded");
  CHECK(years.back()["loaded_by"] == "root");
  CHECK(years[years.size() - 2]["origin"] == "shipped");
  CHECK(w.Get("nanning", "/api/v1/calendar?year=2027").status == 400);

  // The CLI counts with the file, or with what the database's server counts with.
  auto file_only = RunProcess({kCli, "calendar", "is-workday", "2027-02-08"}, "");
  CHECK(file_only.exit_code == 2);
  CHECK_THAT(file_only.err, Catch::Contains("does not cover 2027"));
  auto with_db = RunProcess({kCli, "calendar", "is-workday", "2027-02-08", "--db", w.db}, "");
  INFO(with_db.err);
  CHECK(with_db.exit_code == 0);
  CHECK(with_db.out == "no\n");
  auto no_db = RunProcess({kCli, "calendar", "years", "--db", w.dir.Path("none.db")}, "");
  CHECK(no_db.exit_code == 2);
  CHECK_THAT(no_db.err, Catch::Contains("--db: no database at"));
  // A calendar file that cannot be read is named alike with and without a database.
  const std::string missing = w.dir.Path("missing.json");
  for (const auto& db : std::vector<std::vector<std::string>>{{}, {"--db", w.db}}) {
    std::vector<std::string> args = {kCli, "calendar", "years", "--calendar", missing};
    args.insert(args.end(), db.begin(), db.end());
    auto unread = RunProcess(args, "");
    INFO(unread.err);
    CHECK(unread.exit_code == 2);
    CHECK_THAT(unread.err, Catch::Contains("cannot read calendar " + missing));
  }

  // A restart keeps it: the years are in the database, not in the file.
  w.server.reset();
  w.server = std::make_unique<ServerProcess>(std::vector<std::string>{"--db", w.db});
  w.port = w.server->port();
  CHECK_FALSE(working("2027-02-08"));
  CHECK(working("2027-02-20"));

  // Withdrawn (with a reason): not covered again.
  auto withdrawn = w.Post("root", "calendar/cn", "withdraw",
                          {{"payload", {{"year", 2027}}}, {"reason", "loaded by mistake"}});
  INFO(withdrawn.body);
  CHECK(withdrawn.status == 200);
  CHECK(day("2027-02-08").status == 422);
}

TEST_CASE(
    "http api: a year loaded or withdrawn from the command line counts in the running server "
    "within a second") {
  World w;
  const std::string file = w.dir.Path("2027.json");
  {
    std::ofstream out(file);
    out << TestArrangement2027().dump(2);
  }
  // What the server answers for 2027-02-08, polled until it is `status` (5 s at most):
  // the server puts the stored calendar in force once a second.
  const auto day_becomes = [&w](int status) {
    HttpReply r;
    for (int i = 0; i < 50; ++i) {
      r = w.Get("nanning", "/api/v1/calendar/day?date=2027-02-08");
      if (r.status == status) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    INFO(r.body);
    return r.status == status ? r.Json() : json();
  };
  REQUIRE(w.Get("nanning", "/api/v1/calendar/day?date=2027-02-08").status == 422);

  // Bad usage and bad documents change nothing (a refusal is journaled, as on the page).
  auto no_db = RunProcess({kCli, "calendar", "load", file}, "");
  CHECK(no_db.exit_code == 2);
  CHECK_THAT(no_db.err, Catch::Contains("missing option --db"));
  auto no_file = RunProcess({kCli, "calendar", "load", w.dir.Path("none.json"), "--db", w.db}, "");
  CHECK(no_file.exit_code == 2);
  CHECK_THAT(no_file.err, Catch::Contains("cannot read calendar document"));
  const std::string not_json = w.dir.Path("not.json");
  {
    std::ofstream out(not_json);
    out << "2027: 春节 2月6日至13日";
  }
  auto garbled = RunProcess({kCli, "calendar", "load", not_json, "--db", w.db}, "");
  CHECK(garbled.exit_code == 2);
  CHECK_THAT(garbled.err, Catch::Contains("not JSON"));
  const int64_t seq = w.JournalSeq();
  json bad = TestArrangement2027();
  bad["years"][0]["holidays"][1]["work"][0] = "2027-02-30";
  const std::string bad_file = w.dir.Path("bad.json");
  {
    std::ofstream out(bad_file);
    out << bad.dump();
  }
  auto refused = RunProcess({kCli, "calendar", "load", bad_file, "--db", w.db}, "");
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("payload.years[0].holidays[1].work[0]"));
  CHECK(w.JournalSeq() == seq + 1);

  auto loaded = RunProcess({kCli, "calendar", "load", file, "--db", w.db}, "");
  INFO(loaded.err);
  REQUIRE(loaded.exit_code == 0);
  CHECK_THAT(loaded.out, Catch::Contains("added 2027\n"));
  CHECK_THAT(loaded.out, Catch::Contains("covered: 2007–2027\n"));
  // The running server counts with it without a restart.
  CHECK(day_becomes(200)["working_day"] == false);
  auto counted = w.Get("nanning", "/api/v1/calendar/day?date=2026-12-30&days=5");
  REQUIRE(counted.status == 200);
  CHECK(counted.Json()["result"] == "2027-01-07");
  auto calendar = w.Get("auditor1", "/api/v1/calendar");
  REQUIRE(calendar.status == 200);
  const char* user = std::getenv("USER");
  CHECK(calendar.Json()["years"].back()["origin"] == "loaded");
  CHECK(calendar.Json()["years"].back()["loaded_by"] ==
        (user != nullptr && *user != '\0' ? std::string(user) : std::string("cli")));

  // Loading it again changes nothing; withdrawing needs a reason.
  auto again = RunProcess({kCli, "calendar", "load", file, "--db", w.db}, "");
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains("nothing to load"));
  auto no_reason = RunProcess({kCli, "calendar", "withdraw", "2027", "--db", w.db}, "");
  CHECK(no_reason.exit_code == 2);
  CHECK_THAT(no_reason.err, Catch::Contains("give a reason"));
  auto shipped = RunProcess(
      {kCli, "calendar", "withdraw", "2026", "--db", w.db, "--reason", "wrong year"}, "");
  CHECK(shipped.exit_code == 2);
  CHECK_THAT(shipped.err, Catch::Contains("no arrangement of 2026 was loaded"));
  auto withdrawn = RunProcess(
      {kCli, "calendar", "withdraw", "2027", "--db", w.db, "--reason", "loaded by mistake"}, "");
  INFO(withdrawn.err);
  CHECK(withdrawn.exit_code == 0);
  CHECK(withdrawn.out.rfind("withdrew 2027\n", 0) == 0);
  CHECK(day_becomes(422).is_object());
}
