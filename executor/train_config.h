// train_config.h - the one place a workflow document becomes the kernels' TrainConfig.
#pragma once

#include <cstddef>

#include "executor/engine.h"
#include "kernels/model_spec.h"

namespace dlaaw::executor {

// Epochs, mini-batches (for `train_rows` rows), learning rate, momentum, seed, threads and the
// memory path from the document, falling back to the resource's defaults in `options`.
kernels::TrainConfig train_config(const nnworkflow::WorkflowDocument& document,
                                  std::size_t train_rows, const EngineOptions& options);

}  // namespace dlaaw::executor
