// examples_test.cpp - every example pipeline reads, validates and expands as documented.
#include <filesystem>

#include <gtest/gtest.h>

#include "pipeline/pipeline_json.h"
#include "pipeline/sweep_expansion.h"
#include "pipeline/task_keys.h"

namespace dlaaw::pipeline {
namespace {

const std::filesystem::path kExamples =
    std::filesystem::path(DLAAW_SOURCE_DIR) / "examples" / "pipelines";

TEST(PipelineExamplesTest, EveryExampleIsValid) {
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kExamples)) {
    if (entry.path().extension() != ".json") continue;
    ++seen;
    SCOPED_TRACE(entry.path().string());
    const auto p = load_pipeline_file(entry.path().string());
    const auto expanded = expand_sweeps(p);
    const auto keys = task_keys(expanded, source_hashes(expanded, "."));
    EXPECT_EQ(keys.size(), expanded.tasks.size());
  }
  EXPECT_GE(seen, 2);
}

TEST(PipelineExamplesTest, ThePaperPipelineTrainsFiveNetworksOnTwoResourcesWithKFold) {
  const auto p = load_pipeline_file((kExamples / "paper.json").string());
  const auto expanded = expand_sweeps(p);
  int datasets = 0, trains = 0;
  std::map<std::string, int> by_resource;
  for (const auto& t : expanded.tasks) {
    if (t.kind() == TaskKind::Dataset) ++datasets;
    if (t.kind() != TaskKind::Train) continue;
    ++trains;
    ++by_resource[effective_resource(expanded, t)];
    const auto& plan = std::get<TrainSettings>(t.settings).workflow.plan;
    EXPECT_EQ(plan.type, nnworkflow::PlanType::KFold) << t.name;
    EXPECT_EQ(plan.k, 6) << t.name;
  }
  EXPECT_EQ(datasets, 5);
  EXPECT_EQ(trains, 10);
  EXPECT_EQ(by_resource, (std::map<std::string, int>{{"cpu", 5}, {"local-gpu", 5}}));
  const auto* figure = expanded.find("figure2");
  ASSERT_NE(figure, nullptr);
  EXPECT_EQ(figure->needs.size(), 10u) << "the comparison holds every run";
  EXPECT_EQ(std::get<TrainSettings>(expanded.find("nn4.1")->settings).workflow.network.front().in,
            13);
}

TEST(PipelineExamplesTest, TheTwoStagePipelineTrainsOnOneSubsetAndEvaluatesOnAnother) {
  const auto p = load_pipeline_file((kExamples / "two_stage.json").string());
  const auto& young = std::get<DatasetSettings>(p.find("young")->settings);
  const auto& older = std::get<DatasetSettings>(p.find("older")->settings);
  EXPECT_EQ(std::get<RowFilter>(young.steps[1]).test, Comparison::Less);
  EXPECT_EQ(std::get<RowFilter>(older.steps[1]).test, Comparison::GreaterEqual);
  EXPECT_EQ(p.find("on-older")->needs, (std::vector<std::string>{"nn2-young", "older"}));
  EXPECT_EQ(std::get<TrainSettings>(p.find("nn2-young")->settings).workflow.name, "nn2-pima");
}

}  // namespace
}  // namespace dlaaw::pipeline
