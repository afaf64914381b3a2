// train_kernels.cuh - the two CUDA training kernels as the host sees them: arguments and launches.
#pragma once

#include <cuda_runtime.h>

#include <stddef.h>
#include <stdint.h>

#include "kernels/cuda/batch_gradient.h"
#include "kernels/cuda/train_layout.h"

namespace dlaaw {
namespace kernels {
namespace cuda {

// What a kernel writes into TrainArgs::status when it cannot do its job (0: all is well).
constexpr int kStatusNoGridBarrier = 1;  // the cooperative kernel was compiled for arch < 6.0

// Everything one training launch reads and writes. Pointers are device-visible: device, managed
// or mapped host memory.
struct TrainArgs {
  ModelLayout model;
  RecordLayout record;       // make_record_layout(model)
  int chunk_rows;            // chunk_rows_for(model, record): rows per chunk and record slots
  const float* x;            // every model's rows, row-major, model.inputs columns
  const float* y;            // their labels
  const int64_t* row_begin;  // [models + 1]: model m owns rows [row_begin[m], row_begin[m + 1])
  const float* initial;      // [parameters], every model starts from them
  float* out_parameters;     // [models][parameters]
  float* partials;           // cooperative only: [2][models * blocks_per_model][parameters + 1]
  unsigned int* barrier;     // cooperative only: the grid barrier's counter, zeroed
  int* stop;                 // cooperative only: [2], the cancel decision by epoch parity
  volatile int* cancel;      // mapped host memory: the host sets it to stop after this epoch
  double* progress_loss;     // mapped host memory: [models][epochs] mean loss per epoch
  int* progress_epochs;      // mapped host memory: [models] epochs finished
  int* status;               // mapped host memory: a kStatus* code, 0 when fine
  int models;
  int blocks_per_model;
  int epochs;
  int batches;
  float learning_rate;
  float momentum;
  uint64_t seed;
};

// Fills a.record and a.chunk_rows from a.model.
inline void plan_records(TrainArgs& a) {
  a.record = make_record_layout(a.model);
  a.chunk_rows = chunk_rows_for(a.model, a.record);
}

// Dynamic shared memory of one training block of `a` (plan_records done).
inline size_t training_shared_bytes(const TrainArgs& a) {
  return training_shared_words(a.model.parameters, a.chunk_rows, a.record.stride) * sizeof(float);
}

// Launches the block kernel on `stream`: one block per model, args.blocks_per_model must be 1.
// Returns the launch status (cudaSuccess or why not).
cudaError_t launch_block_training(const TrainArgs& args, cudaStream_t stream);

// Launches the cooperative kernel on `stream`: args.models * args.blocks_per_model blocks, all
// resident at once (cudaLaunchCooperativeKernel). Returns the launch status.
cudaError_t launch_cooperative_training(const TrainArgs& args, cudaStream_t stream);

// Attributes of a training kernel (DLAAW_GPU_KERNEL_BLOCK or _COOPERATIVE) on the current
// device; fails (cudaErrorNoKernelImageForDevice or similar) when the library has no code for it.
cudaError_t training_kernel_attributes(int32_t kernel, cudaFuncAttributes* attributes);

// Cooperative training blocks of `model` that fit on the current device at once (blocks per
// multiprocessor times multiprocessors).
cudaError_t cooperative_resident_blocks(const ModelLayout& model, int* blocks);

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
