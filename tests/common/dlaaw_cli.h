// dlaaw_cli.h - runs the dlaaw binary as a user would and captures what it prints.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace dlaaw::testing {

struct CliOutcome {
  int exit_code;
  std::string output;  // stdout and stderr together
};

// Runs `DLAAW_BINARY args` in `dir` through the shell.
inline CliOutcome run_dlaaw(const std::filesystem::path& dir, const std::string& args) {
  const std::string command = "cd '" + dir.string() + "' && '" DLAAW_BINARY "' " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace dlaaw::testing
