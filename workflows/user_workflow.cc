#include "workflows/user_workflow.h"

#include <set>

namespace govassess::workflows {

const std::vector<std::string>& Roles() {
  static const std::vector<std::string> kRoles = {"unit",      "lead_assessor", "office", "leader",
                                                  "committee", "auditor",       "admin"};
  return kRoles;
}

bool IsRole(const std::string& role) {
  for (const auto& r : Roles()) {
    if (r == role) return true;
  }
  return false;
}

bool RoleNeedsUnit(const std::string& role) { return role == "unit" || role == "lead_assessor"; }

std::string UserInstanceId(const std::string& username) { return "user/" + username; }

Status CheckUsername(const std::string& u) {
  if (u.empty() || u.size() > 64) {
    return Status::InvalidArgument("a username has 1 to 64 characters");
  }
  for (size_t i = 0; i < u.size(); ++i) {
    const char c = u[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && !(i > 0 && (c == '.' || c == '_' || c == '-'))) {
      return Status::InvalidArgument("username \"" + u +
                                     "\": use lower-case letters, digits, '.', '_' and '-', "
                                     "starting with a letter or digit");
    }
  }
  return Status::Ok();
}

namespace {

const std::set<std::string> kCreateFields = {"username", "role", "unit", "display_name"};
const std::set<std::string> kUpdateFields = {"role", "unit", "display_name"};

// Refusal text for a payload field that is not expected, or not a string.
std::string CheckFields(const Json& payload, const std::set<std::string>& allowed) {
  for (const auto& [key, value] : payload.items()) {
    if (!allowed.count(key)) return "unknown field \"" + key + "\"";
    if (!value.is_string()) return "field \"" + key + "\" must be a string";
  }
  return "";
}

std::string CheckRoleAndUnit(const std::string& role, const std::string& unit) {
  if (!IsRole(role)) {
    return "unknown role \"" + role +
           "\"; roles are unit, lead_assessor, office, leader, committee, auditor, admin";
  }
  if (RoleNeedsUnit(role) && unit.empty()) return "a " + role + " user must name the unit";
  return "";
}

}  // namespace

Decision UserWorkflow::Decide(const Instance& cur, const Command& cmd,
                              const DecideContext&) const {
  const bool bootstrap = cmd.actor.role == "system";
  if (cmd.name == "login" || cmd.name == "logout" || cmd.name == "set_password") {
    // Recorded by the sign-in service; payload {"ok": false, "why": …} records a failure.
    if (!bootstrap) return Decision::Forbid("only the sign-in service records " + cmd.name);
    if (!cur.exists()) return Decision::Refuse("no user \"" + cmd.instance_id + "\"");
    if (!cmd.payload.value("ok", true)) return Decision::Refuse(cmd.payload.value("why", "refused"));
    if (cmd.name == "login" && cur.state == "disabled") {
      return Decision::Refuse("the user is disabled");
    }
    return Decision::Accept(cur.state, cur.data);
  }
  if (cmd.actor.role != "admin" && !bootstrap) {
    return Decision::Forbid("only an admin manages users");
  }
  if (cmd.name == "create") {
    if (cur.exists()) return Decision::Refuse("user \"" + cur.id + "\" already exists");
    if (auto bad = CheckFields(cmd.payload, kCreateFields); !bad.empty()) {
      return Decision::Refuse(bad);
    }
    const std::string username = cmd.payload.value("username", "");
    if (Status s = CheckUsername(username); !s.ok()) return Decision::Refuse(s.message());
    if (UserInstanceId(username) != cmd.instance_id) {
      return Decision::Refuse("the instance of user \"" + username + "\" is " +
                              UserInstanceId(username));
    }
    const std::string role = cmd.payload.value("role", "");
    const std::string unit = cmd.payload.value("unit", "");
    if (auto bad = CheckRoleAndUnit(role, unit); !bad.empty()) return Decision::Refuse(bad);
    return Decision::Accept("active", Json{{"username", username},
                                           {"role", role},
                                           {"unit", unit},
                                           {"display_name", cmd.payload.value("display_name", "")}});
  }
  if (!cur.exists()) return Decision::Refuse("no user \"" + cmd.instance_id + "\"");
  if (cmd.name == "update") {
    if (auto bad = CheckFields(cmd.payload, kUpdateFields); !bad.empty()) {
      return Decision::Refuse(bad);
    }
    Json data = cur.data;
    for (const auto& [key, value] : cmd.payload.items()) data[key] = value;
    if (auto bad = CheckRoleAndUnit(data.value("role", ""), data.value("unit", ""));
        !bad.empty()) {
      return Decision::Refuse(bad);
    }
    return Decision::Accept(cur.state, std::move(data));
  }
  if (cmd.name == "disable") {
    if (cmd.reason.empty()) return Decision::Refuse("say why the user is disabled");
    if (cur.state == "disabled") return Decision::Refuse("the user is already disabled");
    return Decision::Accept("disabled", cur.data);
  }
  if (cmd.name == "enable") {
    if (cur.state == "active") return Decision::Refuse("the user is already active");
    return Decision::Accept("active", cur.data);
  }
  return Decision::Refuse("users know create, update, disable and enable, not \"" + cmd.name +
                          "\"");
}

Decision AccessWorkflow::Decide(const Instance&, const Command& cmd, const DecideContext&) const {
  return Decision::Forbid(cmd.payload.value("why", std::string("refused")));
}

}  // namespace govassess::workflows
