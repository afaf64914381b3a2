// training_run.h - one training request of the C interface, run on an opened device.
#pragma once

#include <stdint.h>

#include <vector>

#include "kernels/cuda/dlaaw_gpu.h"
#include "kernels/cuda/gpu_context.h"
#include "kernels/cuda/train_layout.h"

namespace dlaaw {
namespace kernels {
namespace cuda {

// One model's training rows in host memory (rows x model.inputs floats, rows labels).
struct RowSet {
  const float* x;
  const float* y;
  int64_t rows;
};

struct TrainRequest {
  ModelLayout model;
  const float* initial;  // model.parameters values
  std::vector<RowSet> sets;
  int epochs;
  int batches;
  float learning_rate;
  float momentum;
  uint64_t seed;
  int32_t kernel;  // DLAAW_GPU_KERNEL_*
  int32_t memory;  // DLAAW_GPU_MEMORY_*
  double watchdog_seconds;
  dlaaw_gpu_progress_fn progress;  // may be null
  void* progress_user;
};

// Trains every model of `request` in one launch on the context's device and fills `result`,
// whose arrays the caller sized (dlaaw_gpu.h). Throws GpuError: INVALID_INPUT for a request the
// kernels refuse, DEVICE_FAILURE when CUDA fails, WATCHDOG when no epoch finishes in time (and
// poisons the context when the kernel would not stop).
void run_training(dlaaw_gpu_context& context, const TrainRequest& request,
                  dlaaw_gpu_train_result& result);

// Runs each kernel the device supports once on a one-row network, so that module loading and
// the local-memory reservation of the first launch are paid here, not in a timed training.
void warm_up_kernels(dlaaw_gpu_context& context);

// Sigmoid scores of `rows` rows of x (host) with `parameters` (host) into scores (host).
void run_prediction(dlaaw_gpu_context& context, const ModelLayout& model, const float* parameters,
                    const float* x, int64_t rows, float* scores);

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
