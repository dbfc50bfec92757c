# Lit configuration of Kiln's regression tests.
import os
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

# GPU-only tests carry `REQUIRES: cuda`; tests that only need nvcc to build
# CUDA source carry `REQUIRES: nvcc`.
if config.kiln_have_cuda:
    config.available_features.add("nvcc")
if shutil.which("nvidia-smi") and os.system("nvidia-smi -L >/dev/null 2>&1") == 0:
    config.available_features.add("cuda")
