# Kiln: `make demo` sets everything up and runs the bundled example;
# `make test` runs everything CI checks.

BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

APT_PACKAGES = cmake ninja-build g++ \
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools \
  libonnx-dev libonnx-testdata protobuf-compiler libprotobuf-dev \
  libopenblas-dev openmpi-bin libopenmpi-dev libgtest-dev \
  nlohmann-json3-dev python3-onnx python3-numpy

.PHONY: all deps build test test-lit test-unit test-conformance demo clean

all: build

# Installs only what is missing, so a second run does nothing.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	else echo "deps: Debian packages installed"; fi
	@python3 -c "import onnxruntime, onnx.parser, numpy" 2>/dev/null || \
	  python3 -m pip install -q onnxruntime onnx numpy

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

test: build
	$(MAKE) --no-print-directory test-unit test-lit test-conformance

test-unit:
	$(BUILD)/bin/kiln-unit-tests

test-lit:
	/usr/lib/llvm-22/bin/lit -sv $(BUILD)/test

test-conformance:
	/usr/bin/python3 test/e2e/conformance/run_conformance.py \
	  --build $(BUILD) --jobs $(JOBS) --report docs/conformance.md \
	  --expected test/e2e/conformance/expected_pass.txt

demo: build
	@bash examples/demo.sh $(BUILD)

clean:
	rm -rf $(BUILD)
