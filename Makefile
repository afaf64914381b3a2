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

.PHONY: all deps configure build test demo clean test-aarch64

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
# Left out besides `slow`: two executor tests whose job is sized to still be training when it is
# killed: ~24 CPU-seconds on the host, 5-13 CPU-minutes under qemu, each.
AARCH64_SKIP := ExecutorTest\.(AJobOfAKilledExecutorFinishesOnAnotherExactlyOnce|SigtermMidJobHandsTheJobBackAndExitsZero)

test-aarch64:
	@bash scripts/install-aarch64-deps.sh
	@cmake -S . -B $(AARCH64_BUILD) -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/aarch64-linux-gnu.cmake \
	  -DDLAAW_CUDA=OFF >/dev/null
	@cmake --build $(AARCH64_BUILD) -j $(JOBS)
	cd $(AARCH64_BUILD) && DLAAW_TEST_TIME_SCALE=$(AARCH64_TIME_SCALE) \
	  ctest --output-on-failure -j $(JOBS) --label-exclude slow --exclude-regex '$(AARCH64_SKIP)'
