//===- kiln-run.cpp - Run a compiled model on .npy inputs -----------------===//
//
//   [mpirun -np N] kiln-run DIR [--entry NAME] [--threads T]
//                  [--collectives library|ring|ps] [--profile]
//                  [--trace FILE.json] RUN [--then RUN]...
//   RUN:  [--input NAME=FILE.npy]... [--output NAME=FILE.npy]...
//         [--output-dir OUT] [--random-inputs SEED] [--dim NAME=N]...
//         [--bench N [--bench-times]]
//
// Loads DIR (libmodel.so + weights.safetensors), reads or draws the inputs,
// runs the model's entry point (the first unless --entry names one) and
// writes the outputs as .npy files (or prints a summary of each). Inputs
// may have any shape the model allows: a dynamic dim takes its size from
// the .npy file, or for drawn inputs from --dim (a named dim) or 1.
// Arrays of the dtypes numpy lacks are read and written as their bits:
// bfloat16 as uint16, float8, float4 and 4- / 2-bit integers as uint8. --bench
// N times N runs after a warm-up and prints a table (with --bench-times
// first a line `times_ms T1 T2 ...` of every timed run, in order). `--then` starts another
// run of the same loaded model, with inputs of other shapes if it likes (one
// process, one model, several batch sizes). Every failure is one line on
// stderr and a non-zero exit; output files are written whole or not at all,
// after every run has succeeded.
//
// A partitioned model runs under `mpirun -np N` (N: the ranks of its
// mesh; tools/kiln-run/Ranks.h): rank 0 reads or draws the inputs and
// broadcasts them, every rank runs, rank 0 alone prints and writes the
// outputs; another rank prints only its errors ("kiln-run: rank R: ..."),
// and a failing rank aborts the job. --collectives chooses the algorithm of
// the CPU target's collectives; --profile prints, after the runs, each
// rank's kernel profile (the time, bytes and flops of each kind of kernel
// and of the costliest kernel calls, against this machine's measured peaks:
// tools/kiln-run/KernelProfile.h, docs/profiling.md) and its table of
// collective calls, bytes and time (tools/kiln-run/Profile.h). --trace
// writes the kernel calls of the last run as a Chrome / Perfetto trace
// (under mpirun, rank R's to FILE with ".rank<R>" before its extension).
// With --bench, profiles count the timed runs only. KILN_TEST_FAIL_RANK=R, for tests only, makes rank R exit(1)
// before its first run, as a crashed rank would.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Checked.h"
#include "kernels/common/Tensor.h"
#include "runtime/Npy.h"
#include "runtime/kiln.h"
#include "kernels/cpu/ParallelFor.h"
#include "tools/kiln-run/KernelProfile.h"
#include "tools/kiln-run/Peaks.h"
#include "tools/kiln-run/Profile.h"
#include "tools/kiln-run/Ranks.h"
#include "tools/support/EscapeForTerminal.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

/// What one run of the model reads and writes.
struct RunOptions {
  std::map<std::string, int64_t> dims;
  std::map<std::string, std::string> inputs, outputs;
  std::string outputDir;
  bool randomInputs = false;
  uint64_t seed = 0;
  int64_t benchRuns = 0;
  bool benchTimes = false;
};

struct Options {
  std::string dir;
  std::string entry;
  int32_t threads = 0;
  std::string collectives;
  bool profile = false;
  std::string trace;
  std::vector<RunOptions> runs{1};
};

/// Prints the one line of a failure and exits (aborting every rank of an
/// mpirun): kiln-run writes its output files last, so nothing is left
/// half-written.
[[noreturn]] void fail(const std::string &message) {
  kiln::run::failRanks(message);
}

const char *usage =
    "usage: [mpirun -np N] kiln-run DIR [--entry NAME] [--threads T]"
    " [--collectives library|ring|ps] [--profile] [--trace FILE.json]"
    " [--input NAME=FILE.npy]..."
    " [--output NAME=FILE.npy]... [--output-dir OUT] [--random-inputs SEED]"
    " [--dim NAME=N]... [--bench N [--bench-times]] [--then (another run's --input ...)]...";

bool parseInt(const std::string &text, int64_t &value) {
  if (text.empty())
    return false;
  char *end = nullptr;
  errno = 0;
  long long parsed = strtoll(text.c_str(), &end, 10);
  if (errno || *end)
    return false;
  value = parsed;
  return true;
}

/// Splits NAME=FILE.
bool splitAssignment(const std::string &text, std::string &name,
                     std::string &file) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    return false;
  name = text.substr(0, eq);
  file = text.substr(eq + 1);
  return true;
}

Options parseOptions(int argc, char **argv) {
  Options options;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      printf("%s\n", usage);
      exit(0);
    }
    if (arg.rfind("--", 0) != 0) {
      positional.push_back(arg);
      continue;
    }
    if (arg == "--then") {
      options.runs.emplace_back();
      continue;
    }
    if (arg == "--profile") {
      options.profile = true;
      continue;
    }
    if (arg == "--bench-times") {
      options.runs.back().benchTimes = true;
      continue;
    }
    RunOptions &current = options.runs.back();
    std::string flag = arg, value;
    size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      flag = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    } else {
      if (i + 1 >= argc)
        fail("option '" + flag + "' needs a value");
      value = argv[++i];
    }
    std::string name, file;
    int64_t number;
    if (flag == "--input" || flag == "--output") {
      if (!splitAssignment(value, name, file))
        fail("option '" + flag + "' expects NAME=FILE.npy, got '" + value +
             "'");
      auto &map = flag == "--input" ? current.inputs : current.outputs;
      if (!map.emplace(name, file).second)
        fail("option '" + flag + "' names '" + name + "' twice");
    } else if (flag == "--trace") {
      options.trace = value;
    } else if (flag == "--entry") {
      options.entry = value;
    } else if (flag == "--collectives") {
      if (value != "library" && value != "ring" && value != "ps")
        fail("option '--collectives' expects library, ring or ps, got '" +
             value + "'");
      options.collectives = value;
    } else if (flag == "--dim") {
      if (!splitAssignment(value, name, file) || !parseInt(file, number) ||
          number < 0)
        fail("option '--dim' expects NAME=SIZE, got '" + value + "'");
      if (!current.dims.emplace(name, number).second)
        fail("option '--dim' names '" + name + "' twice");
    } else if (flag == "--output-dir") {
      current.outputDir = value;
    } else if (flag == "--random-inputs") {
      if (!parseInt(value, number))
        fail("option '--random-inputs' expects an integer seed, got '" + value +
             "'");
      current.randomInputs = true;
      current.seed = static_cast<uint64_t>(number);
    } else if (flag == "--bench") {
      if (!parseInt(value, number) || number < 1)
        fail("option '--bench' expects a positive run count, got '" + value +
             "'");
      current.benchRuns = number;
    } else if (flag == "--threads") {
      if (!parseInt(value, number) || number < 0 || number > 4096)
        fail("option '--threads' expects a thread count, got '" + value + "'");
      options.threads = static_cast<int32_t>(number);
    } else {
      fail("unknown option '" + flag + "'");
    }
  }
  if (positional.size() != 1)
    fail(positional.empty() ? "missing model directory"
                            : "more than one model directory given");
  options.dir = positional[0];
  return options;
}

/// The declared signature of one input or output.
struct Port {
  std::string name;
  int32_t dtype;
  std::vector<int64_t> shape; // as declared (-1: dynamic), then as run
  std::vector<const char *> dimNames;

  // The runtime has checked that the model's sizes do not overflow.
  int64_t numElements() const {
    int64_t n = 0;
    kiln::checkedNumElements(shape.data(),
                             static_cast<int64_t>(shape.size()), n);
    return n;
  }
  size_t numBytes() const {
    return static_cast<size_t>(numElements() * kiln::dtypeSize(dtype));
  }
};

std::string shapeText(const std::vector<int64_t> &shape) {
  char buffer[256];
  kiln::formatShape(shape.data(), static_cast<int32_t>(shape.size()), buffer,
                    sizeof(buffer));
  return buffer;
}

std::string signatureText(int32_t dtype, const std::vector<int64_t> &shape) {
  return shapeText(shape) + " (" + kiln::dtypeName(dtype) + ")";
}

std::string namesText(const std::vector<Port> &ports) {
  std::string text;
  for (const Port &port : ports)
    text += (text.empty() ? "" : ", ") + port.name;
  return text.empty() ? "none" : text;
}

/// Rejects --input/--output names the model does not have.
void checkNames(const std::map<std::string, std::string> &given,
                const std::vector<Port> &ports, const char *what) {
  for (const auto &entry : given) {
    bool known = std::any_of(ports.begin(), ports.end(), [&](const Port &p) {
      return p.name == entry.first;
    });
    if (!known)
      fail(std::string("the model has no ") + what + " named '" + entry.first +
           "' (" + what + "s: " + namesText(ports) + ")");
  }
}

/// Stores `value` as element `i` of `data`, converted to T.
template <typename T, typename V>
void storeAs(uint8_t *data, int64_t i, V value) {
  T element = static_cast<T>(value);
  memcpy(data + i * sizeof(T), &element, sizeof(T));
}

/// Element `i` of `data`, of type T, as a double.
template <typename T> double loadAs(const uint8_t *data, int64_t i) {
  T element;
  memcpy(&element, data + i * sizeof(T), sizeof(T));
  return static_cast<double>(element);
}

/// Fills `data` with values drawn for `dtype`: floats uniform in [-1, 1),
/// integers in [0, 10) (in [0, 2) for 2-bit ones), bools 0 or 1.
void fillRandom(std::mt19937_64 &rng, int32_t dtype, int64_t count,
                uint8_t *data) {
  std::uniform_real_distribution<float> real(-1.0f, 1.0f);
  std::uniform_int_distribution<int> integer(0, 9);
  for (int64_t i = 0; i < count; ++i) {
    switch (dtype) {
    case kiln::DType::Float: {
      float v = real(rng);
      memcpy(data + i * 4, &v, 4);
      break;
    }
    case kiln::DType::Double: {
      double v = real(rng);
      memcpy(data + i * 8, &v, 8);
      break;
    }
    case kiln::DType::Float16: {
      kiln::half v = real(rng);
      memcpy(data + i * 2, &v, 2);
      break;
    }
    case kiln::DType::BFloat16: {
      kiln::bfloat16 v = real(rng);
      memcpy(data + i * 2, &v, 2);
      break;
    }
    case kiln::DType::Float8E4M3FN:
      storeAs<kiln::float8e4m3fn>(data, i, real(rng));
      break;
    case kiln::DType::Float8E4M3FNUZ:
      storeAs<kiln::float8e4m3fnuz>(data, i, real(rng));
      break;
    case kiln::DType::Float8E5M2:
      storeAs<kiln::float8e5m2>(data, i, real(rng));
      break;
    case kiln::DType::Float8E5M2FNUZ:
      storeAs<kiln::float8e5m2fnuz>(data, i, real(rng));
      break;
    case kiln::DType::Float4E2M1:
      storeAs<kiln::float4e2m1>(data, i, real(rng));
      break;
    case kiln::DType::Int4:
    case kiln::DType::UInt4:
      storeAs<kiln::uint4>(data, i, integer(rng));
      break;
    case kiln::DType::Int2:
    case kiln::DType::UInt2:
    case kiln::DType::Bool:
      data[i] = static_cast<uint8_t>(integer(rng) & 1);
      break;
    default: {
      // Integers: a small non-negative value in the element's width.
      uint64_t v = static_cast<uint64_t>(integer(rng));
      int64_t size = kiln::dtypeSize(dtype);
      memcpy(data + i * size, &v, static_cast<size_t>(size));
      break;
    }
    }
  }
}

/// Formats element `i` of `data` for the summary.
std::string elementText(int32_t dtype, const uint8_t *data, int64_t i) {
  char buffer[64];
  switch (dtype) {
  case kiln::DType::Float: {
    float v;
    memcpy(&v, data + i * 4, 4);
    snprintf(buffer, sizeof(buffer), "%g", v);
    break;
  }
  case kiln::DType::Double: {
    double v;
    memcpy(&v, data + i * 8, 8);
    snprintf(buffer, sizeof(buffer), "%g", v);
    break;
  }
  case kiln::DType::Float16: {
    kiln::half v;
    memcpy(&v, data + i * 2, 2);
    snprintf(buffer, sizeof(buffer), "%g", static_cast<float>(v));
    break;
  }
  case kiln::DType::BFloat16: {
    kiln::bfloat16 v;
    memcpy(&v, data + i * 2, 2);
    snprintf(buffer, sizeof(buffer), "%g", static_cast<float>(v));
    break;
  }
  case kiln::DType::Int64: {
    int64_t v;
    memcpy(&v, data + i * 8, 8);
    snprintf(buffer, sizeof(buffer), "%lld", static_cast<long long>(v));
    break;
  }
  case kiln::DType::Int32: {
    int32_t v;
    memcpy(&v, data + i * 4, 4);
    snprintf(buffer, sizeof(buffer), "%d", v);
    break;
  }
  case kiln::DType::Int8:
    snprintf(buffer, sizeof(buffer), "%d", static_cast<int8_t>(data[i]));
    break;
  case kiln::DType::Float8E4M3FN:
    snprintf(buffer, sizeof(buffer), "%g", loadAs<kiln::float8e4m3fn>(data, i));
    break;
  case kiln::DType::Float8E4M3FNUZ:
    snprintf(buffer, sizeof(buffer), "%g",
             loadAs<kiln::float8e4m3fnuz>(data, i));
    break;
  case kiln::DType::Float8E5M2:
    snprintf(buffer, sizeof(buffer), "%g", loadAs<kiln::float8e5m2>(data, i));
    break;
  case kiln::DType::Float8E5M2FNUZ:
    snprintf(buffer, sizeof(buffer), "%g",
             loadAs<kiln::float8e5m2fnuz>(data, i));
    break;
  case kiln::DType::Float4E2M1:
    snprintf(buffer, sizeof(buffer), "%g", loadAs<kiln::float4e2m1>(data, i));
    break;
  case kiln::DType::Int4:
    snprintf(buffer, sizeof(buffer), "%g", loadAs<kiln::int4>(data, i));
    break;
  case kiln::DType::Int2:
    snprintf(buffer, sizeof(buffer), "%g", loadAs<kiln::int2>(data, i));
    break;
  case kiln::DType::UInt4:
  case kiln::DType::UInt2:
  case kiln::DType::UInt8:
  case kiln::DType::Bool:
    snprintf(buffer, sizeof(buffer), "%u", data[i]);
    break;
  default:
    snprintf(buffer, sizeof(buffer), "?");
    break;
  }
  return buffer;
}

/// A file name made of the output's name: characters outside
/// [A-Za-z0-9._-] become '_'.
std::string sanitize(const std::string &name, size_t index) {
  std::string result;
  for (char c : name)
    result += isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
                      c == '-'
                  ? c
                  : '_';
  if (result.empty() || result[0] == '.')
    result = "output" + std::to_string(index) + "_" + result;
  return result;
}

double percentile(std::vector<double> sorted, double fraction) {
  size_t index = static_cast<size_t>(
      std::ceil(fraction * static_cast<double>(sorted.size())));
  index = index ? index - 1 : 0;
  return sorted[std::min(index, sorted.size() - 1)];
}

/// The outputs of one run, shaped.
struct RunResult {
  std::vector<Port> outputs;
  std::vector<std::vector<uint8_t>> data;
};

/// Reads or draws the inputs of one run, runs the entry (--bench times, or
/// once) and returns its outputs.
RunResult runEntry(kiln_model *model, const kiln_entry *entry,
                   std::vector<Port> inputs, std::vector<Port> outputs,
                   const RunOptions &options) {
  checkNames(options.inputs, inputs, "input");
  checkNames(options.outputs, outputs, "output");

  // Inputs: read and checked, or drawn.
  std::mt19937_64 rng(options.seed);
  std::vector<std::vector<uint8_t>> inputData(inputs.size());
  std::vector<const void *> inputPointers;
  const bool root = kiln::run::worldRank() == 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Port &port = inputs[i];
    auto given = options.inputs.find(port.name);
    if (!root) {
      // Rank 0's inputs arrive below.
    } else if (given != options.inputs.end()) {
      // The header is checked before any data is read; dynamic dims take
      // the file's sizes, which the runtime checks against the model.
      kiln::NpyArray array;
      std::string message = kiln::readNpy(
          given->second, array, [&](const kiln::NpyArray &header) {
            // The dtypes numpy lacks come as their bits.
            bool fits = (header.dtype == port.dtype ||
                         header.dtype == kiln::npyStorageDType(port.dtype)) &&
                        header.shape.size() == port.shape.size();
            for (size_t d = 0; fits && d < port.shape.size(); ++d)
              fits = port.shape[d] < 0 || header.shape[d] == port.shape[d];
            if (fits)
              return std::string();
            return "expected shape " + signatureText(port.dtype, port.shape) +
                   ", got " + signatureText(header.dtype, header.shape) +
                   " in " + given->second;
          });
      if (!message.empty())
        fail("input '" + port.name + "': " + message);
      port.shape = array.shape;
      inputData[i] = std::move(array.data);
    } else if (options.randomInputs) {
      for (size_t d = 0; d < port.shape.size(); ++d) {
        if (port.shape[d] >= 0)
          continue;
        auto dim = port.dimNames[d] ? options.dims.find(port.dimNames[d])
                                    : options.dims.end();
        port.shape[d] = dim == options.dims.end() ? 1 : dim->second;
      }
      int64_t bytes;
      if (!kiln::checkedByteSize(port.shape.data(),
                                 static_cast<int64_t>(port.shape.size()),
                                 kiln::dtypeSize(port.dtype), bytes))
        fail("input '" + port.name + "' of shape " + shapeText(port.shape) +
             " holds more than 2^62 bytes");
      inputData[i].resize(port.numBytes());
      fillRandom(rng, port.dtype, port.numElements(), inputData[i].data());
    } else {
      fail("missing input '" + port.name + "' " +
           signatureText(port.dtype, port.shape) + ": pass --input " +
           port.name + "=FILE.npy or --random-inputs SEED");
    }
    // Every rank runs on rank 0's inputs: their shapes, then their bytes.
    kiln::run::broadcastFromRoot(
        port.shape.data(), static_cast<int64_t>(port.shape.size() * 8));
    inputData[i].resize(port.numBytes());
    kiln::run::broadcastFromRoot(inputData[i].data(),
                                 static_cast<int64_t>(port.numBytes()));
    inputPointers.push_back(inputData[i].data());
  }
  std::vector<const int64_t *> inputShapes;
  for (const Port &port : inputs)
    inputShapes.push_back(port.shape.data());

  // Outputs: shaped by the model for these inputs.
  std::vector<int64_t *> outputShapes;
  for (Port &port : outputs)
    outputShapes.push_back(port.shape.data());
  if (kiln_entry_output_shapes(model, entry, inputShapes.data(),
                               outputShapes.data()) != KILN_OK)
    fail(kiln_last_error());
  RunResult result{outputs, std::vector<std::vector<uint8_t>>(outputs.size())};
  std::vector<void *> outputPointers;
  std::vector<int64_t> outputBytes;
  for (size_t i = 0; i < outputs.size(); ++i) {
    result.data[i].resize(std::max<size_t>(outputs[i].numBytes(), 1));
    outputPointers.push_back(result.data[i].data());
    outputBytes.push_back(static_cast<int64_t>(outputs[i].numBytes()));
  }

  auto runOnce = [&]() {
    if (kiln_entry_run(model, entry, inputPointers.data(), inputShapes.data(),
                       outputPointers.data(), outputBytes.data(),
                       nullptr) != KILN_OK)
      fail(kiln_last_error());
  };
  if (options.benchRuns > 0) {
    int64_t warmup = std::min<int64_t>(3, options.benchRuns);
    for (int64_t i = 0; i < warmup; ++i)
      runOnce();
    // The profiles count the timed runs only.
    kiln_model_reset_collective_profile(model);
    kiln_model_reset_kernel_profile(model);
    std::vector<double> times;
    for (int64_t i = 0; i < options.benchRuns; ++i) {
      auto start = std::chrono::steady_clock::now();
      runOnce();
      auto end = std::chrono::steady_clock::now();
      times.push_back(
          std::chrono::duration<double, std::milli>(end - start).count());
    }
    if (!root)
      return result;
    if (options.benchTimes) {
      printf("times_ms");
      for (double time : times)
        printf(" %.3f", time);
      printf("\n");
    }
    std::sort(times.begin(), times.end());
    printf("%-8s %-12s %-12s %-12s\n", "runs", "median_ms", "p90_ms", "min_ms");
    printf("%-8lld %-12.3f %-12.3f %-12.3f\n",
           static_cast<long long>(options.benchRuns), percentile(times, 0.5),
           percentile(times, 0.9), times.front());
  } else {
    runOnce();
  }
  return result;
}

/// Writes the outputs of one run: named files, the output directory, or a
/// summary of each.
void writeOutputs(const RunResult &result, const RunOptions &options) {
  const std::vector<Port> &outputs = result.outputs;
  if (!options.outputDir.empty()) {
    struct stat st;
    if (stat(options.outputDir.c_str(), &st) != 0 &&
        mkdir(options.outputDir.c_str(), 0777) != 0)
      fail("cannot create output directory '" + options.outputDir +
           "': " + strerror(errno));
  }
  // File names in the output directory, made unique where two sanitized
  // names collide.
  std::vector<std::string> fileNames;
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::string name = sanitize(outputs[i].name, i);
    if (std::find(fileNames.begin(), fileNames.end(), name) != fileNames.end())
      name += "_" + std::to_string(i);
    fileNames.push_back(name);
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Port &port = outputs[i];
    std::string path;
    auto named = options.outputs.find(port.name);
    if (named != options.outputs.end())
      path = named->second;
    else if (!options.outputDir.empty())
      path = options.outputDir + "/" + fileNames[i] + ".npy";
    if (!path.empty()) {
      std::string message = kiln::writeNpy(
          path, port.dtype, port.shape, result.data[i].data(), port.numBytes());
      if (!message.empty())
        fail("output '" + port.name + "': " + message);
      continue;
    }
    if (options.benchRuns > 0)
      continue;
    std::string values;
    int64_t shown = std::min<int64_t>(port.numElements(), 8);
    for (int64_t j = 0; j < shown; ++j)
      values +=
          (j ? ", " : "") + elementText(port.dtype, result.data[i].data(), j);
    if (shown < port.numElements())
      values += ", ...";
    printf("%s: %s [%s]\n", kiln::escapeForTerminal(port.name).c_str(),
           signatureText(port.dtype, port.shape).c_str(), values.c_str());
  }
}

/// Where this rank writes the trace of --trace FILE: FILE itself, or under
/// mpirun FILE with ".rank<R>" before its extension.
std::string tracePath(const std::string &path) {
  if (kiln::run::worldSize() == 1)
    return path;
  std::string rank = ".rank" + std::to_string(kiln::run::worldRank());
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
    return path + rank;
  return path.substr(0, dot) + rank + path.substr(dot);
}

/// This rank's kernel profile, against this machine's peaks measured now
/// (on the CPU) with the runs' worker count.
std::string kernelProfile(kiln_model *model, const Options &options) {
  if (kiln_model_kernel_profile(model, nullptr, 0) == 0)
    return "kernels: no kernel calls\n";
  if (std::string(kiln_model_target(model)) != "cpu")
    return kiln::run::kernelProfileTable(model, nullptr);
  int32_t threads =
      options.threads > 0 ? options.threads : kiln::cpu::getNumThreads();
  kiln::run::Peaks peaks = kiln::run::measurePeaks(threads);
  return kiln::run::kernelProfileTable(model, &peaks);
}

int run(int argc, char **argv) {
  Options options = parseOptions(argc, argv);
  kiln_model *rawModel = nullptr;
  if (kiln_model_create(options.dir.c_str(), &rawModel) != KILN_OK)
    fail(kiln_last_error());
  std::unique_ptr<kiln_model, void (*)(kiln_model *)> model(rawModel,
                                                            kiln_model_destroy);
  kiln_model_set_threads(model.get(), options.threads);
  if (options.profile || !options.trace.empty())
    kiln_model_set_kernel_profiling(model.get(), 1);
  if (!options.collectives.empty() &&
      kiln_model_set_collectives(model.get(), options.collectives.c_str()) !=
          KILN_OK)
    fail(kiln_last_error());

  const kiln_entry *entry = kiln_model_entry(model.get(), 0);
  if (!options.entry.empty()) {
    entry = kiln_model_find_entry(model.get(), options.entry.c_str());
    if (!entry) {
      std::string names;
      for (int32_t e = 0; e < kiln_model_num_entries(model.get()); ++e)
        names += std::string(e ? ", " : "") +
                 kiln_entry_name(kiln_model_entry(model.get(), e));
      fail("the model has no entry point '" + options.entry +
           "' (it has: " + names + ")");
    }
  }
  std::vector<Port> inputs, outputs;
  for (int32_t i = 0; i < kiln_entry_num_inputs(entry); ++i) {
    const int64_t *shape = kiln_entry_input_shape(entry, i);
    int32_t rank = kiln_entry_input_rank(entry, i);
    Port port{kiln_entry_input_name(entry, i),
              kiln_entry_input_dtype(entry, i),
              {shape, shape + rank},
              {}};
    for (int32_t d = 0; d < rank; ++d)
      port.dimNames.push_back(kiln_entry_input_dim_name(entry, i, d));
    inputs.push_back(port);
  }
  for (int32_t i = 0; i < kiln_entry_num_outputs(entry); ++i) {
    const int64_t *shape = kiln_entry_output_shape(entry, i);
    outputs.push_back({kiln_entry_output_name(entry, i),
                       kiln_entry_output_dtype(entry, i),
                       {shape, shape + kiln_entry_output_rank(entry, i)},
                       {}});
  }

  if (const char *failRank = getenv("KILN_TEST_FAIL_RANK")) {
    int64_t which;
    if (parseInt(failRank, which) && which == kiln::run::worldRank()) {
      fprintf(stderr, "kiln-run: rank %d: exiting as KILN_TEST_FAIL_RANK asks\n",
              kiln::run::worldRank());
      _exit(1);
    }
  }

  // Every run first, then every output: a failed run writes nothing.
  std::vector<RunResult> results;
  for (const RunOptions &runOptions : options.runs)
    results.push_back(
        runEntry(model.get(), entry, inputs, outputs, runOptions));
  if (!options.trace.empty()) {
    std::string message = kiln::run::writeKernelTrace(
        model.get(), tracePath(options.trace), kiln::run::worldRank());
    if (!message.empty())
      fail("--trace: " + message);
  }
  std::vector<std::string> kernelProfiles, profiles;
  if (options.profile) {
    kernelProfiles = kiln::run::gatherToRoot(kernelProfile(model.get(), options));
    profiles = kiln::run::gatherToRoot(kiln::run::profileTable(model.get()));
  }
  if (kiln::run::worldRank() != 0)
    return 0;
  for (size_t r = 0; r < results.size(); ++r) {
    if (results.size() > 1 && options.runs[r].outputs.empty() &&
        options.runs[r].outputDir.empty() && !options.runs[r].benchRuns)
      printf("run %zu:\n", r + 1);
    writeOutputs(results[r], options.runs[r]);
  }
  for (size_t r = 0; r < kernelProfiles.size(); ++r) {
    if (kernelProfiles.size() > 1)
      printf("rank %zu ", r);
    printf("%s", kernelProfiles[r].c_str());
  }
  if (!profiles.empty())
    printf("collectives:\n");
  for (const std::string &table : profiles)
    printf("%s", table.c_str());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  kiln::run::initRanks();
  int status = run(argc, argv);
  fflush(stdout);
  kiln::run::finalizeRanks();
  return status;
}
