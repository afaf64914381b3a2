// time_scale.h - stretches the fixed deadlines of tests where code runs slower (qemu, sanitizers).
#pragma once

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace dlaaw::testing {

// The factor in DLAAW_TEST_TIME_SCALE (e.g. 20 under qemu), 1 when unset or empty. Throws
// std::invalid_argument for a value that is not a positive number, so a typo fails loudly.
inline double time_scale() {
  const char* text = std::getenv("DLAAW_TEST_TIME_SCALE");
  if (!text || !*text) return 1.0;
  char* end = nullptr;
  const double scale = std::strtod(text, &end);
  if (*end != '\0' || !std::isfinite(scale) || scale <= 0) {
    throw std::invalid_argument(std::string("DLAAW_TEST_TIME_SCALE='") + text +
                                "' is not a positive number");
  }
  return scale;
}

// `duration` times time_scale(), in the same unit: for deadlines, leases and waits whose length
// only has to be long enough for the code under test (scale both sides of a comparison alike).
template <class Rep, class Period>
std::chrono::duration<Rep, Period> scaled(std::chrono::duration<Rep, Period> duration) {
  return std::chrono::duration<Rep, Period>(
      static_cast<Rep>(std::llround(static_cast<double>(duration.count()) * time_scale())));
}

}  // namespace dlaaw::testing
