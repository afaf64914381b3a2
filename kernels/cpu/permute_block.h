// permute_block.h - the epoch order for a whole block of positions at once, in SIMD form.
#pragma once

#include <cstdint>

#include "kernels/cpu/block_pass.h"
#include "kernels/shared/epoch_permutation.h"

namespace dlaaw::kernels::cpu {

// rows[r] = permute_row(order, first + r) for the kLanes positions from `first`. Positions past
// the last row are clamped to it (callers ignore those lanes). Every lane takes the same Feistel
// steps, and lanes still outside [0, rows) take another, until none is: this computes exactly
// what permute_row does, but as straight-line loops over lanes that the compiler vectorises.
DLAAW_ALWAYS_INLINE void permute_block(const EpochPermutation& order, std::uint32_t first,
                                       std::uint32_t* rows) {
  std::uint32_t x[kLanes];
  const std::uint32_t last = order.rows_minus_one;
  for (int r = 0; r < kLanes; ++r) {
    const std::uint32_t position = first + static_cast<std::uint32_t>(r);
    x[r] = feistel(order, position <= last && position >= first ? position : last);
  }
  while (true) {
    std::uint32_t outside = 0;
    for (int r = 0; r < kLanes; ++r) outside |= x[r] > last ? 1U : 0U;
    if (!outside) break;
    for (int r = 0; r < kLanes; ++r) x[r] = x[r] > last ? feistel(order, x[r]) : x[r];
  }
  for (int r = 0; r < kLanes; ++r) rows[r] = x[r];
}

}  // namespace dlaaw::kernels::cpu
