//===- GemmBench.cpp - OpenBLAS against oneDNN on Kiln's GEMM shapes ------===//
//
//   kiln-gemm-bench [--runs N]
//
// The f32 GEMM back end of the CPU kernels (kernels/cpu/Gemm.cpp) is chosen
// by this table. Each library runs each shape on one thread, as a slab of
// Kiln's split GEMM does: the transformer linears of BERT-base / GPT-2 at
// 128 tokens and the im2col GEMMs of ResNet-50's convs. It prints the median
// GFLOP/s of N runs after two warm-ups, and oneDNN's speed over OpenBLAS's.
// Both libraries compute the same C; the largest difference is printed too.
//
//===----------------------------------------------------------------------===//

#include <cblas.h>
#include <oneapi/dnnl/dnnl.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace {

struct Shape {
  const char *what;
  int64_t m, n, k;
  bool transB;
};

template <typename F>
double medianSeconds(int runs, const F &run) {
  run();
  run();
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    run();
    times.push_back(std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - start)
                        .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

} // namespace

int main(int argc, char **argv) {
  int runs = 15;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = atoi(argv[++i]);
      continue;
    }
    fprintf(stderr, "usage: kiln-gemm-bench [--runs N]\n");
    return 2;
  }
  if (runs < 1)
    runs = 1;
  // One thread each, as inside a slab of Kiln's split GEMM.
  openblas_set_num_threads(1);
  omp_set_num_threads(1);
  const Shape shapes[] = {
      {"bert qkv/out proj", 128, 768, 768, false},
      {"bert ffn up", 128, 3072, 768, false},
      {"bert ffn down", 128, 768, 3072, false},
      {"gpt2 fused qkv", 128, 2304, 768, false},
      {"attention q.kT", 128, 128, 64, true},
      {"resnet conv2_x 3x3", 64, 3136, 576, false},
      {"resnet conv3_x 3x3", 128, 784, 1152, false},
      {"resnet conv4_x 3x3", 256, 196, 2304, false},
      {"resnet conv5_x 3x3", 512, 49, 4608, false},
      {"resnet 1x1 expand", 256, 3136, 64, false},
  };
  printf("one thread per library, median of %d runs\n", runs);
  printf("%-20s %16s %12s %12s %8s %10s\n", "gemm", "MxNxK", "openblas GF/s",
         "onednn GF/s", "ratio", "max diff");
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (const Shape &s : shapes) {
    std::vector<float> a(s.m * s.k), b(s.k * s.n), c1(s.m * s.n),
        c2(s.m * s.n);
    for (float &v : a)
      v = dist(rng);
    for (float &v : b)
      v = dist(rng);
    int64_t ldb = s.transB ? s.k : s.n;
    double flops = 2.0 * s.m * s.n * s.k;
    double blas = medianSeconds(runs, [&] {
      cblas_sgemm(CblasRowMajor, CblasNoTrans,
                  s.transB ? CblasTrans : CblasNoTrans, s.m, s.n, s.k, 1.0f,
                  a.data(), s.k, b.data(), ldb, 0.0f, c1.data(), s.n);
    });
    double dnnl = medianSeconds(runs, [&] {
      dnnl_sgemm('N', s.transB ? 'T' : 'N', s.m, s.n, s.k, 1.0f, a.data(),
                 s.k, b.data(), ldb, 0.0f, c2.data(), s.n);
    });
    double diff = 0;
    for (size_t i = 0; i < c1.size(); ++i)
      diff = std::max(diff, static_cast<double>(std::fabs(c1[i] - c2[i])));
    char dims[48];
    snprintf(dims, sizeof dims, "%lldx%lldx%lld", (long long)s.m,
             (long long)s.n, (long long)s.k);
    printf("%-20s %16s %12.1f %12.1f %8.2f %10.2g\n", s.what, dims,
           flops / blas / 1e9, flops / dnnl / 1e9, blas / dnnl, diff);
  }
  return 0;
}
