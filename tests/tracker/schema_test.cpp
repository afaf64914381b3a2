// schema_test.cpp - migrations from an empty file and from the previous version.
#include "tracker/schema.h"

#include <gtest/gtest.h>

#include "../common/temp_dir.h"
#include "common/errors.h"

namespace dlaaw::tracker {
namespace {

TEST(SchemaTest, MigratesAnEmptyFileToTheCurrentVersion) {
  testing::TempDir dir;
  SqliteDb db((dir.path() / "t.db").string());
  EXPECT_EQ(schema_version(db), 0);
  migrate(db);
  EXPECT_EQ(schema_version(db), kSchemaVersion);
  auto st = db.prepare(
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'runs_by_dataset'");
  st.step();
  EXPECT_EQ(st.integer(0), 1);
  migrate(db);  // a second time changes nothing
  EXPECT_EQ(schema_version(db), kSchemaVersion);
}

TEST(SchemaTest, MigratesThePreviousVersionKeepingItsRows) {
  testing::TempDir dir;
  const auto path = (dir.path() / "t.db").string();
  {
    SqliteDb v1(path);
    migrate_to(v1, 1);
    v1.execute(
        "INSERT INTO runs (job_id, attempt, state, dataset) VALUES ('j1', 1, 'finished', 'pima')");
  }
  SqliteDb db(path);
  EXPECT_EQ(schema_version(db), 1);
  migrate(db);
  EXPECT_EQ(schema_version(db), kSchemaVersion);
  auto st = db.prepare(
      "SELECT job_id, dataset FROM runs INDEXED BY runs_by_dataset WHERE dataset = 'pima'");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.text(0), "j1");
}

TEST(SchemaTest, RefusesADatabaseFromANewerDlaaw) {
  testing::TempDir dir;
  SqliteDb db((dir.path() / "t.db").string());
  db.execute("PRAGMA user_version = 99");
  EXPECT_THROW(migrate(db), ServiceUnavailable);
}

TEST(SchemaTest, WalModeIsOn) {
  testing::TempDir dir;
  SqliteDb db((dir.path() / "t.db").string());
  auto st = db.prepare("PRAGMA journal_mode");
  st.step();
  EXPECT_EQ(st.text(0), "wal");
}

}  // namespace
}  // namespace dlaaw::tracker
