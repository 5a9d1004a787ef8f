// Starts `govassess serve --port 0` as a child process for HTTP tests and stops it with
// SIGTERM (the graceful path) when it goes out of scope. The server's stdout (where the
// request log goes too) is written to a file, so it can never fill a pipe and block.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace govassess::testing {

class ServerProcess {
 public:
  // REQUIRES: GOVASSESS_BUILD_DIR/govassess exists. Throws if the server does not say
  // where it listens within 20 s.
  explicit ServerProcess(const std::vector<std::string>& extra_args) {
    char log_path[] = "/tmp/govassess-server-log-XXXXXX";
    const int log_fd = mkstemp(log_path);
    if (log_fd < 0) throw std::runtime_error("mkstemp");
    log_path_ = log_path;
    pid_ = fork();
    if (pid_ == 0) {
      // Dies with the test: a test that crashes must not leave a server holding ctest's
      // output pipe open (ctest would wait for it until its timeout).
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      dup2(log_fd, 1);
      close(log_fd);
      std::vector<std::string> words = {std::string(GOVASSESS_BUILD_DIR) + "/govassess", "serve",
                                        "--port", "0"};
      words.insert(words.end(), extra_args.begin(), extra_args.end());
      std::vector<char*> argv;
      for (auto& w : words) argv.push_back(w.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(log_fd);
    out_ = open(log_path_.c_str(), O_RDONLY);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    const std::string marker = "listening on http://127.0.0.1:";
    while (std::chrono::steady_clock::now() < deadline) {
      char buf[4096];
      ssize_t n = read(out_, buf, sizeof buf);
      if (n > 0) output_.append(buf, size_t(n));
      auto at = output_.find(marker);
      if (at != std::string::npos && output_.find('\n', at) != std::string::npos) {
        port_ = std::stoi(output_.substr(at + marker.size()));
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    Stop();
    throw std::runtime_error("the server did not start: " + output_);
  }
  ~ServerProcess() { Stop(); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  // What the server printed so far (the request log included).
  std::string Output() {
    char buf[4096];
    ssize_t n;
    while (out_ >= 0 && (n = read(out_, buf, sizeof buf)) > 0) output_.append(buf, size_t(n));
    return output_;
  }

  // SIGTERM and wait; returns the exit status (as waitpid reports it), -1 if gone.
  int Stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    Output();
    if (out_ >= 0) close(out_);
    out_ = -1;
    unlink(log_path_.c_str());
    return status;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string log_path_;
  int port_ = 0;
  std::string output_;
};

}  // namespace govassess::testing
