// task_job.h - the job document of one pipeline task ("dlaaw/task-job@1"): what an executor needs
// to run the task, with the outputs of the tasks it needs given by sha256.
//
//   {"schema": "dlaaw/task-job@1", "pipeline": "two-stage", "key": "<task key>",
//    "task": {"name": "on-older", "kind": "evaluate", "threshold": 0.5},
//    "inputs": [{"task": "nn2-young", "kind": "train", "output": "<sha256>"}, ...]}
//
// The queue job's `kind` is the task's kind; the document comes back from Redis, so reading it
// checks everything (the hashes are checked where they name a key: queue/artifact_store.h).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/pipeline_document.h"

namespace dlaaw::pipeline {

inline constexpr const char* kTaskJobSchema = "dlaaw/task-job@1";

// The output of a needed task.
struct TaskInput {
  std::string task;
  TaskKind kind = TaskKind::Dataset;
  std::string output;  // sha256 of the output artifact
  bool operator==(const TaskInput&) const = default;
};

struct TaskJob {
  std::string pipeline;
  TaskSpec task;  // its needs are empty: `inputs` stand for them, in the order of the needs
  std::string key;
  std::vector<TaskInput> inputs;
  bool operator==(const TaskJob&) const = default;

  // The inputs of kind `kind`, in order.
  std::vector<TaskInput> inputs_of(TaskKind kind) const;
};

nlohmann::json task_job_to_json(const TaskJob& job);

// Reads a job document. Throws InvalidInput naming the field ("task job: inputs[1].kind: ...")
// for another schema, a missing or unknown field, a wrong type, a sweep task (sweeps are expanded
// before anything is queued) or a task that is not valid on its own (its settings as
// pipeline_from_json reads them; no file is read).
TaskJob task_job_from_json(const nlohmann::json& j);

}  // namespace dlaaw::pipeline
