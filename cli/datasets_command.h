// datasets_command.h - `dlaaw datasets`: the catalog and whether the data directory has its files.
#pragma once

#include <CLI/CLI.hpp>

namespace dlaaw::cli {

void add_datasets_command(CLI::App& app, int& exit_code);

}  // namespace dlaaw::cli
