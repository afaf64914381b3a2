// job_id.cpp - id generation.
#include "queue/job_id.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>

namespace dlaaw::queue {
namespace {

// Per-process random bits from the OS, so concurrent processes on different hosts differ.
std::uint64_t process_bits() {
  static const std::uint64_t bits = [] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device() ^
           static_cast<std::uint64_t>(getpid());
  }();
  return bits;
}

}  // namespace

std::string new_job_id() {
  static std::atomic<std::uint32_t> counter{0};
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  const std::uint64_t tail =
      ((process_bits() & 0xFFFFFF) << 24) | (counter.fetch_add(1) & 0xFFFFFF);
  char buf[48];
  std::snprintf(buf, sizeof buf, "j%013lld-%012llx", static_cast<long long>(ms),
                static_cast<unsigned long long>(tail));
  return buf;
}

std::string new_executor_id() {
  char host[64] = "host";
  gethostname(host, sizeof host - 1);
  char buf[128];
  std::snprintf(buf, sizeof buf, "%s-%d-%04llx", host, static_cast<int>(getpid()),
                static_cast<unsigned long long>(process_bits() & 0xFFFF));
  return buf;
}

}  // namespace dlaaw::queue
