// workflow_json.cpp - the JSON mapper of the workflow document "dlaaw/workflow@1".
#include "nnworkflow/workflow_json.h"

#include <fstream>

#include "common/errors.h"
#include "common/json_fields.h"
#include "nnworkflow/workflow_validation.h"

namespace dlaaw::nnworkflow {
namespace {

using nlohmann::json;

datasets::DatasetSpec dataset_from_json(const json& j) {
  JsonFields f(j, "dataset");
  datasets::DatasetSpec s;
  s.catalog = f.text("catalog");
  s.path = f.text("path");
  s.label = f.text("label");
  s.positive = f.text("positive");
  s.categorical = f.text_list("categorical");
  s.drop = f.text_list("drop");
  s.header = f.boolean("header");
  if (const json* syn = f.value("synthetic")) {
    JsonFields g(*syn, "dataset.synthetic");
    datasets::SyntheticSpec spec;
    const auto rows = g.integer("rows");
    const auto features = g.int_value("features");
    const auto seed = g.integer("seed");
    if (!rows || *rows <= 0)
      throw InvalidInput("dataset.synthetic.rows: must be a positive integer");
    if (!features || *features <= 0) {
      throw InvalidInput("dataset.synthetic.features: must be a positive integer");
    }
    if (!seed || *seed < 0) {
      throw InvalidInput("dataset.synthetic.seed: must be a non-negative integer");
    }
    spec.rows = static_cast<std::size_t>(*rows);
    spec.features = *features;
    spec.seed = static_cast<std::uint64_t>(*seed);
    g.finish();
    s.synthetic = spec;
  }
  f.finish();
  return s;
}

json dataset_to_json(const datasets::DatasetSpec& s) {
  json j = json::object();
  if (s.catalog) j["catalog"] = *s.catalog;
  if (s.path) j["path"] = *s.path;
  if (s.label) j["label"] = *s.label;
  if (s.positive) j["positive"] = *s.positive;
  if (!s.categorical.empty()) j["categorical"] = s.categorical;
  if (!s.drop.empty()) j["drop"] = s.drop;
  if (s.header) j["header"] = *s.header;
  if (s.synthetic) {
    j["synthetic"] = {{"rows", s.synthetic->rows},
                      {"features", s.synthetic->features},
                      {"seed", s.synthetic->seed}};
  }
  return j;
}

NNTask layer_from_json(const json& j, std::size_t index) {
  const std::string path = "network[" + std::to_string(index) + "]";
  JsonFields f(j, path);
  const auto type_name = f.text("type");
  if (!type_name) throw InvalidInput(path + ".type: missing");
  const auto type = parse_layer_type(*type_name);
  if (!type) {
    throw InvalidInput(path + ".type: unknown layer type \"" + *type_name +
                       "\" (expected Linear, ReLU, Sigmoid or Tanh)");
  }
  NNTask task{*type};
  if (*type == LayerType::Linear) {
    const auto in = f.int_value("in");
    const auto out = f.int_value("out");
    if (!in) throw InvalidInput(path + ": Linear.in is missing");
    if (!out) throw InvalidInput(path + ": Linear.out is missing");
    task.in = *in;
    task.out = *out;
  }
  f.finish();
  return task;
}

json layer_to_json(const NNTask& t) {
  json j = {{"type", std::string(layer_type_name(t.type))}};
  if (t.type == LayerType::Linear) {
    j["in"] = t.in;
    j["out"] = t.out;
  }
  return j;
}

PlanSpec plan_from_json(const json& j) {
  JsonFields f(j, "plan");
  const std::string type = f.required_text("type");
  PlanSpec p;
  if (type == "train_test") {
    p.type = PlanType::TrainTest;
    p.test_fraction = f.number("test_fraction");
  } else if (type == "kfold") {
    p.type = PlanType::KFold;
    p.k = f.int_value("k");
  } else {
    throw InvalidInput("plan.type: unknown plan \"" + type + "\" (expected train_test or kfold)");
  }
  f.finish();
  return p;
}

json plan_to_json(const PlanSpec& p) {
  json j;
  if (p.type == PlanType::TrainTest) {
    j["type"] = "train_test";
    if (p.test_fraction) j["test_fraction"] = *p.test_fraction;
  } else {
    j["type"] = "kfold";
    if (p.k) j["k"] = *p.k;
  }
  return j;
}

TrainingSpec training_from_json(const json& j) {
  JsonFields f(j, "training");
  TrainingSpec t;
  t.epochs = f.integer("epochs");
  t.batches = f.int_value("batches");
  t.batch_size = f.int_value("batch_size");
  t.learning_rate = f.number("learning_rate");
  t.momentum = f.number("momentum");
  t.init = f.text("init");
  t.kernel = f.text("kernel");
  if (const auto seed = f.count("seed")) t.seed = *seed;
  f.finish();
  return t;
}

json training_to_json(const TrainingSpec& t) {
  json j = json::object();
  if (t.epochs) j["epochs"] = *t.epochs;
  if (t.batches) j["batches"] = *t.batches;
  if (t.batch_size) j["batch_size"] = *t.batch_size;
  if (t.learning_rate) j["learning_rate"] = *t.learning_rate;
  if (t.momentum) j["momentum"] = *t.momentum;
  if (t.init) j["init"] = *t.init;
  if (t.seed) j["seed"] = *t.seed;
  if (t.kernel) j["kernel"] = *t.kernel;
  return j;
}

const json& required(JsonFields& f, const std::string& key) {
  const json* v = f.value(key);
  if (!v) throw InvalidInput(f.field(key) + ": missing");
  return *v;
}

}  // namespace

WorkflowDocument workflow_from_json(const json& j) {
  JsonFields f(j, "");
  const auto schema = f.text("schema");
  if (!schema)
    throw InvalidInput(std::string("schema: missing (expected \"") + kWorkflowSchema + "\")");
  if (*schema != kWorkflowSchema) {
    throw InvalidInput("schema: \"" + *schema + "\" is not supported (expected \"" +
                       kWorkflowSchema + "\")");
  }
  WorkflowDocument d;
  d.name = f.required_text("name");
  d.dataset = dataset_from_json(required(f, "dataset"));
  const json& network = required(f, "network");
  if (!network.is_array()) {
    throw InvalidInput("network: must be a list of layers, got " + describe_json(network));
  }
  for (std::size_t i = 0; i < network.size(); ++i)
    d.network.push_back(layer_from_json(network[i], i));
  d.plan = plan_from_json(required(f, "plan"));
  d.training = training_from_json(required(f, "training"));
  d.resource = f.text("resource");
  d.memory = f.text("memory");
  f.finish();
  return d;
}

json workflow_to_json(const WorkflowDocument& d) {
  json j = {{"schema", kWorkflowSchema}, {"name", d.name}};
  j["dataset"] = dataset_to_json(d.dataset);
  j["network"] = network_to_json(d.network);
  j["plan"] = plan_to_json(d.plan);
  j["training"] = training_to_json(d.training);
  if (d.resource) j["resource"] = *d.resource;
  if (d.memory) j["memory"] = *d.memory;
  return j;
}

std::vector<NNTask> network_from_json(const json& network) {
  if (!network.is_array())
    throw InvalidInput("network: must be a list of layers, got " + describe_json(network));
  std::vector<NNTask> tasks;
  for (std::size_t i = 0; i < network.size(); ++i) tasks.push_back(layer_from_json(network[i], i));
  return tasks;
}

json network_to_json(const std::vector<NNTask>& tasks) {
  json network = json::array();
  for (const auto& t : tasks) network.push_back(layer_to_json(t));
  return network;
}

ValidWorkflow load_workflow_file(const std::string& path) {
  const json j = read_json_file(path);
  try {
    return ValidWorkflow(workflow_from_json(j));
  } catch (const InvalidInput& e) {
    throw InvalidInput(path + ": " + e.what());
  }
}

}  // namespace dlaaw::nnworkflow
