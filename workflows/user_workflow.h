// UserWorkflow ("user"): the people who use GovAssess, their role and their unit.
//
// One instance per user, id "user/<username>". The brief's roles: unit,
// lead_assessor, office, leader, committee, auditor, admin. A unit or lead_assessor
// user belongs to a unit (the unit it acts for); the other roles may name one.
// Credentials are not here: passwords and sessions live with the HTTP adapter, so the
// journal — which auditors read — never holds a password hash.
//
// Commands (payload fields in brackets):
//   create   [username, role, unit?, display_name?, email?, language?, digest?]
//                                                    admin, or the system (CLI bootstrap)
//   update   [role?, unit?, display_name?, email?, language?, digest?]   admin
//   set_preferences [email?, language?, digest?]     the user themself, or an admin:
//            where reminders go, in which language ("zh-CN", "en"), and whether mails
//            come one by one or as one daily digest (digest needs an email)
//   add_feed [id, scope: "user"|"unit"]   the sign-in service (role "system") for the
//            user themself, when it hands out the feed's secret link
//   revoke_feed [id]                       the user themself (an admin may revoke
//            anyone's, also a disabled user's). The secret token of a calendar feed is
//            kept hashed by the sign-in service, never in the journal
//   disable  / enable                                 admin (reason required to disable)
//   login / logout / set_password   [ok?, why?, from?, one_time?] the sign-in service (role
//                                   "system"); set_password with one_time marks the user
//                                   must_change_password until the next set_password;
//                                   ok=false journals a refusal (a failed login)
// Every accepted change also rewrites the user's entry in the notification directory
// (notify_directory.h) in the same commit. workflows/command_catalog.h lists these
// commands with their payload schemas.
// Thread-safe (stateless).
#pragma once

#include <string>
#include <vector>

#include "engine/workflow.h"

namespace govassess::workflows {

// The roles of the brief, in a fixed order.
const std::vector<std::string>& Roles();
bool IsRole(const std::string& role);
// Whether a user with this role must belong to a unit.
bool RoleNeedsUnit(const std::string& role);

// "user/<username>".
std::string UserInstanceId(const std::string& username);

// Usernames: 1–64 characters of a–z, 0–9, '.', '_', '-'; starting with a letter or digit.
Status CheckUsername(const std::string& username);

class UserWorkflow final : public Workflow {
 public:
  std::string type() const override { return "user"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;
};

// AccessWorkflow ("access"): the journal's record of requests the API refused before
// they reached a workflow (e.g. a unit asking for the registry's quota). Every command
// is refused with payload.why, so the refusal is journaled and nothing is created;
// the instance id names the action, e.g. "access/read_quota".
class AccessWorkflow final : public Workflow {
 public:
  std::string type() const override { return "access"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;
};

}  // namespace govassess::workflows
