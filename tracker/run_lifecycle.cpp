// run_lifecycle.cpp - archive flags, cascading deletes and reclaiming their space.
#include "tracker/run_lifecycle.h"

#include <chrono>
#include <filesystem>

#include "common/errors.h"
#include "queue/job_state.h"

namespace dlaaw::tracker {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The tables that hold a run's data, keyed by run_id; deleted before the run row (the foreign
// keys have no cascade).
constexpr const char* kRunTables[] = {"metrics", "losses", "timings", "artifacts", "run_tags"};

std::int64_t pragma(SqliteDb& db, const std::string& name) {
  auto st = db.prepare("PRAGMA " + name);
  return st.step() ? st.integer(0) : 0;
}

std::uintmax_t file_size(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

// Folds the WAL into the database file, so that its size says what the data takes.
void checkpoint(SqliteDb& db) { db.execute("PRAGMA wal_checkpoint(TRUNCATE)"); }

}  // namespace

void require_runs(SqliteDb& db, const std::vector<std::int64_t>& ids) {
  auto st = db.prepare("SELECT 1 FROM runs WHERE id = ?");
  for (const auto id : ids) {
    st.bind(1, id);
    const bool found = st.step();
    st.reset();
    if (!found) throw NotFound("run " + std::to_string(id) + ": no such run");
  }
}

int archive_runs(SqliteDb& db, const std::vector<std::int64_t>& ids) {
  Transaction t(db);
  auto st = db.prepare("UPDATE runs SET archived_at = ? WHERE id = ? AND archived_at IS NULL");
  const std::int64_t now = now_ms();
  int changed = 0;
  for (const auto id : ids) {
    st.bind(1, now).bind(2, id).run();
    changed += db.changes();
  }
  t.commit();
  return changed;
}

int restore_runs(SqliteDb& db, const std::vector<std::int64_t>& ids) {
  Transaction t(db);
  auto st =
      db.prepare("UPDATE runs SET archived_at = NULL WHERE id = ? AND archived_at IS NOT NULL");
  int changed = 0;
  for (const auto id : ids) {
    st.bind(1, id).run();
    changed += db.changes();
  }
  t.commit();
  return changed;
}

DeleteOutcome delete_runs(SqliteDb& db, const std::vector<std::int64_t>& ids) {
  DeleteOutcome out;
  checkpoint(db);
  out.bytes_before = file_size(db.path());
  {
    Transaction t(db);
    auto state = db.prepare("SELECT state FROM runs WHERE id = ?");
    std::vector<Statement> children;
    for (const char* table : kRunTables)
      children.push_back(db.prepare(std::string("DELETE FROM ") + table + " WHERE run_id = ?"));
    auto run = db.prepare("DELETE FROM runs WHERE id = ?");
    for (const auto id : ids) {
      state.bind(1, id);
      const bool found = state.step();
      const bool executing =
          found && state.text(0) == queue::job_state_name(queue::JobState::Executing);
      state.reset();
      if (!found) continue;
      if (executing) {
        out.executing.push_back(id);
        continue;
      }
      for (auto& child : children) child.bind(1, id).run();
      run.bind(1, id).run();
      ++out.deleted;
    }
    t.commit();
  }
  if (pragma(db, "auto_vacuum") == 2) {  // INCREMENTAL
    db.execute("PRAGMA incremental_vacuum");
    out.reclaimed_by = "incremental vacuum";
  } else {
    // The mode can only change by rebuilding the file; from then on deletes are incremental.
    db.execute("PRAGMA auto_vacuum = INCREMENTAL");
    db.execute("VACUUM");
    out.reclaimed_by = "VACUUM";
  }
  checkpoint(db);
  out.bytes_after = file_size(db.path());
  return out;
}

}  // namespace dlaaw::tracker
