//===- ModelFixture.h - Model directories for runtime tests -----*- C++ -*-===//

#ifndef KILN_TEST_UNIT_MODELFIXTURE_H
#define KILN_TEST_UNIT_MODELFIXTURE_H

#include "kernels/common/Tensor.h"
#include "runtime/Safetensors.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmath>
#include <string>
#include <vector>

namespace kiln::test {

/// The fake model's weights.
inline const float fakeScale[3] = {1.0f, 0.5f, -1.0f};
inline const float fakeOffset[3] = {0.0f, 1.0f, 2.0f};

/// What the fake model computes for `probs`.
inline std::vector<float> fakeModelProbs(const float *x, int rows = 2) {
  std::vector<float> probs(rows * 3);
  for (int row = 0; row < rows; ++row) {
    double z[3], sum = 0;
    for (int j = 0; j < 3; ++j) {
      z[j] = std::exp(x[row * 3 + j] * fakeScale[j] + fakeOffset[j]);
      sum += z[j];
    }
    for (int j = 0; j < 3; ++j)
      probs[row * 3 + j] = static_cast<float>(z[j] / sum);
  }
  return probs;
}

/// A temporary model directory, removed (one level deep) afterwards.
class ModelDir {
public:
  ModelDir() {
    char tmpl[] = "/tmp/kiln-model-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~ModelDir() { removeTree(path_); }

  const std::string &path() const { return path_; }
  std::string file(const std::string &name) const { return path_ + "/" + name; }

  /// Makes libmodel.so a link to the built module at `library`.
  void link(const std::string &library) {
    ASSERT_EQ(symlink(library.c_str(), file("libmodel.so").c_str()), 0);
  }
  void writeFile(const std::string &name, const std::string &bytes) {
    FILE *f = fopen(file(name).c_str(), "wb");
    ASSERT_NE(f, nullptr);
    fwrite(bytes.data(), 1, bytes.size(), f);
    fclose(f);
  }
  /// The fake model's weights, or `entries`.
  void writeWeights(std::vector<SafetensorsEntry> entries = {
                        {"scale", DType::Float, {3}, fakeScale, 12},
                        {"offset", DType::Float, {3}, fakeOffset, 12}}) {
    ASSERT_EQ(writeSafetensors(file("weights.safetensors"), entries), "");
  }

  static void removeTree(const std::string &path) {
    if (DIR *dir = opendir(path.c_str())) {
      while (dirent *entry = readdir(dir)) {
        if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
          continue;
        std::string child = path + "/" + entry->d_name;
        if (entry->d_type == DT_DIR)
          removeTree(child);
        else
          unlink(child.c_str());
      }
      closedir(dir);
    }
    rmdir(path.c_str());
  }

private:
  std::string path_;
};

} // namespace kiln::test

#endif // KILN_TEST_UNIT_MODELFIXTURE_H
