// devices_command.h - `dlaaw devices`: the CUDA devices this machine offers, and the CPU.
#pragma once

#include <CLI/CLI.hpp>

namespace dlaaw::cli {

void add_devices_command(CLI::App& app, int& exit_code);

}  // namespace dlaaw::cli
