// memory_budget.cpp - network caps and the memory estimate of a training run.
#include "executor/memory_budget.h"

#include <unistd.h>

#include <algorithm>
#include <string>
#include <utility>

#include "common/errors.h"

namespace dlaaw::executor {
namespace {

std::string megabytes(std::uint64_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20); }

// Weights and biases of the network's Linear layers, and the sum of their output widths.
std::pair<std::uint64_t, std::uint64_t> parameters_and_widths(
    const std::vector<nnworkflow::NNTask>& network) {
  std::uint64_t parameters = 0, widths = 0;
  for (const auto& layer : network) {
    if (layer.type != nnworkflow::LayerType::Linear) continue;
    parameters += static_cast<std::uint64_t>(layer.in) * static_cast<std::uint64_t>(layer.out) +
                  static_cast<std::uint64_t>(layer.out);
    widths += static_cast<std::uint64_t>(layer.out);
  }
  return {parameters, widths};
}

}  // namespace

void check_network_limits(const std::vector<nnworkflow::NNTask>& network) {
  int linear = 0;
  for (std::size_t i = 0; i < network.size(); ++i) {
    if (network[i].type != nnworkflow::LayerType::Linear) continue;
    ++linear;
    const std::pair<const char*, int> widths[] = {{"in", network[i].in}, {"out", network[i].out}};
    for (const auto& [name, width] : widths) {
      if (width > kMaxLayerWidth) {
        throw InvalidInput("network[" + std::to_string(i) + "]: Linear." + name + " is " +
                           std::to_string(width) + ", over the maximum width of " +
                           std::to_string(kMaxLayerWidth));
      }
    }
  }
  if (linear > kMaxLinearLayers) {
    throw InvalidInput("network: " + std::to_string(linear) +
                       " Linear layers, over the maximum of " + std::to_string(kMaxLinearLayers));
  }
}

std::uint64_t estimate_training_bytes(const std::vector<nnworkflow::NNTask>& network,
                                      std::size_t rows, std::size_t features, std::size_t folds,
                                      int batches, int threads) {
  const auto [parameters, widths] = parameters_and_widths(network);
  const std::uint64_t lanes = static_cast<std::uint64_t>(std::max(threads, 1));
  const std::uint64_t parameter_bytes = 4 * parameters * (3 + lanes) * folds;
  const std::uint64_t data_bytes = 8 * rows * features + 4 * rows * (features + 1) * folds;
  const std::uint64_t batch_rows = rows / static_cast<std::uint64_t>(std::max(batches, 1)) + 1;
  const std::uint64_t activation_bytes = 4 * 2 * batch_rows * widths * lanes;
  return parameter_bytes + data_bytes + activation_bytes;
}

std::uint64_t estimate_device_bytes(const std::vector<nnworkflow::NNTask>& network,
                                    std::size_t rows, std::size_t features, std::size_t folds) {
  const std::uint64_t parameters = parameters_and_widths(network).first;
  return 4 * parameters * 4 * folds + 4 * static_cast<std::uint64_t>(rows) * (features + 1) * folds;
}

std::uint64_t host_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0
             ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page)
             : 0;
}

void check_memory(std::uint64_t needed, std::uint64_t budget) {
  if (budget == 0 || needed <= budget) return;
  throw InvalidInput("network: training needs about " + megabytes(needed) +
                     " MB (parameters, their optimizer copies, the data), over the memory limit "
                     "of " +
                     megabytes(budget) + " MB; make the layers narrower");
}

void check_device_memory(std::uint64_t needed, const kernels::DeviceInfo& device) {
  if (device.kind != "cuda" || device.memory_bytes == 0 || needed <= device.memory_bytes) return;
  throw InvalidInput(
      "network: training on GPU " + std::to_string(device.index) + " (" + device.name +
      ") needs about " + megabytes(needed) +
      " MB of device memory (the models, their optimizer copies, the rows), over its " +
      megabytes(device.memory_bytes) +
      " MB; make the layers narrower, use fewer rows or the cpu resource");
}

}  // namespace dlaaw::executor
