// lost_runs.h - runs the database still shows executing although Redis no longer has their job.
#pragma once

#include <cstddef>

#include "queue/redis_client.h"
#include "tracker/sqlite_db.h"

namespace dlaaw::tracker {

// Marks `lost` every run left `executing` whose job hash (dlaaw:job:<id>) is gone from Redis, as
// after a restart of a Redis without persistence: no event will ever end it. Returns how many it
// marked. Throws ServiceUnavailable when Redis or the database is away.
std::size_t mark_lost_runs(queue::RedisClient& redis, SqliteDb& db);

}  // namespace dlaaw::tracker
