// memory_budget.cpp - network caps and the memory estimate of a training run.
#include "executor/memory_budget.h"

#include <unistd.h>

#include <algorithm>
#include <string>

#include "common/errors.h"

namespace dlaaw::executor {
namespace {

std::string megabytes(std::uint64_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20); }

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
  std::uint64_t parameters = 0, widths = 0;
  for (const auto& layer : network) {
    if (layer.type != nnworkflow::LayerType::Linear) continue;
    parameters += static_cast<std::uint64_t>(layer.in) * static_cast<std::uint64_t>(layer.out) +
                  static_cast<std::uint64_t>(layer.out);
    widths += static_cast<std::uint64_t>(layer.out);
  }
  const std::uint64_t lanes = static_cast<std::uint64_t>(std::max(threads, 1));
  const std::uint64_t parameter_bytes = 4 * parameters * (3 + lanes) * folds;
  const std::uint64_t data_bytes = 8 * rows * features + 4 * rows * (features + 1) * folds;
  const std::uint64_t batch_rows = rows / static_cast<std::uint64_t>(std::max(batches, 1)) + 1;
  const std::uint64_t activation_bytes = 4 * 2 * batch_rows * widths * lanes;
  return parameter_bytes + data_bytes + activation_bytes;
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

}  // namespace dlaaw::executor
