// sweep_expansion.cpp - sweep tasks into train tasks.
#include "pipeline/sweep_expansion.h"

#include <algorithm>
#include <map>

#include "common/errors.h"
#include "pipeline/pipeline_json.h"
#include "pipeline/pipeline_validation.h"
#include "pipeline/task_workflow.h"

namespace dlaaw::pipeline {
namespace {

bool has_axis(const nnworkflow::SweepDocument& sweep, const std::string& axis) {
  for (const auto& [name, values] : sweep.axes) {
    if (name == axis) return true;
  }
  return false;
}

// Counted before expanding, so that a hostile document cannot make millions of tasks: grid
// members are workflows x the product of the axes' sizes; random ones are `samples` of the grid,
// which expand_sweep still enumerates, hence a bound on the grid too.
void check_size(const nnworkflow::SweepDocument& sweep, const std::string& field) {
  constexpr std::size_t kMaxGrid = 1'000'000;
  std::size_t grid = sweep.workflows.size();
  for (const auto& [axis, values] : sweep.axes) {
    grid *= values.size();
    if (grid > kMaxGrid)
      throw InvalidInput(field + ": a grid of more than " + std::to_string(kMaxGrid) +
                         " combinations");
  }
  const std::size_t members =
      sweep.mode == "random" ? std::min(grid, static_cast<std::size_t>(std::max(sweep.samples, 0)))
                             : grid;
  if (members > kMaxTasks) {
    throw InvalidInput(field + ": " + std::to_string(members) + " members, more than the " +
                       std::to_string(kMaxTasks) + " tasks a pipeline may hold");
  }
}

std::vector<TaskSpec> members_of(const TaskSpec& task, const SweepSettings& settings) {
  const std::string field = "tasks." + task.name + ".sweep";
  nnworkflow::SweepDocument sweep = settings.sweep;
  if (has_axis(sweep, "dataset")) {
    throw InvalidInput(field +
                       ".axes.dataset: a pipeline sweep trains on the dataset task it needs; "
                       "sweep datasets with one sweep task per dataset task");
  }
  const bool resource_axis = has_axis(sweep, "resource");
  if (resource_axis && task.resource) {
    throw InvalidInput("tasks." + task.name +
                       ".resource: the sweep varies the resource (axes.resource); "
                       "name it in one place");
  }
  check_size(sweep, field);
  for (auto& w : sweep.workflows) w = with_stand_in_dataset(w);
  std::vector<nnworkflow::SweepMember> members;
  try {
    members = nnworkflow::expand_sweep(sweep);
  } catch (const InvalidInput& e) {
    throw InvalidInput(field + ": " + e.what());
  }
  std::vector<TaskSpec> out;
  for (std::size_t i = 0; i < members.size(); ++i) {
    auto& m = members[i];
    // The member's document leaves validation behind here: its stand-in dataset is dropped, and
    // the prepared dataset of the task it needs takes its place when the task runs.
    nnworkflow::WorkflowDocument document = m.document.document();
    document.dataset = {};
    TaskSpec member;
    member.name = sweep_member_name(task.name, i + 1);
    member.needs = task.needs;
    member.resource = resource_axis ? document.resource : task.resource;
    member.settings = TrainSettings{std::move(document), task.name, m.label};
    out.push_back(std::move(member));
  }
  return out;
}

}  // namespace

PipelineDocument expand_sweeps(const PipelineDocument& pipeline) {
  PipelineDocument out = pipeline;
  out.tasks.clear();
  std::map<std::string, std::vector<std::string>> members_by_sweep;
  for (const auto& task : pipeline.tasks) {
    const auto* sweep = std::get_if<SweepSettings>(&task.settings);
    if (!sweep) {
      out.tasks.push_back(task);
      continue;
    }
    for (auto& member : members_of(task, *sweep)) {
      members_by_sweep[task.name].push_back(member.name);
      out.tasks.push_back(std::move(member));
    }
  }
  for (auto& task : out.tasks) {
    std::vector<std::string> needs;
    for (const auto& need : task.needs) {
      const auto it = members_by_sweep.find(need);
      if (it == members_by_sweep.end()) {
        needs.push_back(need);
      } else {
        needs.insert(needs.end(), it->second.begin(), it->second.end());
      }
    }
    task.needs = std::move(needs);
  }
  return out;
}

std::string sweep_member_name(const std::string& sweep, std::size_t n) {
  return sweep + "." + std::to_string(n);
}

bool is_sweep_member_name(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == name.size() || name.size() - dot > 7)
    return false;
  for (const char c : name.substr(dot + 1)) {
    if (c < '0' || c > '9') return false;
  }
  return is_plain_name(name.substr(0, dot));
}

}  // namespace dlaaw::pipeline
