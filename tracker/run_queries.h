// run_queries.h - what users ask the tracker: lists, one run, comparisons, provenance, models.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/run_result.h"
#include "tracker/sqlite_db.h"

namespace dlaaw::tracker {

// Which runs a list shows with respect to archiving: archived runs are hidden unless asked for.
enum class ArchivedRuns { Hidden, Only, Included };

// A tag a run must carry: `key` with any value, or `key=value` (see run_annotations.h).
struct TagFilter {
  std::string key;
  std::optional<std::string> value;
};

struct RunFilter {
  std::optional<std::string> experiment;
  std::optional<std::string> dataset;
  std::optional<std::string> state;
  std::optional<std::string> resource;
  std::vector<TagFilter> tags;  // every one must match
  ArchivedRuns archived = ArchivedRuns::Hidden;
  std::string sort = "id";  // id, accuracy, train_ms, dataset, state, started_at, resource
  bool descending = true;
  int limit = 100;
  int offset = 0;
};

// Matching runs, one JSON object each (id, job_id, attempt, experiment, workflow, dataset,
// resource, backend, state, accuracy, auc, train_ms, energy_j, started_at, finished_at, error,
// tags {key: value}, note (null for none), archived). Throws InvalidInput for an unknown sort
// key.
nlohmann::json list_runs(SqliteDb& db, const RunFilter& filter);
// How many runs match (for pagination).
std::int64_t count_runs(SqliteDb& db, const RunFilter& filter);

// Every id matching `filter` (its sort, limit and offset ignored), in id order: what archive,
// restore and delete act on.
std::vector<std::int64_t> matching_run_ids(SqliteDb& db, const RunFilter& filter);

// Run `id` without its loss curves: its fields, document, device, metrics (per fold, mean,
// std), timings, energy ({joules, source, power_mode} or null), tags, note and archived_at, for
// comparisons and provenance. Throws NotFound "run N: no such run".
nlohmann::json run_record(SqliteDb& db, std::int64_t id);

// run_record plus "losses": per fold, [epoch, loss] pairs (what a run's page draws).
nlohmann::json run_details(SqliteDb& db, std::int64_t id);

// Run `id`'s training loss per epoch, averaged over its folds: [epoch, loss] pairs in epoch
// order (empty when none was recorded).
nlohmann::json mean_loss_curve(SqliteDb& db, std::int64_t id);

// Runs side by side: the parameters that differ between them, metrics and timings.
nlohmann::json compare_runs(SqliteDb& db, const std::vector<std::int64_t>& ids);

// W3C PROV-JSON of run `id`: dataset, document and model as entities, the run as an activity,
// the executor and the device as agents.
nlohmann::json provenance(SqliteDb& db, std::int64_t id);

// The stored artifact `name` ("model" or "predictions") of run `id`. Throws NotFound when there
// is none (the run did not finish).
nlohmann::json artifact(SqliteDb& db, std::int64_t id, const std::string& name);

// The trained models of run `id`, one per fold, checked as results::trained_model_from_json
// reads them. Throws NotFound as artifact() does, InvalidInput for a model that does not decode.
std::vector<results::TrainedModel> trained_models(SqliteDb& db, std::int64_t id);

// Experiments with their run counts (runs: not archived; archived), tags and note; with `tags`,
// only those carrying every one.
nlohmann::json list_experiments(SqliteDb& db, const std::vector<TagFilter>& tags = {});

// Experiment `name_or_id` ({"id", "name", "created_at", "note", "tags"}) and the ids of its runs
// in order (archived ones only when `archived` says so). Throws NotFound "experiment X: no such
// experiment".
std::pair<nlohmann::json, std::vector<std::int64_t>> experiment_runs(
    SqliteDb& db, const std::string& name_or_id, ArchivedRuns archived = ArchivedRuns::Hidden);

// How many runs there are in each state.
std::map<std::string, std::int64_t> runs_by_state(SqliteDb& db);

}  // namespace dlaaw::tracker
