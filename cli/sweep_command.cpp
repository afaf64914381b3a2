// sweep_command.cpp - `dlaaw sweep SWEEP.json [--wait]`: queue a grid or random sweep.
#include <cstdio>
#include <memory>

#include <unistd.h>

#include "cli/exit_codes.h"
#include "cli/progress_bar.h"
#include "cli/queue_commands.h"
#include "datasets/data_dir.h"
#include "executor/sweep_runner.h"
#include "queue/redis_endpoint.h"

namespace dlaaw::cli {
namespace {

struct SweepArgs {
  std::string file;
  std::string redis;
  std::string data_dir;
  bool wait = false;
};

int sweep(const SweepArgs& a) {
  auto document = nnworkflow::load_sweep_file(a.file);
  queue::RedisClient redis(queue::parse_redis_url(queue::resolve_redis_url(a.redis)));
  executor::expand_live_resources(redis, document);
  const auto data_dir =
      datasets::resolve_data_dir(a.data_dir.empty() ? std::nullopt : std::optional(a.data_dir));
  const auto submitted = executor::submit_sweep(redis, document, data_dir);
  std::printf(
      "sweep %s: %zu members; %d queued, %d retried, %d already finished or in flight (experiment "
      "\"%s\")\n",
      document.name.c_str(), submitted.job_ids.size(), submitted.queued, submitted.retried,
      submitted.skipped, submitted.experiment.c_str());
  std::fflush(stdout);
  if (!a.wait) return kSuccess;
  ProgressBar bar("sweep " + document.name);
  const auto results = executor::wait_for_sweep(redis, submitted, [&](int ended, int total) {
    bar.update(0, 1, ended, total, 0.0);
    if (!isatty(STDERR_FILENO)) std::fprintf(stderr, "%d/%d jobs ended\n", ended, total);
  });
  bar.finish();
  std::printf("%s", executor::comparison_table(results).c_str());
  const int failed = static_cast<int>(submitted.job_ids.size() - results.size());
  if (failed > 0) std::printf("%d member(s) did not finish (see dlaaw status)\n", failed);
  return failed > 0 ? kJobFailed : kSuccess;
}

}  // namespace

void add_sweep_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<SweepArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sweep", "Queue a sweep (dlaaw/sweep@1); resubmitting queues only what is left");
  cmd->add_option("sweep", a->file, "Sweep document")->required();
  cmd->add_flag("--wait", a->wait,
                "Show progress until every member ended, then the comparison table");
  cmd->add_option("--redis", a->redis,
                  "redis://[:password@]host:port[/db] (default: $DLAAW_REDIS_URL)");
  cmd->add_option("--data-dir", a->data_dir,
                  "Folder of dataset files (default: $DLAAW_DATA_DIR, else ./data)");
  cmd->callback([a, &exit_code] { exit_code = run_guarded([&] { return sweep(*a); }); });
}

}  // namespace dlaaw::cli
