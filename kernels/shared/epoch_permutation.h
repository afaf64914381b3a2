// epoch_permutation.h - the order in which an epoch visits the training rows, as a pure function.
//
// A counter-based permutation needs no memory and no sort, so the CPU backend and every CUDA
// thread can compute "which row sits at position p in epoch e" on their own and agree exactly.
// It is a 3-round Feistel network over the smallest power of two 2^bits >= rows, keyed by
// (seed, epoch); positions that land outside [0, rows) are fed through again (cycle walking),
// which ends because a permutation of a finite set maps every cycle back to the start.
//
// The halves may differ in size when bits is odd: each round maps (hi: a bits, lo: b bits) to
// (lo, hi ^ F(lo)), i.e. the halves swap places and widths. Every round is a bijection on
// bits-bit values whatever a and b are, so the whole network is one too. The round function is one
// keyed 32-bit multiply (at most 2^32 rows), which keeps it cheap and lets the CPU evaluate 16 rows
// per vector instruction; tests check that the order looks random to SGD.
// C++14 on purpose (see host_device.h).
#pragma once

#include <stdint.h>

#include "kernels/shared/host_device.h"

namespace dlaaw {
namespace kernels {

// Three rounds with a pseudo-random round function already give a pseudo-random permutation
// (Luby and Rackoff); a fourth would cost a quarter more per row for nothing SGD can tell apart.
constexpr int kFeistelRounds = 3;

// The most rows one permutation covers.
constexpr uint64_t kMaxPermutedRows = 1ULL << 32;

struct EpochPermutation {
  uint32_t rows_minus_one;  // rows - 1, so that 2^32 rows fit
  uint32_t bits;            // domain is [0, 2^bits)
  uint32_t keys[3];         // one round key each
};

// A 64-bit finaliser (MurmurHash3's fmix64): derives the round keys.
DLAAW_HD uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  x ^= x >> 33;
  return x;
}

// F(lo) of a round: the top `width` bits (0..16) of a keyed multiplicative hash. One multiply
// keeps the per-row cost low; three keyed rounds mix well enough for visiting rows in random order.
DLAAW_HD uint32_t round_function(uint32_t lo, uint32_t key, uint32_t width) {
  const uint32_t h = (lo ^ key) * 0x9E3779B1U;
  return (h >> 1) >> (31U - width);
}

// The permutation of [0, rows) used in `epoch` of a training seeded with `seed`;
// 1 <= rows <= kMaxPermutedRows.
DLAAW_HD EpochPermutation make_epoch_permutation(uint64_t rows, uint64_t seed, uint64_t epoch) {
  EpochPermutation p;
  p.rows_minus_one = static_cast<uint32_t>(rows - 1);
  p.bits = 1;
  while ((1ULL << p.bits) < rows) ++p.bits;
  uint64_t k = mix64(seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL) ^ mix64(epoch + 1);
  for (int r = 0; r < kFeistelRounds; ++r) {
    k = mix64(k + 0x9E3779B97F4A7C15ULL);
    p.keys[r] = static_cast<uint32_t>(k >> 32);
  }
  return p;
}

// One pass of the network over [0, 2^bits).
DLAAW_HD uint32_t feistel(const EpochPermutation& p, uint32_t x) {
  uint32_t hi_bits = p.bits - p.bits / 2;  // widths alternate every round
  uint32_t lo_bits = p.bits / 2;
  for (int r = 0; r < kFeistelRounds; ++r) {
    const uint32_t hi = x >> lo_bits;
    const uint32_t lo = x & ((1U << lo_bits) - 1U);
    const uint32_t f = round_function(lo, p.keys[r], hi_bits);
    x = (lo << hi_bits) | (hi ^ f);
    const uint32_t t = hi_bits;
    hi_bits = lo_bits;
    lo_bits = t;
  }
  return x;
}

// The row at `position` (0 <= position < rows) of the epoch's order.
DLAAW_HD uint32_t permute_row(const EpochPermutation& p, uint32_t position) {
  uint32_t x = feistel(p, position);
  while (x > p.rows_minus_one) x = feistel(p, x);
  return x;
}

}  // namespace kernels
}  // namespace dlaaw
