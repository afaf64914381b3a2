// serve_command.h - `dlaaw serve`: the HTTP report.
#pragma once

#include <CLI/CLI.hpp>

namespace dlaaw::cli {

void add_serve_command(CLI::App& app, int& exit_code);

}  // namespace dlaaw::cli
