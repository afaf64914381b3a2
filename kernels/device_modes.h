// device_modes.h - the training-kernel and memory-path choices, and their one table of names.
//
// A document, a resource's defaults, the kernels and a run's result all name these choices; the
// names live here only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dlaaw::kernels {

// Where the CUDA backend keeps the training rows. Auto is device memory on every GPU: training
// rereads every row once per epoch, and NVIDIA's CUDA-for-Tegra note says pinned host memory is
// not cached by a Jetson's integrated GPU. ZeroCopy (mapped pinned host memory, the paper's
// mechanism) and Managed (unified memory) are there to be measured. The CPU backend ignores it.
enum class MemoryPath { Auto, Device, ZeroCopy, Managed };

// Which CUDA training kernel runs: Cooperative (several blocks per model joined by a grid-wide
// barrier; needs compute capability >= 6.0 and cooperative launch), Block (one block per model,
// __syncthreads only; any device), or Auto (the backend picks by capability and size, never one
// the device cannot run). The CPU backend ignores it.
enum class KernelChoice { Auto, Cooperative, Block };

// "auto", "device", "zero_copy", "managed"; "auto", "cooperative", "block".
std::string name_of(MemoryPath memory);
std::string name_of(KernelChoice kernel);

// The choice named `name` exactly, or nullopt.
std::optional<MemoryPath> parse_memory_path(std::string_view name);
std::optional<KernelChoice> parse_kernel_choice(std::string_view name);

// "auto, device, zero_copy or managed" and "auto, cooperative or block", for messages.
std::string memory_path_names();
std::string kernel_choice_names();

// As the parsers, but throw InvalidInput ("memory: \"x\" is not a memory path (expected ...)").
MemoryPath memory_path_from_name(const std::string& name);
KernelChoice kernel_choice_from_name(const std::string& name);

}  // namespace dlaaw::kernels
