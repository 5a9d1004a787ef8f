#include "adapters/http/access.h"

#include <map>
#include <set>

namespace govassess {
namespace {

// role → the actions it may take through the API. execute_command means "may send
// commands to the domain": the workflows then decide (and journal) per command —
// e.g. every workflow forbids any write by an auditor, and a unit acts only on its own
// instances.
const std::map<std::string, std::set<std::string>>& Table() {
  static const std::map<std::string, std::set<std::string>> kTable = {
      {"unit",
       {"read_session", "read_workflows", "read_instance", "list_instances", "execute_command",
        "use_calendar"}},
      {"lead_assessor",
       {"read_session", "read_workflows", "read_instance", "list_instances", "execute_command",
        "use_calendar", "check_duplicates", "read_quota"}},
      {"office",
       {"read_session", "read_workflows", "read_instance", "list_instances", "execute_command",
        "read_audit", "use_calendar", "check_duplicates", "read_quota", "read_deliveries",
        "retry_delivery"}},
      {"leader",
       {"read_session", "read_workflows", "read_instance", "list_instances", "execute_command",
        "use_calendar", "check_duplicates", "read_quota"}},
      {"committee",
       {"read_session", "read_workflows", "read_instance", "list_instances", "execute_command",
        "use_calendar", "check_duplicates", "read_quota"}},
      {"auditor",
       {"read_session", "read_workflows", "read_instance", "list_instances", "execute_command",
        "read_audit", "use_calendar", "check_duplicates", "read_quota", "read_deliveries"}},
      {"admin",
       {"read_session", "read_workflows", "read_instance", "list_instances", "execute_command",
        "read_audit", "use_calendar", "check_duplicates", "read_quota", "read_deliveries",
        "retry_delivery", "issue_password"}},
  };
  return kTable;
}

bool SeesEverything(const std::string& role) {
  return role == "office" || role == "leader" || role == "committee" || role == "auditor" ||
         role == "admin";
}

// "plan/2026/city/gx-nanning" → "gx-nanning".
std::string LastSegment(const std::string& id) {
  const auto slash = id.rfind('/');
  return slash == std::string::npos ? id : id.substr(slash + 1);
}

bool ListContains(const Json& list, const std::string& value) {
  if (!list.is_array()) return false;
  for (const auto& v : list) {
    if (v.is_string() && v.get<std::string>() == value) return true;
  }
  return false;
}

std::string StringField(const Json& data, const char* key) {
  if (!data.is_object()) return "";
  auto it = data.find(key);
  return it != data.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

const std::vector<std::string>& AccessActions() {
  static const std::vector<std::string> kActions = {
      "read_session",    "read_workflows",  "read_instance",  "list_instances",
      "execute_command", "read_audit",      "use_calendar",   "check_duplicates",
      "read_quota",      "read_deliveries", "retry_delivery", "issue_password"};
  return kActions;
}

const std::vector<std::string>& AccessRoles() {
  static const std::vector<std::string> kRoles = {"unit",      "lead_assessor", "office", "leader",
                                                  "committee", "auditor",       "admin"};
  return kRoles;
}

bool MayDo(const std::string& role, const std::string& action) {
  auto it = Table().find(role);
  return it != Table().end() && it->second.count(action) > 0;
}

bool MayDo(const Principal& principal, const std::string& action) {
  return MayDo(principal.role, action);
}

bool MaySee(const Principal& p, const Instance& instance) {
  if (!MayDo(p, "read_instance")) return false;
  if (SeesEverything(p.role)) return true;
  const std::string& type = instance.type;
  // Everybody's own user record; the published work plans, the unit directory and the
  // calendar's loaded years.
  if (type == "user") return instance.id == "user/" + p.username;
  // One's own inbox; deliveries (mail addresses, webhook errors) are the office's.
  if (type == "inbox_item") return StringField(instance.data, "user") == p.username;
  if (type == "cycle" || type == "units" || type == "calendar") return true;
  if (p.unit.empty()) return false;
  if (p.role == "unit") {
    if (type == "lifecycle" || type == "notices") return StringField(instance.data, "unit") == p.unit;
    if (type == "plan" || type == "self_assessment") return LastSegment(instance.id) == p.unit;
    return false;
  }
  if (p.role == "lead_assessor") {
    // Lead assessors score indicators of every unit: they read all lifecycles, plans and
    // self-assessment reports.
    if (type == "lifecycle" || type == "plan" || type == "self_assessment") return true;
    if (type == "special_assessment") {
      return StringField(instance.data, "lead") == p.unit ||
             (instance.data.is_object() && instance.data.contains("co_leads") &&
              ListContains(instance.data["co_leads"], p.unit));
    }
    return false;
  }
  return false;
}

std::string DescribeAccess(const std::string& role) {
  std::string out;
  for (const auto& action : AccessActions()) {
    if (MayDo(role, action)) out += (out.empty() ? "" : ", ") + action;
  }
  return out;
}

}  // namespace govassess
