#include "workflows/user_workflow.h"

#include <algorithm>
#include <set>

#include "workflows/notify_directory.h"

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

const std::set<std::string> kCreateFields = {"username", "role",     "unit",  "display_name",
                                              "email",    "language", "digest"};
const std::set<std::string> kUpdateFields = {"role", "unit", "display_name", "email", "language",
                                              "digest"};
const std::set<std::string> kPreferenceFields = {"email", "language", "digest"};

// A plausible mail address: one '@', something on both sides, a dot in the domain, no
// spaces or control characters (a CR/LF would inject mail headers), at most 254 bytes.
bool IsEmailAddress(const std::string& e) {
  const size_t at = e.find('@');
  if (e.size() > 254 || at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos) {
    return false;
  }
  const std::string domain = e.substr(at + 1);
  if (domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.') {
    return false;
  }
  for (unsigned char c : e) {
    if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') return false;
  }
  return true;
}

// Refusal text for a payload field that is not expected or not of its type ("" if fine).
std::string CheckFields(const Json& payload, const std::set<std::string>& allowed) {
  for (const auto& [key, value] : payload.items()) {
    if (!allowed.count(key)) return "unknown field \"" + key + "\"";
    if (key == "digest") {
      if (!value.is_boolean()) return "field \"digest\" must be true or false";
      continue;
    }
    if (!value.is_string()) return "field \"" + key + "\" must be a string";
    const std::string text = value.get<std::string>();
    if (key == "email" && !text.empty() && !IsEmailAddress(text)) {
      return "email \"" + text + "\" is not a mail address (name@example.gov.cn); empty removes it";
    }
    if (key == "language" && text != "zh-CN" && text != "en") {
      return "language is \"zh-CN\" or \"en\", not \"" + text + "\"";
    }
  }
  return "";
}

// The user's entry in the notification directory.
Json DirectoryEntry(const Json& data, bool active) {
  return Json{{"role", data.value("role", "")},
              {"unit", data.value("unit", "")},
              {"email", data.value("email", "")},
              {"language", data.value("language", "zh-CN")},
              {"digest", data.value("digest", false)},
              {"active", active}};
}

// Accepts `state`/`data` for user `username` and rewrites its directory entry.
Decision AcceptUser(const DecideContext& ctx, const std::string& username, std::string state,
                    Json data) {
  Decision d = Decision::Accept(std::move(state), std::move(data));
  const auto directory = ctx.load_shared(kNotifyDirectoryId);
  Json entry = DirectoryEntry(d.data, d.state == "active");
  if (directory.ok()) {
    // Unchanged (e.g. a new display name): no write, so user updates do not queue on
    // the one directory instance.
    const Json& data = (*directory)->data;
    if (auto users = data.find("users"); users != data.end() && users->is_object()) {
      if (auto mine = users->find(username); mine != users->end() && *mine == entry) return d;
    }
  }
  d.other_writes.push_back(DirectoryUserWrite(directory, username, entry));
  return d;
}

std::string CheckRoleAndUnit(const std::string& role, const std::string& unit) {
  if (!IsRole(role)) {
    return "unknown role \"" + role +
           "\"; roles are unit, lead_assessor, office, leader, committee, auditor, admin";
  }
  if (RoleNeedsUnit(role) && unit.empty()) return "a " + role + " user must name the unit";
  return "";
}

// Calendar feeds: the user's subscriptions. The secret token lives with the sign-in
// service (hashed); the journal records only that a feed exists, its scope and id.
Decision DecideFeed(const Instance& cur, const Command& cmd, int64_t now_ms) {
  if (!cur.exists()) return Decision::Refuse("no user \"" + cmd.instance_id + "\"");
  const bool self = cmd.actor.user == cur.data.value("username", "");
  const bool revoke = cmd.name == "revoke_feed";
  if (!revoke && cmd.actor.role != "system") {
    // The sign-in service records a feed when it hands out the secret link (POST
    // /api/v1/feeds), on behalf of the user; a feed recorded otherwise has no link.
    return Decision::Forbid("calendar feeds are added with POST /api/v1/feeds, which also "
                            "hands out their secret link");
  }
  if (!self && !(revoke && cmd.actor.role == "admin")) {
    return Decision::Forbid("users manage their own calendar feeds (an admin may revoke one)");
  }
  // A disabled user's feeds stop answering; they can still be revoked (by an admin).
  if (cur.state != "active" && !revoke) return Decision::Refuse("the user is disabled");
  const std::string id = cmd.payload.value("id", "");
  if (id.size() < 8 || id.size() > 64) return Decision::Refuse("payload.id names the feed");
  Json data = cur.data;
  Json& feeds = data["feeds"];
  if (!feeds.is_array()) feeds = Json::array();
  auto found = std::find_if(feeds.begin(), feeds.end(),
                            [&](const Json& f) { return f.value("id", "") == id; });
  if (revoke) {
    if (found == feeds.end()) return Decision::Refuse("no calendar feed " + id);
    feeds.erase(found);
    return Decision::Accept(cur.state, std::move(data));
  }
  if (found != feeds.end()) return Decision::Refuse("calendar feed " + id + " exists already");
  const std::string scope = cmd.payload.value("scope", "");
  if (scope != "user" && scope != "unit") return Decision::Refuse("a feed's scope is user or unit");
  if (scope == "unit" && cur.data.value("unit", "").empty()) {
    return Decision::Refuse("a unit feed needs a user who belongs to a unit");
  }
  if (feeds.size() >= 10) return Decision::Refuse("at most 10 calendar feeds; revoke one first");
  feeds.push_back({{"id", id},
                   {"scope", scope},
                   {"subject", scope == "unit" ? cur.data.value("unit", "") : cur.data.value("username", "")},
                   {"created_ms", now_ms}});
  return Decision::Accept(cur.state, std::move(data));
}

}  // namespace

Decision UserWorkflow::Decide(const Instance& cur, const Command& cmd,
                              const DecideContext& ctx) const {
  const bool bootstrap = cmd.actor.role == "system";
  if (cmd.name == "login" || cmd.name == "logout" || cmd.name == "set_password") {
    // Recorded by the sign-in service; payload {"ok": false, "why": …} records a failure.
    if (!bootstrap) return Decision::Forbid("only the sign-in service records " + cmd.name);
    if (!cur.exists()) return Decision::Refuse("no user \"" + cmd.instance_id + "\"");
    if (!cmd.payload.value("ok", true)) return Decision::Refuse(cmd.payload.value("why", "refused"));
    if (cmd.name == "login" && cur.state == "disabled") {
      return Decision::Refuse("the user is disabled");
    }
    Json data = cur.data;
    if (cmd.name == "set_password") {
      // A one-time password (handed out by an admin) must be changed after signing in.
      if (cmd.payload.value("one_time", false)) {
        data["must_change_password"] = true;
      } else {
        data.erase("must_change_password");
      }
    }
    return Decision::Accept(cur.state, std::move(data));
  }
  if (cmd.name == "set_preferences") {
    // A user's own contact and delivery choices; an admin may set them too.
    const bool self = cur.exists() && cmd.actor.user == cur.data.value("username", "");
    if (!self && cmd.actor.role != "admin" && !bootstrap) {
      return Decision::Forbid("users set their own preferences (or an admin does)");
    }
    if (!cur.exists()) return Decision::Refuse("no user \"" + cmd.instance_id + "\"");
    if (auto bad = CheckFields(cmd.payload, kPreferenceFields); !bad.empty()) {
      return Decision::Refuse(bad);
    }
    if (cmd.payload.empty()) return Decision::Refuse("name at least one of email, language, digest");
    Json data = cur.data;
    for (const auto& [key, value] : cmd.payload.items()) data[key] = value;
    if (data.value("digest", false) && data.value("email", "").empty()) {
      return Decision::Refuse("a daily digest is mailed: set an email address first");
    }
    return AcceptUser(ctx, cur.data.value("username", ""), cur.state, std::move(data));
  }
  if (cmd.name == "add_feed" || cmd.name == "revoke_feed") return DecideFeed(cur, cmd, ctx.now_ms);
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
    Json data{{"username", username},
              {"role", role},
              {"unit", unit},
              {"display_name", cmd.payload.value("display_name", "")}};
    for (const char* key : {"email", "language", "digest"}) {
      if (cmd.payload.contains(key)) data[key] = cmd.payload[key];
    }
    return AcceptUser(ctx, username, "active", std::move(data));
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
    return AcceptUser(ctx, cur.data.value("username", ""), cur.state, std::move(data));
  }
  if (cmd.name == "disable") {
    if (cmd.reason.empty()) return Decision::Refuse("say why the user is disabled");
    if (cur.state == "disabled") return Decision::Refuse("the user is already disabled");
    return AcceptUser(ctx, cur.data.value("username", ""), "disabled", cur.data);
  }
  if (cmd.name == "enable") {
    if (cur.state == "active") return Decision::Refuse("the user is already active");
    return AcceptUser(ctx, cur.data.value("username", ""), "active", cur.data);
  }
  return Decision::Refuse(
      "users know create, update, set_preferences, add_feed, revoke_feed, disable, enable, "
      "login, logout and set_password, not \"" +
      cmd.name + "\"");
}

Decision AccessWorkflow::Decide(const Instance&, const Command& cmd, const DecideContext&) const {
  return Decision::Forbid(cmd.payload.value("why", std::string("refused")));
}

}  // namespace govassess::workflows
