// process_group.cpp - posix_spawn with a clean signal mask, and an orderly stop.
#include "service/process_group.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "common/errors.h"

extern char** environ;

namespace dlaaw::service {
namespace {

// Owns posix_spawn's file actions and attributes.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

void ProcessGroup::start(const std::string& name, const std::vector<std::string>& argv,
                         const std::filesystem::path& log) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&setup.actions, 1, 2);
  // Children start with no blocked signals: a supervisor blocks SIGTERM for its sigwait thread,
  // and a redis-server inheriting that mask would ignore the stop request.
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&setup.attr, &none);
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSIGMASK);
  pid_t pid = -1;
  if (argv.empty() ||
      posix_spawnp(&pid, args[0], &setup.actions, &setup.attr, args.data(), environ) != 0)
    throw ServiceUnavailable("cannot start " + name + (argv.empty() ? "" : " (" + argv[0] + ")"));
  children_.emplace_back(name, pid);
}

void ProcessGroup::stop_all() {
  for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
    kill(it->second, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (waitpid(it->second, nullptr, WNOHANG) == it->second) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (i == 99) {
        kill(it->second, SIGKILL);
        waitpid(it->second, nullptr, 0);
      }
    }
  }
  children_.clear();
}

int free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace dlaaw::service
