# Kiln: `make demo` sets everything up and runs the bundled example;
# `make test` runs everything CI checks: the tests of the optimized build,
# the zoo's partitioned models against one rank (`make zoo-partition`), then
# the sanitized build's (`make sanitize`) and a short fuzzing run
# (`make fuzz`).

BUILD ?= build
comma := ,
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# The sanitized build: clang, ASan + UBSan (LSan on), fuzzer coverage.
SANITIZE_BUILD ?= build-sanitize
CLANG_BIN = /usr/lib/llvm-22/bin
FUZZ_SECONDS ?= 60
CI_FUZZ_SECONDS ?= 20
# The Python of the test tooling: the pip packages (onnx 1.23.2, onnxruntime,
# numpy) that `make deps` installs; the conformance runner's current ONNX node
# suite is made from that onnx.
PYTHON ?= python3
ONNX_VERSION = 1.23.2
CONFORMANCE = $(PYTHON) test/e2e/conformance/run_conformance.py \
  --expected test/e2e/conformance/expected_pass.txt
# allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons the rest of a slab
# when an instrumented inline copy of it allocates (a Kiln attribute's
# storage), and Debian's uninstrumented libMLIR then fills that slab without
# unpoisoning it: a false report, not a Kiln bug. Kiln poisons nothing.
SANITIZER_ENV = ASAN_OPTIONS=detect_leaks=1:exitcode=86:allow_user_poisoning=0 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/test/sanitize/lsan.supp \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86

APT_PACKAGES = cmake ninja-build g++ \
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools \
  libonnx-dev libonnx-testdata protobuf-compiler libprotobuf-dev \
  libopenblas-dev libdnnl-dev openmpi-bin libopenmpi-dev libgtest-dev \
  nlohmann-json3-dev python3-onnx python3-numpy \
  clang-22 libclang-rt-22-dev libfuzzer-22-dev libomp-22-dev \
  pybind11-dev python3-dev

# The model zoo's exporter and reference: pinned PyPI packages in a virtual
# environment of its own (torch pulls in about 3 GB).
ZOO_VENV ?= $(BUILD)/zoo-venv
ZOO_PACKAGES = torch==2.9.1 torchvision==0.24.1 transformers==4.57.1 \
  onnx==1.23.2 onnxruntime==1.23.2 onnxscript==0.5.6 onnx-ir==0.1.12 \
  numpy==2.4.6

.PHONY: all deps build test check test-unit test-lit test-conformance \
  conformance-report onnx-schema-versions demo sanitize-build sanitize fuzz \
  zoo zoo-partition gpu-bundle bench clean

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
	@$(PYTHON) -c "import onnxruntime, onnx.parser, numpy, onnx; \
	  assert onnx.__version__ == '$(ONNX_VERSION)'" 2>/dev/null || \
	  $(PYTHON) -m pip install -q onnxruntime onnx==$(ONNX_VERSION) numpy

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

test: check
	$(MAKE) --no-print-directory zoo-partition
	$(MAKE) --no-print-directory sanitize
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(CI_FUZZ_SECONDS)

# The optimized build's tests alone.
check: build
	$(MAKE) --no-print-directory test-unit test-lit test-conformance

test-unit:
	$(BUILD)/bin/kiln-unit-tests

test-lit:
	/usr/lib/llvm-22/bin/lit -sv $(BUILD)/test

# The report goes to the build tree: `make test` leaves tracked files alone.
test-conformance:
	$(CONFORMANCE) --build $(BUILD) --jobs $(JOBS) \
	  --report $(BUILD)/conformance.md

# Regenerates docs/conformance.md on purpose (static, forced-dynamic and a
# sample optimized), and adds the tests that now pass to the expected list.
conformance-report: build
	$(CONFORMANCE) --build $(BUILD) --jobs $(JOBS) --dynamic --opt-sample 10 \
	  --update-expected --report docs/conformance.md

# Regenerates frontends/onnx/OnnxSchemaVersions.inc (needs onnx $(ONNX_VERSION)).
onnx-schema-versions:
	$(PYTHON) frontends/onnx/gen_schema_versions.py

demo: build
	@bash examples/demo.sh $(BUILD)

# Exports the zoo (bench/zoo) with the pinned torch, compiles each model once
# and checks it against onnxruntime at two sizes; regenerates docs/models.md.
$(ZOO_VENV)/.installed:
	$(PYTHON) -m venv $(ZOO_VENV)
	$(ZOO_VENV)/bin/pip install -q $(ZOO_PACKAGES)
	touch $@

zoo: build $(ZOO_VENV)/.installed
	$(ZOO_VENV)/bin/python bench/zoo/export_zoo.py --out $(BUILD)/zoo
	$(ZOO_VENV)/bin/python bench/zoo/check_zoo.py --build $(BUILD) \
	  --zoo $(BUILD)/zoo --cuda --report docs/models.md

# The zoo's GPT-2 and BERT on dp, tp, pp (micro-batches), dp+tp and tp+pp
# meshes, ResNet-50 on dp and pp, each run as ranks under mpirun and
# compared with one rank; part of `make test`. ZOO_PARTITION_MODELS=all
# adds the LLaMA-style decoder, ViT and MobileNetV3 (after `make zoo`).
ZOO_PARTITION_MODELS ?= gpt2-small,bert-base,resnet50
zoo-partition: build $(ZOO_VENV)/.installed
	$(ZOO_VENV)/bin/python bench/zoo/export_zoo.py --out $(BUILD)/zoo \
	  $(if $(filter all,$(ZOO_PARTITION_MODELS)),,$(foreach m,$(subst $(comma), ,$(ZOO_PARTITION_MODELS)),--only $(m)))
	PATH=$(CURDIR)/$(BUILD)/bin:$$PATH $(PYTHON) test/models/run_meshes.py \
	  --zoo $(BUILD)/zoo --out $(BUILD)/zoo-partition --clean \
	  --zoo-models $(if $(filter all,$(ZOO_PARTITION_MODELS)),gpt2-small$(comma)bert-base$(comma)resnet50$(comma)llama-small$(comma)vit-b16$(comma)mobilenetv3,$(ZOO_PARTITION_MODELS)) \
	  --mpirun "mpirun --allow-run-as-root --oversubscribe -np"

# Packs what a bare GPU machine needs to run Kiln's GPU checks (kiln-run,
# the runtime and the libraries it needs, the CUDA kernel tests, CUDA builds
# of the test models with CPU reference outputs, run_gpu_checks.sh) into
# $(BUILD)/gpu-bundle/ and $(BUILD)/gpu-bundle.tar.gz, then checks it as far
# as a machine without a GPU can (docs/gpu.md). The zoo's MobileNetV3 comes
# along when `make zoo` has exported it; `ZOO=` leaves it out.
ZOO ?= $(BUILD)/zoo
gpu-bundle: build
	bash tools/gpu-bundle/make_bundle.sh $(BUILD) "$(ZOO)"

# CPU latency of the zoo, Kiln against onnxruntime at 1 and 2 threads
# (after `make zoo`); the table goes to bench/results/cpu.md.
bench: build $(ZOO_VENV)/.installed
	$(ZOO_VENV)/bin/python bench/zoo/bench_zoo.py --build $(BUILD) \
	  --zoo $(BUILD)/zoo --report bench/results/cpu.md

# NDEBUG as in Debian's LLVM: statistics and asserts change the layout of
# LLVM's classes.
$(SANITIZE_BUILD)/build.ninja:
	CC=$(CLANG_BIN)/clang CXX=$(CLANG_BIN)/clang++ cmake -S . -B $(SANITIZE_BUILD) \
	  -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
	  -DKILN_FUZZ=ON -DKILN_ENABLE_CUDA=OFF -DKILN_PYTHON=OFF $(CMAKE_FLAGS)

sanitize-build: deps $(SANITIZE_BUILD)/build.ninja
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)

# Unit tests, lit tests and the conformance suite, all under ASan and UBSan
# with leak checking; generated models are built sanitized too.
sanitize: sanitize-build
	$(SANITIZER_ENV) $(SANITIZE_BUILD)/bin/kiln-unit-tests
	$(SANITIZER_ENV) /usr/lib/llvm-22/bin/lit -sv $(SANITIZE_BUILD)/test
	$(SANITIZER_ENV) $(CONFORMANCE) --build $(SANITIZE_BUILD) --jobs $(JOBS)

# Each fuzzer for FUZZ_SECONDS, its corpus kept in SANITIZE_BUILD/fuzz.
fuzz: sanitize-build
	bash test/fuzz/run_fuzzers.sh $(SANITIZE_BUILD) $(FUZZ_SECONDS) $(JOBS)

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD)
