// train_config.h - the one place a workflow document becomes the kernels' TrainConfig.
#pragma once

#include <cstddef>

#include "executor/engine.h"
#include "kernels/model_spec.h"

namespace dlaaw::executor {

// Epochs, mini-batches (for `train_rows` rows), learning rate, momentum and seed from the
// document; the memory path and the kernel from the document unless it says "auto" or nothing,
// then from the resource's defaults in `options`; threads and the watchdog (when above 0) from
// `options`. Expects a validated document (a name it does not know counts as "auto").
kernels::TrainConfig train_config(const nnworkflow::WorkflowDocument& document,
                                  std::size_t train_rows, const EngineOptions& options);

}  // namespace dlaaw::executor
