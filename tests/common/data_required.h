// data_required.h - how tests that need the paper's real files find them, skip, or fail.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace dlaaw::testing {

// The folder with the paper's datasets ($DLAAW_DATA_DIR), or "" when it is not set or lacks `file`.
inline std::string paper_data_dir(const std::string& file) {
  const char* dir = std::getenv("DLAAW_DATA_DIR");
  if (!dir || !*dir || !std::filesystem::exists(std::filesystem::path(dir) / file)) return "";
  return dir;
}

inline bool data_required() {
  const char* v = std::getenv("DLAAW_REQUIRE_DATA");
  return v && std::string(v) == "1";
}

}  // namespace dlaaw::testing

// Skips the test (or fails it when DLAAW_REQUIRE_DATA=1) when `file` is not in $DLAAW_DATA_DIR.
#define DLAAW_REQUIRE_PAPER_FILE(file)                                                     \
  do {                                                                                     \
    if (::dlaaw::testing::paper_data_dir(file).empty()) {                                  \
      if (::dlaaw::testing::data_required()) {                                             \
        FAIL() << "DLAAW_REQUIRE_DATA=1 but " << (file) << " is not in DLAAW_DATA_DIR";    \
      }                                                                                    \
      GTEST_SKIP() << (file) << " not found: set DLAAW_DATA_DIR to a folder with the "     \
                   << "paper's datasets (make test uses ../shared/datasets when present)"; \
    }                                                                                      \
  } while (0)
