// Sign-in, sessions and the audit-trail review through HTTP against `govassess serve`,
// with users provisioned through `govassess admin`.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/adapters/http_client.h"
#include "tests/adapters/run_process.h"
#include "tests/adapters/server_process.h"
#include "tests/adapters/temp_dir.h"

using namespace govassess::testing;

namespace {

const std::string kCli = std::string(GOVASSESS_BUILD_DIR) + "/govassess";
const std::string kPassword = "correct horse battery staple";

void CreateUser(const std::string& db, const std::string& name, const std::string& role,
                const std::string& unit = "") {
  std::vector<std::string> argv = {kCli, "admin", "create-user", "--db", db, "--username", name,
                                   "--role", role, "--password-stdin"};
  if (!unit.empty()) {
    argv.push_back("--unit");
    argv.push_back(unit);
  }
  auto r = RunProcess(argv, kPassword + "\n");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

std::string Login(int port, const std::string& name) {
  auto r = Http(port, "POST", "/api/v1/session",
                nlohmann::json{{"username", name}, {"password", kPassword}}.dump());
  INFO(r.body);
  REQUIRE(r.status == 201);
  return r.Json()["token"];
}

}  // namespace

TEST_CASE("admin: users are provisioned from the command line, never with a default account") {
  TempDir dir;
  const std::string db = dir.Path("u.db");
  struct Case { std::vector<std::string> args; std::string stdin_text; const char* says; };
  const std::vector<Case> cases = {
      {{"create-user", "--db", db, "--username", "a", "--role", "admin", "--password-stdin"}, "short\n", "12 to 1024"},
      {{"create-user", "--db", db, "--username", "a", "--role", "king", "--password-stdin"}, kPassword + "\n", "--role is one of"},
      {{"create-user", "--db", db, "--username", "b", "--role", "unit", "--password-stdin"}, kPassword + "\n", "needs --unit"},
      {{"create-user", "--db", db, "--username", "Bad Name", "--role", "admin", "--password-stdin"}, kPassword + "\n", "lower-case"},
      {{"create-user", "--db", db, "--username", "a", "--role", "admin"}, "", "--password-stdin"},
      {{"set-password", "--db", db, "--username", "nobody", "--password-stdin"}, kPassword + "\n", "no user"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> argv = {kCli, "admin"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto r = RunProcess(argv, c.stdin_text);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(c.says) != std::string::npos);
  }
  // A password of 64 characters and more is fine.
  auto r = RunProcess({kCli, "admin", "create-user", "--db", db, "--username", "long", "--role",
                       "auditor", "--password-stdin"}, std::string(200, 'p') + "\n");
  CHECK(r.exit_code == 0);
  auto again = RunProcess({kCli, "admin", "create-user", "--db", db, "--username", "long", "--role",
                           "auditor", "--password-stdin"}, kPassword + "\n");
  CHECK(again.exit_code == 2);
  CHECK(again.err.find("already exists") != std::string::npos);
}

TEST_CASE("http: sign in, use the session, sign out") {
  TempDir dir;
  const std::string db = dir.Path("s.db");
  CreateUser(db, "clerk", "unit", "nanning");
  ServerProcess server({"--db", db});
  const int port = server.port();

  auto bad = Http(port, "POST", "/api/v1/session", R"({"username":"clerk","password":"not the password"})");
  CHECK(bad.status == 401);
  CHECK(bad.Json()["error"]["message"] == "wrong username or password");
  auto nobody = Http(port, "POST", "/api/v1/session", R"({"username":"nobody","password":"not the password"})");
  CHECK(nobody.status == 401);
  CHECK(nobody.Json()["error"]["message"] == bad.Json()["error"]["message"]);  // nothing leaks

  auto ok = Http(port, "POST", "/api/v1/session",
                 nlohmann::json{{"username", "clerk"}, {"password", kPassword}}.dump());
  REQUIRE(ok.status == 201);
  const std::string token = ok.Json()["token"];
  CHECK(token.size() == 32);
  CHECK(ok.Json()["user"]["role"] == "unit");
  CHECK(ok.Json()["user"]["unit"] == "nanning");
  const std::string cookie = ok.headers["Set-Cookie"];
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Strict") != std::string::npos);
  // Security headers on every answer, errors included.
  for (const auto& reply : {ok, bad}) {
    CHECK(reply.headers.at("X-Content-Type-Options") == "nosniff");
    CHECK(reply.headers.at("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
    CHECK(reply.headers.at("Referrer-Policy") == "no-referrer");
  }

  CHECK(Http(port, "GET", "/api/v1/session", "", token).Json()["user"]["username"] == "clerk");
  CHECK(Http(port, "GET", "/api/v1/session").status == 401);
  CHECK(Http(port, "GET", "/api/v1/session", "", std::string(32, '0')).status == 401);
  // A unit clerk does not read the audit trail.
  auto forbidden = Http(port, "GET", "/api/v1/audit", "", token);
  CHECK(forbidden.status == 403);
  CHECK(forbidden.Json()["error"]["code"] == "forbidden");

  // The browser's cookie works for reads; a write with it needs our own Origin (CSRF).
  const std::map<std::string, std::string> by_cookie = {{"Cookie", "govassess_session=" + token}};
  CHECK(Http(port, "GET", "/api/v1/session", "", "", by_cookie).status == 200);
  auto csrf = Http(port, "POST", "/api/v1/instances/user%2Fclerk/commands/update", "{}", "",
                   {{"Cookie", "govassess_session=" + token}, {"Origin", "http://evil.example"}});
  CHECK(csrf.status == 403);
  CHECK(csrf.Json()["error"]["message"].get<std::string>().find("Origin") != std::string::npos);
  auto same_origin = Http(port, "POST", "/api/v1/instances/user%2Fclerk/commands/update", "{}", "",
                          {{"Cookie", "govassess_session=" + token},
                           {"Origin", "http://127.0.0.1:" + std::to_string(port)}});
  // Past the Origin check, the domain decides (a clerk does not manage users).
  CHECK(same_origin.Json()["error"]["message"].get<std::string>().find("Origin") == std::string::npos);
  CHECK(same_origin.Json()["error"]["message"].get<std::string>().find("only an admin") != std::string::npos);

  CHECK(Http(port, "DELETE", "/api/v1/session", "", token).status == 204);
  CHECK(Http(port, "GET", "/api/v1/session", "", token).status == 401);
}

TEST_CASE("http: repeated failed logins back off") {
  TempDir dir;
  const std::string db = dir.Path("b.db");
  CreateUser(db, "clerk", "unit", "nanning");
  ServerProcess server({"--db", db});
  int last = 0;
  for (int i = 0; i < 6; ++i) {
    last = Http(server.port(), "POST", "/api/v1/session",
                R"({"username":"clerk","password":"guess guess guess"})").status;
  }
  CHECK(last == 429);
  // Even the right password waits out the back-off.
  auto r = Http(server.port(), "POST", "/api/v1/session",
                nlohmann::json{{"username", "clerk"}, {"password", kPassword}}.dump());
  CHECK(r.status == 429);
  CHECK(r.headers.count("Retry-After"));
}

TEST_CASE("http: bad input gets a clear 4xx and writes nothing") {
  TempDir dir;
  const std::string db = dir.Path("x.db");
  CreateUser(db, "auditor1", "auditor");
  ServerProcess server({"--db", db});
  const int port = server.port();
  const std::string token = Login(port, "auditor1");
  const auto head_before = Http(port, "GET", "/api/v1/audit/head", "", token).Json()["head"];
  struct Case { std::string body; int status; const char* code; };
  const std::vector<Case> cases = {
      {"{not json", 400, "malformed_json"},
      {"[1,2]", 400, "malformed_json"},
      {R"({"username":"a","password":"b","admin":true})", 400, "unknown_field"},
      {R"({"username":1,"password":"b"})", 400, "wrong_type"},
      {R"({"username":"a"})", 400, "missing_field"},
      {std::string("{\"username\":\"\xff\xfe\",\"password\":\"x\"}"), 400, "invalid_utf8"},
      {R"({"username":"a' OR '1'='1","password":"x'; DROP TABLE journal; --"})", 401, "unauthenticated"},
      {"{\"username\":\"" + std::string(2 << 20, 'a') + "\"}", 413, "too_large"},
  };
  for (const auto& c : cases) {
    auto r = Http(port, "POST", "/api/v1/session", c.body);
    INFO(c.body.substr(0, 60));
    CHECK(r.status == c.status);
    CHECK(r.Json()["error"]["code"] == c.code);
    CHECK_FALSE(r.Json()["error"]["message"].get<std::string>().empty());
  }
  // Only the SQL-looking login was journaled (as a refused login); nothing else changed.
  auto events = Http(port, "GET", "/api/v1/audit?cursor=0&limit=1000", "", token).Json()["events"];
  int refused_logins = 0;
  for (const auto& e : events) refused_logins += e["command"] == "login" && e["outcome"] == "refused";
  CHECK(refused_logins == 1);
  CHECK(Http(port, "GET", "/api/v1/audit/verify", "", token).Json()["ok"] == true);
  (void)head_before;
}

TEST_CASE("http: the audit trail filters, pages and exports") {
  TempDir dir;
  const std::string db = dir.Path("a.db");
  CreateUser(db, "auditor1", "auditor");
  CreateUser(db, "clerk", "unit", "nanning");
  // A reason that a spreadsheet would run as a formula.
  auto dis = RunProcess({kCli, "admin", "disable-user", "--db", db, "--username", "clerk",
                         "--reason", "=HYPERLINK(\"http://example\")"});
  REQUIRE(dis.exit_code == 0);
  ServerProcess server({"--db", db});
  const int port = server.port();
  const std::string token = Login(port, "auditor1");

  auto all = Http(port, "GET", "/api/v1/audit", "", token).Json();
  REQUIRE(all["events"].size() >= 6);
  auto by_entity = Http(port, "GET", "/api/v1/audit?entity=user/clerk", "", token).Json()["events"];
  for (const auto& e : by_entity) CHECK(e["entity"] == "user/clerk");
  CHECK(by_entity.size() == 3);  // create, set_password, disable
  auto by_command = Http(port, "GET", "/api/v1/audit?command=disable", "", token).Json()["events"];
  REQUIRE(by_command.size() == 1);
  CHECK(by_command[0]["reason"] == "=HYPERLINK(\"http://example\")");

  // Cursor paging walks everything once.
  std::vector<int64_t> seqs;
  std::string cursor = "0";
  for (int guard = 0; guard < 20; ++guard) {
    auto page = Http(port, "GET", "/api/v1/audit?limit=2&cursor=" + cursor, "", token).Json();
    for (const auto& e : page["events"]) seqs.push_back(e["seq"]);
    if (page["next_cursor"].is_null()) break;
    cursor = std::to_string(page["next_cursor"].get<int64_t>());
  }
  REQUIRE(seqs.size() == all["events"].size());
  for (size_t i = 0; i < seqs.size(); ++i) CHECK(seqs[i] == int64_t(i + 1));

  // Times as the trail writes them (milliseconds, UTC) bound it, both ends included: a
  // page that counts days in Beijing time asks for instants, not UTC days.
  {
    const std::string ts = all["events"][2]["ts"];
    REQUIRE(ts.size() == 24);
    auto at =
        Http(port, "GET", "/api/v1/audit?from=" + ts + "&to=" + ts, "", token).Json()["events"];
    REQUIRE(!at.empty());
    for (const auto& e : at) CHECK(e["ts"] == ts);
    CHECK(std::any_of(at.begin(), at.end(),
                      [&](const auto& e) { return e["seq"] == all["events"][2]["seq"]; }));
    // A millisecond on (or back), the event is out of the range.
    std::string other = ts;
    other[22] = char(other[22] == '9' ? '8' : other[22] + 1);
    auto beside = Http(port, "GET", "/api/v1/audit?from=" + other + "&to=" + other, "", token);
    REQUIRE(beside.status == 200);
    const auto beside_events = beside.Json()["events"];  // a copy: the loop outlives the answer
    for (const auto& e : beside_events) CHECK(e["ts"] == other);
  }

  auto csv = Http(port, "GET", "/api/v1/audit?format=csv", "", token);
  CHECK(csv.status == 200);
  CHECK(csv.body.rfind("\xEF\xBB\xBF" "seq,ts,actor", 0) == 0);
  CHECK(csv.body.find(",\"'=HYPERLINK(\"\"http://example\"\")\",") != std::string::npos);
  auto jsonl = Http(port, "GET", "/api/v1/audit?format=jsonl", "", token);
  CHECK(std::count(jsonl.body.begin(), jsonl.body.end(), '\n') == long(all["events"].size()));

  struct Bad { const char* query; const char* says; };
  for (const auto& b : std::vector<Bad>{{"?format=xml", "format"},
                                        {"?limit=0", "limit"},
                                        {"?from=yesterday", "from"},
                                        {"?outcome=maybe", "outcome"},
                                        {"?to=2026-01-05T08:30:00.5Z", "to"},
                                        {"?to=2026-01-05T08:30:00.+50Z", "to"},
                                        {"?bogus=1", "bogus"}}) {
    auto r = Http(port, "GET", std::string("/api/v1/audit") + b.query, "", token);
    INFO(b.query);
    CHECK(r.status == 400);
    CHECK(r.Json()["error"]["message"].get<std::string>().find(b.says) != std::string::npos);
  }
  auto verify = Http(port, "GET", "/api/v1/audit/verify", "", token).Json();
  CHECK(verify["ok"] == true);
  auto head = Http(port, "GET", "/api/v1/audit/head", "", token).Json();
  CHECK(head["seq"] == verify["events"]);
  CHECK(Http(port, "POST", "/api/v1/audit", "{}", token).status == 405);
}

TEST_CASE("http: a submission's duplicate review is computed by the server, never taken from the client") {
  TempDir dir;
  const std::string db = dir.Path("r.db");
  // The office already runs this special assessment.
  {
    std::ofstream(dir.Path("licensed.json"))
        << R"([{"name": "优化营商环境专项考核", "lead": "自治区发展改革委",
                "indicators": ["营商环境评价指标得分", "政务服务事项网上可办率"]}])";
  }
  auto imported = RunProcess({kCli, "registry", "import", dir.Path("licensed.json"), "--db", db});
  REQUIRE(imported.exit_code == 0);
  CreateUser(db, "dept", "lead_assessor", "自治区商务厅");
  ServerProcess server({"--db", db});
  const int port = server.port();
  const std::string token = Login(port, "dept");
  const std::string path = "/api/v1/instances/registry%2Fitem%2Fbiz-2026/commands/";
  auto created = Http(port, "POST", path + "create",
                      nlohmann::json{{"type", "special_assessment"},
                                     {"payload",
                                      {{"name", "2026年全区优化营商环境工作考评"},
                                       {"basis", "《优化营商环境条例》"},
                                       {"indicators", {"营商环境评价指标得分", "企业开办时间"}}}}}
                          .dump(),
                      token);
  INFO(created.body);
  REQUIRE(created.status == 200);
  // The client claims there is nothing like it.
  auto submitted = Http(port, "POST", path + "submit",
                        R"({"payload": {"review": {"matches": []}}})", token);
  INFO(submitted.body);
  REQUIRE(submitted.status == 200);
  auto item = Http(port, "GET", "/api/v1/instances/registry%2Fitem%2Fbiz-2026", "", token).Json();
  INFO(item.dump());
  const auto review = item["data"]["review"];
  REQUIRE(review["matches"].is_array());
  REQUIRE_FALSE(review["matches"].empty());
  CHECK(review["matches"][0]["name"] == "优化营商环境专项考核");
  CHECK(review["matches"][0]["level"] == "likely_duplicate");
}

namespace {

// Signs in as a demo user with the one-time password `govassess serve --demo` printed
// ("  unit          nanning.clerk   <password>   南宁市…"), which must be changed
// first, as a newcomer would; returns a session with the user's own password.
std::string DemoLogin(ServerProcess& server, const std::string& user) {
  const std::string printed = server.Output();
  const auto at = printed.find(" " + user + " ");
  REQUIRE(at != std::string::npos);
  std::istringstream line(printed.substr(at));
  std::string name, password;
  line >> name >> password;
  auto r = Http(server.port(), "POST", "/api/v1/session",
                nlohmann::json{{"username", user}, {"password", password}}.dump());
  INFO(r.body);
  REQUIRE(r.status == 201);
  CHECK(r.Json()["must_change_password"] == true);
  const std::string own = password + " but mine now";
  auto changed = Http(server.port(), "PUT", "/api/v1/me/password",
                      nlohmann::json{{"current", password}, {"new", own}}.dump(),
                      r.Json()["token"].get<std::string>());
  INFO(changed.body);
  REQUIRE(changed.status == 204);
  auto again = Http(server.port(), "POST", "/api/v1/session",
                    nlohmann::json{{"username", user}, {"password", own}}.dump());
  REQUIRE(again.status == 201);
  CHECK(again.Json()["must_change_password"] == false);
  return again.Json()["token"].get<std::string>();
}

}  // namespace

TEST_CASE("http: a one-time password opens nothing until the user chooses their own") {
  TempDir dir;
  const std::string db = dir.Path("p.db");
  auto made = RunProcess({kCli, "admin", "create-user", "--db", db, "--username", "clerk", "--role",
                          "unit", "--unit", "gx-nanning", "--password-stdin", "--one-time"},
                         kPassword + "\n");
  REQUIRE(made.exit_code == 0);
  CreateUser(db, "auditor1", "auditor");
  ServerProcess server({"--db", db});
  const int port = server.port();
  auto first = Http(port, "POST", "/api/v1/session",
                    nlohmann::json{{"username", "clerk"}, {"password", kPassword}}.dump());
  REQUIRE(first.status == 201);
  CHECK(first.Json()["must_change_password"] == true);
  const std::string token = first.Json()["token"];
  auto blocked = Http(port, "GET", "/api/v1/inbox", "", token);
  CHECK(blocked.status == 403);
  CHECK(blocked.Json()["error"]["code"] == "password_change_required");
  CHECK(Http(port, "GET", "/api/v1/session", "", token).Json()["must_change_password"] == true);
  struct Case {
    nlohmann::json body;
    int status;
    const char* says;
  };
  for (const Case& c : std::vector<Case>{
           {{{"current", "not the password"}, {"new", "a brand new pass phrase"}}, 403, "current password is wrong"},
           {{{"current", kPassword}, {"new", "short"}}, 422, "12 to 1024 characters"},
           {{{"current", kPassword}, {"new", kPassword}}, 422, "not the current one"},
           {{{"current", kPassword}}, 400, "send {"},
           {{{"current", kPassword}, {"new", 7}}, 400, "must be a string"}}) {
    auto r = Http(port, "PUT", "/api/v1/me/password", c.body.dump(), token);
    INFO(c.body.dump() << " → " << r.body);
    CHECK(r.status == c.status);
    CHECK_THAT(r.Json()["error"]["message"].get<std::string>(), Catch::Contains(c.says));
  }
  // None of the refusals changed the password.
  const std::string own = "my own pass phrase, 2026";
  REQUIRE(Http(port, "PUT", "/api/v1/me/password",
               nlohmann::json{{"current", kPassword}, {"new", own}}.dump(), token)
              .status == 204);
  CHECK(Http(port, "GET", "/api/v1/session", "", token).status == 401);  // sessions ended
  CHECK(Http(port, "POST", "/api/v1/session",
             nlohmann::json{{"username", "clerk"}, {"password", kPassword}}.dump())
            .status == 401);
  auto mine = Http(port, "POST", "/api/v1/session",
                   nlohmann::json{{"username", "clerk"}, {"password", own}}.dump());
  REQUIRE(mine.status == 201);
  CHECK(mine.Json()["must_change_password"] == false);
  CHECK(Http(port, "GET", "/api/v1/inbox", "", mine.Json()["token"].get<std::string>()).status == 200);
  // The journal: the one-time set, the wrong current password refused, the change.
  const std::string auditor = Login(port, "auditor1");
  auto events = Http(port, "GET", "/api/v1/audit?entity=user/clerk&command=set_password", "", auditor)
                    .Json()["events"];
  REQUIRE(events.size() == 3);
  CHECK(events[0]["outcome"] == "accepted");
  CHECK(events[1]["outcome"] == "refused");
  CHECK(events[2]["outcome"] == "accepted");
  CHECK(Http(port, "GET", "/api/v1/audit?format=csv", "", auditor).body.find(own) == std::string::npos);
}

TEST_CASE("serve --demo: a living system to sign in to") {
  TempDir dir;
  ServerProcess server({"--db", dir.Path("demo.db"), "--demo"});
  auto login = [&](const std::string& user) { return DemoLogin(server, user); };
  const std::string clerk = login("nanning.clerk");
  auto own = Http(server.port(), "GET", "/api/v1/instances/lifecycle%2F2026%2Fcity%2Fgx-nanning", "", clerk);
  CHECK(own.status == 200);
  CHECK(own.Json()["state"] == "in_execution");
  CHECK(Http(server.port(), "GET", "/api/v1/instances/lifecycle%2F2026%2Fcity%2Fgx-liuzhou", "", clerk).status == 404);
  const std::string office = login("zhang.office");
  auto app = Http(server.port(), "GET", "/api/v1/instances/registry%2Fitem%2Fapp-biz-2027", "", office).Json();
  CHECK(app["state"] == "submitted");
  REQUIRE_FALSE(app["data"]["review"]["matches"].empty());
  CHECK(app["data"]["review"]["matches"][0]["level"] == "likely_duplicate");
  auto verify = Http(server.port(), "GET", "/api/v1/audit/verify", "", login("audit.jw")).Json();
  CHECK(verify["ok"] == true);
  CHECK(verify["events"].get<int>() > 50);  // users, cities, registry: all journaled
}

TEST_CASE("serve --demo: its history happened on the cycle's dates, and the server catches up") {
  TempDir dir;
  ServerProcess server({"--db", dir.Path("h.db"), "--demo"});
  const std::string office = DemoLogin(server, "zhang.office");
  auto get = [&](const std::string& path) { return Http(server.port(), "GET", path, "", office); };
  // Nanning's plan went in in April and was approved and issued before plan_due
  // (30 April), on a clock of the loader's own — not on the day the demo was loaded.
  const std::time_t t = std::time(nullptr) + 8 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char today[16];
  std::strftime(today, sizeof today, "%Y-%m-%d", &tm);
  const auto nanning = get("/api/v1/instances/lifecycle%2F2026%2Fcity%2Fgx-nanning").Json()["data"];
  INFO(nanning.dump());
  if (std::string(today) > "2026-04-29") {
    CHECK(nanning["submitted_on"].get<std::string>() >= "2026-04-13");
    CHECK(nanning["submitted_on"].get<std::string>() < "2026-04-30");
    CHECK(nanning["approved_on"] == "2026-04-28");
    CHECK(nanning["issued_on"] == "2026-04-29");
    CHECK_FALSE(nanning.contains("late_steps"));
  } else {  // never later than now
    CHECK(nanning["issued_on"] == today);
  }
  // The city still drafting and the one whose plan was returned are marked overdue by
  // the server's timer loop once plan_due has passed. Nobody sent those commands: the
  // timers did.
  if (std::string(today) > "2026-04-30") {
    const std::string auditor = DemoLogin(server, "audit.jw");
    for (const std::string state : {"drafting", "returned"}) {
      INFO(state);
      auto late = get("/api/v1/instances?type=lifecycle&state=" + state).Json()["instances"];
      REQUIRE(late.size() == 1);
      const std::string escaped = Enc(late[0]["id"]);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
      for (;;) {
        const auto data = get("/api/v1/instances/" + escaped).Json()["data"];
        const auto overdue = data.value("overdue", nlohmann::json::array());
        if (std::find(overdue.begin(), overdue.end(), "plan_due") != overdue.end()) break;
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      auto marks = Http(server.port(), "GET",
                        "/api/v1/audit?entity=" + escaped + "&command=mark_overdue", "", auditor)
                       .Json()["events"];
      REQUIRE(marks.size() == 1);
      CHECK(marks[0]["actor"]["role"] == "system");
      CHECK(marks[0]["outcome"] == "accepted");
    }
  }
}

TEST_CASE("http: calendar, duplicate review and quota queries") {
  TempDir dir;
  ServerProcess server({"--db", dir.Path("q.db"), "--demo"});
  auto login = [&](const std::string& user) { return DemoLogin(server, user); };
  const std::string clerk = login("nanning.clerk"), fgw = login("fgw.clerk");
  auto day = Http(server.port(), "GET", "/api/v1/calendar/day?date=2025-09-30&days=5", "", clerk).Json();
  CHECK(day["result"] == "2025-10-14");
  CHECK(Http(server.port(), "GET", "/api/v1/calendar/day?date=2024-10-12", "", clerk).Json()["working_day"] == true);
  auto uncovered = Http(server.port(), "GET", "/api/v1/calendar/day?date=2027-03-01", "", clerk);
  CHECK(uncovered.status == 422);
  CHECK(uncovered.Json()["error"]["message"].get<std::string>().find("2027") != std::string::npos);
  CHECK(Http(server.port(), "GET", "/api/v1/calendar/day?date=2025-9-30", "", clerk).status == 400);

  auto check = Http(server.port(), "POST", "/api/v1/registry/check",
                    R"({"name": "全区优化营商环境工作考评", "indicators": ["营商环境评价指标得分"]})", fgw);
  REQUIRE(check.status == 200);
  CHECK(check.Json()["matches"][0]["level"] == "likely_duplicate");
  // The demo imported its items through the unit directory: the development and reform
  // commission's items are under the unit its clerk belongs to, not under its name.
  CHECK(check.Json()["matches"][0]["lead"] == "gx-development-reform");
  auto quota = Http(server.port(), "GET", "/api/v1/registry/quota/2026", "", fgw);
  CHECK(quota.status == 200);
  const auto leads = quota.Json()["leads"];
  CHECK(leads["gx-development-reform"]["licensed"].get<int>() > 0);
  CHECK_FALSE(leads.contains("自治区发展改革委"));
  CHECK(leads.contains("自治区文明办"));  // not in the directory: kept as the import named it
  // A unit clerk may do neither; the refusal is journaled.
  auto denied = Http(server.port(), "GET", "/api/v1/registry/quota/2026", "", clerk);
  CHECK(denied.status == 403);
  auto refusals = Http(server.port(), "GET", "/api/v1/audit?entity=access/read_quota", "", login("audit.jw")).Json();
  REQUIRE(refusals["events"].size() == 1);
  CHECK(refusals["events"][0]["outcome"] == "refused");
  CHECK(refusals["events"][0]["actor"]["user"] == "nanning.clerk");
}

TEST_CASE("serve --demo: a unit reads its own reminders inbox and marks it read") {
  TempDir dir;
  ServerProcess server({"--db", dir.Path("n.db"), "--demo"});
  auto login = [&](const std::string& user) { return DemoLogin(server, user); };
  const std::string clerk = login("nanning.clerk");
  auto inbox = Http(server.port(), "GET", "/api/v1/instances/notices%2F2026%2Fcity%2Fgx-nanning", "", clerk);
  REQUIRE(inbox.status == 200);
  CHECK(inbox.Json()["type"] == "notices");
  CHECK(inbox.Json()["data"]["unit"] == "gx-nanning");
  // Another city's inbox does not exist for this clerk.
  CHECK(Http(server.port(), "GET", "/api/v1/instances/notices%2F2026%2Fcity%2Fgx-liuzhou", "", clerk).status == 404);
  const size_t entries = inbox.Json()["data"]["entries"].size();
  auto read = Http(server.port(), "POST", "/api/v1/instances/notices%2F2026%2Fcity%2Fgx-nanning/commands/mark_read",
                   nlohmann::json{{"payload", {{"upto", entries}}}}.dump(), clerk);
  INFO(read.body);
  CHECK(read.status == 200);
  // Reminders come from timers only.
  auto forged = Http(server.port(), "POST", "/api/v1/instances/notices%2F2026%2Fcity%2Fgx-nanning/commands/remind",
                     R"({"payload": {"step": "plan_due"}})", clerk);
  CHECK(forged.status == 403);
}
