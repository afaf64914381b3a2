// sysfs_file.h - reading the small text files of /proc and /sys, with errno in the message.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dlaaw::kernels::platform {

// The text of `path` without trailing whitespace and NULs (device-tree strings end in one).
// Throws ServiceUnavailable naming the path and the system's reason when it cannot be read.
std::string read_sysfs_text(const std::filesystem::path& path);

// As read_sysfs_text, or std::nullopt when the file is absent or unreadable.
std::optional<std::string> try_read_sysfs_text(const std::filesystem::path& path);

// The decimal integer `path` holds. Throws ServiceUnavailable when it cannot be read or is not
// an integer.
std::int64_t read_sysfs_integer(const std::filesystem::path& path);

// The entries of `dir` whose names start with `prefix`, sorted by name; empty when `dir` is
// absent or unreadable.
std::vector<std::filesystem::path> list_sysfs_dir(const std::filesystem::path& dir,
                                                  const std::string& prefix);

}  // namespace dlaaw::kernels::platform
