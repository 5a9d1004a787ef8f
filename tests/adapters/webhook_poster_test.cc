// WebhookPoster against a real HTTP receiver: a Poco HTTPServer in the test on a free
// port that records every request and answers with a programmed sequence of statuses.
#include "adapters/notify/webhook_poster.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/hmac.h"
#include "tests/adapters/run_process.h"
#include "tests/adapters/temp_dir.h"
#include "tests/adapters/webhook_receiver.h"

using govassess::Code;
using govassess::Status;
using govassess::notify::VerifyWebhookSignature;
using govassess::notify::WebhookPoster;
using govassess::notify::WebhookSignature;
using govassess::notify::WebhookTarget;
using govassess::testing::RunProcess;
using govassess::testing::Receiver;
using govassess::testing::Recorded;
using govassess::testing::TempDir;

namespace {

const char kSecret[] = "a-shared-secret-of-the-oa-bridge";
const char kBody[] =
    R"({"kind":"deadline_reminder","unit":"gx-nanning","title":"自评材料截止提醒","due":"2026-10-14"})";
constexpr int64_t kNow = 1791950400;  // 2026-10-14 04:00 UTC

WebhookTarget Target(int port, const std::string& path = "/hooks/govassess?tenant=gx") {
  WebhookTarget t;
  t.name = "oa-bridge";
  t.url = "http://127.0.0.1:" + std::to_string(port) + path;
  t.secret = kSecret;
  t.timeout_ms = 5000;
  return t;
}

int ClosedPort() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = socket.address().port();
  socket.close();
  return port;
}

}  // namespace

TEST_CASE("WebhookPoster: posts the JSON body signed, with the delivery headers") {
  Receiver receiver({200});
  const Status s = WebhookPoster().Post(Target(receiver.port()), "dlv-2026-000042", kBody, kNow);
  INFO(s.ToString());
  REQUIRE(s.ok());
  const auto requests = receiver.Requests();
  REQUIRE(requests.size() == 1);
  const Recorded& r = requests[0];
  CHECK(r.method == "POST");
  CHECK(r.uri == "/hooks/govassess?tenant=gx");
  CHECK(r.body == kBody);
  CHECK(r.headers.at("Content-Type") == "application/json; charset=utf-8");
  CHECK(r.headers.at("Content-Length") == std::to_string(std::string(kBody).size()));
  CHECK(r.headers.at("User-Agent") == "GovAssess-Webhook/1");
  CHECK(r.headers.at("X-GovAssess-Delivery") == "dlv-2026-000042");
  CHECK(r.headers.at("Idempotency-Key") == "dlv-2026-000042");
  CHECK(r.headers.at("X-GovAssess-Timestamp") == std::to_string(kNow));
  const std::string signature = r.headers.at("X-GovAssess-Signature");
  CHECK(signature ==
        "sha256=" + govassess::HmacSha256Hex(kSecret, std::to_string(kNow) + "." + kBody));
  CHECK(VerifyWebhookSignature(kSecret, r.headers.at("X-GovAssess-Timestamp"), r.body, signature,
                               kNow + 3));
}

TEST_CASE("WebhookPoster: non-2xx answers are Unavailable, the delivery id stays the same") {
  Receiver receiver({500, 503, 200}, std::string(1000, 'x') + " 服务暂不可用");
  const WebhookTarget target = Target(receiver.port());
  const WebhookPoster poster;

  const Status first = poster.Post(target, "dlv-7", kBody, kNow);
  INFO(first.ToString());
  CHECK(first.code() == Code::kUnavailable);
  CHECK(first.message().find("oa-bridge") != std::string::npos);
  CHECK(first.message().find("500") != std::string::npos);
  CHECK(first.message().find(std::string(200, 'x')) != std::string::npos);
  CHECK(first.message().find(std::string(201, 'x')) == std::string::npos);  // only the start
  CHECK(first.message().find("tenant=gx") == std::string::npos);            // no query in messages

  const Status second = poster.Post(target, "dlv-7", kBody, kNow + 60);
  CHECK(second.code() == Code::kUnavailable);
  CHECK(second.message().find("503") != std::string::npos);

  CHECK(poster.Post(target, "dlv-7", kBody, kNow + 180).ok());

  const auto requests = receiver.Requests();
  REQUIRE(requests.size() == 3);
  for (const Recorded& r : requests) {
    CHECK(r.headers.at("Idempotency-Key") == "dlv-7");
    CHECK(VerifyWebhookSignature(kSecret, r.headers.at("X-GovAssess-Timestamp"), r.body,
                                 r.headers.at("X-GovAssess-Signature"), kNow + 180));
  }
  // Each attempt is signed for its own time.
  CHECK(requests[0].headers.at("X-GovAssess-Timestamp") !=
        requests[2].headers.at("X-GovAssess-Timestamp"));

  // Client errors and redirects are not success either.
  Receiver refusing({400, 302});
  CHECK(poster.Post(Target(refusing.port()), "dlv-8", kBody, kNow).code() == Code::kUnavailable);
  CHECK(poster.Post(Target(refusing.port()), "dlv-8", kBody, kNow).code() == Code::kUnavailable);
}

TEST_CASE("VerifyWebhookSignature refuses wrong secrets, tampered bodies and stale times") {
  const std::string ts = std::to_string(kNow);
  const std::string good = WebhookSignature(kSecret, ts, kBody);
  std::string upper = good;
  for (size_t i = 7; i < upper.size(); ++i) upper[i] = char(std::toupper(uint8_t(upper[i])));
  struct Case {
    const char* what;
    std::string secret, timestamp, body, header;
    int64_t now;
    bool valid;
  };
  const std::string body = kBody;
  const std::vector<Case> cases = {
      {"as sent", kSecret, ts, body, good, kNow, true},
      {"upper-case hex", kSecret, ts, body, upper, kNow, true},
      {"received 300 s later", kSecret, ts, body, good, kNow + 300, true},
      {"receiver's clock 300 s behind", kSecret, ts, body, good, kNow - 300, true},
      {"wrong secret", "another-secret-of-16+", ts, body, good, kNow, false},
      {"tampered body", kSecret, ts, body + " ", good, kNow, false},
      {"tampered body, same length", kSecret, ts, std::string(kBody).replace(40, 1, "X"), good,
       kNow, false},
      {"timestamp changed", kSecret, std::to_string(kNow + 1), body, good, kNow, false},
      {"stale: 301 s old", kSecret, ts, body, good, kNow + 301, false},
      {"from the future: 301 s ahead", kSecret, ts, body, good, kNow - 301, false},
      {"no prefix", kSecret, ts, body, good.substr(7), kNow, false},
      {"other algorithm", kSecret, ts, body, "sha1=" + good.substr(7), kNow, false},
      {"truncated", kSecret, ts, body, good.substr(0, good.size() - 1), kNow, false},
      {"empty header", kSecret, ts, body, "", kNow, false},
      {"timestamp not a number", kSecret, "17919504OO", body, good, kNow, false},
      {"negative timestamp", kSecret, "-" + ts, body, good, kNow, false},
      {"empty timestamp", kSecret, "", body, good, kNow, false},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK(VerifyWebhookSignature(c.secret, c.timestamp, c.body, c.header, c.now) == c.valid);
  }
  // A wider tolerance accepts what the default refuses.
  CHECK(VerifyWebhookSignature(kSecret, ts, body, good, kNow + 3600, 3600));
}

TEST_CASE("WebhookPoster: an unreachable or silent receiver is Unavailable") {
  const Status refused = WebhookPoster().Post(Target(ClosedPort()), "dlv-9", kBody, kNow);
  INFO(refused.ToString());
  CHECK(refused.code() == Code::kUnavailable);
  CHECK(refused.message().find("could not be reached") != std::string::npos);

  // Accepts the connection (the kernel does) but never answers.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  WebhookTarget target = Target(silent.address().port());
  target.timeout_ms = 300;
  const auto start = std::chrono::steady_clock::now();
  const Status timed_out = WebhookPoster().Post(target, "dlv-9", kBody, kNow);
  INFO(timed_out.ToString());
  CHECK(timed_out.code() == Code::kUnavailable);
  CHECK(timed_out.message().find("300 ms") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("WebhookPoster: bad targets and delivery ids are refused before sending") {
  Receiver receiver({});
  struct Case {
    const char* what;
    WebhookTarget target;
    std::string delivery_id;
    const char* error;
  };
  WebhookTarget ftp = Target(receiver.port()), no_host = ftp, no_secret = ftp;
  ftp.url = "ftp://127.0.0.1/x";
  no_host.url = "http:///x";
  no_secret.secret.clear();
  const std::vector<Case> cases = {
      {"ftp url", ftp, "dlv-1", "is not http://host"},
      {"no host", no_host, "dlv-1", "is not http://host"},
      {"no secret", no_secret, "dlv-1", "no secret"},
      {"empty delivery id", Target(receiver.port()), "", "delivery id"},
      {"delivery id with a line break", Target(receiver.port()), "dlv-1\r\nX-Evil: 1",
       "delivery id"},
  };
  for (const auto& c : cases) {
    const Status s = WebhookPoster().Post(c.target, c.delivery_id, kBody, kNow);
    INFO(c.what << ": " << s.ToString());
    CHECK(s.code() == Code::kInvalidArgument);
    CHECK(s.message().find(c.error) != std::string::npos);
  }
  CHECK(receiver.Requests().empty());
}

TEST_CASE("WebhookPoster: https checks the receiver's certificate") {
  TempDir dir;
  const std::string cert = dir.Path("cert.pem"), key = dir.Path("key.pem");
  const auto made = RunProcess({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                "-keyout", key, "-out", cert, "-days", "2", "-subj",
                                "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);  // openssl comes with ca-certificates
  Receiver receiver({}, "ok",
                    new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, key, cert, "",
                                           Poco::Net::Context::VERIFY_NONE));
  WebhookTarget target = Target(receiver.port());
  target.url = "https://localhost:" + std::to_string(receiver.port()) + "/hooks/govassess";

  const Status untrusted = WebhookPoster().Post(target, "dlv-tls", kBody, kNow);
  INFO(untrusted.ToString());
  CHECK(untrusted.code() == Code::kUnavailable);
  CHECK(untrusted.message().find("certificate verify failed") != std::string::npos);
  CHECK(receiver.Requests().empty());

  // Trusted (OpenSSL reads SSL_CERT_FILE for the default CAs), the POST goes through.
  const char* old = std::getenv("SSL_CERT_FILE");
  const std::string saved = old ? old : "";
  setenv("SSL_CERT_FILE", cert.c_str(), 1);
  const Status trusted = WebhookPoster().Post(target, "dlv-tls", kBody, kNow);
  if (old) {
    setenv("SSL_CERT_FILE", saved.c_str(), 1);
  } else {
    unsetenv("SSL_CERT_FILE");
  }
  INFO(trusted.ToString());
  CHECK(trusted.ok());
  const auto requests = receiver.Requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].body == kBody);
  CHECK(VerifyWebhookSignature(kSecret, requests[0].headers.at("X-GovAssess-Timestamp"),
                               requests[0].body, requests[0].headers.at("X-GovAssess-Signature"),
                               kNow));
}
