// model_layout.h - a network from the C interface, checked and laid out for the CUDA kernels.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "kernels/cuda/abi_boundary.h"
#include "kernels/cuda/dlaaw_gpu.h"
#include "kernels/cuda/train_layout.h"
#include "kernels/shared/model_rules.h"

namespace dlaaw {
namespace kernels {
namespace cuda {

// The ModelLayout of `model`, whose caller promises `parameter_count` parameters. Throws GpuError
// INVALID_INPUT when the layers break the rules of model_rules.h, exceed the kernels' limits
// (layers, width, parameters; the message says to use the cpu backend) or the count differs.
inline ModelLayout layout_model(const dlaaw_gpu_model* model, int64_t parameter_count) {
  if (model == nullptr || model->layers == nullptr || model->layer_count <= 0) {
    throw GpuError(DLAAW_GPU_INVALID_INPUT, "network: model has no layers");
  }
  std::vector<LayerShape> shapes;
  for (int l = 0; l < model->layer_count; ++l) {
    shapes.push_back({model->layers[l].in, model->layers[l].out, model->layers[l].activation});
  }
  const std::string error = model_error(shapes.data(), model->layer_count);
  if (!error.empty()) throw GpuError(DLAAW_GPU_INVALID_INPUT, "network: " + error);

  int64_t parameters = 0;
  int widest = 0;
  for (const LayerShape& s : shapes) {
    parameters += static_cast<int64_t>(s.in) * s.out + s.out;
    widest = s.in > widest ? s.in : widest;
    widest = s.out > widest ? s.out : widest;
  }
  if (model->layer_count > kMaxLayers || widest > kMaxWidth || parameters > kMaxParameters) {
    throw GpuError(DLAAW_GPU_INVALID_INPUT,
                   "network: too large for the CUDA kernels (at most " +
                       std::to_string(kMaxLayers) + " layers, " + std::to_string(kMaxWidth) +
                       " units wide, " + std::to_string(kMaxParameters) + " parameters; this one " +
                       "has " + std::to_string(model->layer_count) + " layers, " +
                       std::to_string(widest) + " units at its widest, " +
                       std::to_string(parameters) + " parameters); use the cpu backend");
  }
  if (parameters != parameter_count) {
    throw GpuError(DLAAW_GPU_INVALID_INPUT, "network: " + std::to_string(parameters) +
                                                " parameters, but " +
                                                std::to_string(parameter_count) + " were given");
  }
  ModelLayout m{};
  m.layers = model->layer_count;
  m.inputs = shapes.front().in;
  m.parameters = static_cast<int>(parameters);
  int offset = 0;
  for (int l = 0; l < m.layers; ++l) {
    m.in[l] = shapes[l].in;
    m.out[l] = shapes[l].out;
    m.activation[l] = shapes[l].activation;
    m.weight_offset[l] = offset;
    offset += shapes[l].in * shapes[l].out + shapes[l].out;
  }
  return m;
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
