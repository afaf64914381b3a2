// query_params.cpp - checked reading of the report's query and path parameters.
#include "reports/query_params.h"

#include <charconv>

#include "common/errors.h"
#include "reports/run_filter_params.h"

namespace dlaaw::reports {

std::optional<std::string> first_param(const QueryParams& params, const std::string& name) {
  // lower_bound: the first of equal keys in insertion order, as httplib reads a repeated one.
  const auto it = params.lower_bound(name);
  if (it == params.end() || it->first != name) return std::nullopt;
  return it->second;
}

std::int64_t parse_id(const std::string& text, const std::string& what) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0)
    throw NotFound(what + " " + text + ": no such " + what);
  return v;
}

int int_param(const QueryParams& params, const std::string& name, int fallback, int lo, int hi) {
  const auto text = first_param(params, name);
  if (!text) return fallback;
  int v = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < lo || v > hi) {
    throw InvalidInput(name + ": must be an integer from " + std::to_string(lo) + " to " +
                       std::to_string(hi) + ", got \"" + *text + "\"");
  }
  return v;
}

std::optional<std::string> text_param(const QueryParams& params, const std::string& name) {
  auto v = first_param(params, name);
  if (!v || v->empty()) return std::nullopt;
  if (v->size() > 200) throw InvalidInput(name + ": too long");
  return v;
}

std::vector<std::string> param_values(const QueryParams& params, const std::string& name) {
  std::vector<std::string> values;
  const auto [first, last] = params.equal_range(name);
  for (auto it = first; it != last; ++it) values.push_back(it->second);
  return values;
}

tracker::RunFilter run_filter(const QueryParams& params) {
  return parse_run_filter(
      [&params](const std::string& name) { return param_values(params, name); });
}

std::vector<std::int64_t> id_list(const std::string& text) {
  std::vector<std::int64_t> ids;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string part =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec != std::errc() || end != part.data() + part.size() || v <= 0) {
      throw InvalidInput("runs: \"" + part + "\" is not a run id (give ids separated by commas)");
    }
    ids.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (ids.size() > 1000) throw InvalidInput("runs: at most 1000 ids");
  return ids;
}

bool log_scale_param(const QueryParams& params) {
  const auto scale = first_param(params, "scale");
  if (!scale || *scale == "linear") return false;
  if (*scale == "log") return true;
  throw InvalidInput("scale: must be linear or log");
}

}  // namespace dlaaw::reports
