#include <istream>
#include <ostream>

#include "adapters/cli/app.h"
#include "adapters/cli/args.h"
#include "adapters/cli/commands.h"
#include "workflows/user_workflow.h"

namespace govassess {
namespace {

constexpr const char* kUsage =
    "usage: govassess admin create-user --db PATH --username U --role ROLE [--unit UNIT]\n"
    "                                   [--name DISPLAY] --password-stdin [--one-time]\n"
    "       govassess admin set-password --db PATH --username U --password-stdin [--one-time]\n"
    "       govassess admin disable-user --db PATH --username U --reason TEXT\n"
    "\n"
    "There is no default account: the first admin is created here. Roles: unit,\n"
    "lead_assessor, office, leader, committee, auditor, admin (unit and lead_assessor\n"
    "need --unit). The password (12 to 1024 characters) is read from the first line of\n"
    "standard input, never from the command line. --one-time: the user must choose a\n"
    "new password after signing in (PUT /api/v1/me/password) before doing anything else.\n";

int Fail(std::ostream& err, int code, const std::string& message) {
  err << "govassess admin: " << message << "\n";
  return code;
}

Actor CliActor() {
  const char* user = std::getenv("USER");
  return Actor{user ? user : "cli", "system", "", "cli admin"};
}

}  // namespace

int RunAdminCommand(const Words& words, std::istream& in, std::ostream& out, std::ostream& err) {
  if (words.empty() || words[0] == "--help") {
    (words.empty() ? err : out) << kUsage;
    return words.empty() ? kExitUsage : kExitOk;
  }
  const std::string sub = words[0];
  if (sub != "create-user" && sub != "set-password" && sub != "disable-user") {
    return Fail(err, kExitUsage, "unknown sub-command \"" + sub + "\"");
  }
  auto args = Args::Parse(Words(words.begin() + 1, words.end()),
                          {"db", "username", "role", "unit", "name", "reason"}, {"password-stdin", "one-time"});
  if (!args.ok()) return Fail(err, kExitUsage, args.status().message());
  auto db = args->Get("db");
  auto username = args->Get("username");
  if (!db || !username) return Fail(err, kExitUsage, "--db and --username are required");
  if (Status s = workflows::CheckUsername(*username); !s.ok()) {
    return Fail(err, kExitUsage, s.message());
  }
  std::string password;
  if (sub != "disable-user") {
    if (!args->Has("password-stdin")) {
      return Fail(err, kExitUsage, "give the password on standard input with --password-stdin");
    }
    std::getline(in, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (auto h = AuthService::HashPassword(password); !h.ok()) {
      return Fail(err, kExitUsage, h.status().message());
    }
  }
  if (sub == "create-user") {
    const std::string role = args->GetOr("role", "");
    if (!workflows::IsRole(role)) {
      return Fail(err, kExitUsage, "--role is one of unit, lead_assessor, office, leader, committee, auditor, admin");
    }
    if (workflows::RoleNeedsUnit(role) && !args->Get("unit")) {
      return Fail(err, kExitUsage, "a " + role + " user needs --unit");
    }
  }
  auto app = App::Open(*db);
  if (!app.ok()) return Fail(err, kExitFailed, app.status().message());
  Engine* engine = (*app)->engine();
  if (sub == "create-user") {
    Command c;
    c.instance_id = workflows::UserInstanceId(*username);
    c.type = "user";
    c.name = "create";
    c.actor = CliActor();
    c.reason = "provisioned with govassess admin create-user";
    c.payload = {{"username", *username}, {"role", args->GetOr("role", "")}};
    if (auto unit = args->Get("unit")) c.payload["unit"] = *unit;
    if (auto name = args->Get("name")) c.payload["display_name"] = *name;
    auto r = engine->Execute(c);
    if (!r.ok()) return Fail(err, kExitFailed, r.status().message());
    if (!r->accepted) return Fail(err, kExitUsage, r->refusal.message());
  }
  if (sub == "disable-user") {
    auto reason = args->Get("reason");
    if (!reason) return Fail(err, kExitUsage, "--reason is required");
    Command c;
    c.instance_id = workflows::UserInstanceId(*username);
    c.name = "disable";
    c.actor = CliActor();
    c.reason = *reason;
    auto r = engine->Execute(c);
    if (!r.ok()) return Fail(err, r.status().IsNotFound() ? kExitUsage : kExitFailed, r.status().message());
    if (!r->accepted) return Fail(err, kExitUsage, r->refusal.message());
    (*app)->credentials()->DeleteSessionsOf(*username);
    out << "disabled " << *username << "\n";
    return kExitOk;
  }
  Status s = (*app)->auth()->SetPassword(*username, password, CliActor(), args->Has("one-time"));
  if (!s.ok()) return Fail(err, s.IsNotFound() ? kExitUsage : kExitFailed, s.message());
  out << (sub == "create-user" ? "created " : "password set for ") << *username << "\n";
  return kExitOk;
}

}  // namespace govassess
