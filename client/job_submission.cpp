// job_submission.cpp - preparing, queueing and awaiting jobs.
#include "client/job_submission.h"

#include "common/errors.h"
#include "datasets/catalog.h"
#include "datasets/dataset_loader.h"
#include "executor/memory_budget.h"
#include "nnworkflow/workflow_json.h"
#include "queue/blob_store.h"
#include "queue/executor_registry.h"
#include "queue/job_id.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>

namespace dlaaw::client {

std::size_t default_max_blob_bytes() {
  std::size_t megabytes = 256;
  if (const char* env = std::getenv("DLAAW_MAX_BLOB_MB"); env && *env) {
    const std::string text = env;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), megabytes);
    if (ec != std::errc() || end != text.data() + text.size() || megabytes > kBlobCeilingMegabytes)
      throw InvalidInput("DLAAW_MAX_BLOB_MB: \"" + text +
                         "\" is not a whole number of megabytes from 0 to " +
                         std::to_string(kBlobCeilingMegabytes));
  }
  return megabytes << 20;
}

namespace {

// Checked from the file's size, before its bytes are read: a 10 GB file must not fill memory
// only to be refused.
void check_blob_size(const std::filesystem::path& path, std::size_t max_bytes) {
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  if (ec || bytes <= max_bytes) return;  // an unreadable file is named by the reader
  throw InvalidInput("dataset: " + path.string() + " is " + std::to_string(bytes >> 20) +
                     " MB, over the blob limit of " + std::to_string(max_bytes >> 20) +
                     " MB (DLAAW_MAX_BLOB_MB raises it up to " +
                     std::to_string(kBlobCeilingMegabytes) +
                     "; a larger dataset belongs on the executor's disk)");
}

}  // namespace

PreparedJob prepare_job(const nnworkflow::ValidWorkflow& workflow, const SubmitSettings& s,
                        const resources::ResourceRegistry& registry) {
  const nnworkflow::WorkflowDocument& doc = workflow;
  executor::check_network_limits(doc.network);  // before anything is read or queued
  PreparedJob p;
  p.request.id = queue::new_job_id();
  p.request.name = doc.name;
  p.request.document = nnworkflow::workflow_to_json(doc).dump();
  p.request.resource =
      !s.resource.empty() ? s.resource : doc.resource.value_or(resources::kAnyQueue);
  registry.require_queue(p.request.resource, s.resource.empty() ? "resource" : "--resource");
  p.request.high_priority = s.high_priority;
  p.request.max_attempts = s.max_attempts;
  p.request.experiment = s.experiment;
  if (const auto path = datasets::dataset_file_path(doc.dataset, s.data_dir))
    check_blob_size(*path, s.max_blob_bytes);
  if (auto file = datasets::read_dataset_file(doc.dataset, s.data_dir)) {
    // Only the file's own name travels: executors accept a plain name and nothing else.
    const std::filesystem::path name = doc.dataset.catalog
                                           ? datasets::find_in_catalog(*doc.dataset.catalog)->file
                                           : *doc.dataset.path;
    p.request.dataset_file = name.filename().string();
    p.request.dataset_sha256 = file->sha256;
    p.dataset_bytes = std::move(file->bytes);
  }
  return p;
}

std::set<std::string> submit_jobs(queue::RedisClient& redis, const std::vector<PreparedJob>& jobs) {
  std::set<std::string> stored;
  std::vector<queue::SubmitRequest> requests;
  for (const auto& j : jobs) {
    if (!j.dataset_bytes.empty() && stored.insert(j.request.dataset_sha256).second) {
      queue::put_blob(redis, j.request.dataset_sha256, j.dataset_bytes);
    }
    requests.push_back(j.request);
  }
  queue::JobQueue(redis).submit(requests);
  const auto served = queue::served_resources(redis);
  std::set<std::string> unserved;
  for (const auto& r : requests) {
    if (!served.count(r.resource)) unserved.insert(r.resource);
  }
  return unserved;
}

results::RunResult wait_for_result(queue::RedisClient& redis, const std::string& id) {
  queue::JobQueue jobs(redis);
  if (!jobs.state(id)) throw NotFound("job " + id + ": unknown id");
  std::map<std::string, std::string> ended;
  jobs.wait_until_ended({id}, [&](const std::string&, const auto& fields) { ended = fields; });
  const std::string state = ended.count("state") ? ended.at("state") : "";
  const std::string error = ended.count("error") ? ended.at("error") : "";
  if (state != queue::job_state_name(queue::JobState::Finished))
    throw JobFailed("job " + id + " ended " + state + (error.empty() ? "" : ": " + error));
  const auto result = jobs.results({id}).front();
  if (!result) throw JobFailed("job " + id + " finished, but its result has expired");
  try {
    return results::run_result_from_text(*result);
  } catch (const InvalidInput& e) {
    throw InvalidInput("job " + id + ": " + e.what());
  }
}

}  // namespace dlaaw::client
