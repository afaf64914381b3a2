// executor_command.cpp - `dlaaw executor --resource R ...`, stopped cleanly by SIGTERM or SIGINT.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "cli/duration.h"
#include "cli/exit_codes.h"
#include "cli/queue_commands.h"
#include "cli/redis_option.h"
#include "cli/stop_signal.h"
#include "common/errors.h"
#include "executor/executor_daemon.h"
#include "queue/redis_endpoint.h"

namespace dlaaw::cli {
namespace {

struct ExecutorArgs {
  executor::ExecutorOptions options;
  std::string redis;
  std::string lease = "30s";
  std::string watchdog;
  std::string cache_dir;
};

int run(ExecutorArgs& a) {
  a.options.redis_url = queue::resolve_redis_url(a.redis);
  a.options.lease = parse_duration("--lease", a.lease);
  if (!a.watchdog.empty()) a.options.watchdog_seconds = parse_seconds("--watchdog", a.watchdog);
  a.options.cache_dir = a.cache_dir;
  // On SIGTERM or SIGINT the executor stops taking work, hands back what it holds, deregisters
  // and exits 0.
  const StopSignal stop;
  return executor::run_executor(a.options, stop.stopped());
}

}  // namespace

void add_executor_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<ExecutorArgs>();
  CLI::App* cmd =
      app.add_subcommand("executor", "Serve a resource's queue: pull jobs and train them");
  cmd->add_option("--resource", a->options.resource,
                  "The resource to serve (see dlaaw resources; e.g. cpu)")
      ->required();
  cmd->add_option("--resources", a->options.resources_file,
                  "Resources file (default: $DLAAW_RESOURCES) besides those in redis");
  add_redis_option(cmd, a->redis);
  cmd->add_option("--backend", a->options.backend, "auto, cuda or cpu")
      ->check(CLI::IsMember({"auto", "cuda", "cpu"}));
  cmd->add_option("--concurrency", a->options.concurrency, "Jobs trained at once (default 1)");
  cmd->add_option("--lease", a->lease, "Lease a job is held for between heartbeats (default 30s)");
  cmd->add_flag("--allow-mismatch", a->options.allow_mismatch,
                "Serve the resource on a machine that does not meet its requirements");
  cmd->add_option("--cache-dir", a->cache_dir,
                  "Where dataset blobs are cached (default ~/.cache/dlaaw)");
  cmd->add_option("--threads", a->options.threads,
                  "CPU threads per job (default: the resource's, else all)");
  cmd->add_option("--watchdog", a->watchdog,
                  "Fail a GPU job when no epoch finishes for this long (default 60s)");
  cmd->callback([a, &exit_code] { exit_code = run_guarded([&] { return run(*a); }); });
}

}  // namespace dlaaw::cli
