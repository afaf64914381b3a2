// report_data.h - what the report pages show, gathered from SQLite (and Redis when given).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

// The comparison behind the Figure 2 page: runs grouped by dataset and by series
// (resource/backend) with mean and std of accuracy and training time, and the parameter that
// varies most for the scatter view. `runs` are run ids; throws NotFound for unknown ones.
nlohmann::json comparison(tracker::SqliteDb& db, const std::vector<std::int64_t>& runs);

// Prometheus text exposition: queue depths, executors, runs by state.
std::string prometheus_metrics(tracker::SqliteDb& db, queue::RedisClient* redis);

}  // namespace dlaaw::reports
