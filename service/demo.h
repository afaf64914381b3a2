// demo.h - `dlaaw demo`, the project's main job: a private redis-server, a tracker, one executor
// per resource this machine is, the report server, the paper's sweep next to the PyTorch peer,
// and the comparison; everything it started stops when asked, the database stays.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>

namespace dlaaw::service {

struct DemoOptions {
  bool full = false;  // Table I in full (see PaperSweepOptions)
  int port = 8080;    // the report's; 0 picks a free one
  std::filesystem::path workdir = "dlaaw-demo";
  std::string data_dir;              // "" = $DLAAW_DATA_DIR, else ./data
  bool fetch = true;                 // download the paper's files when they are missing
  std::string mirror;                // where from ("" = their public addresses)
  bool peers = true;                 // train the PyTorch peer when python3-torch is installed
  std::filesystem::path self;        // the dlaaw binary, which the services run as
  std::filesystem::path source_dir;  // the project (examples/paper, bench/torch_peer.py)
};

struct DemoHooks {
  std::function<void(const std::string&)> say;  // one or more lines for the user
  std::function<void(int ended, int total)> progress;
};

// Runs the demo until `stop` is set (after the sweep, it keeps the services up for the report).
// Returns 0. Throws ServiceUnavailable when redis-server, an executor or the report cannot be
// started, InvalidInput for a bad data directory or example.
int run_demo(const DemoOptions& options, const std::atomic<bool>& stop, const DemoHooks& hooks);

}  // namespace dlaaw::service
