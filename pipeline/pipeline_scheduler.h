// pipeline_scheduler.h - which tasks of a pipeline may run now: a pure state machine over the DAG.
//
// Nothing here touches a queue: a driver (phase 2: the pipeline runner over Redis) asks ready(),
// queues those jobs, and reports what happened to each task through the mark_* calls. Each call
// returns the tasks whose state it changed, so the driver can record exactly those. Reporting the
// same outcome twice changes nothing, so events may be delivered more than once.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/task_graph.h"

namespace dlaaw::pipeline {

// pending -> queued -> running -> finished | failed; pending -> cached (its key was reused);
// pending -> skipped (something it needs failed); any state not ended -> cancelled.
enum class TaskState { Pending, Queued, Running, Finished, Failed, Skipped, Cancelled, Cached };

// "pending", "queued", ...
std::string_view task_state_name(TaskState state);
// The state spelled `name`, or nullopt.
std::optional<TaskState> parse_task_state(std::string_view name);
// True for finished, failed, skipped, cancelled and cached: the task will not change again.
bool is_ended(TaskState state);
// True for finished and cached: what the task's dependents may use.
bool has_output(TaskState state);

// A task and the state it moved to.
using StateChange = std::pair<std::string, TaskState>;

class PipelineScheduler {
 public:
  // Every task pending.
  explicit PipelineScheduler(TaskGraph graph);
  // Resumes from stored states (tasks not in `states` are pending). Throws InvalidInput for an
  // unknown task name, and for states no run could have left: a task past pending whose needs
  // have no output (skipped and cancelled tasks excepted).
  PipelineScheduler(TaskGraph graph, const std::map<std::string, TaskState>& states);

  const TaskGraph& graph() const { return graph_; }
  // Throws InvalidInput for an unknown task.
  TaskState state(std::string_view task) const;
  // Every task and its state, in task order.
  std::vector<StateChange> states() const;

  // The pending tasks whose needs all have output, in topological order.
  std::vector<std::string> ready() const;

  // Each mark_* call throws InvalidInput "task X is <state>; it cannot become <state>" for a
  // transition the state machine does not have (e.g. finishing a pending task, or failing a
  // finished one); repeating the task's current state returns no change.
  // pending -> queued; only a ready task.
  std::vector<StateChange> mark_queued(std::string_view task);
  // queued -> running.
  std::vector<StateChange> mark_running(std::string_view task);
  // running -> queued: its executor was lost and the job goes back to the queue.
  std::vector<StateChange> mark_requeued(std::string_view task);
  // queued or running -> finished.
  std::vector<StateChange> mark_finished(std::string_view task);
  // pending -> cached; only a ready task (its output was reused, not recomputed).
  std::vector<StateChange> mark_cached(std::string_view task);
  // pending, queued or running -> failed; then every task depending on it, directly or not,
  // that has not ended -> skipped.
  std::vector<StateChange> mark_failed(std::string_view task);
  // Every task not ended -> cancelled.
  std::vector<StateChange> cancel();

  // Marks cached, repeatedly, every ready task for which `reusable(name)` is true (its key has a
  // stored output and it is not forced), so that a resubmitted pipeline queues only what changed.
  // Returns the tasks it marked, in topological order.
  std::vector<StateChange> reuse_ready(const std::function<bool(const std::string&)>& reusable);

  // True when every task has ended.
  bool ended() const;

 private:
  std::size_t task_index(std::string_view task) const;
  bool is_ready(std::size_t task) const;
  [[noreturn]] void refuse(std::size_t task, TaskState to) const;
  // Moves `task` to `to` when its state is one of `from`; no change if it is already `to`.
  std::vector<StateChange> move(std::string_view task, std::initializer_list<TaskState> from,
                                TaskState to);

  TaskGraph graph_;
  std::vector<TaskState> states_;
};

}  // namespace dlaaw::pipeline
