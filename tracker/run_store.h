// run_store.h - writes runs into the tracker database: from queue events, or straight from
// `dlaaw run`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tracker/sqlite_db.h"

namespace dlaaw::tracker {

using EventFields = std::map<std::string, std::string>;

class RunStore {
 public:
  // Migrates `db` to the current schema.
  explicit RunStore(SqliteDb& db);

  // Applies one dlaaw:events entry (progress, state or result). Keyed by (job, attempt, seq):
  // returns false, changing nothing, for an event applied before. The caller owns the
  // transaction. Throws InvalidInput for an event without job or attempt.
  bool apply_event(const EventFields& event);

  // Records a finished in-process run (`dlaaw run`) from its result JSON; returns the run id.
  std::int64_t record_result(const std::string& job_id, int attempt, const nlohmann::json& result,
                             const std::optional<std::string>& experiment);

  // The id of experiment `name`, created if needed.
  std::int64_t experiment_id(const std::string& name);

 private:
  std::int64_t ensure_run(const std::string& job_id, int attempt);
  void write_result(std::int64_t run_id, const nlohmann::json& result);

  SqliteDb& db_;
};

}  // namespace dlaaw::tracker
