// pipeline_scheduler.cpp - task state transitions and readiness.
#include "pipeline/pipeline_scheduler.h"

#include <algorithm>

#include "common/errors.h"

namespace dlaaw::pipeline {
namespace {

constexpr std::pair<TaskState, std::string_view> kStates[] = {
    {TaskState::Pending, "pending"},     {TaskState::Queued, "queued"},
    {TaskState::Running, "running"},     {TaskState::Finished, "finished"},
    {TaskState::Failed, "failed"},       {TaskState::Skipped, "skipped"},
    {TaskState::Cancelled, "cancelled"}, {TaskState::Cached, "cached"}};

}  // namespace

std::string_view task_state_name(TaskState state) {
  for (const auto& [s, name] : kStates) {
    if (s == state) return name;
  }
  return "?";
}

std::optional<TaskState> parse_task_state(std::string_view name) {
  for (const auto& [s, spelled] : kStates) {
    if (spelled == name) return s;
  }
  return std::nullopt;
}

bool is_ended(TaskState s) {
  return s == TaskState::Finished || s == TaskState::Failed || s == TaskState::Skipped ||
         s == TaskState::Cancelled || s == TaskState::Cached;
}

bool has_output(TaskState s) { return s == TaskState::Finished || s == TaskState::Cached; }

PipelineScheduler::PipelineScheduler(TaskGraph graph)
    : graph_(std::move(graph)), states_(graph_.size(), TaskState::Pending) {}

PipelineScheduler::PipelineScheduler(TaskGraph graph,
                                     const std::map<std::string, TaskState>& states)
    : PipelineScheduler(std::move(graph)) {
  for (const auto& [name, state] : states) states_[graph_.index(name)] = state;
  for (std::size_t t = 0; t < graph_.size(); ++t) {
    const TaskState s = states_[t];
    if (s == TaskState::Pending || s == TaskState::Skipped || s == TaskState::Cancelled) continue;
    for (std::size_t need : graph_.needs(t)) {
      if (!has_output(states_[need])) {
        throw InvalidInput("task \"" + graph_.name(t) + "\" is " + std::string(task_state_name(s)) +
                           " but the task it needs, \"" + graph_.name(need) + "\", is " +
                           std::string(task_state_name(states_[need])) +
                           " (inconsistent stored states)");
      }
    }
  }
}

std::size_t PipelineScheduler::task_index(std::string_view task) const {
  return graph_.index(task);
}

TaskState PipelineScheduler::state(std::string_view task) const {
  return states_[task_index(task)];
}

std::vector<StateChange> PipelineScheduler::states() const {
  std::vector<StateChange> out;
  for (std::size_t t = 0; t < graph_.size(); ++t) out.emplace_back(graph_.name(t), states_[t]);
  return out;
}

bool PipelineScheduler::is_ready(std::size_t t) const {
  if (states_[t] != TaskState::Pending) return false;
  const auto& needs = graph_.needs(t);
  return std::all_of(needs.begin(), needs.end(),
                     [&](std::size_t n) { return has_output(states_[n]); });
}

std::vector<std::string> PipelineScheduler::ready() const {
  std::vector<std::string> out;
  for (std::size_t t : graph_.topological_order()) {
    if (is_ready(t)) out.push_back(graph_.name(t));
  }
  return out;
}

void PipelineScheduler::refuse(std::size_t t, TaskState to) const {
  std::string why;
  if (states_[t] == TaskState::Pending && (to == TaskState::Queued || to == TaskState::Cached)) {
    why = " (what it needs has not all finished)";
  }
  throw InvalidInput("task \"" + graph_.name(t) + "\" is " +
                     std::string(task_state_name(states_[t])) + "; it cannot become " +
                     std::string(task_state_name(to)) + why);
}

std::vector<StateChange> PipelineScheduler::move(std::string_view task,
                                                 std::initializer_list<TaskState> from,
                                                 TaskState to) {
  const std::size_t t = task_index(task);
  if (states_[t] == to) return {};
  if (std::find(from.begin(), from.end(), states_[t]) == from.end()) refuse(t, to);
  states_[t] = to;
  return {{graph_.name(t), to}};
}

std::vector<StateChange> PipelineScheduler::mark_queued(std::string_view task) {
  const std::size_t t = task_index(task);
  if (states_[t] == TaskState::Pending && !is_ready(t)) refuse(t, TaskState::Queued);
  return move(task, {TaskState::Pending}, TaskState::Queued);
}

std::vector<StateChange> PipelineScheduler::mark_running(std::string_view task) {
  return move(task, {TaskState::Queued}, TaskState::Running);
}

std::vector<StateChange> PipelineScheduler::mark_requeued(std::string_view task) {
  const std::size_t t = task_index(task);
  if (states_[t] == TaskState::Queued) return {};
  if (states_[t] != TaskState::Running) refuse(t, TaskState::Queued);
  states_[t] = TaskState::Queued;
  return {{graph_.name(t), TaskState::Queued}};
}

std::vector<StateChange> PipelineScheduler::mark_finished(std::string_view task) {
  return move(task, {TaskState::Queued, TaskState::Running}, TaskState::Finished);
}

std::vector<StateChange> PipelineScheduler::mark_cached(std::string_view task) {
  const std::size_t t = task_index(task);
  if (states_[t] == TaskState::Pending && !is_ready(t)) refuse(t, TaskState::Cached);
  return move(task, {TaskState::Pending}, TaskState::Cached);
}

std::vector<StateChange> PipelineScheduler::mark_failed(std::string_view task) {
  auto changes =
      move(task, {TaskState::Pending, TaskState::Queued, TaskState::Running}, TaskState::Failed);
  if (changes.empty()) return changes;
  for (std::size_t d : graph_.descendants(task_index(task))) {
    if (!is_ended(states_[d])) {
      states_[d] = TaskState::Skipped;
      changes.emplace_back(graph_.name(d), TaskState::Skipped);
    }
  }
  return changes;
}

std::vector<StateChange> PipelineScheduler::cancel() {
  std::vector<StateChange> changes;
  for (std::size_t t : graph_.topological_order()) {
    if (!is_ended(states_[t])) {
      states_[t] = TaskState::Cancelled;
      changes.emplace_back(graph_.name(t), TaskState::Cancelled);
    }
  }
  return changes;
}

std::vector<StateChange> PipelineScheduler::reuse_ready(
    const std::function<bool(const std::string&)>& reusable) {
  // One pass in topological order suffices: a task's needs come before it, so by the time it is
  // looked at, every need that could be cached already is.
  std::vector<StateChange> changes;
  for (std::size_t t : graph_.topological_order()) {
    if (is_ready(t) && reusable(graph_.name(t))) {
      states_[t] = TaskState::Cached;
      changes.emplace_back(graph_.name(t), TaskState::Cached);
    }
  }
  return changes;
}

bool PipelineScheduler::ended() const {
  return std::all_of(states_.begin(), states_.end(), [](TaskState s) { return is_ended(s); });
}

}  // namespace dlaaw::pipeline
