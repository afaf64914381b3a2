// pipeline_document.h - the pipeline document "dlaaw/pipeline@1" as plain data: a DAG of tasks.
//
//   {"schema": "dlaaw/pipeline@1", "name": "two-stage", "resource": "cpu",
//    "tasks": [
//      {"name": "young", "kind": "dataset", "source": {"catalog": "pima"},
//       "steps": [{"op": "drop_empty"}, {"op": "filter", "column": "Age", "is": "<", "value": 40},
//                 {"op": "split", "type": "train_test", "test_fraction": 0.2, "seed": 1},
//                 {"op": "min_max_scale"}]},
//      {"name": "nn2", "kind": "train", "needs": ["young"], "workflow": {...}},
//      {"name": "older", "kind": "dataset", "source": {"catalog": "pima"}, "steps": [...]},
//      {"name": "transfer", "kind": "evaluate", "needs": ["nn2", "older"]}]}
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "nnworkflow/sweep_document.h"
#include "nnworkflow/workflow_document.h"
#include "pipeline/dataset_steps.h"

namespace dlaaw::pipeline {

inline constexpr const char* kPipelineSchema = "dlaaw/pipeline@1";

// In the order of TaskSpec::settings' alternatives.
enum class TaskKind { Dataset, Train, Evaluate, Predict, Compare, Sweep };

// dataset: reads a source and prepares it; its output is a prepared dataset.
struct DatasetSettings {
  DatasetSource source;
  std::vector<Step> steps;
  bool operator==(const DatasetSettings&) const = default;
};

// train: one NNWorkflow trained on the needed dataset task's output. `workflow.dataset` is empty:
// the prepared dataset replaces whatever the document named.
struct TrainSettings {
  nnworkflow::WorkflowDocument workflow;
  std::string sweep;  // on the members of an expanded sweep: the sweep task; else ""
  std::string label;  // on those members: the sweep's label ("nn2 seed=3")
  bool operator==(const TrainSettings&) const = default;
};

// evaluate: a train task's model(s) scored on every row of another dataset task's output.
struct EvaluateSettings {
  std::optional<double> threshold;  // a score >= threshold predicts class 1; default 0.5
  bool operator==(const EvaluateSettings&) const = default;
};

// predict: a train task's model(s) applied to a dataset task's rows; its output is a CSV.
struct PredictSettings {
  std::optional<double> threshold;
  bool operator==(const PredictSettings&) const = default;
};

// compare: the results of train and evaluate tasks side by side (the paper's Figure 2 table).
struct CompareSettings {
  bool operator==(const CompareSettings&) const = default;
};

// sweep: a dlaaw/sweep@1 document whose members become train tasks "<name>.1", "<name>.2", ...
// Its workflows are stored inline and without their dataset (files already read).
struct SweepSettings {
  nnworkflow::SweepDocument sweep;
  bool operator==(const SweepSettings& other) const;
};

struct TaskSpec {
  std::string name;
  std::vector<std::string> needs;       // names of the tasks whose outputs this one uses
  std::optional<std::string> resource;  // where it runs; see effective_resource()
  std::variant<DatasetSettings, TrainSettings, EvaluateSettings, PredictSettings, CompareSettings,
               SweepSettings>
      settings;
  bool operator==(const TaskSpec&) const = default;

  TaskKind kind() const { return static_cast<TaskKind>(settings.index()); }
};

struct PipelineDocument {
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> resource;  // for the tasks that name none
  std::vector<TaskSpec> tasks;
  bool operator==(const PipelineDocument&) const = default;

  // The task named `name`, or nullptr.
  const TaskSpec* find(std::string_view name) const;
};

// "dataset", "train", ...
std::string_view task_kind_name(TaskKind kind);
// The kind spelled `name`, or nullopt.
std::optional<TaskKind> parse_task_kind(std::string_view name);
// Only a train task is a tracker run; the others' outputs are recorded by the pipeline runner.
bool task_is_run(TaskKind kind);

// Where a task runs: its own resource, else (train) its workflow's, else the pipeline's, else
// "any" (the queue every executor serves).
std::string effective_resource(const PipelineDocument& pipeline, const TaskSpec& task);

}  // namespace dlaaw::pipeline
