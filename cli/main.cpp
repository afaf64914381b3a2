// main.cpp - the `dlaaw` binary: subcommands wired to the libraries.
#include <CLI/CLI.hpp>

#include "cli/datasets_command.h"
#include "cli/devices_command.h"
#include "cli/exit_codes.h"
#include "cli/run_command.h"
#ifdef DLAAW_HAVE_TRACKER
#include "cli/tracker_commands.h"
#endif
#ifdef DLAAW_HAVE_REPORTS
#include "cli/serve_command.h"
#endif
#ifdef DLAAW_HAVE_QUEUE
#include "cli/queue_commands.h"
#endif
#if defined(DLAAW_HAVE_QUEUE) && defined(DLAAW_HAVE_TRACKER)
#include "cli/pipeline_command.h"
#endif

int main(int argc, char** argv) {
  CLI::App app{"dlaaw - train neural networks as workflows (Deep-Learning-as-a-Workflow)"};
  app.require_subcommand(1);
  int exit_code = dlaaw::cli::kSuccess;
  dlaaw::cli::add_run_command(app, exit_code);
  dlaaw::cli::add_datasets_command(app, exit_code);
  dlaaw::cli::add_devices_command(app, exit_code);
#ifdef DLAAW_HAVE_TRACKER
  dlaaw::cli::add_tracker_commands(app, exit_code);
#endif
#ifdef DLAAW_HAVE_REPORTS
  dlaaw::cli::add_serve_command(app, exit_code);
#endif
#ifdef DLAAW_HAVE_QUEUE
  dlaaw::cli::add_submit_command(app, exit_code);
  dlaaw::cli::add_job_commands(app, exit_code);
  dlaaw::cli::add_executor_command(app, exit_code);
  dlaaw::cli::add_sweep_command(app, exit_code);
  dlaaw::cli::add_demo_command(app, exit_code);
#endif
#if defined(DLAAW_HAVE_QUEUE) && defined(DLAAW_HAVE_TRACKER)
  dlaaw::cli::add_pipeline_command(app, exit_code);
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return dlaaw::cli::kBadInput;
  }
  return exit_code;
}
