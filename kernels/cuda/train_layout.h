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

// Limits of the fused kernels: a block keeps the parameters, their velocity and one record per
// row of a chunk (batch_gradient.h) in shared memory; each thread owns up to kValueSlots of the
// p + 1 summed values (parameters and loss) in registers. Within these limits a chunk holds at
// least 20 rows in the 48 KB that every CUDA device gives a block without opting in.
constexpr int kMaxLayers = 8;
constexpr int kMaxWidth = 32;
constexpr int kMaxParameters = 1024;

constexpr int kTrainThreads = 256;  // threads per block, both kernels
constexpr int kWarpSize = 32;
constexpr int kValueSlots = (kMaxParameters + 1 + kTrainThreads - 1) / kTrainThreads;
// Rows of a batch per block before the cooperative kernel adds another block to the model: one
// chunk per block and step, so the row phase is one row per thread.
constexpr int kRowsPerBlock = kTrainThreads;
constexpr size_t kSharedLimitBytes = 48 * 1024;
constexpr int kStaticSharedWords = 4;  // the block kernel's stop flags, rounded up

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

// Where block `slot` (of `slots` in the grid) writes its partial sums of step `step` in the
// cooperative kernel's global buffer [2][slots][parameters + 1]. The buffer is double-buffered
// by step parity: a block overwrites the half of step s only at step s + 2, after the grid
// barrier of step s + 1, which no block passes before every block finished reading step s.
DLAAW_HD size_t partial_index(int step, int slot, int slots, int parameters) {
  return (static_cast<size_t>(step & 1) * static_cast<size_t>(slots) + static_cast<size_t>(slot)) *
         (static_cast<size_t>(parameters) + 1);
}

// The chunks of mini-batch [lo, hi): chunk c holds positions [lo + c * chunk_rows, ...), at most
// chunk_rows of them, and goes to block c % blocks_per_model of the model's group, whose thread
// j takes the chunk's j-th position. A block starts at chunk_begin(lo, part, chunk_rows) and steps
// by chunk_stride(blocks_per_model, chunk_rows): together the blocks take every position once.
DLAAW_HD uint64_t chunk_begin(uint64_t lo, int part, int chunk_rows) {
  return lo + static_cast<uint64_t>(part) * static_cast<uint64_t>(chunk_rows);
}
DLAAW_HD uint64_t chunk_stride(int blocks_per_model, int chunk_rows) {
  return static_cast<uint64_t>(blocks_per_model) * static_cast<uint64_t>(chunk_rows);
}

// Blocks per model the cooperative kernel would like for a largest model of `rows` rows cut into
// `batches` mini-batches: enough that no block takes more than kRowsPerBlock rows per step.
DLAAW_HD int wanted_blocks_per_model(int64_t rows, int batches) {
  const int64_t batch_rows = (rows + batches - 1) / batches;
  const int64_t per_block = static_cast<int64_t>(kRowsPerBlock);
  const int64_t blocks = (batch_rows + per_block - 1) / per_block;
  return blocks < 1 ? 1 : (blocks > (1 << 20) ? (1 << 20) : static_cast<int>(blocks));
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
