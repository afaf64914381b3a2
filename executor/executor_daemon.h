// executor_daemon.h - the executor: pulls jobs for one resource from the queue and trains them.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>

namespace dlaaw::executor {

struct ExecutorOptions {
  std::string redis_url;
  std::string resource;        // required: a resource of the registry
  std::string resources_file;  // user-defined resources (--resources; else $DLAAW_RESOURCES)
  std::string backend = "auto";
  int concurrency = 1;
  std::chrono::milliseconds lease{30000};
  bool allow_mismatch = false;
  std::filesystem::path cache_dir;  // dataset blobs; default $XDG_CACHE_HOME or ~/.cache/dlaaw
  int threads = 0;                  // CPU threads per job; 0: the resource's default (else all)
  double watchdog_seconds = 0;      // GPU: no epoch for this long fails a job; 0: 60 s
};

// Runs until `stop` is set: registers itself with what it has (device, backend, versions),
// serves dlaaw:queue:<resource> and dlaaw:queue:any with `concurrency` workers, heartbeats its
// leases and registration, reaps expired leases, publishes progress and results to dlaaw:events,
// honours cancellation between epochs. On stop it takes no more work, hands back the jobs in hand
// (requeued, the attempt not counted), deregisters and returns 0. A job that throws is recorded
// as an error; the executor goes on, except after a device failure, when it returns 1 so that it
// can be restarted.
// Throws InvalidInput for an unknown resource, options that do not fit, or a machine that does not
// meet the resource's requirements (unless allow_mismatch); ServiceUnavailable when Redis cannot
// be reached at start.
int run_executor(const ExecutorOptions& options, const std::atomic<bool>& stop);

}  // namespace dlaaw::executor
