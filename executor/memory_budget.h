// memory_budget.h - the documented caps on a network's shape, and the memory a training run needs
// against what the machine has, checked before anything is allocated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/backend.h"
#include "nnworkflow/nn_task.h"

namespace dlaaw::executor {

// The widest Linear layer (in or out) and the most Linear layers a network may have. Far above
// the paper's networks (16 wide, 4 deep); they stop a typo like 100000000 before it allocates.
inline constexpr int kMaxLayerWidth = 65536;
inline constexpr int kMaxLinearLayers = 128;

// Throws InvalidInput "network[i]: Linear.out is N, over the maximum width of 65536" (or the
// depth) when `network` exceeds the caps.
void check_network_limits(const std::vector<nnworkflow::NNTask>& network);

// Bytes a run needs, roughly: parameters x (weights, velocity, initial copy, one gradient per
// worker thread) x folds, plus the dataset and each fold's scaled copy, plus one mini-batch's
// activations and their gradients. An estimate for refusing the absurd, not an allocator.
std::uint64_t estimate_training_bytes(const std::vector<nnworkflow::NNTask>& network,
                                      std::size_t rows, std::size_t features, std::size_t folds,
                                      int batches, int threads);

// Device bytes a GPU run needs, roughly: each fold's model as four parameter copies (trained,
// velocity, gradient partials, initial) plus each fold's scaled rows and labels. The host part
// (estimate_training_bytes) is checked apart.
std::uint64_t estimate_device_bytes(const std::vector<nnworkflow::NNTask>& network,
                                    std::size_t rows, std::size_t features, std::size_t folds);

// Physical memory of this host (0 when unknown).
std::uint64_t host_memory_bytes();

// Throws InvalidInput naming the estimate and the budget when `needed` > `budget` (budget 0 means
// unknown: no check).
void check_memory(std::uint64_t needed, std::uint64_t budget);

// For a CUDA device with known memory, throws InvalidInput naming the device, the estimate and
// its memory when `needed` > device.memory_bytes; no check for another kind or unknown memory.
void check_device_memory(std::uint64_t needed, const kernels::DeviceInfo& device);

}  // namespace dlaaw::executor
