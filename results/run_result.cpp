// run_result.cpp - the result document to and from JSON, with checked reads.
#include "results/run_result.h"

#include <limits>

#include "common/errors.h"
#include "common/json_fields.h"
#include "common/json_parse.h"
#include "nnworkflow/workflow_json.h"
#include "results/device_json.h"

namespace dlaaw::results {
namespace {

using nlohmann::json;

// Prefixes an error from a reader that does not know where its JSON sits (the workflow mapper).
template <typename Read>
auto at_path(const std::string& path, Read read) {
  try {
    return read();
  } catch (const InvalidInput& e) {
    throw InvalidInput(path + "." + e.what());
  }
}

// A required count that fits an int (folds, batches, attempts).
int small_count(JsonFields& f, const std::string& key) {
  const auto v = f.integer_in(key, 0, std::numeric_limits<int>::max());
  if (!v) throw InvalidInput(f.field(key) + ": missing");
  return static_cast<int>(*v);
}

std::vector<float> float_list(const json& j, const std::string& path) {
  const auto values = number_list(j, path);
  return std::vector<float>(values.begin(), values.end());
}

json dataset_to_json(const DatasetRecord& d) {
  json j = {{"name", d.name},
            {"file", d.file},
            {"sha256", d.sha256},
            {"label", d.label},
            {"positive", d.positive},
            {"features", d.features},
            {"rows_read", d.rows_read},
            {"rows_dropped", d.rows_dropped},
            {"rows", d.rows}};
  if (!d.note.empty()) j["note"] = d.note;
  return j;
}

DatasetRecord dataset_from_json(JsonFields f) {
  DatasetRecord d;
  d.name = f.required_text("name");
  d.file = f.required_text("file");
  d.sha256 = f.required_text("sha256");
  d.label = f.required_text("label");
  d.positive = f.required_text("positive");
  d.features = text_list(f.list("features"), f.field("features"));
  d.rows_read = f.required_count("rows_read");
  d.rows_dropped = f.required_count("rows_dropped");
  d.rows = f.required_count("rows");
  d.note = f.text("note").value_or("");
  return d;
}

BinaryMetrics metrics_from_json(JsonFields f) {
  BinaryMetrics m;
  m.accuracy = f.required_number("accuracy");
  m.precision = f.required_number("precision");
  m.recall = f.required_number("recall");
  m.f1 = f.required_number("f1");
  m.auc = f.nullable_number("auc");
  JsonFields c = f.object("confusion");
  m.tp = c.required_count("tp");
  m.fp = c.required_count("fp");
  m.tn = c.required_count("tn");
  m.fn = c.required_count("fn");
  return m;
}

MetricSummary summary_from_json(JsonFields f) {
  MetricSummary s;
  s.accuracy = f.nullable_number("accuracy");
  s.precision = f.nullable_number("precision");
  s.recall = f.nullable_number("recall");
  s.f1 = f.nullable_number("f1");
  s.auc = f.nullable_number("auc");
  return s;
}

// Reads {"rows", "labels", "scores"} at `path`.
TestPredictions predictions_from_json(JsonFields p, const std::string& path) {
  TestPredictions t;
  t.rows = index_list(p.list("rows"), p.field("rows"));
  t.labels = float_list(p.list("labels"), p.field("labels"));
  t.scores = float_list(p.list("scores"), p.field("scores"));
  if (t.labels.size() != t.rows.size() || t.scores.size() != t.rows.size())
    throw InvalidInput(path + ": rows, labels and scores differ in length");
  return t;
}

// The fold without its predictions when they travel as an artifact.
json fold_to_json(const FoldResult& f, bool with_predictions) {
  json j = {{"fold", f.fold},
            {"train_rows", f.train_rows},
            {"test_rows", f.test_rows},
            {"batches", f.batches},
            {"epochs_run", f.epochs_run},
            {"loss", f.loss},
            {"metrics", metrics_to_json(f.metrics)},
            {"model", trained_model_to_json(f.model)}};
  if (with_predictions) j["predictions"] = predictions_to_json(f.predictions);
  return j;
}

FoldResult fold_from_json(JsonFields f, bool with_predictions) {
  FoldResult r;
  r.fold = small_count(f, "fold");
  r.train_rows = f.required_count("train_rows");
  r.test_rows = f.required_count("test_rows");
  r.batches = small_count(f, "batches");
  r.epochs_run = f.required_count("epochs_run");
  r.loss = number_list(f.list("loss"), f.field("loss"), /*allow_null=*/true);
  r.metrics = metrics_from_json(f.object("metrics"));
  r.model = trained_model_from_json(f.required("model"), f.field("model"));
  if (with_predictions)
    r.predictions = predictions_from_json(f.object("predictions"), f.field("predictions"));
  return r;
}

json timings_json(const Timings& t) {
  json j = {{"load", t.load},
            {"preprocess", t.preprocess},
            {"train", t.train},
            {"evaluate", t.evaluate},
            {"total", t.total}};
  const auto put = [&](const char* key, const std::optional<double>& v) {
    if (v) j[key] = *v;
  };
  put("blob_fetch", t.blob_fetch);
  put("queue_wait", t.queue_wait);
  put("gpu_kernel", t.gpu_kernel);
  put("gpu_context", t.gpu_context);
  put("gpu_library", t.gpu_library);
  return j;
}

Timings timings_from_json(JsonFields f) {
  Timings t;
  t.load = f.required_number("load");
  t.preprocess = f.required_number("preprocess");
  t.train = f.required_number("train");
  t.evaluate = f.required_number("evaluate");
  t.total = f.required_number("total");
  t.blob_fetch = f.number("blob_fetch");
  t.queue_wait = f.number("queue_wait");
  t.gpu_kernel = f.number("gpu_kernel");
  t.gpu_context = f.number("gpu_context");
  t.gpu_library = f.number("gpu_library");
  return t;
}

// The optional parts: where it ran, what the GPU used, energy.
void put_optional_parts(json& j, const RunResult& r) {
  if (r.kernel) j["kernel"] = kernels::name_of(*r.kernel);
  if (r.memory) j["memory"] = kernels::name_of(*r.memory);
  if (r.blocks_per_model) j["blocks_per_model"] = *r.blocks_per_model;
  if (r.energy) {
    j["energy"] = {{"joules", r.energy->joules}, {"source", r.energy->source}};
    if (!r.energy->power_mode.empty()) j["energy"]["power_mode"] = r.energy->power_mode;
  }
  if (r.executor)
    j["executor"] = {
        {"id", r.executor->id}, {"host", r.executor->host}, {"resource", r.executor->resource}};
  if (r.job) j["job"] = {{"id", r.job->id}, {"attempt", r.job->attempt}};
  if (const auto& a = r.predictions_artifact)
    j["predictions_artifact"] = {{"sha256", a->sha256}, {"bytes", a->bytes}, {"rows", a->rows}};
}

void read_optional_parts(JsonFields& f, RunResult& r) {
  if (const auto kernel = f.text("kernel")) {
    r.kernel = kernels::parse_kernel_choice(*kernel);
    if (!r.kernel) throw InvalidInput(f.field("kernel") + ": unknown kernel \"" + *kernel + "\"");
  }
  if (const auto memory = f.text("memory")) {
    r.memory = kernels::parse_memory_path(*memory);
    if (!r.memory)
      throw InvalidInput(f.field("memory") + ": unknown memory mode \"" + *memory + "\"");
  }
  if (f.value("blocks_per_model")) r.blocks_per_model = small_count(f, "blocks_per_model");
  if (f.value("energy")) {
    JsonFields e = f.object("energy");
    r.energy = EnergyRecord{e.required_number("joules"), e.required_text("source"),
                            e.text("power_mode").value_or("")};
  }
  if (f.value("executor")) {
    JsonFields e = f.object("executor");
    r.executor =
        ExecutorRecord{e.required_text("id"), e.required_text("host"), e.required_text("resource")};
  }
  if (f.value("job")) {
    JsonFields e = f.object("job");
    r.job = JobRecord{e.required_text("id"), small_count(e, "attempt")};
  }
}

std::optional<PredictionsArtifact> predictions_artifact_from(JsonFields& f) {
  if (!f.value("predictions_artifact")) return std::nullopt;
  JsonFields a = f.object("predictions_artifact");
  return PredictionsArtifact{a.required_text("sha256"), a.required_count("bytes"),
                             a.required_count("rows")};
}

void check_plan(JsonFields plan, const RunResult& r) {
  const std::string type = plan.required_text("type");
  const bool kfold = r.workflow.plan.type == nnworkflow::PlanType::KFold;
  if (type != (kfold ? "kfold" : "train_test"))
    throw InvalidInput(plan.field("type") + ": \"" + type + "\" but the workflow's plan differs");
  if (plan.required_count("folds") != r.folds.size())
    throw InvalidInput(plan.field("folds") + ": does not match the number of folds given");
}

}  // namespace

json metrics_to_json(const BinaryMetrics& m) {
  return {{"accuracy", m.accuracy},
          {"precision", m.precision},
          {"recall", m.recall},
          {"f1", m.f1},
          {"auc", m.auc ? json(*m.auc) : json(nullptr)},
          {"confusion", {{"tp", m.tp}, {"fp", m.fp}, {"tn", m.tn}, {"fn", m.fn}}}};
}

json timings_to_json(const Timings& t) { return timings_json(t); }

json predictions_to_json(const TestPredictions& p) {
  return {{"rows", p.rows}, {"labels", p.labels}, {"scores", p.scores}};
}

json summary_to_json(const MetricSummary& s) {
  const auto value = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  return {{"accuracy", value(s.accuracy)},
          {"precision", value(s.precision)},
          {"recall", value(s.recall)},
          {"f1", value(s.f1)},
          {"auc", value(s.auc)}};
}

MetricSummary summary_of(const BinaryMetrics& m) {
  return {m.accuracy, m.precision, m.recall, m.f1, m.auc};
}

json trained_model_to_json(const TrainedModel& m) {
  return {{"layers", nnworkflow::network_to_json(m.layers)},
          {"parameters", m.parameters},
          {"features", m.features},
          {"columns", m.columns},
          {"label", m.label},
          {"categories", m.categories},
          {"scaler", {{"min", m.scaler_min}, {"max", m.scaler_max}}}};
}

TrainedModel trained_model_from_json(const json& j, const std::string& path) {
  JsonFields f(j, path);
  TrainedModel m;
  m.layers = at_path(path, [&] { return nnworkflow::network_from_json(f.required("layers")); });
  m.parameters = float_list(f.list("parameters"), f.field("parameters"));
  m.features = text_list(f.list("features"), f.field("features"));
  m.columns = text_list(f.list("columns"), f.field("columns"));
  m.label = f.required_text("label");
  JsonFields categories = f.object("categories");
  for (const auto& [feature, values] : f.required("categories").items())
    m.categories[feature] = text_list(values, categories.field(feature));
  JsonFields scaler = f.object("scaler");
  m.scaler_min = number_list(scaler.list("min"), scaler.field("min"));
  m.scaler_max = number_list(scaler.list("max"), scaler.field("max"));
  if (m.scaler_min.size() != m.features.size() || m.scaler_max.size() != m.features.size())
    throw InvalidInput(f.field("scaler") + ": needs one min and max per feature");
  return m;
}

json run_result_to_json(const RunResult& r) {
  const bool kfold = r.workflow.plan.type == nnworkflow::PlanType::KFold;
  json folds = json::array();
  for (const auto& f : r.folds) folds.push_back(fold_to_json(f, !r.predictions_artifact));
  json metrics = summary_to_json(r.metrics);
  if (r.folds.size() == 1) metrics["confusion"] = metrics_to_json(r.folds[0].metrics)["confusion"];
  json j = {{"schema", kResultSchema},
            {"workflow", nnworkflow::workflow_to_json(r.workflow)},
            {"dataset", dataset_to_json(r.dataset)},
            {"backend", r.backend},
            {"device", device_to_json(r.device)},
            {"plan", {{"type", kfold ? "kfold" : "train_test"}, {"folds", r.folds.size()}}},
            {"folds", folds},
            {"metrics", metrics},
            {"code_version", r.code_version},
            {"timings_ms", timings_json(r.timings)}};
  if (r.metrics_std) j["metrics_std"] = summary_to_json(*r.metrics_std);
  put_optional_parts(j, r);
  return j;
}

RunResult run_result_from_json(const json& j) {
  JsonFields f(j, "result");
  const auto schema = f.text("schema");
  if (!schema || *schema != kResultSchema)
    throw InvalidInput(std::string("result.schema: expected \"") + kResultSchema + "\", got " +
                       (schema ? "\"" + schema->substr(0, 40) + "\"" : std::string("none")));
  RunResult r;
  r.workflow = at_path("result.workflow",
                       [&] { return nnworkflow::workflow_from_json(f.required("workflow")); });
  r.dataset = dataset_from_json(f.object("dataset"));
  r.backend = f.required_text("backend");
  r.device = device_from_json(f.required("device"), f.field("device"));
  r.predictions_artifact = predictions_artifact_from(f);
  const json& folds = f.list("folds");
  if (folds.empty()) throw InvalidInput("result.folds: empty");
  for (std::size_t i = 0; i < folds.size(); ++i)
    r.folds.push_back(fold_from_json(
        JsonFields(folds[i], "result.folds[" + std::to_string(i) + "]"), !r.predictions_artifact));
  check_plan(f.object("plan"), r);
  r.metrics = summary_from_json(f.object("metrics"));
  if (f.value("metrics_std")) r.metrics_std = summary_from_json(f.object("metrics_std"));
  r.code_version = f.text("code_version").value_or("");
  r.timings = timings_from_json(f.object("timings_ms"));
  read_optional_parts(f, r);
  return r;
}

std::string predictions_list_text(const RunResult& r) {
  json list = json::array();
  for (const auto& f : r.folds) list.push_back(predictions_to_json(f.predictions));
  return list.dump();
}

void attach_predictions(RunResult& r, const std::string& bytes) {
  if (!r.predictions_artifact) throw InvalidInput("result: has no predictions_artifact to attach");
  const PredictionsArtifact& a = *r.predictions_artifact;
  const std::string where = "predictions artifact " + a.sha256.substr(0, 64);
  if (bytes.size() != a.bytes)
    throw InvalidInput(where + ": " + std::to_string(bytes.size()) + " bytes, the result says " +
                       std::to_string(a.bytes));
  const json list = parse_json(bytes, where);
  if (!list.is_array() || list.size() != r.folds.size())
    throw InvalidInput(where + ": must be a list of " + std::to_string(r.folds.size()) +
                       " folds' predictions");
  std::vector<TestPredictions> folds;
  std::size_t rows = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = where + "[" + std::to_string(i) + "]";
    folds.push_back(predictions_from_json(JsonFields(list[i], path), path));
    rows += folds.back().rows.size();
  }
  if (rows != a.rows)
    throw InvalidInput(where + ": " + std::to_string(rows) + " rows, the result says " +
                       std::to_string(a.rows));
  for (std::size_t i = 0; i < folds.size(); ++i) r.folds[i].predictions = std::move(folds[i]);
  r.predictions_artifact.reset();
}

RunResult run_result_from_text(const std::string& text) {
  return run_result_from_json(parse_json(text, "result"));
}

}  // namespace dlaaw::results
