// train_config.cpp - document and resource defaults to kernels::TrainConfig.
#include "executor/train_config.h"

namespace dlaaw::executor {

kernels::TrainConfig train_config(const nnworkflow::WorkflowDocument& document,
                                  std::size_t train_rows, const EngineOptions& options) {
  kernels::TrainConfig config;
  config.epochs = static_cast<int>(*document.training.epochs);
  config.batches = document.training.batches_for(train_rows);
  config.learning_rate = static_cast<float>(document.training.effective_learning_rate());
  config.momentum = static_cast<float>(document.training.effective_momentum());
  config.seed = document.training.effective_seed();
  config.threads = options.threads;
  // The document's choice wins unless it says auto (or nothing): then the resource's default.
  const auto memory = document.memory ? kernels::parse_memory_path(*document.memory) : std::nullopt;
  config.memory = memory && *memory != kernels::MemoryPath::Auto ? *memory : options.memory;
  const auto kernel = document.training.kernel
                          ? kernels::parse_kernel_choice(*document.training.kernel)
                          : std::nullopt;
  config.kernel = kernel && *kernel != kernels::KernelChoice::Auto ? *kernel : options.kernel;
  if (options.watchdog_seconds > 0) config.watchdog_seconds = options.watchdog_seconds;
  return config;
}

}  // namespace dlaaw::executor
