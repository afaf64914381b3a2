// resource_file.cpp - reading and writing resources documents.
#include "resources/resource_file.h"

#include <cstdlib>
#include <set>

#include "common/errors.h"
#include "common/json_fields.h"

namespace dlaaw::resources {
namespace {

using nlohmann::json;

constexpr std::uint64_t kMiB = 1024ULL * 1024;

DeviceRequirements requirements_from_json(JsonFields f, Backend backend) {
  DeviceRequirements r;
  r.integrated = f.boolean("integrated");
  if (auto cc = f.text("min_compute_capability")) {
    r.min_compute_capability = parse_compute_capability(*cc);
    if (!r.min_compute_capability) {
      throw InvalidInput(f.field("min_compute_capability") + ": \"" + *cc +
                         "\" is not a compute capability (expected MAJOR.MINOR, e.g. \"7.2\")");
    }
  }
  if (auto mib = f.integer("min_memory_mib")) {
    if (*mib < 1 || *mib > (1LL << 40))
      throw InvalidInput(f.field("min_memory_mib") + ": must be from 1 to 2^40, got " +
                         std::to_string(*mib));
    r.min_memory_bytes = static_cast<std::uint64_t>(*mib) * kMiB;
  }
  f.finish();
  if (backend == Backend::Cpu && (r.integrated || r.min_compute_capability)) {
    throw InvalidInput(f.field(r.integrated ? "integrated" : "min_compute_capability") +
                       ": a cpu resource has no GPU (only min_memory_mib applies to it)");
  }
  return r;
}

ResourceDefaults defaults_from_json(JsonFields f, Backend backend) {
  ResourceDefaults d;
  if (auto kernel = f.text("kernel")) {
    const auto k = kernels::parse_kernel_choice(*kernel);
    if (!k)
      throw InvalidInput(f.field("kernel") + ": \"" + *kernel + "\" is not a kernel (expected " +
                         kernels::kernel_choice_names() + ")");
    d.kernel = *k;
  }
  if (auto memory = f.text("memory")) {
    const auto m = kernels::parse_memory_path(*memory);
    if (!m)
      throw InvalidInput(f.field("memory") + ": \"" + *memory +
                         "\" is not a memory mode (expected " + kernels::memory_path_names() + ")");
    d.memory = *m;
  }
  if (auto threads = f.integer("threads")) {
    if (*threads < 0 || *threads > 4096)
      throw InvalidInput(f.field("threads") + ": must be from 0 (all) to 4096, got " +
                         std::to_string(*threads));
    d.threads = static_cast<int>(*threads);
  }
  f.finish();
  if (backend == Backend::Cpu &&
      (d.kernel != kernels::KernelChoice::Auto || d.memory != kernels::MemoryPath::Auto)) {
    throw InvalidInput(f.field(d.kernel != kernels::KernelChoice::Auto ? "kernel" : "memory") +
                       ": a cpu resource has no GPU kernel or memory mode");
  }
  return d;
}

}  // namespace

Resource resource_from_json(const json& j, const std::string& path) {
  JsonFields f(j, path);
  Resource r;
  r.name = f.required_text("name");
  check_resource_name(r.name, f.field("name"));
  const std::string backend = f.required_text("backend");
  const auto b = parse_backend(backend);
  if (!b) throw InvalidInput(f.field("backend") + ": \"" + backend + "\" (expected cpu or cuda)");
  r.backend = *b;
  if (f.value("requires")) r.requirements = requirements_from_json(f.object("requires"), r.backend);
  if (f.value("defaults")) r.defaults = defaults_from_json(f.object("defaults"), r.backend);
  r.description = f.text("description").value_or("");
  f.finish();
  return r;
}

json resource_to_json(const Resource& r) {
  json j = {{"name", r.name}, {"backend", std::string(backend_name(r.backend))}};
  json req = json::object();
  if (r.requirements.integrated) req["integrated"] = *r.requirements.integrated;
  if (r.requirements.min_compute_capability)
    req["min_compute_capability"] = r.requirements.min_compute_capability->text();
  if (r.requirements.min_memory_bytes)
    req["min_memory_mib"] = *r.requirements.min_memory_bytes / kMiB;
  if (!req.empty()) j["requires"] = req;
  json defaults = json::object();
  if (r.defaults.kernel != kernels::KernelChoice::Auto)
    defaults["kernel"] = kernels::name_of(r.defaults.kernel);
  if (r.defaults.memory != kernels::MemoryPath::Auto)
    defaults["memory"] = kernels::name_of(r.defaults.memory);
  if (r.defaults.threads != 0) defaults["threads"] = r.defaults.threads;
  if (!defaults.empty()) j["defaults"] = defaults;
  if (!r.description.empty()) j["description"] = r.description;
  return j;
}

std::vector<Resource> resources_from_json(const json& document) {
  JsonFields f(document, "");
  const auto schema = f.text("schema");
  if (!schema || *schema != kResourcesSchema)
    throw InvalidInput(std::string("schema: expected \"") + kResourcesSchema + "\"");
  const json& list = f.list("resources");
  std::vector<Resource> out;
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = "resources[" + std::to_string(i) + "]";
    out.push_back(resource_from_json(list[i], path));
    if (!names.insert(out.back().name).second)
      throw InvalidInput(path + ".name: \"" + out.back().name + "\" is defined twice");
  }
  f.finish();
  return out;
}

json resources_to_json(const std::vector<Resource>& resources) {
  json list = json::array();
  for (const auto& r : resources) list.push_back(resource_to_json(r));
  return {{"schema", kResourcesSchema}, {"resources", list}};
}

std::vector<Resource> load_resources_file(const std::string& path) {
  const json j = read_json_file(path);
  try {
    return resources_from_json(j);
  } catch (const InvalidInput& e) {
    throw InvalidInput(path + ": " + e.what());
  }
}

std::string resolve_resources_file(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("DLAAW_RESOURCES"); env && *env) return env;
  return "";
}

ResourceRegistry load_registry(const std::string& flag) {
  ResourceRegistry registry;
  const std::string file = resolve_resources_file(flag);
  if (!file.empty()) {
    for (auto& r : load_resources_file(file)) registry.add(std::move(r), file);
  }
  return registry;
}

}  // namespace dlaaw::resources
