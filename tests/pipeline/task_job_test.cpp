// task_job_test.cpp - the job document of a pipeline task: written, read back, and refused when
// hostile.
#include "pipeline/task_job.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "pipeline/pipeline_json.h"
#include "pipeline/sweep_expansion.h"

namespace dlaaw::pipeline {
namespace {

using nlohmann::json;

const std::string kSha(64, 'a');

TaskJob evaluate_job() {
  const json doc = {
      {"schema", "dlaaw/pipeline@1"},
      {"name", "p"},
      {"tasks", json::array({{{"name", "eval"}, {"kind", "evaluate"}, {"threshold", 0.3}}})}};
  TaskJob job{"p", pipeline_from_json(doc, std::nullopt).tasks.at(0), "key", {}};
  job.inputs = {{"nn", TaskKind::Train, kSha}, {"rows", TaskKind::Dataset, std::string(64, 'b')}};
  return job;
}

std::string error_of(const json& j) {
  try {
    task_job_from_json(j);
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "";
}

TEST(TaskJobTest, ReadsBackWhatItWrites) {
  const TaskJob job = evaluate_job();
  EXPECT_EQ(task_job_from_json(task_job_to_json(job)), job) << task_job_to_json(job).dump();
  EXPECT_EQ(job.inputs_of(TaskKind::Dataset).size(), 1u);
}

// Sweeps expand into members named "<sweep>.<n>"; executors must read their jobs (they refused
// them as "not a plain name" once, failing every sweep of a pipeline).
TEST(TaskJobTest, ReadsASweepMembersJob) {
  TaskJob job = evaluate_job();
  job.task.name = sweep_member_name("grid", 12);
  EXPECT_EQ(job.task.name, "grid.12");
  EXPECT_EQ(task_job_from_json(task_job_to_json(job)), job) << task_job_to_json(job).dump();
  for (const char* bad : {"grid.", ".1", "grid.x", "../1", "grid.1.2", "grid.12345678", "a b.1"}) {
    EXPECT_FALSE(is_sweep_member_name(bad)) << bad;
    json j = task_job_to_json(job);
    j["task"]["name"] = bad;
    EXPECT_NE(error_of(j).find("not a plain name"), std::string::npos)
        << bad << ": " << error_of(j);
  }
}

TEST(TaskJobTest, RefusesDocumentsNoRunnerWrites) {
  json j = task_job_to_json(evaluate_job());
  json other_schema = j;
  other_schema["schema"] = "dlaaw/workflow@1";
  EXPECT_NE(error_of(other_schema).find("schema"), std::string::npos);
  json with_needs = j;
  with_needs["task"]["needs"] = {"nn"};
  EXPECT_NE(error_of(with_needs).find("task.needs"), std::string::npos);
  json bad_kind = j;
  bad_kind["inputs"][0]["kind"] = "sweep";
  EXPECT_NE(error_of(bad_kind).find("inputs[0].kind"), std::string::npos);
  json path_name = j;
  path_name["pipeline"] = "../etc";
  EXPECT_NE(error_of(path_name).find("pipeline"), std::string::npos);
  json file_workflow = j;
  file_workflow["task"] = {{"name", "t"}, {"kind", "train"}, {"workflow_file", "/etc/passwd"}};
  EXPECT_NE(error_of(file_workflow).find("no file is read"), std::string::npos)
      << error_of(file_workflow);
  EXPECT_NE(error_of(json::array()).find("must be an object"), std::string::npos);
}

}  // namespace
}  // namespace dlaaw::pipeline
