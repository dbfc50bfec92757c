//===- ModelLoader.cpp - Parsing ONNX models into protobuf ----------------===//
//
// This file is compiled with exceptions enabled: libonnx's text parser
// throws, and nothing may escape into the exception-free compiler. libonnx's
// shape inference is not run: it trusts the model (a Conv whose weight rank
// does not match its input crashes it), and Kiln's own inference, which
// verifies every op, is the one that decides types. Protobuf's log output is silenced for the whole process.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/ModelLoader.h"

#include "onnx/defs/parser.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/stubs/logging.h"

#include <climits>
#include <exception>

namespace kiln::onnxfe {
namespace {

/// Protobuf logs parse failures to stderr; our callers report them instead.
void silenceProtobufLogs() {
  static bool silenced = [] {
    google::protobuf::SetLogHandler(nullptr);
    return true;
  }();
  (void)silenced;
}

std::unique_ptr<onnx::ModelProto> fail(LoadError &error, std::string message,
                                       unsigned line = 0, unsigned column = 0) {
  error.message = std::move(message);
  error.line = line;
  error.column = column;
  return nullptr;
}

/// Splits libonnx's "[ParseError at position (line: L column: C)]\nError
/// context: ...\nMESSAGE" into the position and MESSAGE.
void fillParseError(const std::string &status, LoadError &error) {
  error.message = status;
  size_t linePos = status.find("line: ");
  size_t columnPos = status.find("column: ");
  if (linePos != std::string::npos && columnPos != std::string::npos) {
    error.line = std::strtoul(status.c_str() + linePos + 6, nullptr, 10);
    error.column = std::strtoul(status.c_str() + columnPos + 8, nullptr, 10);
  }
  size_t lastNewline = status.find_last_of('\n');
  if (lastNewline != std::string::npos && lastNewline + 1 < status.size())
    error.message = status.substr(lastNewline + 1);
  while (!error.message.empty() &&
         (error.message.back() == '.' || error.message.back() == ' '))
    error.message.pop_back();
}

} // namespace

std::unique_ptr<onnx::ModelProto> parseBinaryModel(llvm::StringRef bytes,
                                                   LoadError &error) {
  silenceProtobufLogs();
  if (bytes.empty())
    return fail(error, "empty file");
  if (bytes.size() > static_cast<size_t>(INT_MAX))
    return fail(error, "larger than 2 GiB; store the weights as external data");

  auto model = std::make_unique<onnx::ModelProto>();
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(bytes.data()),
      static_cast<int>(bytes.size()));
  stream.SetTotalBytesLimit(INT_MAX);
  bool parsed = false;
  try {
    parsed =
        model->ParseFromCodedStream(&stream) && stream.ConsumedEntireMessage();
  } catch (const std::exception &e) {
    return fail(error, std::string("protobuf error: ") + e.what());
  }
  if (!parsed)
    return fail(error, "protobuf parse error near byte " +
                           std::to_string(stream.CurrentPosition()) + " of " +
                           std::to_string(bytes.size()));
  if (!model->has_graph())
    return fail(error, "no graph");
  if (model->ir_version() <= 0)
    return fail(error, "no ir_version");
  return model;
}

std::unique_ptr<onnx::ModelProto> parseTextModel(llvm::StringRef text,
                                                 LoadError &error) {
  auto model = std::make_unique<onnx::ModelProto>();
  try {
    onnx::OnnxParser parser(text.data());
    onnx::Common::Status status = parser.Parse(*model);
    if (!status.IsOK()) {
      fillParseError(status.ErrorMessage(), error);
      return nullptr;
    }
    if (!parser.EndOfInput())
      return fail(error, "unexpected text after the model",
                  /*line=*/0, /*column=*/0);
  } catch (const std::exception &e) {
    return fail(error, std::string("parse error: ") + e.what());
  }
  return model;
}

} // namespace kiln::onnxfe
