// prepared_training_test.cpp - training on a prepared dataset is the engine's run on the catalog
// dataset it was prepared from, bit for bit, when the steps are the paper's protocol.
#include "executor/prepared_training.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "../common/data_required.h"
#include "common/errors.h"
#include "executor/engine.h"
#include "nnworkflow/workflow_json.h"
#include "pipeline/pipeline_json.h"
#include "pipeline/prepare_dataset.h"

namespace dlaaw::executor {
namespace {

using nlohmann::json;

json pima_workflow(json plan) {
  return {{"schema", "dlaaw/workflow@1"},
          {"name", "nn2"},
          {"dataset", {{"catalog", "pima"}}},
          {"network", json::array({{{"type", "Linear"}, {"in", 8}, {"out", 5}},
                                   {{"type", "ReLU"}},
                                   {{"type", "Linear"}, {"in", 5}, {"out", 1}},
                                   {{"type", "Sigmoid"}}})},
          {"plan", plan},
          {"training", {{"epochs", 20}, {"batches", 6}, {"learning_rate", 0.1}, {"seed", 3}}}};
}

pipeline::PreparedDataset prepared_pima(json split, const std::string& data_dir) {
  const json doc = {
      {"schema", "dlaaw/pipeline@1"},
      {"name", "p"},
      {"tasks",
       json::array({{{"name", "prep"},
                     {"kind", "dataset"},
                     {"source", {{"catalog", "pima"}}},
                     {"steps",
                      json::array({{{"op", "drop_empty"}}, split, {{"op", "min_max_scale"}}})}}})}};
  const auto task = pipeline::pipeline_from_json(doc, std::nullopt).tasks.at(0);
  return pipeline::run_dataset_task(std::get<pipeline::DatasetSettings>(task.settings), data_dir,
                                    "tasks.prep");
}

void expect_same_training(json plan, json split) {
  const std::string data_dir = testing::paper_data_dir("diabetes.csv");
  const nnworkflow::ValidWorkflow workflow(nnworkflow::workflow_from_json(pima_workflow(plan)));
  EngineOptions options;
  options.data_dir = data_dir;
  options.threads = 1;
  const auto engine = run_workflow(workflow, options);
  const auto prepared = prepared_pima(split, data_dir);
  const auto ours = train_on_prepared(workflow, prepared, std::string(64, '0'), options);
  ASSERT_EQ(ours.folds.size(), engine.folds.size());
  for (std::size_t f = 0; f < ours.folds.size(); ++f) {
    EXPECT_EQ(ours.folds[f].model.parameters, engine.folds[f].model.parameters) << "fold " << f;
    EXPECT_EQ(ours.folds[f].model.scaler_min, engine.folds[f].model.scaler_min) << "fold " << f;
    EXPECT_EQ(ours.folds[f].metrics, engine.folds[f].metrics) << "fold " << f;
  }
  EXPECT_EQ(ours.metrics, engine.metrics);
}

TEST(PreparedTrainingTest, TrainTestMatchesTheEngineOnTheCatalogDataset) {
  DLAAW_REQUIRE_PAPER_FILE("diabetes.csv");
  expect_same_training(
      {{"type", "train_test"}, {"test_fraction", 0.2}},
      {{"op", "split"}, {"type", "train_test"}, {"test_fraction", 0.2}, {"seed", 3}});
}

TEST(PreparedTrainingTest, KFoldMatchesTheEngineOnTheCatalogDataset) {
  DLAAW_REQUIRE_PAPER_FILE("diabetes.csv");
  expect_same_training({{"type", "kfold"}, {"k", 3}},
                       {{"op", "split"}, {"type", "kfold"}, {"k", 3}, {"seed", 3}});
}

TEST(PreparedTrainingTest, RefusesAWidthThatIsNotTheFeatureCount) {
  DLAAW_REQUIRE_PAPER_FILE("diabetes.csv");
  json doc = pima_workflow({{"type", "train_test"}, {"test_fraction", 0.2}});
  doc["network"][0]["in"] = 7;
  doc["network"][0]["out"] = 5;
  const auto workflow = nnworkflow::workflow_from_json(doc);
  const auto prepared =
      prepared_pima({{"op", "split"}, {"type", "train_test"}, {"test_fraction", 0.2}, {"seed", 3}},
                    testing::paper_data_dir("diabetes.csv"));
  try {
    train_on_prepared(workflow, prepared, std::string(64, '0'), {});
    FAIL() << "a 7-wide network trained on 8 features";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("network[0]: Linear.in is 7"), std::string::npos)
        << e.what();
  }
}

// The checks a catalog run gets apply to a prepared dataset too (they share fold_training).
TEST(PreparedTrainingTest, ADivergingRunFailsAndASingleClassIsRefused) {
  DLAAW_REQUIRE_PAPER_FILE("diabetes.csv");
  const json split = {{"op", "split"}, {"type", "train_test"}, {"test_fraction", 0.2}, {"seed", 3}};
  auto prepared = prepared_pima(split, testing::paper_data_dir("diabetes.csv"));
  json doc = pima_workflow({{"type", "train_test"}, {"test_fraction", 0.2}});
  doc["training"]["learning_rate"] = 1e20;
  try {
    train_on_prepared(nnworkflow::workflow_from_json(doc), prepared, std::string(64, '0'), {});
    FAIL() << "a learning rate of 1e20 trained to an end";
  } catch (const JobFailed& e) {
    EXPECT_NE(std::string(e.what()).find("training diverged"), std::string::npos) << e.what();
  }
  std::fill(prepared.labels.begin(), prepared.labels.end(), 1.0f);
  const auto workflow = nnworkflow::workflow_from_json(
      pima_workflow({{"type", "train_test"}, {"test_fraction", 0.2}}));
  try {
    train_on_prepared(workflow, prepared, std::string(64, '0'), {});
    FAIL() << "a training set of one class was trained";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("every training row is class 1"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace dlaaw::executor
