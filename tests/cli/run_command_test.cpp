// run_command_test.cpp - `dlaaw run` as a user runs it: exit codes, one-line errors, no output.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "../common/dlaaw_cli.h"
#include "../common/temp_dir.h"

namespace {

using dlaaw::testing::run_dlaaw;

std::string file_workflow(const std::string& path, const std::string& label, int inputs) {
  std::string layers = "{\"type\": \"Linear\", \"in\": " + std::to_string(inputs) +
                       ", \"out\": 1}, {\"type\": \"Sigmoid\"}";
  return R"({"schema": "dlaaw/workflow@1", "name": "t", "dataset": {"path": ")" + path +
         R"(", "label": ")" + label + R"("}, "network": [)" + layers +
         R"(], "plan": {"type": "train_test", "test_fraction": 0.25},
            "training": {"epochs": 20, "batches": 2}})";
}

class RunCommandBadInputTest : public ::testing::Test {
 protected:
  // Expects exit code 2, exactly one line naming `expected`, and no --out file.
  void expect_bad_input(const std::string& workflow_json, const std::string& expected) {
    dir_.write("wf.json", workflow_json);
    const auto r = run_dlaaw(dir_.path(), "run wf.json --data-dir data --out result.json");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_NE(r.output.find(expected), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir_.path() / "result.json"));
    EXPECT_FALSE(std::filesystem::exists(dir_.path() / "result.json.tmp"));
  }
  dlaaw::testing::TempDir dir_;
};

TEST_F(RunCommandBadInputTest, MalformedJson) {
  expect_bad_input("{\"schema\": \"dlaaw/workflow@1\",\n \"name\": ,}", "wf.json: not valid JSON");
}

TEST_F(RunCommandBadInputTest, DeeplyNestedJson) {
  // 200,000 levels used to overflow the stack (exit by SIGSEGV) in run, submit and sweep.
  expect_bad_input("{\"schema\": \"dlaaw/workflow@1\", \"name\": " + std::string(200000, '[') +
                       std::string(200000, ']') + "}",
                   "wf.json: JSON nested deeper than 64 levels at line 1, column");
}

TEST_F(RunCommandBadInputTest, NonNumericCell) {
  dir_.write("data/f.csv", "a,b,y\n1,2,1\n3,x7,0\n5,6,1\n7,8,0\n");
  expect_bad_input(file_workflow("f.csv", "y", 2),
                   "f.csv:3: column \"b\" (field 2): \"x7\" is not a number");
}

TEST_F(RunCommandBadInputTest, NonFiniteCell) {
  // Used to be read as a number: every score NaN, and the run never ended.
  for (const std::string cell : {"inf", "-Infinity", "nan", "1e999"}) {
    dir_.write("data/f.csv", "a,b,y\n1,2,1\n3," + cell + ",0\n5,6,1\n7,8,0\n");
    expect_bad_input(file_workflow("f.csv", "y", 2),
                     "f.csv:3: column \"b\" (field 2): \"" + cell + "\" is not a finite number");
  }
}

TEST_F(RunCommandBadInputTest, ATrainingSetOfOneClass) {
  // Used to train and report accuracy 1.000 without a word.
  dir_.write("data/f.csv", "a,b,y\n1,2,1\n3,4,1\n5,6,1\n7,8,1\n9,1,1\n2,2,1\n");
  expect_bad_input(file_workflow("f.csv", "y", 2),
                   "dataset.label: every training row is class 1; need both classes");
}

TEST_F(RunCommandBadInputTest, AFoldWhoseTrainingRowsAreOneClass) {
  std::string csv = "a,y\n";
  for (int i = 0; i < 12; ++i) csv += std::to_string(i) + "," + (i == 0 ? "0" : "1") + "\n";
  dir_.write("data/f.csv", csv);
  std::string wf = file_workflow("f.csv", "y", 1);
  const std::string plan = "\"train_test\", \"test_fraction\": 0.25";
  wf.replace(wf.find(plan), plan.size(), "\"kfold\", \"k\": 12");
  expect_bad_input(wf, "need both classes");
}

TEST_F(RunCommandBadInputTest, ALayerWiderThanTheCap) {
  // Linear 2 -> 100000000 used to be accepted and eat memory until bad_alloc.
  dir_.write("data/f.csv", "a,b,y\n1,2,1\n3,4,0\n5,6,1\n7,8,0\n");
  expect_bad_input(R"({"schema": "dlaaw/workflow@1", "name": "t",
    "dataset": {"path": "f.csv", "label": "y"},
    "network": [{"type": "Linear", "in": 2, "out": 100000000}, {"type": "ReLU"},
                {"type": "Linear", "in": 100000000, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "train_test"}, "training": {"epochs": 2, "batches": 1}})",
                   "network[0]: Linear.out is 100000000, over the maximum width of 65536");
}

TEST_F(RunCommandBadInputTest, ANetworkLargerThanTheMachine) {
  // Within the width cap, but 60000 x 60000 parameters with their copies need more than any test
  // machine has: refused before anything is allocated, naming the estimate and the limit.
  dir_.write("data/f.csv", "a,b,y\n1,2,1\n3,4,0\n5,6,1\n7,8,0\n");
  expect_bad_input(R"({"schema": "dlaaw/workflow@1", "name": "t",
    "dataset": {"path": "f.csv", "label": "y"},
    "network": [{"type": "Linear", "in": 2, "out": 60000}, {"type": "ReLU"},
                {"type": "Linear", "in": 60000, "out": 60000}, {"type": "ReLU"},
                {"type": "Linear", "in": 60000, "out": 60000}, {"type": "ReLU"},
                {"type": "Linear", "in": 60000, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "train_test"}, "training": {"epochs": 2, "batches": 1}})",
                   "MB (parameters, their optimizer copies, the data), over the memory limit of");
}

TEST_F(RunCommandBadInputTest, EveryRowHasAnEmptyValue) {
  dir_.write("data/f.csv", "a,b,y\n1,,1\n,4,0\n5,6,\n");
  expect_bad_input(file_workflow("f.csv", "y", 2),
                   "f.csv: every one of its 3 rows has an empty value");
}

TEST_F(RunCommandBadInputTest, MissingLabelColumn) {
  dir_.write("data/f.csv", "a,b,y\n1,2,1\n3,4,0\n");
  expect_bad_input(file_workflow("f.csv", "outcome", 2),
                   "dataset.label: column \"outcome\" not found in f.csv (columns: a, b, y)");
}

TEST_F(RunCommandBadInputTest, PathOutsideTheDataDirectory) {
  dir_.write("data/f.csv", "a,b,y\n1,2,1\n3,4,0\n");
  dir_.write("secret.csv", "a,b,y\n1,2,1\n3,4,0\n");
  expect_bad_input(file_workflow("../secret.csv", "y", 2),
                   "dataset.path: \"../secret.csv\" is outside the data directory");
}

TEST_F(RunCommandBadInputTest, InvalidNetwork) {
  expect_bad_input(R"({"schema": "dlaaw/workflow@1", "name": "t", "dataset": {"catalog": "pima"},
    "network": [{"type": "Linear", "in": 8, "out": 5}, {"type": "ReLU"},
                {"type": "Linear", "in": 4, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "train_test"}, "training": {"epochs": 10}})",
                   "network[2]: Linear.in is 4 but the previous layer gives 5");
}

TEST(RunCommandTest, ADivergingRunFailsWithinItsDeadline) {
  // learning_rate 1e20 made every score NaN and roc_auc loop forever: `dlaaw run` hung.
  dlaaw::testing::TempDir dir;
  std::string csv = "a,b,y\n";
  for (int i = 0; i < 200; ++i)
    csv += std::to_string(i % 17) + "," + std::to_string(i % 5) + "," + (i % 2 ? "1" : "0") + "\n";
  dir.write("data/f.csv", csv);
  dir.write("wf.json", R"({"schema": "dlaaw/workflow@1", "name": "t",
    "dataset": {"path": "f.csv", "label": "y"},
    "network": [{"type": "Linear", "in": 2, "out": 4}, {"type": "ReLU"},
                {"type": "Linear", "in": 4, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "train_test"},
    "training": {"epochs": 20, "batches": 2, "learning_rate": 1e20}})");
  // `timeout` is the deadline: exit code 124 would mean the run hung.
  const std::string command = "cd '" + dir.path().string() +
                              "' && timeout 60 '" DLAAW_BINARY
                              "' run wf.json --data-dir data --threads 1 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
  const int status = pclose(pipe);
  const dlaaw::testing::CliOutcome r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("training diverged"), std::string::npos) << r.output;
}

TEST(RunCommandTest, TrainsAFileDatasetAndWritesTheResult) {
  dlaaw::testing::TempDir dir;
  std::string csv = "a,b,y\n";
  for (int i = 0; i < 200; ++i) {
    const int a = i % 17, b = (i * 7) % 13;
    csv += std::to_string(a) + "," + std::to_string(b) + "," + (a + b > 14 ? "1" : "0") + "\n";
  }
  dir.write("data/f.csv", csv);
  dir.write("wf.json", file_workflow("f.csv", "y", 2));
  const auto r = run_dlaaw(
      dir.path(), "run wf.json --data-dir data --out result.json --threads 1 --watchdog 2m");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("accuracy"), std::string::npos) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "result.json"));
}

TEST(RunCommandTest, AWatchdogThatIsNotAPositiveDurationIsBadInput) {
  dlaaw::testing::TempDir dir;
  dir.write("wf.json", file_workflow("f.csv", "y", 2));
  for (const std::string bad : {"0", "-5s", "soon", "3h", "nan"}) {
    const auto r = run_dlaaw(dir.path(), "run wf.json --data-dir data --watchdog " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
    EXPECT_NE(r.output.find("--watchdog: \"" + bad + "\""), std::string::npos) << r.output;
  }
}

TEST(RunCommandTest, UnknownOptionIsBadInput) {
  dlaaw::testing::TempDir dir;
  const auto r = run_dlaaw(dir.path(), "run --no-such-flag x.json");
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

}  // namespace
