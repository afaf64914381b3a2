// tracker_fixture.h - a temp database filled by real runs of the engine.
#pragma once

#include <gtest/gtest.h>

#include "../common/temp_dir.h"
#include "executor/engine.h"
#include "tracker/run_store.h"

namespace dlaaw::tracker {

inline results::RunResult synthetic_result(int features, bool kfold, std::uint64_t seed,
                                           int epochs = 20) {
  nnworkflow::WorkflowDocument d;
  d.name = kfold ? "blobs-kfold" : "blobs";
  d.dataset.synthetic = datasets::SyntheticSpec{600, features, seed};
  d.network = {nnworkflow::Linear(features, 3), nnworkflow::ReLU(), nnworkflow::Linear(3, 1),
               nnworkflow::Sigmoid()};
  d.plan = kfold ? nnworkflow::PlanSpec{nnworkflow::PlanType::KFold, std::nullopt, 3}
                 : nnworkflow::PlanSpec{nnworkflow::PlanType::TrainTest, 0.25, std::nullopt};
  d.training.epochs = epochs;
  d.training.seed = seed;
  executor::EngineOptions options;
  options.threads = 1;
  return executor::run_workflow(nnworkflow::ValidWorkflow(d), options);
}

}  // namespace dlaaw::tracker
