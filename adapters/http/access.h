// Who may do what through the HTTP API, and who may see which instance: the one
// place where the API decides authorisation.
//
// Two rules live here:
//  - the action table: role × action (read_instance, list_instances,
//    execute_command, read_audit, read_session, read_workflows, use_calendar,
//    check_duplicates, read_quota, read_deliveries, retry_delivery, issue_password). An
//    action a role may not take is refused by the API with 403 (and journaled).
//  - visibility, per instance type: which instances a principal may know exist. An
//    instance the caller may not see is answered exactly like a missing one (404
//    "no such instance"), so nothing about other units leaks.
// Whether a command is allowed (role, own unit, state) is the domain's decision: the
// API sends every visible command to the engine with the real actor, and the engine
// journals each refusal. The API only blocks what the domain cannot judge: reads and
// visibility.
//
// Pure functions of their arguments; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "adapters/http/auth.h"
#include "engine/types.h"

namespace govassess {

// The actions of the table, in a fixed order.
const std::vector<std::string>& AccessActions();
// The roles of the table, in a fixed order (the brief's roles).
const std::vector<std::string>& AccessRoles();

// Whether `role` may take `action` at all. Unknown roles and actions: false.
bool MayDo(const std::string& role, const std::string& action);
bool MayDo(const Principal& principal, const std::string& action);

// Whether `principal` may know that `instance` exists (read it, list it, address a
// command to it). REQUIRES: instance.exists().
bool MaySee(const Principal& principal, const Instance& instance);

// One line per role for docs and the error details: the actions it may take.
std::string DescribeAccess(const std::string& role);

}  // namespace govassess
