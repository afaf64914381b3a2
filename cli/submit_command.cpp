// submit_command.cpp - `dlaaw submit WORKFLOW.json... [--resource R] [--priority P] [--wait]`.
#include <chrono>
#include <cstdio>
#include <memory>
#include <set>
#include <thread>

#include "cli/exit_codes.h"
#include "cli/queue_commands.h"
#include "common/errors.h"
#include "datasets/catalog.h"
#include "datasets/csv_reader.h"
#include "datasets/data_dir.h"
#include "datasets/sha256.h"
#include "nnworkflow/workflow_json.h"
#include "queue/blob_store.h"
#include "queue/job_id.h"
#include "queue/job_queue.h"

namespace dlaaw::cli {
namespace {

struct SubmitOptions {
  std::vector<std::string> workflows;
  std::string resource;
  std::string priority = "normal";
  bool wait = false;
  std::string redis;
  std::string data_dir;
  int max_attempts = 3;
};

struct Prepared {
  queue::SubmitRequest request;
  std::string dataset_bytes;  // empty for synthetic data
};

// Validates the document and reads its dataset file, before anything is queued.
Prepared prepare(const std::string& path, const SubmitOptions& o,
                 const std::filesystem::path& data_dir) {
  const auto doc = nnworkflow::load_workflow_file(path);
  Prepared p;
  p.request.id = queue::new_job_id();
  p.request.name = doc.name;
  p.request.document = nnworkflow::workflow_to_json(doc).dump();
  p.request.resource = !o.resource.empty() ? o.resource : doc.resource.value_or("any");
  p.request.high_priority = o.priority == "high";
  p.request.max_attempts = o.max_attempts;
  try {
    if (doc.dataset.catalog) {
      const auto entry = datasets::find_in_catalog(*doc.dataset.catalog);
      const auto file = datasets::resolve_data_file(data_dir, entry->file, "dataset.catalog");
      p.dataset_bytes = datasets::read_file(file.string());
      if (datasets::sha256_hex(p.dataset_bytes) != entry->sha256) {
        throw InvalidInput("dataset.catalog: " + file.string() + " is not the catalog's " +
                           entry->name + " (sha256 differs); use the original file");
      }
      p.request.dataset_file = entry->file;
    } else if (doc.dataset.path) {
      const auto file = datasets::resolve_data_file(data_dir, *doc.dataset.path, "dataset.path");
      p.dataset_bytes = datasets::read_file(file.string());
      p.request.dataset_file = *doc.dataset.path;
    }
  } catch (const InvalidInput& e) {
    throw InvalidInput(path + ": " + e.what());
  }
  p.request.dataset_sha256 = p.dataset_bytes.empty() ? "" : datasets::sha256_hex(p.dataset_bytes);
  return p;
}

int submit(const SubmitOptions& o) {
  static const std::set<std::string> kResources{"local-gpu", "xavier", "nano", "cpu", "any"};
  if (!o.resource.empty() && !kResources.count(o.resource)) {
    throw InvalidInput("--resource: unknown resource \"" + o.resource +
                       "\" (expected local-gpu, xavier, nano, cpu or any)");
  }
  if (o.max_attempts < 1) throw InvalidInput("--max-attempts: must be at least 1");
  const auto data_dir =
      datasets::resolve_data_dir(o.data_dir.empty() ? std::nullopt : std::optional(o.data_dir));
  std::vector<Prepared> prepared;
  for (const auto& path : o.workflows) prepared.push_back(prepare(path, o, data_dir));

  queue::RedisClient redis(queue::parse_redis_url(queue::resolve_redis_url(o.redis)));
  queue::JobQueue jobs(redis);
  std::set<std::string> stored;
  std::vector<queue::SubmitRequest> requests;
  for (const auto& p : prepared) {
    if (!p.dataset_bytes.empty() && stored.insert(p.request.dataset_sha256).second) {
      queue::put_blob(redis, p.dataset_bytes);
    }
    requests.push_back(p.request);
  }
  jobs.submit(requests);
  for (const auto& r : requests) std::printf("%s\n", r.id.c_str());
  std::fflush(stdout);
  if (!o.wait) return kSuccess;

  // --wait: poll until every job has ended, then report each.
  std::set<std::string> pending;
  for (const auto& r : requests) pending.insert(r.id);
  bool all_finished = true;
  while (!pending.empty()) {
    for (auto it = pending.begin(); it != pending.end();) {
      const auto job = jobs.job(*it);
      const std::string state = job.count("state") ? job.at("state") : "";
      if (state == "finished" || state == "error" || state == "cancelled") {
        all_finished = all_finished && state == "finished";
        const std::string error = job.at("error").empty() ? "" : ": " + job.at("error");
        std::fprintf(stderr, "%s %s %s%s\n", it->c_str(), job.at("name").c_str(), state.c_str(),
                     error.c_str());
        it = pending.erase(it);
      } else {
        ++it;
      }
    }
    if (!pending.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return all_finished ? kSuccess : kJobFailed;
}

}  // namespace

void add_submit_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SubmitOptions>();
  CLI::App* cmd = app.add_subcommand("submit", "Queue workflow documents for the executors");
  cmd->add_option("workflows", o->workflows, "Workflow documents")->required();
  cmd->add_option("--resource", o->resource,
                  "local-gpu, xavier, nano, cpu or any (default: the document's, else any)");
  cmd->add_option("--priority", o->priority, "high or normal")
      ->check(CLI::IsMember({"high", "normal"}));
  cmd->add_flag("--wait", o->wait, "Wait until every job has ended (exit 1 unless all finished)");
  cmd->add_option("--redis", o->redis,
                  "redis://[:password@]host:port[/db] (default: $DLAAW_REDIS_URL)");
  cmd->add_option("--data-dir", o->data_dir,
                  "Folder of dataset files (default: $DLAAW_DATA_DIR, else ./data)");
  cmd->add_option("--max-attempts", o->max_attempts,
                  "Attempts before a job goes to dlaaw:dead (default 3)");
  cmd->callback([o, &exit_code] { exit_code = run_guarded([&] { return submit(*o); }); });
}

}  // namespace dlaaw::cli
