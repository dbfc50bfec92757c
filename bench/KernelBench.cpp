//===- KernelBench.cpp - Time the CPU kernel library ----------------------===//
//
//   kiln-kernel-bench [--threads T] [--runs N]
//
// Runs each CPU kernel on a shape typical of CNNs and transformers and
// prints a table: median and minimum milliseconds over N runs after one
// warm-up, and the throughput (GFLOP/s for conv and matmul, GB/s moved for
// the rest).
//
//===----------------------------------------------------------------------===//

#include "kernels/cpu/Kernels.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <vector>

namespace {

using namespace kiln;

struct Buffer {
  std::vector<float> data;
  TensorView view;

  Buffer(std::initializer_list<int64_t> shape) {
    view.dtype = DType::Float;
    view.rank = static_cast<int32_t>(shape.size());
    int32_t i = 0;
    for (int64_t dim : shape)
      view.shape[i++] = dim;
    data.resize(static_cast<size_t>(view.numElements()));
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (float &v : data)
      v = dist(rng);
    view.data = data.data();
  }
};

struct Row {
  const char *kernel;
  const char *shape;
  double work; // flops, or bytes moved
  bool flops;
  std::function<Status()> run;
};

int runBench(int runs) {
  Buffer convX{1, 64, 56, 56}, convW{64, 64, 3, 3}, convY{1, 64, 56, 56};
  Buffer stemX{1, 3, 224, 224}, stemW{64, 3, 7, 7}, stemY{1, 64, 112, 112};
  Buffer poolY{1, 64, 56, 56};
  Buffer seq{8, 128, 768}, seqY{8, 128, 768}, gamma{768}, beta{768};
  Buffer seqT{8, 768, 128}, attn{8, 12, 128, 128}, attnY{8, 12, 128, 128};
  Buffer w{768, 768}, reduced{8, 128, 1};
  std::vector<Row> rows = {
      {"conv", "1x64x56x56 3x3", 2.0 * 64 * 64 * 9 * 56 * 56, true,
       [&] {
         return cpu::conv(convX.view, convW.view, nullptr, convY.view, {1, 1},
                          {1, 1, 1, 1}, {1, 1}, 1);
       }},
      {"conv", "1x3x224x224 7x7/2", 2.0 * 64 * 3 * 49 * 112 * 112, true,
       [&] {
         return cpu::conv(stemX.view, stemW.view, nullptr, stemY.view, {2, 2},
                          {3, 3, 3, 3}, {1, 1}, 1);
       }},
      {"max_pool", "1x64x112x112 3x3/2", 4.0 * (64 * 112 * 112 + 64 * 56 * 56),
       false,
       [&] {
         return cpu::max_pool(stemY.view, poolY.view, {3, 3}, {2, 2},
                              {1, 1, 1, 1}, {1, 1});
       }},
      {"matmul", "8x128x768 @ 768x768", 2.0 * 8 * 128 * 768 * 768, true,
       [&] {
         return cpu::matmul(seq.view, w.view, seqY.view, 1.0f, 0.0f, false,
                            false);
       }},
      {"softmax", "8x12x128x128", 8.0 * 8 * 12 * 128 * 128, false,
       [&] { return cpu::softmax(attn.view, attnY.view, 3); }},
      {"layer_norm", "8x128x768", 8.0 * 8 * 128 * 768, false,
       [&] {
         return cpu::layer_norm(seq.view, gamma.view, &beta.view, seqY.view,
                                nullptr, nullptr, 2, 1e-5f);
       }},
      {"reduce mean", "8x128x768 axis 2", 4.0 * 8 * 128 * 768, false,
       [&] { return cpu::reduce(seq.view, reduced.view, "mean", {2}); }},
      {"transpose", "8x128x768 (0,2,1)", 8.0 * 8 * 128 * 768, false,
       [&] {
         return cpu::transpose(seq.view, seqT.view, {0, 2, 1});
       }},
  };

  printf("%-12s %-22s %10s %10s %12s\n", "kernel", "shape", "median_ms",
         "min_ms", "throughput");
  for (Row &row : rows) {
    Status status = row.run();
    if (!status.ok()) {
      fprintf(stderr, "kiln-kernel-bench: %s\n", status.message());
      return 1;
    }
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
      auto start = std::chrono::steady_clock::now();
      (void)row.run();
      auto end = std::chrono::steady_clock::now();
      times.push_back(
          std::chrono::duration<double, std::milli>(end - start).count());
    }
    std::sort(times.begin(), times.end());
    double median = times[times.size() / 2];
    double rate = row.work / (median * 1e6);
    printf("%-12s %-22s %10.3f %10.3f %8.2f %s\n", row.kernel, row.shape,
           median, times.front(), rate, row.flops ? "GFLOP/s" : "GB/s");
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  int runs = 10;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
      kiln::cpu::setNumThreads(atoi(argv[++i]));
    } else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
      runs = std::max(1, atoi(argv[++i]));
    } else {
      fprintf(stderr, "usage: kiln-kernel-bench [--threads T] [--runs N]\n");
      return 1;
    }
  }
  return runBench(runs);
}
