// nn_task.cpp - layer type names.
#include "nnworkflow/nn_task.h"

namespace dlaaw::nnworkflow {

std::string_view layer_type_name(LayerType type) {
  switch (type) {
    case LayerType::Linear:
      return "Linear";
    case LayerType::ReLU:
      return "ReLU";
    case LayerType::Sigmoid:
      return "Sigmoid";
    case LayerType::Tanh:
      return "Tanh";
  }
  return "?";
}

std::optional<LayerType> parse_layer_type(std::string_view name) {
  for (LayerType t : {LayerType::Linear, LayerType::ReLU, LayerType::Sigmoid, LayerType::Tanh}) {
    if (layer_type_name(t) == name) return t;
  }
  return std::nullopt;
}

}  // namespace dlaaw::nnworkflow
