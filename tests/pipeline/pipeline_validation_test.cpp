// pipeline_validation_test.cpp - the whole-DAG checks: names, cycles, kinds and shapes.
#include "pipeline/pipeline_validation.h"

#include <gtest/gtest.h>

#include "pipeline/sweep_expansion.h"
#include "pipeline_fixtures.h"

namespace dlaaw::pipeline {
namespace {

using namespace testing;

TEST(PipelineValidationTest, AcceptsAWellFormedPipeline) {
  EXPECT_EQ(error_of(small_pipeline()), "");
}

TEST(PipelineValidationTest, NamesAnUnknownNeed) {
  json j = small_pipeline();
  j["tasks"][1]["needs"] = {"prepp"};
  EXPECT_EQ(error_of(j),
            "tasks.nn.needs[0]: unknown task \"prepp\" (tasks: prep, nn, nn-b, other, eval, guess, "
            "table)");
}

TEST(PipelineValidationTest, NamesADuplicateTask) {
  json j = small_pipeline();
  j["tasks"][2]["name"] = "nn";
  EXPECT_EQ(error_of(j),
            "tasks[2].name: \"nn\" is the name of an earlier task too (task names must differ)");
}

TEST(PipelineValidationTest, NamesTheWholeCycle) {
  json j = pipeline_json(json::array({task("a", "compare", {"b"}), task("b", "compare", {"c"}),
                                      task("c", "compare", {"a"}), dataset_task("d")}));
  EXPECT_EQ(error_of(j), "tasks.a.needs: cycle a -> b -> c -> a (each task needs the next)");
  j = pipeline_json(json::array({task("self", "compare", {"self"})}));
  EXPECT_EQ(error_of(j), "tasks.self.needs: cycle self -> self (each task needs the next)");
}

TEST(PipelineValidationTest, RefusesKindsThatDoNotFit) {
  json j = small_pipeline();
  j["tasks"][2]["needs"] = {"guess"};
  EXPECT_EQ(error_of(j),
            "tasks.nn-b.needs: a train task needs exactly one dataset task, got \"guess\" (a "
            "predict task)");

  j = small_pipeline();
  j["tasks"][4]["needs"] = {"nn", "nn-b"};
  EXPECT_EQ(error_of(j),
            "tasks.eval.needs: an evaluate task needs one train task and one dataset task, got "
            "\"nn\" (a train "
            "task), \"nn-b\" (a train task)");

  j = small_pipeline();
  j["tasks"][6]["needs"] = {"nn", "other"};
  EXPECT_EQ(error_of(j),
            "tasks.table.needs: a compare task compares train, sweep and evaluate tasks, not "
            "\"other\" (a dataset task)");

  j = small_pipeline();
  j["tasks"][6]["needs"] = {"nn"};
  EXPECT_EQ(error_of(j),
            "tasks.table.needs: a compare task needs at least two results to compare, got 1");

  j = small_pipeline();
  j["tasks"][3]["needs"] = {"prep"};
  EXPECT_EQ(error_of(j), "tasks.other.needs: a dataset task reads its source and needs no task");

  j = small_pipeline();
  j["tasks"][4]["needs"] = {"nn", "prep"};
  EXPECT_EQ(error_of(j),
            "tasks.eval.needs: \"nn\" trained on \"prep\"; evaluate it on another dataset task "
            "(its split's test "
            "rows are already in its result)");
}

TEST(PipelineValidationTest, ChecksWhatATaskNeedsBeforeTheTask) {
  // The evaluate task comes first in the document, but its train task's needs are checked first.
  json j = pipeline_json(json::array({task("eval", "evaluate", {"nn", "other"}),
                                      dataset_task("other"), task("nn", "train", json::array())}));
  j["tasks"][2]["workflow"] = workflow_json(8);
  EXPECT_EQ(error_of(j), "tasks.nn.needs: a train task needs exactly one dataset task, got none");
}

TEST(PipelineValidationTest, ATrainTaskNeedsALabelledSplitDataset) {
  json j = small_pipeline();
  j["tasks"][1]["needs"] = {"other"};
  EXPECT_EQ(error_of(j),
            "tasks.nn.needs: dataset task \"other\" has no split step; a train task trains on a "
            "split dataset "
            "(add {\"op\": \"split\", ...})");

  j = small_pipeline();
  j["tasks"][3]["source"] = {{"path", "new.csv"}};  // no label: only a predict task can use it
  EXPECT_EQ(error_of(j),
            "tasks.eval.needs: dataset task \"other\" has no label column to evaluate against");
  j["tasks"].erase(4);
  j["tasks"][5]["needs"] = {"nn", "nn-b"};
  EXPECT_EQ(error_of(j), "") << "a predict task may use unlabelled rows";
}

TEST(PipelineValidationTest, ComparesTheNetworkWidthWithTheStaticFeatureCount) {
  json j = small_pipeline();
  j["tasks"][1]["workflow"]["network"][0]["in"] = 5;
  EXPECT_EQ(
      error_of(j),
      "tasks.nn.workflow.network[0]: Linear.in is 5 but dataset task \"prep\" gives 8 features");

  // Dropping two of pima's eight columns leaves six.
  j = small_pipeline();
  j["tasks"][0]["steps"].insert(j["tasks"][0]["steps"].begin(),
                                json{{"op", "drop"}, {"columns", {"Age", "BMI"}}});
  EXPECT_NE(error_of(j).find("Linear.in is 8 but dataset task \"prep\" gives 6 features"),
            std::string::npos);
  j["tasks"][1]["workflow"]["network"][0]["in"] = 6;
  j["tasks"][2]["workflow"]["network"][0]["in"] = 6;
  EXPECT_NE(
      error_of(j).find(
          "tasks.eval.needs: dataset task \"other\" gives 8 features but \"nn\" was trained on 6"),
      std::string::npos)
      << "an evaluated model's features must match the rows' too";
}

TEST(PipelineValidationTest, OneHotWithListedCategoriesKeepsTheWidthKnown) {
  json j = pipeline_json(json::array(
      {dataset_task("bank", "bank_marketing",
                    json::array({{{"op", "drop_empty"}},
                                 {{"op", "one_hot"},
                                  {"columns", {"marital"}},
                                  {"categories", {{"marital", {"divorced", "married", "single"}}}}},
                                 split_step(),
                                 {{"op", "min_max_scale"}}})),
       train_task("nn", "bank", 16)}));
  EXPECT_EQ(
      error_of(j),
      "tasks.nn.workflow.network[0]: Linear.in is 16 but dataset task \"bank\" gives 18 features");
  j["tasks"][1]["workflow"]["network"][0]["in"] = 18;
  EXPECT_EQ(error_of(j), "");
}

TEST(PipelineValidationTest, SkipsTheStaticCheckWhenOneHotCategoriesComeFromTheData) {
  json j = pipeline_json(json::array(
      {dataset_task(
           "bank", "bank_marketing",
           json::array(
               {{{"op", "drop_empty"}}, {{"op", "one_hot"}, {"columns", {"job"}}}, split_step()})),
       train_task("nn", "bank", 40)}));
  EXPECT_EQ(error_of(j), "")
      << "the width is known only at run time, where prepare_dataset reports it";
}

TEST(PipelineValidationTest, TheWorkflowPlanMustBeTheDatasetSplit) {
  json j = small_pipeline();
  j["tasks"][0]["steps"][1] = split_step(6);
  j["tasks"][2]["workflow"]["plan"] = {{"type", "kfold"}, {"k", 6}};
  EXPECT_EQ(error_of(j),
            "tasks.nn.workflow.plan: train_test with test_fraction = 0.200000, but dataset task "
            "\"prep\" splits "
            "kfold with k = 6; make them the same (the dataset task's split is the one used)");
}

TEST(PipelineValidationTest, ChecksStepsAndSettings) {
  auto with_steps = [](json steps) {
    json j = small_pipeline();
    j["tasks"][0]["steps"] = steps;
    return error_of(j);
  };
  EXPECT_EQ(
      with_steps(json::array({{{"op", "drop_empty"}}, {{"op", "min_max_scale"}}, split_step()})),
      "tasks.prep.steps[1].op: min_max_scale needs a split before it (it is fitted on the training "
      "rows only)");
  EXPECT_EQ(
      with_steps(json::array({split_step(), {{"op", "drop_empty"}}})),
      "tasks.prep.steps[1].op: drop_empty after the split (only min_max_scale may follow it)");
  EXPECT_EQ(
      with_steps(json::array({{{"op", "select"}, {"columns", {"Age", "Outcome"}}}, split_step()})),
      "tasks.prep.steps[0].columns[1]: \"Outcome\" is the label, which select cannot take (the "
      "label is "
      "always kept as the class)");
  EXPECT_EQ(
      with_steps(json::array(
          {{{"op", "filter"}, {"column", "Age"}, {"is", "<"}, {"value", "40"}}, split_step()})),
      "tasks.prep.steps[0].value: < compares numbers, but \"40\" is a string");
  EXPECT_EQ(with_steps(json::array({split_step(1)})),
            "tasks.prep.steps[0].k: must be from 2 to 100 folds, got 1");
  EXPECT_EQ(with_steps(json::array(
                {{{"op", "ordinal"}, {"columns", {"Age"}}, {"categories", {{"BMI", {"x"}}}}},
                 split_step()})),
            "tasks.prep.steps[0].categories.BMI: \"BMI\" is not in this step's columns");

  json j = small_pipeline();
  j["tasks"][0]["source"] = {{"catalog", "pima"}, {"label", "Age"}};
  EXPECT_EQ(error_of(j),
            "tasks.prep.source: a catalog source takes no label, positive or header (the catalog "
            "sets them)");
  j["tasks"][0]["source"] = {{"catalog", "iris"}};
  EXPECT_NE(error_of(j).find("tasks.prep.source.catalog: unknown dataset \"iris\""),
            std::string::npos);

  j = small_pipeline();
  j["tasks"][4]["threshold"] = 1.5;
  EXPECT_EQ(error_of(j), "tasks.eval.threshold: must be between 0 and 1 (exclusive), got 1.500000");

  j = small_pipeline();
  j["tasks"][1]["workflow"]["training"]["momentum"] = 1.0;
  EXPECT_EQ(error_of(j), "tasks.nn.workflow.training.momentum: must be in [0, 1), got 1.000000");

  j = small_pipeline();
  j["tasks"][1]["resource"] = "gpu:0";
  EXPECT_EQ(error_of(j), "tasks.nn.resource: \"gpu:0\" is not a resource name");
}

json sweep_pipeline(json axes) {
  return pipeline_json(
      json::array({dataset_task("prep"),
                   {{"name", "grid"},
                    {"kind", "sweep"},
                    {"needs", {"prep"}},
                    {"sweep", {{"workflows", json::array({workflow_json(8)})}, {"axes", axes}}}},
                   task("table", "compare", {"grid"})}));
}

TEST(PipelineValidationTest, ExpandsASweepIntoNamedTrainTasks) {
  const auto p = parsed(sweep_pipeline({{"seed", {1, 2, 3}}, {"resource", {"cpu", "local-gpu"}}}));
  const auto expanded = expand_sweeps(p);
  ASSERT_EQ(expanded.tasks.size(), 8u);
  EXPECT_EQ(expanded.tasks[1].name, "grid.1");
  EXPECT_EQ(expanded.tasks[6].name, "grid.6");
  for (std::size_t i = 1; i <= 6; ++i) {
    EXPECT_EQ(expanded.tasks[i].kind(), TaskKind::Train);
    EXPECT_EQ(expanded.tasks[i].needs, std::vector<std::string>{"prep"});
    EXPECT_EQ(std::get<TrainSettings>(expanded.tasks[i].settings).sweep, "grid");
  }
  // Axes go in name order (resource, seed), the last one changing fastest.
  EXPECT_EQ(effective_resource(expanded, expanded.tasks[1]), "cpu")
      << "the resource axis places each member";
  EXPECT_EQ(effective_resource(expanded, expanded.tasks[4]), "local-gpu");
  EXPECT_EQ(std::get<TrainSettings>(expanded.tasks[2].settings).workflow.training.seed, 2u);
  EXPECT_EQ(std::get<TrainSettings>(expanded.tasks[2].settings).label, "grid resource=cpu seed=2");
  EXPECT_EQ(expanded.tasks[7].needs,
            (std::vector<std::string>{"grid.1", "grid.2", "grid.3", "grid.4", "grid.5", "grid.6"}))
      << "a need naming a sweep means all its members";
  EXPECT_EQ(expand_sweeps(p), expanded) << "expansion is deterministic";
}

TEST(PipelineValidationTest, RefusesSweepsTooLargeToExpand) {
  json seeds = json::array();
  for (int i = 0; i < 1001; ++i) seeds.push_back(i);
  json lrs = json::array();
  for (int i = 1; i <= 11; ++i) lrs.push_back(i / 100.0);
  EXPECT_EQ(error_of(sweep_pipeline({{"seed", seeds}, {"learning_rate", lrs}})),
            "tasks.grid.sweep: 11011 members, more than the 10000 tasks a pipeline may hold");
  json many = json::array();
  for (int i = 0; i < 1001; ++i) many.push_back(i);
  EXPECT_EQ(error_of(sweep_pipeline({{"seed", many}, {"epochs", many}})),
            "tasks.grid.sweep: a grid of more than 1000000 combinations");
}

TEST(PipelineValidationTest, RefusesSweepsThatCannotBeTrainTasks) {
  EXPECT_EQ(error_of(sweep_pipeline({{"dataset", {"pima"}}})),
            "tasks.grid.sweep.axes.dataset: a pipeline sweep trains on the dataset task it needs; "
            "sweep datasets "
            "with one sweep task per dataset task");
  EXPECT_NE(error_of(sweep_pipeline({{"momentum", {0.5, 1.5}}}))
                .find("tasks.grid.sweep: member 2 (grid momentum=1.5): training.momentum: must be "
                      "in [0, 1)"),
            std::string::npos)
      << error_of(sweep_pipeline({{"momentum", {0.5, 1.5}}}));
  EXPECT_EQ(
      error_of(sweep_pipeline(
          {{"network",
            {json::array({{{"type", "Linear"}, {"in", 3}, {"out", 1}}, {{"type", "Sigmoid"}}})}}})),
      "tasks.grid.1.workflow.network[0]: Linear.in is 3 but dataset task \"prep\" gives 8 "
      "features");
}

}  // namespace
}  // namespace dlaaw::pipeline
