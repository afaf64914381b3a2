// cuda_training.h - the C++14 boundary between the CUDA kernels and the rest of dlaaw.
//
// Plain structs and functions only: Jetson toolkits (CUDA 10.2 on Nano, 11.4 on Xavier) compile
// the .cu files behind this header as C++14, while CudaBackend (C++20) wraps them. Every function
// throws std::runtime_error naming the CUDA call, the file:line and the device when CUDA fails.
#pragma once

#include <stdint.h>

#include <string>

namespace dlaaw {
namespace kernels {
namespace cuda {

// Limits of the fused kernel: activations live in per-thread arrays and the parameters, their
// velocity and the reduction scratch in shared memory.
constexpr int kMaxLayers = 8;
constexpr int kMaxWidth = 32;
constexpr int kMaxParameters = 1024;

struct CudaModelDesc {
  int layers;
  int inputs;
  int parameters;
  int in[kMaxLayers];
  int out[kMaxLayers];
  int activation[kMaxLayers];  // kernels::Activation values
  int weight_offset[kMaxLayers];
};

// Called by cuda_train from the host thread while the kernel runs: a model finished `epoch`
// (1-based) with mean loss `loss`. Returning 0 asks the kernel to stop after the current epoch.
typedef int (*CudaProgressFn)(void* context, int model, int epoch, double loss);

struct CudaTrainRequest {
  CudaModelDesc model;
  int models;                // trained side by side, one group of blocks each
  const float* x;            // host rows of every model, row-major, model.inputs columns
  const float* y;            // host labels, same rows
  const int64_t* row_begin;  // models + 1 offsets into x / y
  const float* initial;      // model.parameters start values, shared by every model
  int epochs;
  int batches;
  float learning_rate;
  float momentum;
  uint64_t seed;
  bool zero_copy;  // read x / y through mapped pinned host memory instead of copying
  int device;
  CudaProgressFn progress;  // may be null
  void* progress_context;
  float* out_parameters;  // models x model.parameters
  int* out_epochs;        // per model: epochs completed
};

// Trains every model of the request in one cooperative kernel launch: each epoch permutes the
// rows with permute_row(), cuts them into balanced mini-batches and takes one momentum-SGD step per
// batch, with no host round trip inside an epoch. Returns true when the progress callback stopped
// training early.
bool cuda_train(const CudaTrainRequest& request);

// Sigmoid scores for `rows` rows of x (host memory) with `parameters` (host).
void cuda_predict(const CudaModelDesc& model, const float* parameters, const float* x, int64_t rows,
                  int device, float* scores);

struct CudaDeviceInfo {
  std::string name;
  int major;
  int minor;
  int multiprocessors;
  size_t total_memory;
  bool integrated;
  int driver_version;
  int runtime_version;
};

// Number of usable CUDA devices; 0 when there is no device or no driver (never throws).
int cuda_device_count();

// Properties of `device`; throws std::runtime_error when CUDA fails.
CudaDeviceInfo cuda_device_info(int device);

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
