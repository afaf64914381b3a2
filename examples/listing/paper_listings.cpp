// paper_listings.cpp - the paper's Listings 1 and 2 in dlaaw's C++ API.
//
// Listing 1 designs a network as a workflow of layer tasks; Listing 2 trains it with a local
// trainer (6 mini-batches, 1000 epochs) and reads the result. Run from the repository root with
// DLAAW_DATA_DIR pointing at the paper's datasets:
//   build/examples/paper_listings [breast_cancer|pima|banknote|grid_stability|bank_marketing]
#include <cstdio>
#include <string>

#include "cli/exit_codes.h"
#include "client/nn_trainer.h"
#include "datasets/data_dir.h"
#include "nnworkflow/nn_workflow.h"

namespace nn = dlaaw::nnworkflow;

// Listing 1: four layer tasks, Linear(5,3) ReLU Linear(3,1) Sigmoid (the paper's network 1).
class BreastCancerNet : public nn::NNWorkflow {
 public:
  BreastCancerNet() : NNWorkflow("listing1-breast-cancer") { use_catalog("breast_cancer"); }

  void design() override {
    Sequential(nn::Linear(5, 3), nn::ReLU(), nn::Linear(3, 1), nn::Sigmoid());
  }
};

int main() {
  return dlaaw::cli::run_guarded([] {
    // Listing 2: a local trainer with 6 batches and 1000 epochs.
    BreastCancerNet network;
    dlaaw::executor::EngineOptions options;
    options.data_dir = dlaaw::datasets::resolve_data_dir(std::nullopt);
    dlaaw::client::NNTrainer trainer(network, /*batches=*/6, /*epochs=*/1000, options);
    const dlaaw::results::RunResult result = trainer.train();

    const auto& m = result.metrics;
    std::printf("%s: test accuracy %.3f, AUC %.3f, final loss %.4f, trained in %.0f ms\n",
                result.workflow.name.c_str(), m.accuracy.value_or(0.0), m.auc.value_or(0.0),
                result.folds.front().loss.back(), result.timings.train);
    return 0;
  });
}
