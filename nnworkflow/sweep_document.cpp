// sweep_document.cpp - reading and expanding sweeps.
#include "nnworkflow/sweep_document.h"

#include <algorithm>
#include <fstream>
#include <numeric>

#include "common/errors.h"
#include "common/json_fields.h"
#include "common/random.h"
#include "nnworkflow/workflow_json.h"
#include "nnworkflow/workflow_validation.h"

namespace dlaaw::nnworkflow {
namespace {

using nlohmann::json;

const char* const kAxes[] = {"dataset", "network", "resource",      "plan",    "seed",
                             "epochs",  "batches", "learning_rate", "momentum"};

// A workflow file named in a sweep; messages name the sweep's field too.
json read_workflow_file(const std::filesystem::path& path, const std::string& field) {
  try {
    return read_json_file(path.string());
  } catch (const InvalidInput& e) {
    throw InvalidInput(field + ": " + e.what());
  }
}

// Sets one axis value on a workflow document (as JSON, so that the mapper checks the result).
// Throws InvalidInput when the document has no object to put it in.
void apply_axis(json& doc, const std::string& axis, const json& value) {
  const bool in_training =
      axis != "dataset" && axis != "network" && axis != "resource" && axis != "plan";
  if (in_training && doc.contains("training") && !doc["training"].is_object())
    throw InvalidInput("training: must be an object (axis " + axis + " sets training." + axis +
                       ")");
  if (axis == "dataset") {
    doc["dataset"] = value.is_string() ? json{{"catalog", value}} : value;
  } else if (axis == "network") {
    doc["network"] = value;
  } else if (axis == "resource") {
    doc["resource"] = value;
  } else if (axis == "plan") {
    doc["plan"] = value;
  } else {
    doc["training"][axis] = value;
  }
}

// The value as a label shows it. Any JSON can arrive here (axis values are checked only later,
// member by member), so every access is by kind.
std::string short_value(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("type") && v["type"].is_string()) {
    const json* k = v.contains("k") ? &v["k"] : nullptr;
    return v["type"].get<std::string>() + (k && k->is_number_integer() ? k->dump() : "");
  }
  if (v.is_object() && v.contains("catalog") && v["catalog"].is_string())
    return v["catalog"].get<std::string>();
  const std::string d = v.dump();
  return d.size() > 24 ? d.substr(0, 21) + "..." : d;
}

}  // namespace

SweepDocument sweep_from_json(const json& j, const std::filesystem::path& base_dir) {
  JsonFields f(j, "");
  const auto schema = f.text("schema");
  if (!schema || *schema != kSweepSchema) {
    throw InvalidInput(std::string("schema: expected \"") + kSweepSchema + "\"");
  }
  SweepDocument s;
  s.name = f.required_text("name");
  const auto add_workflow = [&](const json& w, const std::string& field) {
    if (w.is_string()) {
      json doc = read_workflow_file(base_dir / w.get<std::string>(), field);
      if (!doc.is_object()) throw InvalidInput(field + ": the file holds no workflow document");
      s.workflows.push_back(std::move(doc));
    } else if (w.is_object()) {
      s.workflows.push_back(w);
    } else {
      throw InvalidInput(field + ": must be a file name or a workflow document");
    }
  };
  if (const json* w = f.value("workflow")) add_workflow(*w, "workflow");
  if (const json* ws = f.value("workflows")) {
    if (!ws->is_array()) throw InvalidInput("workflows: must be a list");
    for (std::size_t i = 0; i < ws->size(); ++i)
      add_workflow((*ws)[i], "workflows[" + std::to_string(i) + "]");
  }
  if (s.workflows.empty()) throw InvalidInput("workflows: give \"workflow\" or \"workflows\"");
  if (const json* axes = f.value("axes")) {
    require_object(*axes, "axes");
    for (const auto& [name, values] : axes->items()) {
      if (std::find(std::begin(kAxes), std::end(kAxes), name) == std::end(kAxes)) {
        throw InvalidInput(
            "axes." + name +
            ": unknown axis (expected dataset, network, resource, plan, seed, epochs, "
            "batches, learning_rate or momentum)");
      }
      if (!values.is_array() || values.empty())
        throw InvalidInput("axes." + name + ": must be a non-empty list");
      s.axes.emplace_back(name, values.get<std::vector<json>>());
    }
  }
  s.mode = f.text("mode").value_or("grid");
  if (s.mode != "grid" && s.mode != "random")
    throw InvalidInput("mode: \"" + s.mode + "\" (expected grid or random)");
  const auto samples = f.integer("samples");
  if (s.mode == "random") {
    if (!samples || *samples < 1 || *samples > static_cast<std::int64_t>(kMaxSweepMembers))
      throw InvalidInput("samples: random mode needs a number of samples from 1 to " +
                         std::to_string(kMaxSweepMembers));
    s.samples = static_cast<int>(*samples);
  }
  if (const auto seed = f.integer("seed")) s.seed = static_cast<std::uint64_t>(*seed);
  f.finish();
  return s;
}

SweepDocument load_sweep_file(const std::string& path) {
  const json j = read_json_file(path);
  try {
    return sweep_from_json(j, std::filesystem::path(path).parent_path());
  } catch (const InvalidInput& e) {
    throw InvalidInput(path + ": " + e.what());
  }
}

std::vector<SweepMember> expand_sweep(const SweepDocument& s) {
  // Grid index i enumerates (workflow, axis values...) with the last axis changing fastest.
  std::size_t total = s.workflows.size();
  for (const auto& [name, values] : s.axes) {
    // Checked before multiplying: a few long axes would otherwise overflow or exhaust memory.
    if (values.size() > kMaxSweepCombinations / total)
      throw InvalidInput("axes: more than " + std::to_string(kMaxSweepCombinations) +
                         " combinations (use mode random with samples, or fewer values)");
    total *= values.size();
  }
  const std::size_t wanted = s.mode == "random"
                                 ? std::min<std::size_t>(total, static_cast<std::size_t>(s.samples))
                                 : total;
  if (wanted > kMaxSweepMembers)
    throw InvalidInput("a sweep of " + std::to_string(wanted) + " members: at most " +
                       std::to_string(kMaxSweepMembers) + " (split it)");
  std::vector<std::size_t> chosen(total);
  std::iota(chosen.begin(), chosen.end(), std::size_t{0});
  if (s.mode == "random") {
    SplitMix64 rng(s.seed);
    for (std::size_t i = total; i > 1; --i) std::swap(chosen[i - 1], chosen[rng.below(i)]);
    chosen.resize(std::min<std::size_t>(chosen.size(), static_cast<std::size_t>(s.samples)));
    std::sort(chosen.begin(), chosen.end());
  }
  std::vector<SweepMember> members;
  for (std::size_t index : chosen) {
    std::size_t rest = index;
    std::vector<std::size_t> picks(s.axes.size());
    for (std::size_t a = s.axes.size(); a-- > 0;) {
      picks[a] = rest % s.axes[a].second.size();
      rest /= s.axes[a].second.size();
    }
    json doc = s.workflows[rest];
    const std::string workflow_name =
        doc.contains("name") && doc["name"].is_string() ? doc["name"].get<std::string>() : "?";
    json parameters = {{"workflow", workflow_name}};
    std::string label = workflow_name;
    for (std::size_t a = 0; a < s.axes.size(); ++a) {
      const auto& [axis, values] = s.axes[a];
      parameters[axis] = values[picks[a]];
      label += " " + axis + "=" + short_value(values[picks[a]]);
    }
    try {
      for (std::size_t a = 0; a < s.axes.size(); ++a)
        apply_axis(doc, s.axes[a].first, s.axes[a].second[picks[a]]);
      members.push_back({ValidWorkflow(workflow_from_json(doc)), parameters, label});
    } catch (const InvalidInput& e) {
      throw InvalidInput("member " + std::to_string(members.size() + 1) + " (" + label +
                         "): " + e.what());
    }
  }
  return members;
}

}  // namespace dlaaw::nnworkflow
