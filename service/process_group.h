// process_group.h - the processes a supervisor started, stopped together (newest first).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace dlaaw::service {

// Starts programs with their output appended to a log file and stops them when asked or when
// the group goes away: SIGTERM, then SIGKILL after 10 s.
class ProcessGroup {
 public:
  ProcessGroup() = default;
  ~ProcessGroup() { stop_all(); }
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  // Starts argv[0] (found on PATH) with no blocked signals, stdout and stderr appended to `log`.
  // Throws ServiceUnavailable naming `name` when it cannot be started.
  void start(const std::string& name, const std::vector<std::string>& argv,
             const std::filesystem::path& log);

  // Stops every process, newest first, and waits for each.
  void stop_all();

  // The processes still in the group: name and pid.
  const std::vector<std::pair<std::string, pid_t>>& processes() const { return children_; }

 private:
  std::vector<std::pair<std::string, pid_t>> children_;
};

// A TCP port on 127.0.0.1 that was free when asked.
int free_loopback_port();

}  // namespace dlaaw::service
