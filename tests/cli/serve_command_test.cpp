// serve_command_test.cpp - `dlaaw serve` as started by a user: refuses to expose the report
// without a token, and never prints a Redis password.
#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "../common/dlaaw_cli.h"
#include "../common/temp_dir.h"

namespace {

using dlaaw::testing::run_dlaaw;

// Runs `dlaaw serve ARGS` for `seconds`, then interrupts it; returns what it printed.
std::string serve_for(const std::filesystem::path& dir, const std::string& args, int seconds) {
  const std::string command = "cd '" + dir.string() + "' && timeout -s INT " +
                              std::to_string(seconds) + " '" DLAAW_BINARY "' serve " + args +
                              " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
  pclose(pipe);
  return output;
}

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
  const std::string output = serve_for(dir.path(),
                                       "--db x.db --port 0 --bind 0.0.0.0 --token-file token "
                                       "--redis redis://alice:hunter2secret@127.0.0.1:1",
                                       2);
  EXPECT_EQ(output.find("hunter2secret"), std::string::npos) << output;
  EXPECT_NE(output.find("redis://alice:***@127.0.0.1:1"), std::string::npos) << output;
}

}  // namespace
