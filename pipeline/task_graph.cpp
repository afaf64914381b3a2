// task_graph.cpp - building, checking and ordering the task DAG.
#include "pipeline/task_graph.h"

#include <algorithm>
#include <functional>
#include <map>
#include <queue>

#include "common/errors.h"

namespace dlaaw::pipeline {
namespace {

// The task names for a message, the first 20 of them (a document may hold thousands).
std::string names_of(const std::vector<GraphNode>& nodes) {
  std::string out;
  for (std::size_t i = 0; i < nodes.size() && i < 20; ++i) out += (i ? ", " : "") + nodes[i].name;
  if (nodes.size() > 20) out += ", ... (" + std::to_string(nodes.size()) + " tasks)";
  return out;
}

}  // namespace

TaskGraph::TaskGraph(std::vector<GraphNode> nodes) : nodes_(std::move(nodes)) {
  const std::size_t n = nodes_.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (!by_name_.emplace(nodes_[i].name, i).second) {
      throw InvalidInput("tasks[" + std::to_string(i) + "].name: \"" + nodes_[i].name +
                         "\" is the name of an earlier task too (task names must differ)");
    }
  }
  needs_.resize(n);
  dependents_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& needs = nodes_[i].needs;
    for (std::size_t k = 0; k < needs.size(); ++k) {
      const std::string field = "tasks." + nodes_[i].name + ".needs[" + std::to_string(k) + "]";
      const auto it = by_name_.find(needs[k]);
      if (it == by_name_.end()) {
        throw InvalidInput(field + ": unknown task \"" + needs[k] +
                           "\" (tasks: " + names_of(nodes_) + ")");
      }
      if (std::find(needs_[i].begin(), needs_[i].end(), it->second) != needs_[i].end()) {
        throw InvalidInput(field + ": \"" + needs[k] + "\" is named twice");
      }
      needs_[i].push_back(it->second);
      dependents_[it->second].push_back(i);
    }
  }
  for (auto& d : dependents_) std::sort(d.begin(), d.end());
  check_acyclic();
  // Kahn's algorithm with the smallest ready index first.
  std::vector<std::size_t> waiting(n);
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < n; ++i) {
    waiting[i] = needs_[i].size();
    if (waiting[i] == 0) ready.push(i);
  }
  while (!ready.empty()) {
    const std::size_t t = ready.top();
    ready.pop();
    order_.push_back(t);
    for (std::size_t d : dependents_[t]) {
      if (--waiting[d] == 0) ready.push(d);
    }
  }
}

void TaskGraph::check_acyclic() const {
  // Iterative depth-first search over needs (a document may hold many tasks, so no recursion);
  // meeting a task that is still on the path closes a cycle, which is the path from it onwards.
  enum class Mark { New, OnPath, Done };
  std::vector<Mark> mark(nodes_.size(), Mark::New);
  for (std::size_t root = 0; root < nodes_.size(); ++root) {
    if (mark[root] != Mark::New) continue;
    std::vector<std::pair<std::size_t, std::size_t>> path = {{root, 0}};  // task, next need
    mark[root] = Mark::OnPath;
    while (!path.empty()) {
      auto& [task, next] = path.back();
      if (next == needs_[task].size()) {
        mark[task] = Mark::Done;
        path.pop_back();
        continue;
      }
      const std::size_t need = needs_[task][next++];
      if (mark[need] == Mark::OnPath) {
        auto start =
            std::find_if(path.begin(), path.end(), [&](const auto& p) { return p.first == need; });
        std::string cycle;
        for (auto it = start; it != path.end(); ++it) cycle += nodes_[it->first].name + " -> ";
        throw InvalidInput("tasks." + nodes_[need].name + ".needs: cycle " + cycle +
                           nodes_[need].name + " (each task needs the next)");
      }
      if (mark[need] == Mark::New) {
        mark[need] = Mark::OnPath;
        path.emplace_back(need, 0);
      }
    }
  }
}

std::optional<std::size_t> TaskGraph::find(std::string_view name) const {
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

std::size_t TaskGraph::index(std::string_view name) const {
  if (const auto i = find(name)) return *i;
  throw InvalidInput("unknown task \"" + std::string(name) + "\" (tasks: " + names_of(nodes_) +
                     ")");
}

std::vector<std::size_t> TaskGraph::descendants(std::size_t task) const {
  std::vector<bool> reached(nodes_.size(), false);
  std::vector<std::size_t> stack = {task};
  while (!stack.empty()) {
    const std::size_t t = stack.back();
    stack.pop_back();
    for (std::size_t d : dependents_[t]) {
      if (!reached[d]) {
        reached[d] = true;
        stack.push_back(d);
      }
    }
  }
  std::vector<std::size_t> out;
  for (std::size_t t : order_) {
    if (reached[t] && t != task) out.push_back(t);
  }
  return out;
}

TaskGraph task_graph(const PipelineDocument& pipeline) {
  std::vector<GraphNode> nodes;
  for (const auto& t : pipeline.tasks) nodes.push_back({t.name, t.needs});
  return TaskGraph(std::move(nodes));
}

}  // namespace dlaaw::pipeline
