// run_command.h - `dlaaw run`: train workflow documents in this process.
#pragma once

#include <CLI/CLI.hpp>

namespace dlaaw::cli {

// Adds the `run` subcommand to `app`; its callback stores the exit code in `exit_code`.
void add_run_command(CLI::App& app, int& exit_code);

}  // namespace dlaaw::cli
