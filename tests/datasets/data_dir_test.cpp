// data_dir_test.cpp - documents cannot read files outside the data directory.
#include "datasets/data_dir.h"

#include <cstdlib>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "../common/scoped_env.h"
#include "../common/temp_dir.h"
#include "common/errors.h"

namespace dlaaw::datasets {
namespace {

// DLAAW_DATA_DIR as the binary started with it (read before any test runs).
const std::optional<std::string> kDataDirAtStart = [] {
  const char* v = std::getenv("DLAAW_DATA_DIR");
  return v ? std::optional<std::string>(v) : std::nullopt;
}();

TEST(DataDirTest, ResolvesFilesInside) {
  testing::TempDir dir;
  dir.write("data/sub/x.csv", "a\n1\n");
  const auto p = resolve_data_file(dir.path() / "data", "sub/x.csv", "dataset.path");
  EXPECT_EQ(p.filename(), "x.csv");
}

TEST(DataDirTest, RefusesPathsThatEscape) {
  testing::TempDir dir;
  dir.write("secret.csv", "a\n1\n");
  dir.write("data/x.csv", "a\n1\n");
  const auto data = dir.path() / "data";
  for (const std::string& bad : std::vector<std::string>{"../secret.csv", "sub/../../secret.csv",
                                                         (dir.path() / "secret.csv").string()}) {
    try {
      resolve_data_file(data, bad, "dataset.path");
      ADD_FAILURE() << bad << " was accepted";
    } catch (const InvalidInput& e) {
      EXPECT_NE(
          std::string(e.what()).find("dataset.path: \"" + bad + "\" is outside the data directory"),
          std::string::npos)
          << e.what();
    }
  }
}

TEST(DataDirTest, RefusesSymlinksThatLeadOut) {
  testing::TempDir dir;
  dir.write("secret.csv", "a\n1\n");
  dir.write("data/x.csv", "a\n1\n");
  std::filesystem::create_symlink(dir.path() / "secret.csv", dir.path() / "data" / "link.csv");
  EXPECT_THROW(resolve_data_file(dir.path() / "data", "link.csv", "dataset.path"), InvalidInput);
}

TEST(DataDirTest, NamesAMissingFile) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "data");
  try {
    resolve_data_file(dir.path() / "data", "none.csv", "dataset.path");
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("\"none.csv\" is not a file in the data directory"),
              std::string::npos)
        << e.what();
  }
}

TEST(DataDirTest, FlagBeatsEnvironmentBeatsDefault) {
  const testing::ScopedEnv env("DLAAW_DATA_DIR");
  env.set("/from/env");
  EXPECT_EQ(resolve_data_dir(std::string("/from/flag")), "/from/flag");
  EXPECT_EQ(resolve_data_dir(std::nullopt), "/from/env");
  env.unset();
  EXPECT_EQ(resolve_data_dir(std::nullopt), "data");
}

// Runs after the test above in the same binary: the real-data tests that follow it (catalog,
// loader) would skip silently if it left DLAAW_DATA_DIR changed.
TEST(DataDirTest, TheEnvironmentIsAsTheBinaryStarted) {
  const char* now = std::getenv("DLAAW_DATA_DIR");
  EXPECT_EQ(now ? std::optional<std::string>(now) : std::nullopt, kDataDirAtStart)
      << "a test before this one changed DLAAW_DATA_DIR and did not restore it";
}

}  // namespace
}  // namespace dlaaw::datasets
