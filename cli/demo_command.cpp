// demo_command.cpp - `dlaaw demo [--full] [--port N] [--workdir DIR]`: the project's main job (see
// service/demo.h); Ctrl-C stops all it started and keeps the database.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/exit_codes.h"
#include "cli/progress_bar.h"
#include "cli/queue_commands.h"
#include "cli/stop_signal.h"
#include "service/demo.h"

namespace dlaaw::cli {

void add_demo_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<service::DemoOptions>();
  CLI::App* cmd =
      app.add_subcommand("demo", "Start the whole service privately and run the paper's sweep");
  cmd->add_flag("--full", a->full,
                "Table I in full: train/test and 6-fold, seeds 1..5 (default: a quick variant)");
  cmd->add_flag(
      "--quick", [a](std::int64_t) { a->full = false; }, "The quick variant (default)");
  cmd->add_option("--port", a->port, "Report port (default 8080; 0 picks a free one)");
  cmd->add_option("--workdir", a->workdir,
                  "Where the database, logs and Redis data go (default ./dlaaw-demo)");
  cmd->add_flag("!--no-fetch", a->fetch,
                "Do not download the paper's files when they are missing (use synthetic data)");
  cmd->add_option("--mirror", a->mirror, "Fetch the paper's files from this base URL");
  cmd->add_option("--data-dir", a->data_dir,
                  "Folder of the paper's datasets (default: $DLAAW_DATA_DIR, else ./data)");
  cmd->add_flag(
      "--no-peer", [a](std::int64_t) { a->peers = false; }, "Do not train the PyTorch peer");
  cmd->callback([a, &exit_code] {
    exit_code = run_guarded([&] {
      a->self = std::filesystem::read_symlink("/proc/self/exe");
      a->source_dir = DLAAW_SOURCE_DIR;
      // Ctrl-C and SIGTERM are taken by one thread; the demo then stops everything it started.
      const StopSignal stop;
      auto bar = std::make_shared<ProgressBar>("demo sweep");
      const service::DemoHooks hooks{
          [bar](const std::string& text) {
            bar->finish();
            std::printf("%s\n", text.c_str());
            std::fflush(stdout);
          },
          [bar](int ended, int total) { bar->update(0, 1, ended, total, 0.0); }};
      return service::run_demo(*a, stop.stopped(), hooks);
    });
  });
}

}  // namespace dlaaw::cli
