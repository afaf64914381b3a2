#!/usr/bin/env bash
# gpu_check.sh - the whole GPU check for a lent GPU machine, in one call of at most 10 minutes.
#
#   bench/gpu_check.sh [build] [tests] [sanitize] [bench] [devices]    (default: all, in order)
#
# Steps, most important first, so that the first call gives a verdict even if a later step fails
# or runs out of time; each runs under `timeout` with a cap (seconds) and never past a deadline
# of GPU_CHECK_DEADLINE (default 540) seconds after the start:
#   build    (cap 240) configure for sm_${CUDA_ARCH:-90} and build libdlaaw_gpu.so, cuda_test,
#            gpu_probe and gpu_train_bench only (no CPU test binaries, no services)
#   tests    (cap 150) ctest -L gpu --timeout 120: every Cuda*Test; writes the VERDICT line
#   sanitize (cap 120) compute-sanitizer memcheck, racecheck, synccheck on a 5-epoch gpu_probe run
#            of each kernel (cooperative with 5 blocks per model, block with 5 chunks a step) in each memory mode
#            (device, zero_copy, managed): 18 runs, 40 s each at most
#   bench    (cap 300) bench/gpu_bench.py: dlaaw's kernels against the GPU peers
#   devices  (cap  90) builds the dlaaw binary and prints `dlaaw devices`
# The CPU tests do not run here (CI runs them). Logs and summary.txt go to $OUT; the benchmark's
# JSON goes to bench/results/ and is copied to $OUT.
#
# Before the device run, on the development machine (the GPU machine has no Debian packages and
# no internet, but nvcc, CMake, PyTorch and JAX):
#   ../shared/tools/pack-gpu-deps.sh --full       # Debian headers/libs into .gpu-deps/
#   cp -r ../shared/datasets gpu-data             # the datasets travel in an ignored folder
# and name .gpu-deps and gpu-data in the run's `carry`.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/dlaaw-gpu-check}
mkdir -p "$OUT"
summary=$OUT/summary.txt
start=$(date +%s)
deadline=$((start + ${GPU_CHECK_DEADLINE:-540}))
arch=${CUDA_ARCH:-90}
build=${GPU_CHECK_BUILD:-build-gpu}
deps=$PWD/.gpu-deps
# Appended, not prepended: the image's own tools (python3 with PyTorch and JAX, cmake) come first,
# and no LD_LIBRARY_PATH: the binaries find .gpu-deps' libraries through their RPATH, and Debian's
# libssl or zlib must not replace the image's under PyTorch.
export PATH=$PATH:/usr/local/cuda/bin:$deps/usr/bin
export DLAAW_DATA_DIR=${DLAAW_DATA_DIR:-$PWD/gpu-data}
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(build tests sanitize bench devices)

export build arch deps
note() { echo "$*" | tee -a "$summary"; }
# Seconds a step may take: its cap, or what is left before the deadline (at least 1).
allowance() {
  local left=$((deadline - $(date +%s)))
  [ "$left" -lt "$1" ] && echo $((left > 1 ? left : 1)) || echo "$1"
}
wants() { [[ " ${steps[*]} " == *" $1 "* ]]; }
# run_step NAME CAP COMMAND...: runs the command (a program, or an exported shell function) under
# timeout with the step's allowance, logs to $OUT/NAME.log, notes one line; returns its status.
run_step() {
  local name=$1 cap=$2
  shift 2
  local limit t0 rc status=ok
  limit=$(allowance "$cap")
  t0=$(date +%s)
  if [ "$(type -t "$1")" = function ]; then
    timeout --kill-after=10 "$limit" bash -c "$*" > "$OUT/$name.log" 2>&1
  else
    timeout --kill-after=10 "$limit" "$@" > "$OUT/$name.log" 2>&1
  fi
  rc=$?
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    status="TIMEOUT after ${limit}s"
  elif [ $rc -ne 0 ]; then
    status="FAILED rc=$rc"
  fi
  note "$(printf '%-32s %-22s %4ss' "$name" "$status" $(($(date +%s) - t0)))"
  return $rc
}

note "== gpu_check $(date -u +%FT%TZ), deadline $((deadline - start)) s, steps: ${steps[*]}"
note "dlaaw $(git describe --always --dirty 2>/dev/null); $(cmake --version | head -1);" \
  "$(nvcc --version | tail -1); $(python3 --version 2>&1)"
nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1 && head -12 "$OUT/nvidia-smi.txt"
[ -d "$DLAAW_DATA_DIR" ] || note "warning: no datasets at $DLAAW_DATA_DIR (Table I test will skip)"
[ -d "$deps" ] || note "warning: no .gpu-deps (carry it; see the header of this script)"

configure_and_build() {
  cmake -S . -B "$build" -DDLAAW_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="$arch" \
    -DCMAKE_PREFIX_PATH="$deps/usr" -DCMAKE_BUILD_TYPE=Release &&
    cmake --build "$build" -j "$(nproc)" --target dlaaw_gpu cuda_test gpu_probe gpu_train_bench
}
gpu_tests() {
  local require=0
  [ -d "$DLAAW_DATA_DIR" ] && require=1
  cd "$build" && DLAAW_REQUIRE_DATA=$require ctest -L gpu --timeout 120 -j 4 --output-on-failure -V
}
build_and_list_devices() {
  cmake --build "$build" -j "$(nproc)" --target dlaaw && "$build/cli/dlaaw" devices
}
export -f configure_and_build gpu_tests build_and_list_devices

if wants build; then
  if ! run_step build 240 configure_and_build; then
    tail -30 "$OUT/build.log"
    note "VERDICT: BUILD FAILED (see build.log)"
    exit 1
  fi
fi

if wants tests; then
  run_step gpu-tests 150 gpu_tests
  rc=$?
  grep -E "accuracy cpu|tests passed|tests failed|\((Failed|Timeout|SEGFAULT)\)" \
    "$OUT/gpu-tests.log" | tee -a "$summary"
  if ! grep -qE "\[ +OK \] .*Cuda" "$OUT/gpu-tests.log"; then
    note "VERDICT: NO GPU TEST RAN (all skipped: no device, or no libdlaaw_gpu.so?)"
  elif [ $rc -eq 0 ]; then
    note "VERDICT: GPU TESTS PASSED"
  else
    note "VERDICT: GPU TESTS FAILED rc=$rc (see gpu-tests.log)"
  fi
fi

if wants sanitize; then
  sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda*/bin/compute-sanitizer \
    /usr/local/cuda*/compute-sanitizer/compute-sanitizer 2>/dev/null | head -1)
  sanitize_end=$(($(date +%s) + 120))
  reserve=0
  wants bench && reserve=120  # keep the benchmark its time
  if [ -z "$sanitizer" ]; then
    note "sanitize: SKIPPED, compute-sanitizer not found"
  else
    # 2 models x 1100 rows in 1 batch: the cooperative kernel takes 5 blocks per model, so its
    # grid barrier and partial sums are checked, the block kernel reuses its records 5 times a
    # step, and racecheck stays within its time.
    # Every tool on device memory first (both kernels), then the other memory paths.
    for memory in device zero_copy managed; do
      for tool in memcheck racecheck synccheck; do
        for kernel in cooperative block; do
          now=$(date +%s)
          if [ $((now + 40)) -gt $sanitize_end ] || [ $((now + 40 + reserve)) -gt $deadline ]; then
            note "$tool-$kernel-$memory: skipped (out of time)"
            continue
          fi
          run_step "$tool-$kernel-$memory" 40 "$sanitizer" --tool "$tool" --error-exitcode 9 \
            "$build/tests/gpu_probe" "$kernel" "$memory" 5 1100 2 1
          grep -E "ERROR SUMMARY|RACECHECK SUMMARY|kernel .*memory" "$OUT/$tool-$kernel-$memory.log" |
            head -2 | sed 's/^/    /' >> "$summary"
          # Under gVisor compute-sanitizer refuses the device (seen 2026-11-04): stop trying.
          if grep -q "Device not supported" "$OUT/$tool-$kernel-$memory.log"; then
            note "sanitize: compute-sanitizer does not support this machine's device; the rest skipped"
            break 3
          fi
        done
      done
    done
  fi
fi

if wants bench; then
  python=$(command -v python3 || command -v python)
  run_step bench 300 "$python" bench/gpu_bench.py --bench-binary "$build/bench/gpu_train_bench" \
    --data-dir "$DLAAW_DATA_DIR" --budget "$(($(allowance 300) - 10))"
  sed -n '/^case /,$p' "$OUT/bench.log" | tee -a "$summary"
  newest=$(ls -t bench/results/gpu-*.json 2>/dev/null | head -1)
  [ -n "$newest" ] && cp "$newest" "$OUT/"
fi

if wants devices; then
  run_step devices 90 build_and_list_devices && tail -5 "$OUT/devices.log" | tee -a "$summary"
fi

note "== done in $(($(date +%s) - start)) s"
