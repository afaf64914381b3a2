// train_config.cpp - document and resource defaults to kernels::TrainConfig.
#include "executor/train_config.h"

namespace dlaaw::executor {
namespace {

// The memory path the kernels know. Managed memory and the kernel choice reach them once the GPU
// library takes them (issue 13); until then auto and managed leave the choice to the backend.
kernels::MemoryPath memory_path(resources::MemoryMode mode) {
  switch (mode) {
    case resources::MemoryMode::Device:
      return kernels::MemoryPath::Device;
    case resources::MemoryMode::ZeroCopy:
      return kernels::MemoryPath::ZeroCopy;
    case resources::MemoryMode::Auto:
    case resources::MemoryMode::Managed:
      break;
  }
  return kernels::MemoryPath::Auto;
}

}  // namespace

kernels::TrainConfig train_config(const nnworkflow::WorkflowDocument& document,
                                  std::size_t train_rows, const EngineOptions& options) {
  kernels::TrainConfig config;
  config.epochs = static_cast<int>(*document.training.epochs);
  config.batches = document.training.batches_for(train_rows);
  config.learning_rate = static_cast<float>(document.training.effective_learning_rate());
  config.momentum = static_cast<float>(document.training.effective_momentum());
  config.seed = document.training.effective_seed();
  config.threads = options.threads;
  const auto memory =
      document.memory ? resources::parse_memory_mode(*document.memory) : std::nullopt;
  config.memory =
      memory_path(memory && *memory != resources::MemoryMode::Auto ? *memory : options.memory);
  return config;
}

}  // namespace dlaaw::executor
