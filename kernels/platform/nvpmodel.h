// nvpmodel.h - the Jetson power mode (nvpmodel) in force, as JetPack records it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace dlaaw::kernels::platform {

// One nvpmodel power mode: its number and, when the board's nvpmodel.conf defines it, its name.
struct PowerMode {
  int id = 0;
  std::string name;  // "MAXN", "5W", "MODE_15W_6CORE"; "" when the conf does not name it

  // "MAXN (nvpmodel mode 0)", or "nvpmodel mode 3" without a name.
  std::string describe() const;
};

// The mode nvpmodel last applied on the machine under `root`: the number from
// var/lib/nvpmodel/status ("pmode:0000", JetPack 4.x and 5.x), the name from the
// "< POWER_MODEL ID=0 NAME=MAXN >" line of etc/nvpmodel.conf. std::nullopt when the status file
// is absent or malformed (not a Jetson, or nvpmodel never ran). Never throws.
std::optional<PowerMode> read_nvpmodel_mode(const std::filesystem::path& root = "/");

}  // namespace dlaaw::kernels::platform
