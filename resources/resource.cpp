// resource.cpp - backend names, compute capabilities and resource names.
#include "resources/resource.h"

#include <charconv>

#include "common/errors.h"

namespace dlaaw::resources {

std::string_view backend_name(Backend b) { return b == Backend::Cuda ? "cuda" : "cpu"; }

std::optional<Backend> parse_backend(std::string_view name) {
  if (name == "cpu") return Backend::Cpu;
  if (name == "cuda") return Backend::Cuda;
  return std::nullopt;
}

std::string ComputeCapability::text() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::optional<ComputeCapability> parse_compute_capability(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  ComputeCapability c;
  const auto whole = [](std::string_view part, int& out) {
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return !part.empty() && ec == std::errc() && end == part.data() + part.size() && out >= 0;
  };
  if (!whole(text.substr(0, dot), c.major) || !whole(text.substr(dot + 1), c.minor))
    return std::nullopt;
  return c;
}

void check_resource_name(const std::string& name, const std::string& field) {
  bool ok = !name.empty() && name.size() <= 64;
  for (std::size_t i = 0; ok && i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    ok = alnum || (i > 0 && (c == '-' || c == '_' || c == '.'));
  }
  if (!ok) {
    throw InvalidInput(field + ": \"" + name +
                       "\" is not a resource name (1 to 64 of a-z, 0-9, '-', '_' and '.', "
                       "starting with a letter or digit)");
  }
}

}  // namespace dlaaw::resources
