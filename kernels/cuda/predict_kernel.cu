// predict_kernel.cu - sigmoid scores of rows with trained parameters, one thread per row (C++14).
#include <cuda_runtime.h>

#include <stdexcept>

#include "kernels/cuda/cuda_check.cuh"
#include "kernels/cuda/cuda_training.h"
#include "kernels/cuda/device_buffer.cuh"
#include "kernels/shared/elementwise.h"

namespace dlaaw {
namespace kernels {
namespace cuda {
namespace {

constexpr int kThreads = 256;

__global__ void predict_rows(CudaModelDesc m, const float* params, const float* x, int64_t rows,
                             float* scores) {
  const int64_t row = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (row >= rows) return;
  float a[kMaxWidth];
  float b[kMaxWidth];
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

}  // namespace

void cuda_predict(const CudaModelDesc& model, const float* parameters, const float* x, int64_t rows,
                  int device, float* scores) {
  if (rows == 0) return;
  DLAAW_CUDA_CHECK(cudaSetDevice(device));
  DeviceBuffer<float> p(model.parameters);
  DeviceBuffer<float> x_device(static_cast<size_t>(rows) * model.inputs);
  DeviceBuffer<float> out(static_cast<size_t>(rows));
  DLAAW_CUDA_CHECK(
      cudaMemcpy(p.get(), parameters, model.parameters * sizeof(float), cudaMemcpyHostToDevice));
  DLAAW_CUDA_CHECK(cudaMemcpy(x_device.get(), x,
                              static_cast<size_t>(rows) * model.inputs * sizeof(float),
                              cudaMemcpyHostToDevice));
  const unsigned blocks = static_cast<unsigned>((rows + kThreads - 1) / kThreads);
  predict_rows<<<blocks, kThreads>>>(model, p.get(), x_device.get(), rows, out.get());
  DLAAW_CUDA_CHECK(cudaGetLastError());
  DLAAW_CUDA_CHECK(cudaMemcpy(scores, out.get(), static_cast<size_t>(rows) * sizeof(float),
                              cudaMemcpyDeviceToHost));
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
