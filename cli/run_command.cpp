// run_command.cpp - `dlaaw run WORKFLOW.json... [--out FILE] [--backend B] [--data-dir D]`.
#include "cli/run_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/duration.h"
#include "cli/exit_codes.h"
#include "cli/progress_bar.h"
#include "common/errors.h"
#include "datasets/data_dir.h"
#include "executor/engine.h"
#include "nnworkflow/workflow_json.h"
#include "resources/resource_file.h"
#include "results/run_result.h"
#ifdef DLAAW_HAVE_TRACKER
#include <unistd.h>

#include <chrono>

#include "tracker/db_path.h"
#include "tracker/run_store.h"
#endif

namespace dlaaw::cli {
namespace {

struct RunOptions {
  std::vector<std::string> workflows;
  std::string out;
  std::string backend = "cpu";
  std::string data_dir;
  int threads = 0;
  std::string watchdog;
  std::string db;
  std::string experiment;
  std::string resources;
  bool no_track = false;
};

#ifdef DLAAW_HAVE_TRACKER
// Records finished runs in the tracker database; opened on the first result, so that a run that
// fails on bad input creates and changes nothing.
class LocalTracker {
 public:
  explicit LocalTracker(const RunOptions& o) : options_(o) {}
  std::int64_t record(const results::RunResult& result) {
    if (!store_) {
      db_ = std::make_unique<tracker::SqliteDb>(tracker::resolve_db_path(options_.db));
      store_ = std::make_unique<tracker::RunStore>(*db_);
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    const std::string job = "local-" + std::to_string(ms) + "-" + std::to_string(getpid()) + "-" +
                            std::to_string(++count_);
    return store_->record_result(
        job, 1, result,
        options_.experiment.empty() ? std::nullopt : std::optional(options_.experiment));
  }
  std::string path() const { return tracker::resolve_db_path(options_.db); }

 private:
  const RunOptions& options_;
  std::unique_ptr<tracker::SqliteDb> db_;
  std::unique_ptr<tracker::RunStore> store_;
  int count_ = 0;
};
#endif

std::string fixed(const std::optional<double>& v, int digits = 3) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, *v);
  return buf;
}

// Writes `text` to `path` through a temporary file and a rename, so a failed write leaves nothing.
void write_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InvalidInput("--out: cannot write " + path);
    out << text;
    if (!out.flush()) throw InvalidInput("--out: cannot write " + path);
  }
  std::filesystem::rename(tmp, path);
}

void print_summary(const results::RunResult& r) {
  const auto& m = r.metrics;
  const auto& t = r.timings;
  const bool kfold = r.folds.size() > 1;
  std::cout << r.workflow.name << " on " << r.dataset.name << " (" << r.backend << ", "
            << r.device.name << ")\n";
  const auto with_std = [&](std::optional<double> results::MetricSummary::*metric) {
    std::string text = fixed(m.*metric);
    if (kfold && r.metrics_std) text += " ± " + fixed((*r.metrics_std).*metric);
    return text;
  };
  using S = results::MetricSummary;
  std::cout << "  "
            << (kfold ? "mean ± std over " + std::to_string(r.folds.size()) + " folds: " : "")
            << "accuracy " << with_std(&S::accuracy) << "  precision " << with_std(&S::precision)
            << "  recall " << with_std(&S::recall) << "  f1 " << with_std(&S::f1) << "  auc "
            << with_std(&S::auc) << "\n";
  const auto& f0 = r.folds.front();
  std::cout << "  rows " << r.dataset.rows_read << " read, " << r.dataset.rows_dropped
            << " dropped; train " << f0.train_rows << " / test " << f0.test_rows << "; "
            << f0.epochs_run << " epochs x " << f0.batches << " batches\n";
  std::cout << "  time ms: load " << fixed(t.load, 1) << ", preprocess " << fixed(t.preprocess, 1)
            << ", train " << fixed(t.train, 1) << ", evaluate " << fixed(t.evaluate, 1)
            << ", total " << fixed(t.total, 1) << "\n";
}

void print_table(const std::vector<results::RunResult>& results) {
  std::printf("%-24s %-16s %7s %6s %6s %6s %6s %6s %10s\n", "workflow", "dataset", "rows", "acc",
              "prec", "recall", "f1", "auc", "train ms");
  for (const auto& r : results) {
    const auto& m = r.metrics;
    std::printf("%-24s %-16s %7zu %6s %6s %6s %6s %6s %10s\n", r.workflow.name.c_str(),
                r.dataset.name.c_str(), r.dataset.rows, fixed(m.accuracy).c_str(),
                fixed(m.precision).c_str(), fixed(m.recall).c_str(), fixed(m.f1).c_str(),
                fixed(m.auc).c_str(), fixed(r.timings.train, 1).c_str());
  }
}

int run(const RunOptions& o) {
  if (!o.out.empty() && o.workflows.size() != 1) {
    throw InvalidInput("--out: takes exactly one workflow, got " +
                       std::to_string(o.workflows.size()));
  }
  // Every document is checked before any training starts.
  const auto registry = resources::load_registry(o.resources);
  std::vector<nnworkflow::ValidWorkflow> workflows;
  for (const auto& path : o.workflows) {
    workflows.push_back(nnworkflow::load_workflow_file(path));
    try {
      if (workflows.back()->resource)
        registry.require_queue(*workflows.back()->resource, "resource");
    } catch (const InvalidInput& e) {
      throw InvalidInput(path + ": " + e.what());
    }
  }
  executor::EngineOptions engine;
  engine.data_dir =
      datasets::resolve_data_dir(o.data_dir.empty() ? std::nullopt : std::optional(o.data_dir));
  engine.backend = o.backend;
  engine.threads = o.threads;
  if (!o.watchdog.empty()) engine.watchdog_seconds = parse_seconds("--watchdog", o.watchdog);

  std::vector<results::RunResult> results;
  std::vector<std::int64_t> run_ids;
#ifdef DLAAW_HAVE_TRACKER
  LocalTracker tracked(o);
#endif
  for (const auto& workflow : workflows) {
    ProgressBar bar(workflow->name);
    engine.on_progress = [&bar](const executor::Progress& p) {
      bar.update(p.fold, p.folds, p.epoch, p.epochs, p.loss);
      return true;
    };
    results.push_back(executor::run_workflow(workflow, engine));
    bar.finish();
#ifdef DLAAW_HAVE_TRACKER
    if (!o.no_track) run_ids.push_back(tracked.record(results.back()));
#endif
    if (workflows.size() == 1) print_summary(results.back());
  }
  if (workflows.size() > 1) print_table(results);
#ifdef DLAAW_HAVE_TRACKER
  if (!o.no_track) {
    std::cout << "recorded as run " << run_ids.front()
              << (run_ids.size() > 1 ? ".." + std::to_string(run_ids.back()) : "") << " in "
              << tracked.path() << "\n";
  }
#endif
  if (!o.out.empty())
    write_atomically(o.out, results::run_result_to_json(results.front()).dump(1) + "\n");
  return kSuccess;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Train workflow documents in this process (no queue)");
  cmd->add_option("workflows", options->workflows, "Workflow documents (dlaaw/workflow@1)")
      ->required();
  cmd->add_option("--out", options->out, "Write the result JSON here (one workflow only)");
  cmd->add_option("--backend", options->backend, "cpu, cuda or auto")
      ->check(CLI::IsMember({"cpu", "cuda", "auto"}));
  cmd->add_option("--data-dir", options->data_dir,
                  "Folder of dataset files (default: $DLAAW_DATA_DIR, else ./data)");
  cmd->add_option("--db", options->db, "Tracker database (default: $DLAAW_DB, else ./dlaaw.db)");
  cmd->add_option("--experiment", options->experiment, "Group the runs under this experiment");
  cmd->add_flag("--no-track", options->no_track, "Do not record the runs in the tracker");
  cmd->add_option("--resources", options->resources,
                  "Resources file (default: $DLAAW_RESOURCES): the resources documents may name");
  cmd->add_option("--threads", options->threads, "CPU threads (default: all)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--watchdog", options->watchdog,
                  "Fail a GPU run when no epoch finishes for this long (default 60s)");
  cmd->callback([options, &exit_code] { exit_code = run_guarded([&] { return run(*options); }); });
}

}  // namespace dlaaw::cli
