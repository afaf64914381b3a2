// backend.cpp - what every backend shares: training several models one after the other.
#include "kernels/backend.h"

namespace dlaaw::kernels {

std::vector<TrainOutcome> Backend::train_many(const ModelSpec& spec,
                                              const std::vector<float>& initial,
                                              const std::vector<TrainingSet>& sets,
                                              const TrainConfig& config,
                                              const ModelEpochCallback& on_epoch) {
  std::vector<TrainOutcome> outcomes;
  for (std::size_t m = 0; m < sets.size(); ++m) {
    const EpochCallback one = [&, m](int epoch, double loss) {
      return !on_epoch || on_epoch(static_cast<int>(m), epoch, loss);
    };
    outcomes.push_back(train(spec, initial, *sets[m].x, *sets[m].y, config, one));
    if (outcomes.back().stopped) break;
  }
  return outcomes;
}

}  // namespace dlaaw::kernels
