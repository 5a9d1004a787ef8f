// Sessions end: idle and absolute timeouts, a disabled user, sign-out; with a clock
// the test moves.
#include "adapters/http/auth.h"

#include <catch2/catch.hpp>

#include "adapters/sqlite/sqlite_store.h"
#include "tests/adapters/temp_dir.h"
#include "workflows/user_workflow.h"

using namespace govassess;

namespace {

struct AuthRig {
  explicit AuthRig(const std::string& path) : clock(1'800'000'000'000) {
    store = SqliteStore::Open(path).value();
    credentials = CredentialStore::Open(path).value();
    engine = std::make_unique<Engine>(store.get(), &clock);
    engine->Register(std::make_unique<workflows::UserWorkflow>());
    AuthOptions options;
    options.idle_timeout_ms = 30 * 60 * 1000;
    options.absolute_timeout_ms = 8 * 60 * 60 * 1000;
    auth = std::make_unique<AuthService>(credentials.get(), engine.get(), options);
    Command c;
    c.instance_id = "user/clerk";
    c.type = "user";
    c.name = "create";
    c.actor = Actor::System("test");
    c.payload = {{"username", "clerk"}, {"role", "unit"}, {"unit", "gx-nanning"}};
    REQUIRE(engine->Execute(c)->accepted);
    REQUIRE(auth->SetPassword("clerk", "correct horse battery", Actor::System("test")).ok());
  }
  std::string Login() {
    auto r = auth->Login("clerk", "correct horse battery", "test");
    REQUIRE(r.ok());
    return r->token;
  }
  ManualClock clock;
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<CredentialStore> credentials;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<AuthService> auth;
};

constexpr int64_t kMinute = 60 * 1000;

}  // namespace

TEST_CASE("auth: a session ends after the idle timeout, and used sessions live on") {
  testing::TempDir dir;
  AuthRig rig(dir.Path("a.db"));
  const std::string token = rig.Login();
  rig.clock.Advance(29 * kMinute);
  REQUIRE(rig.auth->Authenticate(token).ok());  // used: the idle clock restarts
  rig.clock.Advance(29 * kMinute);
  REQUIRE(rig.auth->Authenticate(token).ok());
  rig.clock.Advance(31 * kMinute);  // idle too long
  auto r = rig.auth->Authenticate(token);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kUnauthenticated);
  CHECK(r.status().message().find("expired") != std::string::npos);
}

TEST_CASE("auth: a session ends at the absolute timeout however busy it is") {
  testing::TempDir dir;
  AuthRig rig(dir.Path("b.db"));
  const std::string token = rig.Login();
  for (int i = 0; i < 8 * 4 - 1; ++i) {  // every 15 minutes for almost 8 hours
    rig.clock.Advance(15 * kMinute);
    REQUIRE(rig.auth->Authenticate(token).ok());
  }
  rig.clock.Advance(16 * kMinute);
  CHECK(rig.auth->Authenticate(token).status().code() == Code::kUnauthenticated);
}

TEST_CASE("auth: disabling a user or signing out ends the session — tokens are stored hashed") {
  testing::TempDir dir;
  AuthRig rig(dir.Path("c.db"));
  const std::string a = rig.Login(), b = rig.Login();
  CHECK(a != b);
  CHECK(a.size() == 32);  // 128 random bits
  REQUIRE(rig.auth->Logout(a, "test").ok());
  CHECK_FALSE(rig.auth->Authenticate(a).ok());
  CHECK(rig.auth->Authenticate(b).ok());
  CHECK_FALSE(rig.credentials->GetSession(a).ok());  // the token itself is not a key
  Command disable;
  disable.instance_id = "user/clerk";
  disable.name = "disable";
  disable.reason = "left the office";
  disable.actor = Actor{"root", "admin", "", "test"};
  REQUIRE(rig.engine->Execute(disable)->accepted);
  CHECK_FALSE(rig.auth->Authenticate(b).ok());
  auto again = rig.auth->Login("clerk", "correct horse battery", "test");
  CHECK(again.status().code() == Code::kUnauthenticated);
}
