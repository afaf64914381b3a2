// duration.cpp - the command line's durations.
#include "cli/duration.h"

#include <cmath>
#include <exception>

#include "common/errors.h"

namespace dlaaw::cli {

double parse_seconds(const std::string& option, const std::string& text) {
  const std::string example = " (e.g. 30s, 500ms, 2m)";
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw InvalidInput(option + ": \"" + text + "\" is not a duration" + example);
  }
  if (!std::isfinite(value) || value <= 0)
    throw InvalidInput(option + ": \"" + text + "\" is not a positive duration" + example);
  const std::string unit = text.substr(used);
  if (unit == "ms") return value / 1000;
  if (unit == "s" || unit.empty()) return value;
  if (unit == "m") return value * 60;
  throw InvalidInput(option + ": \"" + text + "\" has an unknown unit \"" + unit +
                     "\" (use ms, s or m)");
}

std::chrono::milliseconds parse_duration(const std::string& option, const std::string& text) {
  const double ms = parse_seconds(option, text) * 1000;
  if (ms > 1e12) throw InvalidInput(option + ": \"" + text + "\" is too long");
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

}  // namespace dlaaw::cli
