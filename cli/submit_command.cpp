// submit_command.cpp - `dlaaw submit WORKFLOW.json... [--resource R] [--priority P] [--wait]`.
#include <cstdio>
#include <memory>
#include <set>

#include "cli/exit_codes.h"
#include "cli/queue_commands.h"
#include "cli/redis_option.h"
#include "client/job_submission.h"
#include "common/errors.h"
#include "datasets/data_dir.h"
#include "nnworkflow/workflow_json.h"
#include "queue/job_queue.h"
#include "queue/persistence_check.h"
#include "queue/resource_store.h"

namespace dlaaw::cli {
namespace {

struct SubmitOptions {
  std::vector<std::string> workflows;
  std::string resource;
  std::string priority = "normal";
  bool wait = false;
  Connection c;
  std::string data_dir;
  int max_attempts = 3;
  std::string experiment;
};

// Prints a warning for each queue no executor has ever served: not an error, one may start later.
void warn_unserved(const std::set<std::string>& queues) {
  for (const auto& q : queues) {
    std::fprintf(stderr,
                 "dlaaw: warning: no executor has ever served %s; its jobs wait until one starts "
                 "(dlaaw executor --resource %s)\n",
                 q.c_str(), q == resources::kAnyQueue ? "NAME" : q.c_str());
  }
}

// --wait: reports each job as it ends; true when all finished.
bool wait_for_all(queue::JobQueue& jobs, const std::vector<std::string>& ids) {
  bool all_finished = true;
  jobs.wait_until_ended(
      ids, [&](const std::string& id, const std::map<std::string, std::string>& job) {
        const std::string state = job.count("state") ? job.at("state") : "";
        const std::string error =
            job.count("error") && !job.at("error").empty() ? ": " + job.at("error") : "";
        all_finished = all_finished && state == queue::job_state_name(queue::JobState::Finished);
        std::fprintf(stderr, "%s %s %s%s\n", id.c_str(),
                     job.count("name") ? job.at("name").c_str() : "", state.c_str(), error.c_str());
      });
  return all_finished;
}

int submit(const SubmitOptions& o) {
  if (o.max_attempts < 1) throw InvalidInput("--max-attempts: must be at least 1");
  // Every document is read and validated before anything else.
  std::vector<nnworkflow::ValidWorkflow> workflows;
  for (const auto& path : o.workflows) workflows.push_back(nnworkflow::load_workflow_file(path));
  const auto data_dir =
      datasets::resolve_data_dir(o.data_dir.empty() ? std::nullopt : std::optional(o.data_dir));
  auto redis = connect(o.c);
  const auto registry = queue::load_registry(redis, o.c.resources);
  if (!o.resource.empty()) registry.require_queue(o.resource, "--resource");
  const client::SubmitSettings settings{o.resource, o.priority == "high", o.max_attempts, data_dir,
                                        o.experiment};
  std::vector<client::PreparedJob> prepared;
  for (std::size_t i = 0; i < workflows.size(); ++i) {
    try {
      prepared.push_back(client::prepare_job(workflows[i], settings, registry));
    } catch (const InvalidInput& e) {
      throw InvalidInput(o.workflows[i] + ": " + e.what());
    }
  }
  const auto unserved = client::submit_jobs(redis, prepared);
  if (const auto warning = queue::persistence_warning(redis))
    std::fprintf(stderr, "%s\n", warning->c_str());
  std::vector<std::string> ids;
  for (const auto& p : prepared) {
    ids.push_back(p.request.id);
    std::printf("%s\n", p.request.id.c_str());
  }
  std::fflush(stdout);
  warn_unserved(unserved);
  if (!o.wait) return kSuccess;
  queue::JobQueue jobs(redis);
  return wait_for_all(jobs, ids) ? kSuccess : kJobFailed;
}

}  // namespace

void add_submit_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SubmitOptions>();
  CLI::App* cmd = app.add_subcommand("submit", "Queue workflow documents for the executors");
  cmd->add_option("workflows", o->workflows, "Workflow documents")->required();
  cmd->add_option("--resource", o->resource,
                  "A resource (see dlaaw resources) or any (default: the document's, else any)");
  cmd->add_option("--priority", o->priority, "high or normal")
      ->check(CLI::IsMember({"high", "normal"}));
  cmd->add_flag("--wait", o->wait, "Wait until every job has ended (exit 1 unless all finished)");
  add_redis_option(cmd, o->c.redis);
  cmd->add_option("--resources", o->c.resources,
                  "Resources file (default: $DLAAW_RESOURCES) besides those in redis");
  cmd->add_option("--data-dir", o->data_dir,
                  "Folder of dataset files (default: $DLAAW_DATA_DIR, else ./data)");
  cmd->add_option("--experiment", o->experiment, "Group the runs under this tracker experiment");
  cmd->add_option("--max-attempts", o->max_attempts,
                  "Attempts before a job goes to dlaaw:dead (default 3)");
  cmd->callback([o, &exit_code] { exit_code = run_guarded([&] { return submit(*o); }); });
}

}  // namespace dlaaw::cli
