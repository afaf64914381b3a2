// sysfs_file.cpp - reading the small text files of /proc and /sys, with errno in the message.
#include "kernels/platform/sysfs_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <system_error>

#include "common/errors.h"

namespace dlaaw::kernels::platform {
namespace {

// Reads the whole file; on failure returns the errno value and leaves `text` incomplete.
int read_all(const std::filesystem::path& path, std::string& text) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  char buffer[4096];
  int error = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      error = errno;
      break;
    }
  }
  ::close(fd);
  return error;
}

void trim_end(std::string& text) {
  while (!text.empty() &&
         (text.back() == '\0' || std::isspace(static_cast<unsigned char>(text.back()))))
    text.pop_back();
}

}  // namespace

std::string read_sysfs_text(const std::filesystem::path& path) {
  std::string text;
  if (const int error = read_all(path, text)) {
    throw ServiceUnavailable("cannot read " + path.string() + ": " + std::strerror(error));
  }
  trim_end(text);
  return text;
}

std::optional<std::string> try_read_sysfs_text(const std::filesystem::path& path) {
  std::string text;
  if (read_all(path, text) != 0) return std::nullopt;
  trim_end(text);
  return text;
}

std::int64_t read_sysfs_integer(const std::filesystem::path& path) {
  const std::string text = read_sysfs_text(path);
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) {
    throw ServiceUnavailable(path.string() + " holds '" + text + "', not an integer");
  }
  return value;
}

std::vector<std::filesystem::path> list_sysfs_dir(const std::filesystem::path& dir,
                                                  const std::string& prefix) {
  std::vector<std::filesystem::path> entries;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().rfind(prefix, 0) == 0) entries.push_back(it->path());
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

}  // namespace dlaaw::kernels::platform
