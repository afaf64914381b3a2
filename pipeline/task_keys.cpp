// task_keys.cpp - hashing tasks with their inputs, and the --force and resume rules.
#include "pipeline/task_keys.h"

#include <algorithm>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "datasets/catalog.h"
#include "datasets/csv_reader.h"
#include "datasets/data_dir.h"
#include "datasets/sha256.h"
#include "pipeline/pipeline_json.h"

namespace dlaaw::pipeline {
namespace {

using nlohmann::json;

// The role a needed task plays; evaluate and predict take theirs by kind, not by the order of
// `needs`, so that reordering needs keeps the key.
std::string role_of(const TaskSpec& task, const TaskSpec& need) {
  switch (task.kind()) {
    case TaskKind::Evaluate:
    case TaskKind::Predict:
      return need.kind() == TaskKind::Train ? "model" : "data";
    case TaskKind::Compare:
      return "result";
    default:
      return "data";
  }
}

bool resource_matters(TaskKind kind) {
  return kind == TaskKind::Train || kind == TaskKind::Evaluate || kind == TaskKind::Predict;
}

}  // namespace

std::map<std::string, std::string> source_hashes(const PipelineDocument& pipeline,
                                                 const std::filesystem::path& data_dir) {
  std::map<std::string, std::string> out;
  for (const auto& t : pipeline.tasks) {
    const auto* d = std::get_if<DatasetSettings>(&t.settings);
    if (!d) continue;
    if (d->source.catalog) {
      const auto entry = datasets::find_in_catalog(*d->source.catalog);
      if (!entry)
        throw InvalidInput("tasks." + t.name + ".source.catalog: unknown dataset \"" +
                           *d->source.catalog + "\"");
      out[t.name] = entry->sha256;
    } else {
      const auto file = datasets::resolve_data_file(data_dir, d->source.path.value_or(""),
                                                    "tasks." + t.name + ".source.path");
      out[t.name] = datasets::sha256_hex(datasets::read_file(file.string()));
    }
  }
  return out;
}

std::map<std::string, std::string> task_keys(const PipelineDocument& expanded,
                                             const std::map<std::string, std::string>& sources) {
  const TaskGraph graph = task_graph(expanded);
  std::map<std::string, std::string> keys;
  for (std::size_t i : graph.topological_order()) {
    const TaskSpec& task = expanded.tasks[i];
    if (task.kind() == TaskKind::Sweep)
      throw std::invalid_argument("task_keys: expand the sweeps first");
    json material = {{"format", kKeyFormat},
                     {"kind", std::string(task_kind_name(task.kind()))},
                     {"settings", task_settings_json(task)}};
    if (resource_matters(task.kind())) material["resource"] = effective_resource(expanded, task);
    if (task.kind() == TaskKind::Dataset) {
      const auto it = sources.find(task.name);
      if (it == sources.end())
        throw std::invalid_argument("task_keys: no source sha256 for " + task.name);
      material["source_sha256"] = it->second;
    }
    json inputs = json::array();
    for (std::size_t need : graph.needs(i)) {
      inputs.push_back(
          {{"role", role_of(task, expanded.tasks[need])}, {"key", keys.at(graph.name(need))}});
    }
    if (task.kind() != TaskKind::Compare) {
      // Compare lists its results in the order written (it is the order of the table); the
      // others' roles are distinct or all the same, so sorting makes `needs` order irrelevant.
      std::sort(inputs.begin(), inputs.end());
    }
    material["inputs"] = inputs;
    keys[task.name] = datasets::sha256_hex(material.dump());
  }
  return keys;
}

std::set<std::string> forced_tasks(const TaskGraph& graph, const std::vector<std::string>& names) {
  std::set<std::string> out;
  for (const auto& name : names) {
    const auto t = graph.find(name);
    if (!t) throw InvalidInput("--force: unknown task \"" + name + "\"");
    out.insert(name);
    for (std::size_t d : graph.descendants(*t)) out.insert(graph.name(d));
  }
  return out;
}

ResumePlan plan_resume(const TaskGraph& graph, const std::map<std::string, std::string>& keys,
                       const std::set<std::string>& stored, const std::set<std::string>& forced) {
  ResumePlan plan;
  for (std::size_t t : graph.topological_order()) {
    const std::string& name = graph.name(t);
    const auto key = keys.find(name);
    const bool reusable = key != keys.end() && stored.count(key->second) && !forced.count(name);
    (reusable ? plan.reuse : plan.run).push_back(name);
  }
  return plan;
}

}  // namespace dlaaw::pipeline
