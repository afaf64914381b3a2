// report_data.h - what the report pages show, gathered from SQLite (and Redis when given).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tracker/run_queries.h"
#include "tracker/sqlite_db.h"

namespace dlaaw::queue {
class RedisClient;
}

namespace dlaaw::reports {

// Live state from Redis: queue depths, executors and executing jobs with their latest progress.
// Without Redis: {"redis": false}.
nlohmann::json live_state(queue::RedisClient* redis);

// The comparison behind the Figure 2 page: runs grouped by dataset and by series
// (resource/backend) with mean and std of accuracy and training time, and the parameter that
// varies most for the scatter view. `runs` are run ids; throws InvalidInput for unknown ones.
nlohmann::json comparison(tracker::SqliteDb& db, const std::vector<std::int64_t>& runs);

// Ids of the runs of experiment `name_or_id`; throws InvalidInput "experiment X: no such
// experiment".
std::pair<nlohmann::json, std::vector<std::int64_t>> experiment_runs(tracker::SqliteDb& db,
                                                                     const std::string& name_or_id);

// Prometheus text exposition: queue depths, executors, runs by state.
std::string prometheus_metrics(tracker::SqliteDb& db, queue::RedisClient* redis);

}  // namespace dlaaw::reports
