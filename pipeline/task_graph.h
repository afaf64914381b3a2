// task_graph.h - the DAG of a pipeline's tasks: names, needs, dependents and a topological order.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/pipeline_document.h"

namespace dlaaw::pipeline {

// A task as the graph sees it: a name and the names it needs.
struct GraphNode {
  std::string name;
  std::vector<std::string> needs;
};

class TaskGraph {
 public:
  // Builds the graph; tasks keep their order (index i is nodes[i]). Throws InvalidInput, one line
  // naming the field, for: a name given twice, a need naming no task, a task needing the same
  // task twice, and a cycle ("tasks.a.needs: cycle a -> b -> a (each task needs the next)").
  explicit TaskGraph(std::vector<GraphNode> nodes);

  std::size_t size() const { return nodes_.size(); }
  const std::string& name(std::size_t task) const { return nodes_[task].name; }
  // The index of the task named `name`, or nullopt.
  std::optional<std::size_t> find(std::string_view name) const;
  // The index of the task named `name`; throws InvalidInput "unknown task ..." otherwise.
  std::size_t index(std::string_view name) const;
  // The tasks `task` needs, in the order written.
  const std::vector<std::size_t>& needs(std::size_t task) const { return needs_[task]; }
  // The tasks that need `task`, in task order.
  const std::vector<std::size_t>& dependents(std::size_t task) const { return dependents_[task]; }
  // Every task, each after all it needs; ties go by task order, so the order is deterministic.
  const std::vector<std::size_t>& topological_order() const { return order_; }
  // Every task that depends on `task` directly or transitively (not `task`), in topological order.
  std::vector<std::size_t> descendants(std::size_t task) const;

 private:
  void check_acyclic() const;

  std::vector<GraphNode> nodes_;
  std::map<std::string, std::size_t, std::less<>> by_name_;
  std::vector<std::vector<std::size_t>> needs_;
  std::vector<std::vector<std::size_t>> dependents_;
  std::vector<std::size_t> order_;
};

// The graph of a pipeline's tasks (sweeps as single tasks unless the document is expanded).
TaskGraph task_graph(const PipelineDocument& pipeline);

}  // namespace dlaaw::pipeline
