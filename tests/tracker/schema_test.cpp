// schema_test.cpp - migrations from an empty file and from the previous version.
#include "tracker/schema.h"

#include <atomic>
#include <thread>
#include <vector>

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

TEST(SchemaTest, EightFirstOpensAtOnceAllSucceed) {
  // Used to fail with "table experiments already exists": each read version 0, then migrated.
  testing::TempDir dir;
  for (int round = 0; round < 5; ++round) {
    const auto path = (dir.path() / ("new" + std::to_string(round) + ".db")).string();
    std::atomic<int> ready{0};
    std::vector<std::string> errors(8);
    std::vector<std::thread> openers;
    for (int i = 0; i < 8; ++i) {
      openers.emplace_back([&, i] {
        ++ready;
        while (ready < 8) std::this_thread::yield();
        try {
          SqliteDb db(path);
          migrate(db);
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      });
    }
    for (auto& t : openers) t.join();
    for (const auto& e : errors) EXPECT_EQ(e, "") << "round " << round;
    SqliteDb db(path);
    EXPECT_EQ(schema_version(db), kSchemaVersion);
  }
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
