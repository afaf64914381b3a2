// epoch_permutation.h - the order in which an epoch visits the training rows, as a pure function.
//
// A counter-based permutation needs no memory and no sort, so the CPU backend and every CUDA
// thread can compute "which row sits at position p in epoch e" on their own and agree exactly.
// It is a 4-round Feistel network over the smallest power of two 2^bits >= rows, keyed by
// (seed, epoch); positions that land outside [0, rows) are fed through again (cycle walking),
// which ends because a permutation of a finite set maps every cycle back to the start.
//
// The halves may differ in size when bits is odd: each round maps (hi: a bits, lo: b bits) to
// (lo, hi ^ F(lo)), i.e. the halves swap places and widths. Every round is a bijection on
// bits-bit values whatever a and b are, so the whole network is one too.
// C++14 on purpose (see host_device.h).
#pragma once

#include <stdint.h>

#include "kernels/shared/host_device.h"

namespace dlaaw {
namespace kernels {

struct EpochPermutation {
  uint64_t rows;
  uint32_t bits;     // domain is [0, 2^bits)
  uint64_t keys[4];  // one round key each
};

// A 64-bit finaliser (the MurmurHash3 fmix64 constants): the round function and key schedule.
DLAAW_HD uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  x ^= x >> 33;
  return x;
}

// The permutation of [0, rows) used in `epoch` of a training seeded with `seed`.
DLAAW_HD EpochPermutation make_epoch_permutation(uint64_t rows, uint64_t seed, uint64_t epoch) {
  EpochPermutation p;
  p.rows = rows;
  p.bits = 1;
  while ((1ULL << p.bits) < rows) ++p.bits;
  uint64_t k = mix64(seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL) ^ mix64(epoch + 1);
  for (int r = 0; r < 4; ++r) {
    k = mix64(k + 0x9E3779B97F4A7C15ULL);
    p.keys[r] = k;
  }
  return p;
}

// The row at `position` (0 <= position < p.rows) of the epoch's order.
DLAAW_HD uint64_t permute_row(const EpochPermutation& p, uint64_t position) {
  const uint32_t total = p.bits;
  uint64_t x = position;
  do {
    uint32_t hi_bits = total - total / 2;  // widths alternate every round
    uint32_t lo_bits = total / 2;
    for (int r = 0; r < 4; ++r) {
      const uint64_t lo_mask = (1ULL << lo_bits) - 1;
      const uint64_t hi_mask = (1ULL << hi_bits) - 1;
      const uint64_t hi = x >> lo_bits;
      const uint64_t lo = x & lo_mask;
      const uint64_t f = mix64(lo ^ p.keys[r]) & hi_mask;
      x = (lo << hi_bits) | (hi ^ f);
      const uint32_t t = hi_bits;
      hi_bits = lo_bits;
      lo_bits = t;
    }
  } while (x >= p.rows);
  return x;
}

}  // namespace kernels
}  // namespace dlaaw
