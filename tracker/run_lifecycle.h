// run_lifecycle.h - archiving, restoring and deleting runs (`dlaaw runs archive|restore|delete`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tracker/sqlite_db.h"

namespace dlaaw::tracker {

// Throws NotFound naming the first of `ids` that is no run, changing nothing.
void require_runs(SqliteDb& db, const std::vector<std::int64_t>& ids);

// Marks runs `ids` archived (hidden from lists unless asked for) now; returns how many were not
// archived before. One transaction.
int archive_runs(SqliteDb& db, const std::vector<std::int64_t>& ids);

// Brings archived runs `ids` back; returns how many were archived.
int restore_runs(SqliteDb& db, const std::vector<std::int64_t>& ids);

struct DeleteOutcome {
  int deleted = 0;
  std::vector<std::int64_t> executing;  // left alone: their executor still writes to them
  std::uintmax_t bytes_before = 0, bytes_after = 0;  // the database file
  std::string reclaimed_by;  // "incremental vacuum" or "VACUUM" (the first time on a database)
};

// Deletes runs `ids` with everything stored with them (metrics, losses, timings, the model and
// predictions, tags) in one transaction, except those still executing, then gives the freed
// pages back to the file system: PRAGMA incremental_vacuum on a database in incremental
// auto-vacuum mode, else one VACUUM that also switches it to that mode. Throws
// ServiceUnavailable on a SQLite error (the transaction rolls back).
DeleteOutcome delete_runs(SqliteDb& db, const std::vector<std::int64_t>& ids);

}  // namespace dlaaw::tracker
