# Lit configuration of Kiln's regression tests.
import os
import platform
import shutil

import lit.formats

config.name = "Kiln"
config.test_format = lit.formats.ShTest(not lit_config.isWindows)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "Inputs", "unit", "e2e",
                   "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kiln_obj_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.kiln_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%kiln_src", config.kiln_src_root))
config.substitutions.append(("%python", "/usr/bin/python3"))
# The sanitized build compiles generated code at -O1 with ASan and UBSan,
# where performance checks (vectorized loops) do not apply.
if config.kiln_sanitize:
    config.available_features.add("sanitize")
# Disassembly checks of the generated code name x86-64 registers.
if platform.machine() == "x86_64":
    config.available_features.add("x86_64")

# The reference for end-to-end model tests is onnxruntime, from PyPI
# (`make deps` installs it); tests that need it carry `REQUIRES: onnxruntime`.
def python_with_onnxruntime():
    import subprocess
    for candidate in [shutil.which("python3"), "/usr/bin/python3"]:
        if not candidate:
            continue
        probe = subprocess.run(
            [candidate, "-c", "import sys, onnxruntime, onnx.parser; print(sys.executable)"],
            capture_output=True, text=True)
        if probe.returncode == 0:
            return probe.stdout.strip()
    return None

ort_python = python_with_onnxruntime()
if ort_python:
    config.available_features.add("onnxruntime")
    config.substitutions.append(("%ort_python", ort_python))

# The Python module (python/), built unless KILN_PYTHON is off; tests of it
# carry `REQUIRES: python-module`.
if config.kiln_have_python:
    config.available_features.add("python-module")
    config.substitutions.append(
        ("%kiln_python", os.path.join(config.kiln_obj_root, "python")))
config.substitutions.append(
    ("%kiln_lib", os.path.join(config.kiln_obj_root, "lib")))
# The C compiler of the build, with its sanitizer flags, for programs on the
# C API.
config.substitutions.append(("%cc", config.kiln_test_cc))

# GPU-only tests carry `REQUIRES: cuda`; tests that only need nvcc to build
# CUDA source carry `REQUIRES: nvcc`.
if config.kiln_have_cuda:
    config.available_features.add("nvcc")
if shutil.which("nvidia-smi") and os.system("nvidia-smi -L >/dev/null 2>&1") == 0:
    config.available_features.add("cuda")

# Partitioned runs: `%mpirun N command` starts N ranks (Open MPI; as root,
# and with more ranks than cores). Tests that need it carry `REQUIRES: mpi`.
# Open MPI's own allocations (in plugins it unloads at finalize) are not
# LeakSanitizer-clean, so ranks under mpirun run without leak checking;
# everything else keeps it.
if shutil.which("mpirun"):
    config.available_features.add("mpi")
    asan = os.environ.get("ASAN_OPTIONS", "")
    no_leaks = ":".join(o for o in asan.split(":")
                        if o and not o.startswith("detect_leaks"))
    no_leaks = (no_leaks + ":" if no_leaks else "") + "detect_leaks=0"
    config.substitutions.append(
        ("%mpirun", "env ASAN_OPTIONS=%s mpirun --allow-run-as-root "
                    "--oversubscribe -np" % no_leaks))
