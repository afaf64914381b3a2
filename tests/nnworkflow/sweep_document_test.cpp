// sweep_document_test.cpp - grid and random expansion of sweeps, and their errors.
#include "nnworkflow/sweep_document.h"

#include <set>

#include <gtest/gtest.h>

#include "common/errors.h"

namespace dlaaw::nnworkflow {
namespace {

using nlohmann::json;

json workflow(const std::string& name, int inputs) {
  return {{"schema", "dlaaw/workflow@1"},
          {"name", name},
          {"dataset", {{"synthetic", {{"rows", 100}, {"features", inputs}, {"seed", 1}}}}},
          {"network",
           json::array({{{"type", "Linear"}, {"in", inputs}, {"out", 1}}, {{"type", "Sigmoid"}}})},
          {"plan", {{"type", "train_test"}}},
          {"training", {{"epochs", 5}}}};
}

json sweep_json() {
  return {{"schema", "dlaaw/sweep@1"},
          {"name", "s"},
          {"workflows", json::array({workflow("a", 2), workflow("b", 3)})},
          {"axes",
           {{"seed", {1, 2, 3}},
            {"plan", json::array({{{"type", "train_test"}}, {{"type", "kfold"}, {"k", 4}}})}}}};
}

TEST(SweepDocumentTest, GridExpandsEveryCombinationInOrder) {
  const auto members = expand_sweep(sweep_from_json(sweep_json(), "."));
  ASSERT_EQ(members.size(), 12u);  // 2 workflows x 2 plans x 3 seeds
  std::set<std::string> keys;
  for (const auto& m : members) keys.insert(m.parameters.dump());
  EXPECT_EQ(keys.size(), 12u) << "every member differs";
  EXPECT_EQ(members[0].parameters["workflow"], "a");
  EXPECT_EQ(members[0].document->training.effective_seed(), 1u);
  EXPECT_EQ(members[1].document->training.effective_seed(), 2u) << "the last axis changes fastest";
  EXPECT_EQ(members[11].document->plan.type, PlanType::KFold);
  EXPECT_EQ(members[11].document->name, "b");
}

TEST(SweepDocumentTest, RandomSamplesASeededSubsetOfTheGrid) {
  json j = sweep_json();
  j["mode"] = "random";
  j["samples"] = 5;
  j["seed"] = 7;
  const auto a = expand_sweep(sweep_from_json(j, "."));
  const auto b = expand_sweep(sweep_from_json(j, "."));
  ASSERT_EQ(a.size(), 5u);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].parameters, b[i].parameters);
  j["seed"] = 8;
  const auto c = expand_sweep(sweep_from_json(j, "."));
  bool differs = false;
  for (std::size_t i = 0; i < c.size(); ++i)
    differs = differs || c[i].parameters != a[i].parameters;
  EXPECT_TRUE(differs);
}

TEST(SweepDocumentTest, AnInvalidMemberIsNamedWithItsField) {
  json j = sweep_json();
  j["axes"]["network"] = json::array(
      {json::array({{{"type", "Linear"}, {"in", 2}, {"out", 1}}, {{"type", "Sigmoid"}}})});
  try {
    expand_sweep(sweep_from_json(j, "."));
    FAIL() << "workflow b has 3 inputs, the network 2";
  } catch (const InvalidInput& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("member 7 (b "), std::string::npos) << what;
    EXPECT_NE(what.find("network[0]: Linear.in is 2 but the synthetic dataset has 3 features"),
              std::string::npos)
        << what;
  }
}

TEST(SweepDocumentTest, UnknownAxesAndModesAreRefused) {
  json j = sweep_json();
  j["axes"]["colour"] = {"red"};
  EXPECT_THROW(sweep_from_json(j, "."), InvalidInput);
  j = sweep_json();
  j["mode"] = "exhaustive";
  EXPECT_THROW(sweep_from_json(j, "."), InvalidInput);
  j = sweep_json();
  j["mode"] = "random";
  EXPECT_THROW(sweep_from_json(j, "."), InvalidInput) << "random needs samples";
}

std::string sweep_error(const json& j) {
  try {
    expand_sweep(sweep_from_json(j, "."));
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "(no error)";
}

// Found by fuzz/sweep_document_fuzzer: axis values of the wrong kind reached unchecked JSON
// access (nlohmann type_error, not InvalidInput), and a long grid its allocation unbounded.
TEST(SweepDocumentTest, AxisValuesOfAnyKindAreInvalidInputNotACrash) {
  json j = sweep_json();
  j["axes"]["plan"] = json::array({{{"type", 1}}});
  EXPECT_NE(sweep_error(j).find("member 1 (a plan={\"type\":1} seed=1): plan.type"),
            std::string::npos)
      << sweep_error(j);
  j["axes"]["plan"] = json::array({{{"type", "kfold"}, {"k", "six"}}});
  EXPECT_NE(sweep_error(j).find("plan=kfold"), std::string::npos) << sweep_error(j);
  j = sweep_json();
  j["axes"]["dataset"] = json::array({{{"catalog", 3}}});
  EXPECT_NE(sweep_error(j).find("member 1 (a dataset={\"catalog\":3} plan=train_test seed=1)"),
            std::string::npos)
      << sweep_error(j);
  j = sweep_json();
  j["workflows"][0]["name"] = 7;
  j["workflows"][0]["training"] = "fast";
  EXPECT_NE(sweep_error(j).find("member 1 (? plan=train_test seed=1): training: must be an object"),
            std::string::npos)
      << sweep_error(j);
}

TEST(SweepDocumentTest, AGridPastTheLimitIsRefusedBeforeItIsBuilt) {
  json j = sweep_json();
  json many = json::array();
  for (int i = 0; i < 1000; ++i) many.push_back(i);
  for (const char* axis : {"seed", "epochs", "batches"}) j["axes"][axis] = many;
  EXPECT_NE(sweep_error(j).find("axes: more than 1000000 combinations"), std::string::npos)
      << sweep_error(j);
  j["axes"].erase("batches");
  j["axes"]["epochs"] = json::array({1, 2, 3, 4, 5, 6});
  EXPECT_NE(sweep_error(j).find("a sweep of 24000 members: at most 10000"), std::string::npos)
      << sweep_error(j);
  j["mode"] = "random";
  j["samples"] = 3;
  EXPECT_EQ(expand_sweep(sweep_from_json(j, ".")).size(), 3u) << "random draws from a big grid";
  j["samples"] = 1LL << 40;
  EXPECT_THROW(sweep_from_json(j, "."), InvalidInput) << "samples past the member limit";
}

TEST(SweepDocumentTest, ThePaperSweepLoads) {
  const auto sweep = load_sweep_file(DLAAW_SOURCE_DIR "/examples/paper/sweep.json");
  EXPECT_EQ(sweep.workflows.size(), 5u);
  EXPECT_EQ(sweep.axes.size(), 3u);
  const auto scaling = load_sweep_file(DLAAW_SOURCE_DIR "/examples/paper/scaling.json");
  EXPECT_EQ(scaling.axes.size(), 2u);
}

}  // namespace
}  // namespace dlaaw::nnworkflow
