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

.PHONY: all deps configure build test demo clean

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
