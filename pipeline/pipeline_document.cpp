// pipeline_document.cpp - task kind names, lookups and resource resolution.
#include "pipeline/pipeline_document.h"

namespace dlaaw::pipeline {
namespace {

constexpr std::pair<TaskKind, std::string_view> kKinds[] = {
    {TaskKind::Dataset, "dataset"},   {TaskKind::Train, "train"},
    {TaskKind::Evaluate, "evaluate"}, {TaskKind::Predict, "predict"},
    {TaskKind::Compare, "compare"},   {TaskKind::Sweep, "sweep"}};

}  // namespace

bool SweepSettings::operator==(const SweepSettings& other) const {
  const auto& a = sweep;
  const auto& b = other.sweep;
  return a.name == b.name && a.workflows == b.workflows && a.axes == b.axes && a.mode == b.mode &&
         a.samples == b.samples && a.seed == b.seed;
}

const TaskSpec* PipelineDocument::find(std::string_view name) const {
  for (const auto& t : tasks) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::string_view task_kind_name(TaskKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "?";
}

std::optional<TaskKind> parse_task_kind(std::string_view name) {
  for (const auto& [k, spelled] : kKinds) {
    if (spelled == name) return k;
  }
  return std::nullopt;
}

bool task_is_run(TaskKind kind) { return kind == TaskKind::Train; }

std::string effective_resource(const PipelineDocument& pipeline, const TaskSpec& task) {
  if (task.resource) return *task.resource;
  if (const auto* train = std::get_if<TrainSettings>(&task.settings);
      train && train->workflow.resource)
    return *train->workflow.resource;
  if (pipeline.resource) return *pipeline.resource;
  return "any";
}

}  // namespace dlaaw::pipeline
