// tracker_commands.h - runs, compare, provenance, predict (SQLite) and tracker (event ingest).
#pragma once

#include <CLI/CLI.hpp>

namespace dlaaw::cli {

void add_tracker_commands(CLI::App& app, int& exit_code);

}  // namespace dlaaw::cli
