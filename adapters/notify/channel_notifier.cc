#include "adapters/notify/channel_notifier.h"

namespace govassess::notify {

ChannelNotifier::ChannelNotifier(const NotifyConfig& config, const Clock* clock)
    : mailer_(config.smtp ? std::optional<SmtpMailer>(SmtpMailer(*config.smtp)) : std::nullopt),
      clock_(clock) {
  for (const WebhookSubscription& w : config.webhooks) webhooks_[w.target.name] = w.target;
}

Status ChannelNotifier::SendEmail(const workflows::OutgoingEmail& e) {
  if (!mailer_) {
    return Status::InvalidArgument("no SMTP server is configured (serve --notify FILE, \"smtp\")");
  }
  Email mail;
  mail.to = e.to;
  mail.subject = e.subject;
  mail.text = e.text;
  mail.message_id = e.message_id;
  mail.headers = {{"X-GovAssess-Delivery", e.message_id}};
  return mailer_->Send(mail);
}

Status ChannelNotifier::PostWebhook(const workflows::OutgoingWebhook& h) {
  auto it = webhooks_.find(h.target);
  if (it == webhooks_.end()) {
    return Status::NotFound("no webhook \"" + h.target + "\" is configured any more");
  }
  return poster_.Post(it->second, h.delivery_id, h.body, clock_->NowMs() / 1000);
}

nlohmann::json NotifySettings(const NotifyConfig* config) {
  const NotifyConfig defaults;
  const NotifyConfig& c = config ? *config : defaults;
  nlohmann::json hooks = nlohmann::json::array();
  for (const WebhookSubscription& w : c.webhooks) {
    hooks.push_back({{"name", w.target.name}, {"units", w.units}});
  }
  const int h = (c.digest_minute / 60) % 24, m = c.digest_minute % 60;
  const std::string at = std::string(1, char('0' + h / 10)) + char('0' + h % 10) + ":" +
                         char('0' + m / 10) + char('0' + m % 10);
  return {{"webhooks", hooks},
          {"email", c.smtp.has_value()},
          {"digest_at", at},
          {"retry",
           {{"max_attempts", c.retry.max_attempts},
            {"first_delay_ms", c.retry.first_delay_ms},
            {"max_delay_ms", c.retry.max_delay_ms}}}};
}

Status SyncNotifySettings(Engine* engine, const nlohmann::json& settings) {
  auto current = engine->store()->Get(workflows::kNotifyDirectoryId);
  if (current.ok()) {
    bool same = true;
    for (const auto& [key, value] : settings.items()) {
      same = same && current->data.contains(key) && current->data[key] == value;
    }
    if (same) return Status::Ok();
  } else if (!current.status().IsNotFound()) {
    return current.status();
  } else if (settings == NotifySettings(nullptr)) {
    return Status::Ok();  // no directory yet means exactly these defaults
  }
  Command c;
  c.instance_id = workflows::kNotifyDirectoryId;
  c.type = "directory";
  c.name = "configure";
  c.actor = Actor::System("serve");
  c.reason = "the server's notify configuration";
  c.payload = settings;
  auto r = engine->Execute(c);
  if (!r.ok()) return r.status();
  return r->accepted ? Status::Ok() : r->refusal;
}

}  // namespace govassess::notify
