#!/usr/bin/env bash
# gpu_check.sh - the whole GPU check, for a lent GPU machine: build with CUDA, run the gpu tests,
# compute-sanitizer memcheck on one paper network, and the GPU benchmark. Logs go under $OUT.
#
# Before the device run, on the development machine:
#   ../shared/tools/pack-gpu-deps.sh --full       # Debian headers/libs into .gpu-deps/
#   cp -r ../shared/datasets gpu-data             # the datasets travel in an ignored folder
# and carry .gpu-deps and gpu-data with the run.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/dlaaw-gpu-check}
mkdir -p "$OUT"
deps=$PWD/.gpu-deps
export PATH=$deps/usr/bin:$PATH
export LD_LIBRARY_PATH=$deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
export DLAAW_DATA_DIR=${DLAAW_DATA_DIR:-$PWD/gpu-data}
arch=${CUDA_ARCH:-90}
step() { echo "== $1 ($(date +%T))" | tee -a "$OUT/summary.txt"; }

step "device"
nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1 || true
head -15 "$OUT/nvidia-smi.txt"

step "build (CUDA on, sm_$arch)"
cmake -S . -B build-gpu -DDLAAW_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="$arch" \
  -DCMAKE_PREFIX_PATH="$deps/usr" -DCMAKE_BUILD_TYPE=Release > "$OUT/configure.log" 2>&1 &&
  cmake --build build-gpu -j "$(nproc)" > "$OUT/build.log" 2>&1
rc=$?; echo "build rc=$rc" | tee -a "$OUT/summary.txt"
[ $rc -eq 0 ] || { tail -40 "$OUT/build.log"; exit 1; }
build-gpu/cli/dlaaw devices | tee "$OUT/devices.txt"

step "gpu tests"
(cd build-gpu && ctest -L gpu --output-on-failure -V) > "$OUT/gpu-tests.log" 2>&1
echo "gpu tests rc=$?" | tee -a "$OUT/summary.txt"
grep -E "accuracy cpu|tests passed|Failed|FAILED" "$OUT/gpu-tests.log" | tee -a "$OUT/summary.txt"

step "compute-sanitizer memcheck (nn1)"
sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda*/bin/compute-sanitizer 2>/dev/null | head -1)
if [ -n "$sanitizer" ]; then
  "$sanitizer" --tool memcheck --error-exitcode 9 build-gpu/cli/dlaaw run \
    examples/paper/nn1.json --backend cuda > "$OUT/memcheck.log" 2>&1
  echo "memcheck rc=$?" | tee -a "$OUT/summary.txt"
  tail -3 "$OUT/memcheck.log" | tee -a "$OUT/summary.txt"
else
  echo "compute-sanitizer not found" | tee -a "$OUT/summary.txt"
fi

step "gpu benchmark"
python3 bench/gpu_bench.py --binary build-gpu/cli/dlaaw --data-dir "$DLAAW_DATA_DIR" 2>&1 |
  tee "$OUT/gpu-bench.txt"

step "cpu tests on the GPU machine"
(cd build-gpu && ctest -j 8 -LE gpu) > "$OUT/other-tests.log" 2>&1
echo "other tests rc=$?" | tee -a "$OUT/summary.txt"
tail -3 "$OUT/other-tests.log" | tee -a "$OUT/summary.txt"
