// task_job.cpp - the job document of a pipeline task, written by the runner, read by executors.
#include "pipeline/task_job.h"

#include <optional>

#include "common/errors.h"
#include "common/json_fields.h"
#include "pipeline/pipeline_json.h"
#include "pipeline/sweep_expansion.h"

namespace dlaaw::pipeline {
namespace {

using nlohmann::json;

TaskInput input_from_json(const json& j, const std::string& path) {
  require_object(j, path);
  JsonFields f(j, path);
  TaskInput input;
  input.task = f.required_text("task");
  const std::string kind = f.required_text("kind");
  const auto parsed = parse_task_kind(kind);
  if (!parsed || *parsed == TaskKind::Sweep)
    throw InvalidInput(f.field("kind") + ": \"" + kind + "\" is not a kind of task output");
  input.kind = *parsed;
  input.output = f.required_text("output");
  f.finish();
  return input;
}

// The task as the only task of a pipeline document, so that the one reader of tasks reads it. A
// sweep member's name ("grid.2") is no name a document may give, so it is read under a stand-in
// and given back.
TaskSpec task_from_json(const json& task, const std::string& pipeline) {
  require_object(task, "task");
  if (task.contains("needs")) throw InvalidInput("task.needs: a task job gives inputs instead");
  json read = task;
  std::optional<std::string> member;
  if (task.contains("name") && task["name"].is_string() &&
      is_sweep_member_name(task["name"].get<std::string>())) {
    member = task["name"].get<std::string>();
    read["name"] = "sweep-member";
  }
  const json document = {{"schema", kPipelineSchema}, {"name", pipeline}, {"tasks", {read}}};
  TaskSpec spec = pipeline_from_json(document, std::nullopt).tasks.at(0);
  if (member) spec.name = *member;
  if (spec.kind() == TaskKind::Sweep)
    throw InvalidInput("task.kind: a sweep is expanded into train tasks before it is queued");
  return spec;
}

}  // namespace

std::vector<TaskInput> TaskJob::inputs_of(TaskKind kind) const {
  std::vector<TaskInput> found;
  for (const auto& input : inputs) {
    if (input.kind == kind) found.push_back(input);
  }
  return found;
}

json task_job_to_json(const TaskJob& job) {
  json task = {{"name", job.task.name}, {"kind", std::string(task_kind_name(job.task.kind()))}};
  if (job.task.resource) task["resource"] = *job.task.resource;
  task.update(task_settings_json(job.task));
  json inputs = json::array();
  for (const auto& input : job.inputs) {
    inputs.push_back({{"task", input.task},
                      {"kind", std::string(task_kind_name(input.kind))},
                      {"output", input.output}});
  }
  return {{"schema", kTaskJobSchema},
          {"pipeline", job.pipeline},
          {"key", job.key},
          {"task", task},
          {"inputs", inputs}};
}

TaskJob task_job_from_json(const json& j) {
  try {
    require_object(j, "document");
    JsonFields f(j, "");
    const std::string schema = f.required_text("schema");
    if (schema != kTaskJobSchema)
      throw InvalidInput("schema: \"" + schema + "\" is not " + kTaskJobSchema);
    TaskJob job;
    job.pipeline = f.required_text("pipeline");
    if (!is_plain_name(job.pipeline))
      throw InvalidInput("pipeline: \"" + job.pipeline + "\" is not a plain name");
    job.key = f.required_text("key");
    job.task = task_from_json(f.required("task"), job.pipeline);
    const json& inputs = f.list("inputs");
    for (std::size_t i = 0; i < inputs.size(); ++i)
      job.inputs.push_back(input_from_json(inputs[i], "inputs[" + std::to_string(i) + "]"));
    f.finish();
    return job;
  } catch (const InvalidInput& e) {
    throw InvalidInput(std::string("task job: ") + e.what());
  }
}

}  // namespace dlaaw::pipeline
