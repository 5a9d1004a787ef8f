// The notifier port: how a reminder leaves the system. The domain decides what to
// send (delivery_workflow.h) and renders it (notice_text.h); an adapter sends it over
// SMTP or HTTP (adapters/notify). Tests plug in a recording fake.
//
// A Notifier is called from the delivery dispatcher's thread only; implementations
// need not be thread-safe unless shared.
#pragma once

#include <string>
#include <vector>

#include "engine/status.h"

namespace govassess::workflows {

struct OutgoingEmail {
  std::vector<std::string> to;
  std::string subject;     // UTF-8
  std::string text;        // UTF-8 plain text
  std::string message_id;  // the delivery's idempotency key, without "<…@host>"
};

struct OutgoingWebhook {
  std::string target;       // the webhook's name; the adapter knows its URL and secret
  std::string delivery_id;  // idempotency key
  std::string body;         // JSON
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  // Ok: the receiver accepted it. Unavailable: try again later. Any other code is
  // permanent (a refused address, an unknown webhook, no SMTP server configured).
  virtual Status SendEmail(const OutgoingEmail& email) = 0;
  virtual Status PostWebhook(const OutgoingWebhook& hook) = 0;
};

}  // namespace govassess::workflows
