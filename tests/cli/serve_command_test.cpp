// serve_command_test.cpp - `dlaaw serve` as started by a user: refuses to expose the report
// without a token, and never prints a Redis password.
#include <gtest/gtest.h>

#include "../common/dlaaw_cli.h"
#include "../common/temp_dir.h"

namespace {

using dlaaw::testing::run_dlaaw;

TEST(ServeCommandTest, OffLoopbackWithoutATokenIsBadInput) {
  dlaaw::testing::TempDir dir;
  const auto r = run_dlaaw(dir.path(), "serve --db x.db --bind 0.0.0.0 --port 0");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--token-file"), std::string::npos) << r.output;
}

TEST(ServeCommandTest, NeverPrintsTheRedisPassword) {
  dlaaw::testing::TempDir dir;
  dir.write("token", "0123456789abcdef0123\n");
  // Nothing listens on port 1: the report starts anyway and shows the database only.
  const auto r = run_dlaaw(dir.path(),
                           "serve --db x.db --port 0 --bind 0.0.0.0 --token-file token --redis "
                           "redis://alice:hunter2secret@127.0.0.1:1 & sleep 1; kill $!; wait");
  EXPECT_EQ(r.output.find("hunter2secret"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("redis://alice:***@127.0.0.1:1"), std::string::npos) << r.output;
}

}  // namespace
