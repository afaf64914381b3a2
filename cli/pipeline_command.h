// pipeline_command.h - `dlaaw pipeline run|status|cancel|provenance`.
#pragma once

#include <CLI/CLI.hpp>

namespace dlaaw::cli {

// pipeline run FILE [--wait] [--force TASK], pipeline status NAME, pipeline cancel NAME,
// pipeline provenance NAME
void add_pipeline_command(CLI::App& app, int& exit_code);

}  // namespace dlaaw::cli
