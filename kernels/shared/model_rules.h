// model_rules.h - what makes a network trainable, checked by every backend and the GPU library.
// C++14 on purpose: libdlaaw_gpu.so checks the networks that cross its C interface with the same
// rules as the C++ side, so the rule is written once, here.
#pragma once

#include <string>

namespace dlaaw {
namespace kernels {

// The activation codes that cross the GPU library's C interface (kernels::Activation values).
constexpr int kLastActivationCode = 3;

// One Linear(in, out) and the code of the activation that follows it.
struct LayerShape {
  int in;
  int out;
  int activation;
};

// "" when `count` layers chain (in of l + 1 == out of l), have positive widths and known
// activations, and end in one logit (Linear(n, 1), activation 0); otherwise what is wrong and
// where, e.g. "layer 2 takes 3 inputs but the previous gives 5".
inline std::string model_error(const LayerShape* layers, int count) {
  if (count <= 0 || layers == nullptr) return "model has no layers";
  for (int l = 0; l < count; ++l) {
    const LayerShape& layer = layers[l];
    if (layer.in <= 0 || layer.out <= 0) {
      return "layer " + std::to_string(l) + " has a non-positive width";
    }
    if (layer.activation < 0 || layer.activation > kLastActivationCode) {
      return "layer " + std::to_string(l) + " has an unknown activation code " +
             std::to_string(layer.activation);
    }
    if (l > 0 && layer.in != layers[l - 1].out) {
      return "layer " + std::to_string(l) + " takes " + std::to_string(layer.in) +
             " inputs but the previous gives " + std::to_string(layers[l - 1].out);
    }
  }
  const LayerShape& last = layers[count - 1];
  if (last.out != 1 || last.activation != 0) {
    return "the last layer must give one logit (Linear(n, 1), no activation)";
  }
  return "";
}

}  // namespace kernels
}  // namespace dlaaw
