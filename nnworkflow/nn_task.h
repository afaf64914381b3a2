// nn_task.h - one layer task of an NNWorkflow: Linear(in, out), ReLU, Sigmoid or Tanh.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dlaaw::nnworkflow {

enum class LayerType { Linear, ReLU, Sigmoid, Tanh };

// A layer as the workflow document states it; widths are set for Linear only.
struct NNTask {
  LayerType type = LayerType::Linear;
  int in = 0;
  int out = 0;

  bool is_activation() const { return type != LayerType::Linear; }
  bool operator==(const NNTask&) const = default;
};

inline NNTask Linear(int in, int out) { return NNTask{LayerType::Linear, in, out}; }
inline NNTask ReLU() { return NNTask{LayerType::ReLU}; }
inline NNTask Sigmoid() { return NNTask{LayerType::Sigmoid}; }
inline NNTask Tanh() { return NNTask{LayerType::Tanh}; }

// "Linear", "ReLU", ...
std::string_view layer_type_name(LayerType type);
// The LayerType named `name` exactly, or nullopt.
std::optional<LayerType> parse_layer_type(std::string_view name);

}  // namespace dlaaw::nnworkflow
