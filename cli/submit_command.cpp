// submit_command.cpp - `dlaaw submit WORKFLOW.json... [--resource R] [--priority P] [--wait]`.
#include <cstdio>
#include <memory>
#include <set>

#include "cli/exit_codes.h"
#include "cli/queue_commands.h"
#include "common/errors.h"
#include "datasets/data_dir.h"
#include "executor/job_submission.h"
#include "nnworkflow/workflow_json.h"
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
  std::string experiment;
};

int submit(const SubmitOptions& o) {
  static const std::set<std::string> kResources{"local-gpu", "xavier", "nano", "cpu", "any"};
  if (!o.resource.empty() && !kResources.count(o.resource)) {
    throw InvalidInput("--resource: unknown resource \"" + o.resource +
                       "\" (expected local-gpu, xavier, nano, cpu or any)");
  }
  if (o.max_attempts < 1) throw InvalidInput("--max-attempts: must be at least 1");
  const auto data_dir =
      datasets::resolve_data_dir(o.data_dir.empty() ? std::nullopt : std::optional(o.data_dir));
  executor::SubmitSettings settings{o.resource, o.priority == "high", o.max_attempts, data_dir,
                                    o.experiment};
  std::vector<executor::PreparedJob> prepared;
  for (const auto& path : o.workflows) {
    const auto doc = nnworkflow::load_workflow_file(path);
    try {
      prepared.push_back(executor::prepare_job(doc, settings));
    } catch (const InvalidInput& e) {
      throw InvalidInput(path + ": " + e.what());
    }
  }
  queue::RedisClient redis(queue::parse_redis_url(queue::resolve_redis_url(o.redis)));
  executor::submit_jobs(redis, prepared);
  queue::JobQueue jobs(redis);
  std::vector<queue::SubmitRequest> requests;
  for (const auto& p : prepared) requests.push_back(p.request);
  for (const auto& r : requests) std::printf("%s\n", r.id.c_str());
  std::fflush(stdout);
  if (!o.wait) return kSuccess;

  // --wait: report each job as it ends.
  std::vector<std::string> ids;
  for (const auto& r : requests) ids.push_back(r.id);
  bool all_finished = true;
  jobs.wait_until_ended(
      ids, [&](const std::string& id, const std::map<std::string, std::string>& job) {
        all_finished = all_finished && job.at("state") == "finished";
        const std::string error = job.at("error").empty() ? "" : ": " + job.at("error");
        std::fprintf(stderr, "%s %s %s%s\n", id.c_str(), job.at("name").c_str(),
                     job.at("state").c_str(), error.c_str());
      });
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
  cmd->add_option("--experiment", o->experiment, "Group the runs under this tracker experiment");
  cmd->add_option("--max-attempts", o->max_attempts,
                  "Attempts before a job goes to dlaaw:dead (default 3)");
  cmd->callback([o, &exit_code] { exit_code = run_guarded([&] { return submit(*o); }); });
}

}  // namespace dlaaw::cli
