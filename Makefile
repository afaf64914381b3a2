# dlaaw - `make demo` builds and runs the main job; `make test` builds and runs every test.
BUILD ?= build
CUDA ?= AUTO
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# CI builds with warnings as errors (CI is set by CI services and by .ci/run's environment).
WERROR ?= $(if $(CI),ON,OFF)

# Tests and the demo read the paper's datasets from ../shared/datasets when it is there.
ifeq ($(origin DLAAW_DATA_DIR), undefined)
  ifneq ($(wildcard ../shared/datasets/MANIFEST.md),)
    export DLAAW_DATA_DIR := $(abspath ../shared/datasets)
  endif
endif

.PHONY: all deps configure build test demo clean test-aarch64 test-asan test-tsan fuzz

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DDLAAW_CUDA=$(CUDA) -DDLAAW_WERROR=$(WERROR) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	./$(BUILD)/cli/dlaaw demo --workdir dlaaw-demo

clean:
	rm -rf $(BUILD)

# ARM (the Jetsons' CPUs): a cross build in its own folder, its tests under qemu-user, the slow
# ones left out. Not part of `make test`: it takes far longer (see docs/jetson.md).
AARCH64_BUILD ?= build-aarch64
# qemu trains 13-32x slower than the host here (CpuBackendTest); fixed deadlines in tests stretch
# by this much.
AARCH64_TIME_SCALE ?= 20
# Left out besides `slow` under qemu and TSan: two executor tests whose job is sized to still be
# training when it is killed: ~24 CPU-seconds on the host, 5-13 CPU-minutes under qemu or TSan,
# past ctest's 300 s.
LONG_JOB_TESTS := ExecutorTest\.(AJobOfAKilledExecutorFinishesOnAnotherExactlyOnce|SigtermMidJobHandsTheJobBackAndExitsZero)

test-aarch64:
	@bash scripts/install-aarch64-deps.sh
	@cmake -S . -B $(AARCH64_BUILD) -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/aarch64-linux-gnu.cmake \
	  -DDLAAW_CUDA=OFF >/dev/null
	@cmake --build $(AARCH64_BUILD) -j $(JOBS)
	cd $(AARCH64_BUILD) && DLAAW_TEST_TIME_SCALE=$(AARCH64_TIME_SCALE) \
	  ctest --output-on-failure -j $(JOBS) --label-exclude slow --exclude-regex '$(LONG_JOB_TESTS)'

# Sanitizers: each in its own build folder (CUDA off), not part of `make test`: they take far
# longer (see tests/README.md). Deadlines in the tests stretch by SANITIZER_TIME_SCALE; the
# slow label (real data, 1000 epochs, chaos, the demo) stays out.
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
SANITIZER_TIME_SCALE ?= 5
LAUNCHER := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# A sanitizer report aborts the process (a child `dlaaw` too: no exit code a test expects).
SANITIZER_ENV := DLAAW_TEST_TIME_SCALE=$(SANITIZER_TIME_SCALE) \
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1 \
  TSAN_OPTIONS=halt_on_error=1:abort_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/tsan.supp

# ASan + UBSan (-fno-sanitize-recover): the whole suite.
test-asan:
	@bash scripts/install-deps.sh
	@cmake -C cmake/sanitize-address.cmake -S . -B $(ASAN_BUILD) $(LAUNCHER) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) --label-exclude slow

# TSan: the threaded parts (queue, executor, tracker, report, CPU backend) and what they run.
TSAN_TESTS := kernels_test queue_codec_test queue_test executor_test executor_e2e_test \
  tracker_test tracker_cli_test reports_test
test-tsan:
	@bash scripts/install-deps.sh
	@cmake -C cmake/sanitize-thread.cmake -S . -B $(TSAN_BUILD) $(LAUNCHER) >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS) --target $(TSAN_TESTS)
	cd $(TSAN_BUILD) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) --label-exclude slow \
	  --exclude-regex '$(LONG_JOB_TESTS)' --label-regex '^($(subst $(eval) ,|,$(strip $(TSAN_TESTS))))$$'

# libFuzzer (clang-14): every target of fuzz/ for FUZZ_SECONDS each (see scripts/fuzz.sh).
FUZZ_SECONDS ?= 60
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) bash scripts/fuzz.sh
