//===- Npy.cpp - Reading and writing NumPy .npy files --------------------===//
//
// The layout: "\x93NUMPY", major and minor version bytes, the header length
// (2 bytes little-endian in 1.0, 4 in 2.0 and 3.0), then a Python dict
// literal such as
//
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
//
// padded with spaces and a newline, then the raw data.
//
//===----------------------------------------------------------------------===//

#include "runtime/Npy.h"

#include "kernels/common/Checked.h"
#include "kernels/common/Tensor.h"
#include "runtime/AtomicFile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <memory>

namespace kiln {

/// The dtype of a .npy descr without its byte order ("f4"); 0 if none.
static int32_t parseNpyCode(const std::string &code) {
#define KILN_DTYPE(Name, Code, CType, Bytes, Numpy, NpyCode, ...)               \
  if (*NpyCode && code == NpyCode)                                             \
    return Code;
#include "kernels/common/DTypes.def"
  return 0;
}

int32_t npyStorageDType(int32_t dtype) {
  switch (dtype) {
#define KILN_DTYPE(Name, Code, CType, Bytes, Numpy, NpyCode, ...)              \
  case Code:                                                                   \
    return *NpyCode ? parseNpyCode(NpyCode) : 0;
#include "kernels/common/DTypes.def"
  default:
    return 0;
  }
}

int64_t NpyArray::numElements() const {
  int64_t n = 0;
  checkedNumElements(shape.data(), static_cast<int64_t>(shape.size()), n);
  return n;
}

/// A cursor over the header's dict literal.
class HeaderParser {
public:
  explicit HeaderParser(const std::string &text) : text_(text) {}

  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool consume(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    skipSpace();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  bool parseString(std::string &out) {
    skipSpace();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"'))
      return false;
    char quote = text_[pos_++];
    size_t end = text_.find(quote, pos_);
    if (end == std::string::npos)
      return false;
    out = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return true;
  }
  bool parseWord(std::string &out) {
    skipSpace();
    size_t begin = pos_;
    while (pos_ < text_.size() &&
           isalnum(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
    out = text_.substr(begin, pos_ - begin);
    return !out.empty();
  }
  bool parseInt(int64_t &out) {
    std::string word;
    if (!parseWord(word))
      return false;
    if (word.back() == 'L') // Python 2 longs
      word.pop_back();
    char *end = nullptr;
    errno = 0;
    long long value = strtoll(word.c_str(), &end, 10);
    if (errno || *end || value < 0)
      return false;
    out = value;
    return true;
  }
  bool atEnd() {
    skipSpace();
    return pos_ == text_.size();
  }

private:
  const std::string &text_;
  size_t pos_ = 0;
};

/// Parses the dict literal into dtype and shape.
static std::string parseHeader(const std::string &text, NpyArray &array) {
  HeaderParser parser(text);
  if (!parser.consume('{'))
    return "header is not a dict literal";
  bool haveDescr = false, haveOrder = false, haveShape = false;
  while (!parser.consume('}')) {
    std::string key;
    if (!parser.parseString(key) || !parser.consume(':'))
      return "malformed header dict";
    if (key == "descr") {
      std::string descr;
      if (!parser.parseString(descr) || descr.size() < 2)
        return "'descr' is not a dtype string";
      char order = descr[0];
      if (order == '>')
        return "big-endian dtype '" + descr + "' is not supported";
      if (order != '<' && order != '|' && order != '=')
        return "unsupported dtype '" + descr + "'";
      std::string code = descr.substr(1);
      array.dtype = parseNpyCode(code);
      if (!array.dtype)
        return "unsupported dtype '" + descr + "'";
      haveDescr = true;
    } else if (key == "fortran_order") {
      std::string value;
      if (!parser.parseWord(value) || (value != "False" && value != "True"))
        return "'fortran_order' is not True or False";
      if (value == "True")
        return "Fortran-order arrays are not supported";
      haveOrder = true;
    } else if (key == "shape") {
      if (!parser.consume('('))
        return "'shape' is not a tuple";
      while (!parser.consume(')')) {
        int64_t dim;
        if (!parser.parseInt(dim))
          return "'shape' holds a non-integer or negative dim";
        array.shape.push_back(dim);
        if (!parser.consume(',') && !parser.peek(')'))
          return "malformed 'shape' tuple";
      }
      haveShape = true;
    } else {
      return "unexpected header key '" + key + "'";
    }
    if (!parser.consume(',') && !parser.peek('}'))
      return "malformed header dict";
  }
  if (!haveDescr || !haveOrder || !haveShape)
    return "header lacks one of 'descr', 'fortran_order', 'shape'";
  if (!parser.atEnd())
    return "trailing characters after the header dict";
  return "";
}

/// The bytes of the format's preamble: magic, version, header length.
static constexpr size_t kPreambleV1 = 10, kPreambleV2 = 12;
/// Headers longer than this are refused (numpy's own limit is 10,000).
static constexpr size_t kMaxHeaderLength = 1 << 16;

/// Parses the preamble in `bytes` (at least kPreambleV1 of them, or
/// kPreambleV2 for versions 2 and 3): the header's start and length.
static std::string parsePreamble(const uint8_t *bytes, size_t size,
                                 size_t &headerStart, size_t &headerLength) {
  static const char magic[] = "\x93NUMPY";
  if (size < kPreambleV1 || memcmp(bytes, magic, 6) != 0)
    return "not a .npy file (bad magic)";
  uint8_t major = bytes[6];
  if (major == 1) {
    headerLength = bytes[8] | (bytes[9] << 8);
    headerStart = kPreambleV1;
  } else if (major == 2 || major == 3) {
    if (size < kPreambleV2)
      return "truncated header";
    headerLength = static_cast<size_t>(bytes[8]) | (bytes[9] << 8) |
                   (bytes[10] << 16) | (static_cast<size_t>(bytes[11]) << 24);
    headerStart = kPreambleV2;
  } else {
    return "unsupported format version " + std::to_string(major);
  }
  if (headerLength > kMaxHeaderLength)
    return "header length " + std::to_string(headerLength) +
           " is above the limit of " + std::to_string(kMaxHeaderLength);
  return "";
}

/// Parses the header dict and sizes the data: `dataBytes` for dtype and
/// shape.
static std::string parseHeaderText(const uint8_t *text, size_t length,
                                   NpyArray &array, uint64_t &dataBytes) {
  std::string message = parseHeader(
      std::string(reinterpret_cast<const char *>(text), length), array);
  if (!message.empty())
    return message;
  int64_t bytes;
  if (!checkedByteSize(array.shape.data(),
                       static_cast<int64_t>(array.shape.size()),
                       dtypeSize(array.dtype), bytes))
    return "shape is too large";
  dataBytes = static_cast<uint64_t>(bytes);
  return "";
}

std::string parseNpy(const std::string &path, const uint8_t *bytes, size_t size,
                     NpyArray &array) {
  array = NpyArray();
  if (size == 0)
    return "'" + path + "': not a .npy file (bad magic)";
  // The stream reader, over the bytes: one parser for files and images.
  FILE *stream = fmemopen(const_cast<uint8_t *>(bytes), size, "rb");
  if (!stream)
    return "'" + path + "': " + strerror(errno);
  std::unique_ptr<FILE, int (*)(FILE *)> closer(stream, fclose);
  return readNpyStream(path, stream, array);
}

std::string readNpy(const std::string &path, NpyArray &array,
                    const NpyHeaderCheck &checkHeader) {
  array = NpyArray();
  FILE *file = fopen(path.c_str(), "rb");
  if (!file)
    return "'" + path + "': " + strerror(errno);
  std::unique_ptr<FILE, int (*)(FILE *)> closer(file, fclose);
  return readNpyStream(path, file, array, checkHeader);
}

std::string readNpyStream(const std::string &path, FILE *file, NpyArray &array,
                          const NpyHeaderCheck &checkHeader) {
  auto error = [&](const std::string &message) {
    return "'" + path + "': " + message;
  };
  array = NpyArray();
  // Only what the header promises is read, so /dev/zero, a pipe or a
  // lying header cannot make the reader run on or allocate without bound.
  uint8_t preamble[kPreambleV2];
  size_t got = fread(preamble, 1, kPreambleV1, file);
  if (got == kPreambleV1 && preamble[6] >= 2)
    got += fread(preamble + kPreambleV1, 1, kPreambleV2 - kPreambleV1, file);
  size_t headerStart = 0, headerLength = 0;
  std::string message =
      parsePreamble(preamble, got, headerStart, headerLength);
  if (!message.empty())
    return error(message);
  std::vector<uint8_t> header(headerLength);
  if (fread(header.data(), 1, headerLength, file) != headerLength)
    return error("header length " + std::to_string(headerLength) +
                 " runs past the end of the file");
  uint64_t expected = 0;
  message = parseHeaderText(header.data(), headerLength, array, expected);
  if (!message.empty())
    return error(message);
  if (checkHeader) {
    message = checkHeader(array);
    if (!message.empty())
      return message;
  }
  // Grow in steps, so a header that promises more than the file holds
  // costs no more memory than the file.
  constexpr size_t kStep = size_t(64) << 20;
  while (array.data.size() < expected) {
    size_t before = array.data.size();
    size_t step = static_cast<size_t>(
        std::min<uint64_t>(kStep, expected - before));
    array.data.resize(before + step);
    size_t n = fread(array.data.data() + before, 1, step, file);
    if (n < step) {
      if (ferror(file))
        return error("read error");
      return error("data holds " + std::to_string(before + n) +
                   " bytes, but dtype and shape need " +
                   std::to_string(expected));
    }
  }
  uint8_t extra;
  if (fread(&extra, 1, 1, file) != 0)
    return error("data holds more bytes than dtype and shape need (" +
                 std::to_string(expected) + ")");
  if (ferror(file))
    return error("read error");
  return "";
}

std::string writeNpy(const std::string &path, int32_t dtype,
                     const std::vector<int64_t> &shape, const void *data,
                     size_t bytes) {
  const char *code = nullptr;
  switch (dtype) {
#define KILN_DTYPE(Name, Code, CType, Bytes, Numpy, NpyCode, ...)               \
  case Code:                                                                   \
    code = *NpyCode ? NpyCode : nullptr;                                       \
    break;
#include "kernels/common/DTypes.def"
  }
  if (!code)
    return "cannot write '" + path + "': dtype " + dtypeName(dtype) +
           " has no .npy equivalent";
  int64_t expected;
  if (!checkedByteSize(shape.data(), static_cast<int64_t>(shape.size()),
                       dtypeSize(dtype), expected) ||
      static_cast<uint64_t>(expected) != bytes)
    return "cannot write '" + path + "': " + std::to_string(bytes) +
           " bytes given, which dtype and shape do not need";
  bool oneByte = dtypeSize(dtype) == 1;
  std::string header = std::string("{'descr': '") + (oneByte ? '|' : '<') +
                       code + "', 'fortran_order': False, 'shape': (";
  // Python's tuple syntax: (), (3,), (2, 3).
  for (size_t i = 0; i < shape.size(); ++i) {
    header += std::to_string(shape[i]);
    if (shape.size() == 1)
      header += ",";
    else if (i + 1 < shape.size())
      header += ", ";
  }
  header += "), }";
  // Pad so the data starts 64-byte aligned; the header ends with '\n'.
  size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
  header.resize(total - 10 - 1, ' ');
  header += '\n';
  uint8_t preamble[10] = {0x93,
                          'N',
                          'U',
                          'M',
                          'P',
                          'Y',
                          1,
                          0,
                          static_cast<uint8_t>(header.size() & 0xff),
                          static_cast<uint8_t>(header.size() >> 8)};
  if (header.size() > 0xffff)
    return "cannot write '" + path + "': shape too long for a .npy header";
  return writeFileAtomically(path, {{preamble, sizeof(preamble)},
                                    {header.data(), header.size()},
                                    {data, bytes}});
}

} // namespace kiln
