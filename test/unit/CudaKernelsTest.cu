//===- CudaKernelsTest.cu - CUDA drivers against the CPU drivers ----------===//
//
// Each test runs a kernel through kiln::cpu (checked against naive loops in
// the other tests) and kiln::cuda on the same data and compares. Skipped
// where no GPU is present; nvcc compiles it everywhere CUDA is found.
//
//===----------------------------------------------------------------------===//

#include "kernels/cpu/Kernels.h"
#include "kernels/cuda/Kernels.h"
#include "test/unit/TestUtil.h"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <functional>

namespace kiln::test {
namespace {

class CudaKernels : public ::testing::Test {
protected:
  void SetUp() override {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0)
      GTEST_SKIP() << "no CUDA device";
    ASSERT_EQ(cudaStreamCreate(&stream), cudaSuccess);
    ASSERT_EQ(cublasCreate(&blas), CUBLAS_STATUS_SUCCESS);
    ctx = cuda::Context{stream, blas};
  }
  void TearDown() override {
    for (void *p : allocations)
      cudaFree(p);
    if (blas)
      cublasDestroy(blas);
    if (stream)
      cudaStreamDestroy(stream);
  }

  /// A device copy of `t`'s view.
  template <typename T> TensorView toDevice(HostTensor<T> &t) {
    TensorView view = t.view();
    size_t bytes = t.data.size() * sizeof(T);
    void *p = nullptr;
    EXPECT_EQ(cudaMalloc(&p, bytes ? bytes : 1), cudaSuccess);
    allocations.push_back(p);
    EXPECT_EQ(cudaMemcpy(p, t.data.data(), bytes, cudaMemcpyHostToDevice),
              cudaSuccess);
    view.data = p;
    return view;
  }
  template <typename T> std::vector<T> toHost(const TensorView &view) {
    std::vector<T> out(static_cast<size_t>(view.numElements()));
    EXPECT_EQ(cudaStreamSynchronize(stream), cudaSuccess);
    EXPECT_EQ(cudaMemcpy(out.data(), view.data, out.size() * sizeof(T),
                         cudaMemcpyDeviceToHost),
              cudaSuccess);
    return out;
  }

  /// f64, f16 and bf16 through cuBLAS against the CPU driver.
  template <typename T> void checkMatmulType(float tolerance) {
    HostTensor<float> af = randomFloats(rng, {2, 3, 8}),
                      bf = randomFloats(rng, {2, 8, 5});
    HostTensor<T> a(af.shape), b(bf.shape), out({2, 3, 5});
    for (size_t i = 0; i < af.data.size(); ++i)
      a.data[i] = T(af.data[i]);
    for (size_t i = 0; i < bf.data.size(); ++i)
      b.data[i] = T(bf.data[i]);
    TensorView dOut = toDevice(out);
    ASSERT_OK(
        cpu::matmul(a.view(), b.view(), out.view(), 1.0f, 0.0f, false, false));
    ASSERT_OK(cuda::matmul(ctx, toDevice(a), toDevice(b), dOut, 1.0f, 0.0f,
                           false, false));
    std::vector<T> got = toHost<T>(dOut);
    std::vector<float> gotF(got.begin(), got.end()),
        wantF(out.data.begin(), out.data.end());
    EXPECT_TRUE(allClose(gotF, wantF, tolerance, tolerance));
  }

  cudaStream_t stream = nullptr;
  cublasHandle_t blas = nullptr;
  cuda::Context ctx{};
  std::vector<void *> allocations;
  std::mt19937 rng{17};
};

TEST_F(CudaKernels, Conv) {
  HostTensor<float> x = randomFloats(rng, {2, 4, 7, 6});
  HostTensor<float> w = randomFloats(rng, {6, 2, 3, 2});
  HostTensor<float> b = randomFloats(rng, {6});
  HostTensor<float> y({2, 6, 4, 5});
  TensorView bView = b.view();
  ASSERT_OK(cpu::conv(x.view(), w.view(), &bView, y.view(), {2, 1},
                      {1, 0, 1, 1}, {1, 2}, 2));
  TensorView dy = toDevice(y), db = toDevice(b);
  ASSERT_OK(cuda::conv(ctx, toDevice(x), toDevice(w), &db, dy, {2, 1},
                       {1, 0, 1, 1}, {1, 2}, 2));
  EXPECT_TRUE(allClose(toHost<float>(dy), y.data));
}

TEST_F(CudaKernels, Pools) {
  HostTensor<float> x = randomFloats(rng, {2, 3, 7, 8});
  HostTensor<float> maxY({2, 3, 4, 4}), avgY({2, 3, 4, 4}), gY({2, 3, 1, 1});
  ASSERT_OK(cpu::max_pool(x.view(), maxY.view(), {3, 3}, {2, 2}, {1, 1, 1, 1},
                          {1, 1}));
  ASSERT_OK(cpu::average_pool(x.view(), avgY.view(), {3, 3}, {2, 2},
                              {1, 1, 1, 1}, {1, 1}, true));
  ASSERT_OK(cpu::global_average_pool(x.view(), gY.view()));
  TensorView dx = toDevice(x), dMax = toDevice(maxY), dAvg = toDevice(avgY),
             dG = toDevice(gY);
  ASSERT_OK(
      cuda::max_pool(ctx, dx, dMax, {3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 1}));
  ASSERT_OK(cuda::average_pool(ctx, dx, dAvg, {3, 3}, {2, 2}, {1, 1, 1, 1},
                               {1, 1}, true));
  ASSERT_OK(cuda::global_average_pool(ctx, dx, dG));
  EXPECT_TRUE(allClose(toHost<float>(dMax), maxY.data, 0, 0));
  EXPECT_TRUE(allClose(toHost<float>(dAvg), avgY.data));
  EXPECT_TRUE(allClose(toHost<float>(dG), gY.data));
}

TEST_F(CudaKernels, SoftmaxAndLayerNorm) {
  HostTensor<float> x = randomFloats(rng, {3, 4, 16}, -4, 4);
  HostTensor<float> scale = randomFloats(rng, {16}),
                    bias = randomFloats(rng, {16});
  HostTensor<float> s(x.shape), ls(x.shape), ln(x.shape);
  ASSERT_OK(cpu::softmax(x.view(), s.view(), 1));
  ASSERT_OK(cpu::log_softmax(x.view(), ls.view(), 2));
  TensorView biasView = bias.view();
  ASSERT_OK(cpu::layer_norm(x.view(), scale.view(), &biasView, ln.view(),
                            nullptr, nullptr, 2, 1e-5f));
  TensorView dx = toDevice(x), ds = toDevice(s), dls = toDevice(ls),
             dln = toDevice(ln), dBias = toDevice(bias);
  ASSERT_OK(cuda::softmax(ctx, dx, ds, 1));
  ASSERT_OK(cuda::log_softmax(ctx, dx, dls, 2));
  ASSERT_OK(cuda::layer_norm(ctx, dx, toDevice(scale), &dBias, dln, nullptr,
                             nullptr, 2, 1e-5f));
  EXPECT_TRUE(allClose(toHost<float>(ds), s.data));
  EXPECT_TRUE(allClose(toHost<float>(dls), ls.data));
  EXPECT_TRUE(allClose(toHost<float>(dln), ln.data, 1e-4f, 1e-4f));
}

// Attention with a causal -inf mask broadcast over the batch (one row all
// -inf), S_k no multiple of the row tile, D_v != D.
TEST_F(CudaKernels, Attention) {
  HostTensor<float> q = randomFloats(rng, {3, 70, 16}),
                    k = randomFloats(rng, {3, 70, 16}),
                    v = randomFloats(rng, {3, 70, 24});
  HostTensor<float> mask({1, 70, 70}, 0.0f);
  for (int64_t i = 0; i < 70; ++i)
    for (int64_t j = 0; j < 70; ++j)
      if (j > i || i == 5)
        mask.data[i * 70 + j] = -INFINITY;
  HostTensor<float> out({3, 70, 24}, NAN);
  TensorView maskView = mask.view();
  ASSERT_OK(cpu::attention(q.view(), k.view(), v.view(), &maskView,
                           out.view(), 0.25f));
  TensorView dMask = toDevice(mask), dOut = toDevice(out);
  ASSERT_OK(cuda::attention(ctx, toDevice(q), toDevice(k), toDevice(v), &dMask,
                            dOut, 0.25f));
  EXPECT_TRUE(allClose(toHost<float>(dOut), out.data, 1e-5f, 1e-4f));
}

TEST_F(CudaKernels, ReduceAndArg) {
  HostTensor<float> x = randomFloats(rng, {3, 4, 5}, 0.5f, 1.5f);
  for (const char *kind : {"sum", "mean", "max", "prod", "l2", "log_sum_exp"}) {
    HostTensor<float> y({3, 1, 5});
    ASSERT_OK(cpu::reduce(x.view(), y.view(), kind, {1}));
    TensorView dy = toDevice(y);
    ASSERT_OK(cuda::reduce(ctx, toDevice(x), dy, kind, {1}));
    EXPECT_TRUE(allClose(toHost<float>(dy), y.data)) << kind;
  }
  HostTensor<int64_t> arg({3, 4, 1});
  ASSERT_OK(cpu::arg_max(x.view(), arg.view(), 2, false));
  TensorView dArg = toDevice(arg);
  ASSERT_OK(cuda::arg_max(ctx, toDevice(x), dArg, 2, false));
  EXPECT_EQ(toHost<int64_t>(dArg), arg.data);
}

TEST_F(CudaKernels, ReduceDoubleAndBool) {
  HostTensor<double> x({3, 4, 5});
  std::uniform_real_distribution<double> dist(0.5, 1.5);
  for (double &v : x.data)
    v = dist(rng);
  for (const char *kind : {"sum", "mean", "min", "l2", "log_sum_exp"}) {
    HostTensor<double> y({3, 1, 5});
    ASSERT_OK(cpu::reduce(x.view(), y.view(), kind, {1}));
    TensorView dy = toDevice(y);
    ASSERT_OK(cuda::reduce(ctx, toDevice(x), dy, kind, {1}));
    std::vector<double> got = toHost<double>(dy);
    for (size_t i = 0; i < got.size(); ++i)
      EXPECT_NEAR(got[i], y.data[i], 1e-12) << kind;
  }
  // Bools travel as bytes: (2, 3) rows {0, 1, 0} and {1, 1, 1}.
  HostTensor<uint8_t> b({2, 3});
  b.data = {0, 1, 0, 1, 1, 1};
  for (const char *kind : {"max", "min"}) {
    HostTensor<uint8_t> y({2, 1});
    TensorView dx = toDevice(b), dy = toDevice(y);
    dx.dtype = dy.dtype = DType::Bool;
    ASSERT_OK(cuda::reduce(ctx, dx, dy, kind, {1}));
    // max is any, min is all.
    std::vector<uint8_t> expected = std::string(kind) == "max"
                                        ? std::vector<uint8_t>{1, 1}
                                        : std::vector<uint8_t>{0, 1};
    EXPECT_EQ(toHost<uint8_t>(dy), expected) << kind;
  }
}

TEST_F(CudaKernels, TopK) {
  HostTensor<float> x = randomFloats(rng, {3, 9, 5});
  for (bool largest : {true, false}) {
    HostTensor<float> v({3, 4, 5});
    HostTensor<int64_t> i({3, 4, 5});
    ASSERT_OK(cpu::top_k(x.view(), v.view(), i.view(), 1, largest));
    TensorView dv = toDevice(v), di = toDevice(i);
    ASSERT_OK(cuda::top_k(ctx, toDevice(x), dv, di, 1, largest));
    EXPECT_EQ(toHost<float>(dv), v.data);
    EXPECT_EQ(toHost<int64_t>(di), i.data);
  }
}

TEST_F(CudaKernels, ConvTranspose) {
  HostTensor<float> x = randomFloats(rng, {2, 4, 5, 3});
  HostTensor<float> w = randomFloats(rng, {4, 3, 3, 2});
  HostTensor<float> b = randomFloats(rng, {6});
  // strides (2, 1), dilations (1, 2), pads (1, 0) begin and (0, 0) end,
  // group 2.
  HostTensor<float> y({2, 6, 10, 5});
  TensorView bView = b.view();
  ASSERT_OK(cpu::conv_transpose(x.view(), w.view(), &bView, y.view(), {2, 1},
                                {1, 0, 0, 0}, {1, 2}, 2));
  TensorView dy = toDevice(y), db = toDevice(b);
  ASSERT_OK(cuda::conv_transpose(ctx, toDevice(x), toDevice(w), &db, dy, {2, 1},
                                 {1, 0, 0, 0}, {1, 2}, 2));
  EXPECT_TRUE(allClose(toHost<float>(dy), y.data, 1e-4f, 1e-4f));
}

TEST_F(CudaKernels, Resize) {
  HostTensor<float> x = randomFloats(rng, {1, 2, 5, 7});
  struct Case {
    const char *mode, *transform;
    std::vector<int64_t> shape;
    bool antialias;
  };
  const Case cases[] = {{"nearest", "half_pixel", {1, 2, 9, 3}, false},
                        {"linear", "align_corners", {1, 2, 8, 11}, false},
                        {"cubic", "half_pixel", {1, 2, 2, 3}, true}};
  for (const Case &c : cases) {
    HostTensor<float> y(c.shape);
    double scales[] = {1.0, 1.0, double(c.shape[2]) / 5,
                       double(c.shape[3]) / 7};
    ASSERT_OK(cpu::resize(x.view(), y.view(), c.mode, c.transform,
                          "round_prefer_ceil", scales, {}, -0.5f, true, 0.0f,
                          c.antialias));
    TensorView dy = toDevice(y);
    ASSERT_OK(cuda::resize(ctx, toDevice(x), dy, c.mode, c.transform,
                           "round_prefer_ceil", scales, {}, -0.5f, true, 0.0f,
                           c.antialias));
    EXPECT_TRUE(allClose(toHost<float>(dy), y.data, 1e-5f, 1e-5f)) << c.mode;
  }
}

TEST_F(CudaKernels, Recurrent) {
  // x (seq 4, batch 2, input 3), hidden 5, both directions.
  HostTensor<float> x = randomFloats(rng, {4, 2, 3});
  HostTensor<float> w = randomFloats(rng, {2, 20, 3});
  HostTensor<float> r = randomFloats(rng, {2, 20, 5});
  HostTensor<float> b = randomFloats(rng, {2, 40});
  HostTensor<float> p = randomFloats(rng, {2, 15});
  HostTensor<int32_t> lens({2});
  lens.data = {4, 2};
  int64_t roles[] = {0, 1, 2, 3, 4, 7};
  TensorView host[] = {x.view(), w.view(),    r.view(),
                       b.view(), lens.view(), p.view()};
  TensorView device[] = {toDevice(x), toDevice(w),    toDevice(r),
                         toDevice(b), toDevice(lens), toDevice(p)};
  HostTensor<float> y({4, 2, 2, 5}), yh({2, 2, 5}), yc({2, 2, 5});
  ASSERT_OK(cpu::lstm(host, y.view(), yh.view(), yc.view(), roles,
                      "bidirectional", {2, 1, 1, 2, 1, 1}, {0, 0, 0, 0, 0, 0},
                      {0, 0, 0, 0, 0, 0}, 2.0f, false));
  TensorView dy = toDevice(y), dyh = toDevice(yh), dyc = toDevice(yc);
  ASSERT_OK(cuda::lstm(ctx, device, dy, dyh, dyc, roles, "bidirectional",
                       {2, 1, 1, 2, 1, 1}, {0, 0, 0, 0, 0, 0},
                       {0, 0, 0, 0, 0, 0}, 2.0f, false));
  EXPECT_TRUE(allClose(toHost<float>(dy), y.data, 1e-5f, 1e-4f));
  EXPECT_TRUE(allClose(toHost<float>(dyh), yh.data, 1e-5f, 1e-4f));
  EXPECT_TRUE(allClose(toHost<float>(dyc), yc.data, 1e-5f, 1e-4f));
  // GRU without linear_before_reset runs two phases per step.
  HostTensor<float> gw = randomFloats(rng, {1, 15, 3});
  HostTensor<float> gr = randomFloats(rng, {1, 15, 5});
  int64_t gruRoles[] = {0, 1, 2};
  TensorView gruHost[] = {x.view(), gw.view(), gr.view()};
  TensorView gruDevice[] = {toDevice(x), toDevice(gw), toDevice(gr)};
  HostTensor<float> gy({4, 1, 2, 5}), gyh({1, 2, 5});
  ASSERT_OK(cpu::gru(gruHost, gy.view(), gyh.view(), gruRoles, "reverse",
                     {2, 1}, {0, 0}, {0, 0}, 0.0f, false));
  TensorView dgy = toDevice(gy), dgyh = toDevice(gyh);
  ASSERT_OK(cuda::gru(ctx, gruDevice, dgy, dgyh, gruRoles, "reverse", {2, 1},
                      {0, 0}, {0, 0}, 0.0f, false));
  EXPECT_TRUE(allClose(toHost<float>(dgy), gy.data, 1e-5f, 1e-4f));
  EXPECT_TRUE(allClose(toHost<float>(dgyh), gyh.data, 1e-5f, 1e-4f));
}

TEST_F(CudaKernels, DataMovement) {
  HostTensor<int64_t> x = randomInts<int64_t>(rng, {4, 6, 5}, -100, 100);
  HostTensor<int64_t> t({5, 4, 6}), s({2, 3, 5}), tiled({8, 6, 10});
  ASSERT_OK(cpu::transpose(x.view(), t.view(), {2, 0, 1}));
  ASSERT_OK(cpu::slice(x.view(), s.view(), {1, 5, 0}, {2, -2, 1}));
  ASSERT_OK(cpu::tile(x.view(), tiled.view()));
  TensorView dx = toDevice(x), dt = toDevice(t), ds = toDevice(s),
             dTiled = toDevice(tiled);
  ASSERT_OK(cuda::transpose(ctx, dx, dt, {2, 0, 1}));
  ASSERT_OK(cuda::slice(ctx, dx, ds, {1, 5, 0}, {2, -2, 1}));
  ASSERT_OK(cuda::tile(ctx, dx, dTiled));
  EXPECT_EQ(toHost<int64_t>(dt), t.data);
  EXPECT_EQ(toHost<int64_t>(ds), s.data);
  EXPECT_EQ(toHost<int64_t>(dTiled), tiled.data);

  HostTensor<int32_t> indices({3});
  indices.data = {2, -1, 0};
  HostTensor<int64_t> g({4, 3, 5});
  ASSERT_OK(cpu::gather(x.view(), indices.view(), g.view(), 1));
  TensorView dg = toDevice(g);
  ASSERT_OK(cuda::gather(ctx, dx, toDevice(indices), dg, 1));
  EXPECT_EQ(toHost<int64_t>(dg), g.data);

  HostTensor<int64_t> a({4, 2, 5}), b({4, 4, 5}), whole({4, 6, 5});
  ASSERT_OK(cpu::split(x.view(), {a.view(), b.view()}, 1));
  TensorView da = toDevice(a), db = toDevice(b), dWhole = toDevice(whole);
  ASSERT_OK(cuda::split(ctx, dx, {da, db}, 1));
  EXPECT_EQ(toHost<int64_t>(da), a.data);
  EXPECT_EQ(toHost<int64_t>(db), b.data);
  ASSERT_OK(cuda::concat(ctx, {da, db}, dWhole, 1));
  EXPECT_EQ(toHost<int64_t>(dWhole), x.data);
}

TEST_F(CudaKernels, GatherScatter) {
  HostTensor<float> x = randomFloats(rng, {4, 6, 5});
  TensorView dx = toDevice(x);

  HostTensor<int32_t> elementIndices =
      randomInts<int32_t>(rng, {4, 9, 5}, -6, 5);
  HostTensor<float> updates = randomFloats(rng, {4, 9, 5});
  HostTensor<float> gathered({4, 9, 5}), scattered({4, 6, 5});
  ASSERT_OK(cpu::gather_elements(x.view(), elementIndices.view(),
                                 gathered.view(), 1));
  ASSERT_OK(cpu::scatter_elements(x.view(), elementIndices.view(),
                                  updates.view(), scattered.view(), 1, "add"));
  TensorView dIndices = toDevice(elementIndices), dUpdates = toDevice(updates);
  TensorView dGathered = toDevice(gathered), dScattered = toDevice(scattered);
  ASSERT_OK(cuda::gather_elements(ctx, dx, dIndices, dGathered, 1));
  ASSERT_OK(cuda::scatter_elements(ctx, dx, dIndices, dUpdates, dScattered, 1,
                                   "add"));
  EXPECT_EQ(toHost<float>(dGathered), gathered.data);
  // Each line adds in the same order on both drivers.
  EXPECT_EQ(toHost<float>(dScattered), scattered.data);

  HostTensor<int64_t> tuples = randomInts<int64_t>(rng, {7, 2}, -4, 3);
  HostTensor<float> sliceUpdates = randomFloats(rng, {7, 5});
  HostTensor<float> slices({7, 5}), ndScattered({4, 6, 5});
  ASSERT_OK(cpu::gather_nd(x.view(), tuples.view(), slices.view(), 0));
  ASSERT_OK(cpu::scatter_nd(x.view(), tuples.view(), sliceUpdates.view(),
                            ndScattered.view(), "max"));
  TensorView dTuples = toDevice(tuples), dSlices = toDevice(slices);
  TensorView dNdScattered = toDevice(ndScattered);
  ASSERT_OK(cuda::gather_nd(ctx, dx, dTuples, dSlices, 0));
  ASSERT_OK(cuda::scatter_nd(ctx, dx, dTuples, toDevice(sliceUpdates),
                             dNdScattered, "max"));
  EXPECT_EQ(toHost<float>(dSlices), slices.data);
  EXPECT_EQ(toHost<float>(dNdScattered), ndScattered.data);

  // The indices are checked on the host before the launch.
  HostTensor<int64_t> bad({1, 2});
  bad.data = {0, 6};
  HostTensor<float> badSlice({1, 5});
  EXPECT_ERROR(cuda::gather_nd(ctx, dx, toDevice(bad), toDevice(badSlice), 0),
               "gather_nd: index 6 at position 1 of the indices is out of "
               "range [-6, 6) for dim 1");
}

TEST_F(CudaKernels, Trilu) {
  HostTensor<double> x = randomInts<double>(rng, {3, 4, 6}, -50, 50);
  HostTensor<int64_t> k({}, -1);
  HostTensor<double> y(x.shape);
  TensorView kView = k.view();
  ASSERT_OK(cpu::trilu(x.view(), &kView, y.view(), /*upper=*/true));
  TensorView dk = toDevice(k), dy = toDevice(y);
  ASSERT_OK(cuda::trilu(ctx, toDevice(x), &dk, dy, /*upper=*/true));
  EXPECT_EQ(toHost<double>(dy), y.data);
}

TEST_F(CudaKernels, CumSum) {
  HostTensor<float> x = randomFloats(rng, {3, 7, 4});
  HostTensor<float> y(x.shape);
  ASSERT_OK(cpu::cumsum(x.view(), y.view(), 1, /*exclusive=*/true,
                        /*reverse=*/true));
  TensorView dy = toDevice(y);
  ASSERT_OK(cuda::cumsum(ctx, toDevice(x), dy, 1, true, true));
  // Both drivers add each row in the same order.
  EXPECT_EQ(toHost<float>(dy), y.data);
}

TEST_F(CudaKernels, CumProd) {
  HostTensor<double> x({3, 5, 2});
  std::uniform_real_distribution<double> dist(0.5, 1.5);
  for (double &v : x.data)
    v = dist(rng);
  HostTensor<double> y(x.shape);
  ASSERT_OK(cpu::cumprod(x.view(), y.view(), 1, /*exclusive=*/false,
                         /*reverse=*/true));
  TensorView dy = toDevice(y);
  ASSERT_OK(cuda::cumprod(ctx, toDevice(x), dy, 1, false, true));
  // Both drivers multiply each row in the same order.
  EXPECT_EQ(toHost<double>(dy), y.data);
}

TEST_F(CudaKernels, Pad) {
  HostTensor<int32_t> x = randomInts<int32_t>(rng, {3, 4}, -50, 50);
  HostTensor<int32_t> value({}, 7);
  TensorView valueView = value.view();
  TensorView dx = toDevice(x), dValue = toDevice(value);
  for (const char *mode : {"constant", "reflect", "edge", "wrap"}) {
    HostTensor<int32_t> y({7, 3});
    ASSERT_OK(cpu::pad(x.view(), &valueView, y.view(), {2, 1, 2, -2}, mode));
    TensorView dy = toDevice(y);
    ASSERT_OK(cuda::pad(ctx, dx, &dValue, dy, {2, 1, 2, -2}, mode));
    EXPECT_EQ(toHost<int32_t>(dy), y.data) << mode;
  }
}

TEST_F(CudaKernels, Range) {
  HostTensor<float> start({}, 1.0f), limit({}, 2.0f), delta({}, 0.25f);
  HostTensor<float> y({4});
  TensorView dy = toDevice(y);
  ASSERT_OK(
      cuda::range(ctx, toDevice(start), toDevice(limit), toDevice(delta), dy));
  EXPECT_TRUE(allClose(toHost<float>(dy), {1.0f, 1.25f, 1.5f, 1.75f}, 0, 0));
}

TEST_F(CudaKernels, Matmul) {
  struct Case {
    std::vector<int64_t> a, b, out;
    bool transA, transB;
  };
  for (const Case &c :
       {Case{{2, 3, 4, 6}, {6, 5}, {2, 3, 4, 5}, false, false},
        Case{{7, 5}, {3, 7}, {5, 3}, true, true},
        Case{{2, 1, 3, 4}, {1, 3, 4, 2}, {2, 3, 3, 2}, false, false}}) {
    HostTensor<float> a = randomFloats(rng, c.a), b = randomFloats(rng, c.b);
    HostTensor<float> out = randomFloats(rng, c.out);
    TensorView dOut = toDevice(out);
    ASSERT_OK(cpu::matmul(a.view(), b.view(), out.view(), 0.5f, 1.0f, c.transA,
                          c.transB));
    ASSERT_OK(cuda::matmul(ctx, toDevice(a), toDevice(b), dOut, 0.5f, 1.0f,
                           c.transA, c.transB));
    EXPECT_TRUE(allClose(toHost<float>(dOut), out.data, 1e-4f, 1e-4f));
  }
}

TEST_F(CudaKernels, MatmulOtherTypes) {
  checkMatmulType<double>(1e-6f);
  checkMatmulType<half>(4e-3f);
  checkMatmulType<bfloat16>(2e-2f);
}

} // namespace
} // namespace kiln::test
