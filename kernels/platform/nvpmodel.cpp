// nvpmodel.cpp - the Jetson power mode (nvpmodel) in force, as JetPack records it.
#include "kernels/platform/nvpmodel.h"

#include <cctype>
#include <sstream>

#include "kernels/platform/sysfs_file.h"

namespace dlaaw::kernels::platform {
namespace {

// The decimal number after `key` in `text` (leading zeros allowed), or nullopt.
std::optional<int> number_after(const std::string& text, const std::string& key) {
  const auto at = text.find(key);
  if (at == std::string::npos) return std::nullopt;
  std::size_t i = at + key.size();
  int value = 0;
  int digits = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && digits < 9;
       ++i, ++digits) {
    value = value * 10 + (text[i] - '0');
  }
  if (digits == 0) return std::nullopt;
  return value;
}

// The NAME= of the "< POWER_MODEL ID=<id> NAME=... >" line, or "".
std::string mode_name(const std::string& conf, int id) {
  std::istringstream lines(conf);
  std::string line;
  while (std::getline(lines, line)) {
    const auto open = line.find_first_not_of(" \t");
    if (open == std::string::npos || line[open] != '<' ||
        line.find("POWER_MODEL") == std::string::npos)
      continue;
    if (number_after(line, "ID=") != id) continue;
    const auto name_at = line.find("NAME=");
    if (name_at == std::string::npos) return "";
    const auto start = name_at + 5;
    const auto end = line.find_first_of(" \t>", start);
    return line.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }
  return "";
}

}  // namespace

std::string PowerMode::describe() const {
  const std::string number = "nvpmodel mode " + std::to_string(id);
  return name.empty() ? number : name + " (" + number + ")";
}

std::optional<PowerMode> read_nvpmodel_mode(const std::filesystem::path& root) {
  const auto status = try_read_sysfs_text(root / "var/lib/nvpmodel/status");
  if (!status) return std::nullopt;
  const auto id = number_after(*status, "pmode:");
  if (!id) return std::nullopt;
  const auto conf = try_read_sysfs_text(root / "etc/nvpmodel.conf");
  return PowerMode{*id, conf ? mode_name(*conf, *id) : ""};
}

}  // namespace dlaaw::kernels::platform
