// database.cpp - the read-only open with its schema check, and the open for edits.
#include "tracker/database.h"

#include <filesystem>

#include "common/errors.h"
#include "tracker/schema.h"

namespace dlaaw::tracker {

namespace {

void require_file(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    throw ServiceUnavailable("database " + path +
                             " does not exist yet (runs are recorded by dlaaw run and dlaaw "
                             "tracker; --db or DLAAW_DB names another)");
  }
}

}  // namespace

std::unique_ptr<SqliteDb> open_for_reading(const std::string& path) {
  require_file(path);
  auto db = std::make_unique<SqliteDb>(path, SqliteDb::Mode::ReadOnly);
  if (const int version = schema_version(*db); version != kSchemaVersion) {
    throw ServiceUnavailable("database " + path + " has schema version " + std::to_string(version) +
                             ", this dlaaw reads " + std::to_string(kSchemaVersion) +
                             ": open it once with dlaaw tracker or dlaaw run to migrate it");
  }
  return db;
}

std::unique_ptr<SqliteDb> open_for_editing(const std::string& path) {
  require_file(path);
  auto db = std::make_unique<SqliteDb>(path);
  migrate(*db);
  return db;
}

}  // namespace dlaaw::tracker
