// device_json.h - the one JSON shape of a device description (kernels::DeviceInfo), used in run
// results, executor registrations and listings. kernels/ knows no JSON, so the codec lives here.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "kernels/backend.h"

namespace dlaaw::results {

// {"kind", "name", "integrated"} plus "threads" for a CPU, or "index", "compute_capability",
// "multiprocessors", "memory_bytes", "driver_version" and "runtime_version" for a CUDA device;
// then "kernels" (the training kernels it runs) and "kernels_note" (why one is missing) when set.
nlohmann::json device_to_json(const kernels::DeviceInfo& d);

// Reads what device_to_json writes; fields of the other kind are ignored. Throws InvalidInput
// naming the field ("`path`.memory_bytes: must be ...") for a missing kind or name or a wrong type.
kernels::DeviceInfo device_from_json(const nlohmann::json& j, const std::string& path);

}  // namespace dlaaw::results
