// db_path.h - which tracker database a command uses.
#pragma once

#include <cstdlib>
#include <string>

namespace dlaaw::tracker {

// `flag` when given, else $DLAAW_DB, else ./dlaaw.db.
inline std::string resolve_db_path(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("DLAAW_DB"); env && *env) return env;
  return "dlaaw.db";
}

}  // namespace dlaaw::tracker
