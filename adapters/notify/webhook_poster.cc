#include "adapters/notify/webhook_poster.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <cctype>
#include <istream>
#include <memory>

#include "engine/hmac.h"

namespace govassess::notify {

namespace {

constexpr size_t kQuotedReplyBytes = 200;

bool IsHeaderSafe(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  for (char c : s) {
    if (c < 33 || c > 126) return false;
  }
  return true;
}

// The reply body's start, made printable for a log line: control bytes become spaces.
std::string Quote(std::istream& body) {
  std::string out(kQuotedReplyBytes, '\0');
  body.read(out.data(), std::streamsize(out.size()));
  out.resize(size_t(body.gcount()));
  for (char& c : out) {
    if (uint8_t(c) < 32) c = ' ';
  }
  return out;
}

Poco::Net::Context::Ptr ClientTlsContext() {
  // Checks the receiver's certificate against the system's CAs and its host name.
  // VERIFY_STRICT, not RELAXED: Poco 1.11 skips the host name check for local
  // addresses under RELAXED.
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                Poco::Net::Context::VERIFY_STRICT, 9, true);
}

}  // namespace

std::string WebhookSignature(std::string_view secret, std::string_view timestamp,
                             std::string_view body) {
  std::string message;
  message.reserve(timestamp.size() + 1 + body.size());
  message.append(timestamp).append(".").append(body);
  return "sha256=" + HmacSha256Hex(secret, message);
}

bool VerifyWebhookSignature(std::string_view secret, std::string_view timestamp,
                            std::string_view body, std::string_view header_value, int64_t now_s,
                            int64_t tolerance_s) {
  if (timestamp.empty() || timestamp.size() > 18) return false;
  int64_t sent = 0;
  for (char c : timestamp) {
    if (c < '0' || c > '9') return false;
    sent = sent * 10 + (c - '0');
  }
  const int64_t skew = now_s > sent ? now_s - sent : sent - now_s;
  if (tolerance_s < 0 || skew > tolerance_s) return false;
  constexpr std::string_view kPrefix = "sha256=";
  if (header_value.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string given(header_value.substr(kPrefix.size()));
  for (char& c : given) c = char(std::tolower(uint8_t(c)));
  const std::string expected = WebhookSignature(secret, timestamp, body);
  return ConstantTimeEquals(given, std::string_view(expected).substr(kPrefix.size()));
}

Status WebhookPoster::Post(const WebhookTarget& target, const std::string& delivery_id,
                           const std::string& json_body, int64_t unix_seconds) const {
  const std::string who = "webhook " + target.name;
  if (!IsHeaderSafe(delivery_id)) {
    return Status::InvalidArgument(who +
                                   ": the delivery id must be 1-200 printable ASCII "
                                   "characters without spaces");
  }
  if (target.secret.empty()) return Status::InvalidArgument(who + ": no secret to sign with");
  Poco::URI uri;
  try {
    uri = Poco::URI(target.url);
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument(who + ": the url \"" + target.url +
                                   "\" is not valid: " + e.message());
  }
  const bool https = uri.getScheme() == "https";
  if ((!https && uri.getScheme() != "http") || uri.getHost().empty()) {
    return Status::InvalidArgument(who + ": the url \"" + target.url +
                                   "\" is not http://host… or https://host…");
  }
  std::string path = uri.getPathAndQuery();
  if (path.empty()) path = "/";

  const std::string timestamp = std::to_string(unix_seconds);
  const Poco::Timespan timeout(Poco::Timespan::TimeDiff(target.timeout_ms) * 1000);
  // The url without user information and query: a token there must not reach the logs.
  std::string where = uri.getScheme() + "://" + uri.getHost();
  if (uri.getPort() != (https ? 443 : 80)) where += ":" + std::to_string(uri.getPort());
  where += uri.getPath();
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (https) {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                                ClientTlsContext());
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    session->setTimeout(timeout, timeout, timeout);
    session->setKeepAlive(false);

    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json; charset=utf-8");
    request.setContentLength(std::streamsize(json_body.size()));
    request.set("User-Agent", "GovAssess-Webhook/1");
    request.set("X-GovAssess-Delivery", delivery_id);
    request.set("Idempotency-Key", delivery_id);
    request.set("X-GovAssess-Timestamp", timestamp);
    request.set("X-GovAssess-Signature", WebhookSignature(target.secret, timestamp, json_body));
    std::ostream& out = session->sendRequest(request);
    out.write(json_body.data(), std::streamsize(json_body.size()));
    out.flush();
    if (!out) {
      return Status::Unavailable(who + " (" + where +
                                 "): the request could not be sent; will retry");
    }

    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    const int status = int(response.getStatus());
    if (status >= 200 && status < 300) return Status::Ok();
    return Status::Unavailable(who + " (" + where + ") answered " + std::to_string(status) + " " +
                               response.getReason() + ": \"" + Quote(in) + "\"; will retry");
  } catch (const Poco::TimeoutException&) {
    return Status::Unavailable(who + " (" + where + ") did not answer within " +
                               std::to_string(target.timeout_ms) + " ms; will retry");
  } catch (const Poco::Exception& e) {
    return Status::Unavailable(who + " (" + where + ") could not be reached: " + e.displayText() +
                               "; will retry");
  } catch (const std::exception& e) {
    return Status::Unavailable(who + " (" + where + ") could not be reached: " + e.what() +
                               "; will retry");
  }
}

}  // namespace govassess::notify
