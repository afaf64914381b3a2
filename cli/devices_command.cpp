// devices_command.cpp - `dlaaw devices`: the GPU library this binary loads, its CUDA devices and
// the kernels each runs, and the CPU.
#include "cli/devices_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "kernels/backend.h"
#include "kernels/cpu/cpu_backend.h"
#include "results/device_json.h"

namespace dlaaw::cli {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

nlohmann::json library_json(const kernels::GpuLibraryStatus& s) {
  nlohmann::json j = {{"loaded", s.loaded}, {"path", s.path}};
  if (!s.loaded) {
    j["error"] = s.error;
    return j;
  }
  j["abi_version"] = s.abi_version;
  j["description"] = s.description;
  j["cuda_runtime"] = s.runtime_version;
  j["cuda_driver"] = s.driver_version;
  if (!s.no_device_reason.empty()) j["no_device_reason"] = s.no_device_reason;
  return j;
}

void print_text(const kernels::GpuLibraryStatus& library,
                const std::vector<kernels::DeviceInfo>& gpus, const kernels::DeviceInfo& cpu) {
  std::printf("cpu: %s, %d threads\n", cpu.name.c_str(), cpu.threads);
  if (!library.loaded) {
    std::printf("gpu library: none (%s)\n", library.error.c_str());
    return;
  }
  std::printf("gpu library: %s (ABI %d; %s; CUDA runtime %s, driver %s)\n", library.path.c_str(),
              library.abi_version, library.description.c_str(),
              library.runtime_version.empty() ? "none" : library.runtime_version.c_str(),
              library.driver_version.empty() ? "none" : library.driver_version.c_str());
  if (gpus.empty()) {
    std::printf("cuda: no device (%s)\n", library.no_device_reason.c_str());
  }
  for (const auto& d : gpus) {
    std::printf("cuda:%d %s, compute %s, %d SMs, %.1f GiB, %s, kernels: %s%s%s\n", d.index,
                d.name.c_str(), d.compute_capability.c_str(), d.multiprocessors,
                static_cast<double>(d.memory_bytes) / (1024.0 * 1024 * 1024),
                d.integrated ? "integrated" : "discrete",
                d.kernels.empty() ? "none" : joined(d.kernels).c_str(),
                d.kernels_note.empty() ? "" : " - ", d.kernels_note.c_str());
  }
}

}  // namespace

void add_devices_command(CLI::App& app, int& exit_code) {
  auto json_output = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "devices", "List the GPU library, its CUDA devices and their kernels, and the CPU");
  cmd->add_flag("--json", *json_output, "Print JSON");
  cmd->callback([json_output, &exit_code] {
    exit_code = run_guarded([&] {
      const auto library = kernels::gpu_library_status();
      const auto gpus = kernels::cuda_devices();
      const auto cpu = kernels::cpu::CpuBackend(0).device();
      if (*json_output) {
        // Devices in the one shape that runs and executor registrations record them in.
        nlohmann::json j = {{"backends", kernels::available_backends()},
                            {"cpu", results::device_to_json(cpu)},
                            {"gpu_library", library_json(library)},
                            {"cuda", nlohmann::json::array()}};
        for (const auto& d : gpus) j["cuda"].push_back(results::device_to_json(d));
        std::printf("%s\n", j.dump(2).c_str());
      } else {
        print_text(library, gpus, cpu);
      }
      return kSuccess;
    });
  });
}

}  // namespace dlaaw::cli
