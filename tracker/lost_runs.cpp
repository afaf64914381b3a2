// lost_runs.cpp - the tracker's reaper: executing runs whose job Redis has forgotten.
#include "tracker/lost_runs.h"

#include <chrono>
#include <string>
#include <vector>

#include "queue/job_keys.h"
#include "queue/job_state.h"

namespace dlaaw::tracker {

std::size_t mark_lost_runs(queue::RedisClient& redis, SqliteDb& db) {
  const std::string executing(queue::job_state_name(queue::JobState::Executing));
  std::vector<std::int64_t> runs;
  std::vector<std::vector<std::string>> exists;
  {
    auto st = db.prepare("SELECT id, job_id FROM runs WHERE state = ?");
    st.bind(1, executing);
    while (st.step()) {
      runs.push_back(st.integer(0));
      exists.push_back({"EXISTS", queue::keys::job(st.text(1))});
    }
  }
  if (runs.empty()) return 0;
  const auto replies = redis.pipeline(exists);
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::size_t marked = 0;
  Transaction t(db);
  auto update = db.prepare(
      "UPDATE runs SET state = ?, finished_at = ?, error = ? WHERE id = ? AND state = ?");
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (replies[i].is_error() || replies[i].integer != 0) continue;
    update.bind(1, std::string(queue::job_state_name(queue::JobState::Lost)))
        .bind(2, static_cast<std::int64_t>(now))
        .bind(3, "its job is no longer in redis (restarted without persistence?)")
        .bind(4, runs[i])
        .bind(5, executing)
        .run();
    marked += static_cast<std::size_t>(db.changes());
  }
  t.commit();
  return marked;
}

}  // namespace dlaaw::tracker
