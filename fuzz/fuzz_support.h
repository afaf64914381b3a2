// fuzz_support.h - what the fuzz targets share: the input as text, and a check that aborts.
//
// A target calls only the project's entry points; any exception other than the InvalidInput they
// document, any sanitizer report and any failed FUZZ_CHECK is a finding (libFuzzer keeps the
// input; the replay tests run the kept ones in the normal suite).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <typeinfo>

// Aborts with the condition's text when `condition` is false: a property the code promises.
#define FUZZ_CHECK(condition)                                                                 \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (false)

namespace dlaaw::fuzz {

inline std::string as_text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

[[noreturn]] inline void unexpected(const std::exception& e) {
  std::fprintf(stderr, "fuzz: unexpected exception %s: %s\n", typeid(e).name(), e.what());
  std::abort();
}

// Runs `body`: true when it returns, false when it throws `Refusal` (the documented answer to bad
// input). Any other exception is a finding: it is printed and the process aborts.
template <class Refusal, class Body>
bool accepted(Body body) {
  try {
    body();
    return true;
  } catch (const Refusal&) {
    return false;
  } catch (const std::exception& e) {
    unexpected(e);
  }
}

// Runs `body`, which must not throw at all (a property of input already accepted once).
template <class Body>
void must_hold(Body body) {
  try {
    body();
  } catch (const std::exception& e) {
    unexpected(e);
  }
}

}  // namespace dlaaw::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
