// devices_command.h - `dlaaw devices`: the GPU library loaded (or why none), its CUDA devices with
// the kernels each runs, and the CPU.
#pragma once

#include <CLI/CLI.hpp>

namespace dlaaw::cli {

// Registers `devices [--json]`; it always exits 0, since "no GPU" is an answer, not a failure.
void add_devices_command(CLI::App& app, int& exit_code);

}  // namespace dlaaw::cli
