// run_store.h - writes runs into the tracker database: from queue events, or straight from
// `dlaaw run`.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "queue/job_events.h"
#include "results/run_result.h"
#include "tracker/sqlite_db.h"

namespace dlaaw::tracker {

// The bytes of artifact `sha256`, checked against the hash; throws when it is missing or corrupt.
using ArtifactReader = std::function<std::string(const std::string& sha256)>;

class RunStore {
 public:
  // Migrates `db` to the current schema.
  explicit RunStore(SqliteDb& db);

  // Applies one decoded dlaaw:events entry (progress, state or result). Keyed by (job, attempt,
  // seq): returns false, changing nothing, for an event applied before and for the events of a
  // job that is no run (header.run false: a pipeline task's output). The caller owns the
  // transaction. A result whose predictions travel as an artifact gets them from `read_artifact`
  // and stores them as if they had been inline; when they cannot be had (the artifact expired, or
  // its bytes do not match it) the run is still stored, without predictions, and `warning` says
  // why. Throws, before writing anything, InvalidInput for a result event whose result does not
  // decode, and ServiceUnavailable from `read_artifact`.
  bool apply_event(const queue::JobEvent& event, const ArtifactReader& read_artifact = {},
                   std::string* warning = nullptr);

  // Records a finished in-process run (`dlaaw run`); returns the run id.
  std::int64_t record_result(const std::string& job_id, int attempt,
                             const results::RunResult& result,
                             const std::optional<std::string>& experiment);

  // The id of experiment `name`, created if needed.
  std::int64_t experiment_id(const std::string& name);

 private:
  std::int64_t ensure_run(const std::string& job_id, int attempt);
  void apply_progress(std::int64_t run, const queue::ProgressEvent& e);
  void apply_state(std::int64_t run, const queue::StateEvent& e);
  void write_result(std::int64_t run_id, const results::RunResult& result);
  void write_folds(std::int64_t run_id, const results::RunResult& result);

  SqliteDb& db_;
};

}  // namespace dlaaw::tracker
