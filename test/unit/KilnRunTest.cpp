//===- KilnRunTest.cpp - The kiln-run tool end to end ---------------------===//
//
// Runs the built kiln-run on a directory holding the fake model and checks
// its output, its files and its one-line errors.
//
//===----------------------------------------------------------------------===//

#include "runtime/Npy.h"
#include "test/unit/ModelFixture.h"

#include <sys/wait.h>

namespace kiln::test {
namespace {

struct Result {
  int exitCode;
  std::string output; // stdout and stderr together
};

Result runKilnRun(const std::string &args) {
  std::string command = std::string(KILN_RUN_PATH) + " " + args + " 2>&1";
  Result result{-1, ""};
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe)
    return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

class KilnRun : public ::testing::Test {
protected:
  void SetUp() override {
    model.link(KILN_FAKE_MODEL);
    model.writeWeights();
  }
  ModelDir model, work;
};

TEST_F(KilnRun, RandomInputsPrintSummary) {
  Result r = runKilnRun(model.path() + " --random-inputs 3");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("probs: 2x3 (float32) ["), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("ids:doubled: 2 (int64) ["), std::string::npos)
      << r.output;
}

TEST_F(KilnRun, InputsAndOutputFiles) {
  float x[6] = {0.5f, -1, 2, 0, 0, 1};
  int64_t ids[2] = {3, 5};
  ASSERT_EQ(writeNpy(work.file("x.npy"), DType::Float, {2, 3}, x, sizeof(x)),
            "");
  ASSERT_EQ(writeNpy(work.file("ids.npy"), DType::Int64, {2}, ids, 16), "");
  Result r = runKilnRun(model.path() + " --input x=" + work.file("x.npy") +
                        " --input ids=" + work.file("ids.npy") +
                        " --output probs=" + work.file("probs.npy") +
                        " --output-dir " + work.file("out"));
  ASSERT_EQ(r.exitCode, 0) << r.output;
  NpyArray probs, doubled;
  ASSERT_EQ(readNpy(work.file("probs.npy"), probs), "");
  // The unnamed output lands in the directory under a sanitized name.
  ASSERT_EQ(readNpy(work.file("out/ids_doubled.npy"), doubled), "");
  EXPECT_EQ(probs.shape, (std::vector<int64_t>{2, 3}));
  std::vector<float> expected = fakeModelProbs(x);
  const float *got = reinterpret_cast<const float *>(probs.data.data());
  for (int i = 0; i < 6; ++i)
    EXPECT_NEAR(got[i], expected[i], 1e-6f);
  const int64_t *d = reinterpret_cast<const int64_t *>(doubled.data.data());
  EXPECT_EQ(d[0], 6);
  EXPECT_EQ(d[1], 10);
}

TEST_F(KilnRun, MissingInputIsNamed) {
  Result r = runKilnRun(model.path());
  EXPECT_NE(r.exitCode, 0);
  EXPECT_EQ(r.output, "kiln-run: missing input 'x' 2x3 (float32): pass "
                      "--input x=FILE.npy or --random-inputs SEED\n");
}

TEST_F(KilnRun, WrongInputShapeIsOneLine) {
  float x[3] = {};
  ASSERT_EQ(writeNpy(work.file("x.npy"), DType::Float, {3}, x, sizeof(x)), "");
  Result r = runKilnRun(model.path() +
                        " --random-inputs 1 --input x=" + work.file("x.npy"));
  EXPECT_NE(r.exitCode, 0);
  EXPECT_EQ(r.output, "kiln-run: input 'x': expected shape 2x3 (float32), "
                      "got 3 (float32) in " +
                          work.file("x.npy") + "\n");
}

TEST_F(KilnRun, UnknownNamesAndOptions) {
  Result r =
      runKilnRun(model.path() + " --random-inputs 1 --output nope=a.npy");
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.output.find("the model has no output named 'nope' (outputs: "
                          "probs, ids:doubled)"),
            std::string::npos)
      << r.output;
  r = runKilnRun(model.path() + " --frobnicate 1");
  EXPECT_NE(r.exitCode, 0);
  EXPECT_EQ(r.output, "kiln-run: unknown option '--frobnicate'\n");
}

TEST_F(KilnRun, FailedRunWritesNothing) {
  int64_t ids[2] = {1, -1};
  ASSERT_EQ(writeNpy(work.file("ids.npy"), DType::Int64, {2}, ids, 16), "");
  Result r = runKilnRun(
      model.path() + " --random-inputs 1 --input ids=" + work.file("ids.npy") +
      " --output-dir " + work.file("out"));
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.output.find("fake model: negative id -1"), std::string::npos)
      << r.output;
  EXPECT_EQ(access(work.file("out").c_str(), F_OK), -1);
}

TEST_F(KilnRun, BenchPrintsTable) {
  Result r = runKilnRun(model.path() + " --random-inputs 1 --bench 5 "
                                       "--threads 1");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("median_ms"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("p90_ms"), std::string::npos) << r.output;
}

} // namespace
} // namespace kiln::test
