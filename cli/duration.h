// duration.h - the command line's durations ("30s", "500ms", "2m", a plain number of seconds).
#pragma once

#include <chrono>
#include <string>

namespace dlaaw::cli {

// Parses `text` given to `option`; throws InvalidInput naming the option for anything that is not
// a positive number with an optional unit ms, s or m.
std::chrono::milliseconds parse_duration(const std::string& option, const std::string& text);

// The same, in seconds as a double (what the kernels' watchdog takes).
double parse_seconds(const std::string& option, const std::string& text);

}  // namespace dlaaw::cli
