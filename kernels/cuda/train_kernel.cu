// train_kernel.cu - the fused, persistent training kernel and its launcher (C++14).
//
// One cooperative launch trains every model of a request (the k folds of a k-fold plan side by
// side) for all epochs. Each model owns a group of `blocks_per_model` blocks; every thread of a
// group takes rows of the current mini-batch (positions lo + t, lo + t + T, ... with T the group's
// thread count), runs forward, loss and backward for each in registers and local memory, and adds
// into its private gradient. A step then costs one block reduction, one grid-wide barrier and one
// momentum update; there is no kernel launch, copy or host synchronisation inside an epoch.
//
// Parameters live in shared memory. Every block of a model reduces the same per-block partial
// gradients in the same order, so all blocks hold bit-identical parameters without a second
// barrier. Partials are double-buffered by step parity: a block can only overwrite buffer s % 2
// at step s + 2, after the barrier of step s + 1, which every reader of step s has passed.
#include <cooperative_groups.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kernels/cuda/cuda_check.cuh"
#include "kernels/cuda/cuda_training.h"
#include "kernels/cuda/device_buffer.cuh"
#include "kernels/shared/elementwise.h"
#include "kernels/shared/epoch_permutation.h"

namespace dlaaw {
namespace kernels {
namespace cuda {
namespace {

namespace cg = cooperative_groups;

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;
constexpr int kRowsPerThread = 4;  // rows a thread takes per step before another block is worth it
constexpr int kMaxUnits = kMaxWidth * (kMaxLayers + 1);

struct KernelArgs {
  CudaModelDesc model;
  const float* x;
  const float* y;
  const int64_t* row_begin;
  const float* initial;
  float* partials;  // [2][models * blocks_per_model][parameters + 1]; the extra slot is the loss
  float* out_parameters;
  int* stop;                      // [2], by epoch parity: the cancel decision every block reads
  volatile int* cancel;           // mapped host memory, set by the host to stop
  float* progress_loss;           // mapped host memory, [models][epochs]
  volatile int* progress_epochs;  // mapped host memory, [models]
  int models;
  int blocks_per_model;
  int epochs;
  int batches;
  float learning_rate;
  float momentum;
  uint64_t seed;
};

__device__ float warp_sum(float v) {
  for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(0xFFFFFFFFU, v, offset);
  return v;
}

// Forward, loss and backward of one row; adds the row's gradient (weighted by row_weight) to g.
__device__ float train_row(const CudaModelDesc& m, const float* params, const float* row,
                           float label, float row_weight, float* g) {
  float acts[kMaxUnits];  // inputs, then each layer's outputs
  float delta[kMaxWidth];
  float delta_prev[kMaxWidth];
  int act_offset[kMaxLayers + 1];
  act_offset[0] = 0;
  for (int i = 0; i < m.inputs; ++i) acts[i] = row[i];
  for (int l = 0; l < m.layers; ++l) {
    act_offset[l + 1] = act_offset[l] + m.in[l];
    const float* w = params + m.weight_offset[l];
    const float* b = w + m.in[l] * m.out[l];
    const float* in = acts + act_offset[l];
    float* out = acts + act_offset[l + 1];
    for (int o = 0; o < m.out[l]; ++o) {
      float z = b[o];
      for (int i = 0; i < m.in[l]; ++i) z += w[o * m.in[l] + i] * in[i];
      out[o] = activate(static_cast<Activation>(m.activation[l]), z);
    }
  }
  const float logit = acts[act_offset[m.layers]];
  const BceTerms<float> terms = bce_with_logits(logit, label);
  delta[0] = terms.slope * row_weight;
  for (int l = m.layers - 1; l >= 0; --l) {
    const float* w = params + m.weight_offset[l];
    const float* in = acts + act_offset[l];
    float* gw = g + m.weight_offset[l];
    float* gb = gw + m.in[l] * m.out[l];
    for (int o = 0; o < m.out[l]; ++o) {
      for (int i = 0; i < m.in[l]; ++i) gw[o * m.in[l] + i] += delta[o] * in[i];
      gb[o] += delta[o];
    }
    if (l == 0) break;
    const Activation prev = static_cast<Activation>(m.activation[l - 1]);
    for (int i = 0; i < m.in[l]; ++i) {
      float s = 0.0f;
      for (int o = 0; o < m.out[l]; ++o) s += w[o * m.in[l] + i] * delta[o];
      delta_prev[i] = s * activation_slope(prev, in[i]);
    }
    for (int i = 0; i < m.in[l]; ++i) delta[i] = delta_prev[i];
  }
  return terms.loss;
}

__global__ void __launch_bounds__(kThreads) train_models(KernelArgs a) {
  cg::grid_group grid = cg::this_grid();
  const CudaModelDesc& m = a.model;
  const int p = m.parameters;
  const int model = blockIdx.x / a.blocks_per_model;
  const int part = blockIdx.x % a.blocks_per_model;
  const int tid = threadIdx.x;
  const int group_threads = a.blocks_per_model * kThreads;

  // Shared memory: parameters [p], velocity [p], per-warp reduction rows [kWarps][p + 1].
  extern __shared__ float shared[];
  float* params = shared;
  float* velocity = shared + p;
  float* scratch = shared + 2 * p;
  for (int k = tid; k < p; k += kThreads) {
    params[k] = a.initial[k];
    velocity[k] = 0.0f;
  }
  __syncthreads();

  const int64_t first_row = a.row_begin[model];
  const uint64_t n = static_cast<uint64_t>(a.row_begin[model + 1] - first_row);
  const float* x = a.x + first_row * m.inputs;
  const float* y = a.y + first_row;
  const int slots = a.models * a.blocks_per_model;
  float g[kMaxParameters];
  int step = 0;
  for (int epoch = 0; epoch < a.epochs; ++epoch) {
    const EpochPermutation order = make_epoch_permutation(n, a.seed, epoch);
    double epoch_loss = 0.0;
    for (int batch = 0; batch < a.batches; ++batch, ++step) {
      const uint64_t lo = batch_begin(n, a.batches, batch);
      const uint64_t hi = batch_begin(n, a.batches, batch + 1);
      const float row_weight = 1.0f / static_cast<float>(hi - lo);
      for (int k = 0; k < p; ++k) g[k] = 0.0f;
      float loss = 0.0f;
      for (uint64_t pos = lo + part * kThreads + tid; pos < hi; pos += group_threads) {
        const uint32_t row = permute_row(order, static_cast<uint32_t>(pos));
        loss +=
            train_row(m, params, x + static_cast<uint64_t>(row) * m.inputs, y[row], row_weight, g);
      }
      // Block reduction: each warp sums a parameter over its lanes, then the warps in order.
      const int warp = tid / 32;
      for (int k = 0; k <= p; ++k) {
        const float v = warp_sum(k < p ? g[k] : loss);
        if ((tid & 31) == 0) scratch[warp * (p + 1) + k] = v;
      }
      __syncthreads();
      float* mine = a.partials + (static_cast<size_t>(step & 1) * slots + blockIdx.x) * (p + 1);
      for (int k = tid; k <= p; k += kThreads) {
        float s = 0.0f;
        for (int w = 0; w < kWarps; ++w) s += scratch[w * (p + 1) + k];
        mine[k] = s;
      }
      if (blockIdx.x == 0 && tid == 0 && batch == a.batches - 1) a.stop[epoch & 1] = *a.cancel;
      grid.sync();  // every block's partial of this step is written

      const float* group = a.partials + (static_cast<size_t>(step & 1) * slots +
                                         static_cast<size_t>(model) * a.blocks_per_model) *
                                            (p + 1);
      for (int k = tid; k < p; k += kThreads) {
        float s = 0.0f;
        for (int b = 0; b < a.blocks_per_model; ++b) s += group[b * (p + 1) + k];
        momentum_step(params[k], velocity[k], s, a.learning_rate, a.momentum);
      }
      for (int b = 0; b < a.blocks_per_model; ++b) epoch_loss += group[b * (p + 1) + p];
      __syncthreads();  // parameters are updated before the next step reads them
    }
    if (part == 0 && tid == 0) {
      a.progress_loss[model * a.epochs + epoch] = static_cast<float>(epoch_loss / n);
      __threadfence_system();
      a.progress_epochs[model] = epoch + 1;
    }
    if (*reinterpret_cast<volatile int*>(&a.stop[epoch & 1])) break;
  }
  if (part == 0) {
    for (int k = tid; k < p; k += kThreads) a.out_parameters[model * p + k] = params[k];
  }
}

size_t shared_bytes(int parameters) {
  return sizeof(float) * (2 * static_cast<size_t>(parameters) + kWarps * (parameters + 1));
}

// Reports new epochs to the progress callback; returns false once it asked to stop.
bool drain_progress(const CudaTrainRequest& r, const MappedHostBuffer<float>& loss,
                    const MappedHostBuffer<int>& epochs, std::vector<int>& reported) {
  bool go_on = true;
  for (int model = 0; model < r.models; ++model) {
    const int done = *const_cast<volatile int*>(epochs.host() + model);
    for (; reported[model] < done; ++reported[model]) {
      const double l =
          *const_cast<volatile float*>(loss.host() + model * r.epochs + reported[model]);
      if (r.progress && !r.progress(r.progress_context, model, reported[model] + 1, l))
        go_on = false;
    }
  }
  return go_on;
}

}  // namespace

bool cuda_train(const CudaTrainRequest& r) {
  const CudaModelDesc& m = r.model;
  if (m.layers < 1 || m.layers > kMaxLayers || m.parameters > kMaxParameters) {
    throw std::runtime_error("the network is too large for the CUDA kernel (at most " +
                             std::to_string(kMaxLayers) + " layers, " + std::to_string(kMaxWidth) +
                             " wide, " + std::to_string(kMaxParameters) +
                             " parameters); use the cpu backend");
  }
  DLAAW_CUDA_CHECK(cudaSetDevice(r.device));
  cudaDeviceProp prop;
  DLAAW_CUDA_CHECK(cudaGetDeviceProperties(&prop, r.device));
  if (!prop.cooperativeLaunch) {
    throw std::runtime_error(std::string("device ") + prop.name +
                             " does not support cooperative launches");
  }
  const int64_t total_rows = r.row_begin[r.models];
  const size_t x_count = static_cast<size_t>(total_rows) * m.inputs;
  const int p = m.parameters;

  // The rows reach the device once per job: copied into device memory, or (zero copy) read in
  // place from mapped pinned host memory.
  DeviceBuffer<float> x_device(r.zero_copy ? 0 : x_count);
  DeviceBuffer<float> y_device(r.zero_copy ? 0 : static_cast<size_t>(total_rows));
  MappedHostBuffer<float> x_mapped(r.zero_copy ? x_count : 0);
  MappedHostBuffer<float> y_mapped(r.zero_copy ? static_cast<size_t>(total_rows) : 0);
  Stream stream;
  if (r.zero_copy) {
    std::copy(r.x, r.x + x_count, x_mapped.host());
    std::copy(r.y, r.y + total_rows, y_mapped.host());
  } else {
    DLAAW_CUDA_CHECK(cudaMemcpyAsync(x_device.get(), r.x, x_count * sizeof(float),
                                     cudaMemcpyHostToDevice, stream.get()));
    DLAAW_CUDA_CHECK(cudaMemcpyAsync(y_device.get(), r.y, total_rows * sizeof(float),
                                     cudaMemcpyHostToDevice, stream.get()));
  }
  DeviceBuffer<int64_t> row_begin(r.models + 1);
  DeviceBuffer<float> initial(p);
  DeviceBuffer<float> out(static_cast<size_t>(r.models) * p);
  DeviceBuffer<int> stop(2);
  DLAAW_CUDA_CHECK(cudaMemcpyAsync(row_begin.get(), r.row_begin, (r.models + 1) * sizeof(int64_t),
                                   cudaMemcpyHostToDevice, stream.get()));
  DLAAW_CUDA_CHECK(cudaMemcpyAsync(initial.get(), r.initial, p * sizeof(float),
                                   cudaMemcpyHostToDevice, stream.get()));
  DLAAW_CUDA_CHECK(cudaMemsetAsync(stop.get(), 0, 2 * sizeof(int), stream.get()));
  MappedHostBuffer<int> cancel(1);
  MappedHostBuffer<float> progress_loss(static_cast<size_t>(r.models) * r.epochs);
  MappedHostBuffer<int> progress_epochs(r.models);
  *cancel.host() = 0;
  for (int i = 0; i < r.models; ++i) progress_epochs.host()[i] = 0;

  // As many blocks per model as keep each thread at ~kRowsPerThread rows per step, within what
  // can be resident at once (a cooperative launch needs every block resident).
  const size_t smem = shared_bytes(p);
  int per_sm = 0;
  DLAAW_CUDA_CHECK(
      cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, train_models, kThreads, smem));
  const int resident = per_sm * prop.multiProcessorCount;
  if (resident < r.models) {
    throw std::runtime_error("device " + std::string(prop.name) + " can hold " +
                             std::to_string(resident) + " training blocks at once but " +
                             std::to_string(r.models) + " models were asked for side by side");
  }
  int64_t largest = 0;
  for (int i = 0; i < r.models; ++i) {
    const int64_t rows = r.row_begin[i + 1] - r.row_begin[i];
    largest = rows > largest ? rows : largest;
  }
  const int64_t batch_rows = (largest + r.batches - 1) / r.batches;
  int blocks_per_model =
      static_cast<int>((batch_rows + kThreads * kRowsPerThread - 1) / (kThreads * kRowsPerThread));
  if (blocks_per_model > resident / r.models) blocks_per_model = resident / r.models;
  if (blocks_per_model < 1) blocks_per_model = 1;
  const int slots = r.models * blocks_per_model;
  DeviceBuffer<float> partials(2 * static_cast<size_t>(slots) * (p + 1));

  KernelArgs args;
  args.model = m;
  args.x = r.zero_copy ? x_mapped.device() : x_device.get();
  args.y = r.zero_copy ? y_mapped.device() : y_device.get();
  args.row_begin = row_begin.get();
  args.initial = initial.get();
  args.partials = partials.get();
  args.out_parameters = out.get();
  args.stop = stop.get();
  args.cancel = cancel.device();
  args.progress_loss = progress_loss.device();
  args.progress_epochs = progress_epochs.device();
  args.models = r.models;
  args.blocks_per_model = blocks_per_model;
  args.epochs = r.epochs;
  args.batches = r.batches;
  args.learning_rate = r.learning_rate;
  args.momentum = r.momentum;
  args.seed = r.seed;
  void* params[] = {&args};
  DLAAW_CUDA_CHECK(cudaLaunchCooperativeKernel(reinterpret_cast<void*>(train_models), dim3(slots),
                                               dim3(kThreads), params, smem, stream.get()));

  // The host only watches: progress arrives through mapped memory while the kernel runs.
  std::vector<int> reported(r.models, 0);
  bool stopped = false;
  while (true) {
    const cudaError_t state = cudaStreamQuery(stream.get());
    if (!drain_progress(r, progress_loss, progress_epochs, reported) && !stopped) {
      stopped = true;
      *const_cast<volatile int*>(cancel.host()) = 1;
    }
    if (state == cudaSuccess) break;
    if (state != cudaErrorNotReady) DLAAW_CUDA_CHECK(state);
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  if (!drain_progress(r, progress_loss, progress_epochs, reported)) stopped = true;
  DLAAW_CUDA_CHECK(cudaMemcpy(r.out_parameters, out.get(),
                              static_cast<size_t>(r.models) * p * sizeof(float),
                              cudaMemcpyDeviceToHost));
  for (int i = 0; i < r.models; ++i) r.out_epochs[i] = progress_epochs.host()[i];
  return stopped;
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
