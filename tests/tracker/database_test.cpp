// database_test.cpp - the one read-only open of the tracker database, and its two refusals.
#include "tracker/database.h"

#include <gtest/gtest.h>

#include "../common/temp_dir.h"
#include "common/errors.h"
#include "tracker/schema.h"

namespace dlaaw::tracker {
namespace {

std::string error_of(const std::string& path) {
  try {
    open_for_reading(path);
  } catch (const ServiceUnavailable& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(DatabaseTest, OpensACurrentDatabaseAndRefusesAMissingOrOldOne) {
  testing::TempDir dir;
  const std::string missing = (dir.path() / "none.db").string();
  EXPECT_EQ(error_of(missing), "database " + missing +
                                   " does not exist yet (runs are recorded by dlaaw run and dlaaw "
                                   "tracker; --db or DLAAW_DB names another)");
  EXPECT_FALSE(std::filesystem::exists(missing)) << "reading creates nothing";
  const std::string old = (dir.path() / "old.db").string();
  {
    SqliteDb db(old);
    migrate_to(db, 1);
  }
  EXPECT_EQ(error_of(old), "database " + old + " has schema version 1, this dlaaw reads " +
                               std::to_string(kSchemaVersion) +
                               ": open it once with dlaaw tracker or dlaaw run to migrate it");
  {
    SqliteDb db(old);
    migrate(db);
  }
  EXPECT_EQ(error_of(old), "(no error)");
}

}  // namespace
}  // namespace dlaaw::tracker
