// job_submission.h - turning workflow documents into queued jobs, and waiting for their results.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "nnworkflow/workflow_validation.h"
#include "queue/job_queue.h"
#include "resources/resource_registry.h"
#include "results/run_result.h"

namespace dlaaw::client {

// A job ready to queue, with its dataset file's bytes (empty for synthetic data).
struct PreparedJob {
  queue::SubmitRequest request;
  std::string dataset_bytes;
};

// The most $DLAAW_MAX_BLOB_MB may allow: Redis' proto-max-bulk-len is 512 MB, past which the
// server drops the connection, and a blob travels with some overhead.
inline constexpr std::size_t kBlobCeilingMegabytes = 400;

// The largest dataset blob submit accepts: $DLAAW_MAX_BLOB_MB megabytes (0 to the ceiling), else
// 256 MB. Throws InvalidInput naming the variable for any other value.
std::size_t default_max_blob_bytes();

struct SubmitSettings {
  std::string resource;  // "" = the document's resource, else any
  bool high_priority = false;
  int max_attempts = 3;
  std::filesystem::path data_dir;
  std::string experiment;  // tracker experiment ("" for none)
  std::size_t max_blob_bytes = default_max_blob_bytes();
};

// Checks the job's resource against `registry` and reads its dataset file once (hashed once;
// catalog files are checked by sha256). The document was validated where it was read. Throws
// InvalidInput naming the field, or the file when it is larger than settings.max_blob_bytes;
// nothing is queued.
PreparedJob prepare_job(const nnworkflow::ValidWorkflow& workflow, const SubmitSettings& settings,
                        const resources::ResourceRegistry& registry);

// Stores each dataset blob once and queues every job in one pipelined round trip. Returns the
// queues of these jobs that no executor has ever served (worth a warning: the jobs wait until
// one starts).
std::set<std::string> submit_jobs(queue::RedisClient& redis, const std::vector<PreparedJob>& jobs);

// Waits until job `id` has ended and returns its result (stored with the finish transition).
// Throws NotFound for an unknown id, JobFailed with the job's last error when it ended in error or
// was cancelled (or its result expired), InvalidInput when the stored result does not decode, and
// ServiceUnavailable when Redis goes away for good.
results::RunResult wait_for_result(queue::RedisClient& redis, const std::string& id);

}  // namespace dlaaw::client
