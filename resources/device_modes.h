// device_modes.h - the kernel and memory-mode choices a document, a resource and a run name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dlaaw::resources {

// Which CUDA training kernel runs a job: the cooperative multi-block kernel, the block-per-model
// kernel, or whichever the device supports best (Auto).
enum class KernelChoice { Auto, Cooperative, Block };

// Where a CUDA backend keeps the training rows. Auto is device memory (DESIGN.md: pinned memory is
// uncached on the Tegra GPU, so Jetsons default to device memory too).
enum class MemoryMode { Auto, Device, ZeroCopy, Managed };

// "auto", "cooperative", "block".
std::string_view kernel_choice_name(KernelChoice k);
// The choice named `name` exactly, or nullopt.
std::optional<KernelChoice> parse_kernel_choice(std::string_view name);

// "auto", "device", "zero_copy", "managed".
std::string_view memory_mode_name(MemoryMode m);
std::optional<MemoryMode> parse_memory_mode(std::string_view name);

// "auto, cooperative or block" and "auto, device, zero_copy or managed", for messages.
std::string kernel_choice_names();
std::string memory_mode_names();

}  // namespace dlaaw::resources
