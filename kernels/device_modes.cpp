// device_modes.cpp - names of the training-kernel and memory-path choices.
#include "kernels/device_modes.h"

#include <array>
#include <utility>

#include "common/errors.h"

namespace dlaaw::kernels {
namespace {

constexpr std::array<std::pair<KernelChoice, std::string_view>, 3> kKernels{
    {{KernelChoice::Auto, "auto"},
     {KernelChoice::Cooperative, "cooperative"},
     {KernelChoice::Block, "block"}}};
constexpr std::array<std::pair<MemoryPath, std::string_view>, 4> kMemory{
    {{MemoryPath::Auto, "auto"},
     {MemoryPath::Device, "device"},
     {MemoryPath::ZeroCopy, "zero_copy"},
     {MemoryPath::Managed, "managed"}}};

template <typename Table>
std::string names_of(const Table& table) {
  std::string out;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (i > 0) out += i + 1 == table.size() ? " or " : ", ";
    out += table[i].second;
  }
  return out;
}

template <typename Table, typename Value>
std::string name_in(const Table& table, Value v) {
  for (const auto& [value, name] : table) {
    if (value == v) return std::string(name);
  }
  return "auto";  // unreachable for a valid enumerator
}

template <typename Value, typename Table>
std::optional<Value> parse_in(const Table& table, std::string_view name) {
  for (const auto& [value, text] : table) {
    if (text == name) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string name_of(MemoryPath memory) { return name_in(kMemory, memory); }
std::string name_of(KernelChoice kernel) { return name_in(kKernels, kernel); }

std::optional<MemoryPath> parse_memory_path(std::string_view name) {
  return parse_in<MemoryPath>(kMemory, name);
}
std::optional<KernelChoice> parse_kernel_choice(std::string_view name) {
  return parse_in<KernelChoice>(kKernels, name);
}

std::string memory_path_names() { return names_of(kMemory); }
std::string kernel_choice_names() { return names_of(kKernels); }

MemoryPath memory_path_from_name(const std::string& name) {
  if (const auto m = parse_memory_path(name)) return *m;
  throw InvalidInput("memory: \"" + name + "\" is not a memory path (expected " +
                     memory_path_names() + ")");
}

KernelChoice kernel_choice_from_name(const std::string& name) {
  if (const auto k = parse_kernel_choice(name)) return *k;
  throw InvalidInput("kernel: \"" + name + "\" is not a training kernel (expected " +
                     kernel_choice_names() + ")");
}

}  // namespace dlaaw::kernels
