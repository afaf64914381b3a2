// cpu_name.cpp - the human name of this machine's CPU, on x86-64 and on ARM boards (Jetson).
#include "kernels/platform/cpu_name.h"

#include <cstdio>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "kernels/platform/sysfs_file.h"

namespace dlaaw::kernels::platform {
namespace {

struct ArmPart {
  unsigned implementer;
  unsigned part;
  const char* name;
};

// MIDR_EL1 codes as Linux names them (arch/arm64/include/asm/cputype.h): the cores of Jetson
// modules (A57: Nano, TX1; Denver/A57: TX2; Carmel: Xavier; A78AE: Orin) and common boards.
constexpr ArmPart kArmParts[] = {
    {0x41, 0xd03, "ARM Cortex-A53"},        {0x41, 0xd04, "ARM Cortex-A35"},
    {0x41, 0xd05, "ARM Cortex-A55"},        {0x41, 0xd07, "ARM Cortex-A57"},
    {0x41, 0xd08, "ARM Cortex-A72"},        {0x41, 0xd09, "ARM Cortex-A73"},
    {0x41, 0xd0a, "ARM Cortex-A75"},        {0x41, 0xd0b, "ARM Cortex-A76"},
    {0x41, 0xd0c, "ARM Neoverse-N1"},       {0x41, 0xd0d, "ARM Cortex-A77"},
    {0x41, 0xd40, "ARM Neoverse-V1"},       {0x41, 0xd41, "ARM Cortex-A78"},
    {0x41, 0xd42, "ARM Cortex-A78AE"},      {0x41, 0xd44, "ARM Cortex-X1"},
    {0x41, 0xd46, "ARM Cortex-A510"},       {0x41, 0xd47, "ARM Cortex-A710"},
    {0x41, 0xd48, "ARM Cortex-X2"},         {0x41, 0xd49, "ARM Neoverse-N2"},
    {0x41, 0xd4b, "ARM Cortex-A78C"},       {0x41, 0xd4f, "ARM Neoverse-V2"},
    {0x4e, 0x003, "NVIDIA Denver 2"},       {0x4e, 0x004, "NVIDIA Carmel"},
    {0x48, 0xd01, "HiSilicon Kunpeng-920"}, {0x46, 0x001, "Fujitsu A64FX"},
};

const char* vendor_name(unsigned implementer) {
  switch (implementer) {
    case 0x41:
      return "ARM";
    case 0x42:
      return "Broadcom";
    case 0x43:
      return "Cavium";
    case 0x46:
      return "Fujitsu";
    case 0x48:
      return "HiSilicon";
    case 0x4e:
      return "NVIDIA";
    case 0x50:
      return "APM";
    case 0x51:
      return "Qualcomm";
    case 0x61:
      return "Apple";
    case 0xc0:
      return "Ampere";
    default:
      return nullptr;
  }
}

std::string hex(unsigned value, int digits) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%0*x", digits, value);
  return text;
}

// "key\t: value" -> value, when the line's key is `key`.
std::optional<std::string> field(const std::string& line, const std::string& key) {
  const auto colon = line.find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string name = line.substr(0, colon);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
  if (name != key) return std::nullopt;
  const auto start = line.find_first_not_of(" \t", colon + 1);
  return start == std::string::npos ? std::string() : line.substr(start);
}

// The distinct cores of cpuinfo in order of appearance, joined by " + " (big.LITTLE has two).
std::string arm_cores(const std::string& cpuinfo) {
  std::vector<std::pair<unsigned, unsigned>> seen;
  std::optional<unsigned> implementer;
  std::istringstream lines(cpuinfo);
  std::string line;
  while (std::getline(lines, line)) {
    if (auto v = field(line, "CPU implementer")) {
      implementer = static_cast<unsigned>(std::stoul(*v, nullptr, 0));
    } else if (auto p = field(line, "CPU part"); p && implementer) {
      const std::pair<unsigned, unsigned> core{*implementer, std::stoul(*p, nullptr, 0)};
      bool known = false;
      for (const auto& s : seen) known = known || s == core;
      if (!known) seen.push_back(core);
    }
  }
  std::string names;
  for (const auto& [impl, part] : seen) {
    names += (names.empty() ? "" : " + ") + arm_core_name(impl, part);
  }
  return names;
}

std::string device_tree_model(const std::filesystem::path& root) {
  if (auto model = try_read_sysfs_text(root / "proc/device-tree/model")) return *model;
  return try_read_sysfs_text(root / "sys/firmware/devicetree/base/model").value_or("");
}

}  // namespace

std::string arm_core_name(unsigned implementer, unsigned part) {
  for (const auto& known : kArmParts) {
    if (known.implementer == implementer && known.part == part) return known.name;
  }
  if (const char* vendor = vendor_name(implementer))
    return std::string(vendor) + " part " + hex(part, 3);
  return "CPU implementer " + hex(implementer, 2) + " part " + hex(part, 3);
}

std::string cpu_name(const std::filesystem::path& root) {
  const std::string cpuinfo = try_read_sysfs_text(root / "proc/cpuinfo").value_or("");
  std::istringstream lines(cpuinfo);
  std::string line;
  while (std::getline(lines, line)) {
    if (auto model = field(line, "model name"); model && !model->empty()) return *model;
  }
  std::string cores;
  try {
    cores = arm_cores(cpuinfo);
  } catch (const std::exception&) {
    cores.clear();  // a malformed code (not a number) names nothing
  }
  const std::string board = device_tree_model(root);
  if (!board.empty() && !cores.empty()) return board + " (" + cores + ")";
  if (!board.empty()) return board;
  if (!cores.empty()) return cores;
  return "unknown CPU";
}

}  // namespace dlaaw::kernels::platform
