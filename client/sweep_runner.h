// sweep_runner.h - queueing a sweep so that resubmitting it queues only what has not finished,
// and waiting for it with one progress line.
#pragma once

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "nnworkflow/sweep_document.h"
#include "queue/redis_client.h"
#include "resources/resource_registry.h"
#include "results/run_result.h"

namespace dlaaw::client {

struct SweepSubmission {
  std::string experiment;  // the sweep's name: its runs are grouped under it in the tracker
  std::vector<std::string> job_ids;
  std::vector<std::string> labels;
  int queued = 0;                  // new jobs
  int retried = 0;                 // members that had died, queued again
  int skipped = 0;                 // finished or still in flight
  std::set<std::string> unserved;  // queues of new jobs that no executor has ever served
};

// Replaces the resource value "live" by the resources of the live executors (in place); throws
// ServiceUnavailable when there is none.
void expand_live_resources(queue::RedisClient& redis, nnworkflow::SweepDocument& sweep);

// Checks every member (resource and dataset file) before queueing any, then queues each member
// unless its deterministic key (sweep name + parameters, kept in the sweep's index) names a job
// that finished or is still queued/executing; a member whose job died is retried.
SweepSubmission submit_sweep(queue::RedisClient& redis, const nnworkflow::SweepDocument& sweep,
                             const std::filesystem::path& data_dir,
                             const resources::ResourceRegistry& registry);

// Waits until every job has ended (or `give_up` returns true), calling `progress(ended, total)` as
// they do. Returns the results of the finished ones (read per job, in one round trip); a result
// that does not decode is left out with a line on stderr.
std::vector<results::RunResult> wait_for_sweep(queue::RedisClient& redis,
                                               const SweepSubmission& submission,
                                               const std::function<void(int, int)>& progress,
                                               const std::function<bool()>& give_up = {});

// Accuracy (mean ± std) and training time per dataset and resource/backend, as text rows.
std::string comparison_table(const std::vector<results::RunResult>& results);

}  // namespace dlaaw::client
