// database_test.cpp - opening the tracker database: the read-only open and its refusals, and the
// files that are bad input.
#include "tracker/database.h"

#include <fstream>

#include <gtest/gtest.h>

#include "../common/temp_dir.h"
#include "common/errors.h"
#include "tracker/run_store.h"
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

TEST(DatabaseTest, AFileThatIsNotADatabaseIsBadInputNamingIt) {
  testing::TempDir dir;
  const auto path = dir.write("notes.db", std::string(8192, 'x')).string();
  for (const auto mode : {SqliteDb::Mode::ReadWrite, SqliteDb::Mode::ReadOnly}) {
    try {
      SqliteDb db(path, mode);
      migrate(db);
      FAIL() << "opened a file that is not a database";
    } catch (const InvalidInput& e) {  // used to be ServiceUnavailable: "unreachable", exit 3
      EXPECT_NE(std::string(e.what()).find("database " + path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("file is not a database"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_THROW(open_for_reading(path), InvalidInput);
}

TEST(DatabaseTest, AFileThatCannotBeCreatedIsBadInputNamingIt) {
  testing::TempDir dir;
  // A missing folder, and a folder where the file should be: both used to be exit 3
  // ("unreachable").
  for (const auto& path : {dir.path() / "no-such-folder" / "t.db", dir.path()}) {
    try {
      SqliteDb db(path.string());
      FAIL() << "opened " << path;
    } catch (const InvalidInput& e) {
      EXPECT_NE(std::string(e.what()).find("database " + path.string() + ": cannot create"),
                std::string::npos)
          << e.what();
    }
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "no-such-folder"));
}

TEST(DatabaseTest, QuickCheckRefusesADamagedFile) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "t.db").string();
  {
    SqliteDb db(path);
    RunStore store(db);
    for (int i = 0; i < 300; ++i)
      db.execute("INSERT INTO runs (job_id, attempt, state, document) VALUES ('j" +
                 std::to_string(i) + "', 1, 'finished', '" + std::string(200, 'd') + "')");
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    db.check_integrity();  // healthy
  }
  {
    // Scribble over the middle of the file, past the header, where the runs' pages are.
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 * 3);
    const std::string junk(4096 * 4, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  SqliteDb db(path);
  try {
    db.check_integrity();
    FAIL() << "a damaged file passed the check";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("database " + path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("quick_check"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace dlaaw::tracker
