// cpu_name.h - the human name of this machine's CPU, on x86-64 and on ARM boards (Jetson).
#pragma once

#include <filesystem>
#include <string>

namespace dlaaw::kernels::platform {

// The CPU of the machine whose /proc and /sys are under `root` ("/" for this one; tests pass a
// fake tree). x86: cpuinfo's "model name". ARM, which has none: the board from the device tree
// with the cores from cpuinfo's implementer/part codes, e.g. "NVIDIA Jetson Nano Developer Kit
// (ARM Cortex-A57)", or either alone; "unknown CPU" when nothing names it. Never throws.
std::string cpu_name(const std::filesystem::path& root = "/");

// The core that an ARM MIDR implementer/part pair stands for: (0x41, 0xd08) -> "ARM Cortex-A72";
// an unknown part of a known vendor gives "ARM part 0xd99", an unknown vendor
// "CPU implementer 0x12 part 0x345".
std::string arm_core_name(unsigned implementer, unsigned part);

}  // namespace dlaaw::kernels::platform
