// data_dir.h - where dataset files live, and the rule that documents cannot read outside it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace dlaaw::datasets {

// The data directory: `flag` when given, else $DLAAW_DATA_DIR, else ./data.
std::filesystem::path resolve_data_dir(const std::optional<std::string>& flag);

// data_dir / relative, after resolving `..` and symlinks. Throws InvalidInput naming `field` when
// the result lies outside data_dir (absolute paths included) and when the file does not exist.
std::filesystem::path resolve_data_file(const std::filesystem::path& data_dir,
                                        const std::string& relative, const std::string& field);

}  // namespace dlaaw::datasets
