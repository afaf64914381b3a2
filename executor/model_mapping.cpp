// model_mapping.cpp - layer tasks to backend layers.
#include "executor/model_mapping.h"

namespace dlaaw::executor {

kernels::ModelSpec model_spec_from_network(const std::vector<nnworkflow::NNTask>& network) {
  using nnworkflow::LayerType;
  kernels::ModelSpec spec;
  for (std::size_t i = 0; i < network.size(); ++i) {
    const auto& task = network[i];
    if (task.type == LayerType::Linear) {
      spec.layers.push_back({task.in, task.out, kernels::Activation::Identity});
      continue;
    }
    const bool final_sigmoid = i + 1 == network.size() && task.type == LayerType::Sigmoid;
    if (final_sigmoid || spec.layers.empty()) continue;
    auto& act = spec.layers.back().activation;
    switch (task.type) {
      case LayerType::ReLU:
        act = kernels::Activation::ReLU;
        break;
      case LayerType::Sigmoid:
        act = kernels::Activation::Sigmoid;
        break;
      case LayerType::Tanh:
        act = kernels::Activation::Tanh;
        break;
      case LayerType::Linear:
        break;
    }
  }
  return spec;
}

}  // namespace dlaaw::executor
