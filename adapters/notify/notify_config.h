// NotifyConfig: how the server delivers reminders — the SMTP relay, the webhook
// receivers, the retry schedule and the time of the daily digest. Read from the JSON
// file given to `govassess serve --notify FILE`:
//
//   {
//     "link_base": "https://govassess.example.gov.cn",   // links in messages point here
//     "smtp": {
//       "host": "smtp.gx.gov.cn", "port": 587, "starttls": true,
//       "username": "govassess", "password_env": "GOVASSESS_SMTP_PASSWORD",
//       "from": "pmo@gx.gov.cn", "from_name": "广西绩效办", "timeout_ms": 10000,
//       "helo": "govassess"
//     },
//     "webhooks": [
//       {"name": "oa-bridge", "url": "https://oa.gx.gov.cn/hooks/govassess",
//        "secret_env": "GOVASSESS_OA_SECRET", "units": ["gx-nanning", "gx-liuzhou"],
//        "timeout_ms": 10000}
//     ],
//     "retry": {"max_attempts": 6, "first_delay_seconds": 60, "max_delay_seconds": 21600},
//     "digest_at": "17:30"                                  // Beijing time
//   }
//
// Every field may be left out (the defaults are those of the structs below), except
// that "smtp" needs "from" and a webhook needs "name", "url" and a secret of at least
// 16 characters (webhook names: [a-z0-9-]{1,40}, unique; urls: http:// or https://,
// without user information). Secrets come from environment variables ("password_env",
// "secret_env"); the literal "password" and "secret" are accepted for tests and must
// not be used in production files. Unknown fields are errors, so a misspelt one is
// never silently ignored.
//
// The structs are plain values (thread-compatible); the functions keep no state.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/notify/smtp_mailer.h"
#include "adapters/notify/webhook_poster.h"
#include "engine/status.h"
#include "workflows/notify_directory.h"

namespace govassess::notify {

// When a failed delivery is tried again: the domain's exponential back-off (the file
// gives seconds; the policy keeps milliseconds).
using RetryPolicy = workflows::RetryPolicy;

// A webhook receiver and the units whose reminders it wants.
struct WebhookSubscription {
  WebhookTarget target;
  std::vector<std::string> units;  // unit ids, e.g. "gx-nanning"; empty: every unit

  // Whether reminders about `unit` go to this receiver.
  bool Covers(const std::string& unit) const;
};

struct NotifyConfig {
  std::string link_base;           // "https://…" without a trailing '/'; empty: no links
  std::optional<SmtpConfig> smtp;  // absent: no e-mail is sent
  std::vector<WebhookSubscription> webhooks;
  RetryPolicy retry;
  int digest_minute = 17 * 60 + 30;  // minutes after midnight, Beijing time (UTC+8)
};

// Looks up an environment variable; nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The process's environment (getenv), for EnvLookup.
std::optional<std::string> ProcessEnvironment(const std::string& name);

// Parses and checks a configuration. InvalidArgument names the field and what is
// wrong with it: `webhooks[1].url: must start with http:// or https://, not "ftp://x"`.
// An environment variable that is named but not set (or empty) is an error too.
Result<NotifyConfig> ParseNotifyConfig(const nlohmann::json& json, const EnvLookup& getenv);

// Reads `path` and parses it with the process environment. NotFound when the file
// cannot be read; InvalidArgument (message starting with the path) when it is not
// JSON or not a valid configuration.
Result<NotifyConfig> LoadNotifyConfigFile(const std::string& path,
                                          const EnvLookup& getenv = ProcessEnvironment);

}  // namespace govassess::notify
