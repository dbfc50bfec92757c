//===- kiln-compare.cpp - Compares a run's outputs with reference outputs -===//
//
//   kiln-compare REF_DIR OUT_DIR [--atol A] [--rtol R]
//
// For every REF_DIR/NAME.npy, reads OUT_DIR/NAME.npy and checks, element by
// element, |out - ref| <= atol + rtol * |ref| (defaults 1e-4 and 1e-3). A NaN
// or an infinity passes only where the reference holds the same value.
// Prints one line per output:
//
//   y: shape 2x10 float32, max abs 1.2e-06, max rel 3.4e-07, worst 0.012: ok
//
// where max rel is max|out - ref| / max|ref| and worst is the largest
// |out - ref| / (atol + rtol * |ref|) (at most 1 passes); then `match`, or
// `MISMATCH` and exit status 1. Exit status 2: unreadable files or bad usage.
//
// The GPU bundle (tools/gpu-bundle) runs it on the GPU machine, where no
// Python or numpy can be assumed.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Tensor.h"
#include "runtime/Npy.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace {

[[noreturn]] void usage(const char *message) {
  fprintf(stderr, "kiln-compare: %s\n", message);
  fprintf(stderr,
          "usage: kiln-compare REF_DIR OUT_DIR [--atol A] [--rtol R]\n");
  exit(2);
}

/// The elements of `array` as doubles; false for a dtype it cannot read.
bool toDoubles(const kiln::NpyArray &array, std::vector<double> &values) {
  const int64_t n = array.numElements();
  values.resize(static_cast<size_t>(n));
  const uint8_t *p = array.data.data();
  auto read = [&](auto tag) {
    using T = decltype(tag);
    for (int64_t i = 0; i < n; ++i) {
      T v;
      memcpy(&v, p + i * sizeof(T), sizeof(T));
      values[static_cast<size_t>(i)] = static_cast<double>(v);
    }
  };
  switch (array.dtype) {
  case kiln::DType::Float:
    read(float());
    return true;
  case kiln::DType::Double:
    read(double());
    return true;
  case kiln::DType::Int64:
    read(int64_t());
    return true;
  case kiln::DType::Int32:
    read(int32_t());
    return true;
  case kiln::DType::Int16:
    read(int16_t());
    return true;
  case kiln::DType::Int8:
    read(int8_t());
    return true;
  case kiln::DType::UInt8:
  case kiln::DType::Bool:
    read(uint8_t());
    return true;
  case kiln::DType::UInt16:
    read(uint16_t());
    return true;
  case kiln::DType::UInt32:
    read(uint32_t());
    return true;
  case kiln::DType::UInt64:
    read(uint64_t());
    return true;
  default:
    return false;
  }
}

std::string shapeText(const std::vector<int64_t> &shape) {
  if (shape.empty())
    return "scalar";
  std::string text;
  for (size_t d = 0; d < shape.size(); ++d)
    text += (d ? "x" : "") + std::to_string(shape[d]);
  return text;
}

/// Compares one output; prints its line and returns whether it passes.
bool compareOne(const std::string &name, const std::string &refPath,
                const std::string &outPath, double atol, double rtol) {
  kiln::NpyArray ref, out;
  std::string error = kiln::readNpy(refPath, ref);
  if (error.empty())
    error = kiln::readNpy(outPath, out);
  if (!error.empty()) {
    printf("%s: %s: FAIL\n", name.c_str(), error.c_str());
    return false;
  }
  if (ref.dtype != out.dtype || ref.shape != out.shape) {
    printf("%s: expected %s %s, got %s %s: FAIL\n", name.c_str(),
           shapeText(ref.shape).c_str(), kiln::dtypeName(ref.dtype),
           shapeText(out.shape).c_str(), kiln::dtypeName(out.dtype));
    return false;
  }
  std::vector<double> r, o;
  if (!toDoubles(ref, r) || !toDoubles(out, o)) {
    printf("%s: dtype %s is not compared: FAIL\n", name.c_str(),
           kiln::dtypeName(ref.dtype));
    return false;
  }
  double maxAbs = 0, maxRef = 0, worst = 0;
  int64_t bad = 0, firstBad = -1;
  for (size_t i = 0; i < r.size(); ++i) {
    bool ok;
    double diff = 0;
    if (std::isfinite(r[i]) && std::isfinite(o[i])) {
      diff = std::fabs(o[i] - r[i]);
      double bound = atol + rtol * std::fabs(r[i]);
      worst = std::max(worst, bound > 0 ? diff / bound : (diff > 0 ? 1e30 : 0));
      ok = diff <= bound;
      maxAbs = std::max(maxAbs, diff);
      maxRef = std::max(maxRef, std::fabs(r[i]));
    } else {
      // NaN only where the reference has NaN; an infinity only where it has
      // the same one.
      ok = (std::isnan(r[i]) && std::isnan(o[i])) || r[i] == o[i];
      if (!ok)
        worst = INFINITY;
    }
    if (!ok && bad++ == 0)
      firstBad = static_cast<int64_t>(i);
  }
  double maxRel = maxRef > 0 ? maxAbs / maxRef : maxAbs;
  printf("%s: shape %s %s, max abs %.3g, max rel %.3g, worst %.3g: %s",
         name.c_str(), shapeText(ref.shape).c_str(),
         kiln::dtypeName(ref.dtype), maxAbs, maxRel, worst,
         bad ? "FAIL" : "ok");
  if (bad)
    printf(" (%lld of %zu elements off; first at flat index %lld: %.9g, "
           "reference %.9g)",
           static_cast<long long>(bad), r.size(),
           static_cast<long long>(firstBad),
           o[static_cast<size_t>(firstBad)], r[static_cast<size_t>(firstBad)]);
  printf("\n");
  return bad == 0;
}

} // namespace

int main(int argc, char **argv) {
  std::vector<std::string> dirs;
  double atol = 1e-4, rtol = 1e-3;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--atol" || arg == "--rtol") {
      if (i + 1 >= argc)
        usage(("option '" + arg + "' expects a number").c_str());
      char *end = nullptr;
      double value = strtod(argv[++i], &end);
      if (!end || *end || !(value >= 0))
        usage(("option '" + arg + "' expects a number >= 0").c_str());
      (arg == "--atol" ? atol : rtol) = value;
    } else if (!arg.empty() && arg[0] == '-') {
      usage(("unknown option '" + arg + "'").c_str());
    } else {
      dirs.push_back(arg);
    }
  }
  if (dirs.size() != 2)
    usage("expects two directories");

  std::vector<std::string> names;
  DIR *dir = opendir(dirs[0].c_str());
  if (!dir)
    usage(("cannot read '" + dirs[0] + "'").c_str());
  while (dirent *entry = readdir(dir)) {
    std::string file = entry->d_name;
    if (file.size() > 4 && file.compare(file.size() - 4, 4, ".npy") == 0)
      names.push_back(file.substr(0, file.size() - 4));
  }
  closedir(dir);
  if (names.empty())
    usage(("no .npy files in '" + dirs[0] + "'").c_str());
  std::sort(names.begin(), names.end());

  bool all = true;
  for (const std::string &name : names)
    all &= compareOne(name, dirs[0] + "/" + name + ".npy",
                      dirs[1] + "/" + name + ".npy", atol, rtol);
  printf("%s (atol %g, rtol %g)\n", all ? "match" : "MISMATCH", atol, rtol);
  return all ? 0 : 1;
}
