// pipeline_json_test.cpp - reading and writing pipeline documents, and the paths in their errors.
#include "pipeline/pipeline_json.h"

#include <gtest/gtest.h>

#include "../common/temp_dir.h"
#include "pipeline_fixtures.h"

namespace dlaaw::pipeline {
namespace {

using namespace testing;

TEST(PipelineJsonTest, ReadsEveryKindWithItsSettings) {
  const auto p = parsed(small_pipeline());
  ASSERT_EQ(p.tasks.size(), 7u);
  EXPECT_EQ(p.tasks[0].kind(), TaskKind::Dataset);
  const auto& prep = std::get<DatasetSettings>(p.tasks[0].settings);
  EXPECT_EQ(prep.source.catalog, "pima");
  ASSERT_EQ(prep.steps.size(), 3u);
  const auto& split = std::get<SplitRows>(prep.steps[1]);
  EXPECT_EQ(split.plan.type, nnworkflow::PlanType::TrainTest);
  EXPECT_EQ(split.plan.test_fraction, 0.2);
  const auto& train = std::get<TrainSettings>(p.tasks[1].settings);
  EXPECT_EQ(train.workflow.name, "nn") << "a workflow without a name takes its task's";
  EXPECT_EQ(train.workflow.dataset, datasets::DatasetSpec{})
      << "the prepared dataset replaces the workflow's";
  EXPECT_EQ(p.tasks[4].kind(), TaskKind::Evaluate);
  EXPECT_EQ(p.tasks[5].kind(), TaskKind::Predict);
  EXPECT_EQ(p.tasks[6].kind(), TaskKind::Compare);
  EXPECT_EQ(p.tasks[6].needs, (std::vector<std::string>{"nn", "nn-b", "eval"}));
}

TEST(PipelineJsonTest, WritingAndReadingGivesTheSameDocument) {
  json j = small_pipeline();
  j["description"] = "a test";
  j["resource"] = "cpu";
  j["tasks"][0]["steps"] =
      json::array({{{"op", "drop_empty"}},
                   {{"op", "select"}, {"columns", {"Age", "BMI", "Glucose"}}},
                   {{"op", "filter"}, {"column", "Age"}, {"is", ">="}, {"value", 21}},
                   {{"op", "filter"}, {"column", "Outcome"}, {"is", "in"}, {"value", {"0", 1}}},
                   {{"op", "ordinal"}, {"columns", {"BMI"}}, {"categories", {{"BMI", {"a", "b"}}}}},
                   {{"op", "one_hot"}, {"columns", {"Glucose"}}},
                   split_step(5, 7),
                   {{"op", "min_max_scale"}}});
  j["tasks"][1]["resource"] = "local-gpu";
  j["tasks"][4]["threshold"] = 0.3;
  const auto p = pipeline_from_json(j, ".");
  const json written = pipeline_to_json(p);
  EXPECT_EQ(pipeline_from_json(written, "."), p) << written.dump(2);
  EXPECT_EQ(pipeline_to_json(pipeline_from_json(written, ".")), written)
      << "the written form is a fixed point";
  EXPECT_EQ(written["tasks"][0]["steps"][6],
            json({{"op", "split"}, {"type", "kfold"}, {"k", 5}, {"seed", 7}}));
}

TEST(PipelineJsonTest, ErrorsNameTheFieldPath) {
  json j = small_pipeline();
  j["tasks"][0]["steps"][2] = {{"op", "normalize"}};
  EXPECT_EQ(error_of(j),
            "tasks.prep.steps[2].op: unknown step \"normalize\" (expected drop_empty, select, "
            "drop, filter, "
            "ordinal, one_hot, split or min_max_scale)");

  j = small_pipeline();
  j["tasks"][0]["steps"][1]["k"] = 5;
  EXPECT_EQ(error_of(j),
            "tasks.prep.steps[1].k: a train_test split takes no k (did you mean kfold?)");

  j = small_pipeline();
  j["tasks"][0]["steps"][0]["columns"] = {"x"};
  EXPECT_EQ(error_of(j), "tasks.prep.steps[0].columns: unknown field");

  j = small_pipeline();
  j["tasks"][1]["workflow"]["training"]["learnig_rate"] = 0.1;
  EXPECT_EQ(error_of(j), "tasks.nn.workflow.training.learnig_rate: unknown field");

  j = small_pipeline();
  j["tasks"][1]["workflow"]["network"][0]["in"] = "8";
  EXPECT_EQ(error_of(j), "tasks.nn.workflow.network[0].in: must be an integer, got \"8\" (string)");

  j = small_pipeline();
  j["tasks"][2]["kind"] = "shell";
  EXPECT_EQ(error_of(j),
            "tasks.nn-b.kind: unknown kind \"shell\" (expected dataset, train, evaluate, predict, "
            "compare or sweep)");

  j = small_pipeline();
  j["tasks"][3]["name"] = "a b";
  EXPECT_EQ(error_of(j),
            "tasks[3].name: \"a b\" is not a plain name (1 to 64 letters, digits, - or _)");

  j = small_pipeline();
  j["tasks"][0]["steps"][1] = {{"op", "filter"}, {"column", "Age"}, {"is", "~"}, {"value", 3}};
  EXPECT_EQ(
      error_of(j),
      "tasks.prep.steps[1].is: unknown comparison \"~\" (expected ==, !=, <, <=, >, >= or in)");

  j = small_pipeline();
  j["tasks"][0]["steps"][1] = {
      {"op", "filter"}, {"column", "Age"}, {"is", "in"}, {"value", {1, true}}};
  EXPECT_EQ(error_of(j),
            "tasks.prep.steps[1].value[1]: must be a number or a string, got true (boolean)");

  j = small_pipeline();
  j["tasks"][1]["workflow_file"] = "nn.json";
  EXPECT_EQ(error_of(j), "tasks.nn.workflow: give \"workflow\" or \"workflow_file\", not both");

  j = small_pipeline();
  j["schema"] = "dlaaw/workflow@1";
  EXPECT_EQ(error_of(j),
            "schema: \"dlaaw/workflow@1\" is not supported (expected \"dlaaw/pipeline@1\")");
}

TEST(PipelineJsonTest, ReadsWorkflowAndSweepFilesRelativeToThePipeline) {
  dlaaw::testing::TempDir dir;
  json workflow = workflow_json(8);
  workflow["schema"] = "dlaaw/workflow@1";
  workflow["name"] = "from-file";
  workflow["dataset"] = {{"catalog", "breast_cancer"}};  // replaced by the dataset task's output
  dir.write("nets/nn.json", workflow.dump());
  dir.write("nets/sweep.json", json({{"schema", "dlaaw/sweep@1"},
                                     {"name", "s"},
                                     {"workflow", "nn.json"},
                                     {"axes", {{"seed", {1, 2}}}}})
                                   .dump());
  json j = small_pipeline();
  j["tasks"][1].erase("workflow");
  j["tasks"][1]["workflow_file"] = "nets/nn.json";
  j["tasks"].push_back({{"name", "grid"},
                        {"kind", "sweep"},
                        {"needs", {"prep"}},
                        {"sweep_file", "nets/sweep.json"}});
  dir.write("p.json", j.dump());
  const auto p = load_pipeline_file((dir.path() / "p.json").string());
  EXPECT_EQ(std::get<TrainSettings>(p.tasks[1].settings).workflow.name, "from-file");
  const auto& sweep = std::get<SweepSettings>(p.tasks[7].settings).sweep;
  ASSERT_EQ(sweep.workflows.size(), 1u);
  EXPECT_FALSE(sweep.workflows[0].contains("dataset")) << sweep.workflows[0].dump();

  j["tasks"][1]["workflow_file"] = "nets/missing.json";
  dir.write("p.json", j.dump());
  try {
    load_pipeline_file((dir.path() / "p.json").string());
    FAIL() << "a missing workflow file is an error";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("tasks.nn.workflow_file: "), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("missing.json: cannot open the file"), std::string::npos)
        << e.what();
  }
}

TEST(PipelineJsonTest, AStoredPipelineReadsNoFiles) {
  auto error_without_files = [](const json& j) {
    try {
      pipeline_from_json(j, std::nullopt);
    } catch (const InvalidInput& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  json j = small_pipeline();
  j["tasks"][1].erase("workflow");
  j["tasks"][1]["workflow_file"] = "/etc/passwd";
  EXPECT_EQ(error_without_files(j),
            "tasks.nn.workflow_file: no file is read for a stored pipeline; inline the document");
  j = small_pipeline();
  j["tasks"].push_back({{"name", "grid"},
                        {"kind", "sweep"},
                        {"needs", {"prep"}},
                        {"sweep", {{"workflows", {workflow_json(8), "../nn.json"}}}}});
  EXPECT_EQ(
      error_without_files(j),
      "tasks.grid.sweep.workflows[1]: no file is read for a stored pipeline; inline the document");
  j["tasks"].back()["sweep"]["workflows"].erase(1);
  const auto p = pipeline_from_json(j, std::nullopt);
  EXPECT_EQ(pipeline_from_json(pipeline_to_json(p), std::nullopt), p)
      << "the written form of any pipeline is self-contained";
}

}  // namespace
}  // namespace dlaaw::pipeline
