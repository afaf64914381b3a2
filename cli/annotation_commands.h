// annotation_commands.h - `dlaaw tag`, `dlaaw note` and `dlaaw runs archive|restore|delete`: the
// researcher's edits of the tracker database.
#pragma once

#include <CLI/CLI.hpp>

namespace dlaaw::cli {

// Adds `tag` and `note` to `app`.
void add_annotation_commands(CLI::App& app, int& exit_code);

// Adds archive, restore and delete under `runs` (the `dlaaw runs` command).
void add_run_lifecycle_commands(CLI::App& runs, int& exit_code);

}  // namespace dlaaw::cli
