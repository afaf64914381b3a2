// device_modes.cpp - names of the kernel and memory-mode choices.
#include "resources/device_modes.h"

#include <array>
#include <utility>

namespace dlaaw::resources {
namespace {

constexpr std::array<std::pair<KernelChoice, std::string_view>, 3> kKernels{
    {{KernelChoice::Auto, "auto"},
     {KernelChoice::Cooperative, "cooperative"},
     {KernelChoice::Block, "block"}}};
constexpr std::array<std::pair<MemoryMode, std::string_view>, 4> kMemory{
    {{MemoryMode::Auto, "auto"},
     {MemoryMode::Device, "device"},
     {MemoryMode::ZeroCopy, "zero_copy"},
     {MemoryMode::Managed, "managed"}}};

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
std::string_view name_in(const Table& table, Value v) {
  for (const auto& [value, name] : table) {
    if (value == v) return name;
  }
  return "?";
}

template <typename Value, typename Table>
std::optional<Value> parse_in(const Table& table, std::string_view name) {
  for (const auto& [value, text] : table) {
    if (text == name) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view kernel_choice_name(KernelChoice k) { return name_in(kKernels, k); }
std::optional<KernelChoice> parse_kernel_choice(std::string_view name) {
  return parse_in<KernelChoice>(kKernels, name);
}
std::string_view memory_mode_name(MemoryMode m) { return name_in(kMemory, m); }
std::optional<MemoryMode> parse_memory_mode(std::string_view name) {
  return parse_in<MemoryMode>(kMemory, name);
}
std::string kernel_choice_names() { return names_of(kKernels); }
std::string memory_mode_names() { return names_of(kMemory); }

}  // namespace dlaaw::resources
