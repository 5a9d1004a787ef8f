#include "workflows/notify_directory.h"

#include <algorithm>
#include <set>

#include "engine/canonical_json.h"
#include "workflows/delivery_workflow.h"
#include "workflows/inbox_workflow.h"

namespace govassess::workflows {

int64_t RetryPolicy::DelayAfter(int failures) const {
  int64_t delay = first_delay_ms;
  for (int i = 1; i < failures && delay < max_delay_ms; ++i) delay *= 2;
  return std::min(delay, max_delay_ms);
}

bool WebhookRoute::Covers(const std::string& unit) const {
  return units.empty() || std::find(units.begin(), units.end(), unit) != units.end();
}

namespace {

int ParseHhMm(const std::string& s) {
  if (s.size() != 5 || s[2] != ':') return -1;
  for (int i : {0, 1, 3, 4}) {
    if (s[i] < '0' || s[i] > '9') return -1;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  return h < 24 && m < 60 ? h * 60 + m : -1;
}

bool IsWebhookName(const std::string& name) {
  if (name.empty() || name.size() > 40) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

NotifyDirectory ParseNotifyDirectory(const Json& data) {
  NotifyDirectory d;
  if (!data.is_object()) return d;
  if (auto it = data.find("users"); it != data.end() && it->is_object()) {
    for (const auto& [name, e] : it->items()) {
      Contact c;
      c.username = name;
      c.role = e.value("role", "");
      c.unit = e.value("unit", "");
      c.email = e.value("email", "");
      c.language = e.value("language", "zh-CN");
      c.digest = e.value("digest", false);
      c.active = e.value("active", true);
      d.users.push_back(std::move(c));
    }
  }
  if (auto it = data.find("webhooks"); it != data.end() && it->is_array()) {
    for (const Json& w : *it) {
      d.webhooks.push_back({w.value("name", ""), w.value("units", std::vector<std::string>{})});
    }
  }
  d.email = data.value("email", false);
  if (int m = ParseHhMm(data.value("digest_at", "")); m >= 0) d.digest_at_minutes = m;
  if (auto it = data.find("retry"); it != data.end() && it->is_object()) {
    d.retry.max_attempts = it->value("max_attempts", d.retry.max_attempts);
    d.retry.first_delay_ms = it->value("first_delay_ms", d.retry.first_delay_ms);
    d.retry.max_delay_ms = it->value("max_delay_ms", d.retry.max_delay_ms);
  }
  return d;
}

std::string CheckNotifySettings(const Json& p) {
  if (!p.is_object()) return "the settings are a JSON object";
  static const std::set<std::string> kFields = {"webhooks", "email", "digest_at", "retry"};
  for (const auto& [key, value] : p.items()) {
    if (!kFields.count(key)) return "unknown field \"" + key + "\"";
  }
  if (auto it = p.find("webhooks"); it != p.end()) {
    if (!it->is_array()) return "webhooks is a list of {name, units}";
    std::set<std::string> names;
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& w = (*it)[i];
      const std::string at = "webhooks[" + std::to_string(i) + "]";
      if (!w.is_object()) return at + " is an object {name, units}";
      for (const auto& [key, value] : w.items()) {
        if (key != "name" && key != "units") return at + ": unknown field \"" + key + "\"";
      }
      const Json& name = Member(w, "name");
      if (!name.is_string() || !IsWebhookName(name.get<std::string>())) {
        return at + ".name: 1 to 40 of a-z, 0-9 and '-'";
      }
      if (!names.insert(name.get<std::string>()).second) {
        return at + ".name: \"" + name.get<std::string>() + "\" is named twice";
      }
      const Json units = w.value("units", Json::array());
      if (!units.is_array()) return at + ".units is a list of unit ids";
      for (const Json& u : units) {
        if (!u.is_string() || u.get<std::string>().empty()) return at + ".units holds unit ids";
      }
    }
  }
  if (auto it = p.find("email"); it != p.end() && !it->is_boolean()) return "email is true or false";
  if (auto it = p.find("digest_at"); it != p.end()) {
    if (!it->is_string() || ParseHhMm(it->get<std::string>()) < 0) {
      return "digest_at is a Beijing time \"HH:MM\", e.g. \"17:30\"";
    }
  }
  if (auto it = p.find("retry"); it != p.end()) {
    if (!it->is_object()) return "retry is {max_attempts, first_delay_ms, max_delay_ms}";
    for (const auto& [key, value] : it->items()) {
      if (key != "max_attempts" && key != "first_delay_ms" && key != "max_delay_ms") {
        return "retry: unknown field \"" + key + "\"";
      }
      if (!value.is_number_integer() || value.get<int64_t>() < 1) {
        return "retry." + key + " is a whole number ≥ 1";
      }
    }
    if (it->value("max_attempts", 1) > 100) return "retry.max_attempts is at most 100";
  }
  return "";
}

InstanceWrite DirectoryUserWrite(const Result<std::shared_ptr<const Instance>>& directory,
                                 const std::string& username, const Json& entry) {
  InstanceWrite w;
  if (directory.ok()) {
    w.after = **directory;
    w.expected_version = (*directory)->version;
  } else {
    w.after.id = kNotifyDirectoryId;
    w.after.type = "directory";
    w.after.state = "active";
    w.after.data = Json::object();
    w.expected_version = 0;
  }
  Json& users = w.after.data["users"];
  if (!users.is_object()) users = Json::object();
  if (entry.is_null()) {
    users.erase(username);
  } else {
    users[username] = entry;
  }
  return w;
}

Decision NotifyDirectoryWorkflow::Decide(const Instance& cur, const Command& cmd,
                                         const DecideContext&) const {
  if (cmd.name != "configure") {
    return Decision::Refuse("the notification directory knows configure, not \"" + cmd.name +
                            "\"; users change through user commands");
  }
  if (cmd.actor.role != "system" && cmd.actor.role != "admin") {
    return Decision::Forbid("only an admin or the server configures notifications");
  }
  if (std::string bad = CheckNotifySettings(cmd.payload); !bad.empty()) {
    return Decision::Refuse(bad);
  }
  Json data = cur.exists() ? cur.data : Json{{"users", Json::object()}};
  for (const auto& [key, value] : cmd.payload.items()) data[key] = value;
  if (cur.exists() && data == cur.data) {
    return Decision::Refuse("the notification settings are already these");
  }
  return Decision::Accept("active", std::move(data));
}

std::vector<std::unique_ptr<Workflow>> MakeNotificationWorkflows() {
  std::vector<std::unique_ptr<Workflow>> v;
  v.push_back(std::make_unique<NotifyDirectoryWorkflow>());
  v.push_back(std::make_unique<InboxItemWorkflow>());
  v.push_back(std::make_unique<DeliveryWorkflow>());
  return v;
}

}  // namespace govassess::workflows
