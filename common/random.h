// random.h - SplitMix64, the one seeded generator dlaaw uses on the host.
//
// Results must not change with the standard library, so dlaaw never uses std::*_distribution.
// SplitMix64 (Steele, Lea and Flood, 2014) is fixed here bit for bit: state += 0x9E3779B97F4A7C15,
// then two xor-shift-multiply rounds. Bounded integers use the high half of a 128-bit product
// (Lemire), uniform reals take the top 53 bits.
#pragma once

#include <cmath>
#include <cstdint>

namespace dlaaw {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  // The next 64 random bits.
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // A uniform integer in [0, bound); bound must be positive.
  std::uint64_t below(std::uint64_t bound) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * bound) >> 64);
  }

  // A uniform double in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // A standard normal variate (Box-Muller, one value per call so that no state hides in a cache).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  std::uint64_t state_;
};

// Derives an independent stream's seed from a base seed and a purpose tag (e.g. "split", "init").
inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t tag) {
  SplitMix64 mix(seed ^ (tag * 0xD1B54A32D192ED03ULL));
  return mix.next();
}

}  // namespace dlaaw
