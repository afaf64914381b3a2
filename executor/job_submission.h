// job_submission.h - turning workflow documents into queued jobs, and waiting for their results.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nnworkflow/workflow_document.h"
#include "queue/job_queue.h"

namespace dlaaw::executor {

// A validated job ready to queue, with its dataset file's bytes (empty for synthetic data).
struct PreparedJob {
  queue::SubmitRequest request;
  std::string dataset_bytes;
};

struct SubmitSettings {
  std::string resource;  // "" = the document's resource, else any
  bool high_priority = false;
  int max_attempts = 3;
  std::filesystem::path data_dir;
  std::string experiment;  // tracker experiment ("" for none)
};

// Validates `document` and reads its dataset file (catalog files are checked by sha256). Throws
// InvalidInput naming the field; nothing is queued.
PreparedJob prepare_job(const nnworkflow::WorkflowDocument& document,
                        const SubmitSettings& settings);

// Stores each dataset blob once and queues every job in one pipelined round trip.
void submit_jobs(queue::RedisClient& redis, const std::vector<PreparedJob>& jobs);

// Waits until job `id` has ended and returns its result (the result event's JSON). Throws
// JobFailed with the job's last error when it ended in error or was cancelled, and
// ServiceUnavailable when Redis goes away for good.
nlohmann::json wait_for_result(queue::RedisClient& redis, const std::string& id);

}  // namespace dlaaw::executor
