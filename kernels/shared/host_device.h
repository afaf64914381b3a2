// host_device.h - the DLAAW_HD marker for functions that both the CPU backend and CUDA kernels
// call. C++14 on purpose: Jetson toolkits (CUDA 10.2, 11.4) compile every file that includes this.
#pragma once

#if defined(__CUDACC__)
#define DLAAW_HD __host__ __device__ __forceinline__
#elif defined(__GNUC__)
// Always inlined on the host too, so the CPU backend's per-ISA clones vectorise these functions.
#define DLAAW_HD __attribute__((always_inline)) inline
#else
#define DLAAW_HD inline
#endif
