// SmtpMailer against a real SMTP server: tests/tools/smtp_sink.py on Debian's
// python3-aiosmtpd (test.sh installs it). What arrived is decoded with Python's email
// package — an independent MIME implementation — and compared with what was sent.
#include "adapters/notify/smtp_mailer.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/adapters/run_process.h"
#include "tests/adapters/smtp_sink.h"
#include "tests/adapters/temp_dir.h"

using govassess::Code;
using govassess::Status;
using govassess::notify::Email;
using govassess::notify::EncodeHeaderWords;
using govassess::notify::SmtpConfig;
using govassess::notify::SmtpMailer;
using govassess::testing::DecodeWithPython;
using govassess::testing::RequireAiosmtpd;
using govassess::testing::RunProcess;
using govassess::testing::SmtpSink;
using govassess::testing::kPython;
using govassess::testing::TempDir;

namespace {

// A port on 127.0.0.1 where nothing listens (bound, then released).
int ClosedPort() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = socket.address().port();
  socket.close();
  return port;
}

SmtpConfig Config(int port) {
  SmtpConfig config;
  config.host = "127.0.0.1";
  config.port = port;
  config.from_address = "pmo@gx.gov.cn";
  config.from_name = "广西壮族自治区绩效办";
  config.timeout_ms = 5000;
  return config;
}

Email Reminder() {
  Email email;
  email.to = {"zhang.san@nanning.gov.cn", "li.si@nanning.gov.cn"};
  email.subject =
      "【提醒】南宁市2026年度绩效考核自评材料将于10月14日（国庆假期后第5个工作日）截止 — "
      "Reminder: self-assessment due 14 October 2026";
  email.text =
      "张三同志：\n"
      "您好！南宁市2026年度绩效考核自评材料须于2026年10月14日17:30前提交。\n"
      ".这一行以英文句点开头（测试 dot-stuffing）。\n"
      "Dear colleague, the self-assessment for Nanning is due on 14 October 2026.\n"
      "链接 / Link: https://govassess.example.gov.cn/instances/plan/2026/gx-nanning\n";
  email.message_id = "reminder/2026/gx-nanning/self-assessment:1";
  email.headers = {{"X-GovAssess-Unit", "gx-nanning"}, {"X-GovAssess-Unit-Name", "南宁市"}};
  return email;
}

}  // namespace

TEST_CASE("SmtpMailer: a Chinese and English reminder arrives intact") {
  RequireAiosmtpd();
  TempDir dir;
  SmtpSink sink(dir);
  const Email email = Reminder();
  const Status sent = SmtpMailer(Config(sink.port())).Send(email);
  INFO(sent.ToString());
  REQUIRE(sent.ok());

  const auto received = sink.Received();
  REQUIRE(received.size() == 1);
  CHECK(received[0]["mail_from"] == "pmo@gx.gov.cn");
  CHECK(received[0]["rcpt_tos"] == nlohmann::json(email.to));
  // What travels is 7-bit with short lines, so no relay has a reason to touch it.
  const std::string raw = received[0]["data"];
  std::istringstream lines(raw);
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    CHECK(line.size() <= 78);
    for (char c : line) CHECK(uint8_t(c) < 128);
  }
  CHECK(raw.find("\r\nAuto-Submitted: auto-generated\r\n") != std::string::npos);

  const nlohmann::json decoded = DecodeWithPython(received[0]);
  INFO(decoded.dump(2));
  CHECK(decoded["defects"].empty());
  CHECK(decoded["subject"] == email.subject);
  CHECK(decoded["body"] == email.text);
  CHECK(decoded["content_type"] == "text/plain");
  CHECK(decoded["charset"] == "utf-8");
  CHECK(decoded["transfer_encoding"] == "base64");
  CHECK(decoded["message_id"] == "<reminder/2026/gx-nanning/self-assessment=3A1@govassess>");
  CHECK(decoded["from_name"] == "广西壮族自治区绩效办");
  CHECK(decoded["from_address"] == "pmo@gx.gov.cn");
  CHECK(decoded["to"] == nlohmann::json(email.to));
  CHECK(decoded["date_has_zone"] == true);
  CHECK(decoded["unit"] == "gx-nanning");
  CHECK(decoded["unit_name"] == "南宁市");

  // Sent again (at-least-once delivery), it carries the same Message-ID.
  REQUIRE(SmtpMailer(Config(sink.port())).Send(email).ok());
  REQUIRE(sink.Received().size() == 2);
  CHECK(DecodeWithPython(sink.Received()[1])["message_id"] == decoded["message_id"]);
}

TEST_CASE("SmtpMailer: signs in with AUTH PLAIN or LOGIN when a username is set") {
  RequireAiosmtpd();
  TempDir dir;
  SmtpSink sink(dir, {"--user", "govassess", "--password", "s3cret-pass 密码"});
  SmtpConfig config = Config(sink.port());
  config.username = "govassess";
  config.password = "s3cret-pass 密码";
  const Status sent = SmtpMailer(config).Send(Reminder());
  INFO(sent.ToString());
  REQUIRE(sent.ok());
  REQUIRE(sink.Received().size() == 1);
  CHECK(DecodeWithPython(sink.Received()[0])["subject"] == Reminder().subject);

  // A server that offers AUTH LOGIN only.
  TempDir login_dir;
  SmtpSink login_only(login_dir,
                      {"--user", "govassess", "--password", "s3cret-pass 密码", "--login-only"});
  config.port = login_only.port();
  const Status via_login = SmtpMailer(config).Send(Reminder());
  INFO(via_login.ToString());
  CHECK(via_login.ok());
  CHECK(login_only.Received().size() == 1);
}

TEST_CASE("SmtpMailer: a refused login is a permanent Unauthenticated failure") {
  RequireAiosmtpd();
  TempDir dir;
  SmtpSink sink(dir, {"--user", "govassess", "--password", "right"});
  SmtpConfig config = Config(sink.port());
  config.username = "govassess";
  config.password = "wrong";
  const Status refused = SmtpMailer(config).Send(Reminder());
  INFO(refused.ToString());
  CHECK(refused.code() == Code::kUnauthenticated);
  CHECK(refused.message().find("535") != std::string::npos);
  CHECK(refused.message().find("127.0.0.1:" + std::to_string(sink.port())) != std::string::npos);
  CHECK(refused.message().find("wrong") == std::string::npos);  // never the password

  // Without a username, a server that requires AUTH answers 530 to MAIL FROM.
  const Status anonymous = SmtpMailer(Config(sink.port())).Send(Reminder());
  INFO(anonymous.ToString());
  CHECK(anonymous.code() == Code::kUnauthenticated);
  CHECK(anonymous.message().find("530") != std::string::npos);
  CHECK(sink.Received().empty());
}

TEST_CASE("SmtpMailer: a 5xx recipient is permanent, a 4xx one is retried") {
  RequireAiosmtpd();
  TempDir dir;
  SmtpSink sink(dir);
  Email email = Reminder();
  email.to = {"zhang.san@nanning.gov.cn", "reject550@nanning.gov.cn"};
  const Status permanent = SmtpMailer(Config(sink.port())).Send(email);
  INFO(permanent.ToString());
  CHECK(permanent.code() == Code::kInvalidArgument);
  CHECK(permanent.message().find("550 5.1.1 mailbox unavailable") != std::string::npos);
  CHECK(permanent.message().find("RCPT TO:<reject550@nanning.gov.cn>") != std::string::npos);

  email.to = {"busy451@nanning.gov.cn"};
  const Status transient = SmtpMailer(Config(sink.port())).Send(email);
  INFO(transient.ToString());
  CHECK(transient.code() == Code::kUnavailable);
  CHECK(transient.message().find("451 4.3.0 try again later") != std::string::npos);
  CHECK(sink.Received().empty());
}

TEST_CASE("SmtpMailer: STARTTLS required but not offered is a permanent error") {
  RequireAiosmtpd();
  TempDir dir;
  SmtpSink sink(dir);
  SmtpConfig config = Config(sink.port());
  config.starttls = true;
  const Status s = SmtpMailer(config).Send(Reminder());
  INFO(s.ToString());
  CHECK(s.code() == Code::kInvalidArgument);
  CHECK(s.message().find("STARTTLS") != std::string::npos);
  CHECK(sink.Received().empty());
}

namespace {

// A self-signed certificate for `name` in `dir` (cert.pem, key.pem), made with openssl.
void MakeCertificate(const std::string& name, const std::string& cert, const std::string& key) {
  const auto made = RunProcess({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=" + name,
                                "-addext", "subjectAltName=DNS:" + name});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);  // openssl comes with ca-certificates
}

// Sends with `cert_file` as the only trusted CA (OpenSSL reads SSL_CERT_FILE when a TLS
// context loads the default CAs), then restores the environment.
Status SendTrusting(const std::string& cert_file, const SmtpConfig& config) {
  const char* old = std::getenv("SSL_CERT_FILE");
  const std::string saved = old ? old : "";
  setenv("SSL_CERT_FILE", cert_file.c_str(), 1);
  const Status s = SmtpMailer(config).Send(Reminder());
  if (old) {
    setenv("SSL_CERT_FILE", saved.c_str(), 1);
  } else {
    unsetenv("SSL_CERT_FILE");
  }
  return s;
}

}  // namespace

TEST_CASE("SmtpMailer: STARTTLS upgrades the session and checks the certificate") {
  RequireAiosmtpd();
  TempDir dir;
  const std::string cert = dir.Path("cert.pem"), key = dir.Path("key.pem");
  MakeCertificate("localhost", cert, key);
  SmtpSink sink(dir,
                {"--user", "govassess", "--password", "pw", "--tls-cert", cert, "--tls-key", key});
  SmtpConfig config = Config(sink.port());
  config.host = "localhost";
  config.starttls = true;
  config.username = "govassess";
  config.password = "pw";

  // A certificate no trusted CA signed: no login, no mail, try again later.
  const Status untrusted = SmtpMailer(config).Send(Reminder());
  INFO(untrusted.ToString());
  CHECK(untrusted.code() == Code::kUnavailable);
  CHECK(untrusted.message().find("STARTTLS") != std::string::npos);
  CHECK(untrusted.message().find("certificate verify failed") != std::string::npos);
  CHECK(sink.Received().empty());

  // Trusted, it goes through: EHLO, STARTTLS, EHLO, AUTH, the mail.
  const Status trusted = SendTrusting(cert, config);
  INFO(trusted.ToString());
  CHECK(trusted.ok());
  REQUIRE(sink.Received().size() == 1);
  CHECK(DecodeWithPython(sink.Received()[0])["body"] == Reminder().text);

  // Trusted, but issued for another name than the server we connect to.
  TempDir other_dir;
  const std::string other_cert = other_dir.Path("cert.pem"), other_key = other_dir.Path("key.pem");
  MakeCertificate("mail.gx.invalid", other_cert, other_key);
  SmtpSink impostor(other_dir, {"--tls-cert", other_cert, "--tls-key", other_key});
  SmtpConfig to_impostor = Config(impostor.port());
  to_impostor.host = "localhost";
  to_impostor.starttls = true;
  const Status wrong_name = SendTrusting(other_cert, to_impostor);
  INFO(wrong_name.ToString());
  CHECK(wrong_name.code() == Code::kUnavailable);
  CHECK(wrong_name.message().find("certificate") != std::string::npos);
  CHECK(impostor.Received().empty());
}

TEST_CASE("SmtpMailer: a server that is not listening or never answers is Unavailable") {
  const Status refused = SmtpMailer(Config(ClosedPort())).Send(Reminder());
  INFO(refused.ToString());
  CHECK(refused.code() == Code::kUnavailable);
  CHECK(refused.message().find("connect") != std::string::npos);

  // Accepts connections (the kernel completes the handshake) but never greets.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  SmtpConfig config = Config(silent.address().port());
  config.timeout_ms = 300;
  const auto start = std::chrono::steady_clock::now();
  const Status timed_out = SmtpMailer(config).Send(Reminder());
  INFO(timed_out.ToString());
  CHECK(timed_out.code() == Code::kUnavailable);
  CHECK(timed_out.message().find("300 ms") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("SmtpMailer: malformed emails are refused before connecting") {
  struct Case {
    const char* what;
    void (*change)(Email&);
    const char* error;
  };
  const std::vector<Case> cases = {
      {"no recipient", [](Email& e) { e.to.clear(); }, "no recipient"},
      {"a recipient smuggling a command", [](Email& e) { e.to = {"a@b.cn>\r\nRCPT TO:<c@d.cn"}; },
       "is not a plain address"},
      {"a display-form recipient", [](Email& e) { e.to = {"张三 <a@b.cn>"}; },
       "is not a plain address"},
      {"no message id", [](Email& e) { e.message_id.clear(); }, "no message_id"},
      {"a subject of two lines", [](Email& e) { e.subject = "a\r\nBcc: x@y.cn"; }, "one line"},
      {"a header the mailer writes",
       [](Email& e) {
         e.headers = {{"from", "x@y.cn"}};
       },
       "written by the mailer"},
      {"a content header",
       [](Email& e) {
         e.headers = {{"Content-Type", "text/html"}};
       },
       "written by the mailer"},
      {"a bad header name",
       [](Email& e) {
         e.headers = {{"X Bad", "v"}};
       },
       "not a valid header name"},
      {"a header value of two lines",
       [](Email& e) {
         e.headers = {{"X-A", "1\nX-B: 2"}};
       },
       "one line"},
  };
  // Nothing listens there: had the mailer connected, the answer would be Unavailable.
  const int port = ClosedPort();
  for (const auto& c : cases) {
    Email email = Reminder();
    c.change(email);
    const Status s = SmtpMailer(Config(port)).Send(email);
    INFO(c.what << ": " << s.ToString());
    CHECK(s.code() == Code::kInvalidArgument);
    CHECK(s.message().find(c.error) != std::string::npos);
  }
  SmtpConfig no_sender = Config(port);
  no_sender.from_address = "";
  CHECK(SmtpMailer(no_sender).Send(Reminder()).code() == Code::kInvalidArgument);
}

TEST_CASE("EncodeHeaderWords keeps short ASCII and splits UTF-8 into whole characters") {
  CHECK(EncodeHeaderWords("Deadline reminder") == "Deadline reminder");
  CHECK(EncodeHeaderWords("looks =?encoded?= but is not") != "looks =?encoded?= but is not");
  const std::string chinese = "南宁市2026年度绩效考核自评材料将于10月14日截止，请及时提交。谢谢！";
  const std::string words = EncodeHeaderWords(chinese);
  size_t count = 0;
  std::istringstream lines(words);
  for (std::string line; std::getline(lines, line); ++count) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (count > 0) {
      REQUIRE(line[0] == ' ');  // folded with CRLF SP
      line.erase(0, 1);
    }
    INFO(line);
    CHECK(line.size() <= 75);
    CHECK(line.rfind("=?UTF-8?B?", 0) == 0);
    CHECK(line.substr(line.size() - 2) == "?=");
  }
  CHECK(count >= 2);
}
