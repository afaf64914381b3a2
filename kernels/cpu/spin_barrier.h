// spin_barrier.h - a reusable barrier for a few threads that meet thousands of times a second.
//
// A training step lasts microseconds, so a futex-only barrier (std::barrier) would cost as much as
// the step. Threads spin briefly, then sleep on the generation counter (C++20 atomic wait), so an
// oversubscribed machine does not burn its cores.
#pragma once

#include <atomic>
#include <cstdint>

namespace dlaaw::kernels::cpu {

class SpinBarrier {
 public:
  explicit SpinBarrier(int participants) : participants_(participants) {}

  // Blocks until all participants have called it; safe to call again right away.
  void arrive_and_wait() {
    const std::uint32_t generation = generation_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == participants_) {
      arrived_.store(0, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_acq_rel);
      generation_.notify_all();
      return;
    }
    for (int spin = 0; spin < kSpins; ++spin) {
      if (generation_.load(std::memory_order_acquire) != generation) return;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#elif defined(__aarch64__)
      asm volatile("yield");
#endif
    }
    while (generation_.load(std::memory_order_acquire) == generation) {
      generation_.wait(generation, std::memory_order_acquire);
    }
  }

 private:
  static constexpr int kSpins = 4000;
  const int participants_;
  std::atomic<int> arrived_{0};
  std::atomic<std::uint32_t> generation_{0};
};

}  // namespace dlaaw::kernels::cpu
