//===- ModelTest.cpp - Loading and running models through the C API ------===//
//
// The model is test/unit/FakeModel.cpp, built as a module; each test lays
// out a model directory (libmodel.so + weights.safetensors) in /tmp.
//
//===----------------------------------------------------------------------===//

#include "test/unit/ModelFixture.h"

#include "runtime/kiln.h"

#include <atomic>
#include <cmath>
#include <thread>

#include <unistd.h>

namespace kiln::test {
namespace {

TEST(Model, CreateDescribeRunDestroy) {
  ModelDir dir;
  dir.link(KILN_FAKE_MODEL);
  dir.writeWeights();
  kiln_model *model = nullptr;
  ASSERT_EQ(kiln_model_create(dir.path().c_str(), &model), KILN_OK)
      << kiln_last_error();
  EXPECT_STREQ(kiln_model_target(model), "cpu");
  ASSERT_EQ(kiln_model_num_inputs(model), 2);
  EXPECT_STREQ(kiln_model_input_name(model, 1), "ids");
  EXPECT_EQ(kiln_model_input_dtype(model, 1), DType::Int64);
  EXPECT_EQ(kiln_model_input_rank(model, 0), 2);
  EXPECT_EQ(kiln_model_input_shape(model, 0)[1], 3);
  ASSERT_EQ(kiln_model_num_outputs(model), 2);
  EXPECT_STREQ(kiln_model_output_name(model, 1), "ids:doubled");

  float x[6] = {0, 1, 2, 3, 4, 5};
  int64_t ids[2] = {4, 9};
  float probs[6];
  int64_t doubled[2];
  const void *inputs[] = {x, ids};
  void *outputs[] = {probs, doubled};
  ASSERT_EQ(kiln_model_set_threads(model, 2), KILN_OK);
  ASSERT_EQ(kiln_model_run(model, inputs, outputs), KILN_OK)
      << kiln_last_error();
  EXPECT_EQ(doubled[0], 8);
  EXPECT_EQ(doubled[1], 18);
  std::vector<float> expected = fakeModelProbs(x);
  for (int i = 0; i < 6; ++i)
    EXPECT_NEAR(probs[i], expected[i], 1e-6f) << i;

  // A failing run reports the model's message and leaves the model usable.
  ids[1] = -3;
  EXPECT_EQ(kiln_model_run(model, inputs, outputs), KILN_ERROR);
  EXPECT_NE(std::string(kiln_last_error()).find("fake model: negative id -3"),
            std::string::npos)
      << kiln_last_error();
  ids[1] = 1;
  EXPECT_EQ(kiln_model_run(model, inputs, outputs), KILN_OK);
  kiln_model_destroy(model);
}

TEST(Model, EntriesWithDynamicShapes) {
  ModelDir dir;
  dir.link(KILN_FAKE_MODEL);
  dir.writeWeights();
  kiln_model *model = nullptr;
  ASSERT_EQ(kiln_model_create(dir.path().c_str(), &model), KILN_OK)
      << kiln_last_error();
  ASSERT_EQ(kiln_model_num_entries(model), 2);
  EXPECT_EQ(kiln_model_entry(model, 2), nullptr);
  EXPECT_EQ(kiln_model_find_entry(model, "nope"), nullptr);
  const kiln_entry *entry = kiln_model_find_entry(model, "batched");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry, kiln_model_entry(model, 1));
  EXPECT_STREQ(kiln_entry_name(entry), "batched");
  EXPECT_STREQ(kiln_entry_name(kiln_model_entry(model, 0)), "main");
  ASSERT_EQ(kiln_entry_num_inputs(entry), 2);
  EXPECT_EQ(kiln_entry_input_shape(entry, 0)[0], -1);
  EXPECT_EQ(kiln_entry_input_shape(entry, 0)[1], 3);
  EXPECT_STREQ(kiln_entry_input_dim_name(entry, 1, 0), "batch");
  EXPECT_EQ(kiln_entry_input_dim_name(entry, 0, 1), nullptr);
  EXPECT_EQ(kiln_entry_input_dim_name(entry, 0, 7), nullptr);
  EXPECT_STREQ(kiln_entry_output_dim_name(entry, 0, 0), "batch");

  // Two batch sizes in one process, each checked against the math.
  for (int rows : {5, 1, 7}) {
    std::vector<float> x(rows * 3);
    std::vector<int64_t> ids(rows);
    for (int i = 0; i < rows * 3; ++i)
      x[i] = 0.25f * static_cast<float>(i % 7) - 0.5f;
    for (int i = 0; i < rows; ++i)
      ids[i] = 10 * i + 1;
    const int64_t xShape[] = {rows, 3}, idsShape[] = {rows};
    const int64_t *inputShapes[] = {xShape, idsShape};
    int64_t probsShape[2] = {-9, -9}, doubledShape[1] = {-9};
    int64_t *outputShapes[] = {probsShape, doubledShape};
    ASSERT_EQ(kiln_entry_output_shapes(model, entry, inputShapes, outputShapes),
              KILN_OK)
        << kiln_last_error();
    EXPECT_EQ(probsShape[0], rows);
    EXPECT_EQ(probsShape[1], 3);
    EXPECT_EQ(doubledShape[0], rows);

    std::vector<float> probs(rows * 3, -1.0f);
    std::vector<int64_t> doubled(rows, -1);
    const void *inputs[] = {x.data(), ids.data()};
    void *outputs[] = {probs.data(), doubled.data()};
    const int64_t outputBytes[] = {rows * 3 * 4, rows * 8};
    int64_t ranShape[2] = {0, 0}, ranDoubled[1] = {0};
    int64_t *ranShapes[] = {ranShape, ranDoubled};
    ASSERT_EQ(kiln_entry_run(model, entry, inputs, inputShapes, outputs,
                             outputBytes, ranShapes),
              KILN_OK)
        << kiln_last_error();
    EXPECT_EQ(ranShape[0], rows);
    EXPECT_EQ(ranDoubled[0], rows);
    std::vector<float> expected = fakeModelProbs(x.data(), rows);
    for (int i = 0; i < rows * 3; ++i)
      EXPECT_NEAR(probs[i], expected[i], 1e-6f) << rows << " " << i;
    for (int i = 0; i < rows; ++i)
      EXPECT_EQ(doubled[i], ids[i] * 2);
  }
  kiln_model_destroy(model);
}

/// Runs the "batched" entry with the given shapes; returns the error.
std::string runBatched(kiln_model *model, const int64_t *xShape,
                       const int64_t *idsShape, int64_t outputBytes) {
  const kiln_entry *entry = kiln_model_find_entry(model, "batched");
  std::vector<float> x(256);
  std::vector<int64_t> ids(256, 1);
  std::vector<char> out0(static_cast<size_t>(outputBytes)),
      out1(static_cast<size_t>(outputBytes));
  const int64_t *inputShapes[] = {xShape, idsShape};
  const void *inputs[] = {x.data(), ids.data()};
  void *outputs[] = {out0.data(), out1.data()};
  const int64_t bytes[] = {outputBytes, outputBytes};
  if (kiln_entry_run(model, entry, inputs, inputShapes, outputs, bytes,
                     nullptr) == KILN_OK)
    return "";
  return kiln_last_error();
}

TEST(Model, ShapesThatContradictTheModel) {
  ModelDir dir;
  dir.link(KILN_FAKE_MODEL);
  dir.writeWeights();
  kiln_model *model = nullptr;
  ASSERT_EQ(kiln_model_create(dir.path().c_str(), &model), KILN_OK)
      << kiln_last_error();
  const int64_t x4[] = {4, 3}, ids4[] = {4}, ids5[] = {5}, x4by2[] = {4, 2},
                x65[] = {65, 3}, ids65[] = {65}, xNegative[] = {-2, 3};
  EXPECT_EQ(runBatched(model, x4, ids4, 1024), "");
  // Two inputs disagree on `batch`.
  EXPECT_NE(runBatched(model, x4, ids5, 1024)
                .find("input 'ids' dim 0 (batch) is 5, but input 'x' dim 0 "
                      "(batch) is 4"),
            std::string::npos)
      << kiln_last_error();
  // A static dim differs from the declaration.
  EXPECT_NE(runBatched(model, x4by2, ids4, 1024)
                .find("input 'x' dim 1 is 2, the model needs 3"),
            std::string::npos)
      << kiln_last_error();
  EXPECT_NE(runBatched(model, xNegative, ids4, 1024).find("is -2"),
            std::string::npos);
  // The model's own rule, from its plan.
  EXPECT_NE(runBatched(model, x65, ids65, 4096)
                .find("fake model: batch 65 is above 64"),
            std::string::npos)
      << kiln_last_error();
  // An output buffer smaller than the output.
  EXPECT_NE(runBatched(model, x4, ids4, 40).find(
                "output 'probs' of shape 4x3 needs 48 bytes, its buffer has 40"),
            std::string::npos)
      << kiln_last_error();
  // The static shorthand refuses an entry with dynamic dims only through
  // the entry API; "main" is static and runs.
  float x[6] = {};
  int64_t ids[2] = {1, 2};
  float probs[6];
  int64_t doubled[2];
  const void *inputs[] = {x, ids};
  void *outputs[] = {probs, doubled};
  EXPECT_EQ(kiln_model_run(model, inputs, outputs), KILN_OK)
      << kiln_last_error();
  kiln_model_destroy(model);
}

/// Loads the model in `dir`, or fails the test.
kiln_model *createModel(const ModelDir &dir) {
  kiln_model *model = nullptr;
  EXPECT_EQ(kiln_model_create(dir.path().c_str(), &model), KILN_OK)
      << kiln_last_error();
  return model;
}

// The weights are copied when the model loads: truncating the file under a
// loaded model (it killed the process with SIGBUS) changes nothing.
TEST(Model, WeightsFileTruncatedAfterLoading) {
  ModelDir dir;
  dir.link(KILN_FAKE_MODEL);
  dir.writeWeights();
  kiln_model *model = createModel(dir);
  ASSERT_NE(model, nullptr);
  ASSERT_EQ(truncate(dir.file("weights.safetensors").c_str(), 0), 0);
  float x[6] = {0, 1, 2, 3, 4, 5};
  int64_t ids[2] = {1, 2};
  float probs[6];
  int64_t doubled[2];
  const void *inputs[] = {x, ids};
  void *outputs[] = {probs, doubled};
  ASSERT_EQ(kiln_model_run(model, inputs, outputs), KILN_OK)
      << kiln_last_error();
  std::vector<float> expected = fakeModelProbs(x);
  for (int i = 0; i < 6; ++i)
    EXPECT_NEAR(probs[i], expected[i], 1e-6f) << i;
  kiln_model_destroy(model);
}

// Runs of one model from several threads at once each get the right
// numbers (they shared one arena and returned each other's sums), and each
// model keeps its own thread count (kiln_model_set_threads set it for every
// model in the process).
TEST(Model, ConcurrentRunsOfTwoModels) {
  ModelDir dirA, dirB;
  for (ModelDir *dir : {&dirA, &dirB}) {
    dir->link(KILN_FAKE_MODEL_THREADS);
    dir->writeWeights();
  }
  kiln_model *a = createModel(dirA), *b = createModel(dirB);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(kiln_model_set_threads(a, 1), KILN_OK);
  ASSERT_EQ(kiln_model_set_threads(b, 3), KILN_OK);
  constexpr int kThreads = 4, kRuns = 3000;
  std::atomic<int> wrongNumbers{0}, wrongThreads{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      kiln_model *model = t % 2 ? b : a;
      int64_t expectedThreads = t % 2 ? 3 : 1;
      for (int r = 0; r < kRuns; ++r) {
        float x[6];
        for (int i = 0; i < 6; ++i)
          x[i] = static_cast<float>((t * 7 + r * 3 + i) % 11) - 5.0f;
        int64_t ids[2] = {t, r};
        float probs[6];
        int64_t doubled[2];
        const void *inputs[] = {x, ids};
        void *outputs[] = {probs, doubled};
        if (kiln_model_run(model, inputs, outputs) != KILN_OK) {
          ++failures;
          continue;
        }
        std::vector<float> expected = fakeModelProbs(x);
        for (int i = 0; i < 6; ++i)
          if (std::fabs(probs[i] - expected[i]) > 1e-6f) {
            ++wrongNumbers;
            break;
          }
        if (doubled[1] != expectedThreads)
          ++wrongThreads;
      }
    });
  }
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(wrongNumbers.load(), 0);
  EXPECT_EQ(wrongThreads.load(), 0);
  kiln_model_destroy(a);
  kiln_model_destroy(b);
}

/// Expects kiln_model_create on `dir` to fail with `fragment`.
void expectCreateError(const std::string &dir, const std::string &fragment) {
  kiln_model *model = reinterpret_cast<kiln_model *>(1);
  EXPECT_EQ(kiln_model_create(dir.c_str(), &model), KILN_ERROR);
  EXPECT_EQ(model, nullptr);
  EXPECT_NE(std::string(kiln_last_error()).find(fragment), std::string::npos)
      << kiln_last_error();
}

TEST(ModelErrors, MissingDirectory) {
  expectCreateError("/nonexistent/kiln-model",
                    "model directory '/nonexistent/kiln-model' does not exist");
}

TEST(ModelErrors, MissingLibrary) {
  ModelDir dir;
  expectCreateError(dir.path(), "missing '" + dir.path() + "/libmodel.so'");
}

TEST(ModelErrors, LibraryThatIsNotALibrary) {
  ModelDir dir;
  dir.writeFile("libmodel.so", "not an ELF file");
  expectCreateError(dir.path(), "cannot load '" + dir.path() + "/libmodel.so'");
}

TEST(ModelErrors, MissingWeights) {
  ModelDir dir;
  dir.link(KILN_FAKE_MODEL);
  expectCreateError(dir.path(),
                    "missing '" + dir.path() + "/weights.safetensors'");
}

TEST(ModelErrors, WeightMissingFromFile) {
  ModelDir dir;
  dir.link(KILN_FAKE_MODEL);
  float scale[3] = {1, 1, 1};
  dir.writeWeights({{"scale", DType::Float, {3}, scale, sizeof(scale)}});
  expectCreateError(dir.path(), "tensor 'offset' that the model needs is "
                                "missing");
}

TEST(ModelErrors, WeightWithWrongShapeOrDtype) {
  float four[4] = {};
  int32_t three[3] = {};
  {
    ModelDir dir;
    dir.link(KILN_FAKE_MODEL);
    dir.writeWeights({{"scale", DType::Float, {4}, four, sizeof(four)},
                      {"offset", DType::Float, {4}, four, sizeof(four)}});
    expectCreateError(dir.path(),
                      "tensor 'scale' has shape 4, the model expects 3");
  }
  {
    ModelDir dir;
    dir.link(KILN_FAKE_MODEL);
    dir.writeWeights({{"scale", DType::Int32, {3}, three, sizeof(three)},
                      {"offset", DType::Int32, {3}, three, sizeof(three)}});
    expectCreateError(dir.path(), "tensor 'scale' has dtype int32, the model "
                                  "expects float32");
  }
}

TEST(ModelErrors, CorruptWeights) {
  ModelDir dir;
  dir.link(KILN_FAKE_MODEL);
  dir.writeFile("weights.safetensors",
                std::string("\x04\0\0\0\0\0\0\0{\"a\"", 12));
  expectCreateError(dir.path(), "weights.safetensors': header (bytes 8-12) is "
                                "not valid JSON");
}

TEST(ModelErrors, AbiVersionMismatch) {
  ModelDir dir;
  dir.link(KILN_FAKE_MODEL_BAD_ABI);
  dir.writeWeights();
  expectCreateError(dir.path(), "model ABI version 99, runtime expects 4");
}

TEST(ModelErrors, CudaModelWithoutDevice) {
  ModelDir dir;
  dir.link(KILN_FAKE_MODEL_CUDA);
  dir.writeWeights();
  kiln_model *model = nullptr;
  if (kiln_model_create(dir.path().c_str(), &model) == KILN_OK) {
    // A machine with a GPU loads it; this test is about the other case.
    EXPECT_STREQ(kiln_model_target(model), "cuda");
    kiln_model_destroy(model);
    return;
  }
  EXPECT_NE(std::string(kiln_last_error()).find("targets cuda"),
            std::string::npos)
      << kiln_last_error();
}

TEST(ModelErrors, RunWithoutBuffers) {
  ModelDir dir;
  dir.link(KILN_FAKE_MODEL);
  dir.writeWeights();
  kiln_model *model = nullptr;
  ASSERT_EQ(kiln_model_create(dir.path().c_str(), &model), KILN_OK);
  float x[6] = {};
  const void *inputs[] = {x, nullptr};
  float probs[6];
  int64_t doubled[2];
  void *outputs[] = {probs, doubled};
  EXPECT_EQ(kiln_model_run(model, inputs, outputs), KILN_ERROR);
  EXPECT_NE(std::string(kiln_last_error()).find("no buffer for input 'ids'"),
            std::string::npos);
  kiln_model_destroy(model);
}

} // namespace
} // namespace kiln::test
