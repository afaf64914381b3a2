// report_data.cpp - gathering report data: SQL through the tracker's queries, live state through
// the queue's API.
#include "reports/report_data.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/errors.h"
#include "common/json_parse.h"
#include "common/stats.h"
#include "queue/event_stream.h"
#include "queue/executor_registry.h"
#include "queue/job_queue.h"
#include "queue/resource_store.h"
#include "results/device_json.h"

namespace dlaaw::reports {
namespace {

using nlohmann::json;

json nan_to_null(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

// Every queue a job can be put on; a registry Redis cannot give (a bad stored resource) falls
// back to the built-ins, so that the dashboard still shows the queue.
std::vector<std::string> queue_names(queue::RedisClient& redis) {
  try {
    return queue::load_registry(redis, "").queue_names();
  } catch (const InvalidInput&) {
    return resources::ResourceRegistry().queue_names();
  }
}

json executor_row(const queue::ExecutorInfo& e) {
  json row = {{"id", e.id},
              {"host", e.host},
              {"resource", e.resource},
              {"backend", e.backend},
              {"pid", e.pid},
              {"concurrency", e.concurrency},
              {"last_heartbeat", e.last_heartbeat_ms}};
  try {
    row["device"] = results::device_to_json(
        results::device_from_json(parse_json(e.device, "device"), "device"));
  } catch (const std::exception&) {
    row["device"] = nullptr;  // what Redis holds is untrusted: an odd device shows as unknown
  }
  return row;
}

// The train/test and k-fold runs of one comparison, grouped by (dataset, series).
struct Groups {
  std::vector<std::string> datasets, series;
  std::map<std::pair<std::string, std::string>, std::vector<double>> accuracy, time;
};

std::string series_of(const json& r) {
  return r["resource"].get<std::string>() + "/" + r["backend"].get<std::string>();
}

Groups group_runs(const std::vector<json>& runs) {
  Groups g;
  for (const auto& r : runs) {
    if (r["state"] != "finished") continue;
    const std::string ds = r["dataset"]["name"].get<std::string>();
    const std::string se = series_of(r);
    if (std::find(g.datasets.begin(), g.datasets.end(), ds) == g.datasets.end())
      g.datasets.push_back(ds);
    if (std::find(g.series.begin(), g.series.end(), se) == g.series.end()) g.series.push_back(se);
    const json& accuracy = r["metrics"]["mean"].value("accuracy", json(nullptr));
    if (accuracy.is_number()) g.accuracy[{ds, se}].push_back(accuracy.get<double>());
    if (r["timings_ms"].contains("train"))
      g.time[{ds, se}].push_back(r["timings_ms"]["train"].get<double>());
  }
  return g;
}

json summary_table(Groups& g) {
  json table = json::array();
  for (const auto& ds : g.datasets) {
    for (const auto& se : g.series) {
      if (g.accuracy[{ds, se}].empty() && g.time[{ds, se}].empty()) continue;
      const MeanStd a = mean_std(g.accuracy[{ds, se}]);
      const MeanStd t = mean_std(g.time[{ds, se}]);
      table.push_back({{"dataset", ds},
                       {"series", se},
                       {"runs", g.time[{ds, se}].size()},
                       {"accuracy_mean", nan_to_null(a.mean)},
                       {"accuracy_std", nan_to_null(a.std)},
                       {"train_ms_mean", nan_to_null(t.mean)},
                       {"train_ms_std", nan_to_null(t.std)}});
    }
  }
  return table;
}

// The training parameter that varies between the runs (seed when none does).
std::string varying_parameter(const std::vector<json>& runs) {
  for (const char* p : {"learning_rate", "momentum", "epochs", "batches", "batch_size", "seed"}) {
    std::set<std::string> values;
    for (const auto& r : runs) {
      if (r["document"].is_object())
        values.insert(r["document"]["training"].value(p, json(nullptr)).dump());
    }
    if (values.size() > 1) return p;
  }
  return "seed";
}

json scatter_points(const std::vector<json>& runs, const std::string& parameter) {
  json points = json::array();
  for (const auto& r : runs) {
    if (!r["document"].is_object()) continue;
    const json x = r["document"]["training"].value(parameter, json(nullptr));
    const json y = r["metrics"]["mean"].value("accuracy", json(nullptr));
    if (x.is_number() && y.is_number())
      points.push_back({{"run", r["id"]}, {"x", x}, {"y", y}, {"dataset", r["dataset"]["name"]}});
  }
  return points;
}

// Training time against rows, per series, for scaling studies.
json scaling_lines(const std::vector<json>& runs) {
  std::map<std::string, std::map<std::int64_t, std::vector<double>>> by_rows;
  for (const auto& r : runs) {
    if (r["state"] != "finished" || !r["dataset"]["rows_read"].is_number() ||
        !r["timings_ms"].contains("train"))
      continue;
    by_rows[series_of(r)][r["dataset"]["rows_read"].get<std::int64_t>()].push_back(
        r["timings_ms"]["train"].get<double>());
  }
  json scaling = json::object();
  for (const auto& [series_name, points] : by_rows) {
    if (points.size() < 2) continue;
    for (const auto& [rows, times] : points)
      scaling[series_name].push_back({rows, mean_std(times).mean});
  }
  return scaling;
}

json run_summaries(const std::vector<json>& runs) {
  json summary = json::array();
  for (const auto& r : runs) {
    summary.push_back({{"id", r["id"]},
                       {"workflow", r["workflow"]},
                       {"dataset", r["dataset"]["name"]},
                       {"resource", r["resource"]},
                       {"backend", r["backend"]},
                       {"state", r["state"]},
                       {"accuracy", r["metrics"]["mean"].value("accuracy", json(nullptr))},
                       {"train_ms", r["timings_ms"].value("train", json(nullptr))}});
  }
  return summary;
}

}  // namespace

json live_state(queue::RedisClient* redis) {
  if (!redis) return {{"redis", false}};
  queue::JobQueue jobs(*redis);
  json state = {{"redis", true},
                {"depths", jobs.depths(queue_names(*redis))},
                {"executors", json::array()},
                {"running", json::array()}};
  for (const auto& e : queue::live_executors(*redis)) state["executors"].push_back(executor_row(e));
  const auto progress = queue::latest_progress(*redis);
  for (const auto& job : jobs.running_jobs()) {
    json row = {{"id", job.id},
                {"name", job.name},
                {"executor", job.executor},
                {"attempt", job.attempt},
                {"resource", job.resource}};
    if (const auto p = progress.find(job.id); p != progress.end()) {
      row["progress"] = {{"epoch", p->second.epoch},
                         {"epochs", p->second.epochs},
                         {"fold", p->second.fold},
                         {"folds", p->second.folds},
                         {"loss", p->second.loss}};
    }
    state["running"].push_back(row);
  }
  return state;
}

json comparison(tracker::SqliteDb& db, const std::vector<std::int64_t>& ids) {
  std::vector<json> runs;
  for (auto id : ids) runs.push_back(tracker::run_record(db, id));
  Groups groups = group_runs(runs);
  const std::string parameter = varying_parameter(runs);
  return {{"datasets", groups.datasets},
          {"series", groups.series},
          {"table", summary_table(groups)},
          {"scatter_parameter", parameter},
          {"scatter", scatter_points(runs, parameter)},
          {"scaling", scaling_lines(runs)},
          {"runs", run_summaries(runs)}};
}

std::string prometheus_metrics(tracker::SqliteDb& db, queue::RedisClient* redis) {
  std::string out = "# HELP dlaaw_runs Runs in the tracker by state.\n# TYPE dlaaw_runs gauge\n";
  for (const auto& [state, count] : tracker::runs_by_state(db))
    out += "dlaaw_runs{state=\"" + state + "\"} " + std::to_string(count) + "\n";
  if (!redis) return out;
  const auto depths = queue::JobQueue(*redis).depths(queue_names(*redis));
  out +=
      "# HELP dlaaw_queue_depth Jobs waiting per resource queue.\n"
      "# TYPE dlaaw_queue_depth gauge\n";
  for (const auto& [k, v] : depths) {
    if (k.rfind("queued:", 0) == 0)
      out += "dlaaw_queue_depth{resource=\"" + k.substr(7) + "\"} " + std::to_string(v) + "\n";
  }
  out += "# HELP dlaaw_jobs_executing Jobs held by executors.\n# TYPE dlaaw_jobs_executing gauge\n";
  out += "dlaaw_jobs_executing " + std::to_string(depths.at("executing")) + "\n";
  out += "# HELP dlaaw_jobs_dead Jobs out of attempts.\n# TYPE dlaaw_jobs_dead gauge\n";
  out += "dlaaw_jobs_dead " + std::to_string(depths.at("dead")) + "\n";
  out += "# HELP dlaaw_executors Live executors.\n# TYPE dlaaw_executors gauge\n";
  out += "dlaaw_executors " + std::to_string(queue::live_executors(*redis).size()) + "\n";
  return out;
}

}  // namespace dlaaw::reports
