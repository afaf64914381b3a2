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
    return static_cast<int>(f.integer_in(key, 0, std::numeric_limits<int>::max()).value_or(0));
  };
  kernels::DeviceInfo d;
  d.kind = f.required_text("kind");
  d.name = f.required_text("name");
  d.integrated = f.boolean("integrated").value_or(false);
  d.threads = small("threads");
  d.index = small("index");
  d.compute_capability = f.text("compute_capability").value_or("");
  d.multiprocessors = small("multiprocessors");
  d.memory_bytes = f.count("memory_bytes").value_or(0);
  d.driver_version = f.text("driver_version").value_or("");
  d.runtime_version = f.text("runtime_version").value_or("");
  d.kernels = f.text_list("kernels");
  d.kernels_note = f.text("kernels_note").value_or("");
  return d;
}

}  // namespace dlaaw::results
