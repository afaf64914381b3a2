// child_process.h - starting, signalling and reaping child processes in tests.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../common/time_scale.h"

extern char** environ;

namespace dlaaw::testing {

// A child process started with posix_spawn; killed (SIGKILL) and reaped if still running when
// the object goes away.
class ChildProcess {
 public:
  // Starts argv[0] with `argv`; stdout and stderr go to `log_file` (appended) when given.
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_file = "") {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (!log_file.empty()) {
      posix_spawn_file_actions_addopen(&actions, 1, log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                       0644);
      posix_spawn_file_actions_adddup2(&actions, 1, 2);
    }
    // posix_spawnp: programs are found on PATH (redis-server may live in .gpu-deps on a GPU box).
    const int rc = posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  }
  ~ChildProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) { ::kill(pid_, sig); }

  // Waits up to `timeout` (stretched by DLAAW_TEST_TIME_SCALE) for the process to exit; returns
  // its exit code, or -1 on timeout (the process keeps running), or 128 + signal when a signal
  // ended it.
  int wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
    while (true) {
      int status = 0;
      const pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (std::chrono::steady_clock::now() > deadline) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

 private:
  pid_t pid_ = -1;
};

}  // namespace dlaaw::testing
