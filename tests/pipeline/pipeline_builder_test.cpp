// pipeline_builder_test.cpp - the C++ API builds the same pipeline as the JSON document.
#include "pipeline/pipeline_builder.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "nnworkflow/workflow_json.h"
#include "pipeline/pipeline_json.h"

namespace dlaaw::pipeline {
namespace {

namespace nn = dlaaw::nnworkflow;

const std::string kExamples = std::string(DLAAW_SOURCE_DIR) + "/examples/pipelines/";

// The paper's network 2 in the style of Listing 1 (examples/paper/nn2.json as code).
class PimaNet : public nn::NNWorkflow {
 public:
  PimaNet() : NNWorkflow("nn2-pima") {
    use_catalog("pima");
    learning_rate(0.1).momentum(0.9).seed(1).resource("cpu");
    training().epochs = 1000;
    training().batches = 6;
    training().init = "xavier_uniform";
  }
  void design() override {
    Sequential(nn::Linear(8, 5), nn::ReLU(), nn::Linear(5, 3), nn::ReLU(), nn::Linear(3, 1),
               nn::Sigmoid());
  }
};

TEST(PipelineBuilderTest, BuildsTheTwoStageExampleExactly) {
  const PipelineDocument from_json = load_pipeline_file(kExamples + "two_stage.json");
  Pipeline p("two-stage");
  p.describe(*from_json.description).resource("cpu");
  p.add(Task::dataset("young")
            .catalog("pima")
            .drop_empty()
            .filter("Age", "<", 40.0)
            .split_train_test(0.2, 1)
            .min_max_scale());
  p.add(Task::dataset("older").catalog("pima").drop_empty().filter("Age", ">=", 40.0));
  p.add(Task::train("nn2-young").needs("young").workflow(PimaNet{}));
  p.add(Task::evaluate("on-older").needs("nn2-young", "older"));
  p.add(Task::predict("older-scores").needs("nn2-young", "older"));
  p.add(Task::compare("carry-over").needs("nn2-young", "on-older"));
  const PipelineDocument built = p.document();
  EXPECT_EQ(built, from_json) << pipeline_to_json(built).dump(2) << "\n"
                              << pipeline_to_json(from_json).dump(2);
}

TEST(PipelineBuilderTest, BuildsThePaperExampleWithSweeps) {
  const PipelineDocument from_json = load_pipeline_file(kExamples + "paper.json");
  Pipeline p("paper");
  p.describe(*from_json.description).resource("cpu");
  const std::vector<std::string> catalogs = {"breast_cancer", "pima", "banknote", "grid_stability",
                                             "bank_marketing"};
  for (const auto& c : catalogs)
    p.add(Task::dataset(c).catalog(c).drop_empty().split_kfold(6, 1).min_max_scale());
  Task figure = Task::compare("figure2");
  for (std::size_t i = 0; i < catalogs.size(); ++i) {
    const std::string name = "nn" + std::to_string(i + 1);
    nn::SweepDocument sweep;
    sweep.name = name;
    sweep.workflows = {nn::workflow_to_json(nn::load_workflow_file(
        std::string(DLAAW_SOURCE_DIR) + "/examples/paper/" + name + ".json"))};
    sweep.axes = {{"plan", {{{"type", "kfold"}, {"k", 6}}}}, {"resource", {"cpu", "local-gpu"}}};
    p.add(Task::sweep(name).needs(catalogs[i]).members(sweep));
    figure.needs(name);
  }
  p.add(figure);
  EXPECT_EQ(p.document(), from_json);
}

TEST(PipelineBuilderTest, RefusesSettingsOfAnotherKindAndInvalidPipelines) {
  try {
    Task::train("nn").catalog("pima");
    FAIL() << "a train task has no catalog";
  } catch (const InvalidInput& e) {
    EXPECT_STREQ(e.what(), "tasks.nn: catalog() is for dataset tasks, not train");
  }
  EXPECT_THROW(Task::dataset("d").filter("Age", "~", 1.0), InvalidInput);
  Pipeline p("bad");
  p.add(Task::dataset("d").catalog("pima").drop_empty().split_train_test(0.2));
  p.add(Task::train("nn").needs("d").workflow(PimaNet{}));
  p.add(Task::train("nn5").needs("d").workflow(
      nn::load_workflow_file(std::string(DLAAW_SOURCE_DIR) + "/examples/paper/nn5.json")));
  try {
    p.document();
    FAIL() << "network 5 takes 16 inputs, pima gives 8";
  } catch (const InvalidInput& e) {
    EXPECT_STREQ(
        e.what(),
        "tasks.nn5.workflow.network[0]: Linear.in is 16 but dataset task \"d\" gives 8 features");
  }
}

}  // namespace
}  // namespace dlaaw::pipeline
