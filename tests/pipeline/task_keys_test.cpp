// task_keys_test.cpp - cache keys change exactly where a pipeline changed; --force and resume.
#include "pipeline/task_keys.h"

#include <gtest/gtest.h>

#include "../common/temp_dir.h"
#include "pipeline/sweep_expansion.h"
#include "pipeline_fixtures.h"

namespace dlaaw::pipeline {
namespace {

using namespace testing;
using Keys = std::map<std::string, std::string>;

Keys keys_of(const json& j) {
  const auto p = expand_sweeps(parsed(j));
  return task_keys(p, source_hashes(p, "."));  // catalog sources need no data directory
}

// The tasks whose keys differ between two pipelines with the same task names.
std::set<std::string> changed(const Keys& a, const Keys& b) {
  std::set<std::string> out;
  for (const auto& [name, key] : a) {
    if (b.at(name) != key) out.insert(name);
  }
  return out;
}

TEST(TaskKeysTest, AnUnchangedPipelineHasTheSameKeys) {
  const Keys a = keys_of(small_pipeline());
  const Keys b = keys_of(small_pipeline());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 7u);
  std::set<std::string> distinct;
  for (const auto& [name, key] : a) {
    EXPECT_EQ(key.size(), 64u) << name;
    distinct.insert(key);
  }
  EXPECT_EQ(distinct.size(), 7u) << "nn and nn-b differ in their workflows' names";
}

TEST(TaskKeysTest, OneChangedStepChangesExactlyThatTaskAndItsDescendants) {
  const Keys before = keys_of(small_pipeline());
  json j = small_pipeline();
  j["tasks"][0]["steps"][1]["seed"] = 2;  // prep's split
  EXPECT_EQ(changed(before, keys_of(j)),
            (std::set<std::string>{"prep", "nn", "nn-b", "eval", "guess", "table"}))
      << "only \"other\" keeps its key";

  j = small_pipeline();
  j["tasks"][3]["steps"].push_back(
      {{"op", "filter"}, {"column", "Age"}, {"is", ">"}, {"value", 30}});
  EXPECT_EQ(changed(before, keys_of(j)),
            (std::set<std::string>{"other", "eval", "guess", "table"}));

  j = small_pipeline();
  j["tasks"][2]["workflow"]["training"]["epochs"] = 6;  // nn-b
  EXPECT_EQ(changed(before, keys_of(j)), (std::set<std::string>{"nn-b", "table"}));

  j = small_pipeline();
  j["tasks"][4]["threshold"] = 0.4;  // eval
  EXPECT_EQ(changed(before, keys_of(j)), (std::set<std::string>{"eval", "table"}));
}

TEST(TaskKeysTest, TheResourceCountsForComputeTasksOnly) {
  const Keys before = keys_of(small_pipeline());
  json j = small_pipeline();
  j["tasks"][1]["resource"] = "local-gpu";
  EXPECT_EQ(changed(before, keys_of(j)), (std::set<std::string>{"nn", "eval", "guess", "table"}));
  j = small_pipeline();
  j["tasks"][0]["resource"] = "local-gpu";
  j["tasks"][6]["resource"] = "local-gpu";
  EXPECT_TRUE(changed(before, keys_of(j)).empty())
      << "preparing and comparing give the same bytes anywhere";
}

TEST(TaskKeysTest, NamesAndTheOrderOfNeedsDoNotEnterKeys) {
  const Keys before = keys_of(small_pipeline());
  json j = small_pipeline();
  j["tasks"][4]["needs"] = {"other", "nn"};
  EXPECT_EQ(keys_of(j), before) << "evaluate takes its inputs by role";
  j["tasks"][6]["needs"] = {"eval", "nn", "nn-b"};
  EXPECT_EQ(changed(before, keys_of(j)), std::set<std::string>{"table"})
      << "a comparison's order is its table's";

  j = small_pipeline();
  j["tasks"][3]["name"] = "held-out";
  j["tasks"][4]["needs"] = {"nn", "held-out"};
  j["tasks"][5]["needs"] = {"nn", "held-out"};
  const Keys renamed = keys_of(j);
  EXPECT_EQ(renamed.at("held-out"), before.at("other"));
  EXPECT_EQ(renamed.at("eval"), before.at("eval"));
}

TEST(TaskKeysTest, AFileSourceEntersByItsContent) {
  dlaaw::testing::TempDir dir;
  dir.write("rows.csv", "a,b,y\n1,2,0\n3,4,1\n");
  json j = pipeline_json(json::array({{{"name", "prep"},
                                       {"kind", "dataset"},
                                       {"source", {{"path", "rows.csv"}, {"label", "y"}}},
                                       {"steps", json::array()}}}));
  const auto p = parsed(j);
  const Keys a = task_keys(p, source_hashes(p, dir.path()));
  dir.write("rows.csv", "a,b,y\n1,2,0\n3,5,1\n");
  const Keys b = task_keys(p, source_hashes(p, dir.path()));
  EXPECT_NE(a.at("prep"), b.at("prep")) << "an edited file is a new input";

  j["tasks"][0]["source"]["path"] = "../rows.csv";
  const auto outside = parsed(j);
  EXPECT_THROW(source_hashes(outside, dir.path() / "sub"), InvalidInput)
      << "a path may not leave the data directory";
}

TEST(TaskKeysTest, ForceRerunsATaskAndItsDependents) {
  const auto p = parsed(small_pipeline());
  const auto graph = task_graph(p);
  EXPECT_EQ(forced_tasks(graph, {"nn"}), (std::set<std::string>{"nn", "eval", "guess", "table"}));
  EXPECT_EQ(forced_tasks(graph, {"other", "nn-b"}),
            (std::set<std::string>{"other", "nn-b", "eval", "guess", "table"}));
  EXPECT_THROW(forced_tasks(graph, {"nope"}), InvalidInput);
}

TEST(TaskKeysTest, AResubmissionRunsOnlyWhatChangedOrIsForced) {
  const auto p = parsed(small_pipeline());
  const auto graph = task_graph(p);
  const Keys keys = task_keys(p, source_hashes(p, "."));
  std::set<std::string> stored;
  for (const auto& [name, key] : keys) stored.insert(key);

  auto plan = plan_resume(graph, keys, stored, {});
  EXPECT_TRUE(plan.run.empty()) << "an unchanged pipeline queues nothing";
  EXPECT_EQ(plan.reuse.size(), 7u);

  plan = plan_resume(graph, keys, stored, forced_tasks(graph, {"nn"}));
  EXPECT_EQ(plan.run, (std::vector<std::string>{"nn", "eval", "guess", "table"}));

  json j = small_pipeline();
  j["tasks"][0]["steps"][0] = {{"op", "select"},
                               {"columns",
                                {"Age", "BMI", "Glucose", "Insulin", "Pregnancies", "BloodPressure",
                                 "SkinThickness", "DiabetesPedigreeFunction"}}};
  const auto changed_p = parsed(j);
  plan = plan_resume(graph, task_keys(changed_p, source_hashes(changed_p, ".")), stored, {});
  EXPECT_EQ(plan.run, (std::vector<std::string>{"prep", "nn", "nn-b", "eval", "guess", "table"}));
  EXPECT_EQ(plan.reuse, std::vector<std::string>{"other"});
}

TEST(TaskKeysTest, SweepMembersHaveTheirOwnKeys) {
  json j = pipeline_json(json::array(
      {dataset_task("prep"),
       {{"name", "grid"},
        {"kind", "sweep"},
        {"needs", {"prep"}},
        {"sweep",
         {{"workflows", json::array({workflow_json(8)})}, {"axes", {{"seed", {1, 2}}}}}}}}));
  const Keys keys = keys_of(j);
  EXPECT_EQ(keys.size(), 3u);
  EXPECT_NE(keys.at("grid.1"), keys.at("grid.2"));
  EXPECT_THROW(task_keys(parsed(j), {{"prep", "x"}}), std::invalid_argument)
      << "sweeps are expanded first";
}

}  // namespace
}  // namespace dlaaw::pipeline
