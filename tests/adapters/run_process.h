// RunProcess: run a program as a child process, feed it stdin, and capture its exit
// code, stdout and stderr — for tests that drive the real binaries.
//
// Header-only on purpose: tests/CMakeLists.txt builds only *_test.cc files in a test
// folder, so a helper here must not need its own .cc. POSIX only (fork/exec/poll).
//
// Thread-safety: RunProcess may be called from several threads at once (it keeps no
// state), but fork() in a multi-threaded test process is only safe because the
// child calls nothing but async-signal-safe functions before exec.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace govassess::testing {

struct RunResult {
  int exit_code = -1;    // the exit status; 128 + N when killed by signal N; -1 if not run
  std::string out;       // everything written to stdout
  std::string err;       // everything written to stderr; an exec failure is reported here
  bool started = false;  // false when the pipes or fork failed (err says why)
};

namespace run_process_detail {

inline void CloseIfOpen(int* fd) {
  if (*fd >= 0) ::close(*fd);
  *fd = -1;
}

}  // namespace run_process_detail

// Runs argv[0] with arguments argv[1..] (argv[0] is looked up in PATH when it has no
// '/'), writes `stdin_text` to its stdin and closes it, and waits for it to finish.
// The child inherits the environment. Never throws; see RunResult for failures.
// REQUIRES: !argv.empty().
inline RunResult RunProcess(const std::vector<std::string>& argv,
                            const std::string& stdin_text = "") {
  using run_process_detail::CloseIfOpen;
  RunResult result;
  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 ||
      ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    result.err = std::string("RunProcess: pipe failed: ") + std::strerror(errno);
    for (int* fd :
         {&in_pipe[0], &in_pipe[1], &out_pipe[0], &out_pipe[1], &err_pipe[0], &err_pipe[1]}) {
      CloseIfOpen(fd);
    }
    return result;
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) {
    result.err = std::string("RunProcess: fork failed: ") + std::strerror(errno);
    for (int* fd :
         {&in_pipe[0], &in_pipe[1], &out_pipe[0], &out_pipe[1], &err_pipe[0], &err_pipe[1]}) {
      CloseIfOpen(fd);
    }
    return result;
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls from here on.
    ::dup2(in_pipe[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    ::execvp(args[0], args.data());
    const char* msg = "RunProcess: exec failed: ";
    ssize_t ignored = ::write(STDERR_FILENO, msg, std::strlen(msg));
    const char* why = std::strerror(errno);
    ignored = ::write(STDERR_FILENO, why, std::strlen(why));
    ignored = ::write(STDERR_FILENO, "\n", 1);
    (void)ignored;
    ::_exit(127);
  }
  result.started = true;
  CloseIfOpen(&in_pipe[0]);
  CloseIfOpen(&out_pipe[1]);
  CloseIfOpen(&err_pipe[1]);
  if (stdin_text.empty()) {
    CloseIfOpen(&in_pipe[1]);
  } else {
    // Non-blocking, so that a big stdin never blocks us while the child waits for us
    // to drain its stdout.
    ::fcntl(in_pipe[1], F_SETFL, ::fcntl(in_pipe[1], F_GETFL) | O_NONBLOCK);
  }
  // A child that exits without reading its stdin must not kill us with SIGPIPE.
  struct sigaction ignore_pipe {
  }, old_pipe{};
  ignore_pipe.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore_pipe, &old_pipe);

  size_t written = 0;
  char buf[65536];
  while (out_pipe[0] >= 0 || err_pipe[0] >= 0 || in_pipe[1] >= 0) {
    pollfd fds[3];
    nfds_t n = 0;
    if (in_pipe[1] >= 0) fds[n++] = {in_pipe[1], POLLOUT, 0};
    if (out_pipe[0] >= 0) fds[n++] = {out_pipe[0], POLLIN, 0};
    if (err_pipe[0] >= 0) fds[n++] = {err_pipe[0], POLLIN, 0};
    if (::poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in_pipe[1]) {
        const ssize_t w =
            ::write(in_pipe[1], stdin_text.data() + written, stdin_text.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 && errno != EINTR && errno != EAGAIN) CloseIfOpen(&in_pipe[1]);
        if (written == stdin_text.size()) CloseIfOpen(&in_pipe[1]);
        continue;
      }
      int* fd = fds[i].fd == out_pipe[0] ? &out_pipe[0] : &err_pipe[0];
      std::string& sink = fds[i].fd == out_pipe[0] ? result.out : result.err;
      const ssize_t r = ::read(*fd, buf, sizeof buf);
      if (r > 0) {
        sink.append(buf, static_cast<size_t>(r));
      } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
        CloseIfOpen(fd);
      }
    }
  }
  for (int* fd : {&in_pipe[1], &out_pipe[0], &err_pipe[0]}) CloseIfOpen(fd);
  ::sigaction(SIGPIPE, &old_pipe, nullptr);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return result;
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

}  // namespace govassess::testing
