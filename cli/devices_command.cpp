// devices_command.cpp - device discovery for users and for run provenance.
#include "cli/devices_command.h"

#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "kernels/backend.h"
#include "kernels/cpu/cpu_backend.h"

namespace dlaaw::cli {

void add_devices_command(CLI::App& app, int& exit_code) {
  auto json_output = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("devices", "List the CUDA devices and the CPU that can train");
  cmd->add_flag("--json", *json_output, "Print JSON");
  cmd->callback([json_output, &exit_code] {
    exit_code = run_guarded([&] {
      const auto gpus = kernels::cuda_devices();
      const auto cpu = kernels::cpu::CpuBackend(0).device();
      const auto backends = kernels::available_backends();
      if (*json_output) {
        nlohmann::json j = {{"backends", backends},
                            {"cpu", {{"name", cpu.name}, {"threads", cpu.threads}}},
                            {"cuda", nlohmann::json::array()}};
        for (const auto& d : gpus) {
          j["cuda"].push_back({{"index", d.index},
                               {"name", d.name},
                               {"compute_capability", d.compute_capability},
                               {"multiprocessors", d.multiprocessors},
                               {"memory_bytes", d.memory_bytes},
                               {"integrated", d.integrated},
                               {"driver_version", d.driver_version},
                               {"runtime_version", d.runtime_version}});
        }
        std::printf("%s\n", j.dump(2).c_str());
        return kSuccess;
      }
      std::printf("cpu: %s, %d threads\n", cpu.name.c_str(), cpu.threads);
      if (backends.size() == 1) {
        std::printf("cuda: not built in (configure with -DDLAAW_CUDA=ON)\n");
      } else if (gpus.empty()) {
        std::printf("cuda: no device (or no driver)\n");
      }
      for (const auto& d : gpus) {
        std::printf("cuda:%d %s, compute %s, %d SMs, %.1f GiB, %s, driver %s, runtime %s\n",
                    d.index, d.name.c_str(), d.compute_capability.c_str(), d.multiprocessors,
                    static_cast<double>(d.memory_bytes) / (1024.0 * 1024 * 1024),
                    d.integrated ? "integrated (zero-copy)" : "discrete", d.driver_version.c_str(),
                    d.runtime_version.c_str());
      }
      return kSuccess;
    });
  });
}

}  // namespace dlaaw::cli
