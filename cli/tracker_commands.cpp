// tracker_commands.cpp - reading and feeding the experiment tracker.
#include "cli/tracker_commands.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "cli/annotation_commands.h"
#include "cli/exit_codes.h"
#include "cli/redis_option.h"
#include "cli/stop_signal.h"
#include "common/errors.h"
#include "datasets/csv_reader.h"
#include "executor/model_predictor.h"
#include "tracker/database.h"
#include "tracker/db_path.h"
#include "tracker/pipeline_provenance.h"
#include "tracker/run_annotations.h"
#include "tracker/run_export.h"
#include "tracker/run_queries.h"
#ifdef DLAAW_HAVE_QUEUE
#include "queue/redis_endpoint.h"
#include "tracker/event_ingest.h"
#endif

namespace dlaaw::cli {
namespace {

using nlohmann::json;

std::unique_ptr<tracker::SqliteDb> open_for_reading(const std::string& flag) {
  return tracker::open_for_reading(tracker::resolve_db_path(flag));
}

std::string cell(const json& v, int digits = 3) {
  if (v.is_null()) return "-";
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v.get<double>());
    return buf;
  }
  return v.is_string() ? v.get<std::string>() : v.dump();
}

void print_runs(const json& rows, const std::string& format) {
  if (format == "json") {
    std::printf("%s\n", rows.dump(2).c_str());
    return;
  }
  if (format == "csv") {
    std::fputs(tracker::runs_csv(rows).c_str(), stdout);
    return;
  }
  std::printf("%6s %-14s %-22s %-15s %-9s %-7s %-10s %7s %7s %10s\n", "id", "experiment",
              "workflow", "dataset", "resource", "backend", "state", "acc", "auc", "train ms");
  for (const auto& r : rows) {
    std::printf("%6lld %-14s %-22s %-15s %-9s %-7s %-10s %7s %7s %10s\n", r["id"].get<long long>(),
                cell(r["experiment"]).c_str(), cell(r["workflow"]).c_str(),
                cell(r["dataset"]).c_str(), cell(r["resource"]).c_str(), cell(r["backend"]).c_str(),
                cell(r["state"]).c_str(), cell(r["accuracy"]).c_str(), cell(r["auc"]).c_str(),
                cell(r["train_ms"], 1).c_str());
  }
}

struct TrackerArgs {
  std::string db;
  std::string redis;
  std::string consumer = "tracker";
  tracker::RunFilter filter;
  std::string experiment, dataset, state, resource, archived;
  std::vector<std::string> tags;
  CLI::App* command = nullptr;  // `runs`, whose own subcommands (archive, ...) replace the list
  std::string format = "table";
  std::vector<std::int64_t> ids;
  std::int64_t id = 0;
  bool has_id = false;   // provenance: a run id was given
  std::string pipeline;  // provenance --pipeline
  std::string csv;
  std::string out;
  int fold = 0;
  int batch = 1000;
};

int runs(TrackerArgs& a) {
  auto db_owner = open_for_reading(a.db);
  auto& db = *db_owner;
  if (!a.experiment.empty()) a.filter.experiment = a.experiment;
  if (!a.dataset.empty()) a.filter.dataset = a.dataset;
  if (!a.state.empty()) a.filter.state = a.state;
  if (!a.resource.empty()) a.filter.resource = a.resource;
  for (const auto& t : a.tags) a.filter.tags.push_back(tracker::parse_tag_filter(t, "--tag"));
  if (a.archived == "only") a.filter.archived = tracker::ArchivedRuns::Only;
  if (a.archived == "include") a.filter.archived = tracker::ArchivedRuns::Included;
  print_runs(tracker::list_runs(db, a.filter), a.format);
  return kSuccess;
}

int compare(TrackerArgs& a) {
  auto db_owner = open_for_reading(a.db);
  auto& db = *db_owner;
  const json c = tracker::compare_runs(db, a.ids);
  if (a.format == "json") {
    std::printf("%s\n", c.dump(2).c_str());
    return kSuccess;
  }
  std::printf("%-28s", "");
  for (const auto& r : c["runs"])
    std::printf(" %18s", ("run " + std::to_string(r["id"].get<long long>())).c_str());
  std::printf("\n-- parameters that differ\n");
  for (const auto& [k, values] : c["parameters_that_differ"].items()) {
    std::printf("%-28s", k.c_str());
    for (const auto& v : values) std::printf(" %18s", cell(v).substr(0, 18).c_str());
    std::printf("\n");
  }
  std::printf("-- metrics (mean over folds)\n");
  for (const char* m : {"accuracy", "precision", "recall", "f1", "auc"}) {
    std::printf("%-28s", m);
    for (const auto& r : c["runs"])
      std::printf(" %18s", cell(r["metrics"].value(m, json(nullptr)), 4).c_str());
    std::printf("\n");
  }
  std::printf("-- timings (ms)\n");
  for (const char* t :
       {"queue_wait", "blob_fetch", "load", "preprocess", "train", "evaluate", "total"}) {
    std::printf("%-28s", t);
    for (const auto& r : c["runs"])
      std::printf(" %18s", cell(r["timings_ms"].value(t, json(nullptr)), 1).c_str());
    std::printf("\n");
  }
  return kSuccess;
}

// A run's provenance, or with --pipeline a whole pipeline's.
int show_provenance(TrackerArgs& a) {
  if (a.has_id == !a.pipeline.empty())
    throw InvalidInput("provenance: give a run id or --pipeline NAME (one of them)");
  auto db_owner = open_for_reading(a.db);
  auto& db = *db_owner;
  const auto prov =
      a.has_id ? tracker::provenance(db, a.id) : tracker::pipeline_provenance(db, a.pipeline);
  std::printf("%s\n", prov.dump(2).c_str());
  return kSuccess;
}

int predict(TrackerArgs& a) {
  auto db_owner = open_for_reading(a.db);
  auto& db = *db_owner;
  const auto models = tracker::trained_models(db, a.id);
  if (a.fold < 0 || a.fold >= static_cast<int>(models.size())) {
    throw InvalidInput("--fold: run " + std::to_string(a.id) + " has folds 0.." +
                       std::to_string(models.size() - 1));
  }
  const auto table = datasets::parse_csv(datasets::read_file(a.csv),
                                         std::filesystem::path(a.csv).filename().string());
  const auto scores = executor::predict_with_model(models[a.fold], table);
  std::string text = "line,score\n";
  char buf[64];
  for (std::size_t r = 0; r < scores.size(); ++r) {
    std::snprintf(buf, sizeof buf, "%zu,%.9g\n", table.lines[r], scores[r]);
    text += buf;
  }
  if (a.out.empty()) {
    std::fputs(text.c_str(), stdout);
  } else {
    std::ofstream(a.out, std::ios::binary) << text;
  }
  return kSuccess;
}

#ifdef DLAAW_HAVE_QUEUE
int run_ingest(TrackerArgs& a) {
  const StopSignal stop;
  return tracker::run_tracker(queue::resolve_redis_url(a.redis), tracker::resolve_db_path(a.db),
                              a.consumer, a.batch, stop.stopped());
}
#endif

}  // namespace

void add_tracker_commands(CLI::App& app, int& exit_code) {
  const auto add = [&](const char* name, const char* help, auto setup, auto run) {
    auto a = std::make_shared<TrackerArgs>();
    CLI::App* cmd = app.add_subcommand(name, help);
    cmd->add_option("--db", a->db, "Tracker database (default: $DLAAW_DB, else ./dlaaw.db)");
    setup(cmd, *a);
    a->command = cmd;
    cmd->callback([a, &exit_code, run] {
      if (a->command->get_subcommands().empty()) exit_code = run_guarded([&] { return run(*a); });
    });
    return cmd;
  };
  CLI::App* runs_cmd = add(
      "runs", "List recorded runs (archive, restore, delete: see their --help)",
      [](CLI::App* c, TrackerArgs& a) {
        c->add_option("--experiment", a.experiment, "Only this experiment");
        c->add_option("--dataset", a.dataset, "Only this dataset");
        c->add_option("--state", a.state,
                      "Only this state (finished, error, cancelled, lost, executing)");
        c->add_option("--format", a.format, "table, csv or json")
            ->check(CLI::IsMember({"table", "csv", "json"}));
        c->add_option("--resource", a.resource, "Only this resource");
        c->add_option("--tag", a.tags, "Only runs with this tag (key or key=value; repeatable)");
        c->add_option("--archived", a.archived, "hide (default), only or include archived runs")
            ->check(CLI::IsMember({"hide", "only", "include"}));
        c->add_option("--limit", a.filter.limit, "At most this many (default 100)");
      },
      runs);
  add_run_lifecycle_commands(*runs_cmd, exit_code);
  add_annotation_commands(app, exit_code);
  add(
      "compare", "Runs side by side: differing parameters, metrics, timings",
      [](CLI::App* c, TrackerArgs& a) {
        c->add_option("runs", a.ids, "Run ids")->required()->expected(2, 1000);
        c->add_option("--format", a.format, "table or json")
            ->check(CLI::IsMember({"table", "json"}));
      },
      compare);
  add(
      "provenance", "W3C PROV-JSON of a run, or of a whole pipeline",
      [](CLI::App* c, TrackerArgs& a) {
        c->add_option("run", a.id, "Run id")->each([&a](const std::string&) { a.has_id = true; });
        c->add_option("--pipeline", a.pipeline,
                      "A pipeline instead: its tasks, artifacts and used/wasGeneratedBy edges");
      },
      show_provenance);
  add(
      "predict", "Score new rows with a run's trained model",
      [](CLI::App* c, TrackerArgs& a) {
        c->add_option("run", a.id, "Run id")->required();
        c->add_option("csv", a.csv,
                      "Rows to score (the training file's columns; the label may be absent)")
            ->required();
        c->add_option("--fold", a.fold, "Which fold's model (k-fold runs; default 0)");
        c->add_option("--out", a.out, "Write the scores here instead of stdout");
      },
      predict);
#ifdef DLAAW_HAVE_QUEUE
  add(
      "tracker", "Consume dlaaw:events into the database until SIGTERM",
      [](CLI::App* c, TrackerArgs& a) {
        add_redis_option(c, a.redis);
        c->add_option("--consumer", a.consumer,
                      "Consumer name in the dlaaw-tracker group (default tracker)");
        c->add_option("--batch", a.batch, "Events per transaction (default 1000)");
      },
      run_ingest);
#endif
}

}  // namespace dlaaw::cli
