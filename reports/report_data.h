// report_data.h - what the report pages show, gathered from SQLite (and Redis when given).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/chart_axis.h"
#include "tracker/run_queries.h"
#include "tracker/sqlite_db.h"

namespace dlaaw::queue {
class RedisClient;
}

namespace dlaaw::reports {

// Live state from Redis: queue depths (every queue of the registry Redis and $DLAAW_RESOURCES
// describe), executors (with their decoded device) and executing jobs with their latest progress.
// Without Redis: {"redis": false}.
nlohmann::json live_state(queue::RedisClient* redis);

// The dashboard's pipelines: the 20 most recently submitted, newest first, each {name, state,
// submitted_at, finished_at (ms since the epoch, or null), tasks: {state: count}, url}. Throws
// ServiceUnavailable when the database cannot be read.
nlohmann::json recent_pipelines(tracker::SqliteDb& db);

// A per-run quantity the compare page can put on a scatter or parallel-coordinates axis.
struct RunQuantity {
  std::string name;   // key in comparison()'s points[].values and the page's x=/y= parameters
  std::string title;  // axis title
  Unit unit;
};

// Every quantity of comparison()'s points, in the order the page offers them: train_ms,
// energy_j, accuracy, auc, f1, precision, recall, learning_rate, momentum, epochs, batches, seed,
// rows.
const std::vector<RunQuantity>& run_quantities();

// The quantity named `name`; nullopt for none.
std::optional<RunQuantity> find_run_quantity(const std::string& name);

// How many runs' loss curves a comparison overlays (the first this many, in the given order).
inline constexpr std::size_t kMaxLossCurves = 24;

// The comparison behind the Figure 2 page: finished runs grouped by dataset and by series
// (resource/backend) with mean and std of accuracy, training time and, where measured, energy
// ("table"; "energy" says whether any run has it); per run its summary ("runs": experiment,
// tags, ...) and every run_quantities() value ("points"); the mean loss curve of the first
// kMaxLossCurves runs ("losses"); training time against rows ("scaling"). `runs` are run ids;
// throws NotFound for unknown ones.
nlohmann::json comparison(tracker::SqliteDb& db, const std::vector<std::int64_t>& runs);

// Sweep `name` as an object: its runs in the tracker (the experiment of that name) by state, the
// best finished run so far (by test accuracy) and, with Redis, its members by job state
// (queued ones have no run yet). {"name", "runs_by_state", "runs", "best": {id, accuracy,
// dataset} or null, "members": {"total", "ended", "by_state"} or null}. Throws NotFound when
// neither the tracker nor Redis knows it.
nlohmann::json sweep_overview(tracker::SqliteDb& db, queue::RedisClient* redis,
                              const std::string& name);

// Prometheus text exposition: queue depths, executors, runs by state, sweep members by state.
std::string prometheus_metrics(tracker::SqliteDb& db, queue::RedisClient* redis);

}  // namespace dlaaw::reports
