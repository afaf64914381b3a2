// run_queries.cpp - read-only queries over the tracker database, bound parameters only.
#include "tracker/run_queries.h"

#include <map>
#include <set>

#include "common/errors.h"
#include "common/json_parse.h"
#include "common/utc_time.h"

namespace dlaaw::tracker {
namespace {

using nlohmann::json;

// The filter as a WHERE clause with ? placeholders, and the values to bind in order.
std::pair<std::string, std::vector<std::string>> where_clause(const RunFilter& f) {
  std::string sql = " WHERE 1 = 1";
  std::vector<std::string> values;
  if (f.experiment) {
    sql += " AND r.experiment_id = (SELECT id FROM experiments WHERE name = ?)";
    values.push_back(*f.experiment);
  }
  if (f.dataset) {
    sql += " AND r.dataset = ?";
    values.push_back(*f.dataset);
  }
  if (f.state) {
    sql += " AND r.state = ?";
    values.push_back(*f.state);
  }
  if (f.resource) {
    sql += " AND r.resource = ?";
    values.push_back(*f.resource);
  }
  for (const auto& tag : f.tags) {
    // IN (...) lets SQLite start from the tag index when the tag is rare.
    sql += " AND r.id IN (SELECT run_id FROM run_tags WHERE key = ?";
    values.push_back(tag.key);
    if (tag.value) {
      sql += " AND value = ?";
      values.push_back(*tag.value);
    }
    sql += ")";
  }
  if (f.archived == ArchivedRuns::Hidden) sql += " AND r.archived_at IS NULL";
  if (f.archived == ArchivedRuns::Only) sql += " AND r.archived_at IS NOT NULL";
  return {sql, values};
}

// A JSON object column (json_group_object), {} for NULL.
json object_column(const Statement& st, int column) {
  return st.is_null(column) ? json::object() : parse_json(st.text(column), "a stored JSON column");
}

json nullable_text(const Statement& st, int column) {
  return st.is_null(column) ? json(nullptr) : json(st.text(column));
}

json nullable_real(const Statement& st, int column) {
  return st.is_null(column) ? json(nullptr) : json(st.real(column));
}
json nullable_int(const Statement& st, int column) {
  return st.is_null(column) ? json(nullptr) : json(st.integer(column));
}

}  // namespace

json list_runs(SqliteDb& db, const RunFilter& f) {
  static const std::map<std::string, std::string> kSorts{{"id", "r.id"},
                                                         {"accuracy", "r.accuracy"},
                                                         {"train_ms", "r.train_ms"},
                                                         {"dataset", "r.dataset"},
                                                         {"state", "r.state"},
                                                         {"started_at", "r.started_at"},
                                                         {"resource", "r.resource"}};
  const auto sort = kSorts.find(f.sort);
  if (sort == kSorts.end()) {
    throw InvalidInput(
        "sort: unknown key \"" + f.sort +
        "\" (expected id, accuracy, train_ms, dataset, state, started_at or resource)");
  }
  const auto [where, values] = where_clause(f);
  auto st = db.prepare(
      "SELECT r.id, r.job_id, r.attempt, e.name, r.workflow_name, r.dataset, r.resource, "
      "r.backend, "
      "r.state, r.accuracy, "
      "(SELECT value FROM metrics WHERE run_id = r.id AND fold = -1 AND name = 'auc'), "
      "r.train_ms, r.started_at, r.finished_at, r.error, r.energy_j, r.note, r.archived_at, "
      "(SELECT json_group_object(key, value) FROM run_tags WHERE run_id = r.id) "
      "FROM runs r LEFT JOIN experiments e ON e.id = r.experiment_id" +
      where + " ORDER BY " + sort->second + (f.descending ? " DESC" : " ASC") +
      // Ties by id in the same direction, so that one (key, id) index gives the whole order and
      // the per-row subqueries run for the page's rows only, not for every skipped one.
      ", r.id" + (f.descending ? " DESC" : " ASC") + " LIMIT ? OFFSET ?");
  int i = 1;
  for (const auto& v : values) st.bind(i++, v);
  st.bind(i, f.limit).bind(i + 1, f.offset);
  json rows = json::array();
  while (st.step()) {
    rows.push_back({{"id", st.integer(0)},
                    {"job_id", st.text(1)},
                    {"attempt", st.integer(2)},
                    {"experiment", st.is_null(3) ? json(nullptr) : json(st.text(3))},
                    {"workflow", st.text(4)},
                    {"dataset", st.text(5)},
                    {"resource", st.text(6)},
                    {"backend", st.text(7)},
                    {"state", st.text(8)},
                    {"accuracy", nullable_real(st, 9)},
                    {"auc", nullable_real(st, 10)},
                    {"train_ms", nullable_real(st, 11)},
                    {"started_at", nullable_int(st, 12)},
                    {"finished_at", nullable_int(st, 13)},
                    {"error", st.text(14)},
                    {"energy_j", nullable_real(st, 15)},
                    {"note", nullable_text(st, 16)},
                    {"archived", !st.is_null(17)},
                    {"tags", object_column(st, 18)}});
  }
  return rows;
}

std::vector<std::int64_t> matching_run_ids(SqliteDb& db, const RunFilter& f) {
  const auto [where, values] = where_clause(f);
  auto st = db.prepare("SELECT r.id FROM runs r" + where + " ORDER BY r.id");
  int i = 1;
  for (const auto& v : values) st.bind(i++, v);
  std::vector<std::int64_t> ids;
  while (st.step()) ids.push_back(st.integer(0));
  return ids;
}

std::int64_t count_runs(SqliteDb& db, const RunFilter& f) {
  const auto [where, values] = where_clause(f);
  auto st = db.prepare("SELECT COUNT(*) FROM runs r" + where);
  int i = 1;
  for (const auto& v : values) st.bind(i++, v);
  st.step();
  return st.integer(0);
}

json run_record(SqliteDb& db, std::int64_t id) {
  auto st = db.prepare(
      "SELECT r.job_id, r.attempt, e.name, r.workflow_name, r.document, r.document_sha256, "
      "r.dataset, "
      "r.dataset_file, r.dataset_sha256, r.rows_read, r.rows_dropped, r.resource, r.backend, "
      "r.device, "
      "r.executor, r.host, r.code_version, r.seed, r.plan, r.state, r.queued_at, r.started_at, "
      "r.finished_at, r.error, r.energy_j, r.energy_source, r.power_mode, r.note, r.archived_at, "
      "(SELECT json_group_object(key, value) FROM run_tags WHERE run_id = r.id) "
      "FROM runs r LEFT JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?");
  st.bind(1, id);
  if (!st.step()) throw NotFound("run " + std::to_string(id) + ": no such run");
  const auto parse = [](const std::string& text) {
    return text.empty() ? json(nullptr) : parse_json(text, "runs row");
  };
  json r = {{"id", id},
            {"job_id", st.text(0)},
            {"attempt", st.integer(1)},
            {"experiment", st.is_null(2) ? json(nullptr) : json(st.text(2))},
            {"workflow", st.text(3)},
            {"document", parse(st.text(4))},
            {"document_sha256", st.text(5)},
            {"dataset",
             {{"name", st.text(6)},
              {"file", st.text(7)},
              {"sha256", st.text(8)},
              {"rows_read", nullable_int(st, 9)},
              {"rows_dropped", nullable_int(st, 10)}}},
            {"resource", st.text(11)},
            {"backend", st.text(12)},
            {"device", parse(st.text(13))},
            {"executor", st.text(14)},
            {"host", st.text(15)},
            {"code_version", st.text(16)},
            {"seed", nullable_int(st, 17)},
            {"plan", parse(st.text(18))},
            {"state", st.text(19)},
            {"queued_at", nullable_int(st, 20)},
            {"started_at", nullable_int(st, 21)},
            {"finished_at", nullable_int(st, 22)},
            {"error", st.text(23)},
            {"energy", st.is_null(24) ? json(nullptr)
                                      : json({{"joules", st.real(24)},
                                              {"source", st.text(25)},
                                              {"power_mode", nullable_text(st, 26)}})},
            {"note", nullable_text(st, 27)},
            {"archived_at", nullable_int(st, 28)},
            {"tags", object_column(st, 29)}};
  json metrics = {{"folds", json::array()}, {"mean", json::object()}, {"std", json::object()}};
  auto m = db.prepare("SELECT fold, name, value FROM metrics WHERE run_id = ? ORDER BY fold, name");
  m.bind(1, id);
  std::map<std::int64_t, json> folds;
  while (m.step()) {
    const auto fold = m.integer(0);
    const json value = nullable_real(m, 2);
    if (fold == -1) {
      metrics["mean"][m.text(1)] = value;
    } else if (fold == -2) {
      metrics["std"][m.text(1)] = value;
    } else {
      folds[fold][m.text(1)] = value;
    }
  }
  for (auto& [fold, values] : folds) {
    values["fold"] = fold;
    metrics["folds"].push_back(values);
  }
  r["metrics"] = metrics;
  json timings = json::object();
  auto t = db.prepare("SELECT name, ms FROM timings WHERE run_id = ?");
  t.bind(1, id);
  while (t.step()) timings[t.text(0)] = t.real(1);
  r["timings_ms"] = timings;
  return r;
}

json run_details(SqliteDb& db, std::int64_t id) {
  json r = run_record(db, id);
  json losses = json::array();
  auto l = db.prepare("SELECT fold, epoch, loss FROM losses WHERE run_id = ? ORDER BY fold, epoch");
  l.bind(1, id);
  while (l.step()) {
    const auto fold = static_cast<std::size_t>(l.integer(0));
    while (losses.size() <= fold) losses.push_back(json::array());
    losses[fold].push_back({l.integer(1), l.real(2)});
  }
  r["losses"] = losses;  // per fold: [epoch, loss] pairs
  return r;
}

json mean_loss_curve(SqliteDb& db, std::int64_t id) {
  auto st = db.prepare(
      "SELECT epoch, AVG(loss) FROM losses WHERE run_id = ? GROUP BY epoch ORDER BY epoch");
  st.bind(1, id);
  json curve = json::array();
  while (st.step()) curve.push_back({st.integer(0), st.real(1)});
  return curve;
}

json compare_runs(SqliteDb& db, const std::vector<std::int64_t>& ids) {
  if (ids.size() < 2) throw InvalidInput("compare: give at least two run ids");
  std::vector<json> runs;
  for (auto id : ids) runs.push_back(run_record(db, id));
  // Parameters: flattened training fields, plan, dataset, network, resource and backend.
  const auto parameters = [](const json& r) {
    std::map<std::string, json> p;
    p["dataset"] = r["dataset"]["name"];
    p["resource"] = r["resource"];
    p["backend"] = r["backend"];
    p["device"] =
        r["device"].is_object() ? r["device"].value("name", json(nullptr)) : json(nullptr);
    if (r["document"].is_object()) {
      for (const auto& [k, v] : r["document"]["training"].items()) p["training." + k] = v;
      for (const auto& [k, v] : r["document"]["plan"].items()) p["plan." + k] = v;
      p["network"] = r["document"]["network"];
    }
    return p;
  };
  std::set<std::string> keys;
  std::vector<std::map<std::string, json>> params;
  for (const auto& r : runs) {
    params.push_back(parameters(r));
    for (const auto& [k, v] : params.back()) keys.insert(k);
  }
  json differ = json::object(), same = json::object();
  for (const auto& k : keys) {
    json values = json::array();
    bool all_same = true;
    for (const auto& p : params) {
      const json v = p.count(k) ? p.at(k) : json(nullptr);
      all_same = all_same && v == (params[0].count(k) ? params[0].at(k) : json(nullptr));
      values.push_back(v);
    }
    (all_same ? same : differ)[k] = all_same ? values[0] : values;
  }
  json out = {
      {"runs", json::array()}, {"parameters_that_differ", differ}, {"parameters_in_common", same}};
  for (const auto& r : runs) {
    out["runs"].push_back({{"id", r["id"]},
                           {"experiment", r["experiment"]},
                           {"workflow", r["workflow"]},
                           {"state", r["state"]},
                           {"metrics", r["metrics"]["mean"]},
                           {"metrics_std", r["metrics"]["std"]},
                           {"timings_ms", r["timings_ms"]},
                           {"energy", r["energy"]}});
  }
  return out;
}

json provenance(SqliteDb& db, std::int64_t id) {
  const json r = run_record(db, id);
  const std::string run = "dlaaw:run/" + std::to_string(id);
  const std::string dataset = "dlaaw:dataset/" + r["dataset"]["sha256"].get<std::string>();
  const std::string document = "dlaaw:workflow/" + r["document_sha256"].get<std::string>();
  const std::string model = "dlaaw:model/" + std::to_string(id);
  const std::string executor = "dlaaw:executor/" + r["executor"].get<std::string>();
  const json device = r["device"].is_object() ? r["device"] : json::object();
  const std::string device_id = "dlaaw:device/" + device.value("kind", std::string("unknown")) +
                                "/" + device.value("name", std::string("unknown"));
  json activity = {{"prov:type", "dlaaw:TrainingRun"}, {"dlaaw:job", r["job_id"]},
                   {"dlaaw:attempt", r["attempt"]},    {"dlaaw:state", r["state"]},
                   {"dlaaw:backend", r["backend"]},    {"dlaaw:code_version", r["code_version"]}};
  if (r["started_at"].is_number())
    activity["prov:startTime"] = iso_utc(r["started_at"].get<std::int64_t>());
  if (r["finished_at"].is_number())
    activity["prov:endTime"] = iso_utc(r["finished_at"].get<std::int64_t>());
  json model_entity = {{"prov:type", "dlaaw:TrainedModel"},
                       {"prov:label", r["workflow"].get<std::string>() + " model"}};
  for (const auto& [k, v] : r["metrics"]["mean"].items()) model_entity["dlaaw:" + k] = v;
  json device_agent = {{"prov:type", "dlaaw:Device"}};
  for (const auto& [k, v] : device.items()) device_agent["dlaaw:" + k] = v;
  return {
      {"prefix", {{"dlaaw", "urn:dlaaw:"}, {"prov", "http://www.w3.org/ns/prov#"}}},
      {"entity",
       {{dataset,
         {{"prov:type", "dlaaw:Dataset"},
          {"prov:label", r["dataset"]["name"]},
          {"dlaaw:file", r["dataset"]["file"]},
          {"dlaaw:sha256", r["dataset"]["sha256"]},
          {"dlaaw:rows_read", r["dataset"]["rows_read"]},
          {"dlaaw:rows_dropped", r["dataset"]["rows_dropped"]}}},
        {document,
         {{"prov:type", "dlaaw:WorkflowDocument"},
          {"prov:label", r["workflow"]},
          {"dlaaw:sha256", r["document_sha256"]}}},
        {model, model_entity}}},
      {"activity", {{run, activity}}},
      {"agent",
       {{executor,
         {{"prov:type", "prov:SoftwareAgent"},
          {"dlaaw:host", r["host"]},
          {"dlaaw:resource", r["resource"]}}},
        {device_id, device_agent}}},
      {"used",
       {{"_:used-dataset", {{"prov:activity", run}, {"prov:entity", dataset}}},
        {"_:used-workflow", {{"prov:activity", run}, {"prov:entity", document}}}}},
      {"wasGeneratedBy", {{"_:generated-model", {{"prov:entity", model}, {"prov:activity", run}}}}},
      {"wasAssociatedWith",
       {{"_:run-executor", {{"prov:activity", run}, {"prov:agent", executor}}},
        {"_:run-device", {{"prov:activity", run}, {"prov:agent", device_id}}}}},
      {"wasDerivedFrom",
       {{"_:model-from-dataset",
         {{"prov:generatedEntity", model}, {"prov:usedEntity", dataset}, {"prov:activity", run}}},
        {"_:model-from-workflow",
         {{"prov:generatedEntity", model},
          {"prov:usedEntity", document},
          {"prov:activity", run}}}}},
  };
}

json artifact(SqliteDb& db, std::int64_t id, const std::string& name) {
  auto st = db.prepare("SELECT content FROM artifacts WHERE run_id = ? AND name = ?");
  st.bind(1, id).bind(2, name);
  if (!st.step())
    throw NotFound("run " + std::to_string(id) + ": no " + name + " stored (did it finish?)");
  return parse_json(st.text(0), "run " + std::to_string(id) + " artifact " + name);
}

std::vector<results::TrainedModel> trained_models(SqliteDb& db, std::int64_t id) {
  const json models = artifact(db, id, "model");
  if (!models.is_array())
    throw InvalidInput("run " + std::to_string(id) + ": stored models are not a list");
  std::vector<results::TrainedModel> out;
  for (std::size_t f = 0; f < models.size(); ++f)
    out.push_back(results::trained_model_from_json(models[f], "model[" + std::to_string(f) + "]"));
  return out;
}

json list_experiments(SqliteDb& db, const std::vector<TagFilter>& tags) {
  std::string where = " WHERE 1 = 1";
  std::vector<std::string> values;
  for (const auto& tag : tags) {
    where += " AND e.id IN (SELECT experiment_id FROM experiment_tags WHERE key = ?";
    values.push_back(tag.key);
    if (tag.value) {
      where += " AND value = ?";
      values.push_back(*tag.value);
    }
    where += ")";
  }
  auto st = db.prepare(
      "SELECT e.id, e.name, e.created_at, e.note, "
      "(SELECT COUNT(*) FROM runs WHERE experiment_id = e.id AND archived_at IS NULL), "
      "(SELECT COUNT(*) FROM runs WHERE experiment_id = e.id AND archived_at IS NOT NULL), "
      "(SELECT json_group_object(key, value) FROM experiment_tags WHERE experiment_id = e.id) "
      "FROM experiments e" +
      where + " ORDER BY e.id DESC");
  for (std::size_t i = 0; i < values.size(); ++i) st.bind(static_cast<int>(i + 1), values[i]);
  json out = json::array();
  while (st.step()) {
    out.push_back({{"id", st.integer(0)},
                   {"name", st.text(1)},
                   {"created_at", st.integer(2)},
                   {"note", nullable_text(st, 3)},
                   {"runs", st.integer(4)},
                   {"archived", st.integer(5)},
                   {"tags", object_column(st, 6)}});
  }
  return out;
}

std::pair<json, std::vector<std::int64_t>> experiment_runs(SqliteDb& db,
                                                           const std::string& name_or_id,
                                                           ArchivedRuns archived) {
  auto st = db.prepare(
      "SELECT id, name, created_at, note, (SELECT json_group_object(key, value) FROM "
      "experiment_tags WHERE experiment_id = experiments.id) FROM experiments WHERE name = ? OR "
      "CAST(id AS TEXT) = ?");
  st.bind(1, name_or_id).bind(2, name_or_id);
  if (!st.step()) throw NotFound("experiment " + name_or_id + ": no such experiment");
  const json experiment = {{"id", st.integer(0)},
                           {"name", st.text(1)},
                           {"created_at", st.integer(2)},
                           {"note", nullable_text(st, 3)},
                           {"tags", object_column(st, 4)}};
  RunFilter filter;
  filter.experiment = experiment["name"].get<std::string>();
  filter.archived = archived;
  return {experiment, matching_run_ids(db, filter)};
}

std::map<std::string, std::int64_t> runs_by_state(SqliteDb& db) {
  std::map<std::string, std::int64_t> out;
  auto st = db.prepare("SELECT state, COUNT(*) FROM runs GROUP BY state ORDER BY state");
  while (st.step()) out[st.text(0)] = st.integer(1);
  return out;
}

}  // namespace dlaaw::tracker
