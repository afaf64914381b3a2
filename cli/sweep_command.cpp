// sweep_command.cpp - `dlaaw sweep SWEEP.json [--wait]`: queue a grid or random sweep.
#include <cstdio>
#include <memory>

#include <unistd.h>

#include "cli/exit_codes.h"
#include "cli/progress_bar.h"
#include "cli/queue_commands.h"
#include "client/sweep_runner.h"
#include "datasets/data_dir.h"
#include "queue/resource_store.h"

namespace dlaaw::cli {
namespace {

struct SweepArgs {
  std::string file;
  Connection c;
  std::string data_dir;
  bool wait = false;
};

int sweep(const SweepArgs& a) {
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
  if (!a.wait) return kSuccess;
  ProgressBar bar("sweep " + document.name);
  const auto results = client::wait_for_sweep(redis, submitted, [&](int ended, int total) {
    bar.update(0, 1, ended, total, 0.0);
    if (!isatty(STDERR_FILENO)) std::fprintf(stderr, "%d/%d jobs ended\n", ended, total);
  });
  bar.finish();
  std::printf("%s", client::comparison_table(results).c_str());
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
  cmd->add_option("--redis", a->c.redis,
                  "redis://[:password@]host:port[/db] (default: $DLAAW_REDIS_URL)");
  cmd->add_option("--resources", a->c.resources,
                  "Resources file (default: $DLAAW_RESOURCES) besides those in redis");
  cmd->add_option("--data-dir", a->data_dir,
                  "Folder of dataset files (default: $DLAAW_DATA_DIR, else ./data)");
  cmd->callback([a, &exit_code] { exit_code = run_guarded([&] { return sweep(*a); }); });
}

}  // namespace dlaaw::cli
