// utc_time.h - wall-clock instants (ms since the epoch, as the queue and tracker store them) as
// text, in UTC whatever the host's zone.
#pragma once

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>

namespace dlaaw {

namespace detail {
// The calendar time of `ms` and its millisecond part (0-999, also before 1970).
inline std::tm utc_parts(std::int64_t ms, int& millis) {
  std::int64_t seconds = ms / 1000;
  millis = static_cast<int>(ms % 1000);
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}
}  // namespace detail

// "2026-11-27T10:15:30.123Z": xsd:dateTime, as PROV-JSON and machines expect.
inline std::string iso_utc(std::int64_t ms) {
  int millis = 0;
  const std::tm tm = detail::utc_parts(ms, millis);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", millis);
  return buf;
}

// "2026-11-27 23:40:05 UTC": for people reading a page.
inline std::string readable_utc(std::int64_t ms) {
  int millis = 0;
  const std::tm tm = detail::utc_parts(ms, millis);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

}  // namespace dlaaw
