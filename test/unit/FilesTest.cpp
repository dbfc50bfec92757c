//===- FilesTest.cpp - .npy and .safetensors round trips and bad files ----===//

#include "kernels/common/Tensor.h"
#include "runtime/Npy.h"
#include "runtime/Safetensors.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace kiln::test {
namespace {

/// A fresh temporary directory, removed with its files afterwards.
class TempDir {
public:
  TempDir() {
    char tmpl[] = "/tmp/kiln-unit-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    for (const std::string &name : files())
      unlink((path_ + "/" + name).c_str());
    rmdir(path_.c_str());
  }
  std::string file(const std::string &name) const { return path_ + "/" + name; }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    DIR *dir = opendir(path_.c_str());
    while (dirent *entry = readdir(dir))
      if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
        names.push_back(entry->d_name);
    closedir(dir);
    return names;
  }

private:
  std::string path_;
};

void writeBytes(const std::string &path, const std::string &bytes) {
  FILE *f = fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  fwrite(bytes.data(), 1, bytes.size(), f);
  fclose(f);
}

/// A .npy image with the given header dict and data.
std::string npyImage(const std::string &dict, const std::string &data,
                     char major = 1) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64)
    header += ' ';
  header += '\n';
  std::string image = std::string("\x93NUMPY", 6) + major + '\0';
  if (major == 1) {
    image += static_cast<char>(header.size() & 0xff);
    image += static_cast<char>(header.size() >> 8);
  } else {
    image += static_cast<char>(header.size() & 0xff);
    image += static_cast<char>(header.size() >> 8);
    image += '\0';
    image += '\0';
  }
  return image + header + data;
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

TEST(Npy, RoundTripEveryDtype) {
  TempDir dir;
  struct Case {
    int32_t dtype;
    std::vector<int64_t> shape;
  };
  for (const Case &c : {Case{DType::Float, {2, 3}}, Case{DType::Float16, {4}},
                        Case{DType::Double, {1, 1, 2}}, Case{DType::Int64, {}},
                        Case{DType::Int32, {3, 0}}, Case{DType::Int8, {5}},
                        Case{DType::UInt8, {2, 2}}, Case{DType::Bool, {3}}}) {
    int64_t count = 1;
    for (int64_t dim : c.shape)
      count *= dim;
    std::vector<uint8_t> data(static_cast<size_t>(count * dtypeSize(c.dtype)));
    for (size_t i = 0; i < data.size(); ++i)
      data[i] = static_cast<uint8_t>(c.dtype == DType::Bool ? i % 2 : i * 7);
    std::string path = dir.file(std::string(dtypeName(c.dtype)) + ".npy");
    ASSERT_EQ(writeNpy(path, c.dtype, c.shape, data.data(), data.size()), "");
    NpyArray array;
    ASSERT_EQ(readNpy(path, array), "");
    EXPECT_EQ(array.dtype, c.dtype);
    EXPECT_EQ(array.shape, c.shape);
    EXPECT_EQ(array.data, data);
  }
  // Only the finished files remain: no temporaries.
  EXPECT_EQ(dir.files().size(), 8u);
}

TEST(Npy, ReadsVersion2AndPythonSpellings) {
  TempDir dir;
  float values[2] = {1.5f, -2.0f};
  std::string data(reinterpret_cast<const char *>(values), sizeof(values));
  writeBytes(dir.file("v2.npy"),
             npyImage("{\"descr\": \"<f4\", \"fortran_order\": False, "
                      "\"shape\": (2,)}",
                      data, 2));
  NpyArray array;
  ASSERT_EQ(readNpy(dir.file("v2.npy"), array), "");
  EXPECT_EQ(array.shape, std::vector<int64_t>{2});
  EXPECT_EQ(array.data.size(), 8u);
}

TEST(Npy, MalformedFilesNameTheProblem) {
  TempDir dir;
  struct Case {
    const char *name;
    std::string bytes;
    const char *fragment;
  };
  std::string eight(8, '\0');
  std::vector<Case> cases = {
      {"magic.npy", "NOTNUMPYATALL", "bad magic"},
      {"version.npy",
       npyImage("{'descr': '<f4', 'fortran_order': False, "
                "'shape': (2,), }",
                eight, 9),
       "unsupported format version 9"},
      {"big.npy",
       npyImage("{'descr': '>f4', 'fortran_order': False, "
                "'shape': (2,), }",
                eight),
       "big-endian"},
      {"fortran.npy",
       npyImage("{'descr': '<f4', 'fortran_order': True, "
                "'shape': (2,), }",
                eight),
       "Fortran-order"},
      {"dtype.npy",
       npyImage("{'descr': '<c8', 'fortran_order': False, "
                "'shape': (1,), }",
                eight),
       "unsupported dtype '<c8'"},
      {"short.npy",
       npyImage("{'descr': '<f4', 'fortran_order': False, "
                "'shape': (3,), }",
                eight),
       "data holds 8 bytes, but dtype and shape need 12"},
      {"shape.npy",
       npyImage("{'descr': '<f4', 'fortran_order': False, "
                "'shape': (a,), }",
                eight),
       "'shape' holds a non-integer"},
      {"keys.npy", npyImage("{'descr': '<f4', 'shape': (2,), }", eight),
       "header lacks"},
      {"truncated.npy", std::string("\x93NUMPY\x01\x00\xff\x00{", 11),
       "runs past the end"},
  };
  for (const Case &c : cases) {
    writeBytes(dir.file(c.name), c.bytes);
    NpyArray array;
    std::string message = readNpy(dir.file(c.name), array);
    EXPECT_NE(message.find(c.name), std::string::npos) << message;
    EXPECT_NE(message.find(c.fragment), std::string::npos) << message;
  }
  NpyArray array;
  EXPECT_NE(readNpy(dir.file("missing.npy"), array).find("No such file"),
            std::string::npos);
}

// Reads are bounded by what the header promises and what the file holds: a
// device, a header promising 2^40 floats, trailing bytes, or a shape whose
// size wraps around 2^64 are errors (not an endless read, a bad_alloc or a
// wrong size).
TEST(Npy, ReadsAreBounded) {
  TempDir dir;
  NpyArray array;
  EXPECT_NE(readNpy("/dev/zero", array).find("bad magic"), std::string::npos);
  std::string eight(8, '\0');
  writeBytes(dir.file("huge.npy"),
             npyImage("{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (1099511627776,), }",
                      eight));
  EXPECT_NE(readNpy(dir.file("huge.npy"), array)
                .find("data holds 8 bytes, but dtype and shape need "
                      "4398046511104"),
            std::string::npos);
  writeBytes(dir.file("wrap.npy"),
             npyImage("{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (4294967296, 4294967296), }",
                      eight));
  EXPECT_NE(readNpy(dir.file("wrap.npy"), array).find("shape is too large"),
            std::string::npos);
  writeBytes(dir.file("trailing.npy"),
             npyImage("{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (1,), }",
                      eight));
  EXPECT_NE(readNpy(dir.file("trailing.npy"), array).find("more bytes"),
            std::string::npos);
  std::string longHeader = "\x93NUMPY\x02";
  longHeader += std::string("\x00\x00\x00\x10", 5);
  writeBytes(dir.file("header.npy"), longHeader);
  EXPECT_NE(readNpy(dir.file("header.npy"), array).find("above the limit"),
            std::string::npos);
  // A header check runs before any data is read.
  writeBytes(dir.file("ok.npy"),
             npyImage("{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (2,), }",
                      eight));
  EXPECT_EQ(readNpy(dir.file("ok.npy"), array,
                    [](const NpyArray &header) {
                      return header.shape == std::vector<int64_t>{3}
                                 ? std::string()
                                 : std::string("want 3 elements");
                    }),
            "want 3 elements");
  EXPECT_TRUE(array.data.empty());
}

TEST(Npy, WriteRejectsSizeMismatchAndLeavesNothing) {
  TempDir dir;
  float value = 1.0f;
  std::string message =
      writeNpy(dir.file("x.npy"), DType::Float, {2}, &value, sizeof(value));
  EXPECT_NE(message.find("4 bytes given"), std::string::npos) << message;
  EXPECT_TRUE(dir.files().empty());
}

//===----------------------------------------------------------------------===//
// .safetensors
//===----------------------------------------------------------------------===//

TEST(Safetensors, RoundTripAndAlignment) {
  TempDir dir;
  std::vector<uint8_t> flags = {1, 0, 1};
  std::vector<float> weights = {1, 2, 3, 4, 5, 6};
  std::vector<int64_t> ids = {7, -8};
  std::vector<SafetensorsEntry> entries = {
      {"flags", DType::Bool, {3}, flags.data(), flags.size()},
      {"layer.weight", DType::Float, {2, 3}, weights.data(), 24},
      {"ids", DType::Int64, {2}, ids.data(), 16},
      {"empty", DType::Float, {0, 4}, nullptr, 0},
  };
  std::string path = dir.file("weights.safetensors");
  ASSERT_EQ(writeSafetensors(path, entries), "");
  SafetensorsFile file;
  ASSERT_EQ(file.open(path), "");
  EXPECT_EQ(file.tensors().size(), 4u);
  const SafetensorsTensor *w = file.find("layer.weight");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->dtype, DType::Float);
  EXPECT_EQ(w->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(memcmp(w->data, weights.data(), 24), 0);
  // Wider elements come first, each aligned to its size.
  const SafetensorsTensor *i = file.find("ids");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(i->data) % 8, 0u);
  EXPECT_EQ(memcmp(i->data, ids.data(), 16), 0);
  EXPECT_EQ(memcmp(file.find("flags")->data, flags.data(), 3), 0);
  EXPECT_EQ(file.find("empty")->bytes, 0u);
  EXPECT_EQ(file.find("nope"), nullptr);
}

TEST(Safetensors, WriterRejectsBadEntries) {
  TempDir dir;
  float v[2] = {};
  std::string path = dir.file("w.safetensors");
  EXPECT_NE(writeSafetensors(path, {{"a", DType::Float, {3}, v, 8}})
                .find("has 8 bytes, but dtype and shape need 12"),
            std::string::npos);
  EXPECT_NE(writeSafetensors(path, {{"a", DType::Float, {1}, v, 4},
                                    {"a", DType::Float, {1}, v, 4}})
                .find("appears twice"),
            std::string::npos);
  EXPECT_TRUE(dir.files().empty());
}

/// A safetensors image with the given header text and data.
std::string safetensorsImage(const std::string &header,
                             const std::string &data) {
  std::string image;
  uint64_t length = header.size();
  for (int i = 0; i < 8; ++i)
    image += static_cast<char>((length >> (8 * i)) & 0xff);
  return image + header + data;
}

TEST(Safetensors, MalformedHeadersNameTheField) {
  TempDir dir;
  std::string data(16, '\0');
  struct Case {
    const char *name;
    std::string bytes;
    const char *fragment;
  };
  std::vector<Case> cases = {
      {"short.safetensors", "abc", "too short"},
      {"length.safetensors", std::string("\xff\xff\0\0\0\0\0\0", 8) + "{}",
       "runs past the end"},
      {"json.safetensors", safetensorsImage("{\"a\": ", data),
       "is not valid JSON"},
      {"dtype.safetensors",
       safetensorsImage("{\"a\": {\"dtype\": \"Q7\", \"shape\": [1], "
                        "\"data_offsets\": [0, 4]}}",
                        data),
       "tensor 'a': unknown dtype 'Q7'"},
      {"offsets.safetensors",
       safetensorsImage("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], "
                        "\"data_offsets\": [8, 40]}}",
                        data),
       "tensor 'a': field 'data_offsets' [8, 40] is outside the data "
       "section of 16 bytes"},
      {"size.safetensors",
       safetensorsImage("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], "
                        "\"data_offsets\": [0, 8]}}",
                        data),
       "spans 8 bytes, but dtype and shape need 12"},
      {"shape.safetensors",
       safetensorsImage("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], "
                        "\"data_offsets\": [0, 4]}}",
                        data),
       "field 'shape'"},
      {"missing.safetensors",
       safetensorsImage("{\"a\": {\"shape\": [1], \"data_offsets\": [0, 4]}}",
                        data),
       "missing string field 'dtype'"},
  };
  for (const Case &c : cases) {
    writeBytes(dir.file(c.name), c.bytes);
    SafetensorsFile file;
    std::string message = file.open(dir.file(c.name));
    EXPECT_NE(message.find(c.name), std::string::npos) << message;
    EXPECT_NE(message.find(c.fragment), std::string::npos) << message;
  }
}

// Only regular files are read, and a shape whose size wraps is refused.
TEST(Safetensors, HostileFiles) {
  TempDir dir;
  SafetensorsFile file;
  EXPECT_NE(file.open("/dev/zero").find("is not a regular file"),
            std::string::npos);
  ASSERT_EQ(mkfifo(dir.file("fifo").c_str(), 0600), 0);
  EXPECT_NE(file.open(dir.file("fifo")).find("is not a regular file"),
            std::string::npos);
  std::string data(16, '\0');
  writeBytes(dir.file("wrap.safetensors"),
             safetensorsImage("{\"a\": {\"dtype\": \"F32\", \"shape\": "
                              "[4294967296, 4294967296], "
                              "\"data_offsets\": [0, 0]}}",
                              data));
  EXPECT_NE(file.open(dir.file("wrap.safetensors")).find("too large"),
            std::string::npos);
  std::string hugeHeader("\x00\x00\x00\x40\x00\x00\x00\x00", 8);
  writeBytes(dir.file("header.safetensors"), hugeHeader + "{}");
  EXPECT_NE(file.open(dir.file("header.safetensors")).find("limit"),
            std::string::npos);
}

TEST(Safetensors, MetadataIsIgnored) {
  TempDir dir;
  std::string data(4, '\0');
  writeBytes(dir.file("m.safetensors"),
             safetensorsImage("{\"__metadata__\": {\"format\": \"pt\"}, "
                              "\"a\": {\"dtype\": \"I32\", \"shape\": [], "
                              "\"data_offsets\": [0, 4]}}",
                              data));
  SafetensorsFile file;
  ASSERT_EQ(file.open(dir.file("m.safetensors")), "");
  EXPECT_EQ(file.tensors().size(), 1u);
}

} // namespace
} // namespace kiln::test
