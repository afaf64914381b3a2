// workflow_document.h - the workflow document "dlaaw/workflow@1" as plain data.
//
// Optional fields stay optional here, so that a document read and written again is the same JSON
// (round-trip exact); the accessors give the effective values with their defaults.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "datasets/dataset.h"
#include "nnworkflow/nn_task.h"

namespace dlaaw::nnworkflow {

inline constexpr const char* kWorkflowSchema = "dlaaw/workflow@1";

enum class PlanType { TrainTest, KFold };

struct PlanSpec {
  PlanType type = PlanType::TrainTest;
  std::optional<double> test_fraction;  // train_test; default 0.2
  std::optional<int> k;                 // kfold; required
  bool operator==(const PlanSpec&) const = default;

  double effective_test_fraction() const { return test_fraction.value_or(0.2); }
};

struct TrainingSpec {
  std::optional<std::int64_t> epochs;   // required, >= 1
  std::optional<int> batches;           // mini-batches per epoch; default 6
  std::optional<int> batch_size;        // rows per mini-batch, instead of batches
  std::optional<double> learning_rate;  // default 0.1
  std::optional<double> momentum;       // default 0.9
  std::optional<std::string> init;      // "xavier_uniform" (the only one)
  std::optional<std::uint64_t> seed;    // default 1
  std::optional<std::string> kernel;    // "auto", "cooperative" or "block" (CUDA backends)
  bool operator==(const TrainingSpec&) const = default;

  double effective_learning_rate() const { return learning_rate.value_or(0.1); }
  double effective_momentum() const { return momentum.value_or(0.9); }
  std::uint64_t effective_seed() const { return seed.value_or(1); }
  // Mini-batches for `rows` training rows: `batches`, or ceil(rows / batch_size), or 6.
  int batches_for(std::size_t rows) const;
};

struct WorkflowDocument {
  std::string name;
  datasets::DatasetSpec dataset;
  std::vector<NNTask> network;
  PlanSpec plan;
  TrainingSpec training;
  std::optional<std::string> resource;  // a resource of the registry, or "any"
  std::optional<std::string> memory;    // "auto", "device", "zero_copy" or "managed" (CUDA)
  bool operator==(const WorkflowDocument&) const = default;
};

}  // namespace dlaaw::nnworkflow
