// exit_codes.h - the process exit codes of `dlaaw`, and the one place errors turn into them.
#pragma once

#include <functional>

namespace dlaaw::cli {

enum ExitCode : int {
  kSuccess = 0,
  kJobFailed = 1,
  kBadInput = 2,
  kServiceUnavailable = 3,
};

// Runs `command`, printing any error as one line "dlaaw: error: ..." on stderr and mapping its type
// to an exit code (InvalidInput 2, ServiceUnavailable 3, anything else 1).
int run_guarded(const std::function<int()>& command);

}  // namespace dlaaw::cli
