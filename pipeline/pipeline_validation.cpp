// pipeline_validation.cpp - names, settings, DAG, kinds and shapes of a pipeline.
#include "pipeline/pipeline_validation.h"

#include <algorithm>

#include "common/errors.h"
#include "pipeline/dataset_task.h"
#include "pipeline/pipeline_json.h"
#include "pipeline/sweep_expansion.h"
#include "pipeline/task_graph.h"
#include "pipeline/task_workflow.h"

namespace dlaaw::pipeline {
namespace {

using nnworkflow::PlanType;

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

std::string at(const TaskSpec& t) { return "tasks." + t.name; }

void validate_names(const PipelineDocument& p) {
  if (!is_plain_name(p.name)) {
    throw InvalidInput("name: " + in_quotes(p.name) +
                       " is not a plain name (1 to 64 letters, digits, - or _)");
  }
  if (p.resource && !is_plain_name(*p.resource)) {
    throw InvalidInput("resource: " + in_quotes(*p.resource) + " is not a resource name");
  }
  if (p.tasks.empty()) throw InvalidInput("tasks: empty (a pipeline needs at least one task)");
  if (p.tasks.size() > kMaxTasks) {
    throw InvalidInput("tasks: " + std::to_string(p.tasks.size()) + " tasks, more than the " +
                       std::to_string(kMaxTasks) + " a pipeline may hold");
  }
  for (const auto& t : p.tasks) {
    if (!is_plain_name(t.name))
      throw InvalidInput(at(t) + ".name: not a plain name (1 to 64 letters, digits, - or _)");
    if (t.resource && !is_plain_name(*t.resource)) {
      throw InvalidInput(at(t) + ".resource: " + in_quotes(*t.resource) +
                         " is not a resource name");
    }
  }
}

void validate_threshold(const std::optional<double>& threshold, const std::string& field) {
  if (threshold && !(*threshold > 0.0 && *threshold < 1.0)) {
    throw InvalidInput(field + ": must be between 0 and 1 (exclusive), got " +
                       std::to_string(*threshold));
  }
}

void validate_settings(const TaskSpec& t) {
  if (const auto* d = std::get_if<DatasetSettings>(&t.settings)) validate_dataset_task(*d, at(t));
  if (const auto* w = std::get_if<TrainSettings>(&t.settings)) {
    try {
      validate_task_workflow(w->workflow);
    } catch (const InvalidInput& e) {
      throw InvalidInput(at(t) + ".workflow." + e.what());
    }
  }
  if (const auto* e = std::get_if<EvaluateSettings>(&t.settings))
    validate_threshold(e->threshold, at(t) + ".threshold");
  if (const auto* p = std::get_if<PredictSettings>(&t.settings))
    validate_threshold(p->threshold, at(t) + ".threshold");
}

// "\"prep\" (a dataset task)"
std::string described(const TaskSpec& t) {
  return in_quotes(t.name) + " (a" + (t.kind() == TaskKind::Evaluate ? "n " : " ") +
         std::string(task_kind_name(t.kind())) + " task)";
}

std::vector<const TaskSpec*> needed(const PipelineDocument& p, const TaskSpec& t) {
  std::vector<const TaskSpec*> out;
  for (const auto& n : t.needs) out.push_back(p.find(n));  // TaskGraph checked every name
  return out;
}

const TaskSpec* only_of_kind(const std::vector<const TaskSpec*>& needs, TaskKind kind) {
  const TaskSpec* found = nullptr;
  for (const auto* n : needs) {
    if (n->kind() == kind) {
      if (found) return nullptr;
      found = n;
    }
  }
  return found;
}

// A train or sweep task: exactly one need, a labelled dataset task with a split.
void check_training_needs(const TaskSpec& t, const std::vector<const TaskSpec*>& needs) {
  const std::string kind(task_kind_name(t.kind()));
  if (needs.size() != 1 || needs[0]->kind() != TaskKind::Dataset) {
    std::string got = needs.empty() ? "none" : "";
    for (const auto* n : needs) got += (got.empty() ? "" : ", ") + described(*n);
    throw InvalidInput(at(t) + ".needs: a " + kind + " task needs exactly one dataset task, got " +
                       got);
  }
  const auto& data = std::get<DatasetSettings>(needs[0]->settings);
  if (!source_label(data.source)) {
    throw InvalidInput(at(t) + ".needs: dataset task " + in_quotes(needs[0]->name) +
                       " has no label column, so a " + kind + " task cannot learn from it");
  }
  if (!find_split(data)) {
    throw InvalidInput(at(t) + ".needs: dataset task " + in_quotes(needs[0]->name) +
                       " has no split step; a " + kind +
                       " task trains on a split dataset "
                       "(add {\"op\": \"split\", ...})");
  }
}

// An evaluate or predict task: one train task and one dataset task.
void check_model_needs(const TaskSpec& t, const std::vector<const TaskSpec*>& needs) {
  const std::string kind(task_kind_name(t.kind()));
  const TaskSpec* model = only_of_kind(needs, TaskKind::Train);
  const TaskSpec* data = only_of_kind(needs, TaskKind::Dataset);
  if (needs.size() != 2 || !model || !data) {
    std::string got = needs.empty() ? "none" : "";
    for (const auto* n : needs) got += (got.empty() ? "" : ", ") + described(*n);
    throw InvalidInput(at(t) + ".needs: an " + kind +
                       " task needs one train task and one dataset task, got " + got);
  }
  if (t.kind() == TaskKind::Evaluate) {
    if (!source_label(std::get<DatasetSettings>(data->settings).source)) {
      throw InvalidInput(at(t) + ".needs: dataset task " + in_quotes(data->name) +
                         " has no label column to evaluate against");
    }
    if (model->needs.at(0) == data->name) {
      throw InvalidInput(at(t) + ".needs: " + in_quotes(model->name) + " trained on " +
                         in_quotes(data->name) +
                         "; evaluate it on another dataset task (its split's test rows are already "
                         "in its result)");
    }
  }
}

// In topological order, so that what a task needs has passed these checks before it is looked at.
void check_kinds(const PipelineDocument& p, const TaskGraph& graph) {
  for (std::size_t i : graph.topological_order()) {
    const TaskSpec& t = p.tasks[i];
    const auto needs = needed(p, t);
    switch (t.kind()) {
      case TaskKind::Dataset:
        if (!needs.empty())
          throw InvalidInput(at(t) + ".needs: a dataset task reads its source and needs no task");
        break;
      case TaskKind::Train:
      case TaskKind::Sweep:
        check_training_needs(t, needs);
        break;
      case TaskKind::Evaluate:
      case TaskKind::Predict:
        check_model_needs(t, needs);
        break;
      case TaskKind::Compare:
        if (needs.empty())
          throw InvalidInput(
              at(t) + ".needs: a compare task needs the train and evaluate tasks it compares");
        for (const auto* n : needs) {
          if (n->kind() != TaskKind::Train && n->kind() != TaskKind::Evaluate &&
              n->kind() != TaskKind::Sweep) {
            throw InvalidInput(
                at(t) + ".needs: a compare task compares train, sweep and evaluate tasks, not " +
                described(*n));
          }
        }
        break;
    }
  }
}

std::string describe_split(const nnworkflow::PlanSpec& plan) {
  if (plan.type == PlanType::KFold) return "kfold with k = " + std::to_string(plan.k.value_or(0));
  return "train_test with test_fraction = " + std::to_string(plan.effective_test_fraction());
}

bool same_split(const nnworkflow::PlanSpec& a, const nnworkflow::PlanSpec& b) {
  if (a.type != b.type) return false;
  return a.type == PlanType::KFold ? a.k == b.k
                                   : a.effective_test_fraction() == b.effective_test_fraction();
}

// A train task (or sweep member) against its dataset task: the plan and the input width.
void check_training_shape(const TaskSpec& t, const TaskSpec& data_task) {
  const auto& workflow = std::get<TrainSettings>(t.settings).workflow;
  const auto& data = std::get<DatasetSettings>(data_task.settings);
  const SplitRows split = *find_split(data);
  if (!same_split(workflow.plan, split.plan)) {
    throw InvalidInput(at(t) + ".workflow.plan: " + describe_split(workflow.plan) +
                       ", but dataset task " + in_quotes(data_task.name) + " splits " +
                       describe_split(split.plan) +
                       "; make them the same (the dataset task's split is the one used)");
  }
  const auto features = static_feature_count(data);
  const int inputs = workflow.network.front().in;
  if (features.count && *features.count != inputs) {
    throw InvalidInput(at(t) + ".workflow.network[0]: Linear.in is " + std::to_string(inputs) +
                       " but dataset task " + in_quotes(data_task.name) + " gives " +
                       std::to_string(*features.count) + " features");
  }
}

// An evaluate or predict task: the model's training features against the rows it is applied to.
void check_model_shape(const PipelineDocument& p, const TaskSpec& t) {
  const auto needs = needed(p, t);
  const TaskSpec* model = only_of_kind(needs, TaskKind::Train);
  const TaskSpec* data = only_of_kind(needs, TaskKind::Dataset);
  const auto trained =
      static_feature_count(std::get<DatasetSettings>(p.find(model->needs.at(0))->settings));
  const auto applied = static_feature_count(std::get<DatasetSettings>(data->settings));
  if (trained.count && applied.count && *trained.count != *applied.count) {
    throw InvalidInput(at(t) + ".needs: dataset task " + in_quotes(data->name) + " gives " +
                       std::to_string(*applied.count) + " features but " + in_quotes(model->name) +
                       " was trained on " + std::to_string(*trained.count));
  }
}

void check_shapes(const PipelineDocument& expanded) {
  for (const auto& t : expanded.tasks) {
    if (t.kind() == TaskKind::Train) check_training_shape(t, *expanded.find(t.needs.at(0)));
    if (t.kind() == TaskKind::Evaluate || t.kind() == TaskKind::Predict)
      check_model_shape(expanded, t);
    if (t.kind() == TaskKind::Compare && t.needs.size() < 2) {
      throw InvalidInput(at(t) +
                         ".needs: a compare task needs at least two results to compare, got " +
                         std::to_string(t.needs.size()));
    }
  }
}

}  // namespace

void validate_pipeline(const PipelineDocument& pipeline) {
  validate_names(pipeline);
  for (const auto& t : pipeline.tasks) validate_settings(t);
  check_kinds(pipeline, task_graph(pipeline));
  const PipelineDocument expanded = expand_sweeps(pipeline);
  if (expanded.tasks.size() > kMaxTasks) {
    throw InvalidInput("tasks: the sweeps expand to " + std::to_string(expanded.tasks.size()) +
                       " tasks, more than the " + std::to_string(kMaxTasks) +
                       " a pipeline may hold");
  }
  task_graph(expanded);
  check_shapes(expanded);
}

}  // namespace dlaaw::pipeline
