// WebhookPoster: the webhook delivery channel. POSTs a JSON body to a receiver's URL
// over HTTP or HTTPS (Poco HTTPClientSession / HTTPSClientSession), signed so that the
// receiver can check who sent it and when.
//
// What a receiver gets (all deliveries are at least once; drop repeats by the key):
//
//   POST <url>
//   Content-Type: application/json; charset=utf-8
//   User-Agent: GovAssess-Webhook/1
//   X-GovAssess-Delivery: <delivery_id>
//   Idempotency-Key: <delivery_id>
//   X-GovAssess-Timestamp: <unix seconds>
//   X-GovAssess-Signature: sha256=<hex HMAC-SHA-256(secret, timestamp + "." + body)>
//
// and it checks the request with VerifyWebhookSignature below (or the same steps in
// its own language) before trusting the body.
//
// Thread-safe: the poster keeps no state; each Post opens its own connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace govassess::notify {

struct WebhookTarget {
  std::string name;        // [a-z0-9-]{1,40}, for logs and messages
  std::string url;         // http://… or https://… (the certificate is checked)
  std::string secret;      // the HMAC key shared with the receiver; never logged
  int timeout_ms = 10000;  // for connecting, sending and the reply
};

class WebhookPoster {
 public:
  // POSTs `json_body` to `target.url`, signed for `unix_seconds` (the current time).
  //
  // Ok: the receiver answered 2xx.
  // Unavailable (try again later): any other status — the message names it and
  //   quotes the first ~200 bytes of the reply — or no connection, a timeout, a TLS
  //   failure.
  // InvalidArgument: the target's url is not http(s)://host…, the secret is empty, or
  //   delivery_id is empty or not one line of printable ASCII. Nothing was sent.
  Status Post(const WebhookTarget& target, const std::string& delivery_id,
              const std::string& json_body, int64_t unix_seconds) const;
};

// The value of X-GovAssess-Signature for `body` sent at `timestamp` (decimal seconds):
// "sha256=" + HmacSha256Hex(secret, timestamp + "." + body).
std::string WebhookSignature(std::string_view secret, std::string_view timestamp,
                             std::string_view body);

// For receivers: whether a request is authentic and fresh. `timestamp` and
// `header_value` are the X-GovAssess-Timestamp and X-GovAssess-Signature headers as
// received, `body` the raw body bytes, `now_s` the receiver's clock.
// True only if the timestamp is a decimal number of seconds within `tolerance_s` of
// `now_s` (either side: clocks drift) and the signature is "sha256=" followed by the
// HMAC of timestamp + "." + body under `secret`, compared in constant time (hex
// digits in either case). Anything malformed is simply false. Pure and thread-safe.
bool VerifyWebhookSignature(std::string_view secret, std::string_view timestamp,
                            std::string_view body, std::string_view header_value, int64_t now_s,
                            int64_t tolerance_s = 300);

}  // namespace govassess::notify
