// device_json.cpp - DeviceInfo to and from JSON.
#include "results/device_json.h"

#include <limits>

#include "common/errors.h"
#include "common/json_fields.h"

namespace dlaaw::results {

nlohmann::json device_to_json(const kernels::DeviceInfo& d) {
  nlohmann::json j = {{"kind", d.kind}, {"name", d.name}, {"integrated", d.integrated}};
  if (d.kind == "cpu") {
    j["threads"] = d.threads;
  } else {
    j["index"] = d.index;
    j["compute_capability"] = d.compute_capability;
    j["multiprocessors"] = d.multiprocessors;
    j["memory_bytes"] = d.memory_bytes;
    j["driver_version"] = d.driver_version;
    j["runtime_version"] = d.runtime_version;
  }
  if (!d.kernels.empty()) j["kernels"] = d.kernels;
  if (!d.kernels_note.empty()) j["kernels_note"] = d.kernels_note;
  return j;
}

kernels::DeviceInfo device_from_json(const nlohmann::json& j, const std::string& path) {
  JsonFields f(j, path);
  const auto small = [&](const std::string& key) {
    const auto v = f.integer(key).value_or(0);
    if (v < 0 || v > std::numeric_limits<int>::max())
      throw InvalidInput(f.field(key) + ": out of range");
    return static_cast<int>(v);
  };
  kernels::DeviceInfo d;
  d.kind = f.required_text("kind");
  d.name = f.required_text("name");
  d.integrated = f.boolean("integrated").value_or(false);
  d.threads = small("threads");
  d.index = small("index");
  d.compute_capability = f.text("compute_capability").value_or("");
  d.multiprocessors = small("multiprocessors");
  const auto memory = f.integer("memory_bytes").value_or(0);
  if (memory < 0) throw InvalidInput(f.field("memory_bytes") + ": must not be negative");
  d.memory_bytes = static_cast<std::size_t>(memory);
  d.driver_version = f.text("driver_version").value_or("");
  d.runtime_version = f.text("runtime_version").value_or("");
  d.kernels = f.text_list("kernels");
  d.kernels_note = f.text("kernels_note").value_or("");
  return d;
}

}  // namespace dlaaw::results
