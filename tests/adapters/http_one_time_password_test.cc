// POST /api/v1/users/{username}/one-time-password through HTTP against `govassess serve`:
// an admin creates a user and hands out its first (one-time) password from the browser;
// resets end the user's sessions; everyone else is refused, and the journal records
// who set the password but never the password.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "tests/adapters/http_client.h"
#include "tests/adapters/run_process.h"
#include "tests/adapters/server_process.h"
#include "tests/adapters/temp_dir.h"

using namespace govassess::testing;
using nlohmann::json;

namespace {

const std::string kCli = std::string(GOVASSESS_BUILD_DIR) + "/govassess";
const std::string kPassword = "correct horse battery staple";
const std::string kIssue = "/api/v1/users/clerk/one-time-password";
const std::string kClerk = "/api/v1/instances/user%2Fclerk";

// A server with an admin ("root") and an office user ("office1") provisioned by the CLI.
struct Office {
  TempDir dir;
  std::string db = dir.Path("otp.db");
  std::unique_ptr<ServerProcess> server;
  int port = 0;
  std::string root, office;

  Office() {
    for (const auto& [name, role] : {std::pair{"root", "admin"}, std::pair{"office1", "office"}}) {
      auto r = RunProcess({kCli, "admin", "create-user", "--db", db, "--username", name, "--role",
                           role, "--password-stdin"},
                          kPassword + "\n");
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
    }
    server = std::make_unique<ServerProcess>(std::vector<std::string>{"--db", db});
    port = server->port();
    root = SignIn("root", kPassword).Json()["token"];
    office = SignIn("office1", kPassword).Json()["token"];
  }

  HttpReply SignIn(const std::string& user, const std::string& password) {
    return Http(port, "POST", "/api/v1/session",
                json{{"username", user}, {"password", password}}.dump());
  }
  // The admin creates "clerk" (a unit user) with the user workflow's create command.
  void CreateClerk() {
    auto r = Http(port, "POST", kClerk + "/commands/create",
                  json{{"type", "user"},
                       {"payload",
                        {{"username", "clerk"},
                         {"role", "unit"},
                         {"unit", "gx-nanning"},
                         {"display_name", "南宁市绩效办 联络员"}}}}
                      .dump(),
                  root);
    INFO(r.body);
    REQUIRE(r.status == 200);
  }
  // Issues a one-time password for "clerk" as the admin; REQUIREs 201.
  std::string Issue(const std::string& body = "") {
    auto r = Http(port, "POST", kIssue, body, root);
    INFO(r.body);
    REQUIRE(r.status == 201);
    CHECK(r.headers["Cache-Control"] == "no-store");
    const json j = r.Json();
    CHECK(j["username"] == "clerk");
    CHECK(j["must_change_password"] == true);
    const std::string password = j["one_time_password"];
    CHECK(password.size() == 16);
    CHECK(password.find_first_not_of("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") ==
          std::string::npos);
    return password;
  }
  // Signs "clerk" in with the one-time password and chooses `own`; returns a session.
  std::string ChooseOwn(const std::string& one_time, const std::string& own) {
    auto first = SignIn("clerk", one_time);
    INFO(first.body);
    REQUIRE(first.status == 201);
    CHECK(first.Json()["must_change_password"] == true);
    auto changed =
        Http(port, "PUT", "/api/v1/me/password", json{{"current", one_time}, {"new", own}}.dump(),
             first.Json()["token"].get<std::string>());
    INFO(changed.body);
    REQUIRE(changed.status == 204);
    auto again = SignIn("clerk", own);
    REQUIRE(again.status == 201);
    CHECK(again.Json()["must_change_password"] == false);
    return again.Json()["token"];
  }
  int64_t ClerkVersion() {
    auto r = Http(port, "GET", kClerk, "", root);
    REQUIRE(r.status == 200);
    return r.Json()["version"];
  }
  int64_t JournalSeq() { return Http(port, "GET", "/api/v1/audit/head", "", root).Json()["seq"]; }
  json Events(const std::string& query) {
    auto r = Http(port, "GET", "/api/v1/audit?limit=10000&" + query, "", root);
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.Json()["events"];
  }
};

}  // namespace

TEST_CASE("http one-time password: an admin creates a user and hands out its first password") {
  Office o;
  o.CreateClerk();
  // Without a password nobody signs in as the new user.
  CHECK(o.SignIn("clerk", kPassword).status == 401);
  const std::string one_time = o.Issue();

  auto first = o.SignIn("clerk", one_time);
  INFO(first.body);
  REQUIRE(first.status == 201);
  CHECK(first.Json()["must_change_password"] == true);
  const std::string token = first.Json()["token"];
  // A one-time password opens nothing but the session and the password change.
  auto blocked = Http(o.port, "GET", kClerk, "", token);
  CHECK(blocked.status == 403);
  CHECK(blocked.Json()["error"]["code"] == "password_change_required");
  CHECK(Http(o.port, "GET", "/api/v1/session", "", token).Json()["must_change_password"] == true);

  const std::string own = "the clerk's own pass phrase";
  auto changed = Http(o.port, "PUT", "/api/v1/me/password",
                      json{{"current", one_time}, {"new", own}}.dump(), token);
  REQUIRE(changed.status == 204);
  CHECK(o.SignIn("clerk", one_time).status == 401);
  auto mine = o.SignIn("clerk", own);
  REQUIRE(mine.status == 201);
  CHECK(mine.Json()["must_change_password"] == false);
  CHECK(Http(o.port, "GET", kClerk, "", mine.Json()["token"].get<std::string>()).status == 200);

  // The journal: set_password by the admin (the sign-in service acting for "root"),
  // one-time; then the clerk's own change. Never the password.
  auto events = o.Events("entity=user/clerk&command=set_password");
  REQUIRE(events.size() == 2);
  CHECK(events[0]["outcome"] == "accepted");
  CHECK(events[0]["actor"]["user"] == "root");
  CHECK(events[0]["payload"]["by"] == "root");
  CHECK(events[0]["payload"]["one_time"] == true);
  CHECK_THAT(events[0]["reason"].get<std::string>(),
             Catch::Contains("one-time password set by root"));
  CHECK(events[1]["actor"]["user"] == "clerk");
  for (const std::string format : {"json", "jsonl", "csv"}) {
    auto dump = Http(o.port, "GET", "/api/v1/audit?limit=10000&format=" + format, "", o.root);
    REQUIRE(dump.status == 200);
    CHECK(dump.body.find(one_time) == std::string::npos);
    CHECK(dump.body.find(own) == std::string::npos);
  }
  // Nor is it in the server's output (the request log).
  CHECK(o.server->Output().find(one_time) == std::string::npos);
}

TEST_CASE("http one-time password: a reset ends the user's sessions and the old password") {
  Office o;
  o.CreateClerk();
  const std::string first = o.Issue("{}");
  const std::string own = "the clerk's own pass phrase";
  const std::string session = o.ChooseOwn(first, own);
  REQUIRE(Http(o.port, "GET", "/api/v1/session", "", session).status == 200);

  // The clerk forgot the password: the admin issues a new one, with a reason.
  const std::string second = o.Issue(R"({"reason": "forgot it, asked by phone"})");
  CHECK(second != first);
  CHECK(Http(o.port, "GET", "/api/v1/session", "", session).status == 401);  // ended
  CHECK(o.SignIn("clerk", own).status == 401);
  CHECK(o.SignIn("clerk", first).status == 401);
  // A session taken with the one-time password ends at the next reset too.
  auto with_second = o.SignIn("clerk", second);
  REQUIRE(with_second.status == 201);
  CHECK(with_second.Json()["must_change_password"] == true);
  const std::string third = o.Issue();
  CHECK(third != second);
  CHECK(Http(o.port, "GET", "/api/v1/session", "", with_second.Json()["token"].get<std::string>())
            .status == 401);
  CHECK(o.SignIn("clerk", second).status == 401);
  o.ChooseOwn(third, "yet another own pass phrase");

  auto events = o.Events("entity=user/clerk&command=set_password&actor=root");
  REQUIRE(events.size() == 3);
  CHECK_THAT(events[1]["reason"].get<std::string>(), Catch::Contains("forgot it, asked by phone"));
  auto csv = Http(o.port, "GET", "/api/v1/audit?limit=10000&format=csv", "", o.root).body;
  for (const std::string& p : {first, second, third}) CHECK(csv.find(p) == std::string::npos);
}

TEST_CASE(
    "http one-time password: refusals are clear, journaled where they are refusals, and change "
    "nothing") {
  Office o;
  o.CreateClerk();
  const std::string own = "the clerk's own pass phrase";
  o.ChooseOwn(o.Issue(), own);
  const int64_t version = o.ClerkVersion();
  auto password_still_works = [&] {
    auto r = o.SignIn("clerk", own);
    CHECK(r.status == 201);
    CHECK(r.Json()["must_change_password"] == false);
  };

  SECTION("not signed in: 401") {
    auto r = Http(o.port, "POST", kIssue, "");
    CHECK(r.status == 401);
    CHECK(r.Json()["error"]["code"] == "unauthenticated");
    CHECK(o.ClerkVersion() == version);
  }
  SECTION("a non-admin: 403, journaled on access/issue_password") {
    const int64_t before = o.JournalSeq();
    auto r = Http(o.port, "POST", kIssue, "", o.office);
    INFO(r.body);
    CHECK(r.status == 403);
    CHECK(r.Json()["error"]["code"] == "forbidden");
    CHECK_THAT(r.Json()["error"]["message"].get<std::string>(), Catch::Contains("only an admin"));
    CHECK(r.body.find("one_time_password") == std::string::npos);
    CHECK(o.JournalSeq() == before + 1);
    auto refusals = o.Events("outcome=refused&entity=access/issue_password");
    REQUIRE(refusals.size() == 1);
    CHECK(refusals[0]["actor"]["user"] == "office1");
    CHECK(refusals[0]["actor"]["role"] == "office");
    CHECK(refusals[0]["payload"]["path"] == kIssue);
    CHECK(o.ClerkVersion() == version);
    // The clerk too (a unit user), for themself.
    const std::string clerk = o.SignIn("clerk", own).Json()["token"];
    const int64_t signed_in = o.ClerkVersion();  // the login is journaled on the user
    CHECK(Http(o.port, "POST", kIssue, "", clerk).status == 403);
    CHECK(o.Events("outcome=refused&entity=access/issue_password").size() == 2);
    CHECK(o.ClerkVersion() == signed_in);
    CHECK(Http(o.port, "GET", "/api/v1/session", "", clerk).status == 200);  // not ended
  }
  SECTION("an unknown user: 404; a malformed name: 400") {
    const int64_t before = o.JournalSeq();
    auto r = Http(o.port, "POST", "/api/v1/users/nobody/one-time-password", "", o.root);
    CHECK(r.status == 404);
    CHECK(r.Json()["error"]["code"] == "not_found");
    CHECK_THAT(r.Json()["error"]["message"].get<std::string>(),
               Catch::Contains("no user \"nobody\""));
    auto bad = Http(o.port, "POST", "/api/v1/users/Bad%20Name/one-time-password", "", o.root);
    CHECK(bad.status == 400);
    CHECK_THAT(bad.Json()["error"]["message"].get<std::string>(), Catch::Contains("lower-case"));
    auto slash = Http(o.port, "POST", "/api/v1/users/clerk%2Fx/one-time-password", "", o.root);
    CHECK(slash.status == 400);
    CHECK(o.JournalSeq() == before);
    CHECK(o.ClerkVersion() == version);
  }
  SECTION("a disabled user: 422 (enable it first), journaled on the user") {
    auto off = Http(o.port, "POST", kClerk + "/commands/disable",
                    R"({"reason": "left the office"})", o.root);
    INFO(off.body);
    REQUIRE(off.status == 200);
    const int64_t disabled_version = o.ClerkVersion();
    auto r = Http(o.port, "POST", kIssue, "", o.root);
    INFO(r.body);
    CHECK(r.status == 422);
    CHECK(r.Json()["error"]["code"] == "refused");
    CHECK_THAT(r.Json()["error"]["message"].get<std::string>(), Catch::Contains("enable it first"));
    CHECK(o.ClerkVersion() == disabled_version);
    auto refused = o.Events("outcome=refused&entity=user/clerk&command=set_password");
    REQUIRE(refused.size() == 1);
    CHECK(refused[0]["actor"]["user"] == "root");
    auto on = Http(o.port, "POST", kClerk + "/commands/enable", "{}", o.root);
    REQUIRE(on.status == 200);
  }
  SECTION("a body other than nothing, {} or {\"reason\"}: 400") {
    const int64_t before = o.JournalSeq();
    struct Case {
      std::string body;
      const char* code;
    };
    for (const Case& c :
         std::vector<Case>{{R"({"reason": 5})", "wrong_type"},
                           {R"({"password": "mine, please"})", "unknown_field"},
                           {R"({"reason": "x", "one_time": false})", "unknown_field"},
                           {"[1]", "malformed_json"},
                           {"{not json", "malformed_json"},
                           {"{\"reason\": \"\xff\"}", "invalid_utf8"}}) {
      auto r = Http(o.port, "POST", kIssue, c.body, o.root);
      INFO(c.body << " → " << r.body);
      CHECK(r.status == 400);
      CHECK(r.Json()["error"]["code"] == c.code);
      CHECK_FALSE(r.Json()["error"]["message"].get<std::string>().empty());
    }
    CHECK(o.JournalSeq() == before);
    CHECK(o.ClerkVersion() == version);
  }
  password_still_works();
}
