// workflow_json_test.cpp - the workflow document maps to JSON and back exactly.
#include "nnworkflow/workflow_json.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "common/errors.h"

namespace dlaaw::nnworkflow {
namespace {

using nlohmann::json;

std::string parse_error(const json& j) {
  try {
    workflow_from_json(j);
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "(no error)";
}

json pima_document() {
  return json::parse(R"({
    "schema": "dlaaw/workflow@1", "name": "pima-nn2", "dataset": {"catalog": "pima"},
    "network": [{"type": "Linear", "in": 8, "out": 5}, {"type": "ReLU"},
                {"type": "Linear", "in": 5, "out": 3}, {"type": "ReLU"},
                {"type": "Linear", "in": 3, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "train_test", "test_fraction": 0.2},
    "training": {"epochs": 1000, "batches": 6, "learning_rate": 0.1, "momentum": 0.9,
                 "init": "xavier_uniform", "seed": 1},
    "resource": "local-gpu"})");
}

TEST(WorkflowJsonTest, RoundTripsTheDesignDocumentExactly) {
  const json j = pima_document();
  const WorkflowDocument d = workflow_from_json(j);
  EXPECT_EQ(workflow_to_json(d), j);
  EXPECT_EQ(workflow_from_json(workflow_to_json(d)), d);
  EXPECT_EQ(d.network.size(), 6u);
  EXPECT_EQ(d.network[2], Linear(5, 3));
}

TEST(WorkflowJsonTest, RoundTripsOptionalFieldsWithoutAddingDefaults) {
  const json j = json::parse(R"({
    "schema": "dlaaw/workflow@1", "name": "f",
    "dataset": {"path": "x.csv", "label": "y", "positive": "yes", "categorical": ["c"],
                "drop": ["id"], "header": true},
    "network": [{"type": "Linear", "in": 3, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "kfold", "k": 6},
    "training": {"epochs": 5, "batch_size": 32, "kernel": "block"},
    "memory": "zero_copy"})");
  EXPECT_EQ(workflow_to_json(workflow_from_json(j)), j);
  const json s = json::parse(R"({
    "schema": "dlaaw/workflow@1", "name": "s",
    "dataset": {"synthetic": {"rows": 1000, "features": 4, "seed": 3}},
    "network": [{"type": "Linear", "in": 4, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "train_test"}, "training": {"epochs": 2}})");
  EXPECT_EQ(workflow_to_json(workflow_from_json(s)), s);
}

TEST(WorkflowJsonTest, EveryPaperExampleLoadsAndRoundTrips) {
  int seen = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(DLAAW_SOURCE_DIR "/examples/paper")) {
    // The workflows are nn*.json; sweep.json and scaling.json are sweeps.
    if (entry.path().extension() != ".json" || entry.path().filename().string().rfind("nn", 0) != 0)
      continue;
    std::ifstream in(entry.path());
    const json j = json::parse(in);
    const auto d = load_workflow_file(entry.path().string());
    EXPECT_EQ(workflow_to_json(d), j) << entry.path();
    ++seen;
  }
  EXPECT_EQ(seen, 5);
}

TEST(WorkflowJsonTest, NamesAnUnknownLayerType) {
  json j = pima_document();
  j["network"][1]["type"] = "Conv2d";
  EXPECT_EQ(
      parse_error(j),
      "network[1].type: unknown layer type \"Conv2d\" (expected Linear, ReLU, Sigmoid or Tanh)");
}

TEST(WorkflowJsonTest, NamesAMisspelledField) {
  json j = pima_document();
  j["training"]["learnig_rate"] = 0.1;
  EXPECT_EQ(parse_error(j), "training.learnig_rate: unknown field");
}

TEST(WorkflowJsonTest, NamesAWrongType) {
  json j = pima_document();
  j["training"]["epochs"] = "1000";
  EXPECT_EQ(parse_error(j), "training.epochs: must be an integer, got \"1000\" (string)");
}

// Found by fuzz/workflow_document_fuzzer: 1e300 was converted to an integer before its range
// was checked, undefined behaviour that UBSan (make test-asan) stops at.
TEST(WorkflowJsonTest, AWholeNumberOutsideTheIntegerRangeIsNamed) {
  json j = pima_document();
  j["training"]["epochs"] = 1e300;
  EXPECT_EQ(parse_error(j), "training.epochs: must be an integer, got 1e+300 (number)");
  j["training"]["epochs"] = 9223372036854775808.0;  // 2^63, one past the largest int64
  EXPECT_NE(parse_error(j).find("training.epochs: must be an integer"), std::string::npos);
  j["training"]["epochs"] = 20.0;
  EXPECT_EQ(workflow_from_json(j).training.epochs, 20) << "a whole number written as 20.0";
}

TEST(WorkflowJsonTest, RefusesAnotherSchema) {
  json j = pima_document();
  j["schema"] = "dlaaw/workflow@2";
  EXPECT_EQ(parse_error(j),
            "schema: \"dlaaw/workflow@2\" is not supported (expected \"dlaaw/workflow@1\")");
}

TEST(WorkflowJsonTest, NamesAMissingLinearWidth) {
  json j = pima_document();
  j["network"][0].erase("in");
  EXPECT_EQ(parse_error(j), "network[0]: Linear.in is missing");
}

TEST(WorkflowJsonTest, MalformedFileNamesLineAndColumn) {
  const auto path = std::filesystem::temp_directory_path() / "dlaaw-malformed.json";
  std::ofstream(path) << "{\n  \"schema\": \"dlaaw/workflow@1\",\n  \"name\": }\n";
  try {
    load_workflow_file(path.string());
    FAIL();
  } catch (const InvalidInput& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("not valid JSON"), std::string::npos) << what;
    EXPECT_NE(what.find("line 3"), std::string::npos) << what;
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace dlaaw::nnworkflow
