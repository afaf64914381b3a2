// sweep_command.cpp - `dlaaw sweep SWEEP.json [--wait] [--on-done CMD]`: queue a grid or random
// sweep; `dlaaw sweep status|cancel NAME`: the sweep as an object once queued.
#include <cstdio>
#include <memory>

#include <unistd.h>

#include "cli/exit_codes.h"
#include "cli/progress_bar.h"
#include "cli/queue_commands.h"
#include "cli/redis_option.h"
#include "client/sweep_control.h"
#include "client/sweep_runner.h"
#include "common/errors.h"
#include "datasets/data_dir.h"
#include "queue/resource_store.h"

namespace dlaaw::cli {
namespace {

struct SweepArgs {
  std::string file;
  Connection c;
  std::string data_dir;
  bool wait = false;
  std::string on_done;
  std::string name;  // status, cancel
  std::string format = "table";
};

// Runs the user's --on-done command with the sweep's summary; its failure is reported, not fatal.
void notify_done(const SweepArgs& a, queue::RedisClient& redis, const std::string& name) {
  const int status =
      client::run_on_done(a.on_done, client::sweep_summary(client::sweep_status(redis, name)));
  if (status != 0)
    std::fprintf(stderr, "dlaaw: warning: --on-done command exited with status %d\n", status);
}

int sweep_status(const SweepArgs& a) {
  auto redis = connect(a.c);
  const auto s = client::sweep_status(redis, a.name);
  if (a.format == "json") {
    std::printf("%s\n", client::sweep_summary(s).dump(2).c_str());
    return kSuccess;
  }
  std::printf("sweep %s: %d of %d members ended (%.0f%%)\n", s.name.c_str(), s.ended, s.total,
              s.total ? 100.0 * s.ended / s.total : 0.0);
  for (const auto& [state, n] : s.by_state) std::printf("  %-10s %d\n", state.c_str(), n);
  if (s.best_job) {
    std::printf("best so far: job %s, test accuracy %.4f on %s\n", s.best_job->c_str(),
                *s.best_accuracy, s.best_dataset.c_str());
  }
  return kSuccess;
}

int sweep_cancel(const SweepArgs& a) {
  auto redis = connect(a.c);
  const auto out = client::cancel_sweep(redis, a.name);
  std::printf(
      "sweep %s: %d queued member(s) cancelled, %d executing asked to stop, %d had already "
      "ended\n",
      a.name.c_str(), out.cancelled, out.requested, out.already_ended);
  return kSuccess;
}

int sweep(const SweepArgs& a) {
  if (a.file.empty())
    throw InvalidInput("sweep: give a sweep document (or status NAME, cancel NAME)");
  auto document = nnworkflow::load_sweep_file(a.file);
  auto redis = connect(a.c);
  client::expand_live_resources(redis, document);
  const auto data_dir =
      datasets::resolve_data_dir(a.data_dir.empty() ? std::nullopt : std::optional(a.data_dir));
  const auto submitted =
      client::submit_sweep(redis, document, data_dir, queue::load_registry(redis, a.c.resources));
  std::printf(
      "sweep %s: %zu members; %d queued, %d retried, %d already finished or in flight (experiment "
      "\"%s\")\n",
      document.name.c_str(), submitted.job_ids.size(), submitted.queued, submitted.retried,
      submitted.skipped, submitted.experiment.c_str());
  std::fflush(stdout);
  for (const auto& q : submitted.unserved)
    std::fprintf(stderr, "dlaaw: warning: no executor has ever served %s; its members wait\n",
                 q.c_str());
  if (!a.wait && a.on_done.empty()) return kSuccess;
  ProgressBar bar("sweep " + document.name);
  const auto results = client::wait_for_sweep(redis, submitted, [&](int ended, int total) {
    bar.update(0, 1, ended, total, 0.0);
    if (!isatty(STDERR_FILENO)) std::fprintf(stderr, "%d/%d jobs ended\n", ended, total);
  });
  bar.finish();
  std::printf("%s", client::comparison_table(results).c_str());
  const int failed = static_cast<int>(submitted.job_ids.size() - results.size());
  if (failed > 0) std::printf("%d member(s) did not finish (see dlaaw status)\n", failed);
  if (!a.on_done.empty()) notify_done(a, redis, document.name);
  return failed > 0 ? kJobFailed : kSuccess;
}

}  // namespace

void add_sweep_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<SweepArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sweep", "Queue a sweep (dlaaw/sweep@1); resubmitting queues only what is left");
  cmd->add_option("sweep", a->file, "Sweep document");
  cmd->add_flag("--wait", a->wait,
                "Show progress until every member ended, then the comparison table");
  add_redis_option(cmd, a->c.redis);
  cmd->add_option("--resources", a->c.resources,
                  "Resources file (default: $DLAAW_RESOURCES) besides those in redis");
  cmd->add_option("--data-dir", a->data_dir,
                  "Folder of dataset files (default: $DLAAW_DATA_DIR, else ./data)");
  cmd->add_option("--on-done", a->on_done,
                  "When every member ended, run this shell command with the sweep's summary JSON "
                  "on its standard input (implies --wait)");
  cmd->callback([a, cmd, &exit_code] {
    if (cmd->get_subcommands().empty()) exit_code = run_guarded([&] { return sweep(*a); });
  });
  const auto add = [&](const char* name, const char* help, int (*run)(const SweepArgs&)) {
    auto s = std::make_shared<SweepArgs>();
    CLI::App* sub = cmd->add_subcommand(name, help);
    sub->add_option("name", s->name, "The sweep's name (its document's \"name\")")->required();
    add_redis_option(sub, s->c.redis);
    if (std::string(name) == "status") {
      sub->add_option("--format", s->format, "table or json")
          ->check(CLI::IsMember({"table", "json"}));
    }
    sub->callback([s, run, &exit_code] { exit_code = run_guarded([&] { return run(*s); }); });
  };
  add("status", "A sweep's members by state, progress and best run so far", sweep_status);
  add("cancel", "Cancel a sweep's queued and executing members", sweep_cancel);
}

}  // namespace dlaaw::cli
