// workflow_validation_test.cpp - every validation rule, and the message that names its field.
#include "nnworkflow/workflow_validation.h"

#include <gtest/gtest.h>

#include "common/errors.h"

namespace dlaaw::nnworkflow {
namespace {

WorkflowDocument valid_document() {
  WorkflowDocument d;
  d.name = "pima";
  d.dataset.catalog = "pima";
  d.network = {Linear(8, 5), ReLU(), Linear(5, 3), ReLU(), Linear(3, 1), Sigmoid()};
  d.training.epochs = 1000;
  d.training.batches = 6;
  return d;
}

std::string error_of(const WorkflowDocument& d) {
  try {
    validate_workflow(d);
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(WorkflowValidationTest, AcceptsThePaperNetwork) {
  EXPECT_EQ(error_of(valid_document()), "(no error)");
}

TEST(WorkflowValidationTest, NamesAWidthMismatch) {
  auto d = valid_document();
  d.network[2] = Linear(4, 3);
  EXPECT_EQ(error_of(d), "network[2]: Linear.in is 4 but the previous layer gives 5");
}

TEST(WorkflowValidationTest, ChecksTheFirstLayerAgainstTheCatalog) {
  auto d = valid_document();
  d.network = {Linear(7, 1), Sigmoid()};
  EXPECT_EQ(error_of(d), "network[0]: Linear.in is 7 but dataset \"pima\" has 8 features");
}

TEST(WorkflowValidationTest, RequiresSigmoidWithOneOutputLast) {
  auto d = valid_document();
  d.network.back() = ReLU();
  EXPECT_EQ(error_of(d),
            "network[5]: the network must end with Sigmoid after a Linear with one "
            "output, since the loss is binary cross-entropy");
  d = valid_document();
  d.network[4] = Linear(3, 2);
  EXPECT_EQ(error_of(d),
            "network[5]: the network must end with Sigmoid after a Linear with one "
            "output, since the loss is binary cross-entropy");
}

TEST(WorkflowValidationTest, RefusesStackedActivationsAndALeadingActivation) {
  auto d = valid_document();
  d.network.insert(d.network.begin() + 2, Tanh());
  EXPECT_EQ(error_of(d),
            "network[2]: Tanh follows another activation; put a Linear layer between them");
  d = valid_document();
  d.network.insert(d.network.begin(), ReLU());
  EXPECT_EQ(error_of(d), "network[0]: the network must start with a Linear layer, not ReLU");
}

TEST(WorkflowValidationTest, NamesMissingOrNegativeEpochs) {
  auto d = valid_document();
  d.training.epochs.reset();
  EXPECT_EQ(error_of(d), "training.epochs: missing (how many passes over the data)");
  d.training.epochs = -5;
  EXPECT_EQ(error_of(d), "training.epochs: must be a positive integer, got -5");
}

TEST(WorkflowValidationTest, NamesBadPlans) {
  auto d = valid_document();
  d.plan = PlanSpec{PlanType::KFold, std::nullopt, 1};
  EXPECT_EQ(error_of(d), "plan.k: must be from 2 to 100 folds, got 1");
  // Every fold holds a copy of the rows: a k of a million used to reach the allocator.
  d.plan = PlanSpec{PlanType::KFold, std::nullopt, 1'000'000};
  EXPECT_EQ(error_of(d), "plan.k: must be from 2 to 100 folds, got 1000000");
  d.plan = PlanSpec{PlanType::KFold, std::nullopt, 100};
  EXPECT_EQ(error_of(d), "(no error)");
  d.plan = PlanSpec{PlanType::TrainTest, 1.5, std::nullopt};
  EXPECT_EQ(error_of(d), "plan.test_fraction: must be between 0 and 1 (exclusive), got 1.500000");
}

TEST(WorkflowValidationTest, NamesBadTrainingValues) {
  auto d = valid_document();
  d.training.batch_size = 32;
  EXPECT_EQ(error_of(d), "training: give batches or batch_size, not both");
  d = valid_document();
  d.training.momentum = 1.0;
  EXPECT_EQ(error_of(d), "training.momentum: must be in [0, 1), got 1.000000");
  d = valid_document();
  d.training.learning_rate = 0.0;
  EXPECT_EQ(error_of(d), "training.learning_rate: must be positive, got 0.000000");
}

TEST(WorkflowValidationTest, NamesAnUnknownDatasetAndResource) {
  auto d = valid_document();
  d.dataset.catalog = "iris";
  EXPECT_EQ(error_of(d),
            "dataset.catalog: unknown dataset \"iris\" (known: breast_cancer, pima, "
            "banknote, grid_stability, bank_marketing)");
  // Which resources exist is the registry's business (tests/resources); the document only has to
  // name one in a form that can become a queue key.
  d = valid_document();
  d.resource = "tpu";
  EXPECT_EQ(error_of(d), "(no error)");
  d.resource = "TPU pod!";
  EXPECT_EQ(error_of(d),
            "resource: \"TPU pod!\" is not a resource name (1 to 64 of a-z, 0-9, '-', '_' and "
            "'.', starting with a letter or digit)");
}

TEST(WorkflowValidationTest, AcceptsEachKernelAndMemoryModeAndNamesOthers) {
  auto d = valid_document();
  for (const char* kernel : {"auto", "cooperative", "block"}) {
    d.training.kernel = kernel;
    EXPECT_EQ(error_of(d), "(no error)") << kernel;
  }
  for (const char* memory : {"auto", "device", "zero_copy", "managed"}) {
    d.memory = memory;
    EXPECT_EQ(error_of(d), "(no error)") << memory;
  }
  d.training.kernel = "warp";
  EXPECT_EQ(error_of(d),
            "training.kernel: \"warp\" is not a kernel (expected auto, cooperative or block)");
  d.training.kernel.reset();
  d.memory = "pinned";
  EXPECT_EQ(error_of(d),
            "memory: \"pinned\" is not a memory mode (expected auto, device, zero_copy or "
            "managed)");
}

}  // namespace
}  // namespace dlaaw::nnworkflow
