// predict_kernel.cu - sigmoid scores of rows with trained parameters, one thread per row (C++14).
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "kernels/cuda/cuda_check.cuh"
#include "kernels/cuda/device_buffer.cuh"
#include "kernels/cuda/training_run.h"
#include "kernels/shared/elementwise.h"

namespace dlaaw {
namespace kernels {
namespace cuda {
namespace {

constexpr int kPredictThreads = 256;
// Scoring is one pass over the rows; a minute without completion means the device is stuck.
constexpr double kPredictDeadlineSeconds = 60.0;

__global__ void predict_rows(ModelLayout m, const float* params, const float* x, int64_t rows,
                             float* scores) {
  const int64_t row = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (row >= rows) return;
  float a[kMaxWidth];  // the current layer's inputs
  float b[kMaxWidth];  // its outputs
  for (int i = 0; i < m.inputs; ++i) a[i] = x[row * m.inputs + i];
  for (int l = 0; l < m.layers; ++l) {
    const float* w = params + m.weight_offset[l];
    const float* bias = w + m.in[l] * m.out[l];
    for (int o = 0; o < m.out[l]; ++o) {
      float z = bias[o];
      for (int i = 0; i < m.in[l]; ++i) z += w[o * m.in[l] + i] * a[i];
      b[o] = activate(static_cast<Activation>(m.activation[l]), z);
    }
    for (int o = 0; o < m.out[l]; ++o) a[o] = b[o];
  }
  scores[row] = sigmoid(a[0]);
}

// Waits for everything enqueued on `stream`, polling, for at most `seconds`; throws GpuError
// WATCHDOG past that and DEVICE_FAILURE when the stream fails.
void wait_for_stream(cudaStream_t stream, double seconds, const char* what) {
  const auto start = std::chrono::steady_clock::now();
  while (true) {
    const cudaError_t state = cudaStreamQuery(stream);
    if (state == cudaSuccess) return;
    if (state != cudaErrorNotReady) DLAAW_CUDA_CHECK(state);
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > seconds) {
      throw GpuError(DLAAW_GPU_WATCHDOG, std::string(what) + " did not finish within " +
                                             std::to_string(seconds) + " s");
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

}  // namespace

void run_prediction(dlaaw_gpu_context& context, const ModelLayout& model, const float* parameters,
                    const float* x, int64_t rows, float* scores) {
  if (rows <= 0) return;
  DLAAW_CUDA_CHECK(cudaSetDevice(context.device));
  Stream stream;
  DeviceBuffer<float> p(static_cast<size_t>(model.parameters));
  DeviceBuffer<float> x_device(static_cast<size_t>(rows) * model.inputs);
  DeviceBuffer<float> out(static_cast<size_t>(rows));
  PinnedHostBuffer<float> out_host(static_cast<size_t>(rows));
  DLAAW_CUDA_CHECK(cudaMemcpyAsync(p.get(), parameters, model.parameters * sizeof(float),
                                   cudaMemcpyHostToDevice, stream.get()));
  DLAAW_CUDA_CHECK(cudaMemcpyAsync(x_device.get(), x,
                                   static_cast<size_t>(rows) * model.inputs * sizeof(float),
                                   cudaMemcpyHostToDevice, stream.get()));
  const unsigned blocks = static_cast<unsigned>((rows + kPredictThreads - 1) / kPredictThreads);
  predict_rows<<<blocks, kPredictThreads, 0, stream.get()>>>(model, p.get(), x_device.get(), rows,
                                                             out.get());
  DLAAW_CUDA_CHECK(cudaGetLastError());
  DLAAW_CUDA_CHECK(cudaMemcpyAsync(out_host.get(), out.get(),
                                   static_cast<size_t>(rows) * sizeof(float),
                                   cudaMemcpyDeviceToHost, stream.get()));
  try {
    wait_for_stream(stream.get(), kPredictDeadlineSeconds, "scoring the test rows");
  } catch (const GpuError& e) {
    if (e.code() == DLAAW_GPU_WATCHDOG) {
      // The kernel may still use the buffers, and freeing them would wait for it: leak them and
      // refuse further work in this process (see dlaaw_gpu_context::poisoned).
      p.release();
      x_device.release();
      out.release();
      out_host.release();
      context.poisoned = e.what();
    }
    throw;
  }
  std::copy(out_host.get(), out_host.get() + rows, scores);
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
