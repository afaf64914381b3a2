// model_spec.cpp - parameter layout and initialisation of a ModelSpec.
#include "kernels/model_spec.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/errors.h"
#include "common/random.h"
#include "kernels/shared/model_rules.h"

namespace dlaaw::kernels {

std::size_t ModelSpec::parameter_count() const {
  std::size_t n = 0;
  for (const auto& l : layers) n += static_cast<std::size_t>(l.in) * l.out + l.out;
  return n;
}

std::size_t ModelSpec::weight_offset(std::size_t l) const {
  std::size_t offset = 0;
  for (std::size_t i = 0; i < l; ++i) {
    offset += static_cast<std::size_t>(layers[i].in) * layers[i].out + layers[i].out;
  }
  return offset;
}

int ModelSpec::max_width() const {
  int w = 0;
  for (const auto& l : layers) w = std::max({w, l.in, l.out});
  return w;
}

void check_model_spec(const ModelSpec& spec) {
  std::vector<LayerShape> shapes;
  for (const auto& l : spec.layers) shapes.push_back({l.in, l.out, static_cast<int>(l.activation)});
  const std::string error = model_error(shapes.data(), static_cast<int>(shapes.size()));
  if (!error.empty()) throw std::invalid_argument(error);
}

std::vector<float> xavier_uniform_parameters(const ModelSpec& spec, std::uint64_t seed) {
  std::vector<float> p(spec.parameter_count(), 0.0f);
  SplitMix64 rng(seed);
  for (std::size_t l = 0; l < spec.layers.size(); ++l) {
    const auto& layer = spec.layers[l];
    const double bound = std::sqrt(6.0 / (layer.in + layer.out));
    float* w = p.data() + spec.weight_offset(l);
    for (int i = 0; i < layer.in * layer.out; ++i) {
      w[i] = static_cast<float>((2.0 * rng.uniform() - 1.0) * bound);
    }
  }
  return p;
}

}  // namespace dlaaw::kernels
