// A real SMTP server for tests: tests/tools/smtp_sink.py on Debian's python3-aiosmtpd
// as a child process, and Python's email package to decode what it received (an
// independent MIME implementation). Header-only (tests/CMakeLists.txt builds only
// *_test.cc). Not thread-safe.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/adapters/run_process.h"
#include "tests/adapters/temp_dir.h"

namespace govassess::testing {

inline constexpr char kPython[] = "/usr/bin/python3";  // Debian's, where python3-aiosmtpd lives

// Fails the test (not skips it) when the SMTP server's module is missing.
inline void RequireAiosmtpd() {
  const auto r = RunProcess({kPython, "-c", "import aiosmtpd"});
  if (r.exit_code != 0) {
    const std::string why =
        std::string("the SMTP tests need Debian's python3-aiosmtpd for ") + kPython +
        " (./test.sh installs it, or: apt-get install -y python3-aiosmtpd): " + r.err;
    FAIL(why);
  }
}

// tests/tools/smtp_sink.py as a child process on a free port; stopped with SIGTERM
// when it goes out of scope. Messages land in `Received()`.
class SmtpSink {
 public:
  // `options`: smtp_sink.py's flags, e.g. {"--user", "u", "--password", "p"}.
  explicit SmtpSink(const TempDir& dir, const std::vector<std::string>& options = {})
      : messages_path_(dir.Path("received.jsonl")), err_path_(dir.Path("sink.err")) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      const int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) dup2(err, 2);
      std::vector<std::string> words = {
          kPython, std::string(GOVASSESS_SOURCE_DIR) + "/tests/tools/smtp_sink.py", "0",
          messages_path_};
      words.insert(words.end(), options.begin(), options.end());
      std::vector<char*> argv;
      for (auto& w : words) argv.push_back(w.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    out_ = out[0];
    fcntl(out_, F_SETFL, fcntl(out_, F_GETFL) | O_NONBLOCK);
    std::string text;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      char buf[256];
      const ssize_t n = read(out_, buf, sizeof buf);
      if (n > 0) text.append(buf, size_t(n));
      if (n == 0) break;  // it exited
      if (text.find('\n') != std::string::npos) {
        port_ = std::stoi(text);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    Stop();
    std::ifstream err(err_path_);
    std::stringstream why;
    why << err.rdbuf();
    throw std::runtime_error("smtp_sink.py did not start: " + text + why.str());
  }
  ~SmtpSink() { Stop(); }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }

  // One JSON object per accepted message: {"mail_from", "rcpt_tos", "data"}.
  std::vector<nlohmann::json> Received() const {
    std::vector<nlohmann::json> messages;
    std::ifstream in(messages_path_);
    std::string line;
    while (std::getline(in, line)) messages.push_back(nlohmann::json::parse(line));
    return messages;
  }

 private:
  void Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    if (out_ >= 0) close(out_);
    out_ = -1;
  }

  std::string messages_path_, err_path_;
  pid_t pid_ = -1;
  int out_ = -1;
  int port_ = 0;
};

// Decodes a received message with Python's email package (policy=default decodes
// RFC 2047 words and the transfer encoding) and reports what a mail reader shows.
inline nlohmann::json DecodeWithPython(const nlohmann::json& received) {
  static const char kScript[] = R"PY(
import json, sys
from email import message_from_string, policy
record = json.loads(sys.stdin.read())
msg = message_from_string(record["data"], policy=policy.default)
sender = msg["from"].addresses[0]
defects = [repr(d) for d in msg.defects]
for name in msg.keys():
    defects += [name + ": " + repr(d) for d in getattr(msg[name], "defects", ())]
print(json.dumps({
    "subject": str(msg["subject"]),
    "body": msg.get_content().replace("\r\n", "\n"),
    "content_type": msg.get_content_type(),
    "charset": msg.get_content_charset(),
    "transfer_encoding": msg["content-transfer-encoding"],
    "message_id": msg["message-id"],
    "from_name": sender.display_name,
    "from_address": sender.addr_spec,
    "to": [a.addr_spec for a in msg["to"].addresses],
    "date_has_zone": msg["date"].datetime is not None and msg["date"].datetime.utcoffset() is not None,
    "unit": msg["x-govassess-unit"],
    "unit_name": str(msg["x-govassess-unit-name"]),
    "defects": defects,
}, ensure_ascii=False))
)PY";
  const auto r = RunProcess({kPython, "-c", kScript}, received.dump());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace govassess::testing
