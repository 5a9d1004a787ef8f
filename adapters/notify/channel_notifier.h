// ChannelNotifier: the notifier port (workflows/notifier.h) over real channels — mail
// through SmtpMailer, webhooks through WebhookPoster — configured by NotifyConfig.
// Also the two things the server does with the configuration at start: the settings
// the domain must know (NotifySettings: which webhooks exist, whether mail is on, the
// digest time, the back-off) and writing them to the notification directory when
// they changed (SyncNotifySettings).
//
// Thread-safe (the mailer and poster open a connection per send).
#pragma once

#include <cstdint>
#include <functional>
#include <map>

#include "adapters/notify/notify_config.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "workflows/notifier.h"

namespace govassess::notify {

class ChannelNotifier final : public workflows::Notifier {
 public:
  // `clock` (not owned) dates webhook signatures.
  ChannelNotifier(const NotifyConfig& config, const Clock* clock);

  // InvalidArgument (permanent) when no SMTP server is configured.
  Status SendEmail(const workflows::OutgoingEmail& email) override;
  // NotFound (permanent) when no webhook of that name is configured.
  Status PostWebhook(const workflows::OutgoingWebhook& hook) override;

 private:
  const std::optional<SmtpMailer> mailer_;
  std::map<std::string, WebhookTarget> webhooks_;
  WebhookPoster poster_;
  const Clock* const clock_;  // not owned
};

// The "configure" payload of the notification directory for `config` (null: the
// server runs without notify configuration: no mail, no webhooks).
nlohmann::json NotifySettings(const NotifyConfig* config);

// Writes `settings` to the notification directory unless it already holds them (so a
// restart journals nothing). Refused/Unavailable as the engine answers.
Status SyncNotifySettings(Engine* engine, const nlohmann::json& settings);

}  // namespace govassess::notify
