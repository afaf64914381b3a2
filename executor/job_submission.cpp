// job_submission.cpp - preparing, queueing and awaiting jobs.
#include "executor/job_submission.h"

#include <set>
#include <thread>

#include "common/errors.h"
#include "datasets/catalog.h"
#include "datasets/csv_reader.h"
#include "datasets/data_dir.h"
#include "datasets/sha256.h"
#include "nnworkflow/workflow_json.h"
#include "nnworkflow/workflow_validation.h"
#include "queue/blob_store.h"
#include "queue/event_stream.h"
#include "queue/job_id.h"
#include "queue/job_keys.h"

namespace dlaaw::executor {

PreparedJob prepare_job(const nnworkflow::WorkflowDocument& doc, const SubmitSettings& s) {
  nnworkflow::validate_workflow(doc);
  PreparedJob p;
  p.request.id = queue::new_job_id();
  p.request.name = doc.name;
  p.request.document = nnworkflow::workflow_to_json(doc).dump();
  p.request.resource = !s.resource.empty() ? s.resource : doc.resource.value_or("any");
  p.request.high_priority = s.high_priority;
  p.request.max_attempts = s.max_attempts;
  p.request.experiment = s.experiment;
  if (doc.dataset.catalog) {
    const auto entry = datasets::find_in_catalog(*doc.dataset.catalog);
    const auto file = datasets::resolve_data_file(s.data_dir, entry->file, "dataset.catalog");
    p.dataset_bytes = datasets::read_file(file.string());
    if (datasets::sha256_hex(p.dataset_bytes) != entry->sha256) {
      throw InvalidInput("dataset.catalog: " + file.string() + " is not the catalog's " +
                         entry->name + " (sha256 differs); use the original file");
    }
    p.request.dataset_file = entry->file;
  } else if (doc.dataset.path) {
    const auto file = datasets::resolve_data_file(s.data_dir, *doc.dataset.path, "dataset.path");
    p.dataset_bytes = datasets::read_file(file.string());
    p.request.dataset_file = *doc.dataset.path;
  }
  p.request.dataset_sha256 = p.dataset_bytes.empty() ? "" : datasets::sha256_hex(p.dataset_bytes);
  return p;
}

void submit_jobs(queue::RedisClient& redis, const std::vector<PreparedJob>& jobs) {
  std::set<std::string> stored;
  std::vector<queue::SubmitRequest> requests;
  for (const auto& j : jobs) {
    if (!j.dataset_bytes.empty() && stored.insert(j.request.dataset_sha256).second) {
      queue::put_blob(redis, j.dataset_bytes);
    }
    requests.push_back(j.request);
  }
  queue::JobQueue(redis).submit(requests);
}

nlohmann::json wait_for_result(queue::RedisClient& redis, const std::string& id) {
  queue::JobQueue jobs(redis);
  std::string last_id = "0-0";
  while (true) {
    const auto job = jobs.job(id);
    if (job.empty()) throw InvalidInput("job " + id + ": unknown id");
    const std::string state = job.at("state");
    if (state == "error" || state == "cancelled") {
      throw JobFailed("job " + id + " ended " + state +
                      (job.at("error").empty() ? "" : ": " + job.at("error")));
    }
    // The result event is published in the same step that marks the job finished.
    for (const auto& event : queue::read_events(redis, last_id, std::chrono::milliseconds(300))) {
      const auto& f = event.fields;
      if (f.count("type") && f.at("type") == "result" && f.count("job") && f.at("job") == id) {
        return nlohmann::json::parse(f.at("result"));
      }
    }
  }
}

}  // namespace dlaaw::executor
