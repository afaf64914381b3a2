// stopwatch.h - milliseconds since a point on the steady clock, the unit of every recorded timing.
#pragma once

#include <chrono>

namespace dlaaw {

using SteadyClock = std::chrono::steady_clock;

// Milliseconds elapsed since `start`, as a double (sub-millisecond precision).
inline double ms_since(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

}  // namespace dlaaw
