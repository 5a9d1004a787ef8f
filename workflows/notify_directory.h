// The notification directory: who hears about a deadline, and how.
//
// One instance, id "directory/notify" (type "directory"), holds
//   users     {username: {role, unit, email, language, digest, active}} — kept by the
//             user workflow: every user command that changes a user rewrites its entry
//             in the same commit, so a reminder never reads a stale address;
//   webhooks  [{name, units}] — the integrations that receive every reminder (of the
//             named units; none named: all). Names only: URLs and secrets stay in the
//             server's configuration, out of the journal auditors read;
//   email     whether an SMTP server is configured (no mail deliveries without one);
//   digest_at "HH:MM" Beijing time of the daily digest; retry the delivery back-off.
// The server syncs webhooks/email/digest_at/retry from its configuration with
// "configure" (journaled only when something changed).
//
// Commands: configure [webhooks, email, digest_at, retry]   admin or the system.
// User entries change only through the user workflow (DirectoryUserWrite).
// Thread-safe (stateless functions and workflow).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/workflow.h"

namespace govassess::workflows {

inline constexpr char kNotifyDirectoryId[] = "directory/notify";

// How a failed delivery is retried: first_delay, doubling, at most max_delay, and an
// incident after max_attempts failures in a row.
struct RetryPolicy {
  int max_attempts = 6;
  int64_t first_delay_ms = 60'000;
  int64_t max_delay_ms = 6 * 3'600'000;
  // The delay after the n-th failure in a row (n ≥ 1).
  int64_t DelayAfter(int failures) const;
};

struct WebhookRoute {
  std::string name;
  std::vector<std::string> units;  // empty: every unit
  bool Covers(const std::string& unit) const;
};

struct Contact {
  std::string username, role, unit, email;
  std::string language = "zh-CN";  // "zh-CN" or "en"
  bool digest = false;             // one daily digest instead of single mails
  bool active = true;
};

// The directory's data as values. Missing fields take the defaults above.
struct NotifyDirectory {
  std::vector<Contact> users;  // in username order
  std::vector<WebhookRoute> webhooks;
  bool email = false;
  int digest_at_minutes = 17 * 60 + 30;
  RetryPolicy retry;
};

NotifyDirectory ParseNotifyDirectory(const Json& data);

// The "configure" payload's fields checked: "" when fine, else what is wrong (naming
// the field). Unknown fields are errors.
std::string CheckNotifySettings(const Json& payload);

// The write that puts `entry` (a user's {role, unit, email, language, digest, active})
// under `username` in the directory, or removes it when entry is null. `directory` is
// the directory as the decision loaded it (NotFound: it is created).
InstanceWrite DirectoryUserWrite(const Result<std::shared_ptr<const Instance>>& directory,
                                 const std::string& username, const Json& entry);

class NotifyDirectoryWorkflow final : public Workflow {
 public:
  std::string type() const override { return "directory"; }
  int version() const override { return 1; }
  Decision Decide(const Instance& current, const Command& command,
                  const DecideContext& context) const override;
};

// The workflows of notification: "directory", "inbox_item" and "delivery" (the
// "notices" workflow comes with the assessment workflows).
std::vector<std::unique_ptr<Workflow>> MakeNotificationWorkflows();

}  // namespace govassess::workflows
