// train_layout.h - the index maths and memory layout of the CUDA training kernels, host-callable.
//
// Everything here is plain arithmetic (C++14, no CUDA header), so that the CPU unit tests check
// the same formulas the kernels use: which thread takes which row, where each block's partial
// gradient sits, how much shared memory a block needs.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernels/shared/host_device.h"

namespace dlaaw {
namespace kernels {
namespace cuda {

// Limits of the fused kernels: each thread keeps a row's activations (kMaxWidth x (kMaxLayers + 1)
// floats) and its private gradient (kMaxParameters floats) in local memory; a block keeps the
// parameters, their velocity and one reduction row per warp in shared memory, which at
// kMaxParameters stays within the 48 KB every CUDA device gives a block without opting in.
constexpr int kMaxLayers = 8;
constexpr int kMaxWidth = 32;
constexpr int kMaxParameters = 1024;

constexpr int kTrainThreads = 256;  // threads per block, both kernels
constexpr int kWarpSize = 32;
constexpr int kTrainWarps = kTrainThreads / kWarpSize;
// Rows a thread takes per step before the cooperative kernel adds another block to the model:
// more blocks shorten the row loop but add partials to reduce after the grid barrier.
constexpr int kRowsPerThread = 4;
constexpr size_t kSharedLimitBytes = 48 * 1024;

// A validated network as the kernels read it: per layer its widths, activation code and the
// offset of its weights in the flat parameter vector (its `out` biases follow the weights).
struct ModelLayout {
  int layers;
  int inputs;
  int parameters;
  int in[kMaxLayers];
  int out[kMaxLayers];
  int activation[kMaxLayers];
  int weight_offset[kMaxLayers];
};

// Shared memory of one training block, in floats: parameters [p], velocity [p], then the
// reduction scratch, one row of p + 1 sums per warp (the extra slot carries the loss).
DLAAW_HD size_t training_shared_floats(int parameters) {
  return 2 * static_cast<size_t>(parameters) +
         static_cast<size_t>(kTrainWarps) * (static_cast<size_t>(parameters) + 1);
}

// Where warp w keeps its sum of value k (k == parameters is the loss) in the scratch rows.
DLAAW_HD size_t scratch_index(int warp, int k, int parameters) {
  return static_cast<size_t>(warp) * (static_cast<size_t>(parameters) + 1) + static_cast<size_t>(k);
}

// Where block `slot` (of `slots` in the grid) writes its partial sums of step `step` in the
// cooperative kernel's global buffer [2][slots][parameters + 1]. The buffer is double-buffered
// by step parity: a block overwrites the half of step s only at step s + 2, after the grid
// barrier of step s + 1, which no block passes before every block finished reading step s.
DLAAW_HD size_t partial_index(int step, int slot, int slots, int parameters) {
  return (static_cast<size_t>(step & 1) * static_cast<size_t>(slots) + static_cast<size_t>(slot)) *
         (static_cast<size_t>(parameters) + 1);
}

// The first position of mini-batch [lo, hi) that thread `thread` of block `part` of a model's
// group takes; it then steps by group_stride(blocks_per_model). Together the threads of a group
// take every position of the batch exactly once: position lo + i goes to block
// (i / kTrainThreads) % blocks_per_model, thread i % kTrainThreads.
DLAAW_HD uint64_t first_position(uint64_t lo, int part, int thread) {
  return lo + static_cast<uint64_t>(part) * kTrainThreads + static_cast<uint64_t>(thread);
}
DLAAW_HD uint64_t group_stride(int blocks_per_model) {
  return static_cast<uint64_t>(blocks_per_model) * kTrainThreads;
}

// Blocks per model the cooperative kernel would like for a largest model of `rows` rows cut into
// `batches` mini-batches: enough that no thread takes more than kRowsPerThread rows per step.
DLAAW_HD int wanted_blocks_per_model(int64_t rows, int batches) {
  const int64_t batch_rows = (rows + batches - 1) / batches;
  const int64_t per_block = static_cast<int64_t>(kTrainThreads) * kRowsPerThread;
  const int64_t blocks = (batch_rows + per_block - 1) / per_block;
  return blocks < 1 ? 1 : (blocks > (1 << 20) ? (1 << 20) : static_cast<int>(blocks));
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
