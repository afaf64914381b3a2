// paper_sweep.h - the demo's sweep: the paper's five workflows on every live resource.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "executor/resource_check.h"
#include "nnworkflow/sweep_document.h"
#include "resources/resource_registry.h"

namespace dlaaw::service {

struct PaperSweepOptions {
  bool full = false;  // Table I: train/test and 6-fold, seeds 1..5; else train/test, seeds 1..2
  bool real = true;   // the catalog files; else synthetic data of the same shapes
  std::filesystem::path examples_dir;  // holding nn1.json .. nn5.json
};

// "paper-quick", "paper-table1", with "-synthetic" when not on the real files; resources "live"
// (see client::expand_live_resources). Throws InvalidInput when an example cannot be read.
nnworkflow::SweepDocument paper_sweep(const PaperSweepOptions& options);

// The resources a demo on `machine` starts executors for: the first built-in CPU resource, and
// the first built-in CUDA resource whose requirements the machine meets (the host GPU, or the
// Jetson it is).
std::vector<std::string> demo_resources(const resources::ResourceRegistry& registry,
                                        const executor::Machine& machine);

}  // namespace dlaaw::service
