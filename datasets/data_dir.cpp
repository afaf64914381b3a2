// data_dir.cpp - data directory resolution and the path-escape check.
#include "datasets/data_dir.h"

#include <algorithm>
#include <cstdlib>

#include "common/errors.h"

namespace dlaaw::datasets {

namespace fs = std::filesystem;

fs::path resolve_data_dir(const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) return fs::path(*flag);
  if (const char* env = std::getenv("DLAAW_DATA_DIR"); env && *env) return fs::path(env);
  return fs::path("data");
}

fs::path resolve_data_file(const fs::path& data_dir, const std::string& relative,
                           const std::string& field) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::absolute(data_dir), ec);
  const fs::path candidate = fs::weakly_canonical(fs::absolute(data_dir / relative), ec);
  const auto [root_end, unused] =
      std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  if (ec || root_end != root.end() || candidate == root) {
    throw InvalidInput(field + ": \"" + relative + "\" is outside the data directory " +
                       root.string() + "; put the file there and name it relative to it");
  }
  if (!fs::is_regular_file(candidate)) {
    throw InvalidInput(field + ": \"" + relative + "\" is not a file in the data directory " +
                       root.string() +
                       " (set --data-dir or DLAAW_DATA_DIR to the folder that holds it)");
  }
  return candidate;
}

}  // namespace dlaaw::datasets
