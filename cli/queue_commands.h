// queue_commands.h - the commands that talk to the Redis job queue.
#pragma once

#include <CLI/CLI.hpp>

namespace dlaaw::cli {

// submit
void add_submit_command(CLI::App& app, int& exit_code);
// status, watch, cancel, retry, queue, resources
void add_job_commands(CLI::App& app, int& exit_code);
// executor
void add_executor_command(CLI::App& app, int& exit_code);
// sweep
void add_sweep_command(CLI::App& app, int& exit_code);
// demo
void add_demo_command(CLI::App& app, int& exit_code);

}  // namespace dlaaw::cli
