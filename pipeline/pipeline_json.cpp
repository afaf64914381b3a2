// pipeline_json.cpp - the JSON mapper of the pipeline document "dlaaw/pipeline@1".
#include "pipeline/pipeline_json.h"

#include "common/errors.h"
#include "common/json_fields.h"
#include "pipeline/pipeline_validation.h"
#include "pipeline/step_json.h"
#include "pipeline/task_workflow.h"

namespace dlaaw::pipeline {
namespace {

using nlohmann::json;
using dlaaw::describe_json;
using dlaaw::JsonFields;

using BaseDir = std::optional<std::filesystem::path>;

const char* const kNoFiles = ": no file is read for a stored pipeline; inline the document";

// Exactly one of an inline object (`key`) or a file relative to base_dir (`file_key`), as JSON.
json inline_or_file(JsonFields& f, const std::string& key, const std::string& file_key,
                    const BaseDir& base_dir) {
  const json* inline_value = f.value(key);
  const auto file = f.text(file_key);
  if (inline_value && file) {
    throw InvalidInput(f.field(key) + ": give \"" + key + "\" or \"" + file_key + "\", not both");
  }
  if (inline_value) {
    require_object(*inline_value, f.field(key));
    return *inline_value;
  }
  if (!file)
    throw InvalidInput(f.field(key) + ": missing (give \"" + key + "\" or \"" + file_key + "\")");
  if (!base_dir) throw InvalidInput(f.field(file_key) + kNoFiles);
  try {
    return read_json_file((*base_dir / *file).string());
  } catch (const InvalidInput& e) {
    throw InvalidInput(f.field(file_key) + ": " + e.what());
  }
}

// The prefix of a message about a nested document: "tasks.t.workflow." when inline, else
// "tasks.t.workflow_file (nn1.json): ".
std::string nested_field(JsonFields& f, const std::string& key, const std::string& file_key) {
  if (f.value(key)) return f.field(key) + ".";
  return f.field(file_key) + " (" + f.text(file_key).value_or("") + "): ";
}

DatasetSettings dataset_settings(JsonFields& f) {
  DatasetSettings d;
  const json* source = f.value("source");
  if (!source) throw InvalidInput(f.field("source") + ": missing (a catalog dataset or a file)");
  d.source = source_from_json(*source, f.field("source"));
  if (const json* steps = f.value("steps")) {
    if (!steps->is_array())
      throw InvalidInput(f.field("steps") + ": must be a list, got " + describe_json(*steps));
    for (std::size_t i = 0; i < steps->size(); ++i)
      d.steps.push_back(
          step_from_json((*steps)[i], f.field("steps") + "[" + std::to_string(i) + "]"));
  }
  return d;
}

TrainSettings train_settings(JsonFields& f, const std::string& task, const BaseDir& base_dir) {
  const json raw = inline_or_file(f, "workflow", "workflow_file", base_dir);
  try {
    return TrainSettings{task_workflow_from_json(normalize_task_workflow(raw, task)), "", ""};
  } catch (const InvalidInput& e) {
    throw InvalidInput(nested_field(f, "workflow", "workflow_file") + e.what());
  }
}

// Without a base directory, a sweep may not name workflow files either.
void refuse_workflow_files(const json& sweep, const std::string& field) {
  if (sweep.contains("workflow") && sweep["workflow"].is_string())
    throw InvalidInput(field + "workflow" + kNoFiles);
  if (!sweep.contains("workflows") || !sweep["workflows"].is_array()) return;
  for (std::size_t i = 0; i < sweep["workflows"].size(); ++i) {
    if (sweep["workflows"][i].is_string()) {
      throw InvalidInput(field + "workflows[" + std::to_string(i) + "]" + kNoFiles);
    }
  }
}

SweepSettings sweep_settings(JsonFields& f, const std::string& task, const BaseDir& base_dir) {
  json raw = inline_or_file(f, "sweep", "sweep_file", base_dir);
  const bool in_file = !f.value("sweep");
  if (!base_dir) refuse_workflow_files(raw, nested_field(f, "sweep", "sweep_file"));
  // A sweep file's workflow files are relative to the sweep file, as `dlaaw sweep` reads them.
  std::filesystem::path sweep_dir;
  if (base_dir) sweep_dir = in_file ? (*base_dir / *f.text("sweep_file")).parent_path() : *base_dir;
  if (!raw.contains("schema")) raw["schema"] = nnworkflow::kSweepSchema;
  if (!raw.contains("name")) raw["name"] = task;
  try {
    SweepSettings s{nnworkflow::sweep_from_json(raw, sweep_dir)};
    for (std::size_t i = 0; i < s.sweep.workflows.size(); ++i) {
      try {
        s.sweep.workflows[i] = normalize_task_workflow(s.sweep.workflows[i], task);
      } catch (const InvalidInput& e) {
        throw InvalidInput("workflows[" + std::to_string(i) + "]: " + e.what());
      }
    }
    return s;
  } catch (const InvalidInput& e) {
    throw InvalidInput(nested_field(f, "sweep", "sweep_file") + e.what());
  }
}

std::optional<double> threshold(JsonFields& f) { return f.number("threshold"); }

TaskSpec task_from_json(const json& j, std::size_t index, const BaseDir& base_dir) {
  const std::string at = "tasks[" + std::to_string(index) + "]";
  require_object(j, at);
  TaskSpec t;
  t.name = JsonFields(j, at).required_text("name");
  if (!is_plain_name(t.name)) {
    throw InvalidInput(at + ".name: \"" + t.name +
                       "\" is not a plain name (1 to 64 letters, digits, - or _)");
  }
  JsonFields f(j, "tasks." + t.name);
  f.text("name");
  const std::string kind_name = f.required_text("kind");
  const auto kind = parse_task_kind(kind_name);
  if (!kind) {
    throw InvalidInput(f.field("kind") + ": unknown kind \"" + kind_name +
                       "\" (expected dataset, train, evaluate, predict, compare or sweep)");
  }
  t.needs = f.text_list("needs");
  t.resource = f.text("resource");
  switch (*kind) {
    case TaskKind::Dataset:
      t.settings = dataset_settings(f);
      break;
    case TaskKind::Train:
      t.settings = train_settings(f, t.name, base_dir);
      break;
    case TaskKind::Evaluate:
      t.settings = EvaluateSettings{threshold(f)};
      break;
    case TaskKind::Predict:
      t.settings = PredictSettings{threshold(f)};
      break;
    case TaskKind::Compare:
      t.settings = CompareSettings{};
      break;
    case TaskKind::Sweep:
      t.settings = sweep_settings(f, t.name, base_dir);
      break;
  }
  f.finish();
  return t;
}

json sweep_to_json(const nnworkflow::SweepDocument& s) {
  json j = {{"schema", nnworkflow::kSweepSchema},
            {"name", s.name},
            {"workflows", s.workflows},
            {"mode", s.mode},
            {"seed", s.seed}};
  json axes = json::object();
  for (const auto& [axis, values] : s.axes) axes[axis] = values;
  if (!axes.empty()) j["axes"] = axes;
  if (s.mode == "random") j["samples"] = s.samples;
  return j;
}

}  // namespace

bool is_plain_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '-' && c != '_'))) return false;
  }
  return true;
}

PipelineDocument pipeline_from_json(const json& j,
                                    const std::optional<std::filesystem::path>& base_dir) {
  JsonFields f(j, "");
  const auto schema = f.text("schema");
  if (!schema)
    throw InvalidInput(std::string("schema: missing (expected \"") + kPipelineSchema + "\")");
  if (*schema != kPipelineSchema) {
    throw InvalidInput("schema: \"" + *schema + "\" is not supported (expected \"" +
                       kPipelineSchema + "\")");
  }
  PipelineDocument p;
  p.name = f.required_text("name");
  p.description = f.text("description");
  p.resource = f.text("resource");
  const json* tasks = f.value("tasks");
  if (!tasks) throw InvalidInput("tasks: missing (a list of tasks)");
  if (!tasks->is_array())
    throw InvalidInput("tasks: must be a list of tasks, got " + describe_json(*tasks));
  for (std::size_t i = 0; i < tasks->size(); ++i)
    p.tasks.push_back(task_from_json((*tasks)[i], i, base_dir));
  f.finish();
  return p;
}

json task_settings_json(const TaskSpec& task) {
  json j = json::object();
  if (const auto* d = std::get_if<DatasetSettings>(&task.settings)) {
    j["source"] = source_to_json(d->source);
    j["steps"] = json::array();
    for (const auto& step : d->steps) j["steps"].push_back(step_to_json(step));
  } else if (const auto* t = std::get_if<TrainSettings>(&task.settings)) {
    j["workflow"] = task_workflow_to_json(t->workflow);
  } else if (const auto* e = std::get_if<EvaluateSettings>(&task.settings)) {
    if (e->threshold) j["threshold"] = *e->threshold;
  } else if (const auto* p = std::get_if<PredictSettings>(&task.settings)) {
    if (p->threshold) j["threshold"] = *p->threshold;
  } else if (const auto* s = std::get_if<SweepSettings>(&task.settings)) {
    j["sweep"] = sweep_to_json(s->sweep);
  }
  return j;
}

json pipeline_to_json(const PipelineDocument& p) {
  json j = {{"schema", kPipelineSchema}, {"name", p.name}};
  if (p.description) j["description"] = *p.description;
  if (p.resource) j["resource"] = *p.resource;
  j["tasks"] = json::array();
  for (const auto& t : p.tasks) {
    json task = {{"name", t.name}, {"kind", std::string(task_kind_name(t.kind()))}};
    if (!t.needs.empty()) task["needs"] = t.needs;
    if (t.resource) task["resource"] = *t.resource;
    task.update(task_settings_json(t));
    j["tasks"].push_back(task);
  }
  return j;
}

PipelineDocument load_pipeline_file(const std::string& path) {
  const json j = read_json_file(path);
  try {
    PipelineDocument p = pipeline_from_json(j, std::filesystem::path(path).parent_path());
    validate_pipeline(p);
    return p;
  } catch (const InvalidInput& e) {
    throw InvalidInput(path + ": " + e.what());
  }
}

}  // namespace dlaaw::pipeline
